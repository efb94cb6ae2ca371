-- "Who acted for me" at national scale. Others' actions on a subject are a small share of the
-- trail, yet reading them from the monthly partitions probes every partition (≈ 150 in twelve
-- years), for the page and again for its count. So each of them is also copied, by a trigger in
-- the same transaction as the chained record it copies, into one small table where the page and
-- the count per actor are one index range each. The copy is an index, not evidence: the chain and
-- the partitions stay as they are, and `verify-audit` checks every copy against the chained record
-- with its id (a copy missing, changed or without a record is a break).
create table acted_for_event (
    audit_event_id bigint primary key,
    at timestamptz not null,
    subject_id bigint not null,
    actor_id bigint not null,
    role text not null,
    action text not null,
    object text
);
create index acted_for_event_page on acted_for_event (subject_id, at desc, audit_event_id desc);
create index acted_for_event_actor on acted_for_event (subject_id, actor_id, at desc, audit_event_id desc);
-- How many copies each actor has per subject: the page's filter and page count without counting
-- thousands of rows on every view. Checked against the copies by `verify-audit`.
create table acted_for_count (
    subject_id bigint not null,
    actor_id bigint not null,
    records bigint not null,
    primary key (subject_id, actor_id)
);

-- Runs as the owner: the service's role needs no rights on the copy, only INSERT on the trail.
create function audit_event_copy_acted_for() returns trigger language plpgsql security definer set search_path = public as $$
begin
    insert into acted_for_event (audit_event_id, at, subject_id, actor_id, role, action, object)
    values (new.audit_event_id, new.at, new.subject_id, new.actor_id, new.role, new.action, new.object);
    insert into acted_for_count (subject_id, actor_id, records) values (new.subject_id, new.actor_id, 1)
    on conflict (subject_id, actor_id) do update set records = acted_for_count.records + 1;
    return null;
end;
$$;
revoke all on function audit_event_copy_acted_for() from public;
create trigger audit_event_copy_acted_for after insert on audit_event
    for each row when (new.actor_id <> new.subject_id) execute function audit_event_copy_acted_for();

-- The counts change only through the copy trigger (a trigger inside a trigger): the service's
-- role can neither change nor remove one. The same guard keeps 0016's chain head.
create function changed_by_trigger_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' or pg_trigger_depth() < 2 then
        raise exception '% changes only with the trail', tg_table_name;
    end if;
    return new;
end;
$$;
create trigger acted_for_count_guard before update or delete on acted_for_count
    for each row execute function changed_by_trigger_only();
create trigger acted_for_count_no_truncate before truncate on acted_for_count
    for each statement execute function append_only();

create trigger acted_for_event_no_update before update or delete on acted_for_event
    for each row execute function append_only();
create trigger acted_for_event_no_truncate before truncate on acted_for_event
    for each statement execute function append_only();

insert into acted_for_event (audit_event_id, at, subject_id, actor_id, role, action, object)
select audit_event_id, at, subject_id, actor_id, role, action, object from audit_event where actor_id <> subject_id;
insert into acted_for_count (subject_id, actor_id, records)
select subject_id, actor_id, count(*) from acted_for_event group by subject_id, actor_id;

-- Only this page read the partial index of others' actions; every write no longer maintains it.
drop index audit_event_acted_for;
