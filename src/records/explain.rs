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
    pub relationships: Vec<RelationshipVerdict>,
    pub data_use: Vec<DataUseVerdict>,
}

/// A client relationship (and its own worker) with the verdict: "why does the client see this registrar?"
#[derive(Debug, Serialize)]
pub struct RelationshipVerdict {
    pub registrar: String,
    pub service_task: String,
    pub service: Option<String>,
    pub started_on: NaiveDate,
    pub verdict: &'static str,
    pub rule: Option<Rule>,
}

/// A data-use event with the verdict.
#[derive(Debug, Serialize)]
pub struct DataUseVerdict {
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: String,
    pub registrar: String,
    pub document: Option<String>,
    pub service: Option<String>,
    pub verdict: &'static str,
    pub rule: Option<Rule>,
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

/// Who looks at whom, in which role `on` a date: the viewer rules `explain` and `export-records`
/// share. An unknown viewer, an unknown subject asked about by someone else and a viewer without a
/// role are all [`ExplainError::NoRole`]: nothing tells whether the person exists.
/// Returns the subject's and the viewer's rows and the viewer's role.
pub async fn resolve_viewer(
    store: &Store,
    subject: &str,
    viewer: Option<&str>,
    on: NaiveDate,
) -> Result<(crate::store::PersonRow, crate::store::PersonRow, Role), ExplainError> {
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
    let role =
        crate::records::access::role_for(store, &viewer_row, &subject_row, on).await?.ok_or(ExplainError::NoRole)?;
    Ok((subject_row, viewer_row, role))
}

/// What `viewer` (default: the subject) sees of `subject`'s documents `on` a date.
pub async fn explain(
    store: &Store,
    switches: NotYetShown,
    subject: &str,
    viewer: Option<&str>,
    on: NaiveDate,
) -> Result<Report, ExplainError> {
    let (subject_row, viewer_row, role) = resolve_viewer(store, subject, viewer, on).await?;
    let view = Viewpoint { role, today: on, switches };
    let seen = records::load(store, &store.visibility_starts().await?, subject_row.person_id, view).await?;
    let data_use = store
        .data_use_of(subject_row.person_id, None, None)
        .await?
        .into_iter()
        .map(|e| {
            let verdict = seen.data_use_verdict(&e);
            DataUseVerdict {
                verdict: verdict.code(),
                rule: verdict.rule(),
                id: e.event_id,
                at: e.at,
                by: e.by_name_fi,
                registrar: e.registrar_name_fi,
                document: e.document_id,
                service: e.service,
            }
        })
        .collect();
    let relationships = seen
        .relationships
        .iter()
        .map(|r| RelationshipVerdict {
            registrar: r.rel.registrar_name_fi.clone(),
            service_task: r.rel.service_task.clone(),
            service: r.rel.service.clone(),
            started_on: r.rel.started_on,
            verdict: r.verdict.code(),
            rule: r.verdict.rule(),
        })
        .collect();
    let documents = seen
        .documents
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
    Ok(Report { subject: subject_row.hetu, viewer: viewer_row.hetu, role, on, documents, relationships, data_use })
}

/// A sentence for each rule, for the text form.
pub fn rule_in_words(rule: Option<Rule>) -> &'static str {
    match rule {
        None => "shown",
        Some(Rule::Invalidated) => {
            "rule 1: the current version is invalidated (mitätöity); earlier versions are never shown"
        }
        Some(Rule::OldFormat) => {
            "rule 2: old or phase-1 document (phase < 2), or made before the registrar joined Kanta"
        }
        Some(Rule::NeverShown) => "rule 3: a kind or service that is never shown in the citizen's view",
        Some(Rule::NotYetShown) => "rule 4: a category not shown yet (operator switch off)",
        Some(Rule::SpecialContent) => "rule 5: special-content marking (erityissisältömerkintä)",
        Some(Rule::NotYetPublished) => "rule 6: the registrar's publication start date for this service task is later",
        Some(Rule::Delayed) => "rule 7: display delayed by a professional; shown from the delay date on",
        Some(Rule::HiddenFromGuardians) => "rule 8: restricted from guardians and persons entitled to information",
        Some(Rule::MissingParent) => "attachment or event about a document the subject does not have (missing parent)",
    }
}

/// The text form. Every text from the feed is escaped: no control character or bidirectional
/// override reaches the terminal.
pub fn to_text(r: &Report) -> String {
    use crate::domain::text::escape_controls as esc;
    let mut out = String::new();
    out.push_str(&format!("Viewer role: {} — evaluated on {}\n", r.role.code(), r.on));
    if r.documents.is_empty() {
        out.push_str("The subject has no documents.\n");
    }
    for d in &r.documents {
        out.push_str(&format!(
            "\n{} v{} [{}] {}\n  {}: {}\n",
            esc(&d.id),
            d.version,
            esc(&d.service_task),
            esc(&d.title),
            d.verdict.to_uppercase(),
            rule_in_words(d.rule)
        ));
    }
    let shown = r.documents.iter().filter(|d| d.verdict == "shown").count();
    out.push_str(&format!("\n{shown} of {} documents shown.\n", r.documents.len()));
    if !r.relationships.is_empty() {
        out.push_str("\nClient relationships:\n");
    }
    for c in &r.relationships {
        out.push_str(&format!(
            "  {} [{}{}] from {}\n    {}: {}\n",
            esc(&c.registrar),
            esc(&c.service_task),
            c.service.as_deref().map(|s| format!(", {}", esc(s))).unwrap_or_default(),
            c.started_on,
            c.verdict.to_uppercase(),
            rule_in_words(c.rule)
        ));
    }
    if !r.data_use.is_empty() {
        out.push_str("\nData-use events:\n");
    }
    for e in &r.data_use {
        out.push_str(&format!(
            "  {} {} by {} of {}{}\n    {}: {}\n",
            esc(&e.id),
            e.at.to_rfc3339(),
            esc(&e.by),
            esc(&e.registrar),
            e.document.as_deref().map(|d| format!(" (document {})", esc(d))).unwrap_or_default(),
            e.verdict.to_uppercase(),
            rule_in_words(e.rule)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_escapes_control_characters_and_lists_relationships_and_events() {
        let report = Report {
            subject: "x".into(),
            viewer: "x".into(),
            role: Role::Own,
            on: "2026-11-25".parse().unwrap(),
            documents: vec![DocumentVerdict {
                id: "D\u{1b}[2J".into(),
                version: 1,
                title: "Päätös\u{202e}txt.exe\u{7}".into(),
                service_task: "older_people".into(),
                verdict: "shown",
                rule: None,
            }],
            relationships: vec![RelationshipVerdict {
                registrar: "Ensi- ja turvakoti".into(),
                service_task: "working_age".into(),
                service: Some("shelter".into()),
                started_on: "2026-06-02".parse().unwrap(),
                verdict: "hidden",
                rule: Some(Rule::NeverShown),
            }],
            data_use: vec![DataUseVerdict {
                id: "E1".into(),
                at: "2026-06-03T07:00:00Z".parse().unwrap(),
                by: "Ensi- ja turvakoti".into(),
                registrar: "Ensi- ja turvakoti".into(),
                document: None,
                service: Some("shelter".into()),
                verdict: "hidden",
                rule: Some(Rule::NeverShown),
            }],
        };
        let text = to_text(&report);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        assert!(!text.contains('\u{202e}'));
        assert!(text.contains("D\\u{001b}[2J"), "{text}");
        assert!(
            text.contains(
                "Client relationships:\n  Ensi- ja turvakoti [working_age, shelter] from 2026-06-02\n    HIDDEN: rule 3"
            ),
            "{text}"
        );
        assert!(text.contains("Data-use events:\n  E1 "), "{text}");
    }
}
