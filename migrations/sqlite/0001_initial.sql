-- The archive's data as imported from the feed (DESIGN §3), plus server-side sessions.
-- Dates are stored as YYYY-MM-DD text; instants as RFC 3339 text in UTC with whole seconds, so
-- that text comparison is time order.

create table organisation (
    organisation_id integer primary key,
    oid text not null unique,
    name_fi text not null,
    name_sv text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);

create table person (
    person_id integer primary key,
    hetu text not null unique,
    first_names text not null,
    last_name text not null,
    birth_date text not null,
    non_disclosure integer not null default 0,
    taken_into_care integer not null default 0,
    informed_on text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);

create table guardianship (
    guardianship_id integer primary key,
    guardian_id integer not null references person (person_id),
    child_id integer not null references person (person_id),
    kind text not null check (kind in ('guardian', 'information_right')),
    valid_from text not null,
    valid_until text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (guardian_id, child_id, kind)
);
create index guardianship_child on guardianship (child_id);

create table mandate (
    mandate_id integer primary key,
    principal_id integer not null references person (person_id),
    agent_id integer not null references person (person_id),
    valid_from text not null,
    valid_until text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (principal_id, agent_id, valid_from)
);
create index mandate_agent on mandate (agent_id);

create table client_relationship (
    client_relationship_id integer primary key,
    person_id integer not null references person (person_id),
    registrar_id integer not null references organisation (organisation_id),
    service_task text not null,
    started_on text not null,
    ended_on text,
    worker_name text,
    worker_title text,
    worker_unit text,
    worker_phone text,
    worker_email text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (person_id, registrar_id, service_task, started_on)
);

-- service_task '' is the registrar-wide date (service_task: null in the feed): NULL would not be
-- unique in either database.
create table visibility_start (
    visibility_start_id integer primary key,
    registrar_id integer not null references organisation (organisation_id),
    service_task text not null,
    from_date text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (registrar_id, service_task)
);

create table document (
    document_row_id integer primary key,
    document_id text not null,
    version integer not null,
    person_id integer not null references person (person_id),
    registrar_id integer not null references organisation (organisation_id),
    service_task text not null,
    service text,
    kind text not null,
    phase integer not null,
    status text not null check (status in ('active', 'invalidated')),
    joint_matter integer not null,
    document_created_at text not null,
    title text not null,
    language text not null,
    author text not null,
    unit text not null,
    sections text not null,
    delayed_until text,
    special_content integer not null,
    hidden_from_guardians integer not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (document_id, version)
);
create index document_person on document (person_id);

create table data_use (
    data_use_id integer primary key,
    event_id text not null unique,
    person_id integer not null references person (person_id),
    at text not null,
    action text not null,
    by_id integer not null references organisation (organisation_id),
    registrar_id integer not null references organisation (organisation_id),
    document_id text,
    basis text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
create index data_use_person_at on data_use (person_id, at);

create table consent (
    consent_id integer primary key,
    person_id integer not null references person (person_id),
    given integer not null,
    at text not null,
    set_by_person_id integer references person (person_id),
    set_by_role text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    unique (person_id, at)
);

create table prohibition (
    prohibition_row_id integer primary key,
    prohibition_id text not null unique,
    person_id integer not null references person (person_id),
    target_registrar_id integer references organisation (organisation_id),
    target_service_task text,
    target_document_id text,
    set_at text not null,
    revoked_at text,
    set_by_person_id integer references person (person_id),
    set_by_role text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
    check ((target_registrar_id is not null) + (target_service_task is not null) + (target_document_id is not null) = 1)
);
create index prohibition_person on prohibition (person_id);

create table http_session (
    session_key text primary key,
    state text not null,
    expires_at text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
create index http_session_expires on http_session (expires_at);
