-- A database that `demo` has run on is marked: an import into it takes test identity codes only
-- (individual number 900–999), so a running demo can never be made to show a real-looking person.
create table demo_database (
    id integer primary key check (id = 1),
    marked_at text not null
);
