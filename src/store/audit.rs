//! The audit trail: chained, append-only writes inside the caller's transaction, the principal's
//! "who has acted for me" reads, and the chain check behind `verify-audit`.
//!
//! Every record carries `hash = HMAC-SHA256(chain key; prev_hash, at, actor, role, subject,
//! action, object, request id)`, written `hmac-sha256:<hex>`, with `prev_hash` the hash of the
//! record before it (by id). The key is kept outside the database (`audit.chain_key`): whoever can
//! rewrite the rows cannot recompute the chain. Every record must carry a keyed hash; records
//! written before the keyed chain existed (no hash, or a plain SHA-256 link) are accepted only up
//! to a boundary the operator states (`verify-audit --legacy-until ID`), never inferred from the
//! data: a trail whose hashes were all removed or recomputed without the key is broken at its
//! first record. Ids are positive and assigned by the database; the walk reads every row in id
//! order, whatever its id. Writers are
//! serialised on the chain head: SQLite's write transactions already are (`BEGIN IMMEDIATE`); on
//! PostgreSQL a transaction-scoped advisory lock is taken before the head is read.

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::checkpoint::Checkpoint;

use super::lane::{GroupServer, Held, HeldConnection};
use super::{Result, Store, StoreError, Tx, on_pool, on_tx, whole_seconds};

/// The key of the chain's HMAC (`audit.chain_key`): a secret kept outside the database, the same on
/// every instance. Never printed.
#[derive(Clone)]
pub struct ChainKey(Arc<[u8]>);

impl ChainKey {
    pub fn new(secret: &[u8]) -> Self {
        ChainKey(Arc::from(secret))
    }
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(<redacted>)")
    }
}

/// How a keyed record's hash starts; a hash without it is a plain SHA-256 link (before the key).
pub const KEYED_PREFIX: &str = "hmac-sha256:";

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

/// How many of the newest checkpoint coordination rows are read to find the last valid one; past
/// that, the count starts afresh from the whole trail (correct, only slower).
const COORDINATION_ROWS_READ: i64 = 64;

/// The key of the advisory lock that serialises PostgreSQL writers on the chain head.
const CHAIN_LOCK: i64 = 0x5057_4155_4449_5401;

/// Feeds a record's fields to `update`, each length-prefixed, so no two different records share
/// an input.
#[allow(clippy::too_many_arguments)]
fn chain_input(
    mut update: impl FnMut(&[u8]),
    prev_hash: &str,
    at: DateTime<Utc>,
    actor_id: i64,
    role: &str,
    subject_id: i64,
    action: &str,
    object: Option<&str>,
    request_id: Option<&str>,
) {
    let mut field = |s: &str| {
        update(&(s.len() as u64).to_be_bytes());
        update(s.as_bytes());
    };
    field(prev_hash);
    field(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    field(&actor_id.to_string());
    field(role);
    field(&subject_id.to_string());
    field(action);
    field(object.map_or("\u{0}none", |o| o));
    field(request_id.map_or("\u{0}none", |r| r));
}

/// The plain SHA-256 link of records chained before the key (verified, never written any more).
#[allow(clippy::too_many_arguments)]
pub fn chain_hash(
    prev_hash: &str,
    at: DateTime<Utc>,
    actor_id: i64,
    role: &str,
    subject_id: i64,
    action: &str,
    object: Option<&str>,
    request_id: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    chain_input(|b| h.update(b), prev_hash, at, actor_id, role, subject_id, action, object, request_id);
    hex::encode(h.finalize())
}

/// The keyed hash of a record: `hmac-sha256:` and the HMAC-SHA256 under the chain key, in hex.
#[allow(clippy::too_many_arguments)]
pub fn keyed_chain_hash(
    key: &ChainKey,
    prev_hash: &str,
    at: DateTime<Utc>,
    actor_id: i64,
    role: &str,
    subject_id: i64,
    action: &str,
    object: Option<&str>,
    request_id: Option<&str>,
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    chain_input(|b| mac.update(b), prev_hash, at, actor_id, role, subject_id, action, object, request_id);
    format!("{KEYED_PREFIX}{}", hex::encode(mac.finalize().into_bytes()))
}

/// Where the chain breaks, for `verify-audit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The record's hash does not match its fields (an edited record, or a forged one).
    Altered(i64),
    /// The record does not follow the one before it (a deleted, inserted or reordered record).
    Unlinked(i64),
    /// A record without a hash after the chain began.
    Unsealed(i64),
    /// A plain SHA-256 link after keyed records: forged or recomputed without the key.
    Downgraded(i64),
    /// A keyed record, but no chain key was given to check it with.
    NoKey(i64),
    /// A plain SHA-256 link (no key) past the legacy boundary: forged, or the chain recomputed
    /// without the key.
    Unkeyed(i64),
    /// An id of zero or below: ids are assigned by the database from 1 up, so the row was put
    /// there by hand.
    InvalidId(i64),
    /// The same id as the record before it (a second row with that id, in another partition).
    DuplicateId(i64),
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered(id) => {
                write!(f, "audit record {id}: its hash does not match its contents (edited or forged)")
            }
            ChainBreak::Unlinked(id) => write!(
                f,
                "audit record {id}: does not follow the record before it (a record was deleted, inserted or reordered)"
            ),
            ChainBreak::Unsealed(id) => write!(f, "audit record {id}: has no hash although the chain had begun"),
            ChainBreak::Downgraded(id) => write!(
                f,
                "audit record {id}: has an unkeyed hash after keyed records (forged, or the chain recomputed without the key)"
            ),
            ChainBreak::NoKey(id) => {
                write!(f, "audit record {id}: is keyed, but no chain key was given (audit.chain_key)")
            }
            ChainBreak::Unkeyed(id) => write!(
                f,
                "audit record {id}: has no keyed hash (forged, or the chain recomputed without the key; records from before the keyed chain are accepted only up to --legacy-until)"
            ),
            ChainBreak::InvalidId(id) => write!(
                f,
                "audit record {id}: its id is not positive (the database assigns ids from 1 up: the row was inserted by hand)"
            ),
            ChainBreak::DuplicateId(id) => {
                write!(f, "audit record {id}: a second record with the same id (inserted by hand)")
            }
        }
    }
}

/// A checkpoint the chain does not pass through, named by what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointFailure {
    /// The checkpoint's signature does not verify with any public key given.
    BadSignature { at: DateTime<Utc> },
    /// The trail is empty, but a checkpoint saw records.
    Emptied { at: DateTime<Utc>, records: u64 },
    /// The trail ends before the checkpoint's count: records were deleted from its end.
    TailDeleted { at: DateTime<Utc>, records: u64, found: u64 },
    /// The record at the checkpoint's count has no hash: the hashes were removed.
    HashesRemoved { at: DateTime<Utc>, records: u64 },
    /// The record at the checkpoint's count is not the checkpoint's head: the records up to it were
    /// rewritten (the chain recomputed, records deleted or inserted before it).
    Rewritten { at: DateTime<Utc>, records: u64 },
    /// Two consecutive checkpoints further apart than twice the interval while records were
    /// written between them: a checkpoint was removed from the file (or checkpoints stopped).
    Gap { from: DateTime<Utc>, to: DateTime<Utc> },
    /// Records newer than the last checkpoint by more than twice the interval: checkpoints
    /// stopped, or the file's last lines were removed.
    Unanchored { last: DateTime<Utc>, newest: DateTime<Utc> },
}

impl std::fmt::Display for CheckpointFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = |at: &DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        match self {
            CheckpointFailure::BadSignature { at } => {
                write!(f, "checkpoint of {}: its signature does not verify (forged or another key)", t(at))
            }
            CheckpointFailure::Emptied { at, records } => write!(
                f,
                "checkpoint of {}: the trail is empty, but it had {records} records then (the table was emptied)",
                t(at)
            ),
            CheckpointFailure::TailDeleted { at, records, found } => write!(
                f,
                "checkpoint of {}: the trail has {found} records, but it had {records} then (records were deleted from its end)",
                t(at)
            ),
            CheckpointFailure::HashesRemoved { at, records } => {
                write!(f, "checkpoint of {}: record {records} has no hash (the hashes were removed)", t(at))
            }
            CheckpointFailure::Rewritten { at, records } => write!(
                f,
                "checkpoint of {}: the chain does not pass through its head at record {records} (the records up to it were rewritten or the chain recomputed)",
                t(at)
            ),
            CheckpointFailure::Gap { from, to } => write!(
                f,
                "no checkpoint between {} and {} although records were written then: more than twice the interval (a checkpoint was removed from the file, or checkpoints stopped)",
                t(from),
                t(to)
            ),
            CheckpointFailure::Unanchored { last, newest } => write!(
                f,
                "records up to {} are newer than the last checkpoint ({}) by more than twice the interval (checkpoints stopped, or the file's last lines were removed)",
                t(newest),
                t(last)
            ),
        }
    }
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChainReport {
    /// Records written before the chain existed (no hash), at the start of the table.
    pub legacy: u64,
    /// Records verified: plain SHA-256 links (before the key) and keyed ones.
    pub verified: u64,
    pub keyed: u64,
    pub first_break: Option<ChainBreak>,
    /// Checkpoints the chain passes through.
    pub checkpoints_passed: u64,
    pub checkpoint_failures: Vec<CheckpointFailure>,
    /// The signed checkpoint the walk started from (`--from-checkpoint`, or the month's end after
    /// an archived month was detached): what came before it is proven by the signature and, for
    /// an archived month, by its archive file.
    pub resumed_from: Option<Checkpoint>,
    /// The boundary the operator stated: records up to this id may lack a keyed hash.
    pub legacy_until: Option<i64>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.first_break.is_none() && self.checkpoint_failures.is_empty()
    }
}

/// Walks records in id order, one at a time (a stream: memory stays flat however long the trail),
/// checking each checkpoint as its count is reached. Pure, so that it is tested without a database.
pub struct ChainVerifier<'k> {
    key: Option<&'k ChainKey>,
    prev: Option<String>,
    keyed_seen: bool,
    /// Records seen, legacy ones included.
    position: u64,
    /// The id of the last record seen.
    last_id: Option<i64>,
    /// Checkpoints not yet reached, by count.
    checkpoints: std::collections::VecDeque<Checkpoint>,
    /// `(time, records)` of every checkpoint given (and the start), oldest first: the schedule.
    schedule: Vec<(DateTime<Utc>, u64, i64)>,
    /// How often checkpoints are written, when the schedule is checked.
    interval: Option<chrono::Duration>,
    /// The time of the newest record after the last checkpoint.
    newest_unanchored: Option<DateTime<Utc>>,
    report: ChainReport,
}

impl<'k> ChainVerifier<'k> {
    /// `checkpoints` are those whose signature verified; they are checked in order of their count.
    pub fn new(key: Option<&'k ChainKey>, mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.sort_by_key(|c| c.records);
        let schedule = checkpoints.iter().map(|c| (c.at, c.records, c.last_id)).collect();
        let mut v = ChainVerifier {
            key,
            prev: None,
            keyed_seen: false,
            position: 0,
            last_id: None,
            checkpoints: checkpoints.into(),
            schedule,
            interval: None,
            newest_unanchored: None,
            report: ChainReport::default(),
        };
        v.reach_checkpoints(None);
        v
    }

    /// Starts after `start` (a checkpoint whose signature verified): its head is the link the next
    /// record must follow and its count the position; only later checkpoints are checked.
    pub fn resume(key: Option<&'k ChainKey>, start: Checkpoint, mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.retain(|c| c.records > start.records);
        checkpoints.sort_by_key(|c| c.records);
        let schedule = std::iter::once(&start).chain(&checkpoints).map(|c| (c.at, c.records, c.last_id)).collect();
        let mut v = ChainVerifier {
            key,
            prev: None,
            keyed_seen: false,
            position: 0,
            last_id: None,
            checkpoints: checkpoints.into(),
            schedule,
            interval: None,
            newest_unanchored: None,
            report: ChainReport::default(),
        };
        v.start_at(start);
        v
    }

    /// Records up to id `last` may lack a keyed hash (written before the keyed chain existed): a
    /// boundary the operator states, printed in the report. Without it every record must be keyed.
    pub fn legacy_until(mut self, last: Option<i64>) -> Self {
        self.report.legacy_until = last;
        self
    }

    /// Checkpoints are written every `interval`: two consecutive ones further apart than twice
    /// that while records were written between them, and records newer than the last one by
    /// more than twice that, are named.
    pub fn checkpoints_every(mut self, interval: chrono::Duration) -> Self {
        let mut schedule = self.schedule.clone();
        schedule.sort();
        for pair in schedule.windows(2) {
            let ((from, before, _), (to, after, _)) = (pair[0], pair[1]);
            if to - from > interval * 2 && after > before {
                self.report.checkpoint_failures.push(CheckpointFailure::Gap { from, to });
            }
        }
        self.schedule = schedule;
        self.interval = Some(interval);
        self
    }

    fn start_at(&mut self, start: Checkpoint) {
        self.prev = (!start.head.is_empty()).then(|| start.head.clone());
        self.keyed_seen = start.head.starts_with(KEYED_PREFIX);
        self.position = start.records;
        self.last_id = Some(start.last_id);
        self.checkpoints.retain(|c| c.records > start.records);
        self.report.resumed_from = Some(start);
    }

    /// The records before the first one here were detached (an archived month): the walk resumes
    /// from the verified checkpoint whose head the first record follows, if there is one.
    fn resume_after_detached(&mut self, first: &ChainRow) {
        let Some(link) = first.prev_hash.as_deref().filter(|h| !h.is_empty()) else { return };
        let start = self
            .checkpoints
            .iter()
            .filter(|c| c.head == link && c.last_id < first.audit_event_id)
            .max_by_key(|c| c.records)
            .cloned();
        if let Some(c) = start {
            // The checkpoints up to it concern the detached records: their archive proves them.
            self.start_at(c);
        }
    }

    /// Checks the checkpoints whose count is the current position against `row` (the record there).
    fn reach_checkpoints(&mut self, row: Option<&ChainRow>) {
        while let Some(c) = self.checkpoints.front() {
            if c.records > self.position {
                break;
            }
            let c = self.checkpoints.pop_front().expect("just looked");
            let failure = match row {
                _ if c.records == 0 => None,
                Some(r) if r.hash.is_none() => Some(CheckpointFailure::HashesRemoved { at: c.at, records: c.records }),
                Some(r) if r.audit_event_id != c.last_id || r.hash.as_deref() != Some(c.head.as_str()) => {
                    Some(CheckpointFailure::Rewritten { at: c.at, records: c.records })
                }
                Some(_) => None,
                None => Some(CheckpointFailure::Rewritten { at: c.at, records: c.records }),
            };
            match failure {
                Some(f) => self.report.checkpoint_failures.push(f),
                None => self.report.checkpoints_passed += 1,
            }
        }
    }

    /// Takes the next record (in id order).
    pub fn push(&mut self, r: &ChainRow) {
        if self.position == 0 && self.prev.is_none() && self.report.resumed_from.is_none() {
            self.resume_after_detached(r);
        }
        self.position += 1;
        if self.report.first_break.is_none()
            && let Some(b) = self.check(r)
        {
            self.report.first_break = Some(b);
        }
        if self.interval.is_some() && self.last_checkpoint().is_some_and(|(_, _, last_id)| r.audit_event_id > last_id) {
            self.newest_unanchored = Some(self.newest_unanchored.map_or(r.at, |n| n.max(r.at)));
        }
        self.reach_checkpoints(Some(r));
    }

    /// The newest checkpoint of the schedule.
    fn last_checkpoint(&self) -> Option<(DateTime<Utc>, u64, i64)> {
        self.schedule.iter().max_by_key(|c| (c.1, c.0)).copied()
    }

    fn in_legacy(&self, id: i64) -> bool {
        self.report.legacy_until.is_some_and(|last| id <= last)
    }

    fn check(&mut self, r: &ChainRow) -> Option<ChainBreak> {
        let id = r.audit_event_id;
        if id <= 0 {
            return Some(ChainBreak::InvalidId(id));
        }
        if self.last_id.is_some_and(|last| id <= last) {
            return Some(ChainBreak::DuplicateId(id));
        }
        self.last_id = Some(id);
        let legacy = self.in_legacy(id);
        let Some(hash) = &r.hash else {
            if legacy && self.prev.is_none() {
                self.report.legacy += 1;
                return None;
            }
            return Some(ChainBreak::Unsealed(id));
        };
        let expected_prev = self.prev.clone().unwrap_or_default();
        if r.prev_hash.clone().unwrap_or_default() != expected_prev {
            return Some(ChainBreak::Unlinked(id));
        }
        let (o, q) = (r.object.as_deref(), r.request_id.as_deref());
        if hash.starts_with(KEYED_PREFIX) {
            let Some(key) = self.key else { return Some(ChainBreak::NoKey(id)) };
            if &keyed_chain_hash(key, &expected_prev, r.at, r.actor_id, &r.role, r.subject_id, &r.action, o, q) != hash
            {
                return Some(ChainBreak::Altered(id));
            }
            self.keyed_seen = true;
            self.report.keyed += 1;
        } else {
            if self.keyed_seen {
                return Some(ChainBreak::Downgraded(id));
            }
            if !legacy {
                return Some(ChainBreak::Unkeyed(id));
            }
            if &chain_hash(&expected_prev, r.at, r.actor_id, &r.role, r.subject_id, &r.action, o, q) != hash {
                return Some(ChainBreak::Altered(id));
            }
        }
        self.report.verified += 1;
        self.prev = Some(hash.clone());
        None
    }

    /// Records seen so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The report: checkpoints beyond the end of the trail name a deleted tail or an emptied table.
    pub fn finish(mut self) -> ChainReport {
        if let (Some(interval), Some((last, _, _)), Some(newest)) =
            (self.interval, self.last_checkpoint(), self.newest_unanchored)
            && newest - last > interval * 2
        {
            self.report.checkpoint_failures.push(CheckpointFailure::Unanchored { last, newest });
        }
        for c in std::mem::take(&mut self.checkpoints) {
            self.report.checkpoint_failures.push(if self.position == 0 {
                CheckpointFailure::Emptied { at: c.at, records: c.records }
            } else {
                CheckpointFailure::TailDeleted { at: c.at, records: c.records, found: self.position }
            });
        }
        self.report
    }
}

/// Walks records in id order without checkpoints.
pub fn verify_chain(rows: impl IntoIterator<Item = ChainRow>, key: Option<&ChainKey>) -> ChainReport {
    let mut v = ChainVerifier::new(key, Vec::new());
    for r in rows {
        v.push(&r);
    }
    v.finish()
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
        let hash =
            keyed_chain_hash(e.key, &prev, at, e.actor_id, e.role, e.subject_id, e.action, e.object, e.request_id);
        links.push((std::mem::replace(&mut prev, hash.clone()), hash));
    }
    (links, prev)
}

/// Others' actions on a subject's data older than a cursor, newest first (see [`Store::acted_for`]).
const ACTED_FOR_OLDER: &str = "select a.audit_event_id, a.at, a.actor_id, p.first_names as actor_first_names, p.last_name as actor_last_name, a.role, a.action, a.object
     from audit_event a join person p on p.person_id = a.actor_id
     where a.subject_id = $1 and a.actor_id <> a.subject_id and ($2 = 0 or a.actor_id = $2) and (a.at, a.audit_event_id) < ($3, $4)
     order by a.at desc, a.audit_event_id desc limit $5";

/// The same, newer than a cursor, oldest first.
const ACTED_FOR_NEWER: &str = "select a.audit_event_id, a.at, a.actor_id, p.first_names as actor_first_names, p.last_name as actor_last_name, a.role, a.action, a.object
     from audit_event a join person p on p.person_id = a.actor_id
     where a.subject_id = $1 and a.actor_id <> a.subject_id and ($2 = 0 or a.actor_id = $2) and (a.at, a.audit_event_id) > ($3, $4)
     order by a.at, a.audit_event_id limit $5";

/// The subject's few other actors first (index-only through `audit_event_acted_for`), then their
/// names: never a probe of each person's own, possibly huge, history.
const ACTED_FOR_ACTORS: &str = "with actors as materialized (select actor_id, count(*) as records from audit_event
         where subject_id = $1 and actor_id <> subject_id group by actor_id)
     select p.person_id, p.first_names, p.last_name, a.records from person p join actors a on a.actor_id = p.person_id
     order by p.last_name, p.first_names, p.person_id";

/// The statement and the cursor to bind for a page of "who acted for me". Without a cursor: from
/// after the last possible record (a fixed-width time, so that it also compares right as SQLite's
/// text).
fn acted_for_sql(cursor: Option<TimeCursor>, newer: bool) -> (&'static str, TimeCursor) {
    let c = cursor.unwrap_or(TimeCursor { at: "9999-12-31T23:59:59Z".parse().expect("a valid time"), id: i64::MAX });
    (if newer && cursor.is_some() { ACTED_FOR_NEWER } else { ACTED_FOR_OLDER }, c)
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
        signer: &crate::checkpoint::CheckpointSigner,
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
        signer: &crate::checkpoint::CheckpointSigner,
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
    /// just newer than it (still returned newest first). Keyset pagination through the partial
    /// index `audit_event_acted_for`: no OFFSET, so a page costs the same however long the history.
    pub async fn acted_for(
        &self,
        subject_id: i64,
        actor: Option<i64>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        let (sql, c) = acted_for_sql(cursor, newer);
        let mut rows: Vec<AuditRow> = on_pool!(self, p => sqlx::query_as::<_, AuditRow>(sql)
            .bind(subject_id).bind(actor.unwrap_or(0)).bind(c.at).bind(c.id).bind(limit).fetch_all(p).await)?;
        if sql == ACTED_FOR_NEWER {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The people who have acted on `subject_id`'s data, by name, each with how many records of
    /// theirs there are (the filter of "who acted for me", and the page count: one read of the
    /// subject's others' actions for both).
    pub async fn acted_for_actors(&self, subject_id: i64) -> Result<Vec<ActorCount>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ActorCount>(ACTED_FOR_ACTORS).bind(subject_id).fetch_all(p).await)?)
    }

    /// One page of "who acted for me": the actors with their counts, the filter (`actor` when
    /// they are one of them: naming anyone else is no filter) and the page's rows, as
    /// [`Self::acted_for_actors`] and [`Self::acted_for`] give them. On PostgreSQL both reads run
    /// with generic plans: the trail has a partition a month (150 in twelve years), and planning
    /// a query over all of them with its values known costs ≈ 25 ms each time, ten times the
    /// execution; a generic plan is made once per connection.
    pub async fn acted_for_page(
        &self,
        subject_id: i64,
        actor: Option<i64>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<(Vec<ActorCount>, Option<i64>, Vec<AuditRow>)> {
        let Store::Postgres(p) = self else {
            let actors = self.acted_for_actors(subject_id).await?;
            let actor = actor.filter(|id| actors.iter().any(|a| a.person_id == *id));
            let rows = self.acted_for(subject_id, actor, cursor, newer, limit).await?;
            return Ok((actors, actor, rows));
        };
        let mut tx = p.begin().await?;
        sqlx::query("set local plan_cache_mode = force_generic_plan").execute(&mut *tx).await?;
        let actors: Vec<ActorCount> = sqlx::query_as(ACTED_FOR_ACTORS).bind(subject_id).fetch_all(&mut *tx).await?;
        let actor = actor.filter(|id| actors.iter().any(|a| a.person_id == *id));
        let (sql, c) = acted_for_sql(cursor, newer);
        let mut rows: Vec<AuditRow> = sqlx::query_as(sql)
            .bind(subject_id)
            .bind(actor.unwrap_or(0))
            .bind(c.at)
            .bind(c.id)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        if sql == ACTED_FOR_NEWER {
            rows.reverse();
        }
        Ok((actors, actor, rows))
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

    fn key() -> ChainKey {
        ChainKey::new(b"a chain key of at least thirty-two characters")
    }

    fn row(i: i64, prev: &str, hash: String) -> ChainRow {
        let at: DateTime<Utc> = "2026-11-25T10:00:00Z".parse().unwrap();
        ChainRow {
            audit_event_id: i,
            at,
            actor_id: 1,
            role: "own".into(),
            subject_id: 1,
            action: "view_records".into(),
            object: None,
            request_id: Some("r".into()),
            prev_hash: Some(prev.into()),
            hash: Some(hash),
        }
    }

    /// `plain` SHA-256 records (before the key), then `keyed` ones.
    fn chain(plain: i64, keyed: i64) -> Vec<ChainRow> {
        let mut prev = String::new();
        let at: DateTime<Utc> = "2026-11-25T10:00:00Z".parse().unwrap();
        (1..=plain + keyed)
            .map(|i| {
                let hash = if i <= plain {
                    chain_hash(&prev, at, 1, "own", 1, "view_records", None, Some("r"))
                } else {
                    keyed_chain_hash(&key(), &prev, at, 1, "own", 1, "view_records", None, Some("r"))
                };
                let r = row(i, &prev, hash.clone());
                prev = hash;
                r
            })
            .collect()
    }

    fn checkpoint(rows: &[ChainRow], records: usize) -> Checkpoint {
        let (last_id, head) = if records == 0 {
            (0, String::new())
        } else {
            (rows[records - 1].audit_event_id, rows[records - 1].hash.clone().unwrap())
        };
        Checkpoint {
            records: records as u64,
            last_id,
            head,
            at: "2026-11-25T10:05:00Z".parse().unwrap(),
            key_id: "k".into(),
            signature: String::new(),
        }
    }

    fn verify_with(rows: &[ChainRow], checkpoints: Vec<Checkpoint>, key: Option<&ChainKey>) -> ChainReport {
        let mut v = ChainVerifier::new(key, checkpoints);
        for r in rows {
            v.push(r);
        }
        v.finish()
    }

    #[test]
    fn a_walk_resumes_from_a_checkpoint_and_checks_only_what_follows() {
        let rows = chain(0, 10);
        let k = key();
        let start = checkpoint(&rows, 4);
        let later = checkpoint(&rows, 8);
        let mut v = ChainVerifier::resume(Some(&k), start.clone(), vec![start.clone(), later.clone()]);
        for r in &rows[4..] {
            v.push(r);
        }
        assert_eq!(v.position(), 10);
        let report = v.finish();
        assert!(report.intact(), "{report:?}");
        assert_eq!((report.verified, report.checkpoints_passed), (6, 1));
        assert_eq!(report.resumed_from, Some(start.clone()));
        // An edit after the checkpoint is found; one before it is not walked (the signature and
        // the archive prove those records).
        let mut edited = rows.clone();
        edited[6].action = "view_document".into();
        let mut v = ChainVerifier::resume(Some(&k), start.clone(), vec![later.clone()]);
        for r in &edited[4..] {
            v.push(r);
        }
        assert_eq!(v.finish().first_break, Some(ChainBreak::Altered(edited[6].audit_event_id)));
        // A record slipped in right after the checkpoint does not follow its head.
        let mut v = ChainVerifier::resume(Some(&k), start, vec![]);
        v.push(&rows[5]);
        assert_eq!(v.finish().first_break, Some(ChainBreak::Unlinked(rows[5].audit_event_id)));
    }

    #[test]
    fn after_a_detached_month_the_live_chain_resumes_from_the_checkpoint_at_its_end() {
        let rows = chain(0, 10);
        let month_end = checkpoint(&rows, 5);
        let later = checkpoint(&rows, 9);
        // Records 1–5 were archived and detached.
        let report = verify_with(&rows[5..], vec![month_end.clone(), later], Some(&key()));
        assert!(report.intact(), "{report:?}");
        assert_eq!(report.resumed_from, Some(month_end));
        assert_eq!((report.verified, report.checkpoints_passed), (5, 1));
        // Without the checkpoint the missing start cannot be proven.
        let report = verify_with(&rows[5..], vec![], Some(&key()));
        assert_eq!(report.first_break, Some(ChainBreak::Unlinked(rows[5].audit_event_id)));
        // Nor with a checkpoint whose head the first record does not follow (a month deleted
        // without being archived at its end).
        let report = verify_with(&rows[6..], vec![checkpoint(&rows, 5)], Some(&key()));
        assert_eq!(report.first_break, Some(ChainBreak::Unlinked(rows[6].audit_event_id)));
    }

    fn verify_legacy(rows: &[ChainRow], legacy_until: Option<i64>) -> ChainReport {
        let k = key();
        let mut v = ChainVerifier::new(Some(&k), Vec::new()).legacy_until(legacy_until);
        for r in rows {
            v.push(r);
        }
        v.finish()
    }

    #[test]
    fn an_intact_chain_verifies_plain_links_before_keyed_ones_only_up_to_the_stated_boundary() {
        let r = verify_legacy(&chain(2, 3), Some(2));
        assert_eq!((r.verified, r.keyed, r.first_break, r.legacy_until), (5, 3, None, Some(2)));
        // Without a boundary the first record is not keyed: a break, never inferred from the data.
        assert_eq!(verify_chain(chain(2, 3), Some(&key())).first_break, Some(ChainBreak::Unkeyed(1)));
        // A boundary short of the last plain record.
        assert_eq!(verify_legacy(&chain(2, 3), Some(1)).first_break, Some(ChainBreak::Unkeyed(2)));
        // Keyed records need the key.
        assert_eq!(verify_chain(chain(0, 2), None).first_break, Some(ChainBreak::NoKey(1)));
        // Another key does not verify them.
        assert_eq!(
            verify_chain(chain(0, 2), Some(&ChainKey::new(b"another key of thirty-two characters!!"))).first_break,
            Some(ChainBreak::Altered(1))
        );
    }

    #[test]
    fn an_edited_deleted_reordered_or_unsealed_record_is_named() {
        let k = key();
        let mut c = chain(0, 5);
        c[2].object = Some("x".into());
        assert_eq!(verify_chain(c, Some(&k)).first_break, Some(ChainBreak::Altered(3)));
        let mut c = chain(0, 5);
        c.remove(2);
        assert_eq!(verify_chain(c, Some(&k)).first_break, Some(ChainBreak::Unlinked(4)));
        let mut c = chain(0, 5);
        c.swap(1, 3);
        assert_eq!(verify_chain(c, Some(&k)).first_break.map(|b| matches!(b, ChainBreak::Unlinked(_))), Some(true));
        let mut c = chain(0, 3);
        c.push(ChainRow { hash: None, prev_hash: None, audit_event_id: 4, ..c[0].clone() });
        assert_eq!(verify_chain(c, Some(&k)).first_break, Some(ChainBreak::Unsealed(4)));
    }

    #[test]
    fn a_plain_link_after_keyed_records_is_a_forgery() {
        // A correctly chained SHA-256 record appended after keyed ones (what a database role can
        // compute without the key).
        let mut c = chain(1, 3);
        let head = c.last().unwrap().hash.clone().unwrap();
        let at: DateTime<Utc> = "2026-11-25T10:00:00Z".parse().unwrap();
        c.push(row(5, &head, chain_hash(&head, at, 1, "own", 1, "view_records", None, Some("r"))));
        assert_eq!(verify_legacy(&c, Some(1)).first_break, Some(ChainBreak::Downgraded(5)));
        assert_eq!(verify_legacy(&c, None).first_break, Some(ChainBreak::Unkeyed(1)));
    }

    #[test]
    fn legacy_rows_before_the_chain_are_counted_apart() {
        let mut c = chain(0, 2);
        for r in &mut c {
            r.audit_event_id += 2;
        }
        let legacy = ChainRow { hash: None, prev_hash: None, audit_event_id: 1, ..c[0].clone() };
        let mut rows = vec![legacy.clone(), ChainRow { audit_event_id: 2, ..legacy }];
        rows.extend(c);
        let r = verify_legacy(&rows, Some(2));
        assert_eq!((r.legacy, r.verified, r.first_break), (2, 2, None));
        // Without the operator's boundary, an unsealed first record is a break.
        assert_eq!(verify_chain(rows.clone(), Some(&key())).first_break, Some(ChainBreak::Unsealed(1)));
        // Nor does a boundary reach past the records it names.
        assert_eq!(verify_legacy(&rows, Some(1)).first_break, Some(ChainBreak::Unsealed(2)));
    }

    #[test]
    fn a_record_with_an_id_of_zero_or_below_or_a_repeated_id_is_a_break() {
        let c = chain(0, 3);
        let mut forged = vec![ChainRow { audit_event_id: -1, ..c[0].clone() }];
        forged.extend(c.clone());
        assert_eq!(verify_chain(forged, Some(&key())).first_break, Some(ChainBreak::InvalidId(-1)));
        let mut forged = vec![ChainRow { audit_event_id: 0, ..c[0].clone() }];
        forged.extend(c.clone());
        assert_eq!(verify_chain(forged, Some(&key())).first_break, Some(ChainBreak::InvalidId(0)));
        let mut repeated = c.clone();
        repeated.insert(2, c[1].clone());
        assert_eq!(verify_chain(repeated, Some(&key())).first_break, Some(ChainBreak::DuplicateId(2)));
    }

    #[test]
    fn a_removed_checkpoint_and_records_past_the_last_one_are_named() {
        let k = key();
        let rows: Vec<ChainRow> = chain(0, 6)
            .into_iter()
            .enumerate()
            .map(|(i, r)| ChainRow {
                at: "2026-11-25T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(5 * i as i64),
                ..r
            })
            .collect();
        // Re-chain with the new times.
        let mut prev = String::new();
        let rows: Vec<ChainRow> = rows
            .into_iter()
            .map(|r| {
                let hash =
                    keyed_chain_hash(&k, &prev, r.at, r.actor_id, &r.role, r.subject_id, &r.action, None, Some("r"));
                let out = ChainRow { prev_hash: Some(prev.clone()), hash: Some(hash.clone()), ..r };
                prev = hash;
                out
            })
            .collect();
        let at = |rows_in: usize| Checkpoint {
            at: rows[rows_in - 1].at + chrono::Duration::seconds(30),
            ..checkpoint(&rows, rows_in)
        };
        let every = chrono::Duration::minutes(5);
        let run = |cps: Vec<Checkpoint>, rows: &[ChainRow]| {
            let mut v = ChainVerifier::new(Some(&k), cps).checkpoints_every(every);
            for r in rows {
                v.push(r);
            }
            v.finish()
        };
        let all: Vec<Checkpoint> = (1..=6).map(at).collect();
        let r = run(all.clone(), &rows);
        assert!(r.intact(), "{r:?}");
        // The line of the third checkpoint removed from the file: 10 minutes between the second
        // and the fourth is not more than twice the interval; two lines removed are.
        let mut two_gone = all.clone();
        two_gone.drain(2..4);
        let r = run(two_gone, &rows);
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::Gap { .. }]), "{r:?}");
        // The last three lines removed: the newest records are more than two intervals past the last.
        let r = run(all[..3].to_vec(), &rows);
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::Unanchored { .. }]), "{r:?}");
        // Without the schedule check nothing is said of either.
        let mut v = ChainVerifier::new(Some(&k), all[..3].to_vec());
        for r in &rows {
            v.push(r);
        }
        assert!(v.finish().intact());
    }

    #[test]
    fn checkpoints_name_a_deleted_tail_an_emptied_table_removed_hashes_and_a_recomputed_chain() {
        let k = key();
        let c = chain(0, 6);
        let cps = vec![checkpoint(&c, 0), checkpoint(&c, 3), checkpoint(&c, 6)];
        let r = verify_with(&c, cps.clone(), Some(&k));
        assert!(r.intact(), "{r:?}");
        assert_eq!(r.checkpoints_passed, 3);
        // The last two records deleted.
        let r = verify_with(&c[..4], cps.clone(), Some(&k));
        assert!(r.first_break.is_none());
        assert!(
            matches!(r.checkpoint_failures[..], [CheckpointFailure::TailDeleted { records: 6, found: 4, .. }]),
            "{r:?}"
        );
        // Emptied.
        let r = verify_with(&[], cps.clone(), Some(&k));
        assert!(
            matches!(
                r.checkpoint_failures[..],
                [CheckpointFailure::Emptied { records: 3, .. }, CheckpointFailure::Emptied { records: 6, .. }]
            ),
            "{r:?}"
        );
        // Every hash removed: the rows look as if from before the chain.
        let stripped: Vec<ChainRow> = c.iter().map(|r| ChainRow { hash: None, prev_hash: None, ..r.clone() }).collect();
        let r = verify_with(&stripped, cps.clone(), Some(&k));
        assert_eq!(
            r.first_break,
            Some(ChainBreak::Unsealed(1)),
            "no boundary was stated: an unsealed first record is a break"
        );
        assert!(
            matches!(
                r.checkpoint_failures[..],
                [
                    CheckpointFailure::HashesRemoved { records: 3, .. },
                    CheckpointFailure::HashesRemoved { records: 6, .. }
                ]
            ),
            "{r:?}"
        );
        // Edited and the whole chain recomputed with plain SHA-256 (no key needed for that).
        let mut prev = String::new();
        let recomputed: Vec<ChainRow> = c
            .iter()
            .map(|r| {
                let object = Some("edited".to_string());
                let hash = chain_hash(
                    &prev,
                    r.at,
                    r.actor_id,
                    &r.role,
                    r.subject_id,
                    &r.action,
                    object.as_deref(),
                    r.request_id.as_deref(),
                );
                let out = ChainRow { object, prev_hash: Some(prev.clone()), hash: Some(hash.clone()), ..r.clone() };
                prev = hash;
                out
            })
            .collect();
        let r = verify_with(&recomputed, cps, Some(&k));
        assert_eq!(
            r.first_break,
            Some(ChainBreak::Unkeyed(1)),
            "a plain chain from the start is a break without a stated boundary"
        );
        assert!(
            matches!(
                r.checkpoint_failures[..],
                [CheckpointFailure::Rewritten { records: 3, .. }, CheckpointFailure::Rewritten { records: 6, .. }]
            ),
            "{r:?}"
        );
    }
}
