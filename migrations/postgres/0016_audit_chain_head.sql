-- The chain's head in one row. Every record links to the hash of the newest one; reading it as
-- `order by audit_event_id desc limit 1` from the monthly partitions opens and probes every
-- partition's index (≈ 150 in twelve years: over a millisecond of every audited request, the
-- largest share of a page's database time). A trigger keeps the newest record's id and hash here,
-- in the record's own transaction, whoever inserts it (an instance of an earlier version during a
-- rolling upgrade included); writers read it under the chain's advisory lock. It proves nothing
-- itself: a forged head makes the next record's link fail, which `verify-audit` names, and
-- `verify-audit` also compares the row with the newest record.
create table audit_chain_head (
    only_row boolean primary key default true check (only_row),
    audit_event_id bigint not null,
    hash text
);
insert into audit_chain_head (audit_event_id, hash)
select audit_event_id, hash from audit_event order by audit_event_id desc limit 1;

create function audit_chain_head_follow() returns trigger language plpgsql security definer set search_path = public as $$
begin
    insert into audit_chain_head (audit_event_id, hash) values (new.audit_event_id, new.hash)
    on conflict (only_row) do update set audit_event_id = excluded.audit_event_id, hash = excluded.hash
    where audit_chain_head.audit_event_id < excluded.audit_event_id;
    return null;
end;
$$;
revoke all on function audit_chain_head_follow() from public;
create trigger audit_event_head after insert on audit_event
    for each row execute function audit_chain_head_follow();

-- Only the trigger moves the head (0015's guard): the service's role cannot.
create trigger audit_chain_head_guard before update or delete on audit_chain_head
    for each row execute function changed_by_trigger_only();
create trigger audit_chain_head_no_truncate before truncate on audit_chain_head
    for each statement execute function append_only();
