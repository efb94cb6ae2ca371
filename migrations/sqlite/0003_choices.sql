-- Disclosure choices made in the portal (DESIGN §2.5). History is never deleted: every change is
-- a new row; the current state is derived.
create table informing_acknowledgement (
    informing_acknowledgement_id integer primary key,
    person_id integer not null references person (person_id),
    acknowledged_on text not null,
    at text not null,
    set_by_person_id integer not null references person (person_id),
    set_by_role text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
create index informing_acknowledgement_person on informing_acknowledgement (person_id);

create table prohibition_revocation (
    prohibition_revocation_id integer primary key,
    prohibition_row_id integer not null unique references prohibition (prohibition_row_id),
    revoked_at text not null,
    set_by_person_id integer not null references person (person_id),
    set_by_role text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
