//! "Lataa tiedot" / "Ladda ned uppgifterna": everything a viewer may see of a subject, as one
//! self-contained HTML file or as JSON in the versioned schema `sosiaalitiedot-export/1` (GDPR
//! articles 15 and 20). The same for the web (`/{lang}/records/download`) and for support staff
//! (`sosiaalitiedot export-records`). Kept whole: one model and its two renderings, so that the
//! HTML file and the JSON schema cannot say different things.
//!
//! What goes in is decided once, by the one loader (`records::SubjectView`) and the same verdicts
//! as the pages: the shown documents with their shown attachments, the visible client relationships
//! and own workers, the shown data-use events and the subject's choices (a prohibition aimed at a
//! document the viewer cannot see names no document). The file is streamed: the document texts are
//! read a batch at a time, so a person with thousands of documents costs one batch of memory.
//!
//! The file carries the person's name and birth date, never the identity code (like the printout).
//!
//! ## Schema `sosiaalitiedot-export/1`
//! ```text
//! { "schema": "sosiaalitiedot-export/1", "generated_at": RFC 3339, "language": "fi|sv|en",
//!   "viewer_role": "own|guardian|information_right|mandate",
//!   "person": { "name", "birth_date" },
//!   "documents": [ { "id", "version", "title", "kind", "service_task", "service"|null,
//!       "registrar": { "oid", "name": { "fi", "sv" } }, "unit", "author", "created_at",
//!       "language", "earlier_versions": [RFC 3339…], "attachment_of": id|null,
//!       "attachments": [id…], "sections": [ { "heading", "body" } ] } ],
//!   "client_relationships": [ { "registrar": {…}, "service_task", "started_on", "ended_on"|null,
//!       "own_worker": { "name", "title", "unit", "phone", "email" }|null } ],
//!   "data_use": [ { "id", "at", "action", "by": { "fi", "sv" }, "registrar": { "fi", "sv" },
//!       "basis", "document": id|null } ],
//!   "choices": { "informing_acknowledged_on": date|null,
//!       "consents": [ { "given", "at", "set_by": { "name", "role" }|null } ],
//!       "prohibitions": [ { "id", "target": { "registrar": {…} } | { "service_task" } |
//!           { "document": id|null }, "set_at", "revoked_at"|null } ] } }
//! ```
//! Fields are only ever added within version 1; a change of meaning is a new version.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::domain::archive::Section;
use crate::domain::catalogue::ServiceTask;
use crate::domain::roles::Role;
use crate::records::SubjectView;
use crate::store::{
    ClientRelationshipRow, ConsentRow, DataUseRow, DocumentRow, OrganisationContacts, PersonRow, ProhibitionRow, Store,
    StoreError,
};
use crate::web::i18n::{Lang, Loc};
use crate::web::present::{InLanguage, Phrase};

pub const SCHEMA: &str = "sosiaalitiedot-export/1";

/// How many document texts are read at a time.
const BATCH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

impl Format {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "html" => Some(Format::Html),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// `sosiaalitiedot-2026-12-02.html`: a date, never an identity code.
    pub fn file_name(self, today: NaiveDate) -> String {
        format!("sosiaalitiedot-{today}.{}", self.code())
    }
}

/// One shown document, without its text (read when its batch is written).
#[derive(Debug, Clone)]
struct Listed {
    doc: DocumentRow,
    earlier: Vec<DateTime<Utc>>,
    attachments: Vec<String>,
}

/// Everything the file holds except the document texts, decided before the first byte is sent.
pub struct Export {
    lang: Lang,
    role: Role,
    generated_at: DateTime<Utc>,
    person_name: String,
    birth_date: NaiveDate,
    /// By service task (in the catalogue's order), newest first within a task.
    documents: Vec<Listed>,
    relationships: Vec<ClientRelationshipRow>,
    data_use: Vec<DataUseRow>,
    informed_on: Option<NaiveDate>,
    consents: Vec<ConsentRow>,
    prohibitions: Vec<ProhibitionRow>,
    contacts: HashMap<i64, OrganisationContacts>,
}

/// What the rest of the subject's data holds, read by the caller (the web or the CLI).
pub struct Choices {
    pub data_use: Vec<DataUseRow>,
    pub informed_on: Option<NaiveDate>,
    pub consents: Vec<ConsentRow>,
    pub prohibitions: Vec<ProhibitionRow>,
}

impl Export {
    /// Decides the contents from the viewer's view of the subject: only what the pages would show.
    pub fn new(
        lang: Lang,
        subject: &PersonRow,
        seen: &SubjectView,
        choices: Choices,
        contacts: HashMap<i64, OrganisationContacts>,
    ) -> Self {
        let mut documents: Vec<Listed> = Vec::new();
        for task in ServiceTask::ALL {
            for d in seen.shown_in(*task) {
                documents.push(Listed {
                    doc: d.clone(),
                    earlier: seen.earlier_versions(&d.document_id).to_vec(),
                    attachments: seen.shown_attachments_of(&d.document_id).map(|a| a.document_id.clone()).collect(),
                });
            }
        }
        Self {
            lang,
            role: seen.view.role,
            generated_at: Utc::now(),
            person_name: subject.full_name(),
            birth_date: subject.birth_date,
            documents,
            relationships: seen.visible_relationships().cloned().collect(),
            data_use: choices.data_use.into_iter().filter(|e| seen.data_use_verdict(e).is_shown()).collect(),
            informed_on: choices.informed_on,
            consents: choices.consents,
            prohibitions: choices.prohibitions,
            contacts,
        }
    }

    /// The ids of the documents the file holds (for tests and the CLI's summary).
    pub fn document_ids(&self) -> Vec<&str> {
        self.documents.iter().map(|d| d.doc.document_id.as_str()).collect()
    }

    fn title_of(&self, id: &str) -> Option<&str> {
        self.documents.iter().find(|d| d.doc.document_id == id).map(|d| d.doc.title.as_str())
    }

    /// A shown document's title, marked when its language is not the file's.
    fn marked_title(&self, id: &str) -> Option<InLanguage> {
        let d = self.documents.iter().find(|d| d.doc.document_id == id)?;
        Some(InLanguage::of(self.lang, d.doc.title.clone(), &d.doc.language))
    }
}

/// Where the writer is.
enum Step {
    Head,
    Documents(usize),
    Tail,
    Done,
}

/// The file as a stream of chunks: the head, the documents a batch at a time, the rest. A read
/// error ends the stream with the error (the web then breaks the connection: a truncated file is
/// never passed off as complete).
pub fn stream(
    export: Arc<Export>,
    store: Store,
    format: Format,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, StoreError>> {
    futures_util::stream::unfold(Step::Head, move |step| {
        let export = export.clone();
        let store = store.clone();
        async move {
            match step {
                Step::Head => Some((Ok(head(&export, format).into_bytes()), Step::Documents(0))),
                Step::Documents(from) if from >= export.documents.len() => {
                    Some((Ok(tail(&export, format).into_bytes()), Step::Tail))
                }
                Step::Documents(from) => {
                    let batch = &export.documents[from..(from + BATCH).min(export.documents.len())];
                    let keys: Vec<(String, i32)> =
                        batch.iter().map(|d| (d.doc.document_id.clone(), d.doc.version)).collect();
                    match store.document_sections_of(&keys).await {
                        Ok(texts) => {
                            let mut out = String::new();
                            for (i, d) in batch.iter().enumerate() {
                                let sections: Vec<Section> = texts
                                    .get(&d.doc.document_id)
                                    .and_then(|t| serde_json::from_str(t).ok())
                                    .unwrap_or_default();
                                out.push_str(&document(&export, format, from + i, d, &sections));
                            }
                            Some((Ok(out.into_bytes()), Step::Documents(from + batch.len())))
                        }
                        Err(e) => Some((Err(e), Step::Done)),
                    }
                }
                Step::Tail | Step::Done => None,
            }
        }
    })
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn registrar_json(oid: &str, fi: &str, sv: &str) -> Value {
    json!({ "oid": oid, "name": { "fi": fi, "sv": sv } })
}

/// The JSON text of `v` without its closing brace, to continue an object by hand.
fn open_object(v: &Value) -> String {
    let mut s = v.to_string();
    s.pop();
    s
}

fn head(e: &Export, format: Format) -> String {
    match format {
        Format::Json => {
            let start = json!({
                "schema": SCHEMA,
                "generated_at": rfc3339(&e.generated_at),
                "language": e.lang.code(),
                "viewer_role": e.role.code(),
                "person": { "name": e.person_name, "birth_date": e.birth_date.to_string() },
            });
            format!("{},\"documents\":[", open_object(&start))
        }
        Format::Html => {
            let l = Loc::new(e.lang);
            let mut tasks: Vec<(String, String, usize)> = Vec::new();
            for d in &e.documents {
                let code = d.doc.service_task.as_str();
                match tasks.last_mut() {
                    Some((c, _, n)) if c == code => *n += 1,
                    _ => tasks.push((code.to_string(), l.t(&format!("task-{code}")).into_owned(), 1)),
                }
            }
            HtmlHead {
                l,
                lang: e.lang.code(),
                person: &e.person_name,
                birth_date: l.date(&e.birth_date),
                generated: l.time(&e.generated_at),
                role_note: (e.role != Role::Own).then(|| l.t(&format!("download-role-{}", e.role.code())).into_owned()),
                tasks,
                documents: e.documents.len(),
            }
            .render()
            .expect("the download head renders")
        }
    }
}

fn document(e: &Export, format: Format, index: usize, d: &Listed, sections: &[Section]) -> String {
    let doc = &d.doc;
    match format {
        Format::Json => {
            let v = json!({
                "id": doc.document_id,
                "version": doc.version,
                "title": doc.title,
                "kind": doc.kind,
                "service_task": doc.service_task,
                "service": doc.service,
                "registrar": registrar_json(&doc.registrar_oid, &doc.registrar_name_fi, &doc.registrar_name_sv),
                "unit": doc.unit,
                "author": doc.author,
                "created_at": rfc3339(&doc.document_created_at),
                "language": doc.language,
                "earlier_versions": d.earlier.iter().map(rfc3339).collect::<Vec<_>>(),
                "attachment_of": doc.attachment_of.as_deref().filter(|p| e.title_of(p).is_some()),
                "attachments": d.attachments,
                "sections": sections.iter().map(|s| json!({ "heading": s.heading, "body": s.body })).collect::<Vec<_>>(),
            });
            if index == 0 { v.to_string() } else { format!(",{v}") }
        }
        Format::Html => {
            let l = Loc::new(e.lang);
            let date = |t: &DateTime<Utc>| l.date(&crate::domain::time::helsinki_date(t));
            let starts_task = index == 0 || e.documents[index - 1].doc.service_task != doc.service_task;
            HtmlDocument {
                l,
                task_heading: starts_task
                    .then(|| (doc.service_task.clone(), l.t(&format!("task-{}", doc.service_task)).into_owned())),
                ends_task: e.documents.get(index + 1).is_none_or(|next| next.doc.service_task != doc.service_task),
                anchor: format!("doc-{index}"),
                title: &doc.title,
                content_lang: crate::web::present::other_language(e.lang, &doc.language),
                kind: l.t(&format!("kind-{}", doc.kind)).into_owned(),
                date: date(&doc.document_created_at),
                registrar: l.lang.name_of(&doc.registrar_name_fi, &doc.registrar_name_sv),
                unit: &doc.unit,
                author: &doc.author,
                versions: (!d.earlier.is_empty()).then(|| {
                    let earlier: Vec<String> = d.earlier.iter().rev().map(date).collect();
                    l.ta(
                        "records-print-versions",
                        &[("updated", date(&doc.document_created_at).into()), ("earlier", earlier.join(", ").into())],
                    )
                }),
                attachment_of: doc.attachment_of.as_deref().and_then(|p| {
                    let i = e.documents.iter().position(|x| x.doc.document_id == p)?;
                    Some((format!("doc-{i}"), e.marked_title(p)?))
                }),
                attachments: d
                    .attachments
                    .iter()
                    .filter_map(|id| {
                        let i = e.documents.iter().position(|x| &x.doc.document_id == id)?;
                        Some((format!("doc-{i}"), e.marked_title(id)?))
                    })
                    .collect(),
                sections: sections
                    .iter()
                    .map(|s| (s.heading.clone(), crate::web::present::paragraphs(&s.body)))
                    .collect(),
            }
            .render()
            .expect("a downloaded document renders")
        }
    }
}

/// A prohibition's target; one aimed at a document the viewer cannot see names no document.
fn target_json(e: &Export, p: &ProhibitionRow) -> Value {
    if let (Some(oid), Some(fi), Some(sv)) =
        (&p.target_registrar_oid, &p.target_registrar_name_fi, &p.target_registrar_name_sv)
    {
        return json!({ "registrar": registrar_json(oid, fi, sv) });
    }
    if let Some(task) = &p.target_service_task {
        return json!({ "service_task": task });
    }
    json!({ "document": p.target_document_id.as_deref().filter(|id| e.title_of(id).is_some()) })
}

fn set_by_json(first: &Option<String>, last: &Option<String>, role: &Option<String>) -> Value {
    match (first, last, role) {
        (Some(f), Some(s), Some(r)) => json!({ "name": format!("{f} {s}"), "role": r }),
        _ => Value::Null,
    }
}

fn tail(e: &Export, format: Format) -> String {
    match format {
        Format::Json => {
            let relationships: Vec<Value> = e
                .relationships
                .iter()
                .map(|r| {
                    json!({
                        "registrar": registrar_json(&r.registrar_oid, &r.registrar_name_fi, &r.registrar_name_sv),
                        "service_task": r.service_task,
                        "started_on": r.started_on.to_string(),
                        "ended_on": r.ended_on.map(|d| d.to_string()),
                        "own_worker": r.worker_name.as_ref().map(|name| json!({
                            "name": name, "title": r.worker_title, "unit": r.worker_unit, "phone": r.worker_phone, "email": r.worker_email,
                        })),
                    })
                })
                .collect();
            let data_use: Vec<Value> = e
                .data_use
                .iter()
                .map(|u| {
                    json!({
                        "id": u.event_id,
                        "at": rfc3339(&u.at),
                        "action": u.action,
                        "by": { "fi": u.by_name_fi, "sv": u.by_name_sv },
                        "registrar": { "fi": u.registrar_name_fi, "sv": u.registrar_name_sv },
                        "basis": u.basis,
                        "document": u.document_id.as_deref().filter(|id| e.title_of(id).is_some()),
                    })
                })
                .collect();
            let choices = json!({
                "informing_acknowledged_on": e.informed_on.map(|d| d.to_string()),
                "consents": e.consents.iter().map(|c| json!({
                    "given": c.given, "at": rfc3339(&c.at), "set_by": set_by_json(&c.set_by_first_names, &c.set_by_last_name, &c.set_by_role),
                })).collect::<Vec<_>>(),
                "prohibitions": e.prohibitions.iter().map(|p| json!({
                    "id": p.prohibition_id, "target": target_json(e, p), "set_at": rfc3339(&p.set_at),
                    "revoked_at": p.revoked_at.as_ref().map(rfc3339),
                    "set_by": set_by_json(&p.set_by_first_names, &p.set_by_last_name, &p.set_by_role),
                })).collect::<Vec<_>>(),
            });
            format!(
                "],\"client_relationships\":{},\"data_use\":{},\"choices\":{}}}\n",
                Value::Array(relationships),
                Value::Array(data_use),
                choices
            )
        }
        Format::Html => {
            let l = Loc::new(e.lang);
            let relationships = e
                .relationships
                .iter()
                .map(|r| {
                    let contact = r.worker_name.is_none().then(|| {
                        crate::web::present::contact_view(
                            &l,
                            &e.contacts,
                            r.registrar_id,
                            &r.registrar_name_fi,
                            &r.registrar_name_sv,
                        )
                    });
                    HtmlRelationship {
                        task: l.t(&format!("task-{}", r.service_task)).into_owned(),
                        registrar: l.lang.name_of(&r.registrar_name_fi, &r.registrar_name_sv),
                        started: l.date(&r.started_on),
                        ended: r.ended_on.as_ref().map(|d| l.date(d)),
                        worker: r.worker_name.as_ref().map(|n| {
                            [
                                Some(n.clone()),
                                r.worker_title.clone(),
                                r.worker_unit.clone(),
                                r.worker_phone.clone(),
                                r.worker_email.clone(),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ")
                        }),
                        contact: contact.map(|c| {
                            [
                                Some(c.registrar.clone()),
                                c.phone.clone(),
                                c.email.clone(),
                                c.address.map(|(a, _)| a),
                                c.url.clone(),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ")
                        }),
                    }
                })
                .collect();
            let data_use = e
                .data_use
                .iter()
                .map(|u| {
                    let [time, action, by, registrar, basis, _] = crate::web::present::data_use_cells(&l, u, None);
                    let document = u.document_id.as_deref().and_then(|id| e.marked_title(id)).unwrap_or_default();
                    ([time, action, by, registrar, basis], document)
                })
                .collect();
            let consent = e.consents.first().map(|c| {
                let state = if c.given { l.t("download-consent-given") } else { l.t("download-consent-not-given") };
                format!("{state} ({})", l.time(&c.at))
            });
            let prohibitions = e
                .prohibitions
                .iter()
                .map(|p| {
                    let (kind, target) =
                        if let (Some(fi), Some(sv)) = (&p.target_registrar_name_fi, &p.target_registrar_name_sv) {
                            (l.t("prohibition-type-registrar"), InLanguage::page(l.lang.name_of(fi, sv)))
                        } else if let Some(t) = &p.target_service_task {
                            (l.t("prohibition-type-service_task"), InLanguage::page(l.t(&format!("task-{t}"))))
                        } else {
                            let title = p.target_document_id.as_deref().and_then(|id| e.marked_title(id));
                            (
                                l.t("prohibition-type-document"),
                                title.unwrap_or_else(|| InLanguage::page(l.t("prohibition-document-not-shown"))),
                            )
                        };
                    let target = Phrase::parts([InLanguage::page(format!("{kind}: ")), target]);
                    let state = match &p.revoked_at {
                        Some(r) => l.ta(
                            "download-prohibition-revoked",
                            &[("set", l.time(&p.set_at).into()), ("revoked", l.time(r).into())],
                        ),
                        None => l.ta("download-prohibition-active", &[("set", l.time(&p.set_at).into())]),
                    };
                    (target, state)
                })
                .collect();
            HtmlTail {
                l,
                empty: e.documents.is_empty(),
                relationships,
                data_use,
                informed_on: e.informed_on.map(|d| l.date(&d)),
                consent,
                prohibitions,
            }
            .render()
            .expect("the download tail renders")
        }
    }
}

#[derive(Template)]
#[template(path = "download/head.html")]
struct HtmlHead<'a> {
    l: Loc,
    lang: &'static str,
    person: &'a str,
    birth_date: String,
    generated: String,
    role_note: Option<String>,
    /// (code, name, count) of each service task with documents.
    tasks: Vec<(String, String, usize)>,
    documents: usize,
}

#[derive(Template)]
#[template(path = "download/document.html")]
struct HtmlDocument<'a> {
    l: Loc,
    task_heading: Option<(String, String)>,
    ends_task: bool,
    anchor: String,
    title: &'a str,
    content_lang: Option<&'static str>,
    kind: String,
    date: String,
    registrar: String,
    unit: &'a str,
    author: &'a str,
    versions: Option<String>,
    attachment_of: Option<(String, InLanguage)>,
    attachments: Vec<(String, InLanguage)>,
    sections: Vec<(String, Vec<Vec<String>>)>,
}

struct HtmlRelationship {
    task: String,
    registrar: String,
    started: String,
    ended: Option<String>,
    worker: Option<String>,
    contact: Option<String>,
}

#[derive(Template)]
#[template(path = "download/tail.html")]
struct HtmlTail {
    l: Loc,
    empty: bool,
    relationships: Vec<HtmlRelationship>,
    /// Time, action, by whom, whose register, basis; the document's title.
    data_use: Vec<([String; 5], InLanguage)>,
    informed_on: Option<String>,
    consent: Option<String>,
    prohibitions: Vec<(Phrase, String)>,
}
