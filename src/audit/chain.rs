//! The audit trail's keyed hash chain, pure: each record's hash, and the streaming verifier behind
//! `verify-audit` (checkpoints, the legacy boundary, the schedule). No I/O: the store streams the
//! rows in ([`crate::store::Store::stream_audit_chain`]), the tests feed them by hand.
//!
//! Every record carries `hash = HMAC-SHA256(chain key; prev_hash, at, actor, role, subject,
//! action, object, request id)`, written `hmac-sha256:<hex>`, with `prev_hash` the hash of the
//! record before it (by id). The key is kept outside the database (`audit.chain_key`): whoever can
//! rewrite the rows cannot recompute the chain. Every record must carry a keyed hash; records
//! written before the keyed chain existed (no hash, or a plain SHA-256 link) are accepted only up
//! to a boundary the operator states (`verify-audit --legacy-until ID`), never inferred from the
//! data: a trail whose hashes were all removed or recomputed without the key is broken at its
//! first record. Ids are positive; the walk reads every row in id order, whatever its id.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::checkpoint::Checkpoint;

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
        let mut v = Self::before_any(key, checkpoints, schedule);
        v.reach_checkpoints(None);
        v
    }

    /// A verifier that has seen no record yet.
    fn before_any(
        key: Option<&'k ChainKey>,
        checkpoints: Vec<Checkpoint>,
        schedule: Vec<(DateTime<Utc>, u64, i64)>,
    ) -> Self {
        ChainVerifier {
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
        }
    }

    /// Starts after `start` (a checkpoint whose signature verified): its head is the link the next
    /// record must follow and its count the position; only later checkpoints are checked.
    pub fn resume(key: Option<&'k ChainKey>, start: Checkpoint, mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.retain(|c| c.records > start.records);
        checkpoints.sort_by_key(|c| c.records);
        let schedule = std::iter::once(&start).chain(&checkpoints).map(|c| (c.at, c.records, c.last_id)).collect();
        let mut v = Self::before_any(key, checkpoints, schedule);
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
