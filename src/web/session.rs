//! The typed session: handlers never touch string keys. Sessions live server-side in the database;
//! the cookie holds only an opaque key. What is kept: the signed-in person, the sign-in time, the
//! CSRF and subject tokens, the chosen subject, a one-time flash message, a sign-in in progress.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use rand::distr::{Alphanumeric, SampleString};
use serde::de::DeserializeOwned;

use super::error::AppError;

const PERSON: &str = "person";
const SIGNED_IN_AT: &str = "signed_in_at";
const CSRF: &str = "csrf";
const EXTENDED_AT: &str = "extended_at";
/// How often a signed-in session's expiry is written while the person is active: when a quarter
/// of the idle timeout has passed since the last write, and at least once a minute — a write a
/// minute at most, not one per request, and an active person is never signed out whatever the
/// configured timeout (with a one-minute timeout, every 15 s).
pub fn extend_every_seconds(idle_timeout_minutes: i64) -> i64 {
    (idle_timeout_minutes * 60 / 4).clamp(1, 60)
}
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

    /// The CSRF token of this session if it has one (never creates one: for the error page).
    pub fn existing_csrf_token(&self) -> Option<String> {
        self.get(CSRF)
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

    /// When the session's expiry was last extended (seconds since the epoch).
    pub fn extended_at(&self) -> Option<i64> {
        self.get(EXTENDED_AT)
    }

    /// Marks activity: the state changes, so the store writes it with a new expiry (idle timeout
    /// from now).
    pub fn extend(&self, now_unix: i64) -> Result<(), AppError> {
        self.0.insert(EXTENDED_AT, now_unix)?;
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

    /// The signed-in person with their links and the archive version, read with the session
    /// (see [`crate::store::sessions::SIGNED_IN_KEY`]); `None` if no one is signed in or the
    /// person is no longer in the population data.
    pub fn signed_in(&self) -> Option<crate::store::SignedInRow> {
        match self.0.get::<crate::store::SignedInRow>(crate::store::sessions::SIGNED_IN_KEY) {
            Ok(row) => row.map(crate::store::SignedInRow::sorted),
            Err(e) => {
                tracing::error!(error = %e, "the signed-in person read with the session did not parse");
                None
            }
        }
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
        self.0.insert(EXTENDED_AT, now_unix)?;
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

const FLASH: &str = "flash";
const PENDING_SIGN_IN: &str = "oidc_pending";
const ID_TOKEN: &str = "id_token";

impl AppSession {
    /// Keeps a sign-in in progress (state, nonce, PKCE verifier) in the pre-sign-in session.
    pub fn set_pending_sign_in(&self, pending: &crate::signin::oidc::Pending) -> Result<(), AppError> {
        self.0.insert(PENDING_SIGN_IN, pending)?;
        Ok(())
    }

    /// Takes the sign-in in progress out of the session: a state is good once.
    pub fn take_pending_sign_in(&self) -> Option<crate::signin::oidc::Pending> {
        let p = self.get::<crate::signin::oidc::Pending>(PENDING_SIGN_IN);
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
        assert_eq!(
            f("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"),
            "Chrome"
        );
        assert_eq!(
            f("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0"),
            "Edge"
        );
        assert_eq!(f("Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"), "Firefox");
        assert_eq!(
            f(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"
            ),
            "Safari"
        );
        assert_eq!(f("curl/8"), "other");
    }

    #[test]
    fn the_expiry_is_written_every_quarter_of_the_timeout_at_most_once_a_minute() {
        use super::extend_every_seconds as every;
        for (minutes, seconds) in [(1, 15), (2, 30), (4, 60), (30, 60), (600, 60)] {
            assert_eq!(every(minutes), seconds, "{minutes} min");
        }
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

/// A random nonce for a confirm form: the key that makes a resubmitted form change nothing.
pub fn new_form_nonce() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 24)
}

const VALTUUDET_PENDING: &str = "valtuudet_pending";
const VALTUUDET_GRANTS: &str = "valtuudet_grants";

/// A person chosen through Suomi.fi e-Authorizations in this session: who, and when ALLOWED was
/// last answered (seconds since the epoch). The role is decided afresh on every request from the
/// person's data ([`crate::domain::roles::role_for_authorized`]); nothing else is kept.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Grant {
    pub person_id: i64,
    pub checked_at: i64,
}

impl AppSession {
    /// Keeps the e-Authorizations choice in progress (its Web API session) until the callback.
    pub fn set_valtuudet_pending(&self, pending: &crate::signin::valtuudet::Pending) -> Result<(), AppError> {
        self.0.insert(VALTUUDET_PENDING, pending)?;
        Ok(())
    }

    /// Takes the choice in progress out of the session: a callback is good once.
    pub fn take_valtuudet_pending(&self) -> Option<crate::signin::valtuudet::Pending> {
        let p = self.get::<crate::signin::valtuudet::Pending>(VALTUUDET_PENDING);
        if p.is_some() {
            self.0.remove(VALTUUDET_PENDING);
        }
        p
    }

    /// The people chosen through e-Authorizations in this session.
    pub fn grants(&self) -> Vec<Grant> {
        self.get(VALTUUDET_GRANTS).unwrap_or_default()
    }

    /// Records an ALLOWED answer for `person_id` at `now_unix` (a new grant, or a fresh re-check).
    pub fn set_grant(&self, person_id: i64, now_unix: i64) -> Result<(), AppError> {
        let mut grants = self.grants();
        grants.retain(|g| g.person_id != person_id);
        grants.push(Grant { person_id, checked_at: now_unix });
        self.0.insert(VALTUUDET_GRANTS, grants)?;
        Ok(())
    }

    /// Forgets a grant (DISALLOWED on a re-check): acting for that person ends here.
    pub fn remove_grant(&self, person_id: i64) -> Result<(), AppError> {
        let mut grants = self.grants();
        grants.retain(|g| g.person_id != person_id);
        self.0.insert(VALTUUDET_GRANTS, grants)?;
        Ok(())
    }
}
