//! Demo sign-in: a list of the demo people, each with a sign-in button. Registered only in demo
//! mode; production sign-in is Suomi.fi e-Identification.

use actix_web::{HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::hetu::age_on;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Visitor;
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::Lang;
use crate::web::session::AppSession;
use crate::web::{AppState, urls};

pub struct DemoPersonView {
    pub person_id: i64,
    pub name: String,
    pub age: u32,
    pub description: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    ctx: Ctx,
    people: Vec<DemoPersonView>,
    /// The forms' target, keeping `return=` as production sign-in does.
    form_url: String,
}

#[derive(Deserialize)]
pub struct ReturnQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

pub async fn page(state: web::Data<AppState>, mut v: Visitor, q: web::Query<ReturnQuery>) -> Result<SignInPage> {
    let today = state.today();
    let people = state
        .store
        .all_people()
        .await?
        .into_iter()
        .map(|p| DemoPersonView {
            person_id: p.person_id,
            name: p.full_name(),
            age: age_on(p.birth_date, today),
            description: state.demo_description(&p.hetu, v.ctx.lang),
        })
        .collect();
    v.ctx.csrf_token = v.session.csrf_token()?;
    let form_url = match crate::web::urls::safe_return(q.return_to.as_deref()) {
        Some(path) => format!("{}?return={}", urls::sign_in(v.ctx.lang), urls::encode(&path)),
        None => urls::sign_in(v.ctx.lang),
    };
    Ok(SignInPage { ctx: v.ctx, people, form_url })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    person_id: String,
}

impl FormTokens for SignInForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

pub async fn sign_in(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    session: AppSession,
    q: web::Query<ReturnQuery>,
    CheckedForm(form): CheckedForm<SignInForm>,
) -> Result<HttpResponse> {
    let person_id: i64 = form.person_id.parse().map_err(|_| AppError::BadRequest)?;
    let person = state.store.person(person_id).await?.ok_or(AppError::BadRequest)?;
    session.sign_in(
        person.person_id,
        chrono::Utc::now().timestamp(),
        req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()),
    )?;
    tracing::info!("signed in (demo)");
    crate::observability::sign_in("demo");
    // Back to the page first asked for (after the idle end, say), as production sign-in does;
    // otherwise someone who can act for others first chooses whose data to see.
    let next = if let Some(path) = crate::web::urls::safe_return(q.return_to.as_deref()) {
        path
    } else if crate::records::access::representable(
        &state.store,
        &person,
        state.today(),
        crate::records::access::LinkSource::of(state.valtuudet.is_some()),
    )
    .await?
    .is_empty()
    {
        urls::home(lang)
    } else {
        urls::acting_for(lang)
    };
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, next)).finish())
}
