//! The archive feed import (DESIGN §3): JSON Lines in, all or nothing into the store.
//!
//! Streaming, so that memory does not grow with the feed: a reader thread parses and checks the
//! file in batches ([`parse`]) while this task settles each batch's references and duplicates
//! against what earlier batches wrote and the database, and writes the batch — all in one
//! transaction. Records with an error are not written, the rest still are (later lines may refer to
//! them), and any error at all rolls the whole transaction back: nothing is written. Every error is
//! reported, in line order.

pub mod error;
pub mod fields;
pub mod json;
pub mod parse;
pub mod progress;

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use parse::{FeedError, FeedParser, Parsed, RefTarget};

use crate::domain::archive::Record;
use crate::store::{ImportCounts, Store, StoreError, Tx};

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the feed has {} error(s)", .0.len())]
    Invalid(Vec<FeedError>),
    #[error("cannot read the feed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How far the import has come: lines read and checked, and the bytes they took.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub lines: usize,
    pub bytes: u64,
}

/// Lines parsed, checked and written together. Bounds memory: at most a few batches are in flight.
const BATCH_LINES: usize = 2_000;

/// Parsed batches waiting for the writer.
const BATCHES_IN_FLIGHT: usize = 4;

struct Batch {
    parsed: Parsed,
    progress: Progress,
}

/// The longest feed line accepted by default (`import.max_line_bytes`): 10 MB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 10_000_000;

/// Imports a whole feed atomically, lines up to [`DEFAULT_MAX_LINE_BYTES`].
pub async fn import(
    store: &Store,
    reader: impl BufRead + Send + 'static,
    progress: impl FnMut(Progress),
) -> Result<ImportCounts, ImportError> {
    import_with(store, reader, DEFAULT_MAX_LINE_BYTES, progress).await
}

/// Imports a whole feed atomically. Re-importing the same feed changes nothing. A line longer
/// than `max_line_bytes` is an error of its line, refused while it is read (never held whole).
/// Planner statistics are refreshed afterwards, so that the next page query is planned for the new
/// table sizes.
pub async fn import_with(
    store: &Store,
    reader: impl BufRead + Send + 'static,
    max_line_bytes: usize,
    mut progress: impl FnMut(Progress),
) -> Result<ImportCounts, ImportError> {
    let (sender, mut batches) = tokio::sync::mpsc::channel(BATCHES_IN_FLIGHT);
    let reader_thread = std::thread::Builder::new()
        .name("feed-reader".into())
        .spawn(move || read_batches(reader, max_line_bytes, sender))
        .map_err(ImportError::Io)?;

    let demo_database = store.is_demo_database().await?;
    let mut tx = store.begin().await?;
    tx.start_import().await?;
    let mut organisations = tx.organisation_ids().await?;
    let mut errors: Vec<FeedError> = Vec::new();
    let mut counts = ImportCounts::default();
    let mut lines = 0;
    while let Some(batch) = batches.recv().await {
        let Batch { parsed, progress: p } = batch?;
        lines = p.lines;
        let mut parsed = parsed;
        if demo_database {
            refuse_real_codes(&mut parsed);
        }
        let written = settle_and_write(&mut tx, parsed, &mut organisations, &mut errors).await?;
        for kind in written {
            *counts.0.entry(kind).or_default() += 1;
        }
        progress(p);
    }
    // The thread has ended once the channel is closed; a panic in it is a bug worth surfacing.
    reader_thread.join().expect("the feed reader does not panic");
    crate::observability::import_progress(lines as u64, errors.len() as u64);
    if !errors.is_empty() {
        errors.sort();
        return Err(ImportError::Invalid(errors)); // the transaction is rolled back on drop
    }
    tx.end_import().await?;
    tx.commit().await?;
    if let Err(e) = store.refresh_statistics().await {
        tracing::warn!(error = %e, "the import was written but planner statistics were not refreshed");
    }
    Ok(counts)
}

/// A demo database takes test identity codes only: a person record with any other code is an
/// error of its line (and is not written), so a running demo never shows a real-looking person.
fn refuse_real_codes(parsed: &mut Parsed) {
    for (line, record) in &parsed.records {
        if let Record::Person(p) = record
            && !p.hetu.is_test_code()
        {
            parsed.errors.push(FeedError {
                line: *line,
                field: "hetu".into(),
                message: "a demo database takes test identity codes only (individual number 900–999)".into(),
            });
        }
    }
}

/// The reader thread: lines → parsed batches. Stops early when the writer has gone (an error).
fn read_batches(
    mut reader: impl BufRead,
    max_line_bytes: usize,
    sender: tokio::sync::mpsc::Sender<Result<Batch, ImportError>>,
) {
    let mut parser = FeedParser::new();
    let mut buf = Vec::with_capacity(4096);
    let (mut line_no, mut in_batch, mut bytes) = (0usize, 0usize, 0u64);
    loop {
        buf.clear();
        let too_long = match read_line_bounded(&mut reader, &mut buf, max_line_bytes) {
            Ok((0, _)) => break,
            Ok((n, too_long)) => {
                bytes += n;
                too_long
            }
            Err(e) => {
                let _ = sender.blocking_send(Err(ImportError::Io(e)));
                return;
            }
        };
        line_no += 1;
        match std::str::from_utf8(&buf) {
            _ if too_long => parser.too_long(line_no, max_line_bytes),
            Ok(text) => parser.line(line_no, text),
            Err(_) => parser.not_utf8(line_no),
        }
        in_batch += 1;
        if in_batch == BATCH_LINES {
            let parsed = std::mem::take(&mut parser).finish();
            if sender.blocking_send(Ok(Batch { parsed, progress: Progress { lines: line_no, bytes } })).is_err() {
                return;
            }
            in_batch = 0;
        }
    }
    let _ = sender.blocking_send(Ok(Batch { parsed: parser.finish(), progress: Progress { lines: line_no, bytes } }));
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `max` bytes of it: the rest of a
/// longer line is read and dropped, so memory stays flat. Returns the bytes the line took and
/// whether it was longer than `max`.
fn read_line_bounded(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<(u64, bool)> {
    let (mut total, mut too_long) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((total, too_long));
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let taken = chunk.len();
        // The line's own text, without its newline, counts against the bound.
        let text = chunk.strip_suffix(b"\n").unwrap_or(chunk);
        if !too_long {
            if buf.len() + text.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(taken);
        total += taken as u64;
        if done {
            return Ok((total, too_long));
        }
    }
}

/// Settles one batch: duplicates of earlier batches' keys, references the batch could not resolve
/// itself; then writes its records that have no error. Returns the written records' types.
async fn settle_and_write(
    tx: &mut Tx<'_>,
    parsed: Parsed,
    organisations: &mut HashMap<String, i64>,
    errors: &mut Vec<FeedError>,
) -> Result<Vec<&'static str>, StoreError> {
    let Parsed { records, errors: mut found, pending } = parsed;

    // Keys seen in an earlier batch (the parser caught those repeated within this one). Where the
    // store finds a document's or a data-use event's repeat as it writes it (its own table holds
    // the key, see `Tx::finds_repeats_when_written`), those are not claimed here; a repeat of such
    // a line that was left unwritten is still found here, and there is one only after an error.
    let when_written = tx.finds_repeats_when_written();
    let claimed = |r: &Record| !(when_written && keyed_by_own_table(r));
    let look_up = !errors.is_empty();
    let keys: Vec<Option<String>> = records.iter().map(|(_, r)| (claimed(r) || look_up).then(|| key_text(r))).collect();
    let (mut to_claim, mut to_look_up): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for ((_, r), key) in records.iter().zip(&keys) {
        match (key, claimed(r)) {
            (Some(k), true) => to_claim.push(k),
            (Some(k), false) => to_look_up.push(k),
            (None, _) => {}
        }
    }
    let repeated = tx.claim_keys(&to_claim, &to_look_up).await?;
    let mut duplicate_lines = HashSet::new();
    for ((line, record), key) in records.iter().zip(&keys) {
        if key.as_ref().is_some_and(|k| repeated.contains(k)) {
            found.push(FeedError {
                line: *line,
                field: parse::duplicate_field(record).into(),
                message: parse::duplicate_message(record),
            });
            duplicate_lines.insert(*line);
        }
    }

    // References to earlier batches or the database, each looked up once per batch.
    let mut hetus: Vec<String> = Vec::new();
    let mut document_ids: Vec<String> = Vec::new();
    for r in &pending {
        match &r.target {
            RefTarget::Person(h) => hetus.push(h.as_str().to_string()),
            RefTarget::Organisation(_) => {}
            RefTarget::Document { id, .. }
            | RefTarget::DocumentOwner { id, .. }
            | RefTarget::AttachmentParent { id, .. } => document_ids.push(id.clone()),
        }
    }
    for list in [&mut hetus, &mut document_ids] {
        list.sort_unstable();
        list.dedup();
    }
    let persons = tx.person_ids(&hetus).await?;
    let in_file = tx.file_document_owners(&document_ids).await?;
    let not_in_file: Vec<String> = document_ids.iter().filter(|id| !in_file.contains_key(*id)).cloned().collect();
    let stored = tx.stored_document_owners(&not_in_file).await?;
    for r in &pending {
        let problem = match &r.target {
            RefTarget::Person(h) => (!persons.contains_key(h.as_str()))
                .then(|| "refers to a person who is neither in the database nor earlier in the file".to_string()),
            RefTarget::Organisation(oid) => (!organisations.contains_key(oid))
                .then(|| format!("unknown organisation \"{oid}\": neither in the database nor earlier in the file")),
            RefTarget::Document { id, person }
            | RefTarget::DocumentOwner { id, person }
            | RefTarget::AttachmentParent { id, person } => {
                let (owner, from_file) = match (in_file.get(id), stored.get(id)) {
                    (Some(o), _) => (Some(o), true),
                    (None, o) => (o, false),
                };
                match (owner, &r.target) {
                    (None, RefTarget::Document { .. }) => {
                        Some(format!("unknown document \"{id}\": neither in the database nor earlier in the file"))
                    }
                    (None, _) => None,
                    (Some(o), RefTarget::DocumentOwner { .. }) if o != person.as_str() => Some(if from_file {
                        "differs from the person of an earlier version of this document".to_string()
                    } else {
                        "differs from the person of the stored document with this id".to_string()
                    }),
                    (Some(o), _) if o != person.as_str() => Some("the document belongs to another person".to_string()),
                    (Some(_), _) => None,
                }
            }
        };
        if let Some(message) = problem {
            found.push(FeedError { line: r.line, field: r.field.clone(), message });
        }
    }

    let bad_lines: HashSet<usize> = found.iter().map(|e| e.line).collect();
    let good: Vec<&Record> = records.iter().filter(|(line, _)| !bad_lines.contains(line)).map(|(_, r)| r).collect();
    let good_lines: Vec<usize> =
        records.iter().filter(|(line, _)| !bad_lines.contains(line)).map(|(l, _)| *l).collect();
    let mut repeat_lines: HashSet<usize> =
        tx.write_batch(&good, organisations).await?.into_iter().map(|i| good_lines[i]).collect();
    if when_written {
        // Lines left unwritten: a repeat of a written line is named here; the keys of the rest are
        // claimed, for the repeats of them that later batches may hold.
        let (unwritten, unwritten_keys): (Vec<(usize, &Record)>, Vec<String>) = records
            .iter()
            .filter(|(line, r)| bad_lines.contains(line) && !duplicate_lines.contains(line) && keyed_by_own_table(r))
            .map(|(line, r)| ((*line, r), key_text(r)))
            .unzip();
        if !unwritten.is_empty() {
            let unwritten_records: Vec<&Record> = unwritten.iter().map(|(_, r)| *r).collect();
            let repeats = tx.claim_unwritten(&unwritten_records, &unwritten_keys).await?;
            repeat_lines.extend(repeats.into_iter().map(|i| unwritten[i].0));
        }
    }
    for (line, record) in &records {
        if repeat_lines.contains(line) {
            found.push(FeedError {
                line: *line,
                field: parse::duplicate_field(record).into(),
                message: parse::duplicate_message(record),
            });
        }
    }

    // Which person each new document id belongs to, for later batches (also when it has an error,
    // so that later versions are not reported a second time as unknown), with whether it was written.
    let documents: Vec<(&str, &str, bool)> = records
        .iter()
        .filter(|(line, _)| !duplicate_lines.contains(line) && !repeat_lines.contains(line))
        .filter_map(|(line, r)| {
            if let Record::Document(d) = r {
                Some((d.id.as_str(), d.person.as_str(), !bad_lines.contains(line)))
            } else {
                None
            }
        })
        .collect();
    tx.remember_documents(&documents).await?;
    errors.extend(found);
    Ok(good.iter().map(|r| r.type_name()).collect())
}

/// Records whose table has the record's key as its own unique key: a document (id and version)
/// and a data-use event (its id).
fn keyed_by_own_table(record: &Record) -> bool {
    matches!(record, Record::Document(_) | Record::DataUse(_))
}

fn key_text(record: &Record) -> String {
    let (kind, key) = parse::record_key(record);
    format!("{kind}|{key}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_longer_than_the_bound_is_refused_while_read_and_the_next_line_is_whole() {
        let text = format!("{}\nshort\nlast", "x".repeat(100));
        let mut reader = std::io::BufReader::with_capacity(16, text.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(super::read_line_bounded(&mut reader, &mut buf, 50).unwrap(), (101, true));
        assert!(buf.len() <= 50, "never more than the bound held: {}", buf.len());
        buf.clear();
        assert_eq!(super::read_line_bounded(&mut reader, &mut buf, 50).unwrap(), (6, false));
        assert_eq!(buf, b"short\n");
        buf.clear();
        assert_eq!(super::read_line_bounded(&mut reader, &mut buf, 4).unwrap(), (4, false));
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(super::read_line_bounded(&mut reader, &mut buf, 4).unwrap(), (0, false));
    }
}
