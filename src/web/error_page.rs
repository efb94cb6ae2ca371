//! The localised error page that replaces the body of every 4xx/5xx response, with the request id
//! and, for a signed-in person, their name and sign-out (read through the typed session). Its own
//! file so that the error type (`web::error`) stays below the session, which returns it.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpResponse, web};
use askama::Template;

use super::AppState;
use super::ctx::Ctx;
use super::error::ErrorText;
use super::i18n::Lang;

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
