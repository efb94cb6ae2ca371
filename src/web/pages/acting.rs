//! Toisen puolesta asiointi / Sköta ärenden för andra: choosing whose data to see, and
//! Puolestasi asioineet: the principal sees who has acted on their behalf (DESIGN §2.4).

use actix_web::{HttpMessage, HttpRequest, HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::roles::Role;
use crate::records::Viewpoint;
use crate::store::{NewAuditEvent, TimeCursor};
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::{Acting, SignedIn};
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::{Lang, Loc};
use crate::web::pagination::{self, Pagination};
use crate::web::present::{InLanguage, Phrase};
use crate::web::{AppState, urls};

pub struct PersonChoice {
    pub person_id: i64,
    pub name: String,
    pub role_label: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "acting_for.html")]
pub struct ActingForPage {
    ctx: Ctx,
    choices: Vec<PersonChoice>,
    form_url: String,
    /// The e-Authorizations button's form, when Suomi.fi e-Authorizations is in use.
    valtuudet_url: Option<String>,
    /// A notice from the last step (e-Authorizations refused, or acting ended on a re-check).
    notice: Option<String>,
}

/// Whom the actor can act for today: themselves first, then each person with a role.
pub async fn page(state: web::Data<AppState>, s: SignedIn) -> Result<ActingForPage> {
    let SignedIn { ctx, session, person: actor, resolved, .. } = s;
    let notice = session.take_flash().filter(|id| id.starts_with("valtuudet-")).map(|id| ctx.l.t(&id).into_owned());
    let subject = &resolved.subject;
    let l = ctx.l;
    let mut choices = vec![PersonChoice {
        person_id: actor.person_id,
        name: actor.full_name(),
        role_label: l.t("acting-for-as-own").into_owned(),
        current: subject.person_id == actor.person_id,
    }];
    for (person, role) in &resolved.others {
        choices.push(PersonChoice {
            current: person.person_id == subject.person_id,
            person_id: person.person_id,
            name: person.full_name(),
            role_label: l.t(&format!("acting-for-as-{}", role.code())).into_owned(),
        });
    }
    let valtuudet_url = state.valtuudet.as_ref().map(|_| urls::acting_for_valtuudet(ctx.lang));
    Ok(ActingForPage { form_url: urls::acting_for(ctx.lang), ctx, choices, valtuudet_url, notice })
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    person_id: String,
}

impl FormTokens for ChooseForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Chooses a person. Someone the actor cannot act for today is a 404, with no reason given; the
/// attempt is recorded (on the person asked for, who has the right to know, when they exist).
pub async fn choose(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    s: SignedIn,
    CheckedForm(form): CheckedForm<ChooseForm>,
) -> Result<HttpResponse> {
    let person_id: i64 = form.person_id.parse().map_err(|_| AppError::NotFound)?;
    if person_id == s.person.person_id {
        s.session.set_subject(None)?;
    } else {
        // The same people the page offers: the feed's links, or with e-Authorizations the people
        // chosen through it in this session and the information rights.
        let allowed = s.resolved.others.iter().any(|(p, _)| p.person_id == person_id);
        if !allowed {
            let subject = state.store.person(person_id).await?;
            let request_id = req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
            state
                .store
                .audit(&NewAuditEvent {
                    key: &state.chain_key,
                    actor_id: s.person.person_id,
                    role: "none",
                    subject_id: subject.as_ref().map_or(s.person.person_id, |p| p.person_id),
                    action: AuditAction::DeniedActFor.code(),
                    object: None,
                    request_id: request_id.as_deref(),
                })
                .await?;
            return Err(AppError::NotFound);
        }
        s.session.set_subject(Some(person_id))?;
    }
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, urls::records(lang))).finish())
}

pub struct ActedForRow {
    pub time: String,
    pub who: String,
    pub role: String,
    /// What was done, a document's title marked in its own language.
    pub what: Phrase,
}

/// One person in the filter of "who acted for me".
pub struct ActorOption {
    pub person_id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "acted_for_me.html")]
pub struct ActedForMePage {
    ctx: Ctx,
    rows: Vec<ActedForRow>,
    pagination: Pagination,
    actors: Vec<ActorOption>,
    form_url: String,
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// The page number shown ("Sivu 2 / 5"); the rows come from the cursor.
    page: Option<String>,
    /// Keyset cursors (`TimeCursor::to_param`): the rows older than `before`, or newer than `after`.
    before: Option<String>,
    after: Option<String>,
    /// Only this person's actions (a person id from the list; never an identity code).
    who: Option<String>,
}

pub const ACTED_FOR_PAGE_SIZE: i64 = 20;

/// Actions that change something: the form steps before one (each page of it is audited as a
/// view) are shown as the change alone.
fn is_change(action: &str) -> bool {
    matches!(
        AuditAction::from_code(action),
        Some(
            AuditAction::AcknowledgeInforming
                | AuditAction::GiveConsent
                | AuditAction::RevokeConsent
                | AuditAction::SetProhibition
                | AuditAction::RevokeProhibition
        )
    )
}

/// How close in time the steps of one change, or repeated views, are taken to be one action.
const SAME_ACTION_SECONDS: i64 = 30 * 60;

/// The rows as a person reads them (newest first in, newest first out): the viewed-choices steps
/// that led to a change by the same person are left out (the change says it), and the same view
/// repeated by the same person within half an hour is one line. Pure.
pub fn collapse(rows: Vec<crate::store::AuditRow>) -> Vec<crate::store::AuditRow> {
    let mut out: Vec<crate::store::AuditRow> = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(newer) = out.last() {
            let close = (newer.at - r.at).num_seconds() <= SAME_ACTION_SECONDS && newer.actor_id == r.actor_id;
            let step_of_change = close && r.action == AuditAction::ViewChoices.code() && is_change(&newer.action);
            let repeated = close && newer.action == r.action && newer.object == r.object && !is_change(&r.action);
            if step_of_change || repeated {
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// What an audited action was, in words, with its target; a document's title only while the
/// principal can see it (with its language when it differs from the page's).
fn describe(
    l: &Loc,
    action: &str,
    object: Option<&str>,
    shown_title: impl Fn(&str) -> Option<InLanguage>,
    prohibition_target: impl Fn(&str) -> Option<Phrase>,
) -> Phrase {
    match (AuditAction::from_code(action), object) {
        (Some(AuditAction::ViewServiceTask), Some(task)) => {
            Phrase::page(l.ta("acted-view-service-task", &[("task", l.t(&format!("task-{task}")).into())]))
        }
        (Some(AuditAction::ViewDocument), Some(id)) => match shown_title(id) {
            Some(title) => Phrase::around(l, "acted-view-document", "title", title),
            None => Phrase::page(l.t("acted-view-document-untitled")),
        },
        (Some(AuditAction::ViewChoices), Some(area @ ("informing" | "consent" | "prohibitions"))) => {
            Phrase::page(l.t(&format!("acted-view-choices-{area}")))
        }
        (Some(a @ (AuditAction::SetProhibition | AuditAction::RevokeProhibition)), Some(id)) => {
            match prohibition_target(id) {
                Some(target) => {
                    Phrase::around(l, &format!("acted-{}-target", a.code().replace('_', "-")), "target", target)
                }
                None => Phrase::page(l.t(&format!("acted-{}", a.code().replace('_', "-")))),
            }
        }
        (Some(AuditAction::DownloadedRecords), Some(format @ ("html" | "json"))) => {
            Phrase::page(l.ta("acted-downloaded-records", &[("format", format.to_uppercase().into())]))
        }
        (Some(a), _) => Phrase::page(l.t(&format!("acted-{}", a.code().replace('_', "-")))),
        (None, _) => Phrase::page(l.t("acted-other")),
    }
}

/// Only a person acting for themselves sees who has acted for them.
pub async fn acted_for_me(
    state: web::Data<AppState>,
    acting: Acting,
    query: web::Query<PageQuery>,
) -> Result<ActedForMePage> {
    if acting.role != Role::Own {
        return Err(AppError::NotFound);
    }
    let page = pagination::requested_page(query.page.as_deref()).ok_or(AppError::NotFound)? as i64;
    let cursor =
        |raw: &Option<String>| raw.as_deref().map(|c| TimeCursor::parse(c).ok_or(AppError::NotFound)).transpose();
    let (before, after) = (cursor(&query.before)?, cursor(&query.after)?);
    // Page 1 is the newest; any later page is reached from a neighbour's cursor (keyset
    // pagination: no OFFSET, however long the history).
    if (page > 1) == (before.is_none() && after.is_none()) || (before.is_some() && after.is_some()) {
        return Err(AppError::NotFound);
    }
    let me = acting.subject.person_id;
    // A filter naming someone who never acted for this person is simply no filter.
    let asked = query.who.as_deref().and_then(|w| w.parse::<i64>().ok());
    let (actors, who, raw) =
        state.store.acted_for_page(me, asked, before.or(after), after.is_some(), ACTED_FOR_PAGE_SIZE).await?;
    let total: i64 = actors.iter().filter(|a| who.is_none_or(|w| w == a.person_id)).map(|a| a.records).sum();
    let pages = ((total + ACTED_FOR_PAGE_SIZE - 1) / ACTED_FOR_PAGE_SIZE).max(1);
    if page > pages || (page > 1 && raw.is_empty()) {
        return Err(AppError::NotFound);
    }
    let first = raw.first().map(TimeCursor::of);
    let last = (raw.len() as i64 == ACTED_FOR_PAGE_SIZE).then(|| raw.last().map(TimeCursor::of)).flatten();
    let events = collapse(raw);
    // Titles of the documents the principal can see today, and the targets of their prohibitions.
    let view = Viewpoint { role: Role::Own, today: state.today(), switches: state.settings.visibility };
    let seen = acting.load_view(&state, me, view).await?;
    let l = acting.ctx.l;
    let shown_title = |id: &str| seen.shown_document(id).map(|d| InLanguage::of(l.lang, d.title.clone(), &d.language));
    // The prohibitions only when the page names one (others rarely set them): no read otherwise.
    let names_prohibitions = events.iter().any(|e| {
        matches!(AuditAction::from_code(&e.action), Some(AuditAction::SetProhibition | AuditAction::RevokeProhibition))
    });
    let prohibitions = if names_prohibitions { state.store.prohibitions_of(me).await? } else { Vec::new() };
    let prohibition_target = |id: &str| {
        let p = prohibitions.iter().find(|p| p.prohibition_id == id)?;
        if let Some(task) = &p.target_service_task {
            return Some(Phrase::page(
                l.ta("acted-target-service-task", &[("name", l.t(&format!("task-{task}")).into())]),
            ));
        }
        if let (Some(fi), Some(sv)) = (&p.target_registrar_name_fi, &p.target_registrar_name_sv) {
            return Some(Phrase::page(l.ta("acted-target-registrar", &[("name", l.lang.name_of(fi, sv).into())])));
        }
        let doc = p.target_document_id.as_deref()?;
        Some(match seen.shown_document(doc) {
            Some(d) => Phrase::around(
                &l,
                "acted-target-document",
                "name",
                InLanguage::of(l.lang, d.title.clone(), &d.language),
            ),
            None => Phrase::page(l.t("acted-target-document-untitled")),
        })
    };
    acting.audit(&state, AuditAction::ViewActedForMe, None).await?;
    let rows = events
        .iter()
        .map(|e| {
            let what = describe(&l, &e.action, e.object.as_deref(), shown_title, prohibition_target);
            ActedForRow {
                time: l.time(&e.at),
                who: format!("{} {}", e.actor_first_names, e.actor_last_name),
                role: l.t(&format!("role-{}", e.role)).into_owned(),
                what,
            }
        })
        .collect();
    let base = urls::acted_for_me(l.lang);
    let with_filter = |cursor: Option<String>| {
        let parts: Vec<String> = who.map(|w| format!("who={w}")).into_iter().chain(cursor).collect();
        if parts.is_empty() { base.clone() } else { format!("{base}?{}", parts.join("&")) }
    };
    let pagination = Pagination::keyset(
        page as usize,
        pages as usize,
        l.t("pagination-label").into_owned(),
        first,
        last,
        with_filter,
    );
    Ok(ActedForMePage {
        rows,
        pagination,
        actors: actors
            .into_iter()
            .map(|a| ActorOption {
                person_id: a.person_id,
                name: format!("{} {}", a.first_names, a.last_name),
                selected: Some(a.person_id) == who,
            })
            .collect(),
        form_url: base.clone(),
        ctx: acting.ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::collapse;
    use crate::store::AuditRow;

    fn row(minute: i64, actor: i64, action: &str, object: Option<&str>) -> AuditRow {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&chrono::Utc)
            + chrono::Duration::minutes(minute);
        AuditRow {
            audit_event_id: minute,
            at,
            actor_id: actor,
            actor_first_names: "A".into(),
            actor_last_name: "B".into(),
            role: "mandate".into(),
            action: action.into(),
            object: object.map(str::to_string),
        }
    }

    #[test]
    fn the_steps_of_one_change_are_one_line_and_repeated_views_one() {
        // Newest first: a prohibition set after three form steps, then earlier page views.
        let rows = vec![
            row(10, 1, "set_prohibition", Some("P1")),
            row(9, 1, "view_choices", Some("prohibitions")),
            row(8, 1, "view_choices", Some("prohibitions")),
            row(7, 1, "view_choices", Some("prohibitions")),
            row(5, 1, "view_records", None),
            row(4, 1, "view_records", None),
            row(3, 2, "view_records", None),
            row(2, 1, "view_choices", Some("informing")),
        ];
        let got: Vec<(i64, String)> = collapse(rows).into_iter().map(|r| (r.actor_id, r.action)).collect();
        assert_eq!(
            got,
            vec![
                (1, "set_prohibition".into()),
                (1, "view_records".into()),
                (2, "view_records".into()),
                (1, "view_choices".into())
            ]
        );
        // Another person's view between is never merged; an hour apart is two lines.
        let rows = vec![row(70, 1, "view_records", None), row(0, 1, "view_records", None)];
        assert_eq!(collapse(rows).len(), 2);
        // Two changes are two lines.
        let rows = vec![row(3, 1, "give_consent", None), row(2, 1, "revoke_consent", None)];
        assert_eq!(collapse(rows).len(), 2);
    }
}
