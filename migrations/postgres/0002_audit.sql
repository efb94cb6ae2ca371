-- The audit trail: every view of a person's data and every change (DESIGN §2.4). Append-only:
-- the application never updates or deletes a row, and the database refuses it too.
create table audit_event (
    audit_event_id bigint generated always as identity primary key,
    at timestamptz not null,
    actor_id bigint not null references person (person_id),
    role text not null,
    subject_id bigint not null references person (person_id),
    action text not null,
    object text,
    request_id text,
    created_at timestamptz not null default date_trunc('second', now())
);
create index audit_event_subject_at on audit_event (subject_id, at);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end;
$$;

create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
