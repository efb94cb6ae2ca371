//! Suomi.fi e-Authorizations (Suomi.fi-valtuudet / Suomi.fi-fullmakter): in production it decides
//! who may act for whom (DESIGN §2.4 "Where the links come from in production").
//!
//! The Web API flow: register a Web API session for the signed-in person, send the browser to the
//! selection page, exchange the returned code for a token, read the chosen principal and ask for
//! the service's issue codes. While the person acts for the principal the Authorization REST API
//! re-checks the right. Every call carries the `X-AsiointivaltuudetAuthorization` checksum header.
//!
//! This file does the HTTP; the pure parts (the checksum, when to ask again, reading an answer)
//! are in [`rules`], the role decision in [`crate::domain::roles::role_for_authorized`]. Nothing
//! here logs a URL (they hold identity codes), a token, a code or the API key.

pub mod rules;

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use rules::{AUTH_HEADER, Answer, CallError, Principal, auth_header_value, checksum, needs_recheck};
use rules::{answer, principal_of};

use crate::settings::{Secret, ValtuudetSettings};

/// A registered Web API session.
#[derive(Debug, Clone)]
pub struct Registration {
    pub session_id: String,
    pub user_id: String,
}

/// A choice in progress, kept in the server-side session between the button and the callback;
/// taken out once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub session_id: String,
    pub lang: String,
    /// When the flow started (seconds since the epoch): an old pending flow is not completed.
    pub started_at: i64,
}

/// How long the selection may take before the callback is refused.
pub const PENDING_VALID_SECONDS: i64 = 15 * 60;

/// The Web API client.
pub struct Valtuudet {
    base_url: String,
    client_id: String,
    api_key: Secret,
    oauth_password: Secret,
    issues: Vec<String>,
    pub recheck_seconds: u64,
    pub redirect_uri: String,
}

fn fresh_request_id() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

/// A path segment, percent-encoded (identity codes hold `+` and letters; nothing else is expected).
fn segment(s: &str) -> String {
    crate::web::urls::encode(s)
}

impl Valtuudet {
    /// From a complete `[valtuudet]` section (checked by `Settings::valtuudet_problems`) and the
    /// public address; the return address is `{public_url}/valtuudet/callback`.
    pub fn new(settings: &ValtuudetSettings, public_url: &str) -> Result<Self, String> {
        let base_url = settings.base_url.clone().ok_or("valtuudet.base_url is required")?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            client_id: settings.client_id.clone().ok_or("valtuudet.client_id is required")?,
            api_key: settings.api_key.clone().ok_or("valtuudet.api_key is required")?,
            oauth_password: settings.oauth_password.clone().ok_or("valtuudet.oauth_password is required")?,
            issues: settings.issues.clone(),
            recheck_seconds: settings.recheck_seconds,
            redirect_uri: format!("{}/valtuudet/callback", public_url.trim_end_matches('/')),
        })
    }

    fn timestamp() -> String {
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }

    /// One call: the checksum over the path and query as sent, a bearer token or HTTP Basic where
    /// the API asks for it, a form body for the token call, no redirects followed, a timeout;
    /// counted and timed by `call`.
    async fn call(
        &self,
        call: &'static str,
        method: awc::http::Method,
        path_and_query: &str,
        auth: Option<String>,
        form: Option<String>,
    ) -> Result<Value, CallError> {
        let started = Instant::now();
        let url = format!("{}{path_and_query}", self.base_url);
        let header = auth_header_value(&self.client_id, self.api_key.expose(), path_and_query, &Self::timestamp());
        let mut req = crate::signin::oidc::http()
            .request(method, &url)
            .insert_header((AUTH_HEADER, header))
            .insert_header(("Accept", "application/json"));
        if let Some(a) = auth {
            req = req.insert_header(("Authorization", a));
        }
        let result = async {
            let sent = match form {
                Some(body) => req.content_type("application/x-www-form-urlencoded").send_body(body).await,
                None => req.send().await,
            };
            let mut res = sent.map_err(|_| CallError::Unreachable)?;
            let status = res.status();
            if status.is_server_error() {
                return Err(CallError::Unreachable);
            }
            if !status.is_success() {
                tracing::warn!(call, status = status.as_u16(), "e-Authorizations refused the call");
                return Err(CallError::Refused);
            }
            // Read strictly: a key given twice is no answer (it could read as either value).
            let body = res.body().limit(1 << 20).await.map_err(|_| CallError::BadAnswer)?;
            crate::feed::json::parse_strict(&body).ok_or(CallError::BadAnswer)
        }
        .await;
        crate::observability::valtuudet_call(call, result.as_ref().err().map_or("ok", |e| e.code()), started.elapsed());
        if let Err(e) = &result {
            tracing::warn!(call, outcome = e.code(), "e-Authorizations call failed");
        }
        result
    }

    async fn get(&self, call: &'static str, path_and_query: &str, bearer: Option<&str>) -> Result<Value, CallError> {
        self.call(call, awc::http::Method::GET, path_and_query, bearer.map(|t| format!("Bearer {t}")), None).await
    }

    /// `GET /service/hpa/user/register/{client_id}/{hetu}`: a Web API session for the signed-in person.
    pub async fn register(&self, hetu: &str) -> Result<Registration, CallError> {
        let path = format!(
            "/service/hpa/user/register/{}/{}?requestId={}",
            segment(&self.client_id),
            segment(hetu),
            fresh_request_id()
        );
        let v = self.get("register", &path, None).await?;
        let field =
            |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty() && s.len() <= 512).map(str::to_string);
        match (field("sessionId"), field("userId")) {
            (Some(session_id), Some(user_id)) => Ok(Registration { session_id, user_id }),
            _ => Err(CallError::BadAnswer),
        }
    }

    /// The selection page the browser is sent to.
    pub fn authorize_url(&self, user_id: &str, lang: &str) -> String {
        format!(
            "{}/oauth/authorize?client_id={}&response_type=code&redirect_uri={}&user={}&lang={}",
            self.base_url,
            segment(&self.client_id),
            segment(&self.redirect_uri),
            segment(user_id),
            segment(lang)
        )
    }

    /// `POST /oauth/token` (HTTP Basic `client_id:oauth_password`): the code for an access token.
    /// The parameters go in the query, as the interface description has them, and in the form
    /// body as well, so that either reading of the description finds them.
    pub async fn token(&self, code: &str) -> Result<String, CallError> {
        let params = format!(
            "code={}&grant_type=authorization_code&redirect_uri={}",
            segment(code),
            segment(&self.redirect_uri)
        );
        let path = format!("/oauth/token?{params}");
        let basic =
            format!("Basic {}", STANDARD.encode(format!("{}:{}", self.client_id, self.oauth_password.expose())));
        let v = self.call("token", awc::http::Method::POST, &path, Some(basic), Some(params)).await?;
        v.get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .ok_or(CallError::BadAnswer)
    }

    /// `GET /service/hpa/api/delegate/{session_id}`: the principal chosen on the selection page.
    pub async fn delegate(&self, session_id: &str, token: &str) -> Result<Principal, CallError> {
        let path = format!("/service/hpa/api/delegate/{}?requestId={}", segment(session_id), fresh_request_id());
        let v = self.get("delegate", &path, Some(token)).await?;
        principal_of(&v)
    }

    /// `GET /service/hpa/api/authorization/{session_id}/{principal}`: the answer for the issue codes.
    pub async fn authorization(&self, session_id: &str, principal: &str, token: &str) -> Result<Answer, CallError> {
        let issues: String = self.issues.iter().map(|i| format!("&issue={}", segment(i))).collect();
        let path = format!(
            "/service/hpa/api/authorization/{}/{}?requestId={}{issues}",
            segment(session_id),
            segment(principal),
            fresh_request_id()
        );
        answer(&self.get("authorization", &path, Some(token)).await?, principal, None)
    }

    /// `GET /service/rest/hpa/authorization/{client_id}/{delegate}/{principal}?issues=…`: the
    /// Authorization REST API, asked while the person acts for the principal.
    pub async fn recheck(&self, delegate: &str, principal: &str) -> Result<Answer, CallError> {
        let issues = self.issues.iter().map(|i| segment(i)).collect::<Vec<_>>().join(",");
        let path = format!(
            "/service/rest/hpa/authorization/{}/{}/{}?issues={issues}&requestId={}",
            segment(&self.client_id),
            segment(delegate),
            segment(principal),
            fresh_request_id()
        );
        answer(&self.get("rest_authorization", &path, None).await?, principal, Some(delegate))
    }
}
