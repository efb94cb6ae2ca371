//! The audit trail: append-only writes and the principal's "who has acted for me" reads.

use chrono::{DateTime, Utc};

use super::{on_pool, whole_seconds, Result, Store};

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor_id: i64,
    pub role: &'a str,
    pub subject_id: i64,
    pub action: &'a str,
    pub object: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

/// An audit record about a subject, with the actor's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor_first_names: String,
    pub actor_last_name: String,
    pub role: String,
    pub action: String,
    pub object: Option<String>,
}

impl Store {
    /// Writes one audit record. The caller fails the request if this fails: no access without a trace.
    pub async fn audit(&self, e: &NewAuditEvent<'_>) -> Result<()> {
        let at = whole_seconds(Utc::now());
        on_pool!(self, p => sqlx::query(
            "insert into audit_event (at, actor_id, role, subject_id, action, object, request_id)
             values ($1, $2, $3, $4, $5, $6, $7)")
            .bind(at).bind(e.actor_id).bind(e.role).bind(e.subject_id).bind(e.action).bind(e.object).bind(e.request_id)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Others' actions on `subject_id`'s data, newest first: `limit` rows from `offset`.
    pub async fn acted_for(&self, subject_id: i64, limit: i64, offset: i64) -> Result<Vec<AuditRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AuditRow>(
            "select a.at, p.first_names as actor_first_names, p.last_name as actor_last_name, a.role, a.action, a.object
             from audit_event a join person p on p.person_id = a.actor_id
             where a.subject_id = $1 and a.actor_id <> $1
             order by a.at desc, a.audit_event_id desc limit $2 offset $3")
            .bind(subject_id).bind(limit).bind(offset).fetch_all(p).await)?)
    }

    pub async fn count_acted_for(&self, subject_id: i64) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "select count(*) from audit_event where subject_id = $1 and actor_id <> $1")
            .bind(subject_id).fetch_one(p).await)?)
    }

    /// Every audit record of an actor, oldest first (for tests and operators).
    pub async fn audit_of_actor(&self, actor_id: i64) -> Result<Vec<(String, i64, String, Option<String>)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64, String, Option<String>)>(
            "select role, subject_id, action, object from audit_event where actor_id = $1 order by audit_event_id")
            .bind(actor_id).fetch_all(p).await)?)
    }
}
