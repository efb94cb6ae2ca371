//! `sosiaalitiedot audit-archive --month 2026-10 --out FILE` and `verify-audit --archive FILE`:
//! a closed month of the audit trail as a compressed JSON Lines file that proves itself, so that
//! its partition can be detached from the live trail (and dropped by the operator once the file
//! is on write-once storage) while both stay verifiable.
//!
//! The file (gzip), one JSON object a line:
//! ```text
//! {"type":"audit_archive","schema":"sosiaalitiedot-audit-archive/1","month":"2026-10","first_id":…,"last_id":…,"records":…}
//! {"type":"checkpoint","bracket":"start","checkpoint":{…}}   (absent when the month starts the chain)
//! {"type":"checkpoint","bracket":"end","checkpoint":{…}}
//! {"type":"record","audit_event_id":…,"at":…,"actor_id":…,"role":…,"subject_id":…,"action":…,"object":…,"request_id":…,"prev_hash":…,"hash":…}
//! …
//! ```
//! The checkpoints are the signed ones that bracket the month: the start one's head is the link the
//! month's first record follows, the end one is exactly at its last record. Verifying the file walks
//! its records from the start checkpoint with the chain key and requires the chain to pass through
//! the end checkpoint with the right count; with the public keys both signatures are checked.

use std::io::{BufRead, Write};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use super::chain::{ChainKey, ChainReport, ChainRow, ChainVerifier};
use super::checkpoint::{Checkpoint, CheckpointKeys};

pub const SCHEMA: &str = "sosiaalitiedot-audit-archive/1";

/// The first line of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub month: String,
    pub first_id: i64,
    pub last_id: i64,
    pub records: u64,
}

/// A month as `YYYY-MM` → its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

fn record_json(r: &ChainRow) -> Value {
    json!({
        "type": "record",
        "audit_event_id": r.audit_event_id,
        "at": r.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        "actor_id": r.actor_id,
        "role": r.role,
        "subject_id": r.subject_id,
        "action": r.action,
        "object": r.object,
        "request_id": r.request_id,
        "prev_hash": r.prev_hash,
        "hash": r.hash,
    })
}

fn record_of(v: &Value) -> Option<ChainRow> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Some(ChainRow {
        audit_event_id: v.get("audit_event_id")?.as_i64()?,
        at: v.get("at")?.as_str()?.parse::<DateTime<Utc>>().ok()?,
        actor_id: v.get("actor_id")?.as_i64()?,
        role: text("role")?,
        subject_id: v.get("subject_id")?.as_i64()?,
        action: text("action")?,
        object: text("object"),
        request_id: text("request_id"),
        prev_hash: text("prev_hash"),
        hash: text("hash"),
    })
}

/// Writes an archive: the header, the bracketing checkpoints, then each record as `next` yields
/// it (the caller streams them from the database).
pub struct Writer<W: Write> {
    out: flate2::write::GzEncoder<W>,
}

impl<W: Write> Writer<W> {
    pub fn start(out: W, header: &Header, start: Option<&Checkpoint>, end: &Checkpoint) -> std::io::Result<Self> {
        let mut out = flate2::write::GzEncoder::new(out, flate2::Compression::default());
        let head = json!({ "type": "audit_archive", "schema": SCHEMA, "month": header.month, "first_id": header.first_id, "last_id": header.last_id, "records": header.records });
        writeln!(out, "{head}")?;
        if let Some(c) = start {
            writeln!(out, "{}", json!({ "type": "checkpoint", "bracket": "start", "checkpoint": c }))?;
        }
        writeln!(out, "{}", json!({ "type": "checkpoint", "bracket": "end", "checkpoint": end }))?;
        Ok(Writer { out })
    }

    pub fn record(&mut self, r: &ChainRow) -> std::io::Result<()> {
        writeln!(self.out, "{}", record_json(r))
    }

    pub fn finish(self) -> std::io::Result<W> {
        self.out.finish()
    }
}

/// What verifying an archive found.
#[derive(Debug)]
pub struct ArchiveReport {
    pub header: Header,
    pub chain: ChainReport,
    /// Problems with the file itself: its form, its counts, its checkpoints' signatures.
    pub problems: Vec<String>,
    pub records: u64,
}

impl ArchiveReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty() && self.chain.intact() && self.chain.checkpoints_passed == 1
    }

    /// Everything that keeps the archive from being intact, one sentence each.
    pub fn failures(&self) -> Vec<String> {
        let mut out = self.problems.clone();
        out.extend(self.chain.first_break.iter().map(|b| b.to_string()));
        out.extend(self.chain.checkpoint_failures.iter().map(|f| f.to_string()));
        if out.is_empty() && self.chain.checkpoints_passed != 1 {
            out.push("the chain does not reach the end checkpoint".into());
        }
        out
    }
}

/// Verifies an archive on its own: its form, the chain of its records from the start checkpoint
/// through the end one, and (with `keys`) both checkpoints' signatures. Streams the file.
pub fn verify(
    input: impl std::io::Read,
    key: Option<&ChainKey>,
    keys: Option<&CheckpointKeys>,
) -> Result<ArchiveReport, String> {
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(input));
    let mut lines = reader.lines().enumerate();
    let mut problems = Vec::new();
    let next_value = |lines: &mut std::iter::Enumerate<std::io::Lines<_>>| -> Result<Option<(usize, Value)>, String> {
        match lines.next() {
            None => Ok(None),
            Some((i, line)) => {
                let line: String = line.map_err(|e: std::io::Error| format!("not a readable archive (gzip): {e}"))?;
                serde_json::from_str(&line)
                    .map(|v| Some((i + 1, v)))
                    .map_err(|e| format!("line {}: not JSON: {e}", i + 1))
            }
        }
    };
    let Some((_, head)) = next_value(&mut lines)? else { return Err("the archive is empty".into()) };
    if head.get("type").and_then(Value::as_str) != Some("audit_archive")
        || head.get("schema").and_then(Value::as_str) != Some(SCHEMA)
    {
        return Err(format!("line 1: not an audit archive of schema {SCHEMA}"));
    }
    let header = Header {
        month: head.get("month").and_then(Value::as_str).unwrap_or_default().to_string(),
        first_id: head.get("first_id").and_then(Value::as_i64).ok_or("line 1: first_id missing")?,
        last_id: head.get("last_id").and_then(Value::as_i64).ok_or("line 1: last_id missing")?,
        records: head.get("records").and_then(Value::as_u64).ok_or("line 1: records missing")?,
    };
    let mut start: Option<Checkpoint> = None;
    let mut end: Option<Checkpoint> = None;
    let mut verifier: Option<ChainVerifier> = None;
    let mut records = 0u64;
    let mut last_id = None;
    let mut first_id = None;
    while let Some((n, v)) = next_value(&mut lines)? {
        match v.get("type").and_then(Value::as_str) {
            Some("checkpoint") if verifier.is_none() => {
                let c: Checkpoint = serde_json::from_value(v.get("checkpoint").cloned().unwrap_or_default())
                    .map_err(|e| format!("line {n}: not a checkpoint: {e}"))?;
                if keys.is_some_and(|k| !k.verifies(&c)) {
                    problems.push(format!(
                        "line {n}: the {} checkpoint's signature does not verify (forged or another key)",
                        v.get("bracket").and_then(Value::as_str).unwrap_or("?")
                    ));
                }
                match v.get("bracket").and_then(Value::as_str) {
                    Some("start") => start = Some(c),
                    Some("end") => end = Some(c),
                    _ => return Err(format!("line {n}: a checkpoint's bracket is start or end")),
                }
            }
            Some("record") => {
                let r = record_of(&v).ok_or_else(|| format!("line {n}: not an audit record"))?;
                let v = verifier.get_or_insert_with(|| {
                    let end = end.clone().unwrap_or_else(|| Checkpoint {
                        records: 0,
                        last_id: 0,
                        head: String::new(),
                        at: Utc::now(),
                        key_id: String::new(),
                        signature: String::new(),
                    });
                    match &start {
                        Some(s) => ChainVerifier::resume(key, s.clone(), vec![end]),
                        None => ChainVerifier::new(key, vec![end]),
                    }
                });
                if last_id.is_some_and(|l| r.audit_event_id <= l) {
                    problems.push(format!("line {n}: record {} is out of order", r.audit_event_id));
                }
                first_id.get_or_insert(r.audit_event_id);
                last_id = Some(r.audit_event_id);
                v.push(&r);
                records += 1;
            }
            _ => return Err(format!("line {n}: unknown line")),
        }
    }
    let Some(end) = end else { return Err("the archive has no end checkpoint".into()) };
    if records != header.records {
        problems.push(format!("the archive holds {records} record(s), its header says {}", header.records));
    }
    if first_id != Some(header.first_id) || last_id != Some(header.last_id) {
        problems.push(format!(
            "the records run from {first_id:?} to {last_id:?}, the header says {} to {}",
            header.first_id, header.last_id
        ));
    }
    if end.last_id != header.last_id {
        problems.push(format!(
            "the end checkpoint is at record {}, not at the month's last record {}",
            end.last_id, header.last_id
        ));
    }
    let chain = match verifier {
        Some(v) => v.finish(),
        None => return Err("the archive has no records".into()),
    };
    Ok(ArchiveReport { header, chain, problems, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_four_digit_years_and_two_digit_months() {
        assert_eq!(parse_month("2026-10"), NaiveDate::from_ymd_opt(2026, 10, 1));
        for bad in ["2026-13", "26-10", "2026-1", "2026/10", "", "2026-10-01"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
