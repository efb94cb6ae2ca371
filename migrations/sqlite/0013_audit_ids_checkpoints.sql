-- The audit trail proves itself without trusting the database (DESIGN §4):
--  * ids are positive and assigned by the database: SQLite gives a row without an id the next
--    one after the largest; a row given an id of 0 or below, or one below an existing id, was put
--    there by hand and is refused. `verify-audit` still walks every row whatever its id and names
--    such a row as a break (whoever owns the file can drop triggers).
--  * the checkpoints' coordination rows are append-only, like the trail.
create trigger audit_event_id_assigned after insert on audit_event
    when new.audit_event_id <= 0 or new.audit_event_id < (select max(audit_event_id) from audit_event)
begin
    select raise(abort, 'audit_event_id is assigned by the database');
end;

create trigger audit_checkpoint_no_update before update on audit_checkpoint
begin
    select raise(abort, 'audit_checkpoint is append-only');
end;

create trigger audit_checkpoint_no_delete before delete on audit_checkpoint
begin
    select raise(abort, 'audit_checkpoint is append-only');
end;
