-- Accessibility feedback (law 306/2019): kept for the operator, who answers within 14 days.
create table feedback (
    feedback_id integer primary key,
    received_at text not null,
    answer_by text not null,
    lang text not null,
    page text,
    message text not null,
    contact text,
    person_id integer references person (person_id),
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
