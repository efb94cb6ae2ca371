//! Applies the pure visibility rules to stored rows: the one path from the database to "what this
//! viewer sees", used by every page, every count, the data-use log, the prohibition targets and the
//! `explain` command. [`load`] is the only function here that reads the store; everything else is
//! pure. DESIGN §2.2's "absent everywhere" holds because there is no other path.
//!
//! Long on purpose: about a third is tests of the loader's verdicts.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::domain::catalogue::{DocumentKind, DocumentStatus, Service, ServiceTask};
use crate::domain::choices::Target;
use crate::domain::roles::Role;
use crate::domain::time::helsinki_date;
use crate::domain::visibility::{self, DocumentFacts, NotYetShown, PublicationStart, RelationshipFacts, Rule, Verdict};
use crate::store::{ClientRelationshipRow, DataUseRow, DocumentRow, Store, VisibilityStartRow};

/// The current version of a document with the verdict for one viewer.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub doc: DocumentRow,
    pub verdict: Verdict,
    /// Whether it raises the general restriction notice on its task page (for viewers who may see it).
    pub notice: bool,
    /// When the earlier stored versions were made, oldest first (empty for a first version): an
    /// updated document says so ("päivitetty 12.5.2026; aiempi versio 3.3.2026"). Only the dates
    /// of earlier versions are ever used, never their content.
    pub earlier: Vec<chrono::DateTime<chrono::Utc>>,
}

/// A client relationship with the verdict for one viewer.
#[derive(Debug, Clone)]
pub struct EvaluatedRelationship {
    pub rel: ClientRelationshipRow,
    pub verdict: Verdict,
}

/// Everything the rules need besides the document: who looks, when, with which switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Viewpoint {
    pub role: Role,
    pub today: NaiveDate,
    pub switches: NotYetShown,
}

/// The publication start dates that apply to a registrar's service task.
pub fn publication_for(starts: &[VisibilityStartRow], registrar_id: i64, task: &str) -> PublicationStart {
    let find =
        |t: &str| starts.iter().find(|s| s.registrar_id == registrar_id && s.service_task == t).map(|s| s.from_date);
    PublicationStart { for_task: find(task), for_registrar: find("") }
}

/// A service code read from the database. An unknown code (the import refuses them, so only a
/// damaged database has one) is `Err`: the caller fails closed.
fn service_of(code: &Option<String>) -> Result<Option<Service>, ()> {
    match code {
        None => Ok(None),
        Some(c) => Service::from_code(c).map(Some).ok_or(()),
    }
}

/// The rules' view of a stored version; `None` for a code the program does not know.
fn facts(doc: &DocumentRow) -> Option<DocumentFacts> {
    Some(DocumentFacts {
        status: DocumentStatus::from_code(&doc.status)?,
        phase: doc.phase,
        kind: DocumentKind::from_code(&doc.kind)?,
        service: service_of(&doc.service).ok()?,
        joint_matter: doc.joint_matter,
        special_content: doc.special_content,
        delayed_until: doc.delayed_until,
        hidden_from_guardians: doc.hidden_from_guardians,
        created_on: helsinki_date(&doc.document_created_at),
        registrar_joined_kanta_on: doc.registrar_joined_kanta_on,
    })
}

/// The verdict for one document version (which must be the current one), before the attachment rule.
fn own_verdict(doc: &DocumentRow, starts: &[VisibilityStartRow], view: Viewpoint) -> (Verdict, bool) {
    if ServiceTask::from_code(&doc.service_task).is_none() {
        return (Verdict::Hidden(Rule::NeverShown), false);
    }
    match facts(doc) {
        Some(f) => {
            let publication = publication_for(starts, doc.registrar_id, &doc.service_task);
            let verdict = visibility::decide(&f, publication, view.role, view.today, view.switches);
            (verdict, visibility::gives_notice(verdict, publication, view.today))
        }
        None => (Verdict::Hidden(Rule::NeverShown), false),
    }
}

/// Keeps only the current (highest) version of each document, with the creation dates of the
/// earlier ones (oldest first): earlier versions are never considered for anything else.
pub fn current_versions(rows: Vec<DocumentRow>) -> Vec<(DocumentRow, Vec<chrono::DateTime<chrono::Utc>>)> {
    /// The newest version so far, and the (version, created) of the earlier ones.
    type Versions = (DocumentRow, Vec<(i32, chrono::DateTime<chrono::Utc>)>);
    let mut by_id: BTreeMap<String, Versions> = BTreeMap::new();
    for row in rows {
        match by_id.get_mut(&row.document_id) {
            Some((existing, earlier)) if existing.version >= row.version => {
                if existing.version > row.version {
                    earlier.push((row.version, row.document_created_at));
                }
            }
            Some((existing, earlier)) => {
                let old = std::mem::replace(existing, row);
                earlier.push((old.version, old.document_created_at));
            }
            None => {
                by_id.insert(row.document_id.clone(), (row, Vec::new()));
            }
        }
    }
    by_id
        .into_values()
        .map(|(row, mut earlier)| {
            earlier.sort_unstable();
            earlier.dedup_by_key(|(v, _)| *v);
            (row, earlier.into_iter().map(|(_, at)| at).collect())
        })
        .collect()
}

/// Every document of a subject (current versions), each with its verdict, newest first. An
/// attachment takes the stricter of its own and its parent's verdict (its parent among the same
/// subject's documents; a missing parent hides it).
pub fn evaluate(rows: Vec<DocumentRow>, starts: &[VisibilityStartRow], view: Viewpoint) -> Vec<Evaluated> {
    let mut out: Vec<Evaluated> = current_versions(rows)
        .into_iter()
        .map(|(doc, earlier)| {
            let (verdict, notice) = own_verdict(&doc, starts, view);
            Evaluated { doc, verdict, notice, earlier }
        })
        .collect();
    // Walk each attachment's chain of parents: every link must be shown, a missing parent or a
    // loop hides it.
    let own: HashMap<&str, (Verdict, Option<&str>)> =
        out.iter().map(|e| (e.doc.document_id.as_str(), (e.verdict, e.doc.attachment_of.as_deref()))).collect();
    let verdicts: Vec<Verdict> = out
        .iter()
        .map(|e| {
            let mut verdict = e.verdict;
            let mut next = e.doc.attachment_of.as_deref();
            let mut seen = vec![e.doc.document_id.as_str()];
            while let Some(parent) = next {
                let found = own.get(parent).filter(|_| !seen.contains(&parent));
                verdict = visibility::decide_attachment(verdict, found.map(|(v, _)| *v));
                seen.push(parent);
                next = found.and_then(|(_, p)| *p);
                if !verdict.is_shown() {
                    break;
                }
            }
            verdict
        })
        .collect();
    for (e, verdict) in out.iter_mut().zip(verdicts) {
        e.notice = e.notice && verdict == e.verdict;
        e.verdict = verdict;
    }
    out.sort_by(|a, b| {
        b.doc
            .document_created_at
            .cmp(&a.doc.document_created_at)
            .then_with(|| a.doc.document_id.cmp(&b.doc.document_id))
    });
    out
}

/// Client relationships, each with its verdict (DESIGN §2.3).
pub fn evaluate_relationships(
    rows: Vec<ClientRelationshipRow>,
    starts: &[VisibilityStartRow],
    view: Viewpoint,
) -> Vec<EvaluatedRelationship> {
    rows.into_iter()
        .map(|rel| {
            let verdict = if ServiceTask::from_code(&rel.service_task).is_none() {
                Verdict::Hidden(Rule::NeverShown)
            } else {
                match service_of(&rel.service) {
                    Ok(service) => visibility::decide_relationship(
                        RelationshipFacts { service, hidden_from_guardians: rel.hidden_from_guardians },
                        publication_for(starts, rel.registrar_id, &rel.service_task),
                        view.role,
                        view.today,
                    ),
                    Err(()) => Verdict::Hidden(Rule::NeverShown),
                }
            };
            EvaluatedRelationship { rel, verdict }
        })
        .collect()
}

/// The prohibition targets a viewer may choose (DESIGN §2.5: only what they can see): the registrars
/// and service tasks of shown documents and visible client relationships, and the shown documents
/// themselves. `shown` must hold only documents whose verdict is shown for this viewer.
pub fn offered_targets(shown: &[&DocumentRow], relationships: &[&ClientRelationshipRow]) -> Vec<Target> {
    let mut registrars: Vec<i64> =
        shown.iter().map(|d| d.registrar_id).chain(relationships.iter().map(|r| r.registrar_id)).collect();
    registrars.sort_unstable();
    registrars.dedup();
    let tasks = ServiceTask::ALL
        .iter()
        .filter(|t| {
            shown.iter().any(|d| d.service_task == t.code()) || relationships.iter().any(|r| r.service_task == t.code())
        })
        .map(|t| Target::ServiceTask(*t));
    registrars
        .into_iter()
        .map(Target::Registrar)
        .chain(tasks)
        .chain(shown.iter().map(|d| Target::Document(d.document_id.clone())))
        .collect()
}

/// What one viewer sees of one subject: every document and relationship with its verdict.
#[derive(Debug, Clone)]
pub struct SubjectView {
    pub view: Viewpoint,
    /// Every current version, newest first.
    pub documents: Vec<Evaluated>,
    pub relationships: Vec<EvaluatedRelationship>,
    /// Where each shown document is in `documents`, by id, and the shown attachments of each
    /// document (newest first): a page asks for a document by id, or for every row's attachments,
    /// and a large client has thousands of documents. Built once with the view, which is kept.
    shown_at: HashMap<Box<str>, usize>,
    attachments_at: HashMap<Box<str>, Vec<usize>>,
}

impl SubjectView {
    /// Pure: the verdicts for already loaded rows.
    pub fn new(
        documents: Vec<DocumentRow>,
        relationships: Vec<ClientRelationshipRow>,
        starts: &[VisibilityStartRow],
        view: Viewpoint,
    ) -> Self {
        let documents = evaluate(documents, starts, view);
        let mut shown_at = HashMap::new();
        let mut attachments_at: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        for (i, e) in documents.iter().enumerate().filter(|(_, e)| e.verdict.is_shown()) {
            shown_at.entry(e.doc.document_id.as_str().into()).or_insert(i);
            if let Some(parent) = &e.doc.attachment_of {
                attachments_at.entry(parent.as_str().into()).or_default().push(i);
            }
        }
        Self {
            view,
            documents,
            relationships: evaluate_relationships(relationships, starts, view),
            shown_at,
            attachments_at,
        }
    }

    /// The shown documents, newest first.
    pub fn shown(&self) -> impl Iterator<Item = &DocumentRow> {
        self.documents.iter().filter(|e| e.verdict.is_shown()).map(|e| &e.doc)
    }

    pub fn shown_in(&self, task: ServiceTask) -> impl Iterator<Item = &DocumentRow> {
        self.shown().filter(move |d| d.service_task == task.code())
    }

    /// The documents a service task lists: the shown ones, an attachment not as a row of its own
    /// but with its document (which is shown whenever the attachment is).
    pub fn listed_in(&self, task: ServiceTask) -> impl Iterator<Item = &DocumentRow> {
        self.shown_in(task).filter(move |d| d.attachment_of.as_deref().is_none_or(|p| self.shown_document(p).is_none()))
    }

    /// The shown attachments of `id`, newest first (a hidden attachment is never among them).
    pub fn shown_attachments_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a DocumentRow> + 'a {
        self.attachments_at.get(id).into_iter().flatten().map(|&i| &self.documents[i].doc)
    }

    /// A shown document by id; hidden, restricted and missing ones are all `None`.
    pub fn shown_document(&self, id: &str) -> Option<&DocumentRow> {
        self.shown_at.get(id).map(|&i| &self.documents[i].doc)
    }

    /// When the earlier versions of a shown document were made, oldest first.
    pub fn earlier_versions(&self, id: &str) -> &[chrono::DateTime<chrono::Utc>] {
        self.shown_at.get(id).map(|&i| self.documents[i].earlier.as_slice()).unwrap_or(&[])
    }

    /// The client relationships the viewer sees.
    pub fn visible_relationships(&self) -> impl Iterator<Item = &ClientRelationshipRow> {
        self.relationships.iter().filter(|r| r.verdict.is_shown()).map(|r| &r.rel)
    }

    pub fn relationships_in(&self, task: ServiceTask) -> impl Iterator<Item = &ClientRelationshipRow> {
        self.visible_relationships().filter(move |r| r.service_task == task.code())
    }

    /// Whether the general restriction notice belongs on this task's page, for a viewer who may
    /// see notices (`visibility::may_see_restriction_notice`).
    pub fn notice_in(&self, task: ServiceTask) -> bool {
        self.documents.iter().any(|e| e.notice && e.doc.service_task == task.code())
    }

    pub fn offered_targets(&self) -> Vec<Target> {
        let shown: Vec<&DocumentRow> = self.shown().collect();
        let rels: Vec<&ClientRelationshipRow> = self.visible_relationships().collect();
        offered_targets(&shown, &rels)
    }

    /// A registrar's OID and names `(oid, fi, sv)`, from anything the viewer sees of it.
    pub fn registrar(&self, registrar_id: i64) -> Option<(&str, &str, &str)> {
        self.shown()
            .find(|d| d.registrar_id == registrar_id)
            .map(|d| (d.registrar_oid.as_str(), d.registrar_name_fi.as_str(), d.registrar_name_sv.as_str()))
            .or_else(|| {
                self.visible_relationships()
                    .find(|r| r.registrar_id == registrar_id)
                    .map(|r| (r.registrar_oid.as_str(), r.registrar_name_fi.as_str(), r.registrar_name_sv.as_str()))
            })
    }

    /// The verdict on a data-use event (DESIGN §2.6).
    pub fn data_use_verdict(&self, event: &DataUseRow) -> Verdict {
        self.data_use_verdict_of(&event.service, event.document_id.as_deref())
    }

    /// The verdict on a data-use event about `service` and `document_id` (the event's only facts
    /// that the rules read).
    pub fn data_use_verdict_of(&self, service: &Option<String>, document_id: Option<&str>) -> Verdict {
        let Ok(service) = service_of(service) else { return Verdict::Hidden(Rule::NeverShown) };
        let document =
            document_id.and_then(|id| self.documents.iter().find(|e| e.doc.document_id == id)).map(|e| e.verdict);
        visibility::decide_data_use(service, document_id.is_some(), document)
    }
}

/// What each role sees of recently viewed subjects, as evaluated at an archive version. The
/// verdicts are a pure function of the subject's rows and the publication starts (both fixed at
/// one archive version) and of the [`Viewpoint`] (role, today, switches), and all of these are the
/// key: a hit is the very view a fresh evaluation would give. The role itself is still decided
/// afresh on every request, before the view is asked for; an import (a newer version) drops all.
pub struct ViewCache(crate::store::cache::VersionedLru<(i64, Viewpoint), SubjectView>);

impl Default for ViewCache {
    fn default() -> Self {
        Self::with_limit(Self::ROWS)
    }
}

impl ViewCache {
    /// Documents and relationships in all, as [`crate::store::SubjectCache::ROWS`].
    pub const ROWS: usize = 20_000;

    pub fn with_limit(limit: usize) -> Self {
        Self(crate::store::cache::VersionedLru::new(limit, 4, |v: &SubjectView| {
            v.documents.len() + v.relationships.len() + 1
        }))
    }

    /// The view of `subject_id` from `view`, evaluated at archive `version` or later.
    pub fn get(&self, subject_id: i64, view: Viewpoint, version: i64) -> Option<Arc<SubjectView>> {
        self.0.get(&(subject_id, view), version)
    }

    /// Keeps a view evaluated from rows and starts that were both read at `version` or later.
    pub fn put(&self, subject_id: i64, seen: Arc<SubjectView>, version: i64) {
        self.0.put((subject_id, seen.view), seen, version)
    }
}

/// Loads and evaluates what `view.role` sees of a subject: the one loader for every page and
/// `explain`. `starts` are the publication starts (the web keeps them cached).
pub async fn load(
    store: &Store,
    starts: &[VisibilityStartRow],
    subject_id: i64,
    view: Viewpoint,
) -> crate::store::Result<SubjectView> {
    let (documents, relationships) = store.subject_rows(subject_id).await?;
    Ok(SubjectView::new(documents, relationships, starts, view))
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
            registrar_oid: "1.2.7".into(),
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
            delayed_until: None,
            special_content: false,
            hidden_from_guardians: false,
            attachment_of: None,
            registrar_joined_kanta_on: None,
        }
    }

    fn view() -> Viewpoint {
        Viewpoint { role: Role::Own, today: "2026-05-10".parse().unwrap(), switches: NotYetShown::default() }
    }

    #[test]
    fn a_cached_view_serves_only_its_own_viewpoint_at_its_version_or_older() {
        let cache = ViewCache::default();
        let mut hidden = row("A", 1, "active");
        hidden.hidden_from_guardians = true;
        let own = Arc::new(SubjectView::new(vec![hidden], Vec::new(), &[], view()));
        assert_eq!(own.shown().count(), 1);
        cache.put(1, own, 5);
        assert!(cache.get(1, view(), 5).is_some_and(|v| v.shown().count() == 1));
        assert!(cache.get(1, view(), 4).is_some(), "a request that read an older archive version may use it");
        let guardian = Viewpoint { role: Role::Guardian, ..view() };
        assert!(cache.get(1, guardian, 5).is_none(), "another role's view is evaluated afresh");
        let tomorrow = Viewpoint { today: "2026-05-11".parse().unwrap(), ..view() };
        assert!(cache.get(1, tomorrow, 5).is_none(), "another day's view is evaluated afresh");
        assert!(cache.get(2, view(), 5).is_none(), "another subject's is not this one's");
        assert!(cache.get(1, view(), 6).is_none(), "after an import nothing older is served");
        assert!(cache.get(1, view(), 5).is_none(), "and it is gone");
    }

    #[test]
    fn only_the_newest_version_is_considered() {
        let rows = vec![row("A", 1, "active"), row("A", 3, "active"), row("A", 2, "active")];
        let e = evaluate(rows, &[], view());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].doc.version, 3);
        assert_eq!(e[0].verdict, Verdict::Shown);
        assert_eq!(e[0].earlier.len(), 2, "the dates of versions 1 and 2");
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
    fn attachments_follow_their_parent() {
        let parent = row("P", 1, "active");
        let mut attached = row("A", 1, "active");
        attached.attachment_of = Some("P".into());
        let mut orphan = row("O", 1, "active");
        orphan.attachment_of = Some("NOPE".into());
        let mut chained = row("C", 1, "active");
        chained.attachment_of = Some("A".into());
        let verdicts = |rows: Vec<DocumentRow>| -> BTreeMap<String, Verdict> {
            evaluate(rows, &[], view()).into_iter().map(|e| (e.doc.document_id, e.verdict)).collect()
        };
        let v = verdicts(vec![parent.clone(), attached.clone(), orphan.clone(), chained.clone()]);
        assert_eq!(v["A"], Verdict::Shown);
        assert_eq!(v["C"], Verdict::Shown);
        assert_eq!(v["O"], Verdict::Hidden(Rule::MissingParent));
        let mut custody = parent.clone();
        custody.kind = "custody_investigation".into();
        let v = verdicts(vec![custody, attached.clone(), chained.clone()]);
        assert_eq!(v["A"], Verdict::Hidden(Rule::NeverShown));
        assert_eq!(v["C"], Verdict::Hidden(Rule::NeverShown), "an attachment of a hidden attachment");
        let v = verdicts(vec![attached, chained]);
        assert_eq!(v["A"], Verdict::Hidden(Rule::MissingParent));
        assert_eq!(v["C"], Verdict::Hidden(Rule::MissingParent));
    }

    #[test]
    fn a_views_look_ups_by_id_answer_only_for_shown_documents() {
        let parent = row("P", 2, "active");
        let mut earlier = row("P", 1, "active");
        earlier.document_created_at = "2026-01-02T10:00:00Z".parse().unwrap();
        let mut older = row("A1", 1, "active");
        older.attachment_of = Some("P".into());
        older.document_created_at = "2026-02-01T10:00:00Z".parse().unwrap();
        let mut newer = row("A2", 1, "active");
        newer.attachment_of = Some("P".into());
        newer.document_created_at = "2026-04-01T10:00:00Z".parse().unwrap();
        let mut hidden = row("A3", 1, "active");
        hidden.attachment_of = Some("P".into());
        hidden.special_content = true;
        let mut gone = row("G", 1, "invalidated");
        gone.attachment_of = Some("P".into());
        let v = SubjectView::new(vec![older, parent, hidden, earlier, gone, newer], Vec::new(), &[], view());
        assert_eq!(v.shown_document("P").map(|d| d.version), Some(2));
        for id in ["A3", "G", "NOPE"] {
            assert!(v.shown_document(id).is_none(), "{id}");
            assert!(v.earlier_versions(id).is_empty(), "{id}");
        }
        let attachments: Vec<&str> = v.shown_attachments_of("P").map(|d| d.document_id.as_str()).collect();
        assert_eq!(attachments, ["A2", "A1"], "shown ones only, newest first");
        assert_eq!(v.earlier_versions("P"), ["2026-01-02T10:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()]);
        assert_eq!(v.shown_attachments_of("A1").count(), 0);
        // The guardian's view of the same rows is its own.
        let mut for_guardian = row("A4", 1, "active");
        for_guardian.attachment_of = Some("P".into());
        for_guardian.hidden_from_guardians = true;
        let g = SubjectView::new(
            vec![row("P", 1, "active"), for_guardian],
            Vec::new(),
            &[],
            Viewpoint { role: Role::Guardian, ..view() },
        );
        assert_eq!(g.shown_attachments_of("P").count(), 0);
        assert!(g.shown_document("A4").is_none());
    }

    #[test]
    fn offered_targets_are_what_the_viewer_sees() {
        let mut a = row("A", 1, "active");
        a.registrar_id = 9;
        let b = row("B", 1, "active");
        let rel = ClientRelationshipRow {
            registrar_id: 11,
            registrar_oid: "1.2.11".into(),
            registrar_name_fi: "X".into(),
            registrar_name_sv: "X".into(),
            service_task: "disability".into(),
            service: None,
            hidden_from_guardians: false,
            started_on: "2026-01-01".parse().unwrap(),
            ended_on: None,
            worker_name: None,
            worker_title: None,
            worker_unit: None,
            worker_phone: None,
            worker_email: None,
        };
        let got = offered_targets(&[&a, &b], &[&rel]);
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
