//! `sosiaalitiedot explain`: the support tool for "why doesn't the client see document X?" (seed 000
//! lists the manual checklist this replaces). It calls the same role and visibility functions as
//! the pages; the JSON form is a stable contract, the text form is for people.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::hetu::Hetu;
use crate::domain::roles::Role;
use crate::domain::visibility::{NotYetShown, Rule};
use crate::records::{self, Viewpoint};
use crate::store::{Store, StoreError};

#[derive(Debug, Serialize)]
pub struct Report {
    pub subject: String,
    pub viewer: String,
    pub role: Role,
    pub on: NaiveDate,
    pub documents: Vec<DocumentVerdict>,
}

#[derive(Debug, Serialize)]
pub struct DocumentVerdict {
    pub id: String,
    pub version: i32,
    pub title: String,
    pub service_task: String,
    pub verdict: &'static str,
    pub rule: Option<Rule>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("{0}: not a valid personal identity code ({1})")]
    InvalidHetu(&'static str, crate::domain::hetu::HetuError),
    #[error("{0}: no such person in the database")]
    UnknownPerson(&'static str),
    /// The viewer cannot act for the subject: nothing about the subject may be printed.
    #[error("the viewer cannot act for this person in this service on that date")]
    NoRole,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What `viewer` (default: the subject) sees of `subject`'s documents `on` a date.
pub async fn explain(
    store: &Store,
    switches: NotYetShown,
    subject: &str,
    viewer: Option<&str>,
    on: NaiveDate,
) -> Result<Report, ExplainError> {
    let subject_hetu = Hetu::parse(subject).map_err(|e| ExplainError::InvalidHetu("--subject", e))?;
    let viewer_hetu = match viewer {
        Some(v) => Hetu::parse(v).map_err(|e| ExplainError::InvalidHetu("--viewer", e))?,
        None => subject_hetu.clone(),
    };
    // A viewer who is not in the population data has no role for anyone.
    let viewer_row = match store.person_by_hetu(viewer_hetu.as_str()).await? {
        Some(row) => row,
        None if viewer_hetu != subject_hetu => return Err(ExplainError::NoRole),
        None => return Err(ExplainError::UnknownPerson("--subject")),
    };
    // An unknown subject and a subject without a role look the same to a viewer other than
    // the subject: neither reveals whether the person exists.
    let subject_row = match store.person_by_hetu(subject_hetu.as_str()).await? {
        Some(row) => row,
        None if viewer.is_some() && viewer_hetu != subject_hetu => return Err(ExplainError::NoRole),
        None => return Err(ExplainError::UnknownPerson("--subject")),
    };
    let role = crate::access::role_for(store, &viewer_row, &subject_row, on).await?.ok_or(ExplainError::NoRole)?;
    let starts = store.visibility_starts().await?;
    let view = Viewpoint { role, today: on, switches };
    let documents = records::evaluate(store.documents_of(subject_row.person_id).await?, &starts, view)
        .into_iter()
        .map(|e| DocumentVerdict {
            id: e.doc.document_id,
            version: e.doc.version,
            title: e.doc.title,
            service_task: e.doc.service_task,
            verdict: e.verdict.code(),
            rule: e.verdict.rule(),
        })
        .collect();
    Ok(Report { subject: subject_hetu.as_str().to_string(), viewer: viewer_hetu.as_str().to_string(), role, on, documents })
}

/// A sentence for each rule, for the text form.
pub fn rule_in_words(rule: Option<Rule>) -> &'static str {
    match rule {
        None => "shown",
        Some(Rule::Invalidated) => "rule 1: the current version is invalidated (mitätöity); earlier versions are never shown",
        Some(Rule::OldFormat) => "rule 2: old or phase-1 document (phase < 2)",
        Some(Rule::NeverShown) => "rule 3: a kind or service that is never shown in the citizen's view",
        Some(Rule::NotYetShown) => "rule 4: a category not shown yet (operator switch off)",
        Some(Rule::SpecialContent) => "rule 5: special-content marking (erityissisältömerkintä)",
        Some(Rule::NotYetPublished) => "rule 6: the registrar's publication start date for this service task is later",
        Some(Rule::Delayed) => "rule 7: display delayed by a professional; shown from the delay date on",
        Some(Rule::HiddenFromGuardians) => "rule 8: restricted from guardians and persons entitled to information",
    }
}

/// The text form.
pub fn to_text(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!("Viewer role: {} — evaluated on {}\n", r.role.code(), r.on));
    if r.documents.is_empty() {
        out.push_str("The subject has no documents.\n");
    }
    for d in &r.documents {
        out.push_str(&format!(
            "\n{} v{} [{}] {}\n  {}: {}\n",
            d.id,
            d.version,
            d.service_task,
            d.title,
            d.verdict.to_uppercase(),
            rule_in_words(d.rule)
        ));
    }
    let shown = r.documents.iter().filter(|d| d.verdict == "shown").count();
    out.push_str(&format!("\n{shown} of {} documents shown.\n", r.documents.len()));
    out
}
