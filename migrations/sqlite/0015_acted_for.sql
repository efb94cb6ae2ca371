-- "Who acted for me": others' actions on a subject copied, in the same transaction as the chained
-- record, into one small table read by one index range (PostgreSQL's 0015 says why). The copy is
-- an index, not evidence: `verify-audit` checks every copy against the chained record.
create table acted_for_event (
    audit_event_id integer primary key,
    at text not null,
    subject_id integer not null,
    actor_id integer not null,
    role text not null,
    action text not null,
    object text
);
create index acted_for_event_page on acted_for_event (subject_id, at desc, audit_event_id desc);
create index acted_for_event_actor on acted_for_event (subject_id, actor_id, at desc, audit_event_id desc);
-- How many copies each actor has per subject (the filter and the page count), checked against
-- the copies by `verify-audit`.
create table acted_for_count (
    subject_id integer not null,
    actor_id integer not null,
    records integer not null,
    primary key (subject_id, actor_id)
) without rowid;

create trigger audit_event_copy_acted_for after insert on audit_event when new.actor_id <> new.subject_id
begin
    insert into acted_for_event (audit_event_id, at, subject_id, actor_id, role, action, object)
    values (new.audit_event_id, new.at, new.subject_id, new.actor_id, new.role, new.action, new.object);
    insert into acted_for_count (subject_id, actor_id, records) values (new.subject_id, new.actor_id, 1)
    on conflict (subject_id, actor_id) do update set records = records + 1;
end;

create trigger acted_for_event_no_update before update on acted_for_event
begin
    select raise(abort, 'acted_for_event is append-only');
end;
create trigger acted_for_event_no_delete before delete on acted_for_event
begin
    select raise(abort, 'acted_for_event is append-only');
end;

insert into acted_for_event (audit_event_id, at, subject_id, actor_id, role, action, object)
select audit_event_id, at, subject_id, actor_id, role, action, object from audit_event where actor_id <> subject_id;
insert into acted_for_count (subject_id, actor_id, records)
select subject_id, actor_id, count(*) from acted_for_event group by subject_id, actor_id;

drop index audit_event_acted_for;
