//! Choosing whom to act for through Suomi.fi e-Authorizations (Suomi.fi-valtuudet /
//! Suomi.fi-fullmakter), DESIGN §2.4: the button on the acting-for page registers a Web API
//! session and sends the browser to the selection page; the callback reads the chosen principal and
//! the answer for the service's issue codes. Every outcome is recorded in the audit trail, never
//! with a token or a code; the log says what happened without an identity code.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::hetu::Hetu;
use crate::signin::valtuudet::{Answer, CallError, PENDING_VALID_SECONDS, Pending};
use crate::store::{NewAuditEvent, PersonRow};
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::SignedIn;
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::Lang;
use crate::web::{AppState, urls};

#[derive(Template)]
#[template(path = "valtuudet_failed.html")]
struct FailedPage {
    ctx: Ctx,
    text_id: &'static str,
    acting_for_url: String,
    request_id: String,
}

fn request_id(req: &HttpRequest) -> String {
    req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string()).unwrap_or_default()
}

/// Why choosing through e-Authorizations stopped, for the page and the log.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Call(CallError),
    /// A callback with no choice of this session in progress (replayed, forged, or too late).
    NotPending,
}

/// The failure page, with the actor's name and the way back to the acting-for page. The service
/// being away is a 503, a refused or malformed answer a 502, a callback that is not this session's a 400.
fn failed(req: &HttpRequest, ctx: Ctx, failure: Failure) -> Result<HttpResponse> {
    let (status, text_id) = match failure {
        Failure::Call(CallError::Unreachable) => (StatusCode::SERVICE_UNAVAILABLE, "valtuudet-failed-unavailable"),
        Failure::Call(CallError::Refused | CallError::BadAnswer) => (StatusCode::BAD_GATEWAY, "valtuudet-failed-text"),
        Failure::Call(CallError::SeveralPrincipals) => (StatusCode::BAD_REQUEST, "valtuudet-failed-several"),
        Failure::NotPending => (StatusCode::BAD_REQUEST, "valtuudet-failed-not-pending"),
    };
    tracing::warn!(
        outcome = match failure {
            Failure::Call(e) => e.code(),
            Failure::NotPending => "not_pending",
        },
        "choosing through e-Authorizations failed"
    );
    let page = FailedPage { acting_for_url: urls::acting_for(ctx.lang), ctx, text_id, request_id: request_id(req) };
    crate::web::pages::html_page(&page, status)
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf_token: String,
}

impl FormTokens for StartForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /{lang}/acting-for/valtuudet`: registers a Web API session for the signed-in person and
/// sends the browser to the selection page.
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    s: SignedIn,
    CheckedForm(_): CheckedForm<StartForm>,
) -> Result<HttpResponse> {
    let valtuudet = state.valtuudet.as_ref().ok_or(AppError::NotFound)?;
    match valtuudet.register(&s.person.hetu).await {
        Ok(registration) => {
            let pending = Pending {
                session_id: registration.session_id,
                lang: lang.code().to_string(),
                started_at: chrono::Utc::now().timestamp(),
            };
            s.session.set_valtuudet_pending(&pending)?;
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, valtuudet.authorize_url(&registration.user_id, lang.code())))
                .finish())
        }
        Err(e) => failed(&req, s.ctx, Failure::Call(e)),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    error: Option<String>,
}

/// Splits a name as the selection page gives it ("Etunimet Sukunimi"): the last word is the
/// family name. A name that breaks the feed's text rules or is unreasonably long is refused.
fn split_name(name: &str) -> Option<(String, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || crate::domain::text::forbidden_char(name, false).is_some() {
        return None;
    }
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => Some((first.trim().to_string(), last.to_string())),
        None => Some((String::new(), name.to_string())),
    }
}

/// `GET /valtuudet/callback`: the selection page's answer. The choice in progress is taken out of
/// the session first, so a callback is good once.
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    q: web::Query<CallbackQuery>,
) -> Result<HttpResponse> {
    let valtuudet = state.valtuudet.as_ref().ok_or(AppError::NotFound)?;
    let SignedIn { mut ctx, session, person: actor, .. } = s;
    let now = chrono::Utc::now().timestamp();
    let pending = session.take_valtuudet_pending().filter(|p| now - p.started_at <= PENDING_VALID_SECONDS);
    if let Some(lang) = pending.as_ref().and_then(|p| Lang::from_code(&p.lang)) {
        ctx = Ctx { l: crate::web::i18n::Loc::new(lang), lang, ..ctx };
    }
    let lang = ctx.lang;
    let Some(pending) = pending else { return failed(&req, ctx, Failure::NotPending) };
    let back = || HttpResponse::SeeOther().insert_header((header::LOCATION, urls::acting_for(lang))).finish();
    if q.error.is_some() {
        // Cancelled on the selection page: nothing changes.
        tracing::info!("choosing through e-Authorizations was cancelled");
        return Ok(back());
    }
    let Some(code) = q.code.as_deref().filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return failed(&req, ctx, Failure::NotPending);
    };
    let token = match valtuudet.token(code).await {
        Ok(t) => t,
        Err(e) => return failed(&req, ctx, Failure::Call(e)),
    };
    let principal = match valtuudet.delegate(&pending.session_id, &token).await {
        Ok(p) => p,
        Err(e) => return failed(&req, ctx, Failure::Call(e)),
    };
    let Ok(hetu) = Hetu::parse(&principal.person_id) else {
        return failed(&req, ctx, Failure::Call(CallError::BadAnswer));
    };
    if hetu.as_str() == actor.hetu {
        session.set_subject(None)?;
        return Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, urls::records(lang))).finish());
    }
    let answer = match valtuudet.authorization(&pending.session_id, &principal.person_id, &token).await {
        Ok(a) => a,
        Err(e) => return failed(&req, ctx, Failure::Call(e)),
    };
    let audit = |subject: &PersonRow, role: &'static str, action: AuditAction, object: &'static str| {
        let request_id = request_id(&req);
        let state = state.clone();
        let event_subject = subject.person_id;
        let actor_id = actor.person_id;
        async move {
            state
                .store
                .audit(&NewAuditEvent {
                    key: &state.chain_key,
                    actor_id,
                    role,
                    subject_id: event_subject,
                    action: action.code(),
                    object: Some(object),
                    request_id: Some(&request_id),
                })
                .await
        }
    };
    if answer == Answer::Disallowed {
        // The principal is told of the attempt when the archive knows them; otherwise it is recorded on the actor.
        let subject = state.store.person_by_hetu(hetu.as_str()).await?.unwrap_or_else(|| actor.clone());
        audit(&subject, "none", AuditAction::DeniedActFor, "valtuudet:disallowed").await?;
        tracing::info!("e-Authorizations answered DISALLOWED");
        session.set_flash("valtuudet-refused")?;
        return Ok(back());
    }
    // ALLOWED: the principal is known from here on (a person the archive does not know yet has no records).
    let archived = state.store.person_by_hetu(hetu.as_str()).await?;
    let person = match archived {
        Some(p) => p,
        None => {
            let Some((first, last)) = split_name(&principal.name) else {
                return failed(&req, ctx, Failure::Call(CallError::BadAnswer));
            };
            state.store.person_for_sign_in(&hetu, &first, &last).await?
        }
    };
    match crate::domain::roles::role_for_authorized(true, person.facts(), state.today()) {
        Some(role) => {
            audit(&person, role.code(), AuditAction::ChoseThroughValtuudet, "valtuudet:allowed").await?;
            session.set_grant(person.person_id, now)?;
            session.set_subject(Some(person.person_id))?;
            tracing::info!(role = role.code(), "acting for a principal chosen through e-Authorizations");
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, urls::records(lang))).finish())
        }
        None => {
            // ALLOWED, but the portal's own rules refuse (a child's non-disclosure marking or custody).
            audit(&person, "none", AuditAction::DeniedActFor, "valtuudet:refused_by_rules").await?;
            tracing::info!("e-Authorizations answered ALLOWED but the portal's rules refuse");
            session.set_flash("valtuudet-refused")?;
            Ok(back())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_from_the_selection_page() {
        use super::split_name;
        assert_eq!(split_name("Matti Juhani Meikäläinen"), Some(("Matti Juhani".into(), "Meikäläinen".into())));
        assert_eq!(split_name("  Aino  Testinen "), Some(("Aino".into(), "Testinen".into())));
        assert_eq!(split_name("Prince"), Some((String::new(), "Prince".into())));
        assert_eq!(split_name(""), None);
        assert_eq!(split_name("Eve\u{202e}lyn Evil"), None);
        assert_eq!(split_name(&"x".repeat(201)), None);
    }
}
