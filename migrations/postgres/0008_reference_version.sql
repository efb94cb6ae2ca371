-- Reference data (organisations, publication starts) is cached in each process; every import
-- bumps this counter in its own transaction, and each signed-in request reads it with the person,
-- so a process refreshes its cache on the first request after an import, whichever process ran it.
create table reference_version (
    id integer primary key check (id = 1),
    version bigint not null
);
insert into reference_version (id, version) values (1, 0);
