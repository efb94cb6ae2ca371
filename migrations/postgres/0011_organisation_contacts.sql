-- An organisation's contact details for its clients and its data protection contact (DESIGN §3),
-- each as the JSON object the feed carries (every field optional); null when the feed gives none.
alter table organisation add column contact text;
alter table organisation add column data_protection_contact text;
