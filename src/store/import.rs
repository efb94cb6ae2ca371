//! Writing the archive feed: look-ups for references the file does not define, and idempotent upserts
//! keyed as DESIGN §3 says. The caller holds one transaction for the whole file.

use std::collections::{BTreeMap, HashMap};

use crate::domain::archive::*;

use super::{on_tx, Result, Tx};

/// Records read per type, for the import summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportCounts(pub BTreeMap<&'static str, usize>);

/// Database ids already resolved during this import.
#[derive(Default)]
pub struct IdCache {
    persons: HashMap<String, i64>,
    organisations: HashMap<String, i64>,
}

impl Tx {
    pub async fn person_id(&mut self, hetu: &str) -> Result<Option<i64>> {
        Ok(on_tx!(self, c => sqlx::query_scalar("select person_id from person where hetu = $1").bind(hetu).fetch_optional(c).await)?)
    }

    pub async fn organisation_id(&mut self, oid: &str) -> Result<Option<i64>> {
        Ok(on_tx!(self, c => sqlx::query_scalar("select organisation_id from organisation where oid = $1").bind(oid).fetch_optional(c).await)?)
    }

    /// The henkilötunnus of the person a stored document belongs to.
    pub async fn document_owner(&mut self, document_id: &str) -> Result<Option<String>> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "select p.hetu from document d join person p on p.person_id = d.person_id where d.document_id = $1 limit 1")
            .bind(document_id).fetch_optional(c).await)?)
    }

    async fn pid(&mut self, ids: &mut IdCache, hetu: &str) -> Result<i64> {
        if let Some(id) = ids.persons.get(hetu) {
            return Ok(*id);
        }
        let id = self.person_id(hetu).await?.ok_or_else(|| missing("person"))?;
        ids.persons.insert(hetu.to_string(), id);
        Ok(id)
    }

    async fn oid(&mut self, ids: &mut IdCache, oid: &str) -> Result<i64> {
        if let Some(id) = ids.organisations.get(oid) {
            return Ok(*id);
        }
        let id = self.organisation_id(oid).await?.ok_or_else(|| missing("organisation"))?;
        ids.organisations.insert(oid.to_string(), id);
        Ok(id)
    }

    /// Upserts one checked record. References were checked before, so a missing one is a bug.
    pub async fn write(&mut self, record: &Record, ids: &mut IdCache) -> Result<()> {
        match record {
            Record::Organisation(r) => {
                let id: i64 = on_tx!(self, c => sqlx::query_scalar(
                    "insert into organisation (oid, name_fi, name_sv, joined_kanta_on) values ($1, $2, $3, $4)
                     on conflict (oid) do update set name_fi = excluded.name_fi, name_sv = excluded.name_sv,
                       joined_kanta_on = excluded.joined_kanta_on
                     returning organisation_id")
                    .bind(&r.oid).bind(&r.name_fi).bind(&r.name_sv).bind(r.joined_kanta_on).fetch_one(c).await)?;
                ids.organisations.insert(r.oid.clone(), id);
            }
            Record::Person(r) => {
                let id: i64 = on_tx!(self, c => sqlx::query_scalar(
                    "insert into person (hetu, first_names, last_name, birth_date, non_disclosure, taken_into_care, informed_on)
                     values ($1, $2, $3, $4, $5, $6, $7)
                     on conflict (hetu) do update set first_names = excluded.first_names, last_name = excluded.last_name,
                       non_disclosure = excluded.non_disclosure, taken_into_care = excluded.taken_into_care,
                       informed_on = excluded.informed_on
                     returning person_id")
                    .bind(r.hetu.as_str()).bind(&r.first_names).bind(&r.last_name).bind(r.hetu.birth_date())
                    .bind(r.non_disclosure).bind(r.taken_into_care).bind(r.informed_on).fetch_one(c).await)?;
                ids.persons.insert(r.hetu.as_str().to_string(), id);
            }
            Record::Guardianship(r) => {
                let g = self.pid(ids, r.guardian.as_str()).await?;
                let ch = self.pid(ids, r.child.as_str()).await?;
                on_tx!(self, c => sqlx::query(
                    "insert into guardianship (guardian_id, child_id, kind, valid_from, valid_until) values ($1, $2, $3, $4, $5)
                     on conflict (guardian_id, child_id, kind) do update set valid_from = excluded.valid_from, valid_until = excluded.valid_until")
                    .bind(g).bind(ch).bind(r.kind.code()).bind(r.valid_from).bind(r.valid_until).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::Mandate(r) => {
                let p = self.pid(ids, r.principal.as_str()).await?;
                let a = self.pid(ids, r.agent.as_str()).await?;
                on_tx!(self, c => sqlx::query(
                    "insert into mandate (principal_id, agent_id, valid_from, valid_until) values ($1, $2, $3, $4)
                     on conflict (principal_id, agent_id, valid_from) do update set valid_until = excluded.valid_until")
                    .bind(p).bind(a).bind(r.valid_from).bind(r.valid_until).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::ClientRelationship(r) => {
                let p = self.pid(ids, r.person.as_str()).await?;
                let reg = self.oid(ids, &r.registrar).await?;
                let w = r.own_worker.clone().unwrap_or_default();
                let name = r.own_worker.as_ref().map(|w| w.name.clone());
                on_tx!(self, c => sqlx::query(
                    "insert into client_relationship (person_id, registrar_id, service_task, started_on, ended_on,
                       worker_name, worker_title, worker_unit, worker_phone, worker_email, service, hidden_from_guardians)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     on conflict (person_id, registrar_id, service_task, started_on) do update set ended_on = excluded.ended_on,
                       service = excluded.service, hidden_from_guardians = excluded.hidden_from_guardians,
                       worker_name = excluded.worker_name, worker_title = excluded.worker_title, worker_unit = excluded.worker_unit,
                       worker_phone = excluded.worker_phone, worker_email = excluded.worker_email")
                    .bind(p).bind(reg).bind(r.service_task.code()).bind(r.started_on).bind(r.ended_on)
                    .bind(&name).bind(&w.title).bind(&w.unit).bind(&w.phone).bind(&w.email)
                    .bind(r.service.map(|s| s.code())).bind(r.hidden_from_guardians).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::VisibilityStart(r) => {
                let reg = self.oid(ids, &r.registrar).await?;
                let task = r.service_task.map_or("", |t| t.code());
                on_tx!(self, c => sqlx::query(
                    "insert into visibility_start (registrar_id, service_task, from_date) values ($1, $2, $3)
                     on conflict (registrar_id, service_task) do update set from_date = excluded.from_date")
                    .bind(reg).bind(task).bind(r.from).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::Document(r) => {
                let p = self.pid(ids, r.person.as_str()).await?;
                let reg = self.oid(ids, &r.registrar).await?;
                let sections = serde_json::to_string(&r.sections).expect("sections serialise");
                on_tx!(self, c => sqlx::query(
                    "insert into document (document_id, version, person_id, registrar_id, service_task, service, kind, phase,
                       status, joint_matter, document_created_at, title, language, author, unit, sections, delayed_until,
                       special_content, hidden_from_guardians, attachment_of)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
                     on conflict (document_id, version) do update set person_id = excluded.person_id,
                       registrar_id = excluded.registrar_id, service_task = excluded.service_task, service = excluded.service,
                       kind = excluded.kind, phase = excluded.phase, status = excluded.status, joint_matter = excluded.joint_matter,
                       document_created_at = excluded.document_created_at, title = excluded.title, language = excluded.language,
                       author = excluded.author, unit = excluded.unit, sections = excluded.sections,
                       delayed_until = excluded.delayed_until, special_content = excluded.special_content,
                       hidden_from_guardians = excluded.hidden_from_guardians, attachment_of = excluded.attachment_of")
                    .bind(&r.id).bind(r.version).bind(p).bind(reg).bind(r.service_task.code()).bind(r.service.map(|s| s.code()))
                    .bind(r.kind.code()).bind(r.phase).bind(r.status.code()).bind(r.joint_matter).bind(r.created_at)
                    .bind(&r.title).bind(r.language.code()).bind(&r.author).bind(&r.unit).bind(&sections)
                    .bind(r.delayed_until).bind(r.special_content).bind(r.hidden_from_guardians).bind(&r.attachment_of).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::DataUse(r) => {
                let p = self.pid(ids, r.person.as_str()).await?;
                let by = self.oid(ids, &r.by).await?;
                let reg = self.oid(ids, &r.registrar).await?;
                on_tx!(self, c => sqlx::query(
                    "insert into data_use (event_id, person_id, at, action, by_id, registrar_id, document_id, basis, service)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     on conflict (event_id) do update set person_id = excluded.person_id, at = excluded.at, action = excluded.action,
                       by_id = excluded.by_id, registrar_id = excluded.registrar_id, document_id = excluded.document_id,
                       basis = excluded.basis, service = excluded.service")
                    .bind(&r.id).bind(p).bind(r.at).bind(r.action.code()).bind(by).bind(reg).bind(&r.document)
                    .bind(r.basis.code()).bind(r.service.map(|s| s.code())).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::Consent(r) => {
                let p = self.pid(ids, r.person.as_str()).await?;
                let (by, role) = self.set_by(ids, &r.set_by).await?;
                on_tx!(self, c => sqlx::query(
                    "insert into consent (person_id, given, at, set_by_person_id, set_by_role) values ($1, $2, $3, $4, $5)
                     on conflict (person_id, at) do update set given = excluded.given,
                       set_by_person_id = excluded.set_by_person_id, set_by_role = excluded.set_by_role")
                    .bind(p).bind(r.given).bind(r.at).bind(by).bind(role).execute(c).await.map(|r| r.rows_affected()))?;
            }
            Record::Prohibition(r) => {
                let p = self.pid(ids, r.person.as_str()).await?;
                let (by, role) = self.set_by(ids, &r.set_by).await?;
                let (reg, task, doc) = match &r.target {
                    ProhibitionTarget::Registrar(oid) => (Some(self.oid(ids, oid).await?), None, None),
                    ProhibitionTarget::ServiceTask(t) => (None, Some(t.code()), None),
                    ProhibitionTarget::Document(d) => (None, None, Some(d.as_str())),
                };
                on_tx!(self, c => sqlx::query(
                    "insert into prohibition (prohibition_id, person_id, target_registrar_id, target_service_task,
                       target_document_id, set_at, revoked_at, set_by_person_id, set_by_role)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     on conflict (prohibition_id) do update set person_id = excluded.person_id,
                       target_registrar_id = excluded.target_registrar_id, target_service_task = excluded.target_service_task,
                       target_document_id = excluded.target_document_id, set_at = excluded.set_at,
                       revoked_at = excluded.revoked_at, set_by_person_id = excluded.set_by_person_id,
                       set_by_role = excluded.set_by_role")
                    .bind(&r.id).bind(p).bind(reg).bind(task).bind(doc).bind(r.set_at).bind(r.revoked_at)
                    .bind(by).bind(role).execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        Ok(())
    }

    async fn set_by(&mut self, ids: &mut IdCache, set_by: &Option<SetBy>) -> Result<(Option<i64>, Option<&'static str>)> {
        Ok(match set_by {
            Some(s) => (Some(self.pid(ids, s.hetu.as_str()).await?), Some(s.role.code())),
            None => (None, None),
        })
    }
}

fn missing(what: &str) -> super::StoreError {
    super::StoreError::Database(sqlx::Error::Protocol(format!("checked {what} reference vanished during import")))
}
