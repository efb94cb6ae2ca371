//! Sosiaalipalvelujen tiedot / Uppgifter om socialservice: the overview by service task, a service
//! task page and a document page (DESIGN §2.2, §2.3). Every verdict comes from `records`, which
//! applies the pure rules; hidden, restricted, someone else's and missing documents are one 404.
//! Kept whole: the three pages of one section share their views (contacts, relationships, links);
//! the service-task page's query and paging are in [`super::task_query`].

use std::collections::HashMap;

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::archive::Section;
use crate::domain::audit::AuditAction;
use crate::domain::catalogue::{DocumentKind, DocumentLanguage, ServiceTask};
use crate::domain::time::helsinki_date;
use crate::domain::visibility::may_see_restriction_notice;
use crate::records::{SubjectView, Viewpoint};
use crate::store::{ClientRelationshipRow, DocumentRow, OrganisationContacts};
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Acting;
use crate::web::i18n::Loc;
use crate::web::pages::task_query::{GROUP_ORDER, TaskQuery, page_link};
use crate::web::pagination::{self, Pagination};
use crate::web::present::{ContactView, InLanguage, contact_view, paragraphs, tel_href};
use crate::web::{AppState, urls};

/// One client relationship and its own worker, ready to show.
pub struct RelationshipView {
    pub registrar: String,
    pub started: String,
    pub ended: Option<String>,
    pub worker: Option<WorkerView>,
    /// Without an own worker: whom to contact instead (the registrar's contact details).
    pub contact: Option<ContactView>,
}

/// The contacts of every registrar of what the viewer sees (documents and relationships), by name.
pub fn contacts_of(l: &Loc, contacts: &HashMap<i64, OrganisationContacts>, seen: &SubjectView) -> Vec<ContactView> {
    let mut out = registrar_contacts(
        l,
        contacts,
        seen.shown().map(|d| (d.registrar_id, d.registrar_name_fi.as_str(), d.registrar_name_sv.as_str())).chain(
            seen.visible_relationships()
                .map(|r| (r.registrar_id, r.registrar_name_fi.as_str(), r.registrar_name_sv.as_str())),
        ),
    );
    out.sort_by(|a, b| a.registrar.cmp(&b.registrar));
    out
}

/// The contacts of the registrars a page is about, each once, in the order given.
fn registrar_contacts<'a>(
    l: &Loc,
    contacts: &HashMap<i64, OrganisationContacts>,
    registrars: impl Iterator<Item = (i64, &'a str, &'a str)>,
) -> Vec<ContactView> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (id, fi, sv) in registrars {
        if !seen.contains(&id) {
            seen.push(id);
            out.push(contact_view(l, contacts, id, fi, sv));
        }
    }
    out
}

pub struct WorkerView {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub phone: Option<String>,
    pub phone_href: Option<String>,
    pub email: Option<String>,
}

/// A registrar's own texts (the worker's title and unit) are shown without a language marking: the
/// feed does not say in which language a registrar writes them, and a guess from its documents may
/// be wrong (WCAG 3.1.2; the accessibility statement says so).
fn relationship_view(
    l: &Loc,
    contacts: &HashMap<i64, OrganisationContacts>,
    r: &ClientRelationshipRow,
) -> RelationshipView {
    RelationshipView {
        contact: r
            .worker_name
            .is_none()
            .then(|| contact_view(l, contacts, r.registrar_id, &r.registrar_name_fi, &r.registrar_name_sv)),
        registrar: l.lang.name_of(&r.registrar_name_fi, &r.registrar_name_sv),
        started: l.date(&r.started_on),
        ended: r.ended_on.as_ref().map(|d| l.date(d)),
        worker: r.worker_name.as_ref().map(|name| WorkerView {
            name: name.clone(),
            title: r.worker_title.clone(),
            unit: r.worker_unit.clone(),
            phone_href: r.worker_phone.as_deref().map(tel_href),
            phone: r.worker_phone.clone(),
            email: r.worker_email.clone(),
        }),
    }
}

/// What the viewer sees of the subject, through the one loader.
async fn load(state: &AppState, acting: &Acting) -> Result<std::sync::Arc<SubjectView>> {
    let view = Viewpoint { role: acting.role, today: state.today(), switches: state.settings.visibility };
    acting.load_view(state, acting.subject.person_id, view).await
}

pub struct TaskSummary {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub latest: Option<String>,
    pub relationships: Vec<RelationshipView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "records_overview.html")]
pub struct OverviewPage {
    ctx: Ctx,
    tasks: Vec<TaskSummary>,
    /// "Uusimmat asiakirjat": the five newest documents across all service tasks.
    newest: Vec<(DocumentRef, String)>,
    /// "Lataa tiedot": `?format=html` or `?format=json`.
    download_url: String,
}

/// How many of the newest documents the overview lists.
pub const NEWEST_ON_OVERVIEW: usize = 5;

pub async fn overview(state: web::Data<AppState>, acting: Acting) -> Result<OverviewPage> {
    let seen = load(&state, &acting).await?;
    let contacts = acting.reference(&state).await?;
    acting.audit(&state, AuditAction::ViewRecords, None).await?;
    let l = acting.ctx.l;
    let notices = may_see_restriction_notice(acting.role);
    let tasks = ServiceTask::ALL
        .iter()
        .filter_map(|&task| {
            let docs: Vec<&DocumentRow> = seen.listed_in(task).collect();
            let rels: Vec<RelationshipView> =
                seen.relationships_in(task).map(|r| relationship_view(&l, &contacts.contacts, r)).collect();
            // A task with only a restricted document still appears for those who may see the
            // notice, so that they can find it; its count is of shown documents only.
            let listed = !docs.is_empty() || !rels.is_empty() || (notices && seen.notice_in(task));
            listed.then(|| TaskSummary {
                name: l.t(&format!("task-{}", task.code())).into_owned(),
                url: urls::service_task(l.lang, task.code()),
                count: docs.len(),
                latest: docs.iter().map(|d| helsinki_date(&d.document_created_at)).max().map(|d| l.date(&d)),
                relationships: rels,
            })
        })
        .collect();
    let mut listed: Vec<&DocumentRow> = ServiceTask::ALL.iter().flat_map(|&task| seen.listed_in(task)).collect();
    listed.sort_by(|a, b| {
        b.document_created_at.cmp(&a.document_created_at).then_with(|| a.document_id.cmp(&b.document_id))
    });
    let newest = listed
        .into_iter()
        .take(NEWEST_ON_OVERVIEW)
        .map(|d| (document_ref(&l, d), l.t(&format!("task-{}", d.service_task)).into_owned()))
        .collect();
    Ok(OverviewPage { download_url: format!("{}/download", urls::records(l.lang)), ctx: acting.ctx, tasks, newest })
}

pub struct DocumentLink {
    pub date: String,
    /// The title, marked when the document's language is not the page's.
    pub title: InLanguage,
    pub url: String,
    pub registrar: String,
    pub unit: String,
    /// How many shown attachments the document has (they are not rows of their own).
    pub attachments: usize,
}

pub struct KindGroup {
    /// The anchor the group's page links return to.
    pub id: String,
    pub heading: std::borrow::Cow<'static, str>,
    /// The message id of the heading (`kind-plural-…`), for messages that name the group.
    pub heading_id: String,
    /// This table page's rows.
    pub documents: Vec<DocumentLink>,
    /// "Asiakirjat 26–50 / 120" when the group has more than one table page.
    pub rows_shown: Option<String>,
    pub pagination: Pagination,
}

/// Rows per table page on a service-task page: a client may have thousands of documents.
pub const ROWS_PER_PAGE: usize = 25;

#[derive(Template, WebTemplate)]
#[template(path = "records_task.html")]
pub struct TaskPage {
    /// The table pages shown, for the title, when any is past its first.
    pub title_pages: Option<String>,
    ctx: Ctx,
    task_name: String,
    groups: Vec<KindGroup>,
    relationships: Vec<RelationshipView>,
    notice: bool,
    overview_url: String,
    /// The filter form (GET, no script): years, registrars and kinds present among the task's
    /// shown documents, the chosen ones, and the result count.
    filter: TaskFilter,
    /// "Kysy asiakirjoista tai pyydä korjausta": the registrars of the task.
    contacts: Vec<ContactView>,
    /// The task's own workers, named beside the restriction notice.
    own_workers: Vec<String>,
}

/// One option of a filter select.
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct TaskFilter {
    pub action: String,
    pub years: Vec<FilterOption>,
    pub registrars: Vec<FilterOption>,
    pub kinds: Vec<FilterOption>,
    /// Whether any filter is in use (then "Tyhjennä valinnat" and the count are shown).
    pub active: bool,
    /// "12 asiakirjaa" — announced to screen readers in a status region.
    pub count: String,
}

/// The filter form: the years, registrars and kinds present among the task's shown documents
/// (`all`), the chosen ones, and the count of the documents that pass.
fn task_filter(l: &Loc, q: &TaskQuery, all: &[&DocumentRow], action: String, count: usize) -> TaskFilter {
    let mut years: Vec<i32> =
        all.iter().map(|d| chrono::Datelike::year(&helsinki_date(&d.document_created_at))).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut registrars: Vec<(String, String)> = all
        .iter()
        .map(|d| (d.registrar_oid.clone(), l.lang.name_of(&d.registrar_name_fi, &d.registrar_name_sv)))
        .collect();
    registrars.sort_by(|a, b| a.1.cmp(&b.1));
    registrars.dedup();
    let option = |value: String, label: String, chosen: &Option<String>| FilterOption {
        selected: chosen.as_deref() == Some(value.as_str()),
        value,
        label,
    };
    TaskFilter {
        action,
        years: years.iter().map(|y| option(y.to_string(), y.to_string(), &q.year)).collect(),
        registrars: registrars.into_iter().map(|(oid, name)| option(oid, name, &q.registrar)).collect(),
        kinds: GROUP_ORDER
            .iter()
            .map(|k| k.code())
            .filter(|k| all.iter().any(|d| d.kind == *k))
            .map(|k| option(k.to_string(), l.t(&format!("kind-{k}")).into_owned(), &q.kind))
            .collect(),
        active: q.filtered(),
        count: l.ta("records-filter-count", &[("count", count.into())]),
    }
}

/// Each document group is its own table with its own pages (`decision-page=2`, …), so that
/// paging through decisions keeps the page of plans; with a single table the links say `page=2`,
/// which also turns every table at once. A page that is not a number, or past the last, is not
/// found, like any address that does not exist.
pub async fn service_task(
    state: web::Data<AppState>,
    acting: Acting,
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<TaskPage> {
    let task = ServiceTask::from_code(&path.1).ok_or(AppError::NotFound)?;
    let q = TaskQuery::parse(&query).ok_or(AppError::NotFound)?;
    let seen = load(&state, &acting).await?;
    let reference = acting.reference(&state).await?;
    acting.audit(&state, AuditAction::ViewServiceTask, Some(task.code())).await?;
    let l = acting.ctx.l;
    let all: Vec<&DocumentRow> = seen.listed_in(task).collect();
    let year_of = |d: &DocumentRow| chrono::Datelike::year(&helsinki_date(&d.document_created_at));
    let docs: Vec<&DocumentRow> =
        all.iter().copied().filter(|d| q.matches(year_of(d), &d.registrar_oid, &d.kind)).collect();
    let base = urls::service_task(l.lang, task.code());
    let filter = task_filter(&l, &q, &all, base.clone(), docs.len());
    let by_kind: Vec<(DocumentKind, Vec<&DocumentRow>)> = GROUP_ORDER
        .iter()
        .map(|kind| (*kind, docs.iter().copied().filter(|d| d.kind == kind.code()).collect::<Vec<_>>()))
        .collect();
    let rows: Vec<(DocumentKind, usize)> = by_kind.iter().map(|(k, d)| (*k, d.len())).collect();
    let requested = q.pages_shown(&rows, ROWS_PER_PAGE).ok_or(AppError::NotFound)?;
    let single_group = by_kind.iter().filter(|(_, d)| !d.is_empty()).count() == 1;
    let filter_params = q.filter_params();
    let link = |kind: DocumentKind, page: usize| page_link(&base, &filter_params, &requested, single_group, kind, page);
    let mut groups = Vec::new();
    for ((kind, page), (_, of_kind)) in requested.iter().copied().zip(&by_kind) {
        if of_kind.is_empty() {
            continue;
        }
        let pages = pagination::page_count(of_kind.len(), ROWS_PER_PAGE);
        let first = (page - 1) * ROWS_PER_PAGE;
        let documents: Vec<DocumentLink> = of_kind
            .iter()
            .skip(first)
            .take(ROWS_PER_PAGE)
            .map(|d| DocumentLink {
                date: l.date(&helsinki_date(&d.document_created_at)),
                title: InLanguage::of(l.lang, d.title.clone(), &d.language),
                url: urls::document(l.lang, &d.document_id),
                registrar: l.lang.name_of(&d.registrar_name_fi, &d.registrar_name_sv),
                unit: d.unit.clone(),
                attachments: seen.shown_attachments_of(&d.document_id).count(),
            })
            .collect();
        let heading_id = format!("kind-plural-{}", kind.code());
        let heading = l.t(&heading_id);
        let rows_shown = (pages > 1).then(|| {
            l.ta(
                "records-rows-shown",
                &[
                    ("first", (first + 1).into()),
                    ("last", (first + documents.len()).into()),
                    ("total", of_kind.len().into()),
                ],
            )
        });
        let label = l.ta_message("pagination-label-of", "what", &heading_id);
        groups.push(KindGroup {
            id: format!("group-{}", kind.code()),
            pagination: Pagination::new(page, pages, label, |p| link(kind, p)),
            heading,
            heading_id,
            documents,
            rows_shown,
        });
    }
    // The title names the page shown (WCAG 2.4.2): "Sivu 2 / 3" for a single table, or each table
    // turned past its first page with its own ("Päätökset, sivu 2 / 3").
    let turned: Vec<String> = groups
        .iter()
        .filter(|g| g.pagination.page > 1)
        .map(|g| {
            let page =
                l.ta("pagination-page", &[("page", g.pagination.page.into()), ("pages", g.pagination.pages.into())]);
            if groups.len() == 1 { page } else { format!("{}, {}", g.heading, page.to_lowercase()) }
        })
        .collect();
    let title_pages = (!turned.is_empty()).then(|| turned.join("; "));
    // Whom to ask: every registrar of the task's documents and relationships; the own workers
    // of the task for the restriction notice (seed 001).
    let contacts = registrar_contacts(
        &l,
        &reference.contacts,
        all.iter().map(|d| (d.registrar_id, d.registrar_name_fi.as_str(), d.registrar_name_sv.as_str())).chain(
            seen.relationships_in(task)
                .map(|r| (r.registrar_id, r.registrar_name_fi.as_str(), r.registrar_name_sv.as_str())),
        ),
    );
    let own_workers: Vec<String> = seen.relationships_in(task).filter_map(|r| r.worker_name.clone()).collect();
    let mut ctx = acting.ctx;
    // After filtering, the count starts the title, so that it is announced with the new page as
    // change confirmations are (WCAG 4.1.3): a status present at load is not announced.
    if filter.active {
        ctx.success_title = Some(filter.count.clone());
    }
    Ok(TaskPage {
        task_name: l.t(&format!("task-{}", task.code())).into_owned(),
        title_pages,
        groups,
        contacts,
        own_workers,
        relationships: seen.relationships_in(task).map(|r| relationship_view(&l, &reference.contacts, r)).collect(),
        notice: may_see_restriction_notice(acting.role) && seen.notice_in(task),
        overview_url: urls::records(l.lang),
        filter,
        ctx,
    })
}

pub struct SectionView {
    pub heading: String,
    /// Paragraphs (separated by blank lines in the source), each a list of lines.
    pub paragraphs: Vec<Vec<String>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "records_document.html")]
pub struct DocumentPage {
    ctx: Ctx,
    title: String,
    kind_name: String,
    date: String,
    registrar: String,
    unit: String,
    author: String,
    task_name: String,
    task_url: String,
    sections: Vec<SectionView>,
    /// The document's language when it differs from the page's.
    content_lang: Option<&'static str>,
    /// Its shown attachments ("Liitteet"), and the document it is an attachment of.
    attachments: Vec<DocumentRef>,
    attachment_of: Option<DocumentRef>,
    /// "Tulosta tai tallenna PDF-tiedostoksi": the same page in the print layout (`?print=1`).
    print_url: String,
    /// The print layout: what a paper copy needs, on screen too, with the browser's own print instructions.
    print: Option<PrintFacts>,
    /// "päivitetty 12.5.2026; aiempi versio 3.3.2026", for an updated document.
    versions: Option<String>,
    /// "Kysy asiakirjasta tai pyydä korjausta": the registrar, and the own worker `(name, phone, tel:)`.
    contact: ContactView,
    own_worker: Option<(String, Option<String>, Option<String>)>,
}

/// What a printed copy carries besides the document (never the full identity code: the birth date
/// tells whose it is).
pub struct PrintFacts {
    pub person: String,
    pub birth_date: String,
    pub printed: String,
}

#[derive(Deserialize)]
pub struct DocumentQuery {
    print: Option<String>,
}

/// A link to another shown document: its title (with its language when not the page's), kind and date.
pub struct DocumentRef {
    pub title: InLanguage,
    pub url: String,
    pub kind_name: String,
    pub date: String,
}

fn document_ref(l: &Loc, d: &DocumentRow) -> DocumentRef {
    DocumentRef {
        title: InLanguage::of(l.lang, d.title.clone(), &d.language),
        url: urls::document(l.lang, &d.document_id),
        kind_name: l.t(&format!("kind-{}", d.kind)).into_owned(),
        date: l.date(&helsinki_date(&d.document_created_at)),
    }
}

pub async fn document(
    state: web::Data<AppState>,
    acting: Acting,
    path: web::Path<(String, String)>,
    q: web::Query<DocumentQuery>,
) -> Result<DocumentPage> {
    let document_id = &path.1;
    // Someone else's, missing, hidden and restricted documents are all the same 404. The whole
    // subject is evaluated: an attachment's verdict depends on its parent's.
    let seen = load(&state, &acting).await?;
    let Some(doc) = seen.shown_document(document_id).cloned() else {
        acting
            .audit(&state, AuditAction::DeniedViewDocument, Some(&crate::domain::audit::asked_object(document_id)))
            .await?;
        return Err(AppError::NotFound);
    };
    let reference = acting.reference(&state).await?;
    acting.audit(&state, AuditAction::ViewDocument, Some(&doc.document_id)).await?;
    let l = acting.ctx.l;
    let task = ServiceTask::from_code(&doc.service_task).ok_or(AppError::NotFound)?;
    let text = state
        .store
        .document_sections_at(&state.texts, &doc.document_id, doc.version, acting.reference_version)
        .await?
        .ok_or(AppError::NotFound)?;
    let sections: Vec<Section> = serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()))?;
    let language = DocumentLanguage::from_code(&doc.language);
    let content_lang = language.map(|x| x.code()).filter(|code| *code != l.lang.code());
    // An updated document says so on screen and on paper (the dates come with the rows).
    let earlier = seen.earlier_versions(&doc.document_id);
    let versions = (!earlier.is_empty()).then(|| {
        let date = |t: &chrono::DateTime<chrono::Utc>| l.date(&helsinki_date(t));
        let earlier: Vec<String> = earlier.iter().rev().map(date).collect();
        l.ta(
            "records-print-versions",
            &[("updated", date(&doc.document_created_at).into()), ("earlier", earlier.join(", ").into())],
        )
    });
    let print = (q.print.as_deref() == Some("1")).then(|| {
        let from = state.settings.public_url.clone().unwrap_or_default();
        PrintFacts {
            person: acting.subject.full_name(),
            birth_date: l.date(&acting.subject.birth_date),
            printed: l.ta(
                "records-print-printed",
                &[
                    ("time", l.time(&chrono::Utc::now()).into()),
                    ("from", format!("{from}{}", urls::document(l.lang, &doc.document_id)).into()),
                ],
            ),
        }
    });
    Ok(DocumentPage {
        print_url: format!("{}?print=1", urls::document(l.lang, &doc.document_id)),
        print,
        versions,
        title: doc.title.clone(),
        kind_name: l.t(&format!("kind-{}", doc.kind)).into_owned(),
        date: l.date(&helsinki_date(&doc.document_created_at)),
        registrar: l.lang.name_of(&doc.registrar_name_fi, &doc.registrar_name_sv),
        unit: doc.unit.clone(),
        author: doc.author.clone(),
        task_name: l.t(&format!("task-{}", task.code())).into_owned(),
        task_url: urls::service_task(l.lang, task.code()),
        sections: sections
            .iter()
            .map(|s| SectionView { heading: s.heading.clone(), paragraphs: paragraphs(&s.body) })
            .collect(),
        content_lang,
        attachments: seen.shown_attachments_of(&doc.document_id).map(|a| document_ref(&l, a)).collect(),
        contact: contact_view(
            &l,
            &reference.contacts,
            doc.registrar_id,
            &doc.registrar_name_fi,
            &doc.registrar_name_sv,
        ),
        // The own worker of the same registrar and task, when there is one: the first person to ask.
        own_worker: seen.relationships_in(task).filter(|r| r.registrar_id == doc.registrar_id).find_map(|r| {
            r.worker_name
                .as_ref()
                .map(|name| (name.clone(), r.worker_phone.clone(), r.worker_phone.as_deref().map(tel_href)))
        }),
        attachment_of: doc.attachment_of.as_deref().and_then(|p| seen.shown_document(p)).map(|p| document_ref(&l, p)),
        ctx: acting.ctx,
    })
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    format: Option<String>,
}

/// "Lataa tiedot": everything the viewer may see of the subject as one file (`download`), streamed,
/// never cached, named with the date only, audited as one `downloaded_records` event before the
/// first byte. A format other than `html` or `json` is a bad request.
pub async fn download(
    state: web::Data<AppState>,
    acting: Acting,
    q: web::Query<DownloadQuery>,
) -> Result<actix_web::HttpResponse> {
    use crate::records::download::{self, Choices, Export, Format};
    use futures_util::StreamExt;
    let format = q.format.as_deref().and_then(Format::from_code).ok_or(AppError::BadRequest)?;
    let seen = load(&state, &acting).await?;
    let reference = acting.reference(&state).await?;
    let subject = acting.subject.person_id;
    let choices = Choices {
        data_use: state.store.data_use_of(subject, None, None).await?,
        informed_on: state.store.latest_informing(subject).await?,
        consents: state.store.consents_of(subject).await?,
        prohibitions: state.store.prohibitions_of(subject).await?,
    };
    acting.audit(&state, AuditAction::DownloadedRecords, Some(format.code())).await?;
    let export = std::sync::Arc::new(Export::new(
        acting.ctx.l.lang,
        &acting.subject,
        &seen,
        choices,
        reference.contacts.clone(),
    ));
    let body = download::stream(export, state.store.clone(), format).map(|chunk| {
        chunk.map(actix_web::web::Bytes::from).map_err(|e| {
            // The connection breaks: a cut file is never passed off as complete.
            tracing::error!(error = %e, "download interrupted: a document text could not be read");
            actix_web::error::ErrorInternalServerError("download interrupted")
        })
    });
    Ok(actix_web::HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", format.file_name(state.today())),
        ))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use crate::web::present::paragraphs;

    #[test]
    fn blank_lines_separate_paragraphs_and_single_breaks_stay() {
        assert_eq!(paragraphs("a\nb\n\n\nc\r\n\r\nd  "), vec![vec!["a", "b"], vec!["c"], vec!["d"]]);
        assert!(paragraphs("\n\n").is_empty());
    }
}
