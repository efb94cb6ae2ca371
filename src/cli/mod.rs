//! The commands, one module per family: [`admin`] (serve, demo, migrate, import, check-config,
//! backup, feedback), [`audit`] (verify-audit, audit-archive) and [`records`] (explain,
//! export-records, export-choices). Each prints what an operator needs; the work is the library's.

mod admin;
mod audit;
mod records;

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use sosiaalitiedot::settings::{LogFormat, Mode, Settings};
use sosiaalitiedot::store::Store;

#[derive(Parser)]
#[command(name = "sosiaalitiedot", version, about = "Sosiaalipalvelujen tiedot — citizens' social welfare records")]
pub(crate) struct Cli {
    /// Database URL: sqlite:PATH or postgres://… (default sqlite:data/sosiaalitiedot.db).
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub(crate) database_url: Option<String>,
    /// Optional TOML configuration file (see docs/operating.md).
    #[arg(long, global = true, env = "SOSIAALITIEDOT_CONFIG")]
    pub(crate) config: Option<String>,
    /// Log lines as text (default) or JSON, one object a line (config: log_format).
    #[arg(long, global = true, value_enum)]
    pub(crate) log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on, host:port.
    #[arg(long)]
    bind: Option<String>,
    /// Evaluate every rule on this date (YYYY-MM-DD) instead of today in Europe/Helsinki.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Allow a plain-http public_url, issuer and e-Authorizations address (local tests only).
    #[arg(long)]
    insecure_http: bool,
    /// demo: allow binding a non-loopback address.
    #[arg(long)]
    public_demo: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve with demo sign-in; loads the bundled demo feed into an empty database.
    Demo(ServeArgs),
    /// Serve in production (Suomi.fi e-Identification sign-in).
    Serve(ServeArgs),
    /// Create or update the database schema.
    Migrate,
    /// Import an archive feed (JSON Lines; - for standard input). All or nothing.
    Import {
        /// The feed file, or - for standard input.
        file: String,
    },
    /// Print the consent and prohibition changes made in the portal as JSON Lines (feed format).
    ExportChoices {
        /// Only changes at or after this time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
    },
    /// Walk the audit trail's hash chain (as a stream) and check it against signed checkpoints;
    /// exit status 1 naming the first broken record and every checkpoint it does not pass through.
    VerifyAudit {
        /// A checkpoint file (audit.checkpoint_file, as shipped to write-once storage).
        #[arg(long)]
        checkpoints: Option<String>,
        /// A PEM Ed25519 public key that signed checkpoints; once for each key (rotation).
        #[arg(long = "public-key")]
        public_keys: Vec<String>,
        /// Verify only what came after a signed checkpoint: the newest one in the file (`latest`,
        /// the default) or the one made at the given time (RFC 3339).
        #[arg(long = "from-checkpoint", num_args = 0..=1, default_missing_value = "latest", requires = "checkpoints")]
        from_checkpoint: Option<String>,
        /// Records up to this id may lack a keyed hash: they were written before the keyed chain
        /// existed. Without it every record must carry one. Stated by the operator, never inferred.
        #[arg(long = "legacy-until", value_parser = clap::value_parser!(i64).range(1..))]
        legacy_until: Option<i64>,
        /// Verify an archive file of `audit-archive` on its own (with --public-key), not the database.
        #[arg(long, requires = "public_keys", conflicts_with_all = ["checkpoints", "from_checkpoint", "legacy_until"])]
        archive: Option<String>,
    },
    /// Archive a closed month of the audit trail (PostgreSQL; as the owner): writes its records as
    /// gzip JSON Lines with the signed checkpoints that bracket it, verifies the file against the
    /// chain, and only then detaches the month's partition (never drops it).
    AuditArchive {
        /// The month, YYYY-MM (before the current one; months are archived oldest first).
        #[arg(long)]
        month: String,
        /// The archive file to write; must not exist.
        #[arg(long)]
        out: String,
        /// The checkpoint signing key (PEM Ed25519); default audit.checkpoint_key.
        #[arg(long = "signing-key")]
        signing_key: Option<String>,
    },
    /// List the accessibility feedback received, oldest first, with the date each must be answered by.
    Feedback,
    /// Load the configuration exactly as `serve` would, report every problem (exit 2) and print the
    /// effective configuration with secrets redacted.
    CheckConfig,
    /// An online, consistent copy of a SQLite database (VACUUM INTO) while the service runs.
    Backup {
        /// Where to write the copy; must not exist.
        file: String,
    },
    /// Why does (or doesn't) a person see each document? Uses the same rules as the pages.
    Explain {
        /// Whose documents (henkilötunnus).
        #[arg(long)]
        subject: String,
        /// Who looks (henkilötunnus); default: the subject.
        #[arg(long)]
        viewer: Option<String>,
        /// Evaluate on this date (YYYY-MM-DD); default: today in Europe/Helsinki.
        #[arg(long)]
        on: Option<NaiveDate>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Everything a viewer may see of a person, as the portal's "Lataa tiedot" file, to standard
    /// output: for support staff answering a request for access (GDPR article 15). The viewer
    /// rules and exit codes are `explain`'s (2: bad or unknown identity code, 3: no role).
    ExportRecords {
        /// Whose data (henkilötunnus).
        #[arg(long)]
        subject: String,
        /// Who may see it (henkilötunnus); default: the subject.
        #[arg(long)]
        viewer: Option<String>,
        /// `json` (schema sosiaalitiedot-export/1) or `html`.
        #[arg(long, value_parser = ["json", "html"])]
        format: String,
        /// The language of the HTML file's texts.
        #[arg(long, default_value = "fi", value_parser = ["fi", "sv", "en"])]
        lang: String,
        /// Evaluate on this date (YYYY-MM-DD); default: today in Europe/Helsinki.
        #[arg(long)]
        on: Option<NaiveDate>,
    },
}

pub(crate) async fn run(command: Command, mut settings: Settings) -> ExitCode {
    match command {
        Command::Demo(args) => {
            let public = args.public_demo;
            // A demo may try e-Authorizations against a local test service over plain http.
            settings.insecure_http = args.insecure_http;
            apply(&mut settings, args);
            let loopback = settings
                .bind
                .parse::<std::net::SocketAddr>()
                .map(|a| a.ip().is_loopback())
                .unwrap_or(settings.bind.starts_with("localhost:"));
            if !loopback && !public {
                eprintln!(
                    "error: demo binds only a loopback address (127.0.0.1, ::1); --public-demo allows {}",
                    settings.bind
                );
                return ExitCode::from(2);
            }
            settings.mode = Mode::Demo;
            match admin::demo(settings).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Serve(args) => {
            let insecure = args.insecure_http;
            apply(&mut settings, args);
            settings.mode = Mode::Production;
            settings.insecure_http = insecure;
            // Production sign-in is OpenID Connect (Suomi.fi e-Identification): refuse to start,
            // one line per problem, until it is configured. Never fall back to demo sign-in.
            let problems = settings.problems();
            if !problems.is_empty() {
                for p in problems {
                    eprintln!("error: {p}");
                }
                eprintln!("serve refused to start; see docs/operating.md and docs/signin.md");
                return ExitCode::from(2);
            }
            match admin::serve(settings).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Migrate => match migrate(&settings).await {
            Ok(store) => {
                println!("database schema is up to date ({})", store.backend());
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Import { file } => admin::import(&settings, &file).await,
        Command::VerifyAudit { archive: Some(file), public_keys, .. } => {
            audit::verify_archive(&settings, &file, &public_keys).await
        }
        Command::VerifyAudit { checkpoints, public_keys, from_checkpoint, legacy_until, archive: None } => {
            audit::verify_audit(
                &settings,
                checkpoints.as_deref(),
                &public_keys,
                from_checkpoint.as_deref(),
                legacy_until,
            )
            .await
        }
        Command::AuditArchive { month, out, signing_key } => {
            audit::audit_archive(&settings, &month, &out, signing_key.as_deref()).await
        }
        Command::Feedback => admin::list_feedback(&settings).await,
        Command::CheckConfig => admin::check_config(settings),
        Command::Backup { file } => admin::backup(&settings, &file).await,
        Command::ExportChoices { since } => records::export_choices(&settings, since.as_deref()).await,
        Command::Explain { subject, viewer, on, json } => {
            records::explain(&settings, &subject, viewer.as_deref(), on, json).await
        }
        Command::ExportRecords { subject, viewer, format, lang, on } => {
            records::export_records(&settings, &subject, viewer.as_deref(), &format, &lang, on).await
        }
    }
}

fn apply(settings: &mut Settings, args: ServeArgs) {
    if let Some(bind) = args.bind {
        settings.bind = bind;
    }
    if let Some(today) = args.today {
        settings.today = Some(today);
    }
    let _ = args.public_demo;
}

pub(crate) fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

pub(crate) async fn migrate(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::connect(&settings.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

/// A start-up line for the operator: plain text on a terminal (whatever the log level), a log
/// event when the log is JSON.
pub(crate) fn announce(format: LogFormat, message: &str) {
    match format {
        LogFormat::Text => eprintln!("{message}"),
        LogFormat::Json => tracing::info!("{message}"),
    }
}

/// The chain key `verify-audit` and `audit-archive` check keyed records with: `audit.chain_key`, or
/// a demo database's own key (never evidence).
pub(crate) async fn chain_key_for(
    settings: &Settings,
    store: &Store,
) -> Result<Option<sosiaalitiedot::store::ChainKey>, sosiaalitiedot::store::StoreError> {
    if let Some(k) = &settings.audit.chain_key {
        return Ok(Some(sosiaalitiedot::store::ChainKey::new(k.expose().as_bytes())));
    }
    let demo = store.existing_demo_chain_key().await?;
    if demo.is_some() {
        eprintln!("note: no audit.chain_key given; using the demo database's own key (a demo trail is never evidence)");
    }
    Ok(demo)
}
