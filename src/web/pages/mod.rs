//! One module per area: the handler and its page struct side by side.

pub mod about;
pub mod acting;
pub mod assets;
pub mod auth;
pub mod choices;
pub mod data_use;
pub mod health;
pub mod home;
pub mod records;
pub mod sessions;
pub mod sign_in;
pub mod task_query;
pub mod valtuudet;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

/// A page rendered with a status of its own (a form shown again with its errors is a 400): the one
/// place pages are rendered by hand rather than as a `WebTemplate` responder.
pub fn html_page(page: &impl askama::Template, status: StatusCode) -> crate::web::error::Result<HttpResponse> {
    let body = page.render().map_err(|e| crate::web::error::AppError::Internal(e.into()))?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body))
}
