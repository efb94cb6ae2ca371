//! Read queries for the pages. Rows are plain data; the rules that decide what a viewer may see
//! live in `domain`, never here.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Result, Store, on_pool};

/// A person as stored.
#[derive(Debug, Clone, sqlx::FromRow, Deserialize)]
pub struct PersonRow {
    pub person_id: i64,
    pub hetu: String,
    pub first_names: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    #[serde(deserialize_with = "json_bool")]
    pub non_disclosure: bool,
    #[serde(deserialize_with = "json_bool")]
    pub taken_into_care: bool,
    pub informed_on: Option<NaiveDate>,
}

impl PersonRow {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_names, self.last_name)
    }

    /// The first given name, as a greeting uses it.
    pub fn first_name(&self) -> &str {
        self.first_names.split_whitespace().next().unwrap_or(&self.first_names)
    }

    pub fn facts(&self) -> crate::domain::roles::PersonFacts {
        crate::domain::roles::PersonFacts {
            birth_date: self.birth_date,
            non_disclosure: self.non_disclosure,
            taken_into_care: self.taken_into_care,
        }
    }
}

/// The columns of [`PersonRow`], written once (a macro, so `concat!` can use it).
macro_rules! person_columns {
    () => {
        "person_id, hetu, first_names, last_name, birth_date, non_disclosure, taken_into_care, informed_on"
    };
}

/// A signed-in person, the archive version of the database (see `store::cache`) and
/// every guardianship and mandate link of the person with the linked people — what every request
/// needs to decide whose data it may show. Read with the session itself, in the same query
/// (`store::sessions`), as one JSON object both backends build alike.
#[derive(Debug, Clone, Deserialize)]
pub struct SignedInRow {
    pub person: PersonRow,
    pub reference_version: i64,
    pub links: Vec<LinkedPersonRow>,
}

/// The actor's links with the linked people, for the actor id expression `$actor` (`$1`, or a
/// column of the surrounding query).
macro_rules! links_of_actor {
    ($actor:literal) => {
        concat!(
            "(select child_id as person_id, kind, valid_from, valid_until from guardianship where guardian_id = ",
            $actor,
            "
          union all
          select principal_id, 'mandate', valid_from, valid_until from mandate where agent_id = ",
            $actor,
            ") l"
        )
    };
}

/// The fields of [`PersonRow`] of table alias `$t` as `'name', t.name` pairs, for a JSON object.
macro_rules! person_json_fields {
    ($t:literal) => {
        concat!(
            "'person_id', ",
            $t,
            ".person_id, 'hetu', ",
            $t,
            ".hetu, 'first_names', ",
            $t,
            ".first_names, 'last_name', ",
            $t,
            ".last_name, 'birth_date', ",
            $t,
            ".birth_date, 'non_disclosure', ",
            $t,
            ".non_disclosure, 'taken_into_care', ",
            $t,
            ".taken_into_care, 'informed_on', ",
            $t,
            ".informed_on"
        )
    };
}

/// The sessions whose keys `$1` holds (a group of requests', see [`super::lane`]) that have not
/// expired at `$2`: each one's key, `state`, and its signed-in person as a [`SignedInRow`] in JSON
/// (`signed_in`, null when no one is signed in or the person is gone), in a backend's JSON
/// functions: the object and array builders, what wraps the links' subquery (SQLite loses a
/// subquery's JSON type, hence `json(…)`; PostgreSQL's `json_agg` of no rows is null), the cast to
/// text, and how the keys are matched (a JSON array in SQLite, a text array in PostgreSQL).
macro_rules! session_query {
    ($object:literal, $array:literal, $links_open:literal, $links_close:literal, $cast:literal, $keys:literal) => {
        concat!(
            "select s.session_key, s.state, case when a.person_id is null then null else ",
            $object,
            "(
               'person', ",
            $object,
            "(",
            person_json_fields!("a"),
            "),
               'reference_version', (select version from reference_version),
               'links', ",
            $links_open,
            $array,
            "(",
            $object,
            "(
                   'person', ",
            $object,
            "(",
            person_json_fields!("p"),
            "),
                   'link', ",
            $object,
            "('kind', l.kind, 'valid_from', l.valid_from, 'valid_until', l.valid_until)))
                 from ",
            links_of_actor!("s.person_id"),
            " join person p on p.person_id = l.person_id",
            $links_close,
            ")",
            $cast,
            " end as signed_in
             from http_session s left join person a on a.person_id = s.person_id
             where s.session_key ",
            $keys,
            " and s.expires_at > $2"
        )
    };
}

pub(super) const SESSION_SQLITE: &str = session_query!(
    "json_object",
    "json_group_array",
    "json((select ",
    "))",
    "",
    "in (select value from json_each($1))"
);
pub(super) const SESSION_POSTGRES: &str =
    session_query!("json_build_object", "json_agg", "coalesce((select ", "), '[]'::json)", "::text", "= any($1)");

impl SignedInRow {
    /// The links ordered by the linked person's name, a person's links together (byte order, as
    /// the C collation sorts them).
    pub fn sorted(mut self) -> Self {
        self.links.sort_by(|a, b| {
            (&a.person.last_name, &a.person.first_names, a.person.person_id).cmp(&(
                &b.person.last_name,
                &b.person.first_names,
                b.person.person_id,
            ))
        });
        self
    }
}

impl Store {
    pub async fn person(&self, person_id: i64) -> Result<Option<PersonRow>> {
        const SQL: &str = concat!("select ", person_columns!(), " from person where person_id = $1");
        Ok(on_pool!(self, p => sqlx::query_as::<_, PersonRow>(SQL).bind(person_id).fetch_optional(p).await)?)
    }

    pub async fn person_by_hetu(&self, hetu: &str) -> Result<Option<PersonRow>> {
        const SQL: &str = concat!("select ", person_columns!(), " from person where hetu = $1");
        Ok(on_pool!(self, p => sqlx::query_as::<_, PersonRow>(SQL).bind(hetu).fetch_optional(p).await)?)
    }

    /// The person who has just signed in. Someone the archive does not know is added with the
    /// names from the identity provider and no records, so that the audit trail and their own
    /// choices have a person to refer to; an archive import later brings the population data.
    pub async fn person_for_sign_in(
        &self,
        hetu: &crate::domain::hetu::Hetu,
        first_names: &str,
        last_name: &str,
    ) -> Result<PersonRow> {
        if let Some(p) = self.person_by_hetu(hetu.as_str()).await? {
            return Ok(p);
        }
        on_pool!(self, p => sqlx::query(
            "insert into person (hetu, first_names, last_name, birth_date) values ($1, $2, $3, $4) on conflict (hetu) do nothing")
            .bind(hetu.as_str()).bind(first_names).bind(last_name).bind(hetu.birth_date()).execute(p).await.map(|r| r.rows_affected()))?;
        self.person_by_hetu(hetu.as_str()).await?.ok_or_else(|| super::StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// Whether any person's identity code lies outside the test range (individual number 900–999):
    /// demo mode refuses to run on such a database.
    pub async fn holds_real_identity_codes(&self) -> Result<bool> {
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(
            "select count(*) from person where substr(hetu, 8, 1) <> '9'").fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// Marks the database as a demo database (`demo` does, every time it starts).
    pub async fn mark_demo_database(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("insert into demo_database (id, marked_at) values (1, $1) on conflict (id) do nothing")
            .bind(chrono::Utc::now().to_rfc3339()).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Whether `demo` has run on this database.
    pub async fn is_demo_database(&self) -> Result<bool> {
        let n: i64 = on_pool!(self, p => sqlx::query_scalar("select count(*) from demo_database").fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// Everybody, by name: only the demo sign-in page lists people.
    pub async fn all_people(&self) -> Result<Vec<PersonRow>> {
        const SQL: &str =
            concat!("select ", person_columns!(), " from person order by last_name, first_names, person_id");
        Ok(on_pool!(self, p => sqlx::query_as::<_, PersonRow>(SQL).fetch_all(p).await)?)
    }

    /// Row counts of the archive tables, for the import summary and tests.
    pub async fn table_counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for (table, sql) in [
            ("organisation", "select count(*) from organisation"),
            ("person", "select count(*) from person"),
            ("guardianship", "select count(*) from guardianship"),
            ("mandate", "select count(*) from mandate"),
            ("client_relationship", "select count(*) from client_relationship"),
            ("visibility_start", "select count(*) from visibility_start"),
            ("document", "select count(*) from document"),
            ("data_use", "select count(*) from data_use"),
            ("consent", "select count(*) from consent"),
            ("prohibition", "select count(*) from prohibition"),
        ] {
            let n: i64 = on_pool!(self, p => sqlx::query_scalar(sql).fetch_one(p).await)?;
            out.push((table, n));
        }
        Ok(out)
    }
}

/// One stored version of a document, with its registrar's names.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct DocumentRow {
    pub document_id: String,
    pub version: i32,
    pub person_id: i64,
    pub registrar_id: i64,
    pub registrar_oid: String,
    pub registrar_name_fi: String,
    pub registrar_name_sv: String,
    pub service_task: String,
    pub service: Option<String>,
    pub kind: String,
    pub phase: i32,
    pub status: String,
    #[serde(deserialize_with = "json_bool")]
    pub joint_matter: bool,
    pub document_created_at: chrono::DateTime<chrono::Utc>,
    pub title: String,
    pub language: String,
    pub author: String,
    pub unit: String,
    pub delayed_until: Option<NaiveDate>,
    #[serde(deserialize_with = "json_bool")]
    pub special_content: bool,
    #[serde(deserialize_with = "json_bool")]
    pub hidden_from_guardians: bool,
    /// The parent document's id when this is an attachment.
    pub attachment_of: Option<String>,
    /// When the registrar joined Kanta, when known (rule 2).
    pub registrar_joined_kanta_on: Option<NaiveDate>,
}

/// A document's columns without its text (pages that list documents need none; the document page
/// reads one text with [`Store::document_sections`]).
macro_rules! document_select {
    () => {
        concat!("select d.document_id, d.version, d.person_id, d.registrar_id, o.oid as registrar_oid, o.name_fi as registrar_name_fi,
           o.name_sv as registrar_name_sv, d.service_task, d.service, d.kind, d.phase, d.status, d.joint_matter,
           d.document_created_at, d.title, d.language, d.author, d.unit, d.delayed_until,
           d.special_content, d.hidden_from_guardians, d.attachment_of, o.joined_kanta_on as registrar_joined_kanta_on
         from document d join organisation o on o.organisation_id = d.registrar_id ")
    };
}

/// The fields of [`DocumentRow`] as `'name', r.name` pairs, for a JSON object per row.
macro_rules! document_json_fields {
    () => {
        "'document_id', r.document_id, 'version', r.version, 'person_id', r.person_id, 'registrar_id', r.registrar_id,
         'registrar_oid', r.registrar_oid, 'registrar_name_fi', r.registrar_name_fi, 'registrar_name_sv', r.registrar_name_sv,
         'service_task', r.service_task, 'service', r.service, 'kind', r.kind, 'phase', r.phase, 'status', r.status,
         'joint_matter', r.joint_matter, 'document_created_at', r.document_created_at, 'title', r.title,
         'language', r.language, 'author', r.author, 'unit', r.unit,
         'delayed_until', r.delayed_until, 'special_content', r.special_content,
         'hidden_from_guardians', r.hidden_from_guardians, 'attachment_of', r.attachment_of,
         'registrar_joined_kanta_on', r.registrar_joined_kanta_on"
    };
}

/// The relationships of person `$1`, newest first.
macro_rules! relationships_select {
    () => {
        "select c.registrar_id, o.oid as registrar_oid, o.name_fi as registrar_name_fi, o.name_sv as registrar_name_sv, c.service_task,
           c.service, c.hidden_from_guardians, c.started_on, c.ended_on, c.worker_name, c.worker_title, c.worker_unit, c.worker_phone, c.worker_email
         from client_relationship c join organisation o on o.organisation_id = c.registrar_id
         where c.person_id = $1 order by c.started_on desc, c.client_relationship_id"
    };
}

/// The fields of [`ClientRelationshipRow`] as `'name', r.name` pairs.
macro_rules! relationship_json_fields {
    () => {
        "'registrar_id', r.registrar_id, 'registrar_oid', r.registrar_oid, 'registrar_name_fi', r.registrar_name_fi,
         'registrar_name_sv', r.registrar_name_sv, 'service_task', r.service_task, 'service', r.service,
         'hidden_from_guardians', r.hidden_from_guardians, 'started_on', r.started_on, 'ended_on', r.ended_on,
         'worker_name', r.worker_name, 'worker_title', r.worker_title, 'worker_unit', r.worker_unit,
         'worker_phone', r.worker_phone, 'worker_email', r.worker_email"
    };
}

/// A boolean from JSON: `true`/`false` (PostgreSQL) or `1`/`0` (SQLite stores booleans as integers).
fn json_bool<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Ok(b),
        serde_json::Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        serde_json::Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        other => Err(serde::de::Error::custom(format!("not a boolean: {other}"))),
    }
}

fn read_contact<T: serde::de::DeserializeOwned>(organisation_id: i64, stored: Option<String>) -> Option<T> {
    let text = stored?;
    serde_json::from_str(&text)
        .map_err(|e| tracing::error!(organisation_id, error = %e, "stored contact unreadable"))
        .ok()
}

/// An organisation's contact details (DESIGN §3 `contact`, `data_protection_contact`).
#[derive(Debug, Clone, Default)]
pub struct OrganisationContacts {
    pub contact: Option<crate::domain::archive::Contact>,
    pub data_protection: Option<crate::domain::archive::DataProtectionContact>,
}

/// A registrar's publication start date; `service_task` is `None` for all its tasks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisibilityStartRow {
    pub registrar_id: i64,
    /// '' in the database for the registrar-wide date.
    pub service_task: String,
    pub from_date: NaiveDate,
}

/// A client relationship (asiakkuus / klientrelation) with the own worker, as stored.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct ClientRelationshipRow {
    pub registrar_id: i64,
    pub registrar_oid: String,
    pub registrar_name_fi: String,
    pub registrar_name_sv: String,
    pub service_task: String,
    /// A specific social service (rule 3 applies: a shelter relationship is never shown).
    pub service: Option<String>,
    #[serde(deserialize_with = "json_bool")]
    pub hidden_from_guardians: bool,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub worker_name: Option<String>,
    pub worker_title: Option<String>,
    pub worker_unit: Option<String>,
    pub worker_phone: Option<String>,
    pub worker_email: Option<String>,
}

/// A person the actor has a link to, with that link.
#[derive(Debug, Clone, sqlx::FromRow, Deserialize)]
pub struct LinkedPersonRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    #[sqlx(flatten)]
    pub link: LinkRow,
}

/// A guardianship or mandate link between two people, for the role rules.
#[derive(Debug, Clone, sqlx::FromRow, Deserialize)]
pub struct LinkRow {
    pub kind: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

impl Store {
    /// Every version of every document of a person, without their text (a client may have
    /// thousands) — the rules pick the current versions — and the person's client relationships.
    ///
    /// On SQLite both come in one round trip as two JSON arrays in one row: sqlx-sqlite hands
    /// every query and every row from the connection's thread to the request's one separately,
    /// and on the service-task page those hand-offs cost more than the queries (1 300 pages/s with
    /// 24 document rows, 2 100 with two). PostgreSQL sends rows in one network reply; building
    /// JSON on the server measured slower there.
    pub async fn subject_rows(&self, person_id: i64) -> Result<(Vec<DocumentRow>, Vec<ClientRelationshipRow>)> {
        let (documents, relationships): (String, String) = match self {
            Store::Sqlite(p) => {
                const SQL: &str = concat!(
                    "select (select coalesce(json_group_array(json_object(",
                    document_json_fields!(),
                    ")), '[]') from (",
                    document_select!(),
                    "where d.person_id = $1 order by d.document_id, d.version) r), ",
                    "(select coalesce(json_group_array(json_object(",
                    relationship_json_fields!(),
                    ")), '[]') from (",
                    relationships_select!(),
                    ") r)"
                );
                sqlx::query_as(SQL).bind(person_id).fetch_one(p).await?
            }
            Store::Postgres(p) => {
                const DOCUMENTS: &str =
                    concat!(document_select!(), "where d.person_id = $1 order by d.document_id, d.version");
                let documents = sqlx::query_as::<_, DocumentRow>(DOCUMENTS).bind(person_id).fetch_all(p).await?;
                let relationships = sqlx::query_as::<_, ClientRelationshipRow>(relationships_select!())
                    .bind(person_id)
                    .fetch_all(p)
                    .await?;
                return Ok((documents, relationships));
            }
        };
        let decode = |e: serde_json::Error| super::StoreError::Database(sqlx::Error::Decode(e.into()));
        let mut documents: Vec<DocumentRow> = serde_json::from_str(&documents).map_err(decode)?;
        let mut relationships: Vec<ClientRelationshipRow> = serde_json::from_str(&relationships).map_err(decode)?;
        // SQLite keeps a subquery's order in practice, but does not promise it.
        documents.sort_by(|a, b| (&a.document_id, a.version).cmp(&(&b.document_id, b.version)));
        relationships.sort_by_key(|r| std::cmp::Reverse(r.started_on));
        Ok((documents, relationships))
    }

    /// The text of one version of a document: JSON list of `{heading, body}`.
    pub async fn document_sections(&self, document_id: &str, version: i32) -> Result<Option<String>> {
        Ok(
            on_pool!(self, p => sqlx::query_scalar("select sections from document where document_id = $1 and version = $2")
            .bind(document_id).bind(version).fetch_optional(p).await)?,
        )
    }

    /// The contact details of every organisation that has any (hundreds of rows at most), by id.
    /// A stored value that no longer reads as a contact is left out (and logged): the pages then
    /// simply show no contact, never a broken one.
    pub async fn organisation_contacts(&self) -> Result<std::collections::HashMap<i64, OrganisationContacts>> {
        let rows: Vec<(i64, Option<String>, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "select organisation_id, contact, data_protection_contact from organisation
             where contact is not null or data_protection_contact is not null").fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, contact, dp)| {
                let c =
                    OrganisationContacts { contact: read_contact(id, contact), data_protection: read_contact(id, dp) };
                (c.contact.is_some() || c.data_protection.is_some()).then_some((id, c))
            })
            .collect())
    }

    /// The texts of the given document versions, by document id (a batch of the download).
    pub async fn document_sections_of(
        &self,
        keys: &[(String, i32)],
    ) -> Result<std::collections::HashMap<String, String>> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(String, String)> = on_pool!(self, p => {
            let mut qb = sqlx::QueryBuilder::new("select document_id, sections from document where (document_id, version) in ");
            qb.push_tuples(keys.iter(), |mut b, (id, version)| {
                b.push_bind(id).push_bind(*version);
            });
            qb.build_query_as().fetch_all(p).await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// All publication start dates (a small table: one or a few rows per registrar).
    pub async fn visibility_starts(&self) -> Result<Vec<VisibilityStartRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, VisibilityStartRow>(
            "select registrar_id, service_task, from_date from visibility_start").fetch_all(p).await)?)
    }

    /// Guardianships (kind `guardian`/`information_right`) where `actor` is the guardian of
    /// `subject`, and mandates (kind `mandate`) from `subject` to `actor`.
    pub async fn links(&self, actor_id: i64, subject_id: i64) -> Result<Vec<LinkRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, LinkRow>(
            "select kind, valid_from, valid_until from guardianship where guardian_id = $1 and child_id = $2
             union all
             select 'mandate' as kind, valid_from, valid_until from mandate where agent_id = $1 and principal_id = $2")
            .bind(actor_id).bind(subject_id).fetch_all(p).await)?)
    }

    /// Every guardianship and mandate link of the actor (whether valid today or not), each with
    /// the linked person, in one query: the candidates the role rules then decide on. Ordered by
    /// the person's name, a person's links together.
    pub async fn links_of(&self, actor_id: i64) -> Result<Vec<LinkedPersonRow>> {
        const SQL: &str = concat!(
            "select p.person_id, p.hetu, p.first_names, p.last_name, p.birth_date, p.non_disclosure,
              p.taken_into_care, p.informed_on, l.kind, l.valid_from, l.valid_until
            from ",
            links_of_actor!("$1"),
            "
            join person p on p.person_id = l.person_id
            order by p.last_name, p.first_names, p.person_id"
        );
        Ok(on_pool!(self, p => sqlx::query_as::<_, LinkedPersonRow>(SQL).bind(actor_id).fetch_all(p).await)?)
    }
}
