//! `/healthz` (the process answers) and `/readyz` (the database answers).

use actix_web::{HttpResponse, web};

use crate::web::AppState;
use crate::web::error::{AppError, Result};

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}

/// Ready when the database answers within a second: a load balancer must not wait longer.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse> {
    match tokio::time::timeout(std::time::Duration::from_secs(1), state.store.ping()).await {
        Ok(r) => r.map_err(AppError::from)?,
        Err(_) => return Err(AppError::Unavailable(crate::store::StoreError::Unavailable(sqlx::Error::PoolTimedOut))),
    }
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready"))
}
