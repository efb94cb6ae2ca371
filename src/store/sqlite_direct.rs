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
        // SAFETY: `db` is the open connection this lock holds; SQLite copies nothing beyond
        // `sql.len()` bytes of the text and reports failure through the return code.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast(),
                sql.len() as c_int,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut raw,
                null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc, sql));
        }
        let raw = NonNull::new(raw)
            .ok_or_else(|| StoreError::Database(sqlx::Error::Protocol(format!("no statement in {sql:?}"))))?;
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
        for (i, value) in values.iter().enumerate() {
            let at = i as c_int + 1;
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
                return Ok(Ok(ffi::sqlite3_changes64(self.db) as u64));
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
    pub fn insert_or_update(&mut self, update: &mut Statement<'_>, values: &[Value<'_>]) -> Result<()> {
        match self.step_with(values)? {
            Ok(_) => Ok(()),
            Err(rc) if rc == ffi::SQLITE_CONSTRAINT_UNIQUE || rc == ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                update.run(values).map(drop)
            }
            Err(rc) => Err(self.failure(rc)),
        }
    }

    fn failure(&self, rc: c_int) -> StoreError {
        // SAFETY: a live statement's SQL text, owned by SQLite until finalisation.
        let sql = unsafe { CStr::from_ptr(ffi::sqlite3_sql(self.raw.as_ptr())) }.to_string_lossy().into_owned();
        error(self.db, rc, &sql)
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

/// The connection's error message for a failed call, as a database error naming the statement.
fn error(db: *mut ffi::sqlite3, rc: c_int, sql: &str) -> StoreError {
    // SAFETY: `db` is the open connection; the message is copied out at once.
    let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned();
    let first_line = sql.trim().lines().next().unwrap_or_default();
    StoreError::Database(sqlx::Error::Protocol(format!("SQLite error {rc}: {message} (in: {first_line} …)")))
}
