//! Toisen puolesta asiointi / Sköta ärenden för andra: choosing whose data to see, and
//! Puolestasi asioineet: the principal sees who has acted on their behalf (DESIGN §2.4).

use actix_web::{http::header, web, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::roles::Role;
use crate::web::pagination::{self, Pagination};
use crate::records::Viewpoint;
use crate::store::NewAuditEvent;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::i18n::{Lang, Loc};
use crate::web::extract::{add_banner, resolve, Acting, SignedIn};
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::{urls, AppState};

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
    let SignedIn { mut ctx, session, person: actor, links, .. } = s;
    let resolved = resolve(&state, &session, &actor, &links).await?;
    add_banner(&mut ctx, &resolved);
    let notice = session.take_flash().filter(|id| id.starts_with("valtuudet-")).map(|id| ctx.l.t(&id));
    let subject = &resolved.subject;
    let l = ctx.l;
    let mut choices = vec![PersonChoice {
        person_id: actor.person_id,
        name: actor.full_name(),
        role_label: l.t("acting-for-as-own"),
        current: subject.person_id == actor.person_id,
    }];
    for (person, role) in &resolved.others {
        choices.push(PersonChoice {
            current: person.person_id == subject.person_id,
            person_id: person.person_id,
            name: person.full_name(),
            role_label: l.t(&format!("acting-for-as-{}", role.code())),
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
pub async fn choose(state: web::Data<AppState>, lang: Lang, req: HttpRequest, s: SignedIn, CheckedForm(form): CheckedForm<ChooseForm>) -> Result<HttpResponse> {
    let person_id: i64 = form.person_id.parse().map_err(|_| AppError::NotFound)?;
    if person_id == s.person.person_id {
        s.session.set_subject(None)?;
    } else {
        // The same people the page offers: the feed's links, or with e-Authorizations the people
        // chosen through it in this session and the information rights.
        let resolved = resolve(&state, &s.session, &s.person, &s.links).await?;
        let allowed = resolved.others.iter().any(|(p, _)| p.person_id == person_id);
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
    pub what: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "acted_for_me.html")]
pub struct ActedForMePage {
    ctx: Ctx,
    rows: Vec<ActedForRow>,
    pagination: Pagination,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub const ACTED_FOR_PAGE_SIZE: i64 = 20;

/// What an audited action was, in words; a document's title only while the principal can see it.
fn describe(l: &Loc, action: &str, object: Option<&str>, shown_title: impl Fn(&str) -> Option<String>) -> String {
    match (AuditAction::from_code(action), object) {
        (Some(AuditAction::ViewServiceTask), Some(task)) => {
            l.ta("acted-view-service-task", &[("task", l.t(&format!("task-{task}")).into())])
        }
        (Some(AuditAction::ViewDocument), Some(id)) => match shown_title(id) {
            Some(title) => l.ta("acted-view-document", &[("title", title.into())]),
            None => l.t("acted-view-document-untitled"),
        },
        (Some(a), _) => l.t(&format!("acted-{}", a.code().replace('_', "-"))),
        (None, _) => l.t("acted-other"),
    }
}

/// Only a person acting for themselves sees who has acted for them.
pub async fn acted_for_me(state: web::Data<AppState>, acting: Acting, query: web::Query<PageQuery>) -> Result<ActedForMePage> {
    if acting.role != Role::Own {
        return Err(AppError::NotFound);
    }
    let page = pagination::requested_page(query.page.as_deref()).ok_or(AppError::NotFound)? as i64;
    let me = acting.subject.person_id;
    let total = state.store.count_acted_for(me).await?;
    let pages = ((total + ACTED_FOR_PAGE_SIZE - 1) / ACTED_FOR_PAGE_SIZE).max(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let events = state.store.acted_for(me, ACTED_FOR_PAGE_SIZE, (page - 1) * ACTED_FOR_PAGE_SIZE).await?;
    // Titles of the documents the principal can see today.
    let view = Viewpoint { role: Role::Own, today: state.today(), switches: state.settings.visibility };
    let seen = acting.load_view(&state, me, view).await?;
    let shown_title = |id: &str| seen.shown_document(id).map(|d| d.title.clone());
    acting.audit(&state, AuditAction::ViewActedForMe, None).await?;
    let l = acting.ctx.l;
    let rows = events
        .iter()
        .map(|e| ActedForRow {
            time: l.time(&e.at),
            who: format!("{} {}", e.actor_first_names, e.actor_last_name),
            role: l.t(&format!("role-{}", e.role)),
            what: describe(&l, &e.action, e.object.as_deref(), shown_title),
        })
        .collect();
    let base = urls::acted_for_me(l.lang);
    Ok(ActedForMePage {
        rows,
        pagination: Pagination::new(page as usize, pages as usize, l.t("pagination-label"), |n| format!("{base}?page={n}")),
        ctx: acting.ctx,
    })
}
