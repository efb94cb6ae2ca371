//! Production sign-in through the OpenID provider (Suomi.fi e-Identification), sign-out with
//! RP-initiated logout, the signed-out page and the client's public keys. Every failure ends on a
//! localised page with a request id and a way to try again; no session is created; the log says
//! why (a failure code), never with personal data.
//!
//! Sign-out ends the portal's session first, then sends the browser on to the provider's
//! `end_session_endpoint` by a form POST (the signed ID token as the hint stays out of every URL).
//! It also leaves a marker cookie (no personal data) so that the next sign-in on that browser asks
//! the provider to authenticate again (`prompt=login`), whether or not the provider's session
//! could be ended; the marker goes at the next successful sign-in.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::signin::oidc::Pending;
use crate::signin::oidc::token::Failure;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Visitor;
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::Lang;
use crate::web::session::AppSession;
use crate::web::{AppState, urls};

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

#[derive(Template)]
#[template(path = "signing_out.html")]
struct SigningOutPage {
    ctx: Ctx,
    endpoint: String,
    fields: Vec<(&'static str, String)>,
}

/// The marker cookie: the next sign-in on this browser asks the provider to authenticate again.
pub(crate) fn reauth_cookie_name(https: bool) -> &'static str {
    if https { "__Host-sosiaalitiedot-reauth" } else { "sosiaalitiedot-reauth" }
}

/// The marker set (`on`) or removed. It holds no personal data, only that someone signed out here.
fn reauth_cookie(https: bool, on: bool) -> Cookie<'static> {
    let mut c = Cookie::build(reauth_cookie_name(https), "1")
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Lax)
        .finish();
    if on {
        c.set_max_age(CookieDuration::days(30));
    } else {
        c.make_removal();
    }
    c
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
    let page = FailedPage {
        ctx: Ctx::anonymous(lang, req.path(), req.query_string(), state.is_demo()),
        text_id,
        request_id: request_id(req),
    };
    crate::web::pages::html_page(&page, status)
}

#[derive(Deserialize)]
pub struct StartQuery {
    /// Where to return afterwards: a same-site path only.
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// `/{lang}/sign-in` in production: off to the provider.
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    session: AppSession,
    q: web::Query<StartQuery>,
) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let force_login = req.cookie(reauth_cookie_name(state.settings.is_https())).is_some();
    let pending = Pending::new(lang.code(), urls::safe_return(q.return_to.as_deref()), force_login);
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
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    q: web::Query<CallbackQuery>,
) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let pending = session.take_pending_sign_in();
    let lang = pending.as_ref().and_then(|p| Lang::from_code(&p.lang)).unwrap_or(Lang::Fi);
    let Some(pending) = pending.filter(|p| {
        q.state.as_deref().is_some_and(|s| crate::web::session::constant_time_eq(s.as_bytes(), p.state.as_bytes()))
    }) else {
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
    let person = state
        .store
        .person_for_sign_in(&signed.identity.hetu, &signed.identity.first_names, &signed.identity.last_name)
        .await?;
    session.sign_in(
        person.person_id,
        chrono::Utc::now().timestamp(),
        req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()),
    )?;
    session.set_id_token(&signed.id_token)?;
    tracing::info!("signed in");
    crate::observability::sign_in("success");
    let next = match pending.return_to {
        Some(path) => path,
        None if crate::records::access::representable(
            &state.store,
            &person,
            state.today(),
            crate::records::access::LinkSource::of(state.valtuudet.is_some()),
        )
        .await?
        .is_empty() =>
        {
            urls::home(lang)
        }
        None => urls::acting_for(lang),
    };
    let mut res = HttpResponse::SeeOther();
    res.insert_header((header::LOCATION, next));
    if pending.force_login {
        res.cookie(reauth_cookie(state.settings.is_https(), false));
    }
    Ok(res.finish())
}

#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf_token: String,
}

impl FormTokens for SignOutForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /{lang}/sign-out`: the session row is deleted here first; then, with production sign-in,
/// the provider's session ends too (RP-initiated logout), which returns to the signed-out page.
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    session: AppSession,
    CheckedForm(_): CheckedForm<SignOutForm>,
) -> Result<HttpResponse> {
    // The session row must really be deleted: with the database away, say so instead of
    // pretending (the session store's delete is the one hard failure).
    state.store.ping().await?;
    let id_token = session.id_token();
    session.sign_out();
    let signed_out = urls::signed_out(lang);
    let https = state.settings.is_https();
    let (Some(oidc), Some(public)) = (&state.oidc, &state.settings.public_url) else {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, signed_out))
            .insert_header(("Clear-Site-Data", "\"storage\""))
            .finish());
    };
    let back = format!("{}{signed_out}", public.trim_end_matches('/'));
    let Some(logout) = oidc.logout_request(id_token.as_deref(), &back, lang.code()).await else {
        // The provider cannot be reached (or offers no logout): the portal's session has ended
        // all the same, and the marker makes the next sign-in here authenticate again.
        tracing::warn!(
            "the provider's logout could not be started: the next sign-in on this browser asks it to authenticate again"
        );
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, signed_out))
            .insert_header(("Clear-Site-Data", "\"storage\""))
            .cookie(reauth_cookie(https, true))
            .finish());
    };
    // The form goes to the provider's end-session endpoint, which may be on another origin than
    // the issuer: this page's policy allows exactly that one as a form target.
    let csp = crate::web::security::content_security_policy(
        &crate::web::security::origin_of(&logout.endpoint).into_iter().collect::<Vec<_>>(),
    );
    let page = SigningOutPage {
        ctx: Ctx::anonymous(lang, req.path(), "", state.is_demo()),
        endpoint: logout.endpoint,
        fields: logout.fields,
    };
    let mut res = crate::web::pages::html_page(&page, StatusCode::OK)?;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_str(&csp).map_err(|e| AppError::Internal(e.into()))?,
    );
    headers.insert(header::HeaderName::from_static("clear-site-data"), header::HeaderValue::from_static("\"storage\""));
    res.add_cookie(&reauth_cookie(https, true)).map_err(|e| AppError::Internal(e.into()))?;
    Ok(res)
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
    let sign_in_href = match urls::safe_return(q.return_to.as_deref()) {
        Some(path) => format!("{}?return={}", urls::sign_in(v.ctx.lang), urls::encode(&path)),
        None => urls::sign_in(v.ctx.lang),
    };
    if v.person.is_none() {
        // The cookie of an ended session: removed, so that the next personal page simply asks to sign in.
        v.session.sign_out();
    }
    let page = SignedOutPage {
        ctx: v.ctx,
        text_id,
        sign_in_href,
        minutes: state.settings.session.idle_timeout_minutes,
        hours: state.settings.session.absolute_timeout_hours,
    };
    crate::web::pages::html_page(&page, StatusCode::OK)
}

/// `/.well-known/jwks.json`: the client's public keys, which the provider fetches.
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "max-age=300"))
        .body(oidc.keys.jwks.clone()))
}
