//! The static assets, compiled into the binary so it runs from any directory.

use actix_web::{HttpResponse, http::header, web};

use crate::web::error::AppError;

const ASSETS: &[(&str, &str, &str)] = &[
    ("site.css", "text/css; charset=utf-8", include_str!("../../../static/site.css")),
    ("print.css", "text/css; charset=utf-8", include_str!("../../../static/print.css")),
    ("session.js", "text/javascript; charset=utf-8", include_str!("../../../static/session.js")),
    ("print.js", "text/javascript; charset=utf-8", include_str!("../../../static/print.js")),
    ("sign-out.js", "text/javascript; charset=utf-8", include_str!("../../../static/sign-out.js")),
    ("favicon.svg", "image/svg+xml", include_str!("../../../static/favicon.svg")),
];

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    serve(name.as_str())
}

/// `/favicon.ico`, which browsers ask for whatever the page says: the SVG icon.
pub async fn favicon() -> Result<HttpResponse, AppError> {
    serve("favicon.svg")
}

fn serve(name: &str) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = ASSETS.iter().find(|(n, _, _)| *n == name).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
