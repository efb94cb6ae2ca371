//! Production sign-in through the OpenID provider (Suomi.fi e-Identification), sign-out with
//! RP-initiated logout, the signed-out page and the client's public keys. Every failure ends on a
//! localised page with a request id and a way to try again; no session is created; the log says
//! why (a failure code), never with personal data.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::oidc::token::Failure;
use crate::oidc::Pending;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::i18n::Lang;
use crate::web::extract::Visitor;
use crate::web::session::AppSession;
use crate::web::{urls, AppState};

#[derive(Template)]
#[template(path = "sign_in_failed.html")]
struct FailedPage {
    ctx: Ctx,
    text_id: &'static str,
    request_id: String,
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOutPage {
    ctx: Ctx,
    text_id: &'static str,
    sign_in_href: String,
    minutes: i64,
    hours: i64,
}

fn request_id(req: &HttpRequest) -> String {
    req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string()).unwrap_or_default()
}


/// The failure page. The provider being away is a 503; anything else a 400.
fn failed(req: &HttpRequest, state: &AppState, lang: Lang, failure: Failure) -> Result<HttpResponse> {
    tracing::warn!(failure = failure.code(), "sign-in refused");
    crate::observability::sign_in(failure.code());
    let (status, text_id) = match failure {
        Failure::ProviderUnreachable => (StatusCode::SERVICE_UNAVAILABLE, "auth-failed-unavailable"),
        Failure::ProviderError => (StatusCode::BAD_REQUEST, "auth-failed-cancelled"),
        _ => (StatusCode::BAD_REQUEST, "auth-failed-text"),
    };
    let page = FailedPage { ctx: Ctx::anonymous(lang, req.path(), req.query_string(), state.is_demo()), text_id, request_id: request_id(req) };
    crate::web::pages::html_page(&page, status)
}

#[derive(Deserialize)]
pub struct StartQuery {
    /// Where to return afterwards: a same-site path only.
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// A same-site path (`/…`, not `//…`, no backslash): anything else is dropped.
pub fn safe_return(path: Option<&str>) -> Option<String> {
    let p = path?;
    let ok = p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && !p.chars().any(char::is_control) && p.len() <= 512;
    ok.then(|| p.to_string())
}

/// `/{lang}/sign-in` in production: off to the provider.
pub async fn start(req: HttpRequest, state: web::Data<AppState>, lang: Lang, session: AppSession, q: web::Query<StartQuery>) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let pending = Pending::new(lang.code(), safe_return(q.return_to.as_deref()));
    match oidc.authorization_url(&pending).await {
        Ok(url) => {
            session.set_pending_sign_in(&pending)?;
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, url)).finish())
        }
        Err(f) => failed(&req, &state, lang, f),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `/auth/callback`: the provider's answer. The pending sign-in is taken out of the session first,
/// so a state is good once.
pub async fn callback(req: HttpRequest, state: web::Data<AppState>, session: AppSession, q: web::Query<CallbackQuery>) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let pending = session.take_pending_sign_in();
    let lang = pending.as_ref().and_then(|p| Lang::from_code(&p.lang)).unwrap_or(Lang::Fi);
    let Some(pending) = pending.filter(|p| q.state.as_deref().is_some_and(|s| crate::web::session::constant_time_eq(s.as_bytes(), p.state.as_bytes()))) else {
        return failed(&req, &state, lang, Failure::StateMismatch);
    };
    if q.error.is_some() {
        return failed(&req, &state, lang, Failure::ProviderError);
    }
    let Some(code) = q.code.as_deref() else { return failed(&req, &state, lang, Failure::ProviderError) };
    let signed = match oidc.complete(code, &pending).await {
        Ok(s) => s,
        Err(f) => return failed(&req, &state, lang, f),
    };
    // A person the archive does not know signs in all the same, with the names from the token, and
    // sees the empty state.
    let person = state.store.person_for_sign_in(&signed.identity.hetu, &signed.identity.first_names, &signed.identity.last_name).await?;
    session.sign_in(person.person_id, chrono::Utc::now().timestamp(), req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()))?;
    session.set_id_token(&signed.id_token)?;
    tracing::info!("signed in");
    crate::observability::sign_in("success");
    let next = match pending.return_to {
        Some(path) => path,
        None if crate::access::representable(&state.store, &person, state.today(), crate::access::LinkSource::of(state.valtuudet.is_some())).await?.is_empty() => urls::home(lang),
        None => urls::acting_for(lang),
    };
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, next)).finish())
}

#[derive(Deserialize)]
pub struct SignedOutQuery {
    reason: Option<String>,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// `/{lang}/signed-out`: after signing out, or after an idle session ended (then signing in
/// again returns to the page the person was on).
pub async fn signed_out(state: web::Data<AppState>, v: Visitor, q: web::Query<SignedOutQuery>) -> Result<HttpResponse> {
    let text_id = match q.reason.as_deref() {
        Some("idle") => "signed-out-idle",
        Some("absolute") => "signed-out-absolute",
        _ => "signed-out-text",
    };
    let sign_in_href = match safe_return(q.return_to.as_deref()) {
        Some(path) => format!("{}?return={}", urls::sign_in(v.ctx.lang), urls::encode(&path)),
        None => urls::sign_in(v.ctx.lang),
    };
    if v.person.is_none() {
        // The cookie of an ended session: removed, so that the next personal page simply asks to sign in.
        v.session.sign_out();
    }
    let page = SignedOutPage { ctx: v.ctx, text_id, sign_in_href, minutes: state.settings.session.idle_timeout_minutes, hours: state.settings.session.absolute_timeout_hours };
    crate::web::pages::html_page(&page, StatusCode::OK)
}

/// `/.well-known/jwks.json`: the client's public keys, which the provider fetches.
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().content_type("application/json").insert_header((header::CACHE_CONTROL, "max-age=300")).body(oidc.keys.jwks.clone()))
}
