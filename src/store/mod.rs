//! The only place with SQL. One [`Store`] over either backend, chosen once from the URL scheme.
//!
//! The query text is the same on both backends (`$1` placeholders work in sqlx-sqlite too); each
//! backend has its own migrations. `on_pool!` and `on_tx!` only dispatch one query expression to
//! the pool of the running backend; they never generate SQL.
//!
//! Instants are written with whole seconds (see [`whole_seconds`]) so that SQLite's text timestamps
//! compare in time order.

mod audit;
pub(crate) mod cache;
mod choices;
mod feedback;
mod import;
mod lane;
mod reads;
pub mod sessions;
mod sqlite_direct;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, Transaction};

pub use crate::audit::{ChainKey, ChainRow};
pub use audit::{ActorCount, AuditRow, AuditWriter, NewAuditEvent, TimeCursor};
pub use cache::{ReferenceCache, ReferenceData, SubjectCache, SubjectRows, TextCache};
pub use choices::{ChoiceBy, ConsentRow, DataUseRow, ProhibitionRow};
pub use feedback::{FeedbackRow, NewFeedback};
pub use import::{
    DOCUMENT_COLUMNS, DOCUMENT_INSERT_POSTGRES, DOCUMENT_INSERT_SQLITE, DOCUMENT_UPDATE_SQLITE, ImportCounts,
};
pub use reads::*;

/// Dispatches one expression to the running backend's pool.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Dispatches one expression to the running backend's open transaction.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// Errors of the store, typed by cause: the web layer turns every one that
/// [`StoreError::is_unavailable`] into the 503 page, anything else into a 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite: or postgres:)")]
    UnsupportedUrl,
    /// SQLite's C interface (the import's direct path) failed, with SQLite's extended result code.
    #[error("SQLite error {code}: {message} (in: {statement} …)")]
    Sqlite { code: i32, message: String, statement: String },
    /// The audit group writer's transaction failed; every request in the group is told so.
    #[error("the audit group commit failed: {message}")]
    AuditGroup { unavailable: bool, message: String },
    /// A backup target exists already (a file, or a link even to nowhere): never overwritten.
    #[error("{0}: exists already (a file or a link); a backup never overwrites nor follows a link")]
    BackupExists(String),
    #[error("{file}: {source}")]
    BackupFile { file: String, source: std::io::Error },
    #[error("PostgreSQL is backed up with pg_dump or base backups (see docs/operating.md, \"Backups\")")]
    BackupUnsupported,
    /// A guard rail of the import's direct path: the program asked for something it must not
    /// (values that do not fit the statement, an update that changed other than one row).
    #[error("import guard: {0}")]
    ImportGuard(String),
}

impl StoreError {
    /// Whether the database is away or cannot take writes now (a full disk, an I/O error, a lost
    /// connection): the person gets the 503 page and may try again, not a 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::AuditGroup { unavailable, .. } => *unavailable,
            StoreError::Sqlite { code, .. } => sqlite_code_unavailable(*code),
            StoreError::Database(sqlx::Error::Database(e)) => database_error_unavailable(e.as_ref()),
            _ => false,
        }
    }
}

/// SQLite's primary result codes that mean the storage, not the request: `SQLITE_BUSY` (5),
/// `SQLITE_LOCKED` (6), `SQLITE_NOMEM` (7), `SQLITE_READONLY` (8), `SQLITE_IOERR` (10),
/// `SQLITE_FULL` (13), `SQLITE_CANTOPEN` (14). An extended code carries the primary in its low byte.
pub fn sqlite_code_unavailable(code: i32) -> bool {
    matches!(code & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14)
}

/// A database's own error that means it is away or full: SQLite by its result code, PostgreSQL by
/// SQLSTATE class 08 (connection), 53 (insufficient resources: disk full, out of memory) and 57P
/// (the server shutting down).
fn database_error_unavailable(e: &dyn sqlx::error::DatabaseError) -> bool {
    let Some(code) = e.code() else { return false };
    if let Ok(n) = code.parse::<i32>() {
        return e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() && sqlite_code_unavailable(n);
    }
    code.starts_with("08") || code.starts_with("53") || code.starts_with("57P")
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(e)
            }
            other => StoreError::Database(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which backend a database URL names: the one test of the scheme, for connecting and for
/// judging the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The database, on one of the two supported backends.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on either backend: on a connection of the pool (`Tx<'static>`, from
/// [`Store::begin`]) or on one a lane keeps (`lane`).
pub enum Tx<'c> {
    Sqlite(Transaction<'c, Sqlite>),
    Postgres(Transaction<'c, Postgres>),
}

impl Tx<'_> {
    /// Serialises changes to one person's choices across instances: PostgreSQL locks the person's
    /// row until the transaction ends; SQLite's write transactions are serial already.
    pub async fn lock_person(&mut self, person_id: i64) -> Result<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query("select person_id from person where person_id = $1 for update")
                .bind(person_id)
                .fetch_optional(&mut **t)
                .await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// How a SQLite write transaction begins: with the write lock taken at once.
const SQLITE_WRITE_BEGIN: &str = "BEGIN IMMEDIATE";

/// Truncates an instant to whole seconds, the precision every stored instant has.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(0)
}

/// Whether a connection taken from the pool may be used: one that has sat idle for a second or
/// more is pinged first (the database may have restarted meanwhile); one just returned — the
/// common case under load — was pinged on its return already (sqlx does that on every release),
/// so pinging again would only add a round trip to every query.
async fn ping_if_idle<C: sqlx::Connection>(
    c: &mut C,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    if meta.idle_for >= Duration::from_secs(1) {
        c.ping().await?;
    }
    Ok(true)
}

impl Store {
    /// Connects to `sqlite:…` or `postgres://…`. A SQLite file (and its folder) is created if missing.
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = Backend::of_url(url).ok_or(StoreError::UnsupportedUrl)?;
        if backend == Backend::Sqlite {
            if let Some(path) = sqlite_file(url)
                && let Some(dir) = std::path::Path::new(&path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable(sqlx::Error::Io(e)))?;
            }
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(5))
                .test_before_acquire(false)
                .before_acquire(|c, meta| Box::pin(async move { ping_if_idle(c, meta).await }))
                .connect_with(options)
                .await?;
            Ok(Store::Sqlite(pool))
        } else {
            // No JIT: the partitioned audit trail makes plans over every partition look dear
            // enough to be compiled, ≈ 0.5 s per execution for a query that runs in 2 ms; and no
            // parallel workers, whose start costs more than the short look-ups they would share.
            let options =
                PgConnectOptions::from_str(url)?.options([("jit", "off"), ("max_parallel_workers_per_gather", "0")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .test_before_acquire(false)
                .before_acquire(|c, meta| Box::pin(async move { ping_if_idle(c, meta).await }))
                .connect_with(options)
                .await?;
            Ok(Store::Postgres(pool))
        }
    }

    /// Creates or updates the schema. Needs the owner's rights (DDL). On PostgreSQL also makes
    /// sure the audit trail has its partitions for this month and the next two.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(p) => sqlx::migrate!("migrations/sqlite").run(p).await?,
            Store::Postgres(p) => sqlx::migrate!("migrations/postgres").run(p).await?,
        }
        self.ensure_audit_partitions().await?;
        Ok(())
    }

    /// How many months ahead the audit trail's partitions exist (PostgreSQL).
    pub const AUDIT_PARTITIONS_AHEAD: i32 = 2;

    /// Creates the audit trail's monthly partitions that are missing, through the current month
    /// plus [`Self::AUDIT_PARTITIONS_AHEAD`]; returns how many were created. SQLite has one table.
    /// The database function runs with the owner's rights, so the service's role may call it.
    pub async fn ensure_audit_partitions(&self) -> Result<i64> {
        match self {
            Store::Sqlite(_) => Ok(0),
            Store::Postgres(p) => {
                let n: i32 = sqlx::query_scalar("select audit_event_ensure_partitions($1)")
                    .bind(Self::AUDIT_PARTITIONS_AHEAD)
                    .fetch_one(p)
                    .await?;
                Ok(n as i64)
            }
        }
    }

    /// The audit trail's monthly partitions (PostgreSQL), oldest first, as `YYYY-MM`; empty on SQLite.
    pub async fn audit_partitions(&self) -> Result<Vec<String>> {
        match self {
            Store::Sqlite(_) => Ok(Vec::new()),
            Store::Postgres(p) => {
                let names: Vec<String> = sqlx::query_scalar(
                    "select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid
                     where i.inhparent = 'audit_event'::regclass and c.relname <> 'audit_event_default' order by 1",
                )
                .fetch_all(p)
                .await?;
                Ok(names.iter().filter_map(|n| n.strip_prefix("audit_event_")).map(|m| m.replace('_', "-")).collect())
            }
        }
    }

    /// Migrates only when a migration is pending, so that a service running as a least-privilege
    /// role (no DDL, no UPDATE/DELETE/TRUNCATE on the audit trail) starts on a schema the owner
    /// has brought up to date with `sosiaalitiedot migrate`.
    pub async fn ensure_schema(&self) -> Result<()> {
        let (migrator, applied): (sqlx::migrate::Migrator, Vec<i64>) = match self {
            Store::Sqlite(p) => (
                sqlx::migrate!("migrations/sqlite"),
                sqlx::query_scalar("select version from _sqlx_migrations where success")
                    .fetch_all(p)
                    .await
                    .unwrap_or_default(),
            ),
            Store::Postgres(p) => (
                sqlx::migrate!("migrations/postgres"),
                sqlx::query_scalar("select version from _sqlx_migrations where success")
                    .fetch_all(p)
                    .await
                    .unwrap_or_default(),
            ),
        };
        if migrator.iter().all(|m| applied.contains(&m.version)) {
            return Ok(());
        }
        self.migrate().await
    }

    /// A write transaction. On SQLite it takes the write lock at BEGIN, so concurrent writers wait
    /// for the busy timeout instead of failing halfway.
    pub async fn begin(&self) -> Result<Tx<'static>> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(p.begin_with(SQLITE_WRITE_BEGIN).await?),
            Store::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// An online, consistent copy of a SQLite database (`VACUUM INTO`: one read transaction, so
    /// writers go on meanwhile). PostgreSQL is backed up with its own tools (docs/operating.md, "Backups").
    pub async fn backup_to(&self, file: &str) -> Result<()> {
        match self {
            Store::Sqlite(p) => {
                // The copy is made as a new, empty file readable by its owner only (it holds
                // everyone's records): O_EXCL refuses anything already there — a file, or a symbolic
                // link even to nowhere, which would otherwise be followed — and VACUUM INTO fills an
                // empty file.
                use std::os::unix::fs::OpenOptionsExt;
                let created = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file);
                if let Err(e) = created {
                    return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
                        StoreError::BackupExists(file.to_string())
                    } else {
                        StoreError::BackupFile { file: file.to_string(), source: e }
                    });
                }
                if let Err(e) = sqlx::query("vacuum into $1").bind(file).execute(p).await {
                    let _ = std::fs::remove_file(file);
                    return Err(e.into());
                }
                Ok(())
            }
            Store::Postgres(_) => Err(StoreError::BackupUnsupported),
        }
    }

    /// The pool's connections: (open, idle).
    pub fn pool_state(&self) -> (u32, u32) {
        match self {
            Store::Sqlite(p) => (p.size(), p.num_idle() as u32),
            Store::Postgres(p) => (p.size(), p.num_idle() as u32),
        }
    }

    /// `select 1`: is the database reachable?
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("select 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Closes every connection; later calls fail as unavailable.
    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

/// The file path of a `sqlite:` URL, if it names a file.
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}
