//! This client's two RSA keys: one signs request objects and `private_key_jwt` assertions, the
//! other decrypts the ID token and userinfo (JWE). Their public halves are served as a static JWKS
//! at `/.well-known/jwks.json`, each with `kid` = its RFC 7638 thumbprint.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwe::alg::rsaes::RsaesJweDecrypter;
use josekit::jwe::{RSA_OAEP, RSA_OAEP_256};
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::{Jwk, KeyPair};
use josekit::jws::RS256;
use josekit::jws::alg::rsassa::RsassaJwsSigner;
use sha2::{Digest, Sha256};

/// Reads a PKCS#8 PEM RSA private key; the error says what is wrong without the key's contents.
pub fn read_rsa_key(path: &str) -> Result<Vec<u8>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let text = String::from_utf8_lossy(&pem);
    if !text.contains("-----BEGIN PRIVATE KEY-----") {
        return Err(format!("{path} is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)"));
    }
    RsaKeyPair::from_pem(&pem).map_err(|_| format!("{path} is not an RSA private key"))?;
    Ok(pem)
}

/// The RFC 7638 thumbprint of an RSA public key: SHA-256 over `{"e":…,"kty":"RSA","n":…}`.
pub fn thumbprint(jwk: &Jwk) -> String {
    let e = jwk.parameter("e").and_then(|v| v.as_str()).unwrap_or_default();
    let n = jwk.parameter("n").and_then(|v| v.as_str()).unwrap_or_default();
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The client's keys, loaded once at start.
pub struct ClientKeys {
    pub signer: RsassaJwsSigner,
    pub signing_kid: String,
    decrypt_oaep: RsaesJweDecrypter,
    decrypt_oaep_256: RsaesJweDecrypter,
    pub encryption_kid: String,
    /// `{"keys":[…]}` with the two public keys.
    pub jwks: String,
}

impl ClientKeys {
    pub fn from_pem(signing: &[u8], encryption: &[u8]) -> Result<Self, String> {
        let sign_pair = RsaKeyPair::from_pem(signing).map_err(|e| format!("signing key: {e}"))?;
        let enc_pair = RsaKeyPair::from_pem(encryption).map_err(|e| format!("encryption key: {e}"))?;
        let mut sign_jwk = sign_pair.to_jwk_public_key();
        let signing_kid = thumbprint(&sign_jwk);
        sign_jwk.set_key_id(&signing_kid);
        sign_jwk.set_key_use("sig");
        sign_jwk.set_algorithm("RS256");
        let mut enc_jwk = enc_pair.to_jwk_public_key();
        let encryption_kid = thumbprint(&enc_jwk);
        enc_jwk.set_key_id(&encryption_kid);
        enc_jwk.set_key_use("enc");
        enc_jwk.set_algorithm("RSA-OAEP-256");
        let jwks = serde_json::json!({ "keys": [sign_jwk.as_ref(), enc_jwk.as_ref()] }).to_string();
        let mut signer = RS256.signer_from_pem(signing).map_err(|e| format!("signing key: {e}"))?;
        signer.set_key_id(&signing_kid);
        Ok(Self {
            signer,
            signing_kid,
            decrypt_oaep: RSA_OAEP.decrypter_from_pem(encryption).map_err(|e| format!("encryption key: {e}"))?,
            decrypt_oaep_256: RSA_OAEP_256
                .decrypter_from_pem(encryption)
                .map_err(|e| format!("encryption key: {e}"))?,
            encryption_kid,
            jwks,
        })
    }

    pub fn load(signing_path: &str, encryption_path: &str) -> Result<Self, String> {
        Self::from_pem(&read_rsa_key(signing_path)?, &read_rsa_key(encryption_path)?)
    }

    /// The decrypter for a JWE key-management algorithm this client accepts.
    pub fn decrypter(&self, alg: &str) -> Option<&RsaesJweDecrypter> {
        match alg {
            "RSA-OAEP" => Some(&self.decrypt_oaep),
            "RSA-OAEP-256" => Some(&self.decrypt_oaep_256),
            _ => None,
        }
    }
}
