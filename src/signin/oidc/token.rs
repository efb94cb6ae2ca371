//! Checking what the provider sends back: the encrypted ID token (JWE around a signed JWT), its
//! signature against the provider's keys, and its claims. Pure: keys, expectations and the time
//! are parameters, so every refusal is tested without a network.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwk::JwkSet;
use josekit::jws::RS256;
use josekit::jwt::{self, JwtPayload};
use serde_json::Value;

use super::keys::ClientKeys;
use crate::domain::hetu::Hetu;

/// Why a sign-in was refused. `code()` goes to the log (never any personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The provider answered with an error (the user cancelled, say).
    ProviderError,
    /// No sign-in was started in this browser, or the state does not match (or was used already).
    StateMismatch,
    /// The provider could not be reached or answered nonsense.
    ProviderUnreachable,
    /// The token endpoint refused the code (replayed or expired code, client not accepted).
    TokenRefused,
    /// The ID token was not encrypted, or with an algorithm this client does not accept.
    NotEncrypted,
    /// The ID token could not be decrypted.
    Undecryptable,
    /// Unsigned (`alg: none`) or signed with an algorithm this client does not accept.
    UnacceptedAlgorithm,
    /// No key of the provider has the token's `kid`, even after refetching the key set.
    UnknownKey,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NonceMismatch,
    /// `acr` is not one of the configured levels of assurance.
    LowAssurance,
    MissingHetu,
    InvalidHetu,
    /// The ID token has no `sub`, or userinfo's `sub` is not the ID token's.
    SubjectMismatch,
    /// Userinfo was not a signed JWT inside an encrypted one (plain JSON, or encrypted JSON).
    UnsignedUserinfo,
    /// A name breaks the text rules (a control character, a bidirectional override, too long).
    InvalidName,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Failure::ProviderError => "provider_error",
            Failure::StateMismatch => "state_mismatch",
            Failure::ProviderUnreachable => "provider_unreachable",
            Failure::TokenRefused => "token_refused",
            Failure::NotEncrypted => "not_encrypted",
            Failure::Undecryptable => "undecryptable",
            Failure::UnacceptedAlgorithm => "unaccepted_algorithm",
            Failure::UnknownKey => "unknown_key",
            Failure::BadSignature => "bad_signature",
            Failure::WrongIssuer => "wrong_issuer",
            Failure::WrongAudience => "wrong_audience",
            Failure::Expired => "expired",
            Failure::NonceMismatch => "nonce_mismatch",
            Failure::LowAssurance => "low_assurance",
            Failure::MissingHetu => "missing_hetu",
            Failure::SubjectMismatch => "subject_mismatch",
            Failure::UnsignedUserinfo => "unsigned_userinfo",
            Failure::InvalidName => "invalid_name",
            Failure::InvalidHetu => "invalid_hetu",
        }
    }
}

/// Content-encryption algorithms accepted for the ID token and userinfo.
const ACCEPTED_ENC: [&str; 4] = ["A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"];
/// Clock skew allowed on `exp` and `iat`.
pub const LEEWAY_SECONDS: i64 = 60;

fn header_of(token: &str) -> Option<serde_json::Map<String, Value>> {
    let first = token.split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(first.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Decrypts a compact JWE (five parts) into the signed JWT it carries.
pub fn decrypt(keys: &ClientKeys, jwe: &str) -> Result<String, Failure> {
    if jwe.split('.').count() != 5 {
        return Err(Failure::NotEncrypted);
    }
    let header = header_of(jwe).ok_or(Failure::Undecryptable)?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default();
    let enc = header.get("enc").and_then(Value::as_str).unwrap_or_default();
    if !ACCEPTED_ENC.contains(&enc) {
        return Err(Failure::NotEncrypted);
    }
    let decrypter = keys.decrypter(alg).ok_or(Failure::NotEncrypted)?;
    let (payload, _) = josekit::jwe::deserialize_compact(jwe, decrypter).map_err(|_| Failure::Undecryptable)?;
    String::from_utf8(payload).map_err(|_| Failure::Undecryptable)
}

/// The provider's key for encryption (`use: enc`, RSA), if it publishes one.
pub fn encryption_key(provider_keys: &JwkSet) -> Option<josekit::jwk::Jwk> {
    provider_keys.keys().into_iter().find(|k| k.key_type() == "RSA" && k.key_use() == Some("enc")).cloned()
}

/// Encrypts a signed JWT to `jwk` (a nested JWT, `cty: JWT`): RSA-OAEP-256, or RSA-OAEP where the
/// key says so, with A256GCM.
pub fn encrypt_to(jwk: &josekit::jwk::Jwk, jws: &str) -> Result<String, josekit::JoseError> {
    let mut header = josekit::jwe::JweHeader::new();
    header.set_content_encryption("A256GCM");
    header.set_content_type("JWT");
    if let Some(kid) = jwk.key_id() {
        header.set_key_id(kid);
    }
    match jwk.algorithm() {
        Some("RSA-OAEP") => {
            josekit::jwe::serialize_compact(jws.as_bytes(), &header, &josekit::jwe::RSA_OAEP.encrypter_from_jwk(jwk)?)
        }
        _ => josekit::jwe::serialize_compact(
            jws.as_bytes(),
            &header,
            &josekit::jwe::RSA_OAEP_256.encrypter_from_jwk(jwk)?,
        ),
    }
}

/// The `kid` of a signed JWT, if its algorithm is one this client accepts (RS256).
pub fn signing_key_id(jws: &str) -> Result<Option<String>, Failure> {
    let header = header_of(jws).ok_or(Failure::BadSignature)?;
    if jws.split('.').count() != 3 || header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(Failure::UnacceptedAlgorithm);
    }
    Ok(header.get("kid").and_then(Value::as_str).map(str::to_string))
}

/// Verifies a signed JWT against the provider's keys. `UnknownKey` tells the caller to refetch
/// the key set once (key rotation). A header or claims set with a key given twice is refused: it
/// could be read as either value.
pub fn verify(jws: &str, provider_keys: &JwkSet) -> Result<JwtPayload, Failure> {
    let kid = signing_key_id(jws)?;
    for part in jws.split('.').take(2) {
        let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).map_err(|_| Failure::BadSignature)?;
        crate::feed::json::parse_strict(&bytes).ok_or(Failure::BadSignature)?;
    }
    let candidates: Vec<&josekit::jwk::Jwk> = match &kid {
        Some(k) => provider_keys.get(k),
        None => {
            provider_keys.keys().into_iter().filter(|k| k.key_type() == "RSA" && k.key_use() != Some("enc")).collect()
        }
    };
    if candidates.is_empty() {
        return Err(Failure::UnknownKey);
    }
    for jwk in candidates {
        if let Ok(verifier) = RS256.verifier_from_jwk(jwk)
            && let Ok((payload, _)) = jwt::decode_with_verifier(jws, &verifier)
        {
            return Ok(payload);
        }
    }
    Err(Failure::BadSignature)
}

/// What the ID token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub acr_values: &'a [String],
    pub now_unix: i64,
}

/// A NumericDate: whole or fractional seconds.
fn number(payload: &JwtPayload, claim: &str) -> Option<i64> {
    payload.claim(claim).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f.floor() as i64)))
}

/// Checks `iss`, `aud`, `azp`, `exp`, `iat`, `nonce` and `acr`.
pub fn check_id_token(payload: &JwtPayload, e: &Expected<'_>) -> Result<(), Failure> {
    if payload.issuer() != Some(e.issuer) {
        return Err(Failure::WrongIssuer);
    }
    let audiences: Vec<&str> = match payload.claim("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !audiences.contains(&e.client_id) {
        return Err(Failure::WrongAudience);
    }
    let azp = payload.claim("azp").and_then(Value::as_str);
    if (audiences.len() > 1 && azp.is_none()) || azp.is_some_and(|a| a != e.client_id) {
        return Err(Failure::WrongAudience);
    }
    let exp = number(payload, "exp").ok_or(Failure::Expired)?;
    let iat = number(payload, "iat").ok_or(Failure::Expired)?;
    if exp + LEEWAY_SECONDS < e.now_unix || iat - LEEWAY_SECONDS > e.now_unix {
        return Err(Failure::Expired);
    }
    if payload.claim("nonce").and_then(Value::as_str) != Some(e.nonce) {
        return Err(Failure::NonceMismatch);
    }
    let acr = payload.claim("acr").and_then(Value::as_str).unwrap_or_default();
    if !e.acr_values.iter().any(|a| a == acr) {
        return Err(Failure::LowAssurance);
    }
    if payload.claim("sub").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err(Failure::SubjectMismatch);
    }
    Ok(())
}

/// Userinfo's `sub` must be the ID token's, both present (two missing ones are not equal).
pub fn check_userinfo_subject(id_token: &JwtPayload, userinfo: &serde_json::Map<String, Value>) -> Result<(), Failure> {
    match (id_token.claim("sub").and_then(Value::as_str), userinfo.get("sub").and_then(Value::as_str)) {
        (Some(a), Some(b)) if !a.is_empty() && a == b => Ok(()),
        _ => Err(Failure::SubjectMismatch),
    }
}

/// The longest name accepted from the provider, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The person the provider vouches for.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub hetu: Hetu,
    pub first_names: String,
    pub last_name: String,
}

/// The henkilötunnus from `hetu_claim` and the names (OIDC `given_name`/`family_name`, or the
/// Suomi.fi attributes `urn:oid:2.5.4.42`/`urn:oid:2.5.4.4`), from the first claims set that has a
/// henkilötunnus (the ID token, then userinfo).
pub fn identity(claim_sets: &[&serde_json::Map<String, Value>], hetu_claim: &str) -> Result<Identity, Failure> {
    let set = claim_sets.iter().find(|c| c.get(hetu_claim).is_some()).ok_or(Failure::MissingHetu)?;
    let raw = set.get(hetu_claim).and_then(Value::as_str).ok_or(Failure::InvalidHetu)?;
    let hetu = Hetu::parse(raw).map_err(|_| Failure::InvalidHetu)?;
    // Names pass the feed's text rules (DESIGN §3): no control character or bidirectional
    // override, a sane length; otherwise the sign-in fails.
    let text = |names: &[&str]| -> Result<String, Failure> {
        let value = names
            .iter()
            .find_map(|n| claim_sets.iter().find_map(|c| c.get(*n).and_then(Value::as_str)))
            .unwrap_or_default();
        if crate::domain::text::forbidden_char(value, false).is_some() || value.chars().count() > MAX_NAME_CHARS {
            return Err(Failure::InvalidName);
        }
        Ok(value.trim().to_string())
    };
    Ok(Identity {
        hetu,
        first_names: text(&["given_name", "urn:oid:2.5.4.42", "urn:oid:1.2.246.575.1.14"])?,
        last_name: text(&["family_name", "urn:oid:2.5.4.4"])?,
    })
}
