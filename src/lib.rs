//! sosiaalitiedot — the citizen's view of their social welfare records ("Sosiaalipalvelujen
//! tiedot" / "Uppgifter om socialservice").
//!
//! `domain` holds the pure rules, `store` the only SQL, `feed` the archive import, `web` the pages.
//! [`Application`] is what both `main` and the tests start.

pub mod audit;
pub mod domain;
pub mod feed;
pub mod observability;
pub mod records;
pub mod settings;
pub mod signin;
pub mod store;
pub mod web;

use std::collections::HashMap;
use std::net::TcpListener;

use actix_web::cookie::Key;
use actix_web::dev::Server;
use actix_web::{HttpServer, web as aweb};

use audit::checkpoint;
use settings::{Mode, Settings};
use signin::{oidc, valtuudet};
use store::Store;
use web::{AppState, DemoDescription};

/// The bundled demo feed (DESIGN §3 format), loaded by `demo` into an empty database.
pub const DEMO_FEED: &str = include_str!("../demo/feed.jsonl");
/// One line per demo person for the sign-in page.
pub const DEMO_PEOPLE: &str = include_str!("../demo/people.json");

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    metrics_port: Option<u16>,
    server: Server,
    store: Store,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("{0}")]
    Config(String),
}

impl Application {
    /// Connects and migrates the database, binds the address (port 0 picks a free port).
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let store = Store::connect(&settings.database_url).await?;
        store.ensure_schema().await?;
        Self::build_with_store(settings, store).await
    }

    /// As [`Application::build`], on an already connected and migrated store.
    pub async fn build_with_store(settings: Settings, store: Store) -> Result<Self, StartError> {
        web::i18n::check_locales();
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(StartError::Config(problems.join("\n")));
        }
        // Production has a secret key (checked above); a demo makes one for this run.
        let key = match &settings.session.secret_key {
            Some(k) => Key::derive_from(k.expose().as_bytes()),
            None => Key::generate(),
        };
        let demo_people: HashMap<String, DemoDescription> =
            serde_json::from_str(DEMO_PEOPLE).map_err(|e| StartError::Config(format!("demo/people.json: {e}")))?;
        let oidc = match settings.mode {
            Mode::Production => {
                let public_url = settings.public_url.clone().unwrap_or_default();
                Some(oidc::Oidc::new(&settings.oidc, &public_url).map_err(StartError::Config)?)
            }
            Mode::Demo => None,
        };
        let listener = TcpListener::bind(&settings.bind).map_err(|e| StartError::Bind(settings.bind.clone(), e))?;
        let local = listener.local_addr().map_err(|e| StartError::Bind(settings.bind.clone(), e))?;
        let port = local.port();
        // Suomi.fi e-Authorizations, when configured (in any mode: a demo may try it against a test
        // service); the return address is on the public address, or the bound one in a demo.
        let valtuudet = if settings.valtuudet.is_configured() {
            let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{local}"));
            Some(valtuudet::Valtuudet::new(&settings.valtuudet, &public_url).map_err(StartError::Config)?)
        } else {
            None
        };
        let allowed_hosts = web::security::allowed_hosts(settings.public_url.as_deref(), local);
        let chain_key = match &settings.audit.chain_key {
            Some(k) => store::ChainKey::new(k.expose().as_bytes()),
            // A demo database keeps its own key (not a secret; never evidence); production has one
            // (checked above).
            None => store.demo_chain_key().await?,
        };
        let checkpoints = match (&settings.audit.checkpoint_key, &settings.audit.checkpoint_file) {
            (Some(key), Some(file)) => Some((
                checkpoint::CheckpointSigner::load(key).map_err(StartError::Config)?,
                file.clone(),
                settings.audit.checkpoint_minutes,
            )),
            _ => None,
        };
        let state = aweb::Data::new(AppState {
            store: store.clone(),
            audit: store::AuditWriter::start(store.clone(), chain_key.clone()),
            chain_key,
            session_reader: store::sessions::SessionReader::start(store.clone()),
            reference: Default::default(),
            subjects: Default::default(),
            views: Default::default(),
            texts: Default::default(),
            settings,
            demo_people,
            oidc,
            valtuudet,
            anonymous_feedback: Default::default(),
            allowed_hosts,
        });
        let metrics_port = match &state.settings.metrics_bind {
            Some(bind) => Some(spawn_metrics_server(bind, store.clone())?),
            None => None,
        };
        let feedback_keep_days = state.settings.feedback.keep_days;
        let server = HttpServer::new(move || web::app(state.clone(), key.clone()))
            .listen(listener)
            .map_err(|e| StartError::Bind("listener".into(), e))?
            .run();
        spawn_session_purge(store.clone(), feedback_keep_days);
        spawn_audit_partitions(store.clone());
        if let Some((signer, file, minutes)) = checkpoints {
            spawn_checkpoints(store.clone(), signer, file, minutes);
        }
        Ok(Self { port, metrics_port, server, store })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the metrics address, when `metrics_bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Serves `/metrics` on its own address, apart from the citizen-facing one.
fn spawn_metrics_server(bind: &str, store: Store) -> Result<u16, StartError> {
    let handle = aweb::Data::new(observability::install());
    let store = aweb::Data::new(store);
    let listener = TcpListener::bind(bind).map_err(|e| StartError::Bind(bind.to_string(), e))?;
    let port = listener.local_addr().map_err(|e| StartError::Bind(bind.to_string(), e))?.port();
    let server = HttpServer::new(move || {
        actix_web::App::new()
            .app_data(handle.clone())
            .app_data(store.clone())
            .route("/metrics", aweb::get().to(observability::scrape))
    })
    .workers(1)
    .listen(listener)
    .map_err(|e| StartError::Bind(bind.to_string(), e))?
    .run();
    actix_web::rt::spawn(server);
    Ok(port)
}

/// Every `minutes`, signs a checkpoint of the audit chain (unless another instance just did),
/// appends it to `file` and logs it at INFO (DESIGN §2.4; docs/audit.md).
fn spawn_checkpoints(store: Store, signer: checkpoint::CheckpointSigner, file: String, minutes: u64) {
    actix_web::rt::spawn(async move {
        let period = std::time::Duration::from_secs(minutes * 60);
        let mut interval = actix_web::rt::time::interval(period);
        // A little less than the period: instances ticking a moment apart still take turns.
        let min_age = chrono::Duration::seconds((minutes * 60) as i64 * 9 / 10);
        loop {
            interval.tick().await;
            match store.write_checkpoint(&signer, min_age).await {
                Ok(Some(c)) => match checkpoint::append(&file, &c) {
                    Ok(()) => tracing::info!(checkpoint = %c.to_line(), "audit checkpoint"),
                    Err(e) => {
                        tracing::error!(error = %e, checkpoint = %c.to_line(), "audit checkpoint could not be appended to its file")
                    }
                },
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
            }
        }
    });
}

/// Keeps the audit trail's monthly partitions ahead of time (PostgreSQL; at start and every six
/// hours). A failure is logged: writes never depend on it (the default partition catches them).
fn spawn_audit_partitions(store: Store) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(std::time::Duration::from_secs(6 * 3600));
        loop {
            interval.tick().await;
            match store.ensure_audit_partitions().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(created = n, "audit partitions created ahead"),
                Err(e) => tracing::warn!(error = %e, "audit partitions could not be created ahead"),
            }
        }
    });
}

/// Every ten minutes deletes expired session rows and feedback older than `feedback_keep_days`
/// (the privacy notice states both).
fn spawn_session_purge(store: Store, feedback_keep_days: u32) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(std::time::Duration::from_secs(600));
        loop {
            interval.tick().await;
            if let Err(e) = store.purge_expired_sessions().await {
                tracing::warn!(error = %e, "session purge failed");
            }
            let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(feedback_keep_days));
            if let Err(e) = store.purge_feedback_before(cutoff).await {
                tracing::warn!(error = %e, "feedback purge failed");
            }
        }
    });
}
