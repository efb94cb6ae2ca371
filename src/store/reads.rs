//! Read queries for the pages. Rows are plain data; the rules that decide what a viewer may see
//! live in `domain`, never here.

use chrono::NaiveDate;

use super::{on_pool, Result, Store};

/// A person as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub person_id: i64,
    pub hetu: String,
    pub first_names: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub non_disclosure: bool,
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

impl Store {
    pub async fn person(&self, person_id: i64) -> Result<Option<PersonRow>> {
        const SQL: &str = concat!("select ", person_columns!(), " from person where person_id = $1");
        Ok(on_pool!(self, p => sqlx::query_as::<_, PersonRow>(SQL).bind(person_id).fetch_optional(p).await)?)
    }

    pub async fn person_by_hetu(&self, hetu: &str) -> Result<Option<PersonRow>> {
        const SQL: &str = concat!("select ", person_columns!(), " from person where hetu = $1");
        Ok(on_pool!(self, p => sqlx::query_as::<_, PersonRow>(SQL).bind(hetu).fetch_optional(p).await)?)
    }

    /// Everybody, by name: only the demo sign-in page lists people.
    pub async fn all_people(&self) -> Result<Vec<PersonRow>> {
        const SQL: &str = concat!("select ", person_columns!(), " from person order by last_name, first_names, person_id");
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
