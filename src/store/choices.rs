//! Disclosure choices: Kanta informing acknowledgements, consents, prohibitions and their
//! revocations. Every change is a new row; nothing is updated or deleted. Every change takes its
//! audit record as an argument and writes both in one transaction (DESIGN §2.4): neither exists
//! without the other.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{NewAuditEvent, Result, Store, TimeCursor, on_pool, on_tx, whole_seconds};

/// Who made a choice in the portal.
#[derive(Debug, Clone, Copy)]
pub struct ChoiceBy<'a> {
    pub person_id: i64,
    pub role: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRow {
    pub given: bool,
    pub at: DateTime<Utc>,
    pub set_by_first_names: Option<String>,
    pub set_by_last_name: Option<String>,
    pub set_by_role: Option<String>,
    pub set_by_hetu: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProhibitionRow {
    pub prohibition_row_id: i64,
    pub prohibition_id: String,
    pub person_id: i64,
    pub target_registrar_id: Option<i64>,
    pub target_registrar_oid: Option<String>,
    pub target_registrar_name_fi: Option<String>,
    pub target_registrar_name_sv: Option<String>,
    pub target_service_task: Option<String>,
    pub target_document_id: Option<String>,
    pub set_at: DateTime<Utc>,
    /// From the feed, or from the portal's revocation row.
    pub revoked_at: Option<DateTime<Utc>>,
    pub set_by_first_names: Option<String>,
    pub set_by_last_name: Option<String>,
    pub set_by_role: Option<String>,
    pub set_by_hetu: Option<String>,
    pub revoked_by_first_names: Option<String>,
    pub revoked_by_last_name: Option<String>,
    pub revoked_by_role: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DataUseRow {
    pub data_use_id: i64,
    pub event_id: String,
    pub at: DateTime<Utc>,
    pub action: String,
    pub by_name_fi: String,
    pub by_name_sv: String,
    pub registrar_name_fi: String,
    pub registrar_name_sv: String,
    pub document_id: Option<String>,
    pub service: Option<String>,
    pub basis: String,
}

impl DataUseRow {
    /// This event's place in the list (keyset pagination).
    pub fn cursor(&self) -> TimeCursor {
        TimeCursor { at: self.at, id: self.data_use_id }
    }
}

/// `[from, until)` with the open ends closed at dates every stored time lies between, as whole
/// seconds (SQLite compares times as text).
fn period(from: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = from.unwrap_or(DateTime::<Utc>::MIN_UTC).max("1900-01-01T00:00:00Z".parse().expect("valid"));
    let until = until.unwrap_or("9999-01-01T00:00:00Z".parse().expect("valid"));
    (whole_seconds(from), whole_seconds(until))
}

const PROHIBITION_SELECT: &str = "select p.prohibition_row_id, p.prohibition_id, p.person_id, p.target_registrar_id,
       o.oid as target_registrar_oid, o.name_fi as target_registrar_name_fi, o.name_sv as target_registrar_name_sv,
       p.target_service_task, p.target_document_id, p.set_at, coalesce(p.revoked_at, r.revoked_at) as revoked_at,
       s.first_names as set_by_first_names, s.last_name as set_by_last_name, p.set_by_role, s.hetu as set_by_hetu,
       rb.first_names as revoked_by_first_names, rb.last_name as revoked_by_last_name, r.set_by_role as revoked_by_role
     from prohibition p
     left join organisation o on o.organisation_id = p.target_registrar_id
     left join person s on s.person_id = p.set_by_person_id
     left join prohibition_revocation r on r.prohibition_row_id = p.prohibition_row_id
     left join person rb on rb.person_id = r.set_by_person_id ";

impl Store {
    /// The newest informing acknowledgement date: from the feed (`informed_on`) or the portal.
    pub async fn latest_informing(&self, person_id: i64) -> Result<Option<NaiveDate>> {
        let feed: Option<NaiveDate> =
            on_pool!(self, p => sqlx::query_scalar("select informed_on from person where person_id = $1")
            .bind(person_id).fetch_optional(p).await)?
            .flatten();
        let portal: Option<NaiveDate> = on_pool!(self, p => sqlx::query_scalar(
            "select acknowledged_on from informing_acknowledgement where person_id = $1 order by acknowledged_on desc limit 1")
            .bind(person_id).fetch_optional(p).await)?;
        Ok(feed.max(portal))
    }

    pub async fn acknowledge_informing(
        &self,
        person_id: i64,
        on: NaiveDate,
        by: ChoiceBy<'_>,
        audit: &NewAuditEvent<'_>,
    ) -> Result<()> {
        let at = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into informing_acknowledgement (person_id, acknowledged_on, at, set_by_person_id, set_by_role)
             values ($1, $2, $3, $4, $5)")
            .bind(person_id).bind(on).bind(at).bind(by.person_id).bind(by.role).execute(c).await.map(|r| r.rows_affected()))?;
        tx.append_audit(audit).await?;
        tx.commit().await
    }

    /// Every consent change of a person, newest first; the first is the current state.
    pub async fn consents_of(&self, person_id: i64) -> Result<Vec<ConsentRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ConsentRow>(
            "select c.given, c.at, s.first_names as set_by_first_names, s.last_name as set_by_last_name, c.set_by_role,
               s.hetu as set_by_hetu
             from consent c left join person s on s.person_id = c.set_by_person_id
             where c.person_id = $1 order by c.at desc, c.consent_id desc")
            .bind(person_id).fetch_all(p).await)?)
    }

    /// Records a consent change with its audit record, when `changes(current, given)` says it
    /// changes anything; `false` (and nothing written) otherwise. The current state is read inside
    /// the transaction with the subject locked, so two instances deciding at once cannot both
    /// record the same change. The time is made later than the newest earlier change, so history
    /// keeps its order even within one second.
    pub async fn record_consent(
        &self,
        person_id: i64,
        given: bool,
        by: ChoiceBy<'_>,
        audit: &NewAuditEvent<'_>,
        changes: fn(Option<bool>, bool) -> bool,
    ) -> Result<bool> {
        let mut at = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        tx.lock_person(person_id).await?;
        let last: Option<(DateTime<Utc>, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
            "select at, given from consent where person_id = $1 order by at desc, consent_id desc limit 1").bind(person_id).fetch_optional(c).await)?;
        if !changes(last.map(|(_, g)| g), given) {
            return Ok(false);
        }
        if let Some((last_at, _)) = last
            && last_at >= at
        {
            at = last_at + Duration::seconds(1);
        }
        on_tx!(&mut tx, c => sqlx::query(
            "insert into consent (person_id, given, at, set_by_person_id, set_by_role) values ($1, $2, $3, $4, $5)")
            .bind(person_id).bind(given).bind(at).bind(by.person_id).bind(by.role).execute(c).await.map(|r| r.rows_affected()))?;
        tx.append_audit(audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn prohibitions_of(&self, person_id: i64) -> Result<Vec<ProhibitionRow>> {
        const SQL: &str = "where p.person_id = $1 order by p.set_at desc, p.prohibition_row_id desc";
        let sql = sqlx::AssertSqlSafe(format!("{PROHIBITION_SELECT}{SQL}"));
        Ok(on_pool!(self, p => sqlx::query_as::<_, ProhibitionRow>(sql).bind(person_id).fetch_all(p).await)?)
    }

    /// Inserts a prohibition set in the portal with its audit record; `false` (and nothing
    /// written) when the id exists already (a resubmitted form) or the same target is active
    /// already (set meanwhile elsewhere). Checked inside the transaction with the subject locked.
    #[expect(clippy::too_many_arguments, reason = "one column each; the audit record is part of the write")]
    pub async fn insert_prohibition(
        &self,
        prohibition_id: &str,
        person_id: i64,
        registrar_id: Option<i64>,
        service_task: Option<&str>,
        document_id: Option<&str>,
        by: ChoiceBy<'_>,
        audit: &NewAuditEvent<'_>,
    ) -> Result<bool> {
        let at = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        tx.lock_person(person_id).await?;
        // The same target active already (set meanwhile through another instance or tab): nothing.
        let active: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "select count(*) from prohibition p left join prohibition_revocation r on r.prohibition_row_id = p.prohibition_row_id
             where p.person_id = $1 and p.revoked_at is null and r.prohibition_row_id is null
               and coalesce(p.target_registrar_id, -1) = coalesce($2, -1)
               and coalesce(p.target_service_task, '') = coalesce($3, '')
               and coalesce(p.target_document_id, '') = coalesce($4, '')")
            .bind(person_id).bind(registrar_id).bind(service_task).bind(document_id).fetch_one(c).await)?;
        if active > 0 {
            return Ok(false);
        }
        let n = on_tx!(&mut tx, c => sqlx::query(
            "insert into prohibition (prohibition_id, person_id, target_registrar_id, target_service_task, target_document_id,
               set_at, set_by_person_id, set_by_role)
             values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (prohibition_id) do nothing")
            .bind(prohibition_id).bind(person_id).bind(registrar_id).bind(service_task).bind(document_id).bind(at)
            .bind(by.person_id).bind(by.role).execute(c).await.map(|r| r.rows_affected()))?;
        finish_if_changed(tx, n, audit).await
    }

    /// Records the revocation of a prohibition with its audit record; `false` (and nothing written)
    /// if it was revoked already.
    pub async fn revoke_prohibition(
        &self,
        prohibition_row_id: i64,
        by: ChoiceBy<'_>,
        audit: &NewAuditEvent<'_>,
    ) -> Result<bool> {
        let at = whole_seconds(Utc::now());
        let mut tx = self.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "insert into prohibition_revocation (prohibition_row_id, revoked_at, set_by_person_id, set_by_role)
             values ($1, $2, $3, $4) on conflict (prohibition_row_id) do nothing")
            .bind(prohibition_row_id).bind(at).bind(by.person_id).bind(by.role).execute(c).await.map(|r| r.rows_affected()))?;
        finish_if_changed(tx, n, audit).await
    }

    /// Data-use events about a person, newest first, within `[from, until)` when given.
    pub async fn data_use_of(
        &self,
        person_id: i64,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<DataUseRow>> {
        self.data_use_page(person_id, from, until, None, false, i64::MAX).await
    }

    /// How many data-use events about a person there are within `[from, until)`, by document and
    /// service: what decides whether an event is shown, so that the shown ones can be counted
    /// without reading them all.
    pub async fn data_use_counts(
        &self,
        person_id: i64,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Option<String>, Option<String>, i64)>> {
        let (from, until) = period(from, until);
        Ok(on_pool!(self, p => sqlx::query_as::<_, (Option<String>, Option<String>, i64)>(
            "select document_id, service, count(*) from data_use where person_id = $1 and at >= $2 and at < $3 group by document_id, service")
            .bind(person_id).bind(from).bind(until).fetch_all(p).await)?)
    }

    /// A page of data-use events about a person within `[from, until)` when given, newest first:
    /// `limit` events older than `cursor` (from the newest without one), or with `newer` the
    /// `limit` events just newer than it (still returned newest first). Keyset pagination through
    /// the index on (person, time): a later page costs what the first does.
    pub async fn data_use_page(
        &self,
        person_id: i64,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        cursor: Option<TimeCursor>,
        newer: bool,
        limit: i64,
    ) -> Result<Vec<DataUseRow>> {
        const SELECT: &str = "select d.data_use_id, d.event_id, d.at, d.action, b.name_fi as by_name_fi, b.name_sv as by_name_sv,
               r.name_fi as registrar_name_fi, r.name_sv as registrar_name_sv, d.document_id, d.service, d.basis
             from data_use d join organisation b on b.organisation_id = d.by_id join organisation r on r.organisation_id = d.registrar_id
             where d.person_id = $1 and d.at >= $2 and d.at < $3";
        let (from, until) = period(from, until);
        let newer = newer && cursor.is_some();
        // Without a cursor: from after the last possible event.
        let c =
            cursor.unwrap_or(TimeCursor { at: "9999-12-31T23:59:59Z".parse().expect("a valid time"), id: i64::MAX });
        let sql = if newer {
            format!("{SELECT} and (d.at, d.data_use_id) > ($4, $5) order by d.at, d.data_use_id limit $6")
        } else {
            format!("{SELECT} and (d.at, d.data_use_id) < ($4, $5) order by d.at desc, d.data_use_id desc limit $6")
        };
        let mut rows: Vec<DataUseRow> = on_pool!(self, p => sqlx::query_as::<_, DataUseRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(person_id).bind(from).bind(until).bind(whole_seconds(c.at)).bind(c.id).bind(limit)
            .fetch_all(p).await)?;
        if newer {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Consent changes made in the portal since `since`, oldest first, with the person's code.
    pub async fn portal_consents_since(&self, since: DateTime<Utc>) -> Result<Vec<(String, ConsentRow)>> {
        /// The subject's code, given, when, and the setter's names, role and code.
        type Row = (String, bool, DateTime<Utc>, Option<String>, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "select subj.hetu, c.given, c.at, s.first_names, s.last_name, c.set_by_role, s.hetu
             from consent c join person subj on subj.person_id = c.person_id join person s on s.person_id = c.set_by_person_id
             where c.at >= $1 order by c.at, c.consent_id")
            .bind(whole_seconds(since)).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(hetu, given, at, f, l, role, by_hetu)| {
                (
                    hetu,
                    ConsentRow {
                        given,
                        at,
                        set_by_first_names: f,
                        set_by_last_name: l,
                        set_by_role: role,
                        set_by_hetu: by_hetu,
                    },
                )
            })
            .collect())
    }

    /// Prohibitions set or revoked in the portal since `since`, with the person's code.
    pub async fn portal_prohibitions_since(&self, since: DateTime<Utc>) -> Result<Vec<(String, ProhibitionRow)>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "select subj.hetu as subject_hetu, x.* from ({PROHIBITION_SELECT}) x join person subj on subj.person_id = x.person_id
             where (x.set_by_role is not null and x.set_at >= $1) or (x.revoked_by_role is not null and x.revoked_at >= $1)
             order by x.set_at, x.prohibition_row_id"
        ));
        let rows: Vec<ProhibitionWithSubject> = on_pool!(self, p => sqlx::query_as::<_, ProhibitionWithSubject>(sql)
            .bind(whole_seconds(since)).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| (r.subject_hetu, r.row)).collect())
    }
}

/// Commits a change with its audit record when a row was written; otherwise rolls back.
async fn finish_if_changed(mut tx: super::Tx<'_>, rows: u64, audit: &NewAuditEvent<'_>) -> Result<bool> {
    if rows != 1 {
        return Ok(false); // dropped: rolled back
    }
    tx.append_audit(audit).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct ProhibitionWithSubject {
    subject_hetu: String,
    #[sqlx(flatten)]
    row: ProhibitionRow,
}
