//! Security headers on every response and the cross-origin check on every POST (DESIGN §5).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{ResponseError, web};

use super::AppState;
use super::error::AppError;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

/// The policy, with the identity provider's and Suomi.fi e-Authorizations' origins allowed as form
/// targets where configured: the sign-out form's redirect to the provider's logout endpoint and the
/// e-Authorizations button's redirect to the selection page are form navigations, and browsers hold
/// redirects after a form submission to `form-action`.
pub fn content_security_policy(form_origins: &[String]) -> String {
    if form_origins.is_empty() {
        return CONTENT_SECURITY_POLICY.to_string();
    }
    CONTENT_SECURITY_POLICY.replace("form-action 'self'", &format!("form-action 'self' {}", form_origins.join(" ")))
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains(char::is_whitespace) && !host.contains(';'))
        .then(|| format!("{scheme}://{host}"))
}

/// Headers every response carries. `Cache-Control: no-store` is the default: only the static
/// assets set their own caching.
pub fn default_headers(https: bool, form_origins: &[String]) -> DefaultHeaders {
    let mut h = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, content_security_policy(form_origins)))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((header::CACHE_CONTROL, "no-store"));
    if https {
        h = h.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    }
    h
}

/// `HEAD` answers as `GET` without the body (RFC 9110 §9.3.2), on every route that has a `GET`:
/// the request goes on as a `GET`; the connection still knows it was a `HEAD` and sends the
/// headers (`Content-Length` included) without the body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Refuses a state-changing request that a browser says comes from another site. The CSRF token
/// check (`forms::CheckedForm`) is the second, independent line.
pub async fn same_origin_posts(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if req.method() != Method::GET && req.method() != Method::HEAD && !is_same_origin(&req) {
        tracing::warn!(method = %req.method(), "cross-origin request refused");
        let (http_req, _) = req.into_parts();
        return Ok(ServiceResponse::new(http_req, AppError::Csrf.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

fn is_same_origin(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    // Browsers that send Fetch Metadata say it directly. They must be trusted over Origin: with
    // `Referrer-Policy: no-referrer` Chromium sends `Origin: null` even for same-origin forms.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    // Otherwise a real Origin must be ours; no Origin (or an opaque one) leaves it to the token.
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null") else {
        return true;
    };
    let configured = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| s.settings.public_url.clone())
        .map(|u| u.trim_end_matches('/').to_string());
    match configured {
        Some(public) => origin == public,
        None => {
            let host = req.connection_info().host().to_string();
            origin.split_once("://").is_some_and(|(_, h)| h == host)
        }
    }
}

/// Answers only requests for this server's own host (DESIGN §4): a request with another `Host`
/// or, in absolute form, another authority (DNS rebinding, a misrouted proxy, cache poisoning)
/// gets a 400 before anything else happens.
pub async fn known_host(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let allowed = req.app_data::<web::Data<AppState>>().map(|s| s.allowed_hosts.clone()).unwrap_or_default();
    // Probes come from load balancers that name the instance by its address.
    let probe = matches!(req.path(), "/healthz" | "/readyz");
    if !allowed.is_empty() && !probe {
        let host =
            req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        // A request in absolute form (`GET http://other.example/fi/ HTTP/1.1`) names its
        // authority in the request line; it must be ours as well as the `Host` header.
        let authority = req.uri().authority().map(|a| a.as_str().to_ascii_lowercase());
        let known = |h: &str| allowed.iter().any(|a| a == h);
        if !known(&host) || authority.as_deref().is_some_and(|a| !known(a)) {
            tracing::warn!("request for an unknown host refused");
            let (http_req, _) = req.into_parts();
            return Ok(ServiceResponse::new(http_req, AppError::BadRequest.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The `Host` values to answer: the host of `public_url` when given; otherwise, on a loopback
/// address, that address by number and as `localhost`; otherwise (a public demo without a public
/// URL) any.
pub fn allowed_hosts(public_url: Option<&str>, bound: std::net::SocketAddr) -> Vec<String> {
    if let Some(url) = public_url {
        let host = url.split_once("://").map_or(url, |(_, rest)| rest).split('/').next().unwrap_or_default();
        return vec![host.to_ascii_lowercase()];
    }
    if bound.ip().is_loopback() {
        let port = bound.port();
        return vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            bound.to_string(),
        ];
    }
    Vec::new()
}
