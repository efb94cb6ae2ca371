//! The pure parts of Suomi.fi e-Authorizations: the checksum header of every call, when a right
//! must be asked again, and how an answer is read — strictly: an answer about anyone but the
//! principal (and delegate) asked for is a refusal, several principals are the person's to choose
//! again. No I/O; the calls are in [`super`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

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

/// The principal chosen on the selection page.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The principal's henkilötunnus.
    pub person_id: String,
    pub name: String,
}

/// The delegate answer: the principal chosen on the selection page. An array of the chosen
/// principals (an object is read as a list of one): exactly one is an answer; more than one is
/// the person's choice to make again, one at a time — never a silent pick of the first.
pub fn principal_of(v: &Value) -> Result<Principal, CallError> {
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
pub fn answer(v: &Value, principal: &str, delegate: Option<&str>) -> Result<Answer, CallError> {
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
