//! Suomi.fi e-Authorizations (Suomi.fi-valtuudet / Suomi.fi-fullmakter): in production it decides
//! who may act for whom (DESIGN §2.4 "Where the links come from in production").
//!
//! The Web API flow: register a Web API session for the signed-in person, send the browser to the
//! selection page, exchange the returned code for a token, read the chosen principal and ask for
//! the service's issue codes. While the person acts for the principal the Authorization REST API
//! re-checks the right. Every call carries the `X-AsiointivaltuudetAuthorization` checksum header.
//!
//! The pure parts ([`checksum`], [`needs_recheck`]) are tested here; the role decision is
//! [`crate::domain::roles::role_for_authorized`]. Nothing here logs a URL (they hold identity
//! codes), a token, a code or the API key.

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::settings::{Secret, ValtuudetSettings};

/// The header every call carries.
pub const AUTH_HEADER: &str = "X-AsiointivaltuudetAuthorization";

/// `base64(HMAC-SHA256(api_key, path_and_query + " " + timestamp))`: the checksum of one call, over
/// the path and query exactly as sent.
pub fn checksum(api_key: &str, path_and_query: &str, timestamp: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(path_and_query.as_bytes());
    mac.update(b" ");
    mac.update(timestamp.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The header value: `{client_id} {timestamp} {checksum}`.
pub fn auth_header_value(client_id: &str, api_key: &str, path_and_query: &str, timestamp: &str) -> String {
    format!("{client_id} {timestamp} {}", checksum(api_key, path_and_query, timestamp))
}

/// Whether the right to act for a principal must be asked again before this request goes on: a
/// change always (it is never saved on an older answer), a view when the last ALLOWED is older than
/// the configured interval.
pub fn needs_recheck(checked_at_unix: i64, now_unix: i64, recheck_seconds: u64, is_change: bool) -> bool {
    is_change || now_unix.saturating_sub(checked_at_unix) >= i64::try_from(recheck_seconds).unwrap_or(i64::MAX)
}

/// The answer for the service's issue codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Allowed,
    Disallowed,
}

/// Why a call did not give an answer. Each fails closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallError {
    /// No connection, a timeout, or a 5xx.
    Unreachable,
    /// The service refused the call (401: the checksum, a stale timestamp, an expired session or
    /// token; 4xx otherwise).
    Refused,
    /// An answer that is not what the interface description says.
    BadAnswer,
    /// The selection page returned more than one principal: the person chooses one at a time,
    /// never the portal for them.
    SeveralPrincipals,
}

impl CallError {
    pub fn code(self) -> &'static str {
        match self {
            CallError::Unreachable => "unreachable",
            CallError::Refused => "refused",
            CallError::BadAnswer => "bad_answer",
            CallError::SeveralPrincipals => "several_principals",
        }
    }
}

/// A registered Web API session.
#[derive(Debug, Clone)]
pub struct Registration {
    pub session_id: String,
    pub user_id: String,
}

/// The principal chosen on the selection page.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The principal's henkilötunnus.
    pub person_id: String,
    pub name: String,
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
        let mut req = crate::oidc::http()
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

/// The delegate answer: the principal chosen on the selection page. An array of the chosen
/// principals (an object is read as a list of one): exactly one is an answer; more than one is
/// the person's choice to make again, one at a time — never a silent pick of the first.
fn principal_of(v: &Value) -> Result<Principal, CallError> {
    let chosen: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![v],
        _ => Vec::new(),
    };
    let only = match chosen[..] {
        [one] => one,
        [] => return Err(CallError::BadAnswer),
        _ => return Err(CallError::SeveralPrincipals),
    };
    let person_id = only.get("personId").and_then(Value::as_str).ok_or(CallError::BadAnswer)?.to_string();
    let name = only.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    Ok(Principal { person_id, name })
}

/// `{"result": "ALLOWED" | "DISALLOWED", …}` about the principal (and delegate) asked for;
/// anything else is not an answer. An answer that names another principal or delegate than the
/// one asked for is a refusal, whatever its result: it is not about this pair.
fn answer(v: &Value, principal: &str, delegate: Option<&str>) -> Result<Answer, CallError> {
    let names_other = |key: &str, asked: &str| match v.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(said)) => !said.trim().eq_ignore_ascii_case(asked.trim()),
        Some(_) => true,
    };
    if names_other("principalId", principal) || delegate.is_some_and(|d| names_other("delegateId", d)) {
        tracing::warn!("an e-Authorizations answer about another person than the one asked for was refused");
        return Ok(Answer::Disallowed);
    }
    match v.get("result").and_then(Value::as_str) {
        Some("ALLOWED") => Ok(Answer::Allowed),
        Some("DISALLOWED") => Ok(Answer::Disallowed),
        _ => Err(CallError::BadAnswer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// HMAC-SHA256 written out from RFC 2104 over the sha2 digest (an independent computation),
    /// checked against the RFC 4231 test case 2 first.
    fn hmac_by_hand(key: &[u8], message: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        let mut k = [0u8; 64];
        if key.len() > 64 {
            k[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(message.iter().copied()).collect();
        let inner_hash = Sha256::digest(&inner);
        let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(inner_hash.iter().copied()).collect();
        Sha256::digest(&outer).to_vec()
    }

    #[test]
    fn the_checksum_is_base64_hmac_sha256_of_path_and_query_space_timestamp() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex::encode(hmac_by_hand(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let path = "/service/hpa/user/register/sosiaali/010180-9026?requestId=abc123";
        let ts = "2026-12-01T12:00:00.000Z";
        let expected = STANDARD.encode(hmac_by_hand(b"secret-api-key", format!("{path} {ts}").as_bytes()));
        assert_eq!(checksum("secret-api-key", path, ts), expected);
        // A known vector, computed once with `openssl dgst -sha256 -hmac secret-api-key -binary | base64`.
        assert_eq!(checksum("secret-api-key", path, ts), "FJC/RXsIzMHJdu94SoKdchRRHMRWIfB2JotibTBP8ic=");
        assert_eq!(auth_header_value("sosiaali", "secret-api-key", path, ts), format!("sosiaali {ts} {expected}"));
        // Any change to the path, the query or the time changes it.
        assert_ne!(checksum("secret-api-key", &path.replace("abc123", "abc124"), ts), expected);
        assert_ne!(checksum("secret-api-key", path, "2026-12-01T12:00:01.000Z"), expected);
        assert_ne!(checksum("other-key", path, ts), expected);
    }

    #[test]
    fn recheck_rule() {
        let cases = [
            // (checked_at, now, interval, change, expected)
            ("fresh view", 1000, 1010, 60, false, false),
            ("view at 59 s", 1000, 1059, 60, false, false),
            ("view at the interval", 1000, 1060, 60, false, true),
            ("view long after", 1000, 5000, 60, false, true),
            ("change on a fresh answer", 1000, 1001, 60, true, true),
            ("change in the same second", 1000, 1000, 60, true, true),
            ("clock went back: a view keeps the answer", 1000, 990, 60, false, false),
        ];
        for (what, at, now, interval, change, expected) in cases {
            assert_eq!(needs_recheck(at, now, interval, change), expected, "{what}");
        }
    }

    #[test]
    fn answers() {
        let answer = |v: &Value| super::answer(v, "010106A901R", None);
        assert_eq!(answer(&serde_json::json!({"result": "ALLOWED"})), Ok(Answer::Allowed));
        assert_eq!(answer(&serde_json::json!({"result": "DISALLOWED", "reasons": []})), Ok(Answer::Disallowed));
        assert_eq!(answer(&serde_json::json!({"result": "allowed"})), Err(CallError::BadAnswer));
        // About someone else: a refusal, whatever it says.
        assert_eq!(
            answer(&serde_json::json!({"result": "ALLOWED", "principalId": "010106A901R"})),
            Ok(Answer::Allowed)
        );
        assert_eq!(
            answer(&serde_json::json!({"result": "ALLOWED", "principalId": "020985-913X"})),
            Ok(Answer::Disallowed)
        );
        assert_eq!(answer(&serde_json::json!({"result": "ALLOWED", "principalId": 1})), Ok(Answer::Disallowed));
        assert_eq!(
            super::answer(
                &serde_json::json!({"result": "ALLOWED", "delegateId": "170458-9028"}),
                "010106A901R",
                Some("230184-9244")
            ),
            Ok(Answer::Disallowed)
        );
        assert_eq!(
            super::answer(
                &serde_json::json!({"result": "ALLOWED", "delegateId": "230184-9244"}),
                "010106A901R",
                Some("230184-9244")
            ),
            Ok(Answer::Allowed)
        );
        // One principal is an answer; several are the person's to choose again; none is nothing.
        assert_eq!(
            principal_of(&serde_json::json!([{"personId": "010106A901R", "name": "A B"}])).map(|p| p.person_id),
            Ok("010106A901R".to_string())
        );
        assert_eq!(
            principal_of(&serde_json::json!([{"personId": "010106A901R"}, {"personId": "020985-913X"}]))
                .map(|p| p.person_id),
            Err(CallError::SeveralPrincipals)
        );
        assert_eq!(principal_of(&serde_json::json!([])).map(|p| p.person_id), Err(CallError::BadAnswer));
        assert_eq!(answer(&serde_json::json!({})), Err(CallError::BadAnswer));
    }
}
