//! Kirjautumiset / Inloggningar: the signed-in person's own live sessions (started, last used,
//! browser family — never an address), with "end this session" and "end all other sessions"
//! (ASVS V7.5). A session is named in forms by a hash of its key, never by the key itself.

use std::collections::HashMap;

use actix_web::{HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::SignedIn;
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::Lang;
use crate::web::session::{AppSession, BROWSER, SID};
use crate::web::{AppState, urls};

pub struct SessionView {
    pub id: String,
    pub started: String,
    pub last_used: String,
    pub browser: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions.html")]
pub struct SessionsPage {
    ctx: Ctx,
    sessions: Vec<SessionView>,
    form_url: String,
    ended: Option<String>,
}

/// The public name of a session in forms: a hash of its key.
fn public_id(session_key: &str) -> String {
    hex::encode(&Sha256::digest(session_key.as_bytes())[..12])
}

fn state_value(state: &str, key: &str) -> Option<String> {
    let map: HashMap<String, String> = serde_json::from_str(state).ok()?;
    serde_json::from_str(map.get(key)?).ok()
}

pub async fn page(state: web::Data<AppState>, s: SignedIn, q: web::Query<EndedQuery>) -> Result<SessionsPage> {
    let l = s.ctx.l;
    let idle = chrono::Duration::minutes(state.settings.session.idle_timeout_minutes);
    let mine = s.session.sid();
    let time = |t: DateTime<Utc>| l.time(&t);
    let sessions = state
        .store
        .sessions_of(s.person.person_id)
        .await?
        .into_iter()
        .map(|row| SessionView {
            id: public_id(&row.session_key),
            started: time(row.created_at),
            last_used: time(row.expires_at - idle),
            browser: match state_value(&row.state, BROWSER).as_deref() {
                Some("other") | None => l.t("sessions-browser-other").into_owned(),
                Some(b) => b.to_string(),
            },
            current: mine.is_some() && state_value(&row.state, SID) == mine,
        })
        .collect();
    let ended = q
        .ended
        .as_deref()
        .filter(|e| *e == "one" || *e == "others")
        .map(|e| l.t(&format!("sessions-ended-{e}")).into_owned());
    let mut ctx = s.ctx;
    // The confirmation starts the title, so that it is announced with the new page (WCAG 4.1.3).
    ctx.success_title = ended.clone();
    Ok(SessionsPage { form_url: urls::sessions(l.lang), ctx, sessions, ended })
}

/// `GET /{lang}/session/keepalive`: the "continue the session" button's request. Any request of a
/// signed-in person extends the session; this one returns the new end time for the page script.
pub async fn keepalive(state: web::Data<AppState>, mut s: SignedIn) -> Result<HttpResponse> {
    // The person asked to continue: extend now, whenever it was last done.
    let now = chrono::Utc::now().timestamp();
    s.session.extend(now)?;
    crate::web::extract::set_session_end(&mut s.ctx, now, state.settings.session.idle_timeout_minutes);
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(format!(r#"{{"ends":"{}","expires":{}}}"#, s.ctx.session_ends, s.ctx.session_expires)))
}

/// `GET /{lang}/session/status`: when this browser's session ends, **without** extending it. The
/// warning script asks before it warns and before it declares the session ended, so that use in
/// another tab counts and two tabs never disagree with the server (WCAG 2.2.1). Reading does not
/// extend: the session middleware writes only when the state changes
/// (`TtlExtensionPolicy::OnStateChanges`), and this handler changes nothing. The answer names no
/// one: `{"expires":…,"ends":"14.35"}` while the session lasts, `{"ended":true}` once it has not.
pub async fn status(state: web::Data<AppState>, session: AppSession) -> HttpResponse {
    let now = chrono::Utc::now().timestamp();
    let settings = &state.settings.session;
    let alive = session.person_id().is_some_and(|id| session.signed_in().is_some_and(|row| row.person.person_id == id))
        && session.signed_in_at().is_some_and(|at| now - at <= settings.absolute_timeout_hours * 3600);
    let body = match session.extended_at().filter(|_| alive) {
        Some(at) => {
            let (expires, ends) = crate::web::extract::session_end(at, settings.idle_timeout_minutes);
            if expires > now {
                format!(r#"{{"ends":"{ends}","expires":{expires}}}"#)
            } else {
                r#"{"ended":true}"#.into()
            }
        }
        None => r#"{"ended":true}"#.into(),
    };
    HttpResponse::Ok().content_type("application/json").insert_header((header::CACHE_CONTROL, "no-store")).body(body)
}

#[derive(Deserialize)]
pub struct EndedQuery {
    ended: Option<String>,
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf_token: String,
    /// The public id of the session to end, or empty with `others`.
    #[serde(default)]
    session: String,
    #[serde(default)]
    others: String,
}

impl FormTokens for EndForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Ends one of the person's other sessions, or all of them but this one. Ending this session is
/// signing out (the header's button).
pub async fn end(
    state: web::Data<AppState>,
    lang: Lang,
    s: SignedIn,
    CheckedForm(form): CheckedForm<EndForm>,
) -> Result<HttpResponse> {
    let mine = s.session.sid();
    let rows = state.store.sessions_of(s.person.person_id).await?;
    let is_mine = |state_json: &str| mine.is_some() && state_value(state_json, SID) == mine;
    let targets: Vec<&str> = if form.others == "yes" {
        rows.iter().filter(|r| !is_mine(&r.state)).map(|r| r.session_key.as_str()).collect()
    } else {
        let row = rows
            .iter()
            .find(|r| public_id(&r.session_key) == form.session && !is_mine(&r.state))
            .ok_or(AppError::NotFound)?;
        vec![row.session_key.as_str()]
    };
    for key in targets {
        state.store.end_session_of(s.person.person_id, key).await?;
    }
    tracing::info!("sessions ended by their owner");
    let which = if form.others == "yes" { "others" } else { "one" };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{}?ended={which}", urls::sessions(lang))))
        .finish())
}
