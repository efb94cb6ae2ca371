-- Accessibility feedback (law 306/2019): kept for the operator, who answers within 14 days.
create table feedback (
    feedback_id bigint generated always as identity primary key,
    received_at timestamptz not null,
    answer_by date not null,
    lang text not null,
    page text,
    message text not null,
    contact text,
    person_id bigint references person (person_id),
    created_at timestamptz not null default date_trunc('second', now())
);
