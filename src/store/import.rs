//! Writing the archive feed in batches, keyed as DESIGN §3 says, inside the one transaction the
//! caller holds for the whole file. Kept whole: the write side of one import transaction, each
//! record type's statements beside its columns.
//!
//! Memory stays flat however long the feed is: what the import must remember about earlier lines
//! (the keys it has seen, which person each document id belongs to) lives in the database, not in
//! the process — in two temporary tables of the same transaction, on disk; on PostgreSQL, for
//! documents and data-use events written, in their own tables (see
//! [`Tx::finds_repeats_when_written`]). Rows go in as upserts (multi-row on
//! PostgreSQL; on SQLite the bulk of them one row at a time through [`super::sqlite_direct`]), so a
//! re-import of the same file rewrites the same values and changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::archive::*;

use super::sqlite_direct::Handle;
use super::{Result, Store, Tx, on_tx};

/// Records read per type, for the import summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportCounts(pub BTreeMap<&'static str, usize>);

/// Rows per statement. At most 1 000: 20 columns × 1 000 stays below SQLite's 32 766 parameters
/// and PostgreSQL's 65 535. Only these four sizes, so that each table has at most four distinct
/// statements, all prepared once and reused (a statement per leftover size would be parsed and
/// planned anew for every batch).
const STATEMENT_SIZES: [usize; 4] = [1_000, 100, 10, 1];

/// `rows` cut into slices of the sizes above, largest first.
fn statement_chunks<T>(mut rows: &[T]) -> impl Iterator<Item = &[T]> {
    std::iter::from_fn(move || {
        let size = STATEMENT_SIZES.into_iter().find(|s| *s <= rows.len())?;
        let (chunk, rest) = rows.split_at(size);
        rows = rest;
        Some(chunk)
    })
}

/// One multi-row upsert per chunk of `$rows`: `$head` ends with `values`, `$tail` is the conflict
/// clause. `$push` binds one row's values through the `Separated` `$b`.
macro_rules! insert_rows {
    ($tx:expr, $rows:expr, $head:expr, $tail:expr, |$b:ident, $r:ident| $push:block) => {
        for chunk in statement_chunks(&$rows) {
            on_tx!($tx, c => {
                let mut qb = sqlx::QueryBuilder::new($head);
                qb.push_values(chunk.iter(), |mut $b, $r| $push);
                qb.push($tail);
                qb.build().execute(c).await.map(|r| r.rows_affected())
            })?;
        }
    };
}

/// `$head` (`select … where`) with `$column` among `$keys`, collecting `(String, $value)` pairs: on
/// PostgreSQL one statement with the keys as one array (`= any($1)`), on SQLite `in (…)` in chunks.
macro_rules! look_up {
    ($tx:expr, $keys:expr, $head:literal, $column:literal, $value:ty) => {{
        let mut found: HashMap<String, $value> = HashMap::new();
        if let Tx::Postgres(t) = $tx {
            if !$keys.is_empty() {
                let rows: Vec<(String, $value)> = sqlx::query_as(concat!($head, " ", $column, " = any($1::text[])"))
                    .bind($keys)
                    .fetch_all(&mut **t)
                    .await?;
                found.extend(rows);
            }
        } else {
            for chunk in statement_chunks($keys) {
                let rows: Vec<(String, $value)> = on_tx!($tx, c => {
                    let mut qb = sqlx::QueryBuilder::new(concat!($head, " ", $column, " in ("));
                    let mut list = qb.separated(", ");
                    for k in chunk {
                        list.push_bind(k.as_str());
                    }
                    qb.push(")");
                    qb.build_query_as().fetch_all(c).await
                })?;
                found.extend(rows);
            }
        }
        found
    }};
}

macro_rules! document_columns {
    () => {
        "document_id, version, person_id, registrar_id, service_task, service, kind, phase, status, joint_matter,
         document_created_at, title, language, author, unit, sections, delayed_until, special_content,
         hidden_from_guardians, attachment_of"
    };
}

macro_rules! document_upsert {
    () => {
        " on conflict (document_id, version) do update set person_id = excluded.person_id,
           registrar_id = excluded.registrar_id, service_task = excluded.service_task, service = excluded.service,
           kind = excluded.kind, phase = excluded.phase, status = excluded.status, joint_matter = excluded.joint_matter,
           document_created_at = excluded.document_created_at, title = excluded.title, language = excluded.language,
           author = excluded.author, unit = excluded.unit, sections = excluded.sections,
           delayed_until = excluded.delayed_until, special_content = excluded.special_content,
           hidden_from_guardians = excluded.hidden_from_guardians, attachment_of = excluded.attachment_of"
    };
}

/// The document's columns, in the order every statement below binds them (`$1`/`?1` … `$20`/`?20`).
/// A test (`tests/api/import.rs`) checks this list against the migrated schema of each backend and
/// each statement against the list, so that a column added in one place and not the others fails.
pub const DOCUMENT_COLUMNS: &str = document_columns!();

/// PostgreSQL: a batch of documents as one array per column, with each column's type. A row that
/// this transaction wrote already (its `xmin` is this transaction's id; the import uses no
/// savepoints) is a repeat of an earlier line of the file: it is left as it is, and the statement
/// returns the keys of such repeats — none, nearly always (see `Tx::finds_repeats_when_written`).
///
/// `xmin` is 32 bits: a row that an import wrote 2³² transactions ago, in the transaction whose id
/// this one now reuses, would be taken for a repeat. The mistake fails safe — the import refuses
/// with a duplicate error and writes nothing — and needs an exact match with one of the few
/// import transactions of a past epoch.
pub const DOCUMENT_INSERT_POSTGRES: &str = concat!(
    "with written as (insert into document (",
    document_columns!(),
    ") select * from unnest(
       $1::text[], $2::int4[], $3::int8[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::int4[], $9::text[],
       $10::bool[], $11::timestamptz[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
       $17::date[], $18::bool[], $19::bool[], $20::text[]) ",
    document_upsert!(),
    " where document.xmin <> pg_current_xact_id()::xid
      returning document_id, version)
    select k.id, k.version from unnest($1::text[], $2::int4[]) k(id, version)
    where not exists (select 1 from written w where w.document_id = k.id and w.version = k.version)"
);

/// SQLite: one document, inserted (see `sqlite_direct::Statement::insert_or_update`) …
pub const DOCUMENT_INSERT_SQLITE: &str = concat!(
    "insert into document (",
    document_columns!(),
    ")
    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
);

/// … or, where its `(document_id, version)` exists, updated with the same parameters.
pub const DOCUMENT_UPDATE_SQLITE: &str = "update document set person_id = ?3, registrar_id = ?4, service_task = ?5,
       service = ?6, kind = ?7, phase = ?8, status = ?9, joint_matter = ?10, document_created_at = ?11, title = ?12,
       language = ?13, author = ?14, unit = ?15, sections = ?16, delayed_until = ?17, special_content = ?18,
       hidden_from_guardians = ?19, attachment_of = ?20
     where document_id = ?1 and version = ?2";

/// A batch of documents as one array per column, for PostgreSQL's `unnest`.
#[derive(Default)]
struct DocumentColumns<'a> {
    id: Vec<&'a str>,
    version: Vec<i32>,
    person: Vec<i64>,
    registrar: Vec<i64>,
    task: Vec<&'static str>,
    service: Vec<Option<&'static str>>,
    kind: Vec<&'static str>,
    phase: Vec<i32>,
    status: Vec<&'static str>,
    joint: Vec<bool>,
    created: Vec<chrono::DateTime<chrono::Utc>>,
    title: Vec<&'a str>,
    language: Vec<&'static str>,
    author: Vec<&'a str>,
    unit: Vec<&'a str>,
    sections: Vec<String>,
    delayed: Vec<Option<chrono::NaiveDate>>,
    special: Vec<bool>,
    hidden: Vec<bool>,
    attachment: Vec<Option<&'a str>>,
}

impl<'a> DocumentColumns<'a> {
    fn push(&mut self, r: &'a Document, person: i64, registrar: i64) {
        self.id.push(&r.id);
        self.version.push(r.version);
        self.person.push(person);
        self.registrar.push(registrar);
        self.task.push(r.service_task.code());
        self.service.push(r.service.map(|s| s.code()));
        self.kind.push(r.kind.code());
        self.phase.push(r.phase);
        self.status.push(r.status.code());
        self.joint.push(r.joint_matter);
        self.created.push(r.created_at);
        self.title.push(&r.title);
        self.language.push(r.language.code());
        self.author.push(&r.author);
        self.unit.push(&r.unit);
        self.sections.push(serde_json::to_string(&r.sections).expect("sections serialise"));
        self.delayed.push(r.delayed_until);
        self.special.push(r.special_content);
        self.hidden.push(r.hidden_from_guardians);
        self.attachment.push(r.attachment_of.as_deref());
    }
}

impl Tx<'_> {
    /// Creates the import's scratch tables (dropped at commit or rollback). On SQLite they are
    /// kept in a temporary file, not in memory, so that a feed of any length fits.
    pub async fn start_import(&mut self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => {
                for sql in [
                    "pragma temp_store = file",
                    // A larger page cache than the 2 MB default: the unique indexes take random
                    // inserts, and a small cache writes the same pages to the WAL over and over.
                    "pragma cache_size = -49152",
                    // The scratch tables live in the temporary database, whose own cache is the
                    // 2 MB default: at millions of lines their keys (random, as record keys are)
                    // would go to the temporary file and back on nearly every insert. Bounded, as
                    // the main cache is.
                    "pragma temp.cache_size = -98304",
                    "drop table if exists temp.import_key",
                    "drop table if exists temp.import_document",
                    "create temp table import_key (key text primary key) without rowid",
                    "create temp table import_document (document_id text primary key, owner text not null) without rowid",
                ] {
                    sqlx::query(sql).execute(&mut **t).await?;
                }
            }
            Tx::Postgres(t) => {
                for sql in [
                    // The tables grow from nothing inside this transaction, unanalysed: the planner
                    // would scan them whole for every batch's look-ups (quadratic). Each look-up
                    // has its index; use it.
                    "set local enable_seqscan = off",
                    // Plans for these statements do not depend on the values: plan once, not per batch.
                    "set local plan_cache_mode = force_generic_plan",
                    "create temp table import_key (key text collate \"C\" primary key) on commit drop",
                    "create temp table import_document (document_id text collate \"C\" primary key, owner text not null) on commit drop",
                ] {
                    sqlx::query(sql).execute(&mut **t).await?;
                }
            }
        }
        Ok(())
    }

    /// Drops the scratch tables before a commit (PostgreSQL drops them itself), and tells every
    /// process that reference data may have changed (see [`super::ReferenceCache`]).
    pub async fn end_import(&mut self) -> Result<()> {
        on_tx!(self, c => sqlx::query("update reference_version set version = version + 1").execute(c).await.map(|r| r.rows_affected()))?;
        if let Tx::Sqlite(t) = self {
            sqlx::query("drop table temp.import_key").execute(&mut **t).await?;
            sqlx::query("drop table temp.import_document").execute(&mut **t).await?;
            sqlx::query("pragma cache_size = -2000").execute(&mut **t).await?;
            sqlx::query("pragma temp.cache_size = -2000").execute(&mut **t).await?;
        }
        Ok(())
    }

    /// Whether a document's or a data-use event's repeat of an earlier line is found as it is
    /// written (PostgreSQL, see [`Self::write_batch`]) rather than by claiming its key first.
    /// Those tables hold the key as their own unique key, which the write probes anyway; a
    /// million claims in the scratch table cost a fifth of the import (issue #36).
    pub fn finds_repeats_when_written(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }

    /// Records `to_claim` as seen in this file, and returns those of `to_claim` and `to_look_up`
    /// that were claimed before (duplicates): `to_look_up` is only looked up (the repeats of lines
    /// left unwritten, see [`Self::claim_unwritten`]; there are none before an error).
    pub async fn claim_keys(&mut self, to_claim: &[&str], to_look_up: &[&str]) -> Result<HashSet<String>> {
        if let Tx::Postgres(t) = self {
            // Only the keys already there come back (none, nearly always): returning every new key
            // sent a million strings back over the wire per million lines, to be hashed here.
            let mut repeated: HashSet<String> = sqlx::query_scalar(
                "with claimed as (insert into import_key (key) select unnest($1::text[]) on conflict do nothing returning key)
                 select k from unnest($1::text[]) k where not exists (select 1 from claimed c where c.key = k)",
            )
            .bind(to_claim)
            .fetch_all(&mut **t)
            .await?
            .into_iter()
            .collect();
            if !to_look_up.is_empty() {
                let found: Vec<String> = sqlx::query_scalar("select key from import_key where key = any($1::text[])")
                    .bind(to_look_up)
                    .fetch_all(&mut **t)
                    .await?;
                repeated.extend(found);
            }
            return Ok(repeated);
        }
        let Tx::Sqlite(t) = self else { unreachable!("PostgreSQL returned above") };
        // SQLite claims every key: it finds no repeat when writing.
        debug_assert!(to_look_up.is_empty(), "SQLite claims every key");
        // One row at a time, directly (see `sqlite_direct`): a key that changes no row was seen before.
        let handle = Handle::lock(t).await?;
        let mut claim = handle.prepare("insert into import_key (key) values (?1) on conflict do nothing")?;
        let mut repeated = HashSet::new();
        for key in to_claim {
            if claim.run(&[(*key).into()])? == 0 {
                repeated.insert(key.to_string());
            }
        }
        Ok(repeated)
    }

    /// For records of this batch left unwritten (they have an error) whose repeats are found when
    /// written ([`Self::finds_repeats_when_written`]): returns the positions of those that repeat a
    /// record written earlier in this file, and claims the keys (`keys`, one per record) of the
    /// rest, so that a later repeat of them is found by [`Self::claim_keys`].
    pub async fn claim_unwritten(&mut self, records: &[&Record], keys: &[String]) -> Result<Vec<usize>> {
        let Tx::Postgres(t) = self else { return Ok(Vec::new()) };
        let (mut ids, mut versions, mut events) = (Vec::new(), Vec::new(), Vec::new());
        for r in records {
            match r {
                Record::Document(d) => {
                    ids.push(d.id.as_str());
                    versions.push(d.version);
                }
                Record::DataUse(e) => events.push(e.id.as_str()),
                _ => {}
            }
        }
        // A row this transaction wrote has its id as `xmin` (the import uses no savepoints).
        let documents: Vec<(String, i32)> = sqlx::query_as(
            "select d.document_id, d.version from document d join unnest($1::text[], $2::int4[]) k(id, version)
               on d.document_id = k.id and d.version = k.version
             where d.xmin = pg_current_xact_id()::xid",
        )
        .bind(&ids)
        .bind(&versions)
        .fetch_all(&mut **t)
        .await?;
        let data_use: Vec<String> = sqlx::query_scalar(
            "select event_id from data_use where event_id = any($1::text[]) and xmin = pg_current_xact_id()::xid",
        )
        .bind(&events)
        .fetch_all(&mut **t)
        .await?;
        let documents: HashSet<(String, i32)> = documents.into_iter().collect();
        let data_use: HashSet<String> = data_use.into_iter().collect();
        let repeats: Vec<usize> = records
            .iter()
            .enumerate()
            .filter(|(_, r)| match r {
                Record::Document(d) => documents.contains(&(d.id.clone(), d.version)),
                Record::DataUse(e) => data_use.contains(&e.id),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        let rest: Vec<&str> =
            keys.iter().enumerate().filter(|(i, _)| !repeats.contains(i)).map(|(_, k)| k.as_str()).collect();
        self.claim_keys(&rest, &[]).await?;
        Ok(repeats)
    }

    /// Remembers which person each document id of this file belongs to (the first one wins), for
    /// `(id, owner, written)`. On PostgreSQL the written ones are not copied: the document table
    /// itself answers for them ([`Self::file_document_owners`]), and only an unwritten one whose
    /// id no written row of this file has is kept.
    pub async fn remember_documents(&mut self, documents: &[(&str, &str, bool)]) -> Result<()> {
        if let Tx::Postgres(t) = self {
            let (ids, owners): (Vec<&str>, Vec<&str>) =
                documents.iter().filter(|(_, _, written)| !written).map(|(id, owner, _)| (*id, *owner)).unzip();
            if ids.is_empty() {
                return Ok(());
            }
            sqlx::query(
                "insert into import_document (document_id, owner)
                 select * from unnest($1::text[], $2::text[]) k(id, owner)
                 where not exists (select 1 from document d where d.document_id = k.id and d.xmin = pg_current_xact_id()::xid)
                 on conflict do nothing",
            )
            .bind(ids)
            .bind(owners)
            .execute(&mut **t)
            .await?;
            return Ok(());
        }
        let Tx::Sqlite(t) = self else { unreachable!("PostgreSQL returned above") };
        let handle = Handle::lock(t).await?;
        let mut remember = handle
            .prepare("insert into import_document (document_id, owner) values (?1, ?2) on conflict do nothing")?;
        for (id, owner, _) in documents {
            remember.run(&[(*id).into(), (*owner).into()])?;
        }
        Ok(())
    }

    /// The owners (henkilötunnus) of document ids seen earlier in this file: on PostgreSQL the
    /// documents this transaction wrote and the unwritten ones remembered (they never disagree:
    /// a version for another person is an error, left unwritten and not remembered).
    pub async fn file_document_owners(&mut self, ids: &[String]) -> Result<HashMap<String, String>> {
        if let Tx::Postgres(t) = self {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "select distinct d.document_id, p.hetu from document d join person p on p.person_id = d.person_id
                 where d.document_id = any($1::text[]) and d.xmin = pg_current_xact_id()::xid
                 union
                 select document_id, owner from import_document where document_id = any($1::text[])",
            )
            .bind(ids)
            .fetch_all(&mut **t)
            .await?;
            return Ok(rows.into_iter().collect());
        }
        Ok(look_up!(self, ids, "select document_id, owner from import_document where", "document_id", String))
    }

    /// The owners (henkilötunnus) of stored documents.
    pub async fn stored_document_owners(&mut self, ids: &[String]) -> Result<HashMap<String, String>> {
        Ok(look_up!(
            self,
            ids,
            "select distinct d.document_id, p.hetu from document d join person p on p.person_id = d.person_id where",
            "d.document_id",
            String
        ))
    }

    /// Person ids by henkilötunnus, for those that exist.
    pub async fn person_ids(&mut self, hetus: &[String]) -> Result<HashMap<String, i64>> {
        Ok(look_up!(self, hetus, "select hetu, person_id from person where", "hetu", i64))
    }

    /// Every organisation's id by OID (there are hundreds, not millions).
    pub async fn organisation_ids(&mut self) -> Result<HashMap<String, i64>> {
        let rows: Vec<(String, i64)> =
            on_tx!(self, c => sqlx::query_as("select oid, organisation_id from organisation").fetch_all(c).await)?;
        Ok(rows.into_iter().collect())
    }

    /// Upserts checked records. Every reference was checked before, so `organisations` and the
    /// persons of this batch and the database resolve them all; a missing one is a bug. Returns
    /// the positions in `records` of those found to repeat an earlier line of the file as they were
    /// written (left unwritten; see [`Self::finds_repeats_when_written`]).
    pub async fn write_batch(
        &mut self,
        records: &[&Record],
        organisations: &mut HashMap<String, i64>,
    ) -> Result<Vec<usize>> {
        let mut repeats = Vec::new();
        let orgs: Vec<&Organisation> =
            records.iter().filter_map(|r| if let Record::Organisation(o) = r { Some(o) } else { None }).collect();
        for chunk in statement_chunks(&orgs) {
            let rows: Vec<(String, i64)> = on_tx!(self, c => {
                let mut qb = sqlx::QueryBuilder::new("insert into organisation (oid, name_fi, name_sv, joined_kanta_on, contact, data_protection_contact) ");
                qb.push_values(chunk.iter(), |mut b, r| {
                    b.push_bind(&r.oid).push_bind(&r.name_fi).push_bind(&r.name_sv).push_bind(r.joined_kanta_on)
                        .push_bind(r.contact.as_ref().map(|c| serde_json::to_string(c).expect("a contact serialises")))
                        .push_bind(r.data_protection_contact.as_ref().map(|c| serde_json::to_string(c).expect("a contact serialises")));
                });
                qb.push(" on conflict (oid) do update set name_fi = excluded.name_fi, name_sv = excluded.name_sv,
                       joined_kanta_on = excluded.joined_kanta_on, contact = excluded.contact,
                       data_protection_contact = excluded.data_protection_contact returning oid, organisation_id");
                qb.build_query_as().fetch_all(c).await
            })?;
            organisations.extend(rows);
        }
        let persons: Vec<&Person> =
            records.iter().filter_map(|r| if let Record::Person(p) = r { Some(p) } else { None }).collect();
        insert_rows!(
            self,
            persons,
            "insert into person (hetu, first_names, last_name, birth_date, non_disclosure, taken_into_care, informed_on) ",
            " on conflict (hetu) do update set first_names = excluded.first_names, last_name = excluded.last_name,
               non_disclosure = excluded.non_disclosure, taken_into_care = excluded.taken_into_care,
               informed_on = excluded.informed_on",
            |b, r| {
                b.push_bind(r.hetu.as_str())
                    .push_bind(&r.first_names)
                    .push_bind(&r.last_name)
                    .push_bind(r.hetu.birth_date())
                    .push_bind(r.non_disclosure)
                    .push_bind(r.taken_into_care)
                    .push_bind(r.informed_on);
            }
        );

        let mut hetus: Vec<String> = records.iter().flat_map(|r| referenced_persons(r)).map(str::to_string).collect();
        hetus.sort_unstable();
        hetus.dedup();
        let people = self.person_ids(&hetus).await?;
        let pid = |h: &str| people.get(h).copied().expect("a checked person reference resolves");
        let org = |o: &str| organisations.get(o).copied().expect("a checked organisation reference resolves");
        let set_by = |s: &Option<SetBy>| (s.as_ref().map(|s| pid(s.hetu.as_str())), s.as_ref().map(|s| s.role.code()));

        macro_rules! of_kind {
            ($variant:ident) => {
                records
                    .iter()
                    .filter_map(|r| if let Record::$variant(x) = r { Some(x) } else { None })
                    .collect::<Vec<_>>()
            };
        }
        insert_rows!(
            self,
            of_kind!(Guardianship),
            "insert into guardianship (guardian_id, child_id, kind, valid_from, valid_until) ",
            " on conflict (guardian_id, child_id, kind) do update set valid_from = excluded.valid_from, valid_until = excluded.valid_until",
            |b, r| {
                b.push_bind(pid(r.guardian.as_str()))
                    .push_bind(pid(r.child.as_str()))
                    .push_bind(r.kind.code())
                    .push_bind(r.valid_from)
                    .push_bind(r.valid_until);
            }
        );
        insert_rows!(
            self,
            of_kind!(Mandate),
            "insert into mandate (principal_id, agent_id, valid_from, valid_until) ",
            " on conflict (principal_id, agent_id, valid_from) do update set valid_until = excluded.valid_until",
            |b, r| {
                b.push_bind(pid(r.principal.as_str()))
                    .push_bind(pid(r.agent.as_str()))
                    .push_bind(r.valid_from)
                    .push_bind(r.valid_until);
            }
        );
        insert_rows!(self, of_kind!(ClientRelationship),
            "insert into client_relationship (person_id, registrar_id, service_task, started_on, ended_on,
               worker_name, worker_title, worker_unit, worker_phone, worker_email, service, hidden_from_guardians) ",
            " on conflict (person_id, registrar_id, service_task, started_on) do update set ended_on = excluded.ended_on,
               service = excluded.service, hidden_from_guardians = excluded.hidden_from_guardians,
               worker_name = excluded.worker_name, worker_title = excluded.worker_title, worker_unit = excluded.worker_unit,
               worker_phone = excluded.worker_phone, worker_email = excluded.worker_email",
            |b, r| {
                let w = r.own_worker.as_ref();
                b.push_bind(pid(r.person.as_str())).push_bind(org(&r.registrar)).push_bind(r.service_task.code())
                    .push_bind(r.started_on).push_bind(r.ended_on)
                    .push_bind(w.map(|w| w.name.as_str())).push_bind(w.and_then(|w| w.title.as_deref()))
                    .push_bind(w.and_then(|w| w.unit.as_deref())).push_bind(w.and_then(|w| w.phone.as_deref()))
                    .push_bind(w.and_then(|w| w.email.as_deref()))
                    .push_bind(r.service.map(|s| s.code())).push_bind(r.hidden_from_guardians);
            });
        insert_rows!(
            self,
            of_kind!(VisibilityStart),
            "insert into visibility_start (registrar_id, service_task, from_date) ",
            " on conflict (registrar_id, service_task) do update set from_date = excluded.from_date",
            |b, r| {
                b.push_bind(org(&r.registrar)).push_bind(r.service_task.map_or("", |t| t.code())).push_bind(r.from);
            }
        );
        let documents = of_kind!(Document);
        if documents.is_empty() {
        } else if let Tx::Postgres(t) = self {
            // One array per column: PostgreSQL binds 20 arrays instead of 20 000 values.
            let mut c = DocumentColumns::default();
            for r in &documents {
                c.push(r, pid(r.person.as_str()), org(&r.registrar));
            }
            let rows: Vec<(String, i32)> = sqlx::query_as(DOCUMENT_INSERT_POSTGRES)
                .bind(c.id)
                .bind(c.version)
                .bind(c.person)
                .bind(c.registrar)
                .bind(c.task)
                .bind(c.service)
                .bind(c.kind)
                .bind(c.phase)
                .bind(c.status)
                .bind(c.joint)
                .bind(c.created)
                .bind(c.title)
                .bind(c.language)
                .bind(c.author)
                .bind(c.unit)
                .bind(c.sections)
                .bind(c.delayed)
                .bind(c.special)
                .bind(c.hidden)
                .bind(c.attachment)
                .fetch_all(&mut **t)
                .await?;
            let rows: HashSet<(String, i32)> = rows.into_iter().collect();
            repeats.extend(records.iter().enumerate().filter_map(|(i, r)| match r {
                Record::Document(d) if rows.contains(&(d.id.clone(), d.version)) => Some(i),
                _ => None,
            }));
        } else if let Tx::Sqlite(t) = self {
            let handle = Handle::lock(t).await?;
            let mut insert = handle.prepare(DOCUMENT_INSERT_SQLITE)?;
            let mut update = handle.prepare(DOCUMENT_UPDATE_SQLITE)?;
            for r in &documents {
                let sections = serde_json::to_string(&r.sections).expect("sections serialise");
                insert.insert_or_update(
                    &mut update,
                    &[
                        (&r.id).into(),
                        r.version.into(),
                        pid(r.person.as_str()).into(),
                        org(&r.registrar).into(),
                        r.service_task.code().into(),
                        r.service.map(|s| s.code()).into(),
                        r.kind.code().into(),
                        r.phase.into(),
                        r.status.code().into(),
                        r.joint_matter.into(),
                        r.created_at.into(),
                        (&r.title).into(),
                        r.language.code().into(),
                        (&r.author).into(),
                        (&r.unit).into(),
                        sections.into(),
                        r.delayed_until.into(),
                        r.special_content.into(),
                        r.hidden_from_guardians.into(),
                        r.attachment_of.as_deref().into(),
                    ],
                )?;
            }
        }
        let events = of_kind!(DataUse);
        macro_rules! data_use_upsert {
            () => {
                " on conflict (event_id) do update set person_id = excluded.person_id, at = excluded.at,
                   action = excluded.action, by_id = excluded.by_id, registrar_id = excluded.registrar_id,
                   document_id = excluded.document_id, basis = excluded.basis, service = excluded.service"
            };
        }
        if events.is_empty() {
        } else if let Tx::Postgres(t) = self {
            // One column vector per `unnest` parameter, in its order: a named type would only
            // repeat the statement's column list.
            #[allow(clippy::type_complexity)]
            let mut c: (
                Vec<&str>,
                Vec<i64>,
                Vec<chrono::DateTime<chrono::Utc>>,
                Vec<&str>,
                Vec<i64>,
                Vec<i64>,
                Vec<Option<&str>>,
                Vec<&str>,
                Vec<Option<&str>>,
            ) = Default::default();
            for r in &events {
                c.0.push(&r.id);
                c.1.push(pid(r.person.as_str()));
                c.2.push(r.at);
                c.3.push(r.action.code());
                c.4.push(org(&r.by));
                c.5.push(org(&r.registrar));
                c.6.push(r.document.as_deref());
                c.7.push(r.basis.code());
                c.8.push(r.service.map(|s| s.code()));
            }
            // A repeat of an earlier line is left as it is and named, as for documents above.
            let rows: Vec<String> = sqlx::query_scalar(concat!(
                "with written as (insert into data_use (event_id, person_id, at, action, by_id, registrar_id, document_id, basis, service)
                 select * from unnest($1::text[], $2::int8[], $3::timestamptz[], $4::text[], $5::int8[], $6::int8[], $7::text[],
                   $8::text[], $9::text[]) ", data_use_upsert!(), " where data_use.xmin <> pg_current_xact_id()::xid
                 returning event_id)
                 select k from unnest($1::text[]) k where not exists (select 1 from written w where w.event_id = k)"))
                .bind(c.0).bind(c.1).bind(c.2).bind(c.3).bind(c.4).bind(c.5).bind(c.6).bind(c.7).bind(c.8)
                .fetch_all(&mut **t)
                .await?;
            let rows: HashSet<String> = rows.into_iter().collect();
            repeats.extend(records.iter().enumerate().filter_map(|(i, r)| match r {
                Record::DataUse(e) if rows.contains(&e.id) => Some(i),
                _ => None,
            }));
        } else if let Tx::Sqlite(t) = self {
            let handle = Handle::lock(t).await?;
            let mut insert = handle.prepare(
                "insert into data_use (event_id, person_id, at, action, by_id, registrar_id, document_id, basis, service)
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
            let mut update = handle.prepare(
                "update data_use set person_id = ?2, at = ?3, action = ?4, by_id = ?5, registrar_id = ?6, document_id = ?7,
                   basis = ?8, service = ?9
                 where event_id = ?1")?;
            for r in &events {
                insert.insert_or_update(
                    &mut update,
                    &[
                        (&r.id).into(),
                        pid(r.person.as_str()).into(),
                        r.at.into(),
                        r.action.code().into(),
                        org(&r.by).into(),
                        org(&r.registrar).into(),
                        r.document.as_deref().into(),
                        r.basis.code().into(),
                        r.service.map(|s| s.code()).into(),
                    ],
                )?;
            }
        }
        insert_rows!(
            self,
            of_kind!(Consent),
            "insert into consent (person_id, given, at, set_by_person_id, set_by_role) ",
            " on conflict (person_id, at) do update set given = excluded.given,
               set_by_person_id = excluded.set_by_person_id, set_by_role = excluded.set_by_role",
            |b, r| {
                let (by, role) = set_by(&r.set_by);
                b.push_bind(pid(r.person.as_str())).push_bind(r.given).push_bind(r.at).push_bind(by).push_bind(role);
            }
        );
        insert_rows!(
            self,
            of_kind!(Prohibition),
            "insert into prohibition (prohibition_id, person_id, target_registrar_id, target_service_task,
               target_document_id, set_at, revoked_at, set_by_person_id, set_by_role) ",
            " on conflict (prohibition_id) do update set person_id = excluded.person_id,
               target_registrar_id = excluded.target_registrar_id, target_service_task = excluded.target_service_task,
               target_document_id = excluded.target_document_id, set_at = excluded.set_at,
               revoked_at = excluded.revoked_at, set_by_person_id = excluded.set_by_person_id,
               set_by_role = excluded.set_by_role",
            |b, r| {
                let (by, role) = set_by(&r.set_by);
                let (reg, task, doc) = match &r.target {
                    ProhibitionTarget::Registrar(oid) => (Some(org(oid)), None, None),
                    ProhibitionTarget::ServiceTask(t) => (None, Some(t.code()), None),
                    ProhibitionTarget::Document(d) => (None, None, Some(d.as_str())),
                };
                b.push_bind(&r.id)
                    .push_bind(pid(r.person.as_str()))
                    .push_bind(reg)
                    .push_bind(task)
                    .push_bind(doc)
                    .push_bind(r.set_at)
                    .push_bind(r.revoked_at)
                    .push_bind(by)
                    .push_bind(role);
            }
        );
        Ok(repeats)
    }
}

/// The persons a record refers to (not the one it defines).
fn referenced_persons(record: &Record) -> Vec<&str> {
    fn by(s: &Option<SetBy>) -> Option<&str> {
        s.as_ref().map(|s| s.hetu.as_str())
    }
    match record {
        Record::Organisation(_) | Record::Person(_) => vec![],
        Record::Guardianship(r) => vec![r.guardian.as_str(), r.child.as_str()],
        Record::Mandate(r) => vec![r.principal.as_str(), r.agent.as_str()],
        Record::ClientRelationship(r) => vec![r.person.as_str()],
        Record::VisibilityStart(_) => vec![],
        Record::Document(r) => vec![r.person.as_str()],
        Record::DataUse(r) => vec![r.person.as_str()],
        Record::Consent(r) => [Some(r.person.as_str()), by(&r.set_by)].into_iter().flatten().collect(),
        Record::Prohibition(r) => [Some(r.person.as_str()), by(&r.set_by)].into_iter().flatten().collect(),
    }
}

impl Store {
    /// Refreshes the planner's statistics after an import changed the tables' sizes: PostgreSQL
    /// `ANALYZE` (a role that may not analyse a table gets a warning, not an error), SQLite
    /// `PRAGMA optimize` (analyses what needs it) and a truncating checkpoint.
    pub async fn refresh_statistics(&self) -> Result<()> {
        match self {
            Store::Sqlite(p) => {
                sqlx::query("pragma optimize = 0x10002").execute(p).await?;
                // A large import leaves a write-ahead log as large as what it wrote; once it is
                // copied into the database, give the disk space back.
                sqlx::query("pragma wal_checkpoint(truncate)").execute(p).await.map(|r| r.rows_affected())?
            }
            Store::Postgres(p) => sqlx::query(
                "analyze organisation, person, guardianship, mandate, client_relationship, visibility_start, document, data_use, consent, prohibition",
            )
            .execute(p)
            .await
            .map(|r| r.rows_affected())?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_are_cut_into_the_four_statement_sizes() {
        let rows: Vec<usize> = (0..1_234).collect();
        let sizes: Vec<usize> = super::statement_chunks(&rows).map(<[usize]>::len).collect();
        assert_eq!(sizes, vec![1_000, 100, 100, 10, 10, 10, 1, 1, 1, 1]);
        assert_eq!(super::statement_chunks(&rows).flatten().copied().collect::<Vec<_>>(), rows);
        assert_eq!(super::statement_chunks::<u8>(&[]).count(), 0);
    }
}
