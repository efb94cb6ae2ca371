-- PostgreSQL partitions the audit trail by month (its 0012); SQLite keeps one table (one machine's
-- volume). Both get the index "who acted for me" pages through: others' actions on a subject,
-- newest first, read a page at a time from a (time, id) cursor.
create index audit_event_acted_for on audit_event (subject_id, at desc, audit_event_id desc, actor_id) where actor_id <> subject_id;
