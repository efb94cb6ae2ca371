//! Accessibility feedback (saavutettavuuspalaute): written by the feedback form, listed by
//! `sosiaalitiedot feedback` for the operator.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Result, Store, Tx, on_pool, on_tx, whole_seconds};

/// One feedback message as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub feedback_id: i64,
    pub received_at: DateTime<Utc>,
    pub answer_by: NaiveDate,
    pub lang: String,
    pub page: Option<String>,
    pub message: String,
    pub contact: Option<String>,
    /// The sender's name, only when they chose to attach their identity.
    pub sender: Option<String>,
}

/// A new feedback message.
pub struct NewFeedback<'a> {
    pub answer_by: NaiveDate,
    pub lang: &'a str,
    pub page: Option<&'a str>,
    pub message: &'a str,
    pub contact: Option<&'a str>,
    pub person_id: Option<i64>,
}

/// The key of the advisory lock that serialises one sender's feedback on PostgreSQL (the sender's
/// key's hash is added to it).
const FEEDBACK_LOCK: i64 = 0x4645_4544_4241_0000;

impl Store {
    pub async fn add_feedback(&self, f: &NewFeedback<'_>) -> Result<()> {
        self.add_feedback_limited(f, None, 0).await.map(|_| ())
    }

    /// Stores a message unless `sender_key` already sent `per_hour` in the last hour; the count
    /// and the insert are one transaction, serialised per sender (SQLite's write lock, a
    /// PostgreSQL advisory lock), so neither other sessions nor concurrent posts lift the limit.
    /// `false` when the limit was reached (nothing stored). Without a sender key, no limit here.
    pub async fn add_feedback_limited(
        &self,
        f: &NewFeedback<'_>,
        sender_key: Option<&str>,
        per_hour: i64,
    ) -> Result<bool> {
        let now = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        if let Some(key) = sender_key {
            if let Tx::Postgres(t) = &mut tx {
                let lock = FEEDBACK_LOCK ^ i64::from(u32::from_str_radix(&key[..8.min(key.len())], 16).unwrap_or(0));
                sqlx::query("select pg_advisory_xact_lock($1)").bind(lock).execute(&mut **t).await?;
            }
            let sent: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("select count(*) from feedback where sender_key = $1 and received_at > $2")
                .bind(key).bind(now - chrono::Duration::hours(1)).fetch_one(c).await)?;
            if sent >= per_hour {
                return Ok(false);
            }
        }
        on_tx!(&mut tx, c => sqlx::query(
            "insert into feedback (received_at, answer_by, lang, page, message, contact, person_id, sender_key) values ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(now).bind(f.answer_by).bind(f.lang).bind(f.page).bind(f.message).bind(f.contact).bind(f.person_id).bind(sender_key)
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes the feedback received before `cutoff` (`feedback.keep_days`); returns how many.
    pub async fn purge_feedback_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        Ok(on_pool!(self, p => sqlx::query("delete from feedback where received_at < $1")
            .bind(whole_seconds(cutoff)).execute(p).await.map(|r| r.rows_affected()))?)
    }

    /// Every feedback message, oldest first.
    pub async fn feedback(&self) -> Result<Vec<FeedbackRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, FeedbackRow>(
            "select f.feedback_id, f.received_at, f.answer_by, f.lang, f.page, f.message, f.contact,
               case when p.person_id is null then null else p.first_names || ' ' || p.last_name end as sender
             from feedback f left join person p on p.person_id = f.person_id order by f.feedback_id").fetch_all(p).await)?)
    }
}
