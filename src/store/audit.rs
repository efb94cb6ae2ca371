//! The audit trail: chained, append-only writes inside the caller's transaction, the principal's
//! "who has acted for me" reads, and the chain check behind `verify-audit`.
//!
//! Every record carries `hash = SHA-256(prev_hash, at, actor, role, subject, action, object,
//! request id)` with `prev_hash` the hash of the record before it (by id). Writers are serialised on
//! the chain head: SQLite's write transactions already are (`BEGIN IMMEDIATE`); on PostgreSQL a
//! transaction-scoped advisory lock is taken before the head is read.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::lane::{GroupServer, Held, HeldConnection};
use super::{on_pool, on_tx, whole_seconds, Result, Store, Tx};

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor_id: i64,
    pub role: &'a str,
    pub subject_id: i64,
    pub action: &'a str,
    pub object: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

/// An audit record about a subject, with the actor's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor_first_names: String,
    pub actor_last_name: String,
    pub role: String,
    pub action: String,
    pub object: Option<String>,
}

/// A stored record as the chain check reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChainRow {
    pub audit_event_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: i64,
    pub role: String,
    pub subject_id: i64,
    pub action: String,
    pub object: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The key of the advisory lock that serialises PostgreSQL writers on the chain head.
const CHAIN_LOCK: i64 = 0x5057_4155_4449_5401;

/// The hash of a record: every field length-prefixed, so no two different records share an input.
pub fn chain_hash(prev_hash: &str, at: DateTime<Utc>, actor_id: i64, role: &str, subject_id: i64, action: &str, object: Option<&str>, request_id: Option<&str>) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(prev_hash);
    field(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    field(&actor_id.to_string());
    field(role);
    field(&subject_id.to_string());
    field(action);
    field(object.map_or("\u{0}none", |o| o));
    field(request_id.map_or("\u{0}none", |r| r));
    hex::encode(h.finalize())
}

/// Where the chain breaks, for `verify-audit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The record's hash does not match its fields (an edited record).
    Altered(i64),
    /// The record does not follow the one before it (a deleted, inserted or reordered record).
    Unlinked(i64),
    /// A record without a hash after the chain began.
    Unsealed(i64),
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered(id) => write!(f, "audit record {id}: its hash does not match its contents (edited)"),
            ChainBreak::Unlinked(id) => write!(f, "audit record {id}: does not follow the record before it (a record was deleted, inserted or reordered)"),
            ChainBreak::Unsealed(id) => write!(f, "audit record {id}: has no hash although the chain had begun"),
        }
    }
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Records written before the chain existed (no hash), at the start of the table.
    pub legacy: u64,
    pub verified: u64,
    pub first_break: Option<ChainBreak>,
}

/// Walks records in id order. Pure, so that it is tested without a database.
pub fn verify_chain(rows: impl IntoIterator<Item = ChainRow>) -> ChainReport {
    let mut report = ChainReport { legacy: 0, verified: 0, first_break: None };
    let mut prev: Option<String> = None;
    for r in rows {
        let Some(hash) = &r.hash else {
            if prev.is_none() {
                report.legacy += 1;
                continue;
            }
            report.first_break = Some(ChainBreak::Unsealed(r.audit_event_id));
            return report;
        };
        let expected_prev = prev.clone().unwrap_or_default();
        if r.prev_hash.clone().unwrap_or_default() != expected_prev {
            report.first_break = Some(ChainBreak::Unlinked(r.audit_event_id));
            return report;
        }
        let recomputed = chain_hash(&expected_prev, r.at, r.actor_id, &r.role, r.subject_id, &r.action, r.object.as_deref(), r.request_id.as_deref());
        if &recomputed != hash {
            report.first_break = Some(ChainBreak::Altered(r.audit_event_id));
            return report;
        }
        report.verified += 1;
        prev = Some(hash.clone());
    }
    report
}

impl Tx<'_> {
    /// Appends one audit record to the chain inside this transaction: it commits with the change
    /// it records, or neither is written.
    pub async fn append_audit(&mut self, e: &NewAuditEvent<'_>) -> Result<()> {
        self.append_audits(std::slice::from_ref(e)).await.map(|_| ())
    }

    /// Appends records to the chain and commits: all of them or none. Returns the new head.
    pub async fn commit_audits(mut self, events: &[NewAuditEvent<'_>]) -> Result<String> {
        let head = self.append_audits(events).await?;
        self.commit().await?;
        Ok(head)
    }

    /// Appends records to the chain in the given order, in one statement. Returns the new head.
    pub async fn append_audits(&mut self, events: &[NewAuditEvent<'_>]) -> Result<String> {
        if let Tx::Postgres(t) = self {
            sqlx::query("select pg_advisory_xact_lock($1)").bind(CHAIN_LOCK).execute(&mut **t).await?;
        }
        let prev: Option<Option<String>> = on_tx!(self, c => sqlx::query_scalar(
            "select hash from audit_event order by audit_event_id desc limit 1").fetch_optional(c).await)?;
        let head = prev.flatten().unwrap_or_default();
        if events.is_empty() {
            return Ok(head);
        }
        let at = whole_seconds(Utc::now());
        let (links, new_head) = chain_links(&head, at, events);
        // Ids follow the order of the VALUES list on both backends (one statement, one writer).
        for (chunk, chunk_links) in events.chunks(AUDITS_PER_STATEMENT).zip(links.chunks(AUDITS_PER_STATEMENT)) {
            on_tx!(self, c => {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into audit_event (at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash) ");
                qb.push_values(chunk.iter().zip(chunk_links), |mut b, (e, (prev_hash, hash))| {
                    b.push_bind(at).push_bind(e.actor_id).push_bind(e.role).push_bind(e.subject_id).push_bind(e.action)
                        .push_bind(e.object).push_bind(e.request_id).push_bind(prev_hash.as_str()).push_bind(hash.as_str());
                });
                qb.build().execute(c).await.map(|r| r.rows_affected())
            })?;
        }
        for _ in events {
            crate::observability::audit_appended();
        }
        Ok(new_head)
    }
}

/// `(prev_hash, hash)` of each record chained after `head`, and the new head.
fn chain_links(head: &str, at: DateTime<Utc>, events: &[NewAuditEvent<'_>]) -> (Vec<(String, String)>, String) {
    let mut prev = head.to_string();
    let mut links = Vec::with_capacity(events.len());
    for e in events {
        let hash = chain_hash(&prev, at, e.actor_id, e.role, e.subject_id, e.action, e.object, e.request_id);
        links.push((std::mem::replace(&mut prev, hash.clone()), hash));
    }
    (links, prev)
}

/// Audit records in one insert statement (9 parameters each).
const AUDITS_PER_STATEMENT: usize = 500;

/// At most this many requests' records share one transaction.
const MAX_GROUP: usize = 500;

/// An audit record owned by the writer's queue.
struct QueuedAudit {
    actor_id: i64,
    role: String,
    subject_id: i64,
    action: String,
    object: Option<String>,
    request_id: Option<String>,
    done: tokio::sync::oneshot::Sender<std::result::Result<(), GroupFailure>>,
}

/// Why a group's commit failed, told to every request in it.
#[derive(Debug, Clone)]
enum GroupFailure {
    Unavailable(String),
    Database(String),
}

/// Group commit for the audit records of views (DESIGN §4; issue #13): one writer task (a
/// [`super::lane`]) takes every record queued while the previous transaction committed and writes
/// them all in one transaction, on its own connection. Each request waits until its own record's
/// transaction has committed, so a failed commit still fails every request in it — nothing is
/// shown without its audit record — while concurrent requests share one write lock, one
/// chain-head read and one commit instead of one each. The chain stays serial: one writer per
/// process, and PostgreSQL's advisory lock across processes.
#[derive(Clone)]
pub struct AuditWriter {
    queue: tokio::sync::mpsc::UnboundedSender<QueuedAudit>,
}

/// The writer task's state: its connection and the chain head as it last left it.
struct AuditGroups {
    conn: HeldConnection,
    /// `None` after an error or before the first group: the next group reads the head afresh.
    head: Option<String>,
}

impl GroupServer for AuditGroups {
    type Job = QueuedAudit;

    async fn serve(&mut self, group: Vec<QueuedAudit>) {
        let events: Vec<NewAuditEvent> = group
            .iter()
            .map(|j| NewAuditEvent {
                actor_id: j.actor_id,
                role: &j.role,
                subject_id: j.subject_id,
                action: &j.action,
                object: j.object.as_deref(),
                request_id: j.request_id.as_deref(),
            })
            .collect();
        let started = std::time::Instant::now();
        let written = self.write(&events).await;
        if written.is_ok() {
            crate::observability::audit_committed(started.elapsed());
        }
        let outcome = written.map_err(|e| match e {
            super::StoreError::Unavailable(e) => GroupFailure::Unavailable(e.to_string()),
            other => GroupFailure::Database(other.to_string()),
        });
        drop(events);
        for job in group {
            // A request that has gone away (client closed) needs no answer.
            let _ = job.done.send(outcome.clone());
        }
    }
}

impl AuditGroups {
    /// Writes one group, remembering the head it leaves. On SQLite, when the head is still the
    /// one this writer left, the group goes in as one self-committing statement whose condition
    /// re-checks the head inside SQLite's write lock (one round trip instead of begin, read the
    /// head, insert, commit); if anything else wrote meanwhile (a change's own transaction,
    /// another process) nothing is inserted and the full transaction runs instead. PostgreSQL
    /// always takes the full path: its advisory lock is what serialises processes.
    async fn write(&mut self, events: &[NewAuditEvent<'_>]) -> Result<()> {
        let known = self.head.take();
        let result = async {
            if let (Held::Sqlite(c), Some(known)) = (self.conn.get().await?, known.as_deref()) {
                if events.len() <= AUDITS_PER_STATEMENT {
                    if let Some(head) = append_if_head_is(c, known, events).await? {
                        return Ok(head);
                    }
                }
            }
            self.conn.begin().await?.commit_audits(events).await
        }
        .await;
        match result {
            Ok(head) => {
                self.head = Some(head);
                Ok(())
            }
            Err(e) => {
                self.conn.after_error(&e);
                Err(e)
            }
        }
    }
}

/// The SQLite fast path of [`AuditGroups::write`]: `Some(new head)` if the records went in after
/// `known`, `None` (nothing written) if the head had moved.
async fn append_if_head_is(c: &mut sqlx::SqliteConnection, known: &str, events: &[NewAuditEvent<'_>]) -> Result<Option<String>> {
    let at = whole_seconds(Utc::now());
    let (links, new_head) = chain_links(known, at, events);
    let mut qb = sqlx::QueryBuilder::new(
        "insert into audit_event (at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash)
         select * from (");
    qb.push_values(events.iter().zip(&links), |mut b, (e, (prev_hash, hash))| {
        b.push_bind(at).push_bind(e.actor_id).push_bind(e.role).push_bind(e.subject_id).push_bind(e.action)
            .push_bind(e.object).push_bind(e.request_id).push_bind(prev_hash.as_str()).push_bind(hash.as_str());
    });
    qb.push(") where (select hash from audit_event order by audit_event_id desc limit 1) is ");
    qb.push_bind(known);
    let inserted = qb.build().execute(c).await?.rows_affected();
    if inserted != events.len() as u64 {
        return Ok(None);
    }
    for _ in events {
        crate::observability::audit_appended();
    }
    Ok(Some(new_head))
}

impl AuditWriter {
    /// Starts the writer task on the current runtime. It ends when every `AuditWriter` is dropped,
    /// after writing what was queued.
    pub fn start(store: Store) -> Self {
        AuditWriter { queue: super::lane::spawn(AuditGroups { conn: HeldConnection::new(store), head: None }, MAX_GROUP) }
    }

    /// Queues one record and waits for the commit of the transaction that holds it.
    pub async fn write(&self, e: &NewAuditEvent<'_>) -> Result<()> {
        let (done, committed) = tokio::sync::oneshot::channel();
        let job = QueuedAudit {
            actor_id: e.actor_id,
            role: e.role.to_string(),
            subject_id: e.subject_id,
            action: e.action.to_string(),
            object: e.object.map(str::to_string),
            request_id: e.request_id.map(str::to_string),
            done,
        };
        let stopped = || super::StoreError::Unavailable(sqlx::Error::WorkerCrashed);
        self.queue.send(job).map_err(|_| stopped())?;
        match committed.await.map_err(|_| stopped())? {
            Ok(()) => Ok(()),
            Err(GroupFailure::Unavailable(m)) => Err(super::StoreError::Unavailable(sqlx::Error::Protocol(m))),
            Err(GroupFailure::Database(m)) => Err(super::StoreError::Database(sqlx::Error::Protocol(m))),
        }
    }
}

impl Store {
    /// Writes one audit record on its own (a refusal outside a request's writer). The caller fails
    /// the request if this fails: no access without a trace.
    pub async fn audit(&self, e: &NewAuditEvent<'_>) -> Result<()> {
        self.audit_group(std::slice::from_ref(e)).await.map(|_| ())
    }

    /// Writes records in one transaction: all of them or none. Returns the new chain head.
    pub async fn audit_group(&self, events: &[NewAuditEvent<'_>]) -> Result<String> {
        let started = std::time::Instant::now();
        let head = self.begin().await?.commit_audits(events).await?;
        crate::observability::audit_committed(started.elapsed());
        Ok(head)
    }

    /// Every record in chain order, for `verify-audit`.
    pub async fn audit_chain(&self) -> Result<Vec<ChainRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ChainRow>(
            "select audit_event_id, at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash
             from audit_event order by audit_event_id").fetch_all(p).await)?)
    }

    /// Others' actions on `subject_id`'s data, newest first: `limit` rows from `offset`.
    pub async fn acted_for(&self, subject_id: i64, limit: i64, offset: i64) -> Result<Vec<AuditRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AuditRow>(
            "select a.at, p.first_names as actor_first_names, p.last_name as actor_last_name, a.role, a.action, a.object
             from audit_event a join person p on p.person_id = a.actor_id
             where a.subject_id = $1 and a.actor_id <> $1
             order by a.at desc, a.audit_event_id desc limit $2 offset $3")
            .bind(subject_id).bind(limit).bind(offset).fetch_all(p).await)?)
    }

    pub async fn count_acted_for(&self, subject_id: i64) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "select count(*) from audit_event where subject_id = $1 and actor_id <> $1")
            .bind(subject_id).fetch_one(p).await)?)
    }

    /// Every audit record of an actor, oldest first (for tests and operators).
    pub async fn audit_of_actor(&self, actor_id: i64) -> Result<Vec<(String, i64, String, Option<String>)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64, String, Option<String>)>(
            "select role, subject_id, action, object from audit_event where actor_id = $1 order by audit_event_id")
            .bind(actor_id).fetch_all(p).await)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<ChainRow> {
        let mut prev = String::new();
        (1..=n)
            .map(|i| {
                let at: DateTime<Utc> = "2026-11-25T10:00:00Z".parse().unwrap();
                let hash = chain_hash(&prev, at, 1, "own", 1, "view_records", None, Some("r"));
                let row = ChainRow { audit_event_id: i, at, actor_id: 1, role: "own".into(), subject_id: 1, action: "view_records".into(), object: None, request_id: Some("r".into()), prev_hash: Some(prev.clone()), hash: Some(hash.clone()) };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let r = verify_chain(chain(5));
        assert_eq!((r.verified, r.first_break), (5, None));
    }

    #[test]
    fn an_edited_deleted_or_reordered_record_is_named() {
        let mut c = chain(5);
        c[2].object = Some("x".into());
        assert_eq!(verify_chain(c).first_break, Some(ChainBreak::Altered(3)));
        let mut c = chain(5);
        c.remove(2);
        assert_eq!(verify_chain(c).first_break, Some(ChainBreak::Unlinked(4)));
        let mut c = chain(5);
        c.swap(1, 3);
        assert_eq!(verify_chain(c).first_break.map(|b| matches!(b, ChainBreak::Unlinked(_))), Some(true));
        let mut c = chain(3);
        c.push(ChainRow { hash: None, prev_hash: None, audit_event_id: 4, ..c[0].clone() });
        assert_eq!(verify_chain(c).first_break, Some(ChainBreak::Unsealed(4)));
    }

    #[test]
    fn legacy_rows_before_the_chain_are_counted_apart() {
        let mut c = chain(2);
        for row in &mut c {
            row.audit_event_id += 2;
        }
        let legacy = ChainRow { hash: None, prev_hash: None, audit_event_id: 1, ..c[0].clone() };
        let mut rows = vec![legacy.clone(), ChainRow { audit_event_id: 2, ..legacy }];
        rows.extend(c);
        let r = verify_chain(rows);
        assert_eq!((r.legacy, r.verified, r.first_break), (2, 2, None));
    }
}
