//! Accessibility feedback (saavutettavuuspalaute): written by the feedback form, listed by
//! `sosiaalitiedot feedback` for the operator.

use chrono::{DateTime, NaiveDate, Utc};

use super::{on_pool, whole_seconds, Result, Store};

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

impl Store {
    pub async fn add_feedback(&self, f: &NewFeedback<'_>) -> Result<()> {
        let now = whole_seconds(Utc::now());
        on_pool!(self, p => sqlx::query(
            "insert into feedback (received_at, answer_by, lang, page, message, contact, person_id) values ($1, $2, $3, $4, $5, $6, $7)")
            .bind(now).bind(f.answer_by).bind(f.lang).bind(f.page).bind(f.message).bind(f.contact).bind(f.person_id)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Every feedback message, oldest first.
    pub async fn feedback(&self) -> Result<Vec<FeedbackRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, FeedbackRow>(
            "select f.feedback_id, f.received_at, f.answer_by, f.lang, f.page, f.message, f.contact,
               case when p.person_id is null then null else p.first_names || ' ' || p.last_name end as sender
             from feedback f left join person p on p.person_id = f.person_id order by f.feedback_id").fetch_all(p).await)?)
    }
}
