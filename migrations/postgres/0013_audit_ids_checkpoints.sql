-- The audit trail proves itself without trusting the database (DESIGN §4):
--  * ids are positive and assigned by the database. A trigger takes every new row's id from the
--    chain's sequence, whatever the INSERT says (an identity column would still let any role with
--    INSERT say OVERRIDING SYSTEM VALUE); the function runs as the owner, so the service's role
--    needs no rights on the sequence and cannot change the trigger. `verify-audit` still walks
--    every row whatever its id and names one of 0 or below, or a repeated id, as a break.
--  * the checkpoints' coordination rows are append-only, like the trail: the service's role only
--    ever inserts them.
alter table audit_event add constraint audit_event_id_positive check (audit_event_id > 0);

create function audit_event_assign_id() returns trigger language plpgsql security definer set search_path = public as $$
begin
    new.audit_event_id := nextval('audit_event_id_seq');
    return new;
end;
$$;
revoke all on function audit_event_assign_id() from public;

-- The trigger assigns the id: a column default would take a second number from the sequence.
alter table audit_event alter column audit_event_id drop default;
create trigger audit_event_assign_id before insert on audit_event
    for each row execute function audit_event_assign_id();

create function append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger audit_checkpoint_no_update before update or delete on audit_checkpoint
    for each row execute function append_only();
create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
    for each statement execute function append_only();
