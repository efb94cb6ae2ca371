//! The two database operations of every page view — reading the session and writing the view's
//! audit record — each served by one task that takes every request queued while its previous
//! round trip ran and serves them all in one (issue #13). Concurrent requests then share a round
//! trip instead of each making its own, and the task keeps its own connection, so no request pays
//! for the pool's check-out and the ping sqlx makes whenever a connection goes back to the pool
//! (a round trip per query).
//!
//! Nothing is delayed to gather a group: a lone request is served at once; a group forms only
//! from requests that arrived while the database was busy anyway.

use std::future::Future;
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection, SqliteConnection};

use super::{Result, Store, StoreError};

/// Serves queued jobs a group at a time.
pub(super) trait GroupServer: Send + 'static {
    type Job: Send + 'static;
    /// Serves `jobs` (never empty) and answers each of them.
    fn serve(&mut self, jobs: Vec<Self::Job>) -> impl Future<Output = ()> + Send;
}

/// Starts `server` on the current runtime; it ends when every sender is dropped, after serving
/// what was queued.
pub(super) fn spawn<S: GroupServer>(mut server: S, max_group: usize) -> tokio::sync::mpsc::UnboundedSender<S::Job> {
    let (queue, mut jobs) = tokio::sync::mpsc::unbounded_channel::<S::Job>();
    tokio::spawn(async move {
        while let Some(first) = jobs.recv().await {
            let mut group = vec![first];
            while group.len() < max_group {
                match jobs.try_recv() {
                    Ok(job) => group.push(job),
                    Err(_) => break,
                }
            }
            server.serve(group).await;
        }
    });
    queue
}

/// A connection of the running backend, kept by a lane: taken from the pool and detached from
/// it, so that closing the pool never waits for a lane and the pool's own size is untouched.
pub(super) enum Held {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// One connection kept across many queries: checked (pinged) only when it has sat idle for a
/// second or more — the database may have restarted meanwhile — and given up after an error
/// that may have left it broken, so that the next group takes a fresh one. Once the pool is
/// closed (shutting down), the lane answers as the pool would: unavailable.
pub(super) struct HeldConnection {
    store: Store,
    conn: Option<Held>,
    last_used: Instant,
}

/// How long a kept connection may sit idle before it is pinged before use (as the pool does).
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

impl HeldConnection {
    pub(super) fn new(store: Store) -> Self {
        Self { store, conn: None, last_used: Instant::now() }
    }

    /// The connection, taken from the pool if none is kept or the kept one no longer answers.
    pub(super) async fn get(&mut self) -> Result<&mut Held> {
        let closed = match &self.store {
            Store::Sqlite(p) => p.is_closed(),
            Store::Postgres(p) => p.is_closed(),
        };
        if closed {
            self.conn = None;
            return Err(StoreError::Unavailable(sqlx::Error::PoolClosed));
        }
        if let Some(held) = &mut self.conn {
            let broken = self.last_used.elapsed() >= CHECK_AFTER_IDLE
                && match held {
                    Held::Sqlite(c) => c.ping().await.is_err(),
                    Held::Postgres(c) => c.ping().await.is_err(),
                };
            if broken {
                self.conn = None;
            }
        }
        if self.conn.is_none() {
            self.conn = Some(match &self.store {
                Store::Sqlite(p) => Held::Sqlite(p.acquire().await?.detach()),
                Store::Postgres(p) => Held::Postgres(p.acquire().await?.detach()),
            });
        }
        self.last_used = Instant::now();
        Ok(self.conn.as_mut().expect("a connection was just kept"))
    }

    /// A write transaction on the kept connection, begun as [`Store::begin`] begins one.
    pub(super) async fn begin(&mut self) -> Result<super::Tx<'_>> {
        Ok(match self.get().await? {
            Held::Sqlite(c) => super::Tx::Sqlite(c.begin_with(super::SQLITE_WRITE_BEGIN).await?),
            Held::Postgres(c) => super::Tx::Postgres(c.begin().await?),
        })
    }

    /// After `error`: keeps the connection when the database answered (a constraint, a bad
    /// statement), gives it up (closes it) when the connection itself may be broken.
    pub(super) fn after_error(&mut self, error: &StoreError) {
        let answered = matches!(
            error,
            StoreError::Database(
                sqlx::Error::Database(_)
                    | sqlx::Error::RowNotFound
                    | sqlx::Error::ColumnDecode { .. }
                    | sqlx::Error::Decode(_)
            )
        );
        if !answered {
            self.conn = None;
        }
    }
}
