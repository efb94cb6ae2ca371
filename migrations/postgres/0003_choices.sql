-- Disclosure choices made in the portal (DESIGN §2.5). History is never deleted: every change is
-- a new row; the current state is derived.
create table informing_acknowledgement (
    informing_acknowledgement_id bigint generated always as identity primary key,
    person_id bigint not null references person (person_id),
    acknowledged_on date not null,
    at timestamptz not null,
    set_by_person_id bigint not null references person (person_id),
    set_by_role text not null,
    created_at timestamptz not null default date_trunc('second', now())
);
create index informing_acknowledgement_person on informing_acknowledgement (person_id);

create table prohibition_revocation (
    prohibition_revocation_id bigint generated always as identity primary key,
    prohibition_row_id bigint not null unique references prohibition (prohibition_row_id),
    revoked_at timestamptz not null,
    set_by_person_id bigint not null references person (person_id),
    set_by_role text not null,
    created_at timestamptz not null default date_trunc('second', now())
);
