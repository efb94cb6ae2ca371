//! One error type for the web layer, rendered by [`render_error_page`] as a localised page with the
//! request id. Internal causes go to the log, never to the page.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use askama::Template;

use super::AppState;
use super::ctx::Ctx;
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
    /// A personal page without a valid session: back to sign-in.
    #[error("not signed in")]
    NotSignedIn(Lang),
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
            AppError::NotSignedIn(_) | AppError::SessionEnded(..) | AppError::ActingEnded(_) => StatusCode::SEE_OTHER,
            AppError::Unavailable(_) | AppError::ValtuudetUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::NotSignedIn(lang) => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, super::urls::sign_in(*lang)))
                    .finish();
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
struct ErrorText(&'static str);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    title_id: String,
    text_id: String,
    request_id: String,
}

/// The text ids an error page uses for a status; unlisted statuses use the generic text.
fn known_status(status: u16) -> &'static str {
    match status {
        400 => "400",
        403 => "403",
        404 => "404",
        405 => "405",
        409 => "409",
        413 => "413",
        503 => "503",
        _ => "500",
    }
}

/// Replaces the body of every 4xx/5xx error response with a localised page carrying the request id.
/// A 500 while the database is unreachable becomes a 503.
pub fn render_error_page<B: 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // A handler's own page with a 4xx status (a form shown again with its errors) stays as it is.
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    Ok(ErrorHandlerResponse::Future(Box::pin(async move {
        let mut status = res.status();
        let state = res.request().app_data::<web::Data<AppState>>().cloned();
        if status == StatusCode::INTERNAL_SERVER_ERROR
            && let Some(state) = &state
        {
            let ping = tokio::time::timeout(std::time::Duration::from_secs(1), state.store.ping()).await;
            if !matches!(ping, Ok(Ok(()))) {
                status = StatusCode::SERVICE_UNAVAILABLE;
            }
        }
        let lang = Lang::of_path(res.request().path());
        let request_id = res
            .request()
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let demo = state.as_ref().is_some_and(|s| s.is_demo());
        let mut ctx = Ctx::anonymous(lang, res.request().path(), res.request().query_string(), demo);
        // A signed-in person keeps their name, the sign-out button and the navigation on an error
        // page too (WCAG 3.2.3). Nothing about the subject is shown: only the actor's own name.
        if let (Some(state), true) = (&state, status != StatusCode::SERVICE_UNAVAILABLE) {
            let session = crate::web::session::AppSession::of(res.request());
            let person_id = session.person_id();
            let csrf = session.existing_csrf_token();
            if let (Some(id), Some(csrf)) = (person_id, csrf)
                && let Ok(Ok(Some(p))) =
                    tokio::time::timeout(std::time::Duration::from_secs(1), state.store.person(id)).await
            {
                ctx.user_name = Some(p.full_name());
                ctx.csrf_token = csrf;
            }
        }
        let text = res.response().extensions().get::<ErrorText>().map_or(known_status(status.as_u16()), |t| t.0);
        let page = ErrorPage {
            ctx,
            title_id: format!("error-title-{text}"),
            text_id: format!("error-text-{text}"),
            request_id,
        };
        let body = page.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, "error page failed to render");
            String::from("Error")
        });
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"));
        for (name, value) in res.response().headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                response.append_header((name.clone(), value.clone()));
            }
        }
        let (req, _) = res.into_parts();
        Ok(ServiceResponse::new(req, response.body(body)).map_into_right_body())
    })))
}
