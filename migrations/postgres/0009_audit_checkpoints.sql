-- Signed checkpoints of the audit chain: a copy of each line appended to audit.checkpoint_file,
-- read by the instances to take turns (one checkpoint per interval) and to count records since
-- the last one. The file outside the database is the evidence; these rows only coordinate.
create table audit_checkpoint (
    checkpoint_id bigint generated always as identity primary key,
    records bigint not null,
    last_id bigint not null,
    head text not null,
    at timestamptz not null,
    key_id text not null,
    signature text not null
);

-- The chain key of a demo database (demo and tests without audit.chain_key): not a secret, never
-- evidence; production keeps its key outside the database.
create table demo_chain_key (
    id integer primary key check (id = 1),
    chain_key text not null
);
