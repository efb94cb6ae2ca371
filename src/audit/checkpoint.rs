//! Signed checkpoints of the audit chain, kept outside the database (`audit.checkpoint_file`):
//! every few minutes one instance signs `{records, last id, head hash, time}` with an Ed25519 key
//! and appends it to the file, which operators ship to write-once storage. A database owner can
//! rewrite the rows — even recompute a chain — but not what was already shipped away:
//! `verify-audit --checkpoints FILE --public-key FILE` checks that the chain passes through every
//! checkpoint's head at its count, so a deleted tail, an emptied table, removed hashes and a
//! recomputed chain are each named (see [`crate::audit::ChainVerifier`]).
//!
//! One line a checkpoint (JSON): `{"records":…,"last_id":…,"head":"…","at":"…","key_id":"…",
//! "signature":"…"}`; the signature (base64url, Ed25519) is over [`Checkpoint::message`]. The
//! `key_id` names the public key (the first 16 hex digits of SHA-256 of its DER), so keys can be
//! rotated: give `--public-key` once for each key that signed the file.

use std::collections::HashMap;
use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use josekit::jwk::KeyPair;
use josekit::jwk::alg::ed::EdKeyPair;
use josekit::jws::alg::eddsa::{EddsaJwsSigner, EddsaJwsVerifier};
use josekit::jws::{EdDSA, JwsSigner, JwsVerifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One signed checkpoint of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Records in the trail then (legacy ones included).
    pub records: u64,
    /// The id of the last record (0 when there was none).
    pub last_id: i64,
    /// The last record's hash (empty when there was none).
    pub head: String,
    pub at: DateTime<Utc>,
    pub key_id: String,
    pub signature: String,
}

impl Checkpoint {
    /// What is signed.
    pub fn message(records: u64, last_id: i64, head: &str, at: &DateTime<Utc>) -> String {
        format!(
            "sosiaalitiedot-audit-checkpoint/1\n{records}\n{last_id}\n{head}\n{}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )
    }

    /// The line written to the file (and to the log).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a checkpoint serialises")
    }
}

/// The key id of a public key: the first 16 hex digits of SHA-256 of its DER.
fn key_id_of(public_der: &[u8]) -> String {
    hex::encode(Sha256::digest(public_der))[..16].to_string()
}

/// Signs checkpoints with `audit.checkpoint_key`, and verifies its own.
pub struct CheckpointSigner {
    signer: EddsaJwsSigner,
    verifier: EddsaJwsVerifier,
    pub key_id: String,
}

impl CheckpointSigner {
    /// Reads a PKCS#8 PEM Ed25519 private key.
    pub fn load(path: &str) -> Result<Self, String> {
        let pem = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let pair = EdKeyPair::from_pem(&pem).map_err(|_| {
            format!("{path} is not a PKCS#8 PEM Ed25519 private key (openssl genpkey -algorithm ed25519)")
        })?;
        let key_id = key_id_of(&pair.to_der_public_key());
        let signer = EdDSA.signer_from_pem(&pem).map_err(|e| format!("{path}: {e}"))?;
        let verifier = EdDSA.verifier_from_pem(pair.to_pem_public_key()).map_err(|e| format!("{path}: {e}"))?;
        Ok(Self { signer, verifier, key_id })
    }

    /// Whether `c` carries this key's valid signature: the instances take turns by the stored
    /// coordination rows, and a row anyone with write access could forge must not steer them.
    pub fn verifies(&self, c: &Checkpoint) -> bool {
        let Ok(signature) = URL_SAFE_NO_PAD.decode(&c.signature) else { return false };
        c.key_id == self.key_id
            && self
                .verifier
                .verify(Checkpoint::message(c.records, c.last_id, &c.head, &c.at).as_bytes(), &signature)
                .is_ok()
    }

    pub fn sign(&self, records: u64, last_id: i64, head: &str, at: DateTime<Utc>) -> Checkpoint {
        let signature = self
            .signer
            .sign(Checkpoint::message(records, last_id, head, &at).as_bytes())
            .expect("Ed25519 signing does not fail");
        Checkpoint {
            records,
            last_id,
            head: head.to_string(),
            at,
            key_id: self.key_id.clone(),
            signature: URL_SAFE_NO_PAD.encode(signature),
        }
    }
}

/// The public keys that may have signed a checkpoint file.
pub struct CheckpointKeys(HashMap<String, EddsaJwsVerifier>);

impl CheckpointKeys {
    /// Reads PEM Ed25519 public keys (`openssl pkey -in key.pem -pubout`).
    pub fn load(paths: &[String]) -> Result<Self, String> {
        let mut keys = HashMap::new();
        for path in paths {
            let pem = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let verifier =
                EdDSA.verifier_from_pem(&pem).map_err(|_| format!("{path} is not a PEM Ed25519 public key"))?;
            let der = pem_body(&pem).ok_or_else(|| format!("{path} is not a PEM Ed25519 public key"))?;
            keys.insert(key_id_of(&der), verifier);
        }
        Ok(Self(keys))
    }

    /// Whether the checkpoint is signed by one of the keys.
    pub fn verifies(&self, c: &Checkpoint) -> bool {
        let Some(verifier) = self.0.get(&c.key_id) else { return false };
        let Ok(signature) = URL_SAFE_NO_PAD.decode(&c.signature) else { return false };
        verifier.verify(Checkpoint::message(c.records, c.last_id, &c.head, &c.at).as_bytes(), &signature).is_ok()
    }
}

/// The DER inside a PEM block.
fn pem_body(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

/// Parses a checkpoint file: one checkpoint a line (blank lines skipped); errors name the line.
pub fn parse_file(text: &str) -> Result<Vec<Checkpoint>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| format!("line {}: not a checkpoint: {e}", i + 1))?);
    }
    Ok(out)
}

/// Appends one checkpoint line to the file (created if missing), flushed to disk.
pub fn append(path: &str, c: &Checkpoint) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(format!("{}\n", c.to_line()).as_bytes())?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(dir: &std::path::Path, name: &str) -> (String, String) {
        let pair = EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
        let private = dir.join(format!("{name}.pem"));
        let public = dir.join(format!("{name}.pub.pem"));
        std::fs::write(&private, pair.to_pem_private_key()).unwrap();
        std::fs::write(&public, pair.to_pem_public_key()).unwrap();
        (private.display().to_string(), public.display().to_string())
    }

    #[test]
    fn checkpoints_are_signed_written_and_verified_by_key_id() {
        let dir = std::env::temp_dir().join(format!("st-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (old_private, old_public) = keys(&dir, "old");
        let (new_private, new_public) = keys(&dir, "new");
        let at: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let first = CheckpointSigner::load(&old_private).unwrap().sign(10, 12, "hmac-sha256:ab", at);
        let second = CheckpointSigner::load(&new_private).unwrap().sign(20, 25, "hmac-sha256:cd", at);
        let file = dir.join("checkpoints.jsonl");
        let _ = std::fs::remove_file(&file);
        append(file.to_str().unwrap(), &first).unwrap();
        append(file.to_str().unwrap(), &second).unwrap();
        let parsed = parse_file(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(parsed, vec![first.clone(), second.clone()]);
        // Key rotation: both keys given, both verify; one key alone verifies its own only.
        let both = CheckpointKeys::load(&[old_public.clone(), new_public]).unwrap();
        assert!(both.verifies(&first) && both.verifies(&second));
        let old_only = CheckpointKeys::load(&[old_public]).unwrap();
        assert!(old_only.verifies(&first) && !old_only.verifies(&second));
        // Any change to what was signed breaks the signature.
        for forged in [
            Checkpoint { records: 9, ..first.clone() },
            Checkpoint { head: "hmac-sha256:ac".into(), ..first.clone() },
            Checkpoint { last_id: 11, ..first.clone() },
        ] {
            assert!(!both.verifies(&forged));
        }
        assert!(parse_file("{\"records\":1}\n").unwrap_err().starts_with("line 1:"));
        assert!(CheckpointSigner::load(file.to_str().unwrap()).is_err());
    }
}
