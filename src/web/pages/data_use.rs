//! Tietojen käyttö ja luovutukset / Användning och utlämnande av uppgifter (DESIGN §2.6): the
//! archive's events about the subject's data, newest first, filterable by period, paginated.
//! An event about a document the viewer cannot see is left out altogether.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::time::helsinki_midnight;
use crate::records::Viewpoint;
use crate::store::{DataUseRow, TimeCursor};
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Acting;
use crate::web::pagination::{self, Pagination};
use crate::web::{AppState, urls};

pub const PAGE_SIZE: usize = 20;

#[derive(Deserialize, Default)]
pub struct DataUseQuery {
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
    /// Keyset cursors (`TimeCursor::to_param`): the events older than `before`, or newer than `after`.
    before: Option<String>,
    after: Option<String>,
    /// `csv`: the filtered rows as a file (same rules as the page).
    format: Option<String>,
}

/// The bases of use and disclosure, each explained in one plain sentence under the table.
pub const BASES: [&str; 4] = ["consent", "statutory", "own_register", "service_purchase"];

/// One CSV cell: quoted, quotes doubled, and a cell that a spreadsheet would read as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return) starts with an apostrophe.
pub fn csv_cell(text: &str) -> String {
    let guarded =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

pub struct EventView {
    pub time: String,
    pub action: String,
    pub by: String,
    pub registrar: String,
    pub basis: String,
    pub document: Option<String>,
    /// The document's page: an event names only documents the viewer may see.
    pub document_url: Option<String>,
    /// The document title's language when it differs from the page's.
    pub document_lang: Option<&'static str>,
}

/// One field error for the GOV.UK error summary.
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "data_use.html")]
pub struct DataUsePage {
    ctx: Ctx,
    from: String,
    to: String,
    errors: Vec<FieldError>,
    events: Vec<EventView>,
    pagination: Pagination,
    form_url: String,
    /// The same filter as a CSV file.
    csv_url: String,
    /// (basis name, its explanation), for the list under the table.
    bases: Vec<(String, String)>,
    help_url: String,
}

impl DataUsePage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// An event with its document's title as shown (and the title's language where it is not the page's).
type EventRow = (DataUseRow, Option<(String, Option<&'static str>)>);

/// An event with the title of its document while the viewer sees it (and the title's language
/// when it differs from the page's).
fn with_title(l: crate::web::i18n::Loc, seen: &crate::records::SubjectView, r: DataUseRow) -> EventRow {
    let title = r
        .document_id
        .as_deref()
        .and_then(|id| seen.shown_document(id))
        .map(|d| (d.title.clone(), crate::web::present::other_language(l.lang, &d.language)));
    (r, title)
}

/// A date as people type it: 2026-03-04 (what a date input sends) or 4.3.2026.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(s, "%d.%m.%Y").ok())
}

pub async fn data_use(
    state: web::Data<AppState>,
    acting: Acting,
    q: web::Query<DataUseQuery>,
) -> Result<actix_web::HttpResponse> {
    let l = acting.ctx.l;
    let from_raw = q.from.clone().unwrap_or_default();
    let to_raw = q.to.clone().unwrap_or_default();
    let mut errors = Vec::new();
    let mut date_field = |raw: &str, field: &'static str, message_id: &str| match raw.trim() {
        "" => None,
        s => parse_date(s).or_else(|| {
            errors.push(FieldError { field, message: l.t(message_id).into_owned() });
            None
        }),
    };
    let from = date_field(&from_raw, "from", "data-use-error-from");
    let to = date_field(&to_raw, "to", "data-use-error-to");
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push(FieldError { field: "to", message: l.t("data-use-error-order").into_owned() });
    }
    let page = pagination::requested_page(q.page.as_deref()).ok_or(AppError::NotFound)?;
    let cursor =
        |raw: &Option<String>| raw.as_deref().map(|c| TimeCursor::parse(c).ok_or(AppError::NotFound)).transpose();
    let (before, after) = (cursor(&q.before)?, cursor(&q.after)?);
    // Page 1 is the newest; any later page is reached from a neighbour's cursor (keyset
    // pagination: no OFFSET, however long the history).
    if (page > 1) == (before.is_none() && after.is_none()) || (before.is_some() && after.is_some()) {
        return Err(AppError::NotFound);
    }
    let mut events = Vec::new();
    let mut pages = 1;
    let (mut first, mut last) = (None, None);
    if errors.is_empty() {
        let (from_at, until_at) = (from.map(helsinki_midnight), to.and_then(|t| t.succ_opt()).map(helsinki_midnight));
        let view = Viewpoint { role: acting.role, today: state.today(), switches: state.settings.visibility };
        let seen = acting.load_view(&state, acting.subject.person_id, view).await?;
        // Events about a document hidden or restricted for this viewer, and events of a
        // never-shown service, are left out (DESIGN §2.6).
        if q.format.as_deref() == Some("csv") {
            let rows = state.store.data_use_of(acting.subject.person_id, from_at, until_at).await?;
            let visible: Vec<_> = rows
                .into_iter()
                .filter(|r| seen.data_use_verdict(r).is_shown())
                .map(|r| with_title(l, &seen, r))
                .collect();
            acting.audit(&state, AuditAction::ViewDataUse, Some("csv")).await?;
            return Ok(csv_file(l, &visible, state.today()));
        }
        let shown: i64 = state
            .store
            .data_use_counts(acting.subject.person_id, from_at, until_at)
            .await?
            .into_iter()
            .filter(|(document, service, _)| seen.data_use_verdict_of(service, document.as_deref()).is_shown())
            .map(|(_, _, n)| n)
            .sum();
        pages = pagination::page_count(usize::try_from(shown).unwrap_or(0), PAGE_SIZE);
        if page > pages {
            return Err(AppError::NotFound);
        }
        // The page's shown events, read from the cursor outwards a few pages' worth at a time (the
        // hidden ones in between are skipped), nearest the cursor first.
        let newer = after.is_some();
        let mut from_here = before.or(after);
        let mut found = Vec::new();
        while found.len() < PAGE_SIZE {
            let mut chunk = state
                .store
                .data_use_page(acting.subject.person_id, from_at, until_at, from_here, newer, 2 * PAGE_SIZE as i64)
                .await?;
            let exhausted = chunk.len() < 2 * PAGE_SIZE;
            if newer {
                chunk.reverse();
            }
            from_here = chunk.last().map(DataUseRow::cursor);
            found.extend(
                chunk.into_iter().filter(|r| seen.data_use_verdict(r).is_shown()).take(PAGE_SIZE - found.len()),
            );
            if exhausted {
                break;
            }
        }
        if newer {
            found.reverse();
        }
        if page > 1 && found.is_empty() {
            return Err(AppError::NotFound);
        }
        first = found.first().map(DataUseRow::cursor);
        last = found.last().map(DataUseRow::cursor);
        events = found
            .into_iter()
            .map(|r| with_title(l, &seen, r))
            .map(|(r, title)| EventView {
                time: l.time(&r.at),
                action: l.t(&format!("data-use-action-{}", r.action)).into_owned(),
                by: l.lang.name_of(&r.by_name_fi, &r.by_name_sv),
                registrar: l.lang.name_of(&r.registrar_name_fi, &r.registrar_name_sv),
                basis: l.t(&format!("data-use-basis-{}", r.basis.replace('_', "-"))).into_owned(),
                document_lang: title.as_ref().and_then(|(_, lang)| *lang),
                document_url: title.as_ref().and(r.document_id.as_deref()).map(|id| urls::document(l.lang, id)),
                document: title.map(|(t, _)| t),
            })
            .collect();
    }
    acting.audit(&state, AuditAction::ViewDataUse, None).await?;
    let base = urls::choice_page(l.lang, "data-use");
    let mut period = Vec::new();
    if !from_raw.is_empty() {
        period.push(format!("from={}", urls::encode(&from_raw)));
    }
    if !to_raw.is_empty() {
        period.push(format!("to={}", urls::encode(&to_raw)));
    }
    let with_period = |extra: Option<String>| {
        let parts: Vec<String> = period.iter().cloned().chain(extra).collect();
        if parts.is_empty() { base.clone() } else { format!("{base}?{}", parts.join("&")) }
    };
    let pagination = Pagination::keyset(page, pages, l.t("pagination-label").into_owned(), first, last, with_period);
    let csv_url = with_period(Some("format=csv".to_string()));
    let bases = BASES
        .iter()
        .map(|b| {
            let id = b.replace('_', "-");
            (
                l.t(&format!("data-use-basis-{id}")).into_owned(),
                l.t(&format!("data-use-basis-{id}-explained")).into_owned(),
            )
        })
        .collect();
    let mut ctx = acting.ctx;
    ctx.has_errors = !errors.is_empty();
    let status =
        if errors.is_empty() { actix_web::http::StatusCode::OK } else { actix_web::http::StatusCode::BAD_REQUEST };
    let page_view = DataUsePage {
        pagination,
        from: from_raw,
        to: to_raw,
        errors,
        events,
        form_url: base,
        csv_url,
        bases,
        help_url: ctx.help_url(),
        ctx,
    };
    crate::web::pages::html_page(&page_view, status)
}

/// The filtered rows as a CSV file (UTF-8 with a byte-order mark, so that spreadsheets read the
/// letters right), named without any identity code, never cached.
fn csv_file(l: crate::web::i18n::Loc, rows: &[EventRow], today: NaiveDate) -> actix_web::HttpResponse {
    let header = [
        "choices-col-time",
        "data-use-col-action",
        "data-use-col-by",
        "data-use-col-registrar",
        "data-use-col-basis",
        "data-use-col-document",
    ];
    let mut out = String::from("\u{feff}");
    out.push_str(&header.iter().map(|h| csv_cell(&l.t(h))).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for (r, title) in rows {
        let cells = crate::web::present::data_use_cells(&l, r, title.as_ref().map(|(t, _)| t.as_str()));
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}-{today}.csv\"", l.t("data-use-file-name")),
        ))
        .body(out)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        use super::csv_cell;
        assert_eq!(csv_cell("Keski-Suomen hyvinvointialue"), "\"Keski-Suomen hyvinvointialue\"");
        assert_eq!(csv_cell("a \"quote\", comma"), "\"a \"\"quote\"\", comma\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1"), "\"'-1\"");
        assert_eq!(csv_cell("@sum"), "\"'@sum\"");
    }

    #[test]
    fn dates_in_both_forms() {
        assert_eq!(parse_date("2026-03-04").unwrap().to_string(), "2026-03-04");
        assert_eq!(parse_date("4.3.2026").unwrap().to_string(), "2026-03-04");
        assert!(parse_date("31.2.2026").is_none());
        assert!(parse_date("huomenna").is_none());
    }
}
