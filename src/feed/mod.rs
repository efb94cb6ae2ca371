//! The archive feed import (DESIGN §3): JSON Lines in, all or nothing into the store.
//!
//! Parsing and checking happen first for the whole file ([`parse`]); references the file does not
//! define are looked up inside the write transaction; only a file without a single error is written,
//! in that same transaction. Every error is reported, in line order.

pub mod fields;
pub mod json;
pub mod parse;


use std::collections::HashMap;
use std::io::BufRead;

use parse::{FeedError, FeedParser, RefTarget};

use crate::store::{IdCache, ImportCounts, Store, StoreError};

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

/// What the importer reports as it goes: `Read(n)` lines read, `Written(n)` records written.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Read(usize),
    Written(usize),
}

const PROGRESS_EVERY: usize = 100_000;

/// Imports a whole feed atomically. Re-importing the same feed changes nothing.
pub async fn import(
    store: &Store,
    reader: impl BufRead,
    mut progress: impl FnMut(Progress),
) -> Result<ImportCounts, ImportError> {
    let mut parser = FeedParser::new();
    let mut line_no = 0;
    for line in reader.lines() {
        line_no += 1;
        let line = line.map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                ImportError::Invalid(vec![FeedError { line: line_no, field: "-".into(), message: "not valid UTF-8".into() }])
            } else {
                ImportError::Io(e)
            }
        })?;
        parser.line(line_no, &line);
        if line_no % PROGRESS_EVERY == 0 {
            progress(Progress::Read(line_no));
        }
    }
    let parsed = parser.finish();
    crate::observability::import_progress(line_no as u64, parsed.errors.len() as u64);
    let mut errors = parsed.errors;

    let mut tx = store.begin().await?;
    let mut persons: HashMap<String, bool> = HashMap::new();
    let mut organisations: HashMap<String, bool> = HashMap::new();
    let mut owners: HashMap<String, Option<String>> = HashMap::new();
    for r in &parsed.pending {
        let problem = match &r.target {
            RefTarget::Person(hetu) => {
                let known = match persons.get(hetu.as_str()) {
                    Some(k) => *k,
                    None => {
                        let k = tx.person_id(hetu.as_str()).await?.is_some();
                        persons.insert(hetu.as_str().to_string(), k);
                        k
                    }
                };
                (!known).then(|| "refers to a person who is neither in the database nor earlier in the file".to_string())
            }
            RefTarget::Organisation(oid) => {
                let known = match organisations.get(oid) {
                    Some(k) => *k,
                    None => {
                        let k = tx.organisation_id(oid).await?.is_some();
                        organisations.insert(oid.clone(), k);
                        k
                    }
                };
                (!known).then(|| format!("unknown organisation \"{oid}\": neither in the database nor earlier in the file"))
            }
            RefTarget::Document { id, person } | RefTarget::DocumentOwner { id, person } | RefTarget::AttachmentParent { id, person } => {
                let owner = match owners.get(id) {
                    Some(o) => o.clone(),
                    None => {
                        let o = tx.document_owner(id).await?;
                        owners.insert(id.clone(), o.clone());
                        o
                    }
                };
                let must_exist = matches!(r.target, RefTarget::Document { .. });
                match owner {
                    None if must_exist => Some(format!("unknown document \"{id}\": neither in the database nor earlier in the file")),
                    None => None,
                    Some(o) if o != person.as_str() && !matches!(r.target, RefTarget::DocumentOwner { .. }) => {
                        Some("the document belongs to another person".to_string())
                    }
                    Some(o) if o != person.as_str() => Some("differs from the person of the stored document with this id".to_string()),
                    Some(_) => None,
                }
            }
        };
        if let Some(message) = problem {
            errors.push(FeedError { line: r.line, field: r.field.clone(), message });
        }
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(ImportError::Invalid(errors)); // the transaction is rolled back on drop
    }

    let mut ids = IdCache::default();
    let mut counts = ImportCounts::default();
    for (i, (_, record)) in parsed.records.iter().enumerate() {
        tx.write(record, &mut ids).await?;
        *counts.0.entry(record.type_name()).or_default() += 1;
        if (i + 1) % PROGRESS_EVERY == 0 {
            progress(Progress::Written(i + 1));
        }
    }
    tx.commit().await?;
    Ok(counts)
}
