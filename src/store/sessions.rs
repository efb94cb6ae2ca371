//! Server-side HTTP sessions (actix-session's `SessionStore`) in the same database, so that sign-out
//! ends a session for good and many instances share sessions on PostgreSQL.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::{DateTime, Utc};
use rand::distr::{Alphanumeric, SampleString};

use super::{Store, on_pool, whole_seconds};

/// actix-session's store on our database.
#[derive(Clone)]
pub struct DbSessionStore {
    store: Store,
    reader: SessionReader,
}

impl DbSessionStore {
    pub fn new(store: Store, reader: SessionReader) -> Self {
        Self { store, reader }
    }
}

/// A stored session as read: its state and the signed-in person ([`SIGNED_IN_KEY`]) in JSON.
type LoadedSession = (String, Option<String>);

/// One request's session read, waiting for its group's query.
struct SessionLoad {
    key: String,
    answer: tokio::sync::oneshot::Sender<Result<Option<LoadedSession>, String>>,
}

/// At most this many sessions are read in one query.
const MAX_LOADS: usize = 64;

/// Reads the sessions of page views in groups (see `store::lane`): one query for the sessions
/// of every request that arrived while the previous query ran, on the lane's own connection.
#[derive(Clone)]
pub struct SessionReader {
    queue: tokio::sync::mpsc::UnboundedSender<SessionLoad>,
}

struct SessionLoads {
    conn: super::lane::HeldConnection,
}

impl super::lane::GroupServer for SessionLoads {
    type Job = SessionLoad;

    async fn serve(&mut self, jobs: Vec<SessionLoad>) {
        let now = whole_seconds(Utc::now());
        let keys: Vec<&str> = jobs.iter().map(|j| j.key.as_str()).collect();
        let rows: super::Result<Vec<(String, String, Option<String>)>> = async {
            Ok(match self.conn.get().await? {
                super::lane::Held::Sqlite(c) => {
                    let keys = serde_json::to_string(&keys).expect("strings serialise");
                    sqlx::query_as(super::reads::SESSION_SQLITE).bind(keys).bind(now).fetch_all(&mut *c).await?
                }
                super::lane::Held::Postgres(c) => {
                    sqlx::query_as(super::reads::SESSION_POSTGRES).bind(&keys).bind(now).fetch_all(&mut *c).await?
                }
            })
        }
        .await;
        match rows {
            Ok(rows) => {
                // One browser's concurrent requests share a key: each gets the row.
                let found: HashMap<String, LoadedSession> =
                    rows.into_iter().map(|(key, state, signed_in)| (key, (state, signed_in))).collect();
                for job in jobs {
                    let _ = job.answer.send(Ok(found.get(&job.key).cloned()));
                }
            }
            Err(e) => {
                self.conn.after_error(&e);
                let message = e.to_string();
                for job in jobs {
                    let _ = job.answer.send(Err(message.clone()));
                }
            }
        }
    }
}

impl SessionReader {
    /// Starts the reader on the current runtime.
    pub fn start(store: Store) -> Self {
        Self { queue: super::lane::spawn(SessionLoads { conn: super::lane::HeldConnection::new(store) }, MAX_LOADS) }
    }

    /// The session `key` if it exists and has not expired.
    async fn load(&self, key: &str) -> Result<Option<LoadedSession>, String> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.queue
            .send(SessionLoad { key: key.to_string(), answer })
            .map_err(|_| "the session reader has stopped".to_string())?;
        answered.await.map_err(|_| "the session reader has stopped".to_string())?
    }
}

fn expiry(ttl: &CookieDuration) -> DateTime<Utc> {
    whole_seconds(Utc::now() + chrono::Duration::seconds(ttl.whole_seconds()))
}

fn new_key() -> SessionKey {
    // 64 alphanumeric characters ≈ 381 bits.
    SessionKey::try_from(Alphanumeric.sample_string(&mut rand::rng(), 64)).expect("64 characters is a valid key")
}

/// The signed-in person of a session state (actix-session keeps each value as JSON text).
fn owner(state: &HashMap<String, String>) -> Option<i64> {
    state.get("person").and_then(|v| v.parse().ok())
}

/// One of a person's live sessions, for "Kirjautumiset".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub session_key: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    async fn session_insert(
        &self,
        key: &str,
        state: &str,
        expires_at: DateTime<Utc>,
        person: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, p => sqlx::query("insert into http_session (session_key, state, expires_at, person_id, created_at) values ($1, $2, $3, $4, $5)")
            .bind(key).bind(state).bind(expires_at).bind(person).bind(whole_seconds(Utc::now())).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A person's live sessions, newest first.
    pub async fn sessions_of(&self, person_id: i64) -> super::Result<Vec<SessionRow>> {
        let now = whole_seconds(Utc::now());
        Ok(on_pool!(self, p => sqlx::query_as::<_, SessionRow>(
            "select session_key, state, created_at, expires_at from http_session where person_id = $1 and expires_at > $2
             order by created_at desc, session_key")
            .bind(person_id).bind(now).fetch_all(p).await)?)
    }

    /// Ends one of a person's sessions (never anyone else's).
    pub async fn end_session_of(&self, person_id: i64, session_key: &str) -> super::Result<bool> {
        let n = on_pool!(self, p => sqlx::query("delete from http_session where person_id = $1 and session_key = $2")
            .bind(person_id).bind(session_key).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Deletes expired sessions; run periodically.
    pub async fn purge_expired_sessions(&self) -> super::Result<u64> {
        let now = whole_seconds(Utc::now());
        let r = on_pool!(self, p => sqlx::query("delete from http_session where expires_at <= $1").bind(now).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(r)
    }

    /// Sessions not yet expired (the `active_sessions` gauge).
    pub async fn count_live_sessions(&self) -> super::Result<i64> {
        let now = whole_seconds(Utc::now());
        let n: i64 = on_pool!(self, p => sqlx::query_scalar("select count(*) from http_session where expires_at > $1").bind(now).fetch_one(p).await)?;
        Ok(n)
    }

    /// Number of live session rows (for tests and operators).
    pub async fn count_sessions(&self) -> super::Result<i64> {
        let n: i64 = on_pool!(self, p => sqlx::query_scalar("select count(*) from http_session").fetch_one(p).await)?;
        Ok(n)
    }
}

/// Put into the state of a request whose session could not be read because the database is away.
/// The extractors turn it into the localised 503 at once (no detour via sign-in, no false forgery
/// warning); it is never written back.
pub const UNAVAILABLE_MARKER: &str = "__session_store_unavailable";

/// Put into the state of every request whose session has a signed-in person: that person, their
/// links and the archive version ([`super::SignedInRow`] as JSON), read in the same query as the
/// session — one round trip for "who is this". Read fresh on every request, never written back.
pub const SIGNED_IN_KEY: &str = "__signed_in";

/// The state to store: without what [`SessionStore::load`] added for this request alone.
fn stored(mut state: HashMap<String, String>) -> HashMap<String, String> {
    state.remove(SIGNED_IN_KEY);
    state
}

/// How long a session read or write may wait for the database: while it is away, the request is
/// answered (503) at once instead of after the pool's acquire timeout.
const LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs a session write with [`LOAD_TIMEOUT`]; a timeout is an error like any other.
async fn bounded<T>(write: impl std::future::Future<Output = Result<T, sqlx::Error>>) -> Result<T, sqlx::Error> {
    tokio::time::timeout(LOAD_TIMEOUT, write).await.unwrap_or(Err(sqlx::Error::PoolTimedOut))
}

// While the database is unreachable, reads and writes of session state fail softly: a read gives a
// state holding only UNAVAILABLE_MARKER (no access is granted by a failure), and the page answers
// with the localised 503 page. A hard error here would bypass the error pages, since actix-session
// reports store errors outside the handlers. Deleting a session (sign-out) is the exception: it
// must not silently fail.
impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let read = tokio::time::timeout(LOAD_TIMEOUT, self.reader.load(key.as_ref())).await;
        let row: Option<LoadedSession> = match read {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "session load failed; the request is answered as unavailable");
                return Ok(Some(HashMap::from([(UNAVAILABLE_MARKER.to_string(), "true".to_string())])));
            }
            Err(_) => {
                tracing::warn!("session load timed out; the request is answered as unavailable");
                return Ok(Some(HashMap::from([(UNAVAILABLE_MARKER.to_string(), "true".to_string())])));
            }
        };
        let Some((state, signed_in)) = row else { return Ok(None) };
        let mut state: HashMap<String, String> =
            serde_json::from_str(&state).map_err(|e| LoadError::Deserialization(e.into()))?;
        // Only what was read just now: never anything a stored state might hold under this key.
        state.remove(SIGNED_IN_KEY);
        if let Some(signed_in) = signed_in {
            state.insert(SIGNED_IN_KEY.to_string(), signed_in);
        }
        Ok(Some(state))
    }

    async fn save(&self, state: HashMap<String, String>, ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        if state.contains_key(UNAVAILABLE_MARKER) {
            return Ok(new_key());
        }
        let state = stored(state);
        let body = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key();
        if let Err(e) = bounded(self.store.session_insert(key.as_ref(), &body, expiry(ttl), owner(&state))).await {
            // The cookie then names no stored session: the next request is simply signed out.
            tracing::warn!(error = %e, "session save failed");
        }
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        if state.contains_key(UNAVAILABLE_MARKER) {
            return Ok(key); // the database is away: keep the cookie for when it is back
        }
        let state = stored(state);
        let body = serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let expires_at = expiry(ttl);
        let now = whole_seconds(Utc::now());
        let person = owner(&state);
        let updated = bounded(async {
            on_pool!(&self.store, p => sqlx::query(
                "update http_session set state = $1, expires_at = $2, person_id = $5 where session_key = $3 and expires_at > $4")
                .bind(&body).bind(expires_at).bind(key.as_ref()).bind(now).bind(person).execute(p).await.map(|r| r.rows_affected()))
        })
        .await;
        match updated {
            Ok(1) => Ok(key),
            Ok(_) => {
                // The session ended meanwhile (signed out, ended from another browser, timed out)
                // while this request held its state: an update never creates a row, under the old
                // key or a new one — that would bring the ended session, signed-in person included,
                // back. The cookie gets a key that names no session: the next request is signed out.
                Ok(new_key())
            }
            Err(e) => {
                tracing::warn!(error = %e, "session update failed");
                Ok(key)
            }
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &CookieDuration) -> Result<(), anyhow::Error> {
        let expires_at = expiry(ttl);
        if let Err(e) = bounded(async {
            on_pool!(&self.store, p => sqlx::query("update http_session set expires_at = $1 where session_key = $2")
                .bind(expires_at).bind(key.as_ref()).execute(p).await.map(|r| r.rows_affected()))
        })
        .await
        {
            tracing::warn!(error = %e, "session TTL extension failed");
        }
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        on_pool!(&self.store, p => sqlx::query("delete from http_session where session_key = $1")
            .bind(key.as_ref()).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
