//! One error type for the web layer, rendered by `web::error_page` as a localised page with the
//! request id. Internal causes go to the log, never to the page.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::i18n::Lang;
use crate::store::StoreError;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Why a signed-in session ended without the person signing out: the signed-out page says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// Idle too long, or ended from another browser (the two cannot be told apart afterwards).
    Idle,
    /// The absolute limit after sign-in (12 hours by default), however active.
    Absolute,
}

impl SessionEnd {
    pub fn code(self) -> &'static str {
        match self {
            SessionEnd::Idle => "idle",
            SessionEnd::Absolute => "absolute",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not found, not yours, not visible: all the same to the viewer.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A POST without the session's CSRF token, or from another origin.
    #[error("request forgery check failed")]
    Csrf,
    #[error("bad request")]
    BadRequest,
    /// A form made for another subject than the session's current one (another tab switched).
    #[error("the subject changed")]
    SubjectChanged,
    /// A personal page without a valid session: to sign-in, which comes back to the page asked
    /// for (a GET's path and query; `None` for a form sent without a session).
    #[error("not signed in")]
    NotSignedIn(Lang, Option<String>),
    /// A personal page with the cookie of a session that has ended (idle timeout): the signed-out
    /// page says why, and signing in again returns to the page (the path and query kept).
    #[error("session ended")]
    SessionEnded(Lang, String, SessionEnd),
    #[error("database unavailable")]
    Unavailable(#[source] StoreError),
    /// A re-check of acting for a principal answered DISALLOWED: acting ended, back to the
    /// acting-for page with a notice.
    #[error("acting for the principal ended")]
    ActingEnded(Lang),
    /// Suomi.fi e-Authorizations did not answer a re-check: the principal's data is not shown
    /// (fail closed); the actor's own pages keep working.
    #[error("e-Authorizations unavailable")]
    ValtuudetUnavailable,
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        if e.is_unavailable() { AppError::Unavailable(e) } else { AppError::Internal(e.into()) }
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(e: actix_session::SessionInsertError) -> Self {
        AppError::Internal(anyhow::anyhow!("session insert: {e}"))
    }
}

impl From<actix_session::SessionGetError> for AppError {
    fn from(e: actix_session::SessionGetError) -> Self {
        AppError::Internal(anyhow::anyhow!("session get: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::SubjectChanged => StatusCode::CONFLICT,
            AppError::NotSignedIn(..) | AppError::SessionEnded(..) | AppError::ActingEnded(_) => StatusCode::SEE_OTHER,
            AppError::Unavailable(_) | AppError::ValtuudetUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::NotSignedIn(lang, back) => {
                let to = match back {
                    Some(path) => super::urls::sign_in_returning(*lang, path),
                    None => super::urls::sign_in(*lang),
                };
                return HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish();
            }
            AppError::SessionEnded(lang, path, why) => {
                let to = format!(
                    "{}?reason={}&return={}",
                    super::urls::signed_out(*lang),
                    why.code(),
                    super::urls::encode(path)
                );
                return HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish();
            }
            AppError::ActingEnded(lang) => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, super::urls::acting_for(*lang)))
                    .finish();
            }
            AppError::ValtuudetUnavailable => {
                let mut res = HttpResponse::new(self.status_code());
                res.extensions_mut().insert(ErrorText("valtuudet-unavailable"));
                return res;
            }
            AppError::Internal(e) => tracing::error!(error = %e, "request failed"),
            AppError::Unavailable(e) => tracing::error!(error = %e, "database unavailable"),
            AppError::Csrf => tracing::warn!("request forgery check failed"),
            _ => {}
        }
        // The body is replaced by the localised error page (render_error_page).
        HttpResponse::new(self.status_code())
    }
}

/// A more exact text for an error page than its status gives (`error-title-…` / `error-text-…`).
#[derive(Clone, Copy)]
pub(super) struct ErrorText(pub(super) &'static str);
