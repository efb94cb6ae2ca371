-- The audit trail at national volume (≈ 4–5 billion rows over Kanta's 12-year retention) is
-- range-partitioned by month of `at`, so that a closed month can be archived and detached
-- (`sosiaalitiedot audit-archive`) without touching the live chain, and every index is per month.
-- The ids, the hash chain and the append-only rules are unchanged:
--  * ids come from one sequence (the chain's order);
--  * the row triggers refusing UPDATE and DELETE are defined on the parent and so exist on every
--    partition, present and future; the TRUNCATE trigger is statement-level, so it is added to each
--    partition as it is created (TRUNCATE of one partition would not fire the parent's);
--  * a DEFAULT partition catches a row whose month has no partition yet: a write never fails for
--    want of one. `audit_event_ensure_partitions(n)` keeps the current month and the next n.

alter table audit_event rename to audit_event_unpartitioned;
alter index audit_event_subject_at rename to audit_event_unpartitioned_subject_at;

create sequence audit_event_id_seq as bigint;
select setval('audit_event_id_seq', coalesce((select max(audit_event_id) from audit_event_unpartitioned), 0) + 1, false);

create table audit_event (
    audit_event_id bigint not null default nextval('audit_event_id_seq'),
    at timestamptz not null,
    actor_id bigint not null references person (person_id),
    role text not null,
    subject_id bigint not null references person (person_id),
    action text not null,
    object text,
    request_id text,
    created_at timestamptz not null default date_trunc('second', now()),
    prev_hash text,
    hash text,
    primary key (audit_event_id, at)
) partition by range (at);
alter sequence audit_event_id_seq owned by audit_event.audit_event_id;

-- A subject's rows by time; "who acted for me" reads only others' actions on a subject, newest
-- first, a page at a time from a (time, id) cursor: a partial index of just those rows, so that a
-- person's own years of views are never scanned past (with actor_id, the count and the list of
-- actors are index-only).
create index audit_event_subject_at on audit_event (subject_id, at);
create index audit_event_acted_for on audit_event (subject_id, at desc, audit_event_id desc, actor_id) where actor_id <> subject_id;
create index audit_event_actor on audit_event (actor_id, audit_event_id);

create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();

create table audit_event_default partition of audit_event default;
create trigger audit_event_no_truncate before truncate on audit_event_default
    for each statement execute function audit_event_append_only();

-- Creates the monthly partitions from `from_month` through the current month plus `months_ahead`
-- (those that do not exist yet), each with the TRUNCATE trigger. SECURITY DEFINER: the service's
-- least-privilege role calls it at start and daily; the partitions are created as the owner. A
-- month whose rows already sit in the default partition is left there (creating its partition
-- would fail); the rows stay in the chain and `verify-audit` reads them as any other.
create function audit_event_ensure_partitions(months_ahead integer, from_month date default null)
returns integer language plpgsql security definer set search_path = public as $$
declare
    first_month date := date_trunc('month', coalesce(from_month, now() at time zone 'Europe/Helsinki'))::date;
    last_month date := (date_trunc('month', now() at time zone 'Europe/Helsinki') + make_interval(months => months_ahead))::date;
    m date;
    name text;
    created integer := 0;
begin
    m := first_month;
    while m <= last_month loop
        name := format('audit_event_%s', to_char(m, 'YYYY_MM'));
        if to_regclass(name) is null
           and not exists (select 1 from audit_event_default
                           where at >= (m::timestamp at time zone 'Europe/Helsinki')
                             and at < ((m + interval '1 month')::timestamp at time zone 'Europe/Helsinki')) then
            execute format('create table %I partition of audit_event for values from (%L) to (%L)',
                           name, (m::timestamp at time zone 'Europe/Helsinki'),
                           ((m + interval '1 month')::timestamp at time zone 'Europe/Helsinki'));
            execute format('create trigger audit_event_no_truncate before truncate on %I
                            for each statement execute function audit_event_append_only()', name);
            created := created + 1;
        end if;
        m := (m + interval '1 month')::date;
    end loop;
    return created;
end;
$$;

-- The months of the rows written so far, then the current month and the next two.
select audit_event_ensure_partitions(2, (select min(at) at time zone 'Europe/Helsinki' from audit_event_unpartitioned)::date);

insert into audit_event (audit_event_id, at, actor_id, role, subject_id, action, object, request_id, created_at, prev_hash, hash)
    select audit_event_id, at, actor_id, role, subject_id, action, object, request_id, created_at, prev_hash, hash
    from audit_event_unpartitioned order by audit_event_id;

-- The old table refuses DELETE and TRUNCATE by its own triggers; DROP removes it with them.
drop table audit_event_unpartitioned;
