-- Feedback is limited per signed-in person across sessions (a few messages an hour), counted in
-- the transaction that stores. `sender_key` is a keyed hash of the sender (never shown, never the
-- identity the sender chose not to attach): it only lets the count find the same person again.
alter table feedback add column sender_key text;
create index feedback_sender on feedback (sender_key, received_at);
