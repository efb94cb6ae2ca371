-- Sessions the citizen controls (ASVS V7.5): whose session a row is, so that a person can list and
-- end their own sessions. Filled from the session state on every save.
alter table http_session add column person_id integer;
create index http_session_person on http_session (person_id);
