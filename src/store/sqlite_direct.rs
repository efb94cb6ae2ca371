//! SQLite statements run directly through SQLite's C interface, for the import's hot loop only.
//!
//! Through sqlx every row of a multi-row insert is copied into an argument buffer, sent to the
//! connection's worker thread, bound, and its answer sent back; and a multi-row insert that may
//! abort half-way makes SQLite keep a statement journal of every page it touches. At millions of
//! feed lines that was most of the import's time. Here the connection is locked out of its worker
//! ([`sqlx::sqlite::SqliteConnection::lock_handle`], which exists for this), each statement is
//! prepared once per batch, and each row is bound and stepped on its own: a one-row insert needs no
//! statement journal. Same SQL, same values, same text forms as sqlx writes (see [`Value`]), inside
//! the same transaction.
//!
//! The `unsafe` is confined to this file: every pointer comes from SQLite, is used only while the
//! lock is held (statements borrow the [`Handle`]), and every statement is finalised on drop.

use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ptr::{NonNull, null_mut};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use libsqlite3_sys as ffi;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use super::{Result, StoreError};

/// The connection, locked out of its sqlx worker for as long as this lives.
pub(super) struct Handle<'c> {
    db: *mut ffi::sqlite3,
    _lock: LockedSqliteHandle<'c>,
}

impl<'c> Handle<'c> {
    pub async fn lock(connection: &'c mut SqliteConnection) -> Result<Handle<'c>> {
        let mut lock = connection.lock_handle().await?;
        Ok(Handle { db: lock.as_raw_handle().as_ptr(), _lock: lock })
    }

    /// Prepares `sql` (one statement) for repeated use.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        let db = self.db;
        let mut raw = null_mut();
        let len = c_int::try_from(sql.len())
            .map_err(|_| StoreError::ImportGuard("a statement too long for SQLite".into()))?;
        // SAFETY: `db` is the open connection this lock holds; SQLite copies nothing beyond
        // `sql.len()` bytes of the text and reports failure through the return code.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(db, sql.as_ptr().cast(), len, ffi::SQLITE_PREPARE_PERSISTENT, &mut raw, null_mut())
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc, sql));
        }
        let raw = NonNull::new(raw).ok_or_else(|| StoreError::ImportGuard(format!("no statement in {sql:?}")))?;
        Ok(Statement { raw, db, _handle: PhantomData })
    }
}

/// One value bound to a statement, in the text form sqlx would bind it in: booleans as 0 and 1,
/// instants as RFC 3339 (`SecondsFormat::AutoSi`, `+00:00`), dates as `YYYY-MM-DD`. The stored
/// rows read back through sqlx exactly as if sqlx had written them.
pub(super) enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Owned(String),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(v)
    }
}
impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(v)
    }
}
impl From<String> for Value<'_> {
    fn from(v: String) -> Self {
        Value::Owned(v)
    }
}
impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value<'_> {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Int(v.into())
    }
}
impl From<DateTime<Utc>> for Value<'_> {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Owned(v.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }
}
impl From<NaiveDate> for Value<'_> {
    fn from(v: NaiveDate) -> Self {
        Value::Owned(v.format("%F").to_string())
    }
}
impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A prepared statement of a locked [`Handle`]; finalised on drop.
pub(super) struct Statement<'h> {
    raw: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    _handle: PhantomData<&'h ()>,
}

impl Statement<'_> {
    /// Binds one row's values to parameters 1, 2, … in order, runs the statement to its end and
    /// returns how many rows it changed.
    pub fn run(&mut self, values: &[Value<'_>]) -> Result<u64> {
        self.step_with(values)?.map_err(|rc| self.failure(rc))
    }

    /// Binds and runs; the outer error is a failed bind, the inner one the statement's own
    /// (extended) result code.
    fn step_with(&mut self, values: &[Value<'_>]) -> Result<std::result::Result<u64, c_int>> {
        let stmt = self.raw.as_ptr();
        // Every parameter bound, none left over: SQLite keeps a parameter's earlier binding across
        // a reset, so one value too few would store the previous row's.
        // SAFETY: `stmt` is a live statement of the locked connection.
        let expected = unsafe { ffi::sqlite3_bind_parameter_count(stmt) };
        if usize::try_from(expected).ok() != Some(values.len()) {
            return Err(StoreError::ImportGuard(format!(
                "{} value(s) for a statement with {expected} parameter(s): {}",
                values.len(),
                self.first_line()
            )));
        }
        for (i, value) in values.iter().enumerate() {
            let at = c_int::try_from(i + 1).map_err(|_| StoreError::ImportGuard("too many values".into()))?;
            // SAFETY: `stmt` is a live statement of the locked connection; text is copied by
            // SQLite at bind time (SQLITE_TRANSIENT), so no borrow outlives this call.
            let rc = unsafe {
                match value {
                    Value::Null => ffi::sqlite3_bind_null(stmt, at),
                    Value::Int(n) => ffi::sqlite3_bind_int64(stmt, at, *n),
                    Value::Text(s) => bind_text(stmt, at, s),
                    Value::Owned(s) => bind_text(stmt, at, s),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(self.failure(rc));
            }
        }
        // SAFETY: as above; the statement is reset before returning, whatever the outcome.
        unsafe {
            let rc = loop {
                match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_ROW => continue,
                    rc => break rc,
                }
            };
            if rc == ffi::SQLITE_DONE {
                ffi::sqlite3_reset(stmt);
                let changed = u64::try_from(ffi::sqlite3_changes64(self.db))
                    .map_err(|_| StoreError::ImportGuard("SQLite reported a negative count of changes".into()))?;
                return Ok(Ok(changed));
            }
            let extended = ffi::sqlite3_extended_errcode(self.db);
            ffi::sqlite3_reset(stmt);
            Ok(Err(if extended != 0 { extended } else { rc }))
        }
    }

    /// Runs this insert with `values`; where it meets a row with the same unique key, runs
    /// `update` (its parameters numbered as the insert's) with the same values instead.
    ///
    /// The insert-or-update in two statements rather than SQLite's `on conflict … do update`: an
    /// upsert's update half may abort after writing, so SQLite keeps a statement journal for it —
    /// a copy of every page each row touches, written to a file, which cost more than the inserts
    /// themselves. A one-row plain insert checks its unique keys before it writes anything: when
    /// it fails, nothing was written and the transaction goes on.
    ///
    /// The update must change exactly one row — the one whose key the insert met. Anything else
    /// (another unique index refused the insert, so no row has this key) fails the import instead
    /// of losing the row while reporting success.
    pub fn insert_or_update(&mut self, update: &mut Statement<'_>, values: &[Value<'_>]) -> Result<()> {
        match self.step_with(values)? {
            Ok(1) => Ok(()),
            Ok(n) => Err(StoreError::ImportGuard(format!("an insert changed {n} rows: {}", self.first_line()))),
            Err(rc) if rc == ffi::SQLITE_CONSTRAINT_UNIQUE || rc == ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                match update.run(values)? {
                    1 => Ok(()),
                    n => Err(StoreError::ImportGuard(format!(
                        "a row refused as a duplicate was not there to update ({n} rows changed): another unique key \
                         refused it ({})",
                        update.first_line()
                    ))),
                }
            }
            Err(rc) => Err(self.failure(rc)),
        }
    }

    /// The statement's SQL text.
    fn sql(&self) -> String {
        // SAFETY: a live statement's SQL text, owned by SQLite until finalisation.
        unsafe { CStr::from_ptr(ffi::sqlite3_sql(self.raw.as_ptr())) }.to_string_lossy().into_owned()
    }

    fn first_line(&self) -> String {
        self.sql().trim().lines().next().unwrap_or_default().to_string()
    }

    fn failure(&self, rc: c_int) -> StoreError {
        error(self.db, rc, &self.sql())
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: finalised exactly once, while the connection is still locked (the borrow).
        unsafe { ffi::sqlite3_finalize(self.raw.as_ptr()) };
    }
}

unsafe fn bind_text(stmt: *mut ffi::sqlite3_stmt, at: c_int, s: &str) -> c_int {
    unsafe {
        ffi::sqlite3_bind_text64(
            stmt,
            at,
            s.as_ptr().cast(),
            s.len() as u64,
            ffi::SQLITE_TRANSIENT(),
            ffi::SQLITE_UTF8 as u8,
        )
    }
}

/// The connection's error for a failed call, with SQLite's (extended) result code, so that a full
/// disk or an I/O error is told apart ([`StoreError::is_unavailable`]) and the statement named.
fn error(db: *mut ffi::sqlite3, rc: c_int, sql: &str) -> StoreError {
    // SAFETY: `db` is the open connection; the message is copied out at once.
    let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned();
    let statement = sql.trim().lines().next().unwrap_or_default().to_string();
    StoreError::Sqlite { code: rc, message, statement }
}

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    use super::*;

    async fn connection() -> SqliteConnection {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("create table t (id text primary key, code text not null unique, value text)")
            .execute(&mut c)
            .await
            .unwrap();
        c
    }

    async fn rows(c: &mut SqliteConnection) -> Vec<(String, String, Option<String>)> {
        sqlx::query_as("select id, code, value from t order by id").fetch_all(c).await.unwrap()
    }

    /// SQLite keeps a parameter's binding across a reset: one value too few would store the
    /// previous row's. The count is checked, and a mismatch fails loudly, storing nothing.
    #[actix_web::test]
    async fn a_row_with_too_few_or_too_many_values_is_refused() {
        let mut c = connection().await;
        {
            let handle = Handle::lock(&mut c).await.unwrap();
            let mut insert = handle.prepare("insert into t (id, code, value) values (?1, ?2, ?3)").unwrap();
            assert_eq!(insert.run(&["a".into(), "A".into(), "first".into()]).unwrap(), 1);
            let short = insert.run(&["b".into(), "B".into()]);
            assert!(matches!(short, Err(StoreError::ImportGuard(_))), "{short:?}");
            let long = insert.run(&["c".into(), "C".into(), "x".into(), "y".into()]);
            assert!(matches!(long, Err(StoreError::ImportGuard(_))), "{long:?}");
        }
        assert_eq!(rows(&mut c).await, vec![("a".into(), "A".into(), Some("first".into()))]);
    }

    /// A row refused by another unique key than the one the update is by: there is nothing to
    /// update, and the import fails instead of reporting it stored.
    #[actix_web::test]
    async fn an_update_that_changes_no_row_fails_the_import() {
        let mut c = connection().await;
        let handle = Handle::lock(&mut c).await.unwrap();
        let mut insert = handle.prepare("insert into t (id, code, value) values (?1, ?2, ?3)").unwrap();
        let mut update = handle.prepare("update t set code = ?2, value = ?3 where id = ?1").unwrap();
        insert.insert_or_update(&mut update, &["a".into(), "A".into(), "1".into()]).unwrap();
        // The same key again: updated in place.
        insert.insert_or_update(&mut update, &["a".into(), "A".into(), "2".into()]).unwrap();
        // Another id with a code that exists: the update by id finds nothing.
        let lost = insert.insert_or_update(&mut update, &["b".into(), "A".into(), "3".into()]);
        assert!(matches!(lost, Err(StoreError::ImportGuard(_))), "{lost:?}");
    }

    /// A full database through sqlx (the request path) is "unavailable" too, not an internal error.
    #[actix_web::test]
    async fn a_full_database_is_unavailable() {
        let mut c = connection().await;
        sqlx::query("pragma max_page_count = 8").execute(&mut c).await.unwrap();
        let mut full = None;
        for i in 0..100 {
            let r = sqlx::query("insert into t (id, code, value) values ($1, $2, $3)")
                .bind(format!("id{i}"))
                .bind(format!("code{i}"))
                .bind("x".repeat(4000))
                .execute(&mut c)
                .await;
            if let Err(e) = r {
                full = Some(StoreError::from(e));
                break;
            }
        }
        let e = full.expect("the database filled up");
        assert!(e.is_unavailable(), "{e}");
        // A constraint failure is not.
        sqlx::query("pragma max_page_count = 100000").execute(&mut c).await.unwrap();
        let dup = sqlx::query("insert into t (id, code) values ('id0', 'other')").execute(&mut c).await.unwrap_err();
        assert!(!StoreError::from(dup).is_unavailable());
    }

    #[test]
    fn storage_failures_are_unavailable_and_constraint_failures_are_not() {
        let e = |code| StoreError::Sqlite { code, message: String::new(), statement: String::new() };
        for code in
            [ffi::SQLITE_FULL, ffi::SQLITE_IOERR, ffi::SQLITE_IOERR_WRITE, ffi::SQLITE_BUSY, ffi::SQLITE_CANTOPEN]
        {
            assert!(e(code).is_unavailable(), "{code}");
        }
        for code in [ffi::SQLITE_CONSTRAINT_UNIQUE, ffi::SQLITE_ERROR, ffi::SQLITE_MISMATCH] {
            assert!(!e(code).is_unavailable(), "{code}");
        }
    }
}
