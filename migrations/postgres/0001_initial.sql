-- The archive's data as imported from the feed (DESIGN §3), plus server-side sessions.
-- Dates are DATE; instants TIMESTAMPTZ (written with whole seconds, like the SQLite backend).

create table organisation (
    organisation_id bigint generated always as identity primary key,
    oid text not null unique,
    name_fi text not null,
    name_sv text not null,
    created_at timestamptz not null default date_trunc('second', now())
);

create table person (
    person_id bigint generated always as identity primary key,
    hetu text not null unique,
    first_names text not null,
    last_name text not null,
    birth_date date not null,
    non_disclosure boolean not null default false,
    taken_into_care boolean not null default false,
    informed_on date,
    created_at timestamptz not null default date_trunc('second', now())
);

create table guardianship (
    guardianship_id bigint generated always as identity primary key,
    guardian_id bigint not null references person (person_id),
    child_id bigint not null references person (person_id),
    kind text not null check (kind in ('guardian', 'information_right')),
    valid_from date not null,
    valid_until date,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (guardian_id, child_id, kind)
);
create index guardianship_child on guardianship (child_id);

create table mandate (
    mandate_id bigint generated always as identity primary key,
    principal_id bigint not null references person (person_id),
    agent_id bigint not null references person (person_id),
    valid_from date not null,
    valid_until date,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (principal_id, agent_id, valid_from)
);
create index mandate_agent on mandate (agent_id);

create table client_relationship (
    client_relationship_id bigint generated always as identity primary key,
    person_id bigint not null references person (person_id),
    registrar_id bigint not null references organisation (organisation_id),
    service_task text not null,
    started_on date not null,
    ended_on date,
    worker_name text,
    worker_title text,
    worker_unit text,
    worker_phone text,
    worker_email text,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (person_id, registrar_id, service_task, started_on)
);

-- service_task '' is the registrar-wide date (service_task: null in the feed): NULL would not be
-- unique in either database.
create table visibility_start (
    visibility_start_id bigint generated always as identity primary key,
    registrar_id bigint not null references organisation (organisation_id),
    service_task text not null,
    from_date date not null,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (registrar_id, service_task)
);

create table document (
    document_row_id bigint generated always as identity primary key,
    document_id text not null,
    version integer not null,
    person_id bigint not null references person (person_id),
    registrar_id bigint not null references organisation (organisation_id),
    service_task text not null,
    service text,
    kind text not null,
    phase integer not null,
    status text not null check (status in ('active', 'invalidated')),
    joint_matter boolean not null,
    document_created_at timestamptz not null,
    title text not null,
    language text not null,
    author text not null,
    unit text not null,
    sections text not null,
    delayed_until date,
    special_content boolean not null,
    hidden_from_guardians boolean not null,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (document_id, version)
);
create index document_person on document (person_id);

create table data_use (
    data_use_id bigint generated always as identity primary key,
    event_id text not null unique,
    person_id bigint not null references person (person_id),
    at timestamptz not null,
    action text not null,
    by_id bigint not null references organisation (organisation_id),
    registrar_id bigint not null references organisation (organisation_id),
    document_id text,
    basis text not null,
    created_at timestamptz not null default date_trunc('second', now())
);
create index data_use_person_at on data_use (person_id, at);

create table consent (
    consent_id bigint generated always as identity primary key,
    person_id bigint not null references person (person_id),
    given boolean not null,
    at timestamptz not null,
    set_by_person_id bigint references person (person_id),
    set_by_role text,
    created_at timestamptz not null default date_trunc('second', now()),
    unique (person_id, at)
);

create table prohibition (
    prohibition_row_id bigint generated always as identity primary key,
    prohibition_id text not null unique,
    person_id bigint not null references person (person_id),
    target_registrar_id bigint references organisation (organisation_id),
    target_service_task text,
    target_document_id text,
    set_at timestamptz not null,
    revoked_at timestamptz,
    set_by_person_id bigint references person (person_id),
    set_by_role text,
    created_at timestamptz not null default date_trunc('second', now()),
    check (num_nonnulls(target_registrar_id, target_service_task, target_document_id) = 1)
);
create index prohibition_person on prohibition (person_id);

create table http_session (
    session_key text primary key,
    state text not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default date_trunc('second', now())
);
create index http_session_expires on http_session (expires_at);
