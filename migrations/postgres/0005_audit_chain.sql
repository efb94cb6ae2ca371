-- A tamper-evident audit trail (DESIGN §2.4): each record carries the SHA-256 hash of the previous
-- record's hash and its own fields, so `sosiaalitiedot verify-audit` finds an edited, deleted or
-- reordered record. Rows written before this migration have no hash; `verify-audit` counts them
-- apart, and any row without a hash after the chain has begun is a break.
alter table audit_event add column prev_hash text;
alter table audit_event add column hash text;

-- Row-level triggers do not fire on TRUNCATE.
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();
