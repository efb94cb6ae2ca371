//! Applies the pure visibility rules to stored rows: the one path from the database to "what this
//! viewer sees", used by every page, every count and the `explain` command. No I/O here either.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::catalogue::{DocumentKind, DocumentStatus, Service, ServiceTask};
use crate::domain::choices::Target;
use crate::domain::roles::Role;
use crate::domain::visibility::{self, DocumentFacts, NotYetShown, PublicationStart, Rule, Verdict};
use crate::store::{ClientRelationshipRow, DocumentRow, VisibilityStartRow};

/// The current version of a document with the verdict for one viewer.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub doc: DocumentRow,
    pub verdict: Verdict,
}

/// Everything the rules need besides the document: who looks, when, with which switches.
#[derive(Debug, Clone, Copy)]
pub struct Viewpoint {
    pub role: Role,
    pub today: NaiveDate,
    pub switches: NotYetShown,
}

/// The publication start dates that apply to a registrar's service task.
pub fn publication_for(starts: &[VisibilityStartRow], registrar_id: i64, task: &str) -> PublicationStart {
    let find = |t: &str| starts.iter().find(|s| s.registrar_id == registrar_id && s.service_task == t).map(|s| s.from_date);
    PublicationStart { for_task: find(task), for_registrar: find("") }
}

/// The rules' view of a stored version. A code the program does not know (the import refuses
/// them, so only a damaged database has one) fails closed: the document is never shown.
fn facts(doc: &DocumentRow) -> Option<DocumentFacts> {
    let service = match &doc.service {
        None => None,
        Some(code) => Some(Service::from_code(code)?),
    };
    Some(DocumentFacts {
        status: DocumentStatus::from_code(&doc.status)?,
        phase: doc.phase,
        kind: DocumentKind::from_code(&doc.kind)?,
        service,
        joint_matter: doc.joint_matter,
        special_content: doc.special_content,
        delayed_until: doc.delayed_until,
        hidden_from_guardians: doc.hidden_from_guardians,
    })
}

/// The verdict for one document version (which must be the current one).
pub fn verdict(doc: &DocumentRow, starts: &[VisibilityStartRow], view: Viewpoint) -> Verdict {
    if ServiceTask::from_code(&doc.service_task).is_none() {
        return Verdict::Hidden(Rule::NeverShown);
    }
    match facts(doc) {
        Some(f) => visibility::decide(&f, publication_for(starts, doc.registrar_id, &doc.service_task), view.role, view.today, view.switches),
        None => Verdict::Hidden(Rule::NeverShown),
    }
}

/// Keeps only the current (highest) version of each document: earlier versions are never considered.
pub fn current_versions(rows: Vec<DocumentRow>) -> Vec<DocumentRow> {
    let mut by_id: BTreeMap<String, DocumentRow> = BTreeMap::new();
    for row in rows {
        match by_id.get(&row.document_id) {
            Some(existing) if existing.version >= row.version => {}
            _ => {
                by_id.insert(row.document_id.clone(), row);
            }
        }
    }
    by_id.into_values().collect()
}

/// Every document of a subject (current versions), each with its verdict, newest first.
pub fn evaluate(rows: Vec<DocumentRow>, starts: &[VisibilityStartRow], view: Viewpoint) -> Vec<Evaluated> {
    let mut out: Vec<Evaluated> = current_versions(rows)
        .into_iter()
        .map(|doc| {
            let verdict = verdict(&doc, starts, view);
            Evaluated { doc, verdict }
        })
        .collect();
    out.sort_by(|a, b| b.doc.document_created_at.cmp(&a.doc.document_created_at).then_with(|| a.doc.document_id.cmp(&b.doc.document_id)));
    out
}

/// Client relationships whose registrar has started publishing that service task (rule 6 applies to
/// them as to documents, DESIGN §2.3).
pub fn published_relationships(rows: Vec<ClientRelationshipRow>, starts: &[VisibilityStartRow], today: NaiveDate) -> Vec<ClientRelationshipRow> {
    rows.into_iter()
        .filter(|r| ServiceTask::from_code(&r.service_task).is_some())
        .filter(|r| visibility::is_published(publication_for(starts, r.registrar_id, &r.service_task), today))
        .collect()
}

/// The prohibition targets a viewer may choose (DESIGN §2.5: only what they can see): the registrars
/// and service tasks of shown documents and published client relationships, and the shown documents
/// themselves. `shown` must hold only documents whose verdict is shown for this viewer.
pub fn offered_targets(shown: &[DocumentRow], relationships: &[ClientRelationshipRow]) -> Vec<Target> {
    let mut registrars: Vec<i64> = shown.iter().map(|d| d.registrar_id).chain(relationships.iter().map(|r| r.registrar_id)).collect();
    registrars.sort_unstable();
    registrars.dedup();
    let tasks = ServiceTask::ALL
        .iter()
        .filter(|t| shown.iter().any(|d| d.service_task == t.code()) || relationships.iter().any(|r| r.service_task == t.code()))
        .map(|t| Target::ServiceTask(*t));
    registrars
        .into_iter()
        .map(Target::Registrar)
        .chain(tasks)
        .chain(shown.iter().map(|d| Target::Document(d.document_id.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, version: i32, status: &str) -> DocumentRow {
        DocumentRow {
            document_id: id.into(),
            version,
            person_id: 1,
            registrar_id: 7,
            registrar_name_fi: "R".into(),
            registrar_name_sv: "R".into(),
            service_task: "older_people".into(),
            service: None,
            kind: "decision".into(),
            phase: 2,
            status: status.into(),
            joint_matter: false,
            document_created_at: "2026-03-04T10:00:00Z".parse().unwrap(),
            title: format!("{id} v{version}"),
            language: "fi".into(),
            author: "A".into(),
            unit: "U".into(),
            sections: "[]".into(),
            delayed_until: None,
            special_content: false,
            hidden_from_guardians: false,
        }
    }

    fn view() -> Viewpoint {
        Viewpoint { role: Role::Own, today: "2026-05-10".parse().unwrap(), switches: NotYetShown::default() }
    }

    #[test]
    fn only_the_newest_version_is_considered() {
        let rows = vec![row("A", 1, "active"), row("A", 3, "active"), row("A", 2, "active")];
        let e = evaluate(rows, &[], view());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].doc.version, 3);
        assert_eq!(e[0].verdict, Verdict::Shown);
    }

    #[test]
    fn an_invalidated_newest_version_hides_the_earlier_ones_too() {
        let rows = vec![row("A", 1, "active"), row("A", 2, "invalidated")];
        let e = evaluate(rows, &[], view());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].verdict, Verdict::Hidden(Rule::Invalidated));
    }

    #[test]
    fn unknown_codes_fail_closed() {
        let mut r = row("A", 1, "active");
        r.kind = "mystery".into();
        assert_eq!(evaluate(vec![r], &[], view())[0].verdict, Verdict::Hidden(Rule::NeverShown));
        let mut r = row("B", 1, "active");
        r.service_task = "mystery".into();
        assert_eq!(evaluate(vec![r], &[], view())[0].verdict, Verdict::Hidden(Rule::NeverShown));
    }

    #[test]
    fn offered_targets_are_what_the_viewer_sees() {
        let mut a = row("A", 1, "active");
        a.registrar_id = 9;
        let b = row("B", 1, "active");
        let rel = ClientRelationshipRow {
            registrar_id: 11,
            registrar_name_fi: "X".into(),
            registrar_name_sv: "X".into(),
            service_task: "disability".into(),
            started_on: "2026-01-01".parse().unwrap(),
            ended_on: None,
            worker_name: None,
            worker_title: None,
            worker_unit: None,
            worker_phone: None,
            worker_email: None,
        };
        let got = offered_targets(&[a, b], &[rel]);
        assert_eq!(
            got,
            vec![
                Target::Registrar(7),
                Target::Registrar(9),
                Target::Registrar(11),
                Target::ServiceTask(ServiceTask::OlderPeople),
                Target::ServiceTask(ServiceTask::Disability),
                Target::Document("A".into()),
                Target::Document("B".into()),
            ]
        );
        assert!(offered_targets(&[], &[]).is_empty());
    }

    #[test]
    fn publication_dates_are_per_registrar_and_task() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let starts = vec![
            VisibilityStartRow { registrar_id: 7, service_task: "".into(), from_date: d("2026-01-01") },
            VisibilityStartRow { registrar_id: 7, service_task: "family_law".into(), from_date: d("2027-01-01") },
            VisibilityStartRow { registrar_id: 8, service_task: "".into(), from_date: d("2030-01-01") },
        ];
        let p = publication_for(&starts, 7, "family_law");
        assert_eq!((p.for_task, p.for_registrar), (Some(d("2027-01-01")), Some(d("2026-01-01"))));
        let p = publication_for(&starts, 7, "older_people");
        assert_eq!((p.for_task, p.for_registrar), (None, Some(d("2026-01-01"))));
        let mut r = row("A", 1, "active");
        r.service_task = "family_law".into();
        assert_eq!(evaluate(vec![r], &starts, view())[0].verdict, Verdict::Hidden(Rule::NotYetPublished));
    }
}
