//! Production sign-in: OpenID Connect as the Finnish Trust Network profile requires (Suomi.fi
//! e-Identification): authorization code flow with PKCE (S256), `state` and `nonce`, a signed
//! request object, `private_key_jwt` client authentication, encrypted ID token and userinfo, the
//! provider's keys refetched once on an unknown `kid`, `acr` checked, RP-initiated logout as a
//! form POST with the signed ID token as the hint, `prompt=login` when asked to authenticate again.
//!
//! [`token`] holds the pure checks; this module does the HTTP. The server-side HTTP client never
//! follows redirects. Nothing here logs a token, a code or a personal identity code.

pub mod keys;
pub mod token;

use std::sync::RwLock;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwk::JwkSet;
use josekit::jws::JwsHeader;
use josekit::jwt::{self, JwtPayload};
use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::settings::OidcSettings;
use keys::ClientKeys;
use token::{Expected, Failure, Identity};

/// The provider's discovery document: the parts this client uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    pub userinfo_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
}

/// A sign-in in progress, kept in the pre-sign-in session; used once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// A same-site path to return to afterwards.
    pub return_to: Option<String>,
    pub lang: String,
    /// Ask the provider to authenticate again (`prompt=login`): the first sign-in on a browser
    /// after a sign-out there, whether or not the provider's own session could be ended.
    #[serde(default)]
    pub force_login: bool,
}

impl Pending {
    pub fn new(lang: &str, return_to: Option<String>, force_login: bool) -> Self {
        let r = || Alphanumeric.sample_string(&mut rand::rng(), 43);
        Self { state: r(), nonce: r(), verifier: r(), return_to, lang: lang.to_string(), force_login }
    }

    fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()))
    }
}

/// The client: its keys, its configuration and what it has learnt of the provider.
pub struct Oidc {
    pub keys: ClientKeys,
    pub settings: OidcSettings,
    issuer: String,
    client_id: String,
    pub redirect_uri: String,
    metadata: RwLock<Option<Metadata>>,
    provider_keys: RwLock<Option<Vec<u8>>>,
}

/// What a successful sign-in yields.
pub struct SignedIn {
    pub identity: Identity,
    /// The ID token exactly as the provider sent it (the encrypted JWE), kept in the server-side
    /// session for `id_token_hint` at sign-out, where it is decrypted (see [`Oidc::logout_request`]):
    /// the session row never holds the henkilötunnus in the clear.
    pub id_token: String,
}

/// The server-side HTTP client of sign-in and e-Authorizations: no redirects followed, a 5 s timeout.
pub(crate) fn http() -> awc::Client {
    awc::Client::builder().disable_redirects().timeout(Duration::from_secs(5)).finish()
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Oidc {
    /// `public_url` without a trailing slash; the redirect URI is `{public_url}/auth/callback`.
    pub fn new(settings: &OidcSettings, public_url: &str) -> Result<Self, String> {
        let issuer = settings.issuer.clone().ok_or("oidc.issuer is required")?;
        let client_id = settings.client_id.clone().ok_or("oidc.client_id is required")?;
        let keys = ClientKeys::load(
            settings.signing_key.as_deref().ok_or("oidc.signing_key is required")?,
            settings.encryption_key.as_deref().ok_or("oidc.encryption_key is required")?,
        )?;
        Ok(Self {
            keys,
            settings: settings.clone(),
            issuer,
            client_id,
            redirect_uri: format!("{}/auth/callback", public_url.trim_end_matches('/')),
            metadata: RwLock::new(None),
            provider_keys: RwLock::new(None),
        })
    }

    /// The discovery document, fetched once and kept.
    pub async fn metadata(&self) -> Result<Metadata, Failure> {
        if let Some(m) = self.metadata.read().expect("lock").clone() {
            return Ok(m);
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'));
        let m: Metadata = fetch_json(&url).await?;
        if m.issuer != self.issuer {
            tracing::warn!("the provider's discovery names another issuer");
            return Err(Failure::ProviderUnreachable);
        }
        *self.metadata.write().expect("lock") = Some(m.clone());
        Ok(m)
    }

    async fn provider_key_set(&self, refresh: bool) -> Result<JwkSet, Failure> {
        let cached = if refresh { None } else { self.provider_keys.read().expect("lock").clone() };
        let bytes = match cached {
            Some(b) => b,
            None => {
                let m = self.metadata().await?;
                let mut res = http().get(&m.jwks_uri).send().await.map_err(|_| Failure::ProviderUnreachable)?;
                if !res.status().is_success() {
                    return Err(Failure::ProviderUnreachable);
                }
                let b = res.body().limit(1 << 20).await.map_err(|_| Failure::ProviderUnreachable)?.to_vec();
                crate::feed::json::parse_strict(&b).ok_or(Failure::ProviderUnreachable)?;
                *self.provider_keys.write().expect("lock") = Some(b.clone());
                b
            }
        };
        JwkSet::from_bytes(&bytes).map_err(|_| Failure::ProviderUnreachable)
    }

    /// Verifies a signed JWT from the provider, refetching its keys once on an unknown `kid`.
    async fn verify(&self, jws: &str) -> Result<JwtPayload, Failure> {
        match token::verify(jws, &self.provider_key_set(false).await?) {
            Err(Failure::UnknownKey) => token::verify(jws, &self.provider_key_set(true).await?),
            other => other,
        }
    }

    fn signed(&self, payload: &JwtPayload, typ: Option<&str>) -> Result<String, Failure> {
        let mut header = JwsHeader::new();
        header.set_key_id(&self.keys.signing_kid);
        if let Some(t) = typ {
            header.set_token_type(t);
        }
        jwt::encode_with_signer(payload, &header, &self.keys.signer).map_err(|e| {
            tracing::error!(error = %e, "signing failed");
            Failure::ProviderUnreachable
        })
    }

    /// The address that starts a sign-in at the provider: a signed request object carries every
    /// parameter; `client_id`, `response_type` and `scope` are repeated outside it as OIDC requires.
    pub async fn authorization_url(&self, pending: &Pending) -> Result<String, Failure> {
        let m = self.metadata().await?;
        let scope = self.settings.scopes.join(" ");
        let mut p = JwtPayload::new();
        p.set_issuer(&self.client_id);
        p.set_audience(vec![self.issuer.clone()]);
        set_times(&mut p, 300);
        p.set_jwt_id(Alphanumeric.sample_string(&mut rand::rng(), 32));
        let claims = serde_json::json!({
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "scope": scope,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": pending.challenge(),
            "code_challenge_method": "S256",
            "acr_values": self.settings.acr_values.join(" "),
            "ui_locales": pending.lang,
            "claims": {
                "id_token": { self.settings.hetu_claim.clone(): { "essential": true }, "acr": { "essential": true } },
                "userinfo": { self.settings.hetu_claim.clone(): { "essential": true } },
            },
        });
        let mut claims = claims;
        if pending.force_login {
            claims["prompt"] = Value::from("login");
        }
        for (k, v) in claims.as_object().expect("an object") {
            p.set_claim(k, Some(v.clone())).map_err(|_| Failure::ProviderUnreachable)?;
        }
        let request = self.signed(&p, Some("oauth-authz-req+jwt"))?;
        let query = [
            ("client_id", self.client_id.as_str()),
            ("response_type", "code"),
            ("scope", scope.as_str()),
            ("request", request.as_str()),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::web::urls::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
        let sep = if m.authorization_endpoint.contains('?') { '&' } else { '?' };
        Ok(format!("{}{sep}{query}", m.authorization_endpoint))
    }

    /// `private_key_jwt`: a short-lived assertion signed with the client's key, `aud` the token endpoint.
    fn client_assertion(&self, token_endpoint: &str) -> Result<String, Failure> {
        let mut p = JwtPayload::new();
        p.set_issuer(&self.client_id);
        p.set_subject(&self.client_id);
        p.set_audience(vec![token_endpoint.to_string()]);
        set_times(&mut p, 60);
        p.set_jwt_id(Alphanumeric.sample_string(&mut rand::rng(), 32));
        self.signed(&p, None)
    }

    /// Exchanges the code, checks the ID token and finds the henkilötunnus (ID token or userinfo).
    pub async fn complete(&self, code: &str, pending: &Pending) -> Result<SignedIn, Failure> {
        let m = self.metadata().await?;
        let assertion = self.client_assertion(&m.token_endpoint)?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", pending.verifier.as_str()),
            ("client_id", self.client_id.as_str()),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion.as_str()),
        ];
        let mut res =
            http().post(&m.token_endpoint).send_form(&form).await.map_err(|_| Failure::ProviderUnreachable)?;
        let status = res.status();
        let unreadable = if status.is_success() { Failure::ProviderUnreachable } else { Failure::TokenRefused };
        let bytes = res.body().limit(1 << 20).await.map_err(|_| unreadable)?;
        let body: Value = crate::feed::json::parse_strict(&bytes).ok_or(unreadable)?;
        if !status.is_success() {
            tracing::info!(
                status = status.as_u16(),
                error = body.get("error").and_then(serde_json::Value::as_str).unwrap_or("?"),
                "token endpoint refused the code"
            );
            return Err(Failure::TokenRefused);
        }
        let id_token = body.get("id_token").and_then(Value::as_str).ok_or(Failure::TokenRefused)?;
        let jws = token::decrypt(&self.keys, id_token)?;
        let payload = self.verify(&jws).await?;
        token::check_id_token(
            &payload,
            &Expected {
                issuer: &self.issuer,
                client_id: &self.client_id,
                nonce: &pending.nonce,
                acr_values: &self.settings.acr_values,
                now_unix: now_unix(),
            },
        )?;
        let hetu_claim = self.settings.hetu_claim.as_str();
        let identity = if payload.claim(hetu_claim).is_some() {
            token::identity(&[payload.claims_set()], hetu_claim)?
        } else {
            let access = body.get("access_token").and_then(Value::as_str).ok_or(Failure::MissingHetu)?;
            let userinfo = self.userinfo(&m, access, &payload).await?;
            token::identity(&[payload.claims_set(), &userinfo], hetu_claim)?
        };
        Ok(SignedIn { identity, id_token: id_token.to_string() })
    }

    /// Userinfo, as the FTN profile has it: a signed JWT inside an encrypted one. Plain JSON, or an
    /// encrypted one with no signature inside, is refused; its `sub` must be the ID token's.
    async fn userinfo(
        &self,
        m: &Metadata,
        access_token: &str,
        id_token: &JwtPayload,
    ) -> Result<serde_json::Map<String, Value>, Failure> {
        let endpoint = m.userinfo_endpoint.as_deref().ok_or(Failure::MissingHetu)?;
        let mut res = http()
            .get(endpoint)
            .insert_header(("Authorization", format!("Bearer {access_token}")))
            .send()
            .await
            .map_err(|_| Failure::ProviderUnreachable)?;
        if !res.status().is_success() {
            return Err(Failure::MissingHetu);
        }
        let body = res.body().limit(1 << 20).await.map_err(|_| Failure::ProviderUnreachable)?;
        let text = String::from_utf8_lossy(&body).trim().to_string();
        if text.starts_with('{') {
            return Err(Failure::UnsignedUserinfo);
        }
        let inner = token::decrypt(&self.keys, &text)?;
        if inner.split('.').count() != 3 {
            return Err(Failure::UnsignedUserinfo);
        }
        let claims = self.verify(&inner).await?.claims_set().clone();
        token::check_userinfo_subject(id_token, &claims)?;
        Ok(claims)
    }

    /// RP-initiated logout at the provider, when it offers it (OpenID Connect RP-Initiated Logout
    /// 1.0 §2): the fields to POST to its `end_session_endpoint` — a form POST, so that no URL
    /// carries the hint (§2: the OP MUST support both GET and POST). `None` when the provider has
    /// no such endpoint or cannot be reached.
    pub async fn logout_request(
        &self,
        stored_id_token: Option<&str>,
        post_logout_redirect_uri: &str,
        lang: &str,
    ) -> Option<LogoutRequest> {
        let m = self.metadata().await.ok()?;
        let endpoint = m.end_session_endpoint?;
        let mut fields = Vec::with_capacity(4);
        if let Some(hint) = match stored_id_token {
            Some(t) => self.id_token_hint(t).await,
            None => None,
        } {
            fields.push(("id_token_hint", hint));
        }
        fields.push(("client_id", self.client_id.clone()));
        fields.push(("post_logout_redirect_uri", post_logout_redirect_uri.to_string()));
        fields.push(("ui_locales", lang.to_string()));
        Some(LogoutRequest { endpoint, fields })
    }

    /// `id_token_hint` (§2): the ID token the provider **signed** — ours arrives encrypted to this
    /// client, which the provider cannot read back, so it is decrypted; re-encrypted only to a key
    /// the provider publishes for encryption (`use: enc` in its JWKS), otherwise sent signed.
    async fn id_token_hint(&self, stored: &str) -> Option<String> {
        let signed = token::decrypt(&self.keys, stored).ok()?;
        let provider_enc = self.provider_key_set(false).await.ok().and_then(|set| token::encryption_key(&set));
        match provider_enc {
            Some(jwk) => match token::encrypt_to(&jwk, &signed) {
                Ok(jwe) => Some(jwe),
                Err(e) => {
                    tracing::warn!(error = %e, "the ID token could not be re-encrypted to the provider's key; sent signed");
                    Some(signed)
                }
            },
            None => Some(signed),
        }
    }
}

/// A logout request to the provider: where to POST and what.
#[derive(Debug, Clone)]
pub struct LogoutRequest {
    pub endpoint: String,
    pub fields: Vec<(&'static str, String)>,
}

/// `iat` now and `exp` after `valid_for` seconds, as whole seconds (josekit's setters write fractions).
fn set_times(p: &mut JwtPayload, valid_for: i64) {
    let now = now_unix();
    p.set_claim("iat", Some(Value::from(now))).expect("a number");
    p.set_claim("exp", Some(Value::from(now + valid_for))).expect("a number");
}

async fn fetch_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, Failure> {
    let mut res = http().get(url).send().await.map_err(|_| Failure::ProviderUnreachable)?;
    if !res.status().is_success() {
        return Err(Failure::ProviderUnreachable);
    }
    // Read strictly: a key given twice (an issuer or an endpoint given two values) is no answer.
    let bytes = res.body().limit(1 << 20).await.map_err(|_| Failure::ProviderUnreachable)?;
    let value = crate::feed::json::parse_strict(&bytes).ok_or(Failure::ProviderUnreachable)?;
    serde_json::from_value(value).map_err(|_| Failure::ProviderUnreachable)
}
