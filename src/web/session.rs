//! The typed session: handlers never touch string keys. Sessions live server-side in the database;
//! the cookie holds only an opaque key.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use rand::distr::{Alphanumeric, SampleString};
use serde::de::DeserializeOwned;

use super::ctx::Ctx;
use super::error::AppError;
use super::i18n::Lang;
use super::AppState;
use crate::store::PersonRow;

const PERSON: &str = "person";
const SIGNED_IN_AT: &str = "signed_in_at";
const CSRF: &str = "csrf";
/// Keys of the session state that the list of sessions reads (`store::sessions`).
pub const SID: &str = "sid";
pub const BROWSER: &str = "browser";

/// The browser family from a User-Agent, for the list of sessions: a name a person recognises,
/// nothing that identifies a device.
pub fn browser_family(user_agent: &str) -> &'static str {
    let ua = user_agent;
    if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "other"
    }
}

/// The session of the current request.
#[derive(Clone)]
pub struct AppSession(Session);

impl AppSession {
    pub fn of(req: &HttpRequest) -> Self {
        AppSession(req.get_session())
    }

    /// The CSRF token of this session, created on first use.
    pub fn csrf_token(&self) -> Result<String, AppError> {
        if let Some(t) = self.0.get::<String>(CSRF)? {
            return Ok(t);
        }
        let token = new_token();
        self.0.insert(CSRF, &token)?;
        Ok(token)
    }

    /// Whether `candidate` is this session's CSRF token (constant-time comparison).
    pub fn csrf_matches(&self, candidate: &str) -> bool {
        match self.0.get::<String>(CSRF) {
            Ok(Some(t)) => constant_time_eq(t.as_bytes(), candidate.as_bytes()),
            _ => false,
        }
    }

    fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.0.get::<T>(key).ok().flatten()
    }

    /// A value kept in the session for a page's own use (a rate limit, say).
    pub fn get_value<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.get(key)
    }

    pub fn set_value<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), AppError> {
        self.0.insert(key, value)?;
        Ok(())
    }

    /// Whether the session holds nothing (none was found for the cookie, or it is new).
    pub fn is_empty(&self) -> bool {
        self.0.entries().is_empty()
    }

    /// Whether this request's session could not be read because the database is away.
    pub fn store_unavailable(&self) -> bool {
        self.0.get::<bool>(crate::store::sessions::UNAVAILABLE_MARKER).is_ok_and(|v| v == Some(true))
    }

    pub fn person_id(&self) -> Option<i64> {
        self.get(PERSON)
    }

    pub fn signed_in_at(&self) -> Option<i64> {
        self.get(SIGNED_IN_AT)
    }

    /// Signs in: a new session key (no fixation), a new CSRF token, the time of sign-in, an opaque
    /// id by which the person can end this session from another, and the browser family (never
    /// an address) for the list of sessions.
    pub fn sign_in(&self, person_id: i64, now_unix: i64, user_agent: Option<&str>) -> Result<(), AppError> {
        self.0.renew();
        self.0.clear();
        self.0.insert(PERSON, person_id)?;
        self.0.insert(SIGNED_IN_AT, now_unix)?;
        self.0.insert(CSRF, new_token())?;
        self.0.insert(SID, new_token())?;
        self.0.insert(BROWSER, browser_family(user_agent.unwrap_or_default()))?;
        Ok(())
    }

    /// The opaque id of this session, shown to nobody but used to tell it apart in the list.
    pub fn sid(&self) -> Option<String> {
        self.get(SID)
    }

    /// Ends the session: the server-side row is deleted and the cookie removed.
    pub fn sign_out(&self) {
        self.0.purge();
    }
}

fn new_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 43)
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequest for AppSession {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(AppSession::of(req)))
    }
}

/// The language of the request: the `{lang}` path segment.
impl FromRequest for Lang {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(lang_of(req)))
    }
}

fn lang_of(req: &HttpRequest) -> Lang {
    req.match_info().get("lang").and_then(Lang::from_code).unwrap_or_else(|| Lang::of_path(req.path()))
}

/// Anyone, signed in or not: public pages.
pub struct Visitor {
    pub ctx: Ctx,
    pub session: AppSession,
    pub person: Option<PersonRow>,
}

/// A signed-in person: every personal page.
pub struct SignedIn {
    pub ctx: Ctx,
    pub session: AppSession,
    pub person: PersonRow,
}

async fn visitor(req: HttpRequest) -> Result<Visitor, AppError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
    let lang = lang_of(&req);
    let session = AppSession::of(&req);
    let mut ctx = Ctx::anonymous(lang, req.path(), req.query_string(), state.is_demo());
    if session.store_unavailable() {
        return Err(AppError::Unavailable(crate::store::StoreError::Unavailable(sqlx::Error::PoolTimedOut)));
    }
    let mut person = None;
    if let Some(person_id) = session.person_id() {
        let started = session.signed_in_at().unwrap_or(0);
        let limit = state.settings.session.absolute_timeout_hours * 3600;
        if chrono::Utc::now().timestamp() - started > limit {
            // Absolute timeout: however active the session, it ends 12 h (by default) after sign-in.
            session.sign_out();
        } else if let Some(p) = state.store.person(person_id).await? {
            ctx.user_name = Some(p.full_name());
            ctx.csrf_token = session.csrf_token()?;
            // This request extends the session: it ends after the idle timeout from now.
            let ends = chrono::Utc::now() + chrono::Duration::minutes(state.settings.session.idle_timeout_minutes);
            ctx.session_expires = ends.timestamp();
            ctx.session_ends = ends.with_timezone(&chrono_tz::Europe::Helsinki).format("%-H.%M").to_string();
            person = Some(p);
        } else {
            session.sign_out();
        }
    }
    Ok(Visitor { ctx, session, person })
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(visitor(req.clone()))
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let lang = lang_of(&req);
            // A session cookie whose session is gone (idle timeout, ended elsewhere): say so, and
            // come back here after signing in again (WCAG 2.2.1; without JavaScript too).
            let had_session = ["sosiaalitiedot", "__Host-sosiaalitiedot"].iter().any(|c| req.cookie(c).is_some());
            let path = format!("{}{}", req.path(), if req.query_string().is_empty() { String::new() } else { format!("?{}", req.query_string()) });
            let v = visitor(req).await?;
            match v.person {
                Some(person) => Ok(SignedIn { ctx: v.ctx, session: v.session, person }),
                None if had_session && v.session.is_empty() => Err(AppError::SessionEnded(lang, path)),
                None => Err(AppError::NotSignedIn(lang)),
            }
        })
    }
}

/// A form that carries the session's CSRF token in `csrf_token`.
pub trait CsrfProtected {
    fn csrf_token(&self) -> &str;
}

/// A POSTed form whose CSRF token has been checked against the session. Every POST handler takes
/// its form through this extractor; a missing or wrong token is a 403.
pub struct CsrfForm<T>(pub T);

impl<T: CsrfProtected + DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<T>::from_request(req, payload);
        let session = AppSession::of(req);
        Box::pin(async move {
            let form = form.await.map_err(|_| AppError::BadRequest)?.into_inner();
            if session.store_unavailable() {
                // Not a forgery: the session could not be read. Say so.
                return Err(AppError::Unavailable(crate::store::StoreError::Unavailable(sqlx::Error::PoolTimedOut)));
            }
            if session.csrf_matches(form.csrf_token()) {
                Ok(CsrfForm(form))
            } else {
                Err(AppError::Csrf)
            }
        })
    }
}

/// A form about the subject: the CSRF token and the subject token must both match the session.
/// A form rendered for another person (a second tab switched meanwhile) is refused with a 409.
pub trait SubjectBound: CsrfProtected {
    fn subject_token(&self) -> &str;
}

pub struct SubjectForm<T>(pub T);

/// The two tokens of a form about the subject; forms embed it with `#[serde(flatten)]`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FormTokens {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub subject_token: String,
}

pub trait HasTokens {
    fn tokens(&self) -> &FormTokens;
}

impl<T: HasTokens> CsrfProtected for T {
    fn csrf_token(&self) -> &str {
        &self.tokens().csrf_token
    }
}

impl<T: HasTokens> SubjectBound for T {
    fn subject_token(&self) -> &str {
        &self.tokens().subject_token
    }
}

impl<T: SubjectBound + DeserializeOwned + 'static> FromRequest for SubjectForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = CsrfForm::<T>::from_request(req, payload);
        let session = AppSession::of(req);
        Box::pin(async move {
            let CsrfForm(form) = form.await?;
            if session.subject_token_matches(form.subject_token()) {
                Ok(SubjectForm(form))
            } else {
                tracing::warn!("form for another subject refused");
                Err(AppError::SubjectChanged)
            }
        })
    }
}

const FLASH: &str = "flash";
const PENDING_SIGN_IN: &str = "oidc_pending";
const ID_TOKEN: &str = "id_token";

impl AppSession {
    /// Keeps a sign-in in progress (state, nonce, PKCE verifier) in the pre-sign-in session.
    pub fn set_pending_sign_in(&self, pending: &crate::oidc::Pending) -> Result<(), AppError> {
        self.0.insert(PENDING_SIGN_IN, pending)?;
        Ok(())
    }

    /// Takes the sign-in in progress out of the session: a state is good once.
    pub fn take_pending_sign_in(&self) -> Option<crate::oidc::Pending> {
        let p = self.get::<crate::oidc::Pending>(PENDING_SIGN_IN);
        self.0.remove(PENDING_SIGN_IN);
        p
    }

    /// The signed ID token of this sign-in, for `id_token_hint` at sign-out.
    pub fn set_id_token(&self, token: &str) -> Result<(), AppError> {
        self.0.insert(ID_TOKEN, token)?;
        Ok(())
    }

    pub fn id_token(&self) -> Option<String> {
        self.get(ID_TOKEN)
    }
}

impl AppSession {
    /// A one-time success message id for the next page (Post/Redirect/Get).
    pub fn set_flash(&self, message_id: &str) -> Result<(), AppError> {
        self.0.insert(FLASH, message_id)?;
        Ok(())
    }

    pub fn take_flash(&self) -> Option<String> {
        let m = self.get::<String>(FLASH);
        if m.is_some() {
            self.0.remove(FLASH);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn browser_families() {
        use super::browser_family as f;
        assert_eq!(f("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"), "Chrome");
        assert_eq!(f("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0"), "Edge");
        assert_eq!(f("Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"), "Firefox");
        assert_eq!(f("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"), "Safari");
        assert_eq!(f("curl/8"), "other");
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(super::constant_time_eq(b"abc", b"abc"));
        assert!(!super::constant_time_eq(b"abc", b"abd"));
        assert!(!super::constant_time_eq(b"abc", b"ab"));
    }
}

const SUBJECT: &str = "subject";
const SUBJECT_TOKEN: &str = "subject_token";

impl AppSession {
    /// The person the actor has chosen to act for; `None` means themselves.
    pub fn subject_id(&self) -> Option<i64> {
        self.get(SUBJECT)
    }

    /// Chooses whose data the following requests are about. A new subject token is issued every
    /// time, so a form rendered for the previous subject (in another tab, say) no longer matches.
    pub fn set_subject(&self, person_id: Option<i64>) -> Result<(), AppError> {
        match person_id {
            Some(id) => self.0.insert(SUBJECT, id)?,
            None => {
                self.0.remove(SUBJECT);
            }
        }
        self.0.insert(SUBJECT_TOKEN, new_token())?;
        Ok(())
    }

    /// The opaque token that every state-changing form about the subject carries.
    pub fn subject_token(&self) -> Result<String, AppError> {
        if let Some(t) = self.get::<String>(SUBJECT_TOKEN) {
            return Ok(t);
        }
        let token = new_token();
        self.0.insert(SUBJECT_TOKEN, &token)?;
        Ok(token)
    }

    pub fn subject_token_matches(&self, candidate: &str) -> bool {
        self.get::<String>(SUBJECT_TOKEN).is_some_and(|t| constant_time_eq(t.as_bytes(), candidate.as_bytes()))
    }
}

/// Whose data the pages show, in which role: the banner on every page of a signed-in person.
#[derive(Debug, Clone)]
pub struct ActingBanner {
    pub subject_name: String,
    pub role: crate::domain::roles::Role,
    /// Whether the actor can act for anyone else today (then the banner offers the switch).
    pub can_switch: bool,
    pub switch_url: String,
}

impl ActingBanner {
    pub fn is_own(&self) -> bool {
        self.role == crate::domain::roles::Role::Own
    }

    pub fn message_id(&self) -> String {
        format!("acting-banner-{}", self.role.code())
    }
}

/// The subject and role of this request: the chosen person if the actor still has a role for
/// them today, otherwise an error (and the choice is reset to the actor's own data).
pub async fn resolve_subject(
    state: &AppState,
    session: &AppSession,
    actor: &PersonRow,
) -> Result<(PersonRow, crate::domain::roles::Role), AppError> {
    use crate::domain::roles::Role;
    let Some(subject_id) = session.subject_id().filter(|id| *id != actor.person_id) else {
        return Ok((actor.clone(), Role::Own));
    };
    if let Some(subject) = state.store.person(subject_id).await? {
        if let Some(role) = crate::access::role_for(&state.store, actor, &subject, state.today()).await? {
            return Ok((subject, role));
        }
    }
    // The right ended (a birthday, an expired mandate): back to own data, and nothing about the
    // other person on this request. No reason is given.
    session.set_subject(None)?;
    Err(AppError::NotFound)
}

/// A signed-in actor looking at a subject's data in a role that holds today. Every page with a
/// person's data takes this extractor: the role is decided afresh on every request.
pub struct Acting {
    pub ctx: Ctx,
    pub session: AppSession,
    pub actor: PersonRow,
    pub subject: PersonRow,
    pub role: crate::domain::roles::Role,
    pub request_id: Option<String>,
}

impl Acting {
    /// Records that the actor did `action` on the subject's data. Called before the response is
    /// built; an error here fails the request (no access without a trace).
    pub async fn audit(&self, state: &AppState, action: crate::domain::audit::AuditAction, object: Option<&str>) -> Result<(), AppError> {
        state
            .store
            .audit(&self.audit_record(action, object))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "audit write failed; request denied");
                AppError::from(e)
            })
    }
}

impl Acting {
    /// The audit record of `action` by this actor on this subject, for a write that records it in
    /// the same transaction as the change.
    pub fn audit_record<'a>(&'a self, action: crate::domain::audit::AuditAction, object: Option<&'a str>) -> crate::store::NewAuditEvent<'a> {
        crate::store::NewAuditEvent {
            actor_id: self.actor.person_id,
            role: self.role.code(),
            subject_id: self.subject.person_id,
            action: action.code(),
            object,
            request_id: self.request_id.as_deref(),
        }
    }
}

/// Fills the banner of `ctx` for a signed-in actor.
pub async fn add_banner(state: &AppState, ctx: &mut Ctx, actor: &PersonRow, subject: &PersonRow, role: crate::domain::roles::Role) -> Result<(), AppError> {
    let can_switch = !crate::access::representable(&state.store, actor, state.today()).await?.is_empty();
    ctx.acting = Some(ActingBanner {
        subject_name: subject.full_name(),
        role,
        can_switch,
        switch_url: super::urls::acting_for(ctx.lang),
    });
    Ok(())
}

impl FromRequest for Acting {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        use actix_web::HttpMessage;
        let signed_in = SignedIn::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
        let request_id = req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
        Box::pin(async move {
            let SignedIn { mut ctx, session, person: actor } = signed_in.await?;
            let (subject, role) = resolve_subject(&state, &session, &actor).await?;
            add_banner(&state, &mut ctx, &actor, &subject, role).await?;
            ctx.subject_token = session.subject_token()?;
            Ok(Acting { ctx, session, actor, subject, role, request_id })
        })
    }
}

/// A random nonce for a confirm form: the key that makes a resubmitted form change nothing.
pub fn new_form_nonce() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 24)
}
