-- The audit trail: every view of a person's data and every change (DESIGN §2.4). Append-only:
-- the application never updates or deletes a row, and the database refuses it too.
create table audit_event (
    audit_event_id integer primary key,
    at text not null,
    actor_id integer not null references person (person_id),
    role text not null,
    subject_id integer not null references person (person_id),
    action text not null,
    object text,
    request_id text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
create index audit_event_subject_at on audit_event (subject_id, at);

create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;

create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;
