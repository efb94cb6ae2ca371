//! The audit trail in the database: chained, append-only writes inside the caller's transaction
//! (and the group writer for views), the principal's "who has acted for me" reads, the rows the
//! chain check streams, the checkpoints' coordination rows and a month's partition for the archive.
//! The chain's hashing and verification are pure, in [`crate::audit`]. Kept whole: every statement
//! that reads or writes `audit_event` and `audit_checkpoint` is here, so that the append-only and
//! chain guarantees are reviewed in one file.
//!
//! Writers are serialised on the chain head: SQLite's write transactions already are (`BEGIN
//! IMMEDIATE`); on PostgreSQL a transaction-scoped advisory lock is taken before the head is read.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::audit::acted_for::{ActedForReport, ActedForRow};
use crate::audit::checkpoint::Checkpoint;
use crate::audit::{ChainKey, ChainRow, ChainVerifier, keyed_chain_hash};

use super::lane::{GroupServer, Held, HeldConnection};
use super::{Result, Store, StoreError, Tx, on_pool, on_tx, whole_seconds};

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    /// The chain key its hash is made with.
    pub key: &'a ChainKey,
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
    pub audit_event_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: i64,
    pub actor_first_names: String,
    pub actor_last_name: String,
    pub role: String,
    pub action: String,
    pub object: Option<String>,
}

/// Someone who has acted on a person's data, and how many audit records of it there are.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActorCount {
    pub person_id: i64,
    pub first_names: String,
    pub last_name: String,
    pub records: i64,
}

/// A place in a list read newest first a page at a time ("who acted for me", the data-use events):
/// the time and id of a row (keyset pagination). In a URL it is `<microseconds since 1970>.<id>` —
/// no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl TimeCursor {
    pub fn of(row: &AuditRow) -> Self {
        TimeCursor { at: row.at, id: row.audit_event_id }
    }

    pub fn to_param(self) -> String {
        format!("{}.{}", self.at.timestamp_micros(), self.id)
    }

    pub fn parse(s: &str) -> Option<Self> {
        let (micros, id) = s.split_once('.')?;
        Some(TimeCursor {
            at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok().filter(|n: &i64| *n > 0)?,
        })
    }
}

/// One closed month of the trail, as `audit-archive` takes it.
#[derive(Debug, Clone)]
pub struct MonthRange {
    /// The partition's table name (`audit_event_2026_10`); made by the program, never by input.
    pub partition: String,
    pub first_id: i64,
    pub last_id: i64,
    pub records: u64,
    /// The link the month's first record follows (none at the start of the chain).
    pub first_prev_hash: Option<String>,
}

/// How many of the newest checkpoint coordination rows are read to find the last valid one; past
/// that, the count starts afresh from the whole trail (correct, only slower).
const COORDINATION_ROWS_READ: i64 = 64;

/// The key of the advisory lock that serialises PostgreSQL writers on the chain head.
const CHAIN_LOCK: i64 = 0x5057_4155_4449_5401;

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
        // The chain's head: on PostgreSQL the row a trigger keeps (migration 0016: the newest of the
        // monthly partitions would be a probe of every one of them), on SQLite the newest row.
        let prev: Option<Option<String>> = match self {
            Tx::Postgres(t) => sqlx::query_scalar("select hash from audit_chain_head").fetch_optional(&mut **t).await?,
            Tx::Sqlite(t) => {
                sqlx::query_scalar("select hash from audit_event order by audit_event_id desc limit 1")
                    .fetch_optional(&mut **t)
                    .await?
            }
        };
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
        let hash =
            keyed_chain_hash(e.key, &prev, at, e.actor_id, e.role, e.subject_id, e.action, e.object, e.request_id);
        links.push((std::mem::replace(&mut prev, hash.clone()), hash));
    }
    (links, prev)
}

/// One page of "who acted for me" in one statement (one round trip): the subject's actors with
/// their counts and names (`part` 0, in name order, from `acted_for_count`), then the page's rows
/// (`part` 1) from the copy of others' actions (`acted_for_event`, migration 0015), one index range
/// from a `(time, id)` cursor. The rows carry no names: the actors' part names every actor. With and
/// without the actor's filter as separate statements: neither has an `or` of a parameter, so
/// PostgreSQL keeps one generic plan for each instead of planning every request anew.
macro_rules! acted_for_page_select {
    ($filter:literal, $cmp:literal, $order:literal) => {
        concat!(
            "select * from (select cast(0 as bigint) as part,
                    row_number() over (order by p.last_name, p.first_names, p.person_id) as sort,
                    c.actor_id, p.first_names, p.last_name, c.records, cast(null as bigint) as audit_event_id,
                    cast(null as timestamptz) as at, cast(null as text) as role, cast(null as text) as action,
                    cast(null as text) as object
                 from acted_for_count c join person p on p.person_id = c.actor_id where c.subject_id = $1) actors
             union all
             select * from (select cast(1 as bigint), cast(0 as bigint), a.actor_id, cast(null as text), cast(null as text),
                    cast(null as bigint), a.audit_event_id,
                    a.at, a.role, a.action, a.object
                 from acted_for_event a where a.subject_id = $1 ", $filter, " and (a.at, a.audit_event_id) ", $cmp, " ($3, $4)
                 order by ", $order, " limit $5) page"
        )
    };
}
const ACTED_FOR_PAGE_OLDER: &str = acted_for_page_select!("and $2 = $2", "<", "a.at desc, a.audit_event_id desc");
const ACTED_FOR_PAGE_OLDER_BY: &str =
    acted_for_page_select!("and a.actor_id = $2", "<", "a.at desc, a.audit_event_id desc");
const ACTED_FOR_PAGE_NEWER: &str = acted_for_page_select!("and $2 = $2", ">", "a.at, a.audit_event_id");
const ACTED_FOR_PAGE_NEWER_BY: &str = acted_for_page_select!("and a.actor_id = $2", ">", "a.at, a.audit_event_id");

/// A line of [`ACTED_FOR_PAGE_OLDER`] and its kin: an actor (`part` 0) or a row (`part` 1).
#[derive(sqlx::FromRow)]
struct ActedForPageLine {
    part: i64,
    sort: i64,
    actor_id: i64,
    first_names: Option<String>,
    last_name: Option<String>,
    records: Option<i64>,
    audit_event_id: Option<i64>,
    at: Option<DateTime<Utc>>,
    role: Option<String>,
    action: Option<String>,
    object: Option<String>,
}

/// Subjects and actors whose kept count differs from their copies (`verify-audit`), at most 21.
const ACTED_FOR_COUNT_MISMATCHES: &str =
    "select coalesce(e.subject_id, c.subject_id), coalesce(e.actor_id, c.actor_id),
            coalesce(e.copies, 0), coalesce(c.records, 0)
     from (select subject_id, actor_id, count(*) as copies from acted_for_event group by subject_id, actor_id) e
     full outer join acted_for_count c on c.subject_id = e.subject_id and c.actor_id = e.actor_id
     where coalesce(e.copies, 0) <> coalesce(c.records, 0)
     order by 1, 2 limit 21";

/// Others' actions in the chained trail with ids in `[$1, $2)`, by id (`verify-audit`'s check of
/// the copies).
const ACTED_FOR_CHAINED_WINDOW: &str = "select audit_event_id, at, subject_id, actor_id, role, action, object
     from audit_event where audit_event_id >= $1 and audit_event_id < $2 and actor_id <> subject_id order by audit_event_id";

/// The copies with ids in `[$1, $2)`, by id.
const ACTED_FOR_COPY_WINDOW: &str = "select audit_event_id, at, subject_id, actor_id, role, action, object
     from acted_for_event where audit_event_id >= $1 and audit_event_id < $2 order by audit_event_id";

/// Ids per window of the copies' check: a window's rows are in memory at once.
const ACTED_FOR_CHECK_WINDOW: i64 = 250_000;

/// The statement and the cursor to bind for a page of "who acted for me". Without a cursor: from
/// after the last possible record (a fixed-width time, so that it also compares right as SQLite's
/// text).
fn acted_for_sql(cursor: Option<TimeCursor>, newer: bool, actor: Option<i64>) -> (&'static str, TimeCursor) {
    let c = cursor.unwrap_or(TimeCursor { at: "9999-12-31T23:59:59Z".parse().expect("a valid time"), id: i64::MAX });
    let sql = match (newer && cursor.is_some(), actor.is_some()) {
        (false, false) => ACTED_FOR_PAGE_OLDER,
        (false, true) => ACTED_FOR_PAGE_OLDER_BY,
        (true, false) => ACTED_FOR_PAGE_NEWER,
        (true, true) => ACTED_FOR_PAGE_NEWER_BY,
    };
    (sql, c)
}

const CHAIN_SQL: &str =
    "select audit_event_id, at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash
     from audit_event order by audit_event_id";

/// The records after id `$1`, in chain order.
const CHAIN_AFTER_SQL: &str =
    "select audit_event_id, at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash
     from audit_event where audit_event_id > $1 order by audit_event_id";

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
struct GroupFailure {
    unavailable: bool,
    message: String,
}

/// Group commit for the audit records of views (DESIGN §4; issue #13): one writer task (a
/// `store::lane`) takes every record queued while the previous transaction committed and writes
/// them all in one transaction, on its own connection. Each request waits until its own record's
/// transaction has committed, so a failed commit still fails every request in it — nothing is
/// shown without its audit record — while concurrent requests share one write lock, one
/// chain-head read and one commit instead of one each. The chain stays serial: one writer per
/// process, and PostgreSQL's advisory lock across processes.
#[derive(Clone)]
pub struct AuditWriter {
    queue: tokio::sync::mpsc::UnboundedSender<QueuedAudit>,
}

/// The writer task's state: its connection, the chain key and the chain head as it last left it.
struct AuditGroups {
    conn: HeldConnection,
    key: ChainKey,
    /// `None` after an error or before the first group: the next group reads the head afresh.
    head: Option<String>,
}

impl GroupServer for AuditGroups {
    type Job = QueuedAudit;

    async fn serve(&mut self, group: Vec<QueuedAudit>) {
        let key = self.key.clone();
        let events: Vec<NewAuditEvent> = group
            .iter()
            .map(|j| NewAuditEvent {
                key: &key,
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
        let outcome = written.map_err(|e| GroupFailure { unavailable: e.is_unavailable(), message: e.to_string() });
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
            if let (Held::Sqlite(c), Some(known)) = (self.conn.get().await?, known.as_deref())
                && events.len() <= AUDITS_PER_STATEMENT
                && let Some(head) = append_if_head_is(c, known, events).await?
            {
                return Ok(head);
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
async fn append_if_head_is(
    c: &mut sqlx::SqliteConnection,
    known: &str,
    events: &[NewAuditEvent<'_>],
) -> Result<Option<String>> {
    let at = whole_seconds(Utc::now());
    let (links, new_head) = chain_links(known, at, events);
    let mut qb = sqlx::QueryBuilder::new(
        "insert into audit_event (at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash)
         select * from (",
    );
    qb.push_values(events.iter().zip(&links), |mut b, (e, (prev_hash, hash))| {
        b.push_bind(at)
            .push_bind(e.actor_id)
            .push_bind(e.role)
            .push_bind(e.subject_id)
            .push_bind(e.action)
            .push_bind(e.object)
            .push_bind(e.request_id)
            .push_bind(prev_hash.as_str())
            .push_bind(hash.as_str());
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
    pub fn start(store: Store, key: ChainKey) -> Self {
        AuditWriter {
            queue: super::lane::spawn(AuditGroups { conn: HeldConnection::new(store), key, head: None }, MAX_GROUP),
        }
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
            Err(GroupFailure { unavailable, message }) => Err(super::StoreError::AuditGroup { unavailable, message }),
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

    /// Every record in chain order, for tests.
    pub async fn audit_chain(&self) -> Result<Vec<ChainRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ChainRow>(CHAIN_SQL).fetch_all(p).await)?)
    }

    /// Streams every record in chain order into `verifier` (`verify-audit`): one row in memory at a
    /// time, however long the trail.
    pub async fn stream_audit_chain(&self, verifier: &mut ChainVerifier<'_>) -> Result<()> {
        // Every row, whatever its id: one with an id of 0 or below (put there by hand) is a break.
        self.stream_chain_after(None, verifier).await
    }

    /// Streams the records after id `last_id` (all of them without one) in chain order into `verifier`.
    async fn stream_chain_after(&self, last_id: Option<i64>, verifier: &mut ChainVerifier<'_>) -> Result<()> {
        use futures_util::TryStreamExt;
        on_pool!(self, p => {
            let query = match last_id {
                Some(id) => sqlx::query_as::<_, ChainRow>(CHAIN_AFTER_SQL).bind(id),
                None => sqlx::query_as::<_, ChainRow>(CHAIN_SQL),
            };
            let mut rows = query.fetch(p);
            while let Some(row) = rows.try_next().await? {
                verifier.push(&row);
            }
        });
        Ok(())
    }

    /// Streams the records after `start` (`verify-audit --from-checkpoint`) into `verifier`. The
    /// checkpoint's own record, when still present, must be its head: otherwise the records up to
    /// it were rewritten after it was signed (`Ok(false)`).
    pub async fn stream_audit_chain_after(&self, start: &Checkpoint, verifier: &mut ChainVerifier<'_>) -> Result<bool> {
        let at_start: Option<Option<String>> = on_pool!(self, p => sqlx::query_scalar("select hash from audit_event where audit_event_id = $1")
            .bind(start.last_id).fetch_optional(p).await)?;
        if let Some(hash) = at_start
            && hash.as_deref() != Some(start.head.as_str())
        {
            return Ok(false);
        }
        self.stream_chain_after(Some(start.last_id), verifier).await?;
        Ok(true)
    }

    /// What `audit-archive` may archive of `month` (its first day): the month's partition on
    /// PostgreSQL, closed (before the current month in Helsinki), the oldest month still attached
    /// (months are archived in order, so that the live chain resumes from one checkpoint), and its
    /// ids not interleaved with another month's (the chain runs through it in one piece).
    pub async fn archivable_month(
        &self,
        month: NaiveDate,
        today: NaiveDate,
    ) -> Result<std::result::Result<MonthRange, String>> {
        let Store::Postgres(p) = self else {
            return Ok(Err("SQLite keeps the trail in one table; archiving by month is for PostgreSQL".into()));
        };
        let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a first day");
        if month >= this_month {
            return Ok(Err(format!(
                "{} is not closed yet: only a month before the current one can be archived",
                month.format("%Y-%m")
            )));
        }
        let partition = format!("audit_event_{}", month.format("%Y_%m"));
        let attached: bool = sqlx::query_scalar(
            "select exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = 'audit_event'::regclass and c.relname = $1)",
        )
        .bind(&partition)
        .fetch_one(p)
        .await?;
        if !attached {
            return Ok(Err(format!(
                "{} has no attached partition ({partition}): archived already, or never written",
                month.format("%Y-%m")
            )));
        }
        let start = crate::domain::time::helsinki_midnight(month);
        let end = crate::domain::time::helsinki_midnight(month + chrono::Months::new(1));
        let older: i64 =
            sqlx::query_scalar("select count(*) from audit_event where at < $1").bind(start).fetch_one(p).await?;
        if older > 0 {
            return Ok(Err(format!(
                "{older} record(s) of earlier months are still in the live trail: archive the months in order, oldest first"
            )));
        }
        let range: (Option<i64>, Option<i64>, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select min(audit_event_id), max(audit_event_id), count(*) from {partition}"
        )))
        .fetch_one(p)
        .await?;
        let (Some(first_id), Some(last_id), records) = range else {
            return Ok(Err(format!(
                "{} has no records: nothing to archive (the empty partition can simply be detached)",
                month.format("%Y-%m")
            )));
        };
        let interleaved: i64 = sqlx::query_scalar(
            "select count(*) from audit_event where audit_event_id between $1 and $2 and (at < $3 or at >= $4)",
        )
        .bind(first_id)
        .bind(last_id)
        .bind(start)
        .bind(end)
        .fetch_one(p)
        .await?;
        if interleaved > 0 {
            return Ok(Err(format!(
                "{interleaved} record(s) of another month lie among this month's ids: the chain does not run through the month in one piece"
            )));
        }
        let first_prev_hash: Option<String> =
            sqlx::query_scalar("select prev_hash from audit_event where audit_event_id = $1")
                .bind(first_id)
                .fetch_one(p)
                .await?;
        Ok(Ok(MonthRange {
            partition,
            first_id,
            last_id,
            records: records as u64,
            first_prev_hash: first_prev_hash.filter(|h| !h.is_empty()),
        }))
    }

    /// The stored signed checkpoint whose head is `head` (the one an archive starts from).
    pub async fn checkpoint_with_head(&self, head: &str) -> Result<Option<Checkpoint>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (i64, i64, String, DateTime<Utc>, String, String)>(
            "select records, last_id, head, at, key_id, signature from audit_checkpoint where head = $1 order by checkpoint_id desc limit 1")
            .bind(head).fetch_optional(p).await)?
        .map(|(records, last_id, head, at, key_id, signature)| Checkpoint { records: records as u64, last_id, head, at, key_id, signature }))
    }

    /// A signed checkpoint exactly at record `last_id` (the end of an archived month): the stored
    /// one, or a new one signed now. Its count goes on from the newest stored checkpoint before it
    /// (or from the start of the trail).
    pub async fn checkpoint_at(
        &self,
        signer: &crate::audit::checkpoint::CheckpointSigner,
        last_id: i64,
    ) -> Result<(Checkpoint, bool)> {
        let stored: Option<(i64, String, DateTime<Utc>, String, String)> = on_pool!(self, p => sqlx::query_as(
            "select records, head, at, key_id, signature from audit_checkpoint where last_id = $1 order by checkpoint_id desc limit 1")
            .bind(last_id).fetch_optional(p).await)?;
        if let Some(c) = stored.map(|(records, head, at, key_id, signature)| Checkpoint {
            records: records as u64,
            last_id,
            head,
            at,
            key_id,
            signature,
        }) {
            // A stored row is used only when it carries this key's signature (rows only coordinate).
            if signer.verifies(&c) {
                return Ok((c, false));
            }
        }
        let base: Option<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "select records, last_id from audit_checkpoint where last_id < $1 order by last_id desc, checkpoint_id desc limit 1")
            .bind(last_id).fetch_optional(p).await)?;
        let (base_records, base_id) = base.unwrap_or((0, 0));
        let since: i64 = on_pool!(self, p => sqlx::query_scalar(
            "select count(*) from audit_event where audit_event_id > $1 and audit_event_id <= $2").bind(base_id).bind(last_id).fetch_one(p).await)?;
        let head: Option<String> = on_pool!(self, p => sqlx::query_scalar("select hash from audit_event where audit_event_id = $1")
            .bind(last_id).fetch_one(p).await)?;
        let now = whole_seconds(Utc::now());
        let c = signer.sign((base_records + since) as u64, last_id, &head.unwrap_or_default(), now);
        on_pool!(self, p => sqlx::query(
            "insert into audit_checkpoint (records, last_id, head, at, key_id, signature) values ($1, $2, $3, $4, $5, $6)")
            .bind(c.records as i64).bind(c.last_id).bind(&c.head).bind(c.at).bind(&c.key_id).bind(&c.signature)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok((c, true))
    }

    /// Streams a month partition's records in chain order to `each` (the archive writer).
    pub async fn stream_partition(
        &self,
        range: &MonthRange,
        mut each: impl FnMut(&ChainRow) -> std::io::Result<()>,
    ) -> Result<()> {
        use futures_util::TryStreamExt;
        let Store::Postgres(p) = self else { return Ok(()) };
        let sql = format!(
            "select audit_event_id, at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash
             from {} order by audit_event_id",
            range.partition
        );
        let mut rows = sqlx::query_as::<_, ChainRow>(sqlx::AssertSqlSafe(sql)).fetch(p);
        while let Some(row) = rows.try_next().await? {
            each(&row).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        }
        Ok(())
    }

    /// Detaches an archived month's partition from the live trail (never drops it: the operator
    /// does, after storing the archive on write-once storage). Needs the owner's rights.
    pub async fn detach_audit_partition(&self, range: &MonthRange) -> Result<()> {
        let Store::Postgres(p) = self else { return Ok(()) };
        sqlx::query(sqlx::AssertSqlSafe(format!("alter table audit_event detach partition {}", range.partition)))
            .execute(p)
            .await?;
        Ok(())
    }

    /// Signs and stores a checkpoint of the chain head, unless one was written less than `min_age`
    /// ago (by any instance): instances take turns under the chain's lock, so there is one
    /// checkpoint per interval. The count goes on from the last checkpoint (an index range, not a
    /// count of the whole trail). The caller appends the checkpoint to the file.
    ///
    /// The stored rows only coordinate, and anyone with write access could add one: only a row
    /// that verifies with this key and is not in the future counts. Any other is ignored, logged
    /// at ERROR and counted (`audit_checkpoint_rows_ignored_total`), so a row dated 2100 cannot
    /// stop the schedule.
    pub async fn write_checkpoint(
        &self,
        signer: &crate::audit::checkpoint::CheckpointSigner,
        min_age: chrono::Duration,
    ) -> Result<Option<Checkpoint>> {
        let now = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            sqlx::query("select pg_advisory_xact_lock($1)").bind(CHAIN_LOCK).execute(&mut **t).await?;
        }
        let recent: Vec<(i64, i64, String, DateTime<Utc>, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "select records, last_id, head, at, key_id, signature from audit_checkpoint order by checkpoint_id desc limit $1")
            .bind(COORDINATION_ROWS_READ).fetch_all(c).await)?;
        let last = recent
            .into_iter()
            .map(|(records, last_id, head, at, key_id, signature)| Checkpoint { records: records as u64, last_id, head, at, key_id, signature })
            .find(|c| {
                let good = c.at <= now + chrono::Duration::minutes(1) && signer.verifies(c);
                if !good {
                    tracing::error!(at = %c.at.to_rfc3339(), last_id = c.last_id, "an audit checkpoint row that is in the future or does not verify with this checkpoint key was ignored (forged, or from before a key rotation)");
                    crate::observability::audit_checkpoint_row_ignored();
                }
                good
            });
        if last.as_ref().is_some_and(|c| c.at > now - min_age) {
            return Ok(None);
        }
        let head: Option<(i64, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "select audit_event_id, hash from audit_event order by audit_event_id desc limit 1").fetch_optional(c).await)?;
        let (last_id, head) = head.map_or((0, String::new()), |(id, h)| (id, h.unwrap_or_default()));
        let (base_records, base_id) = match &last {
            Some(c) if c.last_id <= last_id => (c.records as i64, c.last_id),
            Some(_) => {
                tracing::error!(
                    "the audit trail ends before the last checkpoint's record: records were removed; counting afresh"
                );
                (0, i64::MIN)
            }
            None => (0, i64::MIN),
        };
        let since: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "select count(*) from audit_event where audit_event_id > $1 and audit_event_id <= $2").bind(base_id).bind(last_id).fetch_one(c).await)?;
        let records = u64::try_from(base_records + since).unwrap_or(0);
        let checkpoint = signer.sign(records, last_id, &head, now);
        on_tx!(&mut tx, c => sqlx::query(
            "insert into audit_checkpoint (records, last_id, head, at, key_id, signature) values ($1, $2, $3, $4, $5, $6)")
            .bind(records as i64).bind(last_id).bind(&checkpoint.head).bind(now).bind(&checkpoint.key_id).bind(&checkpoint.signature)
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        crate::observability::audit_checkpoint_written();
        Ok(Some(checkpoint))
    }

    /// The chain key of a demo database, made on first use (demo and tests without `audit.chain_key`).
    pub async fn demo_chain_key(&self) -> Result<ChainKey> {
        use rand::distr::{Alphanumeric, SampleString};
        let fresh = Alphanumeric.sample_string(&mut rand::rng(), 48);
        on_pool!(self, p => sqlx::query("insert into demo_chain_key (id, chain_key) values (1, $1) on conflict (id) do nothing")
            .bind(&fresh).execute(p).await.map(|r| r.rows_affected()))?;
        let key: String = on_pool!(self, p => sqlx::query_scalar("select chain_key from demo_chain_key where id = 1").fetch_one(p).await)?;
        Ok(ChainKey::new(key.as_bytes()))
    }

    /// The demo database's chain key if it has one (`verify-audit` without `audit.chain_key`).
    pub async fn existing_demo_chain_key(&self) -> Result<Option<ChainKey>> {
        let key: Option<String> = on_pool!(self, p => sqlx::query_scalar("select chain_key from demo_chain_key where id = 1").fetch_optional(p).await)?;
        Ok(key.map(|k| ChainKey::new(k.as_bytes())))
    }

    /// Others' actions on `subject_id`'s data (only `actor`'s when given), newest first: `limit`
    /// rows older than `cursor` (from the newest without one), or with `newer` the `limit` rows
    /// just newer than it (still returned newest first). Keyset pagination through the copy of
    /// others' actions: no OFFSET, so a page costs the same however long the history.
    pub async fn acted_for(
        &self,
        subject_id: i64,
        actor: Option<i64>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        Ok(self.acted_for_page_lines(subject_id, actor, cursor, newer, limit).await?.1)
    }

    /// The people who have acted on `subject_id`'s data, by name, each with how many records of
    /// theirs there are (the filter of "who acted for me", and the page count).
    pub async fn acted_for_actors(&self, subject_id: i64) -> Result<Vec<ActorCount>> {
        Ok(self.acted_for_page_lines(subject_id, None, None, false, 0).await?.0)
    }

    /// One page of "who acted for me": the actors with their counts, the filter (`actor` when
    /// they are one of them: naming anyone else is no filter) and the page's rows, as
    /// [`Self::acted_for_actors`] and [`Self::acted_for`] give them — in one statement over the
    /// copy of others' actions and its counts, however long and however partitioned the trail.
    pub async fn acted_for_page(
        &self,
        subject_id: i64,
        actor: Option<i64>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<(Vec<ActorCount>, Option<i64>, Vec<AuditRow>)> {
        let (actors, rows) = self.acted_for_page_lines(subject_id, actor, cursor, newer, limit).await?;
        match actor {
            Some(id) if !actors.iter().any(|a| a.person_id == id) => {
                // Someone who never acted for this person: no filter.
                let (actors, rows) = self.acted_for_page_lines(subject_id, None, cursor, newer, limit).await?;
                Ok((actors, None, rows))
            }
            _ => Ok((actors, actor, rows)),
        }
    }

    /// The actors and the rows of one page, in one statement (see [`ACTED_FOR_PAGE_OLDER`]).
    async fn acted_for_page_lines(
        &self,
        subject_id: i64,
        actor: Option<i64>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<(Vec<ActorCount>, Vec<AuditRow>)> {
        let (sql, c) = acted_for_sql(cursor, newer, actor);
        let lines: Vec<ActedForPageLine> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(subject_id).bind(actor.unwrap_or(0)).bind(c.at).bind(c.id).bind(limit).fetch_all(p).await)?;
        let (mut people, mut page): (Vec<ActedForPageLine>, Vec<ActedForPageLine>) =
            lines.into_iter().partition(|l| l.part == 0);
        people.sort_by_key(|l| l.sort);
        let actors: Vec<ActorCount> = people
            .into_iter()
            .map(|l| ActorCount {
                person_id: l.actor_id,
                first_names: l.first_names.unwrap_or_default(),
                last_name: l.last_name.unwrap_or_default(),
                records: l.records.unwrap_or_default(),
            })
            .collect();
        // Newest first, whichever way the range was read.
        page.sort_by_key(|l| std::cmp::Reverse((l.at, l.audit_event_id)));
        let rows = page
            .into_iter()
            .filter_map(|l| {
                // Never a row dropped for want of a name (the counts are checked by verify-audit).
                let name = actors.iter().find(|a| a.person_id == l.actor_id);
                Some(AuditRow {
                    audit_event_id: l.audit_event_id?,
                    at: l.at?,
                    actor_id: l.actor_id,
                    actor_first_names: name.map(|n| n.first_names.clone()).unwrap_or_default(),
                    actor_last_name: name.map(|n| n.last_name.clone()).unwrap_or_default(),
                    role: l.role?,
                    action: l.action?,
                    object: l.object,
                })
            })
            .collect();
        Ok((actors, rows))
    }

    /// Whether PostgreSQL's kept chain head (migration 0016) is the newest record's: `Some(why)`
    /// when it is not (the next record would not link). SQLite reads the newest row itself.
    pub async fn check_chain_head(&self) -> Result<Option<String>> {
        let Store::Postgres(p) = self else { return Ok(None) };
        let newest: Option<(i64, Option<String>)> =
            sqlx::query_as("select audit_event_id, hash from audit_event order by audit_event_id desc limit 1")
                .fetch_optional(p)
                .await?;
        let kept: Option<(i64, Option<String>)> =
            sqlx::query_as("select audit_event_id, hash from audit_chain_head").fetch_optional(p).await?;
        Ok((newest != kept).then(|| {
            let show = |r: &Option<(i64, Option<String>)>| match r {
                Some((id, hash)) => format!("record {id} ({})", hash.as_deref().unwrap_or("no hash")),
                None => "nothing".to_string(),
            };
            format!(
                "the kept chain head (audit_chain_head) names {}, the newest record is {}",
                show(&kept),
                show(&newest)
            )
        }))
    }

    /// Checks the copies of others' actions (`acted_for_event`) against the chained trail, a
    /// window of ids at a time (`verify-audit`). The copies of records no longer in the live
    /// trail (archived, detached months) cannot be checked here: they are counted, and are a
    /// break when nothing was ever detached (the live trail starts the chain).
    pub async fn check_acted_for_copies(&self) -> Result<ActedForReport> {
        let (first, last, starts_chain): (Option<i64>, Option<i64>, bool) = on_pool!(self, p => sqlx::query_as(
            "select (select min(audit_event_id) from audit_event), (select max(audit_event_id) from audit_event),
                    coalesce((select prev_hash is null or prev_hash = '' from audit_event order by audit_event_id limit 1), true)")
            .fetch_one(p).await)?;
        let copies_last: Option<i64> = on_pool!(self, p => sqlx::query_scalar("select max(audit_event_id) from acted_for_event").fetch_one(p).await)?;
        let first = first.unwrap_or(1);
        let before: i64 = on_pool!(self, p => sqlx::query_scalar("select count(*) from acted_for_event where audit_event_id < $1")
            .bind(first).fetch_one(p).await)?;
        let mut report = ActedForReport::default();
        if starts_chain {
            // Nothing was detached: a copy before the first record names no record at all.
            let orphans: Vec<ActedForRow> = on_pool!(self, p => sqlx::query_as(ACTED_FOR_COPY_WINDOW)
                .bind(i64::MIN).bind(first).fetch_all(p).await)?;
            report.add(crate::audit::acted_for::compare(&[], &orphans));
        } else {
            report.archived = before as u64;
        }
        let end = last.unwrap_or(0).max(copies_last.unwrap_or(0)).saturating_add(1);
        let mut lo = first;
        while lo < end {
            let hi = lo.saturating_add(ACTED_FOR_CHECK_WINDOW);
            let chained: Vec<ActedForRow> =
                on_pool!(self, p => sqlx::query_as(ACTED_FOR_CHAINED_WINDOW).bind(lo).bind(hi).fetch_all(p).await)?;
            let copies: Vec<ActedForRow> =
                on_pool!(self, p => sqlx::query_as(ACTED_FOR_COPY_WINDOW).bind(lo).bind(hi).fetch_all(p).await)?;
            report.add(crate::audit::acted_for::compare(&chained, &copies));
            lo = hi;
        }
        let counts: Vec<(i64, i64, i64, i64)> =
            on_pool!(self, p => sqlx::query_as(ACTED_FOR_COUNT_MISMATCHES).fetch_all(p).await)?;
        report.add(crate::audit::acted_for::count_mismatches(&counts));
        Ok(report)
    }

    /// Every audit record of an actor, oldest first (for tests and operators).
    pub async fn audit_of_actor(&self, actor_id: i64) -> Result<Vec<(String, i64, String, Option<String>)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64, String, Option<String>)>(
            "select role, subject_id, action, object from audit_event where actor_id = $1 order by audit_event_id")
            .bind(actor_id).fetch_all(p).await)?)
    }
}
