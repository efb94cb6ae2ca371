-- DESIGN §2.2–§2.6 as the seeds reach further: when a registrar joined Kanta (rule 2), services and
-- a guardian restriction on client relationships (§2.3), attachments (§2.2) and services on data-use
-- events (§2.6).
alter table organisation add column joined_kanta_on text;
alter table client_relationship add column service text;
alter table client_relationship add column hidden_from_guardians integer not null default 0;
alter table document add column attachment_of text;
alter table data_use add column service text;
