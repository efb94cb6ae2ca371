//! `/healthz` (the process answers) and `/readyz` (the database answers).

use actix_web::{web, HttpResponse};

use crate::web::error::{AppError, Result};
use crate::web::AppState;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}

pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse> {
    state.store.ping().await.map_err(AppError::from)?;
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready"))
}
