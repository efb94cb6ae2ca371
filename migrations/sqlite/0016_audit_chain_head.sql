-- PostgreSQL keeps the chain's head in one row (its 0016: reading it from the monthly partitions
-- probed every one). SQLite's trail is one table whose newest row is one index step away: nothing
-- to keep. This migration keeps both backends' versions in step.
select 1;
