-- A tamper-evident audit trail (DESIGN §2.4): each record carries the SHA-256 hash of the previous
-- record's hash and its own fields, so `sosiaalitiedot verify-audit` finds an edited, deleted or
-- reordered record. Rows written before this migration have no hash; `verify-audit` counts them
-- apart, and any row without a hash after the chain has begun is a break.
alter table audit_event add column prev_hash text;
alter table audit_event add column hash text;

-- INSERT OR REPLACE deletes a conflicting row without firing delete triggers: refuse any insert
-- that names an existing id.
create trigger audit_event_no_replace before insert on audit_event
when exists (select 1 from audit_event where audit_event_id = new.audit_event_id)
begin
    select raise(abort, 'audit_event is append-only');
end;
