//! `sosiaalitiedot export-choices`: the consent and prohibition changes made in the portal, as
//! JSON Lines shaped like the feed's `consent` and `prohibition` records with `set_by` (who made the
//! choice, in which role), for sending back to the archive. Importing the output reproduces the
//! same choices (the round trip is tested).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::store::{Result, Store};

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn set_by(hetu: &Option<String>, role: &Option<String>) -> Option<Value> {
    match (hetu, role) {
        (Some(h), Some(r)) => Some(json!({ "hetu": h, "role": r })),
        _ => None,
    }
}

/// The export lines, oldest first: consents, then prohibitions (each prohibition once, in its
/// current state: a revocation made in the portal is its `revoked_at`).
pub async fn export_choices(store: &Store, since: DateTime<Utc>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (hetu, c) in store.portal_consents_since(since).await? {
        let mut v = json!({ "type": "consent", "person": hetu, "given": c.given, "at": time(&c.at) });
        if let Some(by) = set_by(&c.set_by_hetu, &c.set_by_role) {
            v["set_by"] = by;
        }
        out.push(v.to_string());
    }
    for (hetu, p) in store.portal_prohibitions_since(since).await? {
        let target = if let Some(oid) = &p.target_registrar_oid {
            json!({ "registrar": oid })
        } else if let Some(task) = &p.target_service_task {
            json!({ "service_task": task })
        } else {
            json!({ "document": p.target_document_id })
        };
        let mut v = json!({
            "type": "prohibition",
            "id": p.prohibition_id,
            "person": hetu,
            "target": target,
            "set_at": time(&p.set_at),
            "revoked_at": p.revoked_at.as_ref().map(time),
        });
        if let Some(by) = set_by(&p.set_by_hetu, &p.set_by_role) {
            v["set_by"] = by;
        }
        out.push(v.to_string());
    }
    Ok(out)
}
