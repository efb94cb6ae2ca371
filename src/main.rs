//! The command line: parses arguments, reads configuration, starts tracing, calls the library.
//!
//! Long on purpose: one small function per command, each printing what an operator needs.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use sosiaalitiedot::Application;
use sosiaalitiedot::feed::{self, ImportError, Progress, progress};
use sosiaalitiedot::settings::{LogFormat, Mode, Settings};
use sosiaalitiedot::store::Store;

/// mimalloc instead of glibc's malloc: a page view allocates and frees many small strings across
/// two worker threads, where glibc's arenas spent an eighth of the server's time (issue #13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "sosiaalitiedot", version, about = "Sosiaalipalvelujen tiedot — citizens' social welfare records")]
struct Cli {
    /// Database URL: sqlite:PATH or postgres://… (default sqlite:data/sosiaalitiedot.db).
    #[arg(long, global = true, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Optional TOML configuration file (see README).
    #[arg(long, global = true, env = "SOSIAALITIEDOT_CONFIG")]
    config: Option<String>,
    /// Log lines as text (default) or JSON, one object a line (config: log_format).
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct ServeArgs {
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
enum Command {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut settings = match Settings::load(cli.config.as_deref(), std::env::vars()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(format) = cli.log_format {
        settings.log_format = format;
    }
    init_tracing(settings.log_format);
    if let Some(url) = cli.database_url {
        settings.database_url = url;
    }
    let runtime = actix_web::rt::System::new();
    runtime.block_on(run(cli.command, settings))
}

async fn run(command: Command, mut settings: Settings) -> ExitCode {
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
            match demo(settings).await {
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
                eprintln!("serve refused to start; see the README, \"Production sign-in\"");
                return ExitCode::from(2);
            }
            match serve(settings).await {
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
        Command::Import { file } => import(&settings, &file).await,
        Command::VerifyAudit { archive: Some(file), public_keys, .. } => {
            verify_archive(&settings, &file, &public_keys).await
        }
        Command::VerifyAudit { checkpoints, public_keys, from_checkpoint, legacy_until, archive: None } => {
            verify_audit(&settings, checkpoints.as_deref(), &public_keys, from_checkpoint.as_deref(), legacy_until)
                .await
        }
        Command::AuditArchive { month, out, signing_key } => {
            audit_archive(&settings, &month, &out, signing_key.as_deref()).await
        }
        Command::Feedback => list_feedback(&settings).await,
        Command::CheckConfig => check_config(settings),
        Command::Backup { file } => backup(&settings, &file).await,
        Command::ExportChoices { since } => export_choices(&settings, since.as_deref()).await,
        Command::Explain { subject, viewer, on, json } => {
            explain(&settings, &subject, viewer.as_deref(), on, json).await
        }
        Command::ExportRecords { subject, viewer, format, lang, on } => {
            export_records(&settings, &subject, viewer.as_deref(), &format, &lang, on).await
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

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

async fn migrate(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::connect(&settings.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

/// A start-up line for the operator: plain text on a terminal (whatever the log level), a log
/// event when the log is JSON.
fn announce(format: LogFormat, message: &str) {
    match format {
        LogFormat::Text => eprintln!("{message}"),
        LogFormat::Json => tracing::info!("{message}"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let format = settings.log_format;
    let app = Application::build(settings).await?;
    announce(format, &format!("serving on port {}", app.port()));
    app.run_until_stopped().await?;
    Ok(())
}

async fn demo(settings: Settings) -> anyhow::Result<()> {
    let format = settings.log_format;
    let store = migrate(&settings).await?;
    // Demo sign-in lists everybody: never on real people's data.
    if store.holds_real_identity_codes().await? {
        anyhow::bail!(
            "demo refuses to start: the database holds identity codes outside the test range (individual number 900–999)"
        );
    }
    // Marked for good: an import into this database takes test identity codes only.
    store.mark_demo_database().await?;
    let empty = store.table_counts().await?.iter().all(|(_, n)| *n == 0);
    if empty {
        let counts = feed::import(&store, sosiaalitiedot::DEMO_FEED.as_bytes(), |_| {}).await?;
        let total: usize = counts.0.values().sum();
        announce(format, &format!("loaded the demo feed: {total} records"));
    }
    let app = Application::build_with_store(settings, store).await?;
    announce(format, &format!("DEMO: http://127.0.0.1:{}/ (test identities only)", app.port()));
    app.run_until_stopped().await?;
    Ok(())
}

async fn import(settings: &Settings, file: &str) -> ExitCode {
    let store = match migrate(settings).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let (reader, total_bytes): (Box<dyn BufRead + Send>, Option<u64>) = if file == "-" {
        (Box::new(std::io::BufReader::with_capacity(1 << 20, std::io::stdin())), None)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                (Box::new(std::io::BufReader::with_capacity(1 << 20, f)), size)
            }
            Err(e) => return fail(format!("cannot open {file}: {e}")),
        }
    };
    // A bar redrawn in place on a terminal; plain lines every 100 000 lines otherwise (logs, CI).
    let terminal = std::io::stderr().is_terminal();
    let mut last_drawn = std::time::Instant::now();
    let mut next_plain = progress::PLAIN_EVERY_LINES;
    let progress = |p: Progress| {
        if terminal {
            if last_drawn.elapsed() >= std::time::Duration::from_millis(200) {
                eprint!("\r\x1b[2K{}", progress::bar(p, total_bytes, started.elapsed()));
                last_drawn = std::time::Instant::now();
            }
        } else if p.lines >= next_plain {
            eprintln!("{}", progress::plain(p, started.elapsed()));
            next_plain = (p.lines / progress::PLAIN_EVERY_LINES + 1) * progress::PLAIN_EVERY_LINES;
        }
    };
    let result = feed::import_with(&store, reader, settings.import.max_line_bytes, progress).await;
    if terminal {
        eprintln!();
    }
    match result {
        Ok(counts) => {
            let total: usize = counts.0.values().sum();
            println!("imported {total} records in {:.1} s:", started.elapsed().as_secs_f64());
            for t in sosiaalitiedot::domain::archive::Record::TYPES {
                if let Some(n) = counts.0.get(t) {
                    println!("  {t}: {n}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(ImportError::Invalid(errors)) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("import refused: {} error(s); nothing was written", errors.len());
            ExitCode::FAILURE
        }
        Err(e) => fail(format!("{e}; nothing was written")),
    }
}

fn check_config(mut settings: Settings) -> ExitCode {
    settings.mode = Mode::Production;
    println!("{settings:#?}");
    let problems = settings.problems();
    if problems.is_empty() {
        println!("configuration ok: serve would start with it");
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            eprintln!("error: {p}");
        }
        ExitCode::from(2)
    }
}

async fn backup(settings: &Settings, file: &str) -> ExitCode {
    let store = match Store::connect(&settings.database_url).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match store.backup_to(file).await {
        Ok(()) => {
            println!("backup written to {file}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

async fn list_feedback(settings: &Settings) -> ExitCode {
    let store = match migrate(settings).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match store.feedback().await {
        Ok(rows) => {
            if rows.is_empty() {
                println!("no feedback");
            }
            for f in rows {
                println!(
                    "#{} received {} ({}), answer by {}{}{}",
                    f.feedback_id,
                    f.received_at.with_timezone(&chrono_tz::Europe::Helsinki).format("%-d.%-m.%Y %H.%M"),
                    f.lang,
                    f.answer_by.format("%-d.%-m.%Y"),
                    f.contact
                        .as_deref()
                        .map(|c| format!(", contact: {}", sosiaalitiedot::domain::text::escape_controls(c)))
                        .unwrap_or_default(),
                    f.sender.as_deref().map(|s| format!(", from: {s}")).unwrap_or_default(),
                );
                for line in f.message.lines() {
                    println!("    {}", sosiaalitiedot::domain::text::escape_controls(line));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

async fn verify_audit(
    settings: &Settings,
    checkpoint_file: Option<&str>,
    public_keys: &[String],
    from_checkpoint: Option<&str>,
    legacy_until: Option<i64>,
) -> ExitCode {
    use sosiaalitiedot::audit::checkpoint;
    use sosiaalitiedot::audit::{ChainVerifier, CheckpointFailure};
    // The checkpoints first: each must carry a valid signature of one of the keys given.
    let mut good = Vec::new();
    let mut failures = Vec::new();
    match (checkpoint_file, public_keys.is_empty()) {
        (Some(_), true) => {
            return fail("--checkpoints needs --public-key (the PEM Ed25519 public key that signed them)");
        }
        (None, false) => return fail("--public-key needs --checkpoints"),
        (Some(file), false) => {
            let keys = match checkpoint::CheckpointKeys::load(public_keys) {
                Ok(k) => k,
                Err(e) => return fail(e),
            };
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => return fail(format!("cannot read {file}: {e}")),
            };
            match checkpoint::parse_file(&text) {
                Ok(all) => {
                    for c in all {
                        if keys.verifies(&c) {
                            good.push(c);
                        } else {
                            failures.push(CheckpointFailure::BadSignature { at: c.at });
                        }
                    }
                }
                Err(e) => return fail(format!("{file}: {e}")),
            }
        }
        (None, true) => {}
    }
    let store = match Store::connect(&settings.database_url).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let key = match chain_key_for(settings, &store).await {
        Ok(Some(k)) => k,
        Ok(None) => {
            return fail("verify-audit needs the chain key (audit.chain_key): without it no record can be proven");
        }
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let checkpoints_given = good.len() + failures.len();
    // The starting checkpoint, when asked for: only one whose signature verified.
    let start = match from_checkpoint {
        None => None,
        Some("latest") => match good.iter().max_by_key(|c| c.records) {
            Some(c) => Some(c.clone()),
            None => return fail("--from-checkpoint: the file has no checkpoint with a valid signature"),
        },
        Some(at) => {
            let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
                return fail(format!("--from-checkpoint {at}: not an RFC 3339 time (or `latest`)"));
            };
            match good.iter().find(|c| c.at == at.with_timezone(&chrono::Utc)) {
                Some(c) => Some(c.clone()),
                None => {
                    return fail(format!("--from-checkpoint {at}: no checkpoint with a valid signature was made then"));
                }
            }
        }
    };
    let (walked_from, verifier) = match &start {
        Some(c) => (c.records, ChainVerifier::resume(Some(&key), c.clone(), good)),
        None => (0, ChainVerifier::new(Some(&key), good)),
    };
    let mut verifier = verifier.legacy_until(legacy_until);
    if checkpoint_file.is_some() {
        verifier = verifier.checkpoints_every(chrono::Duration::minutes(settings.audit.checkpoint_minutes as i64));
    }
    let streamed = match &start {
        Some(c) => store.stream_audit_chain_after(c, &mut verifier).await,
        None => store.stream_audit_chain(&mut verifier).await.map(|()| true),
    };
    let start_intact = match streamed {
        Ok(ok) => ok,
        Err(e) => return fail(e),
    };
    let records = verifier.position() - walked_from.min(verifier.position());
    let mut report = verifier.finish();
    if !start_intact {
        let c = start.as_ref().expect("only a resumed walk checks its start");
        report.checkpoint_failures.insert(0, CheckpointFailure::Rewritten { at: c.at, records: c.records });
    }
    report.checkpoint_failures.splice(0..0, failures);
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 { records as f64 / seconds } else { 0.0 };
    println!("{records} record(s) walked in {seconds:.2} s ({rate:.0} records/s)");
    if let Some(c) = &report.resumed_from {
        println!(
            "started after the signed checkpoint of {} (record {}, {} record(s) before it proven by its signature{})",
            c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            c.last_id,
            c.records,
            if start.is_none() {
                "; the records before it were detached — verify their archive with --archive"
            } else {
                ""
            }
        );
    }
    if let Some(last) = report.legacy_until {
        println!("records up to id {last} accepted without a keyed hash (--legacy-until, as stated by the operator)");
    }
    if checkpoint_file.is_some() {
        println!(
            "checkpoints expected every {} minute(s) (audit.checkpoint_minutes)",
            settings.audit.checkpoint_minutes
        );
    }
    if let Some(b) = &report.first_break {
        eprintln!("audit trail BROKEN: {b}");
        eprintln!("({} record(s) verified before it)", report.verified);
    }
    for f in &report.checkpoint_failures {
        eprintln!("audit trail BROKEN: {f}");
    }
    if !report.intact() {
        return ExitCode::FAILURE;
    }
    println!(
        "audit trail intact: {} chained record(s) verified ({} keyed){}{}",
        report.verified,
        report.keyed,
        if report.legacy > 0 {
            format!(", {} earlier record(s) from before the chain", report.legacy)
        } else {
            String::new()
        },
        match (checkpoints_given, &report.resumed_from) {
            (0, _) => "; no checkpoints given (--checkpoints FILE --public-key FILE proves more)".to_string(),
            (_, Some(_)) =>
                format!("; the chain passes through all {} later signed checkpoint(s)", report.checkpoints_passed),
            (_, None) => format!("; the chain passes through all {} signed checkpoint(s)", report.checkpoints_passed),
        }
    );
    ExitCode::SUCCESS
}

async fn export_choices(settings: &Settings, since: Option<&str>) -> ExitCode {
    let since = match since {
        None => chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        Some(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(_) => {
                eprintln!("error: --since: \"{s}\" is not an RFC 3339 time (e.g. 2026-11-01T00:00:00Z)");
                return ExitCode::from(2);
            }
        },
    };
    let store = match migrate(settings).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match sosiaalitiedot::records::export::export_choices(&store, since).await {
        Ok(lines) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for line in lines {
                if writeln!(out, "{line}").is_err() {
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

async fn explain(
    settings: &Settings,
    subject: &str,
    viewer: Option<&str>,
    on: Option<NaiveDate>,
    json: bool,
) -> ExitCode {
    use sosiaalitiedot::records::explain::{self, ExplainError};
    let store = match migrate(settings).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let on = on
        .or(settings.today)
        .unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive());
    match explain::explain(&store, settings.visibility, subject, viewer, on).await {
        Ok(report) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("report serialises"));
            } else {
                print!("{}", explain::to_text(&report));
            }
            ExitCode::SUCCESS
        }
        Err(ExplainError::NoRole) => {
            eprintln!("{}", ExplainError::NoRole);
            ExitCode::from(3)
        }
        Err(e @ (ExplainError::InvalidHetu(..) | ExplainError::UnknownPerson(_))) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => fail(e),
    }
}

/// The chain key `verify-audit` and `audit-archive` check keyed records with: `audit.chain_key`, or
/// a demo database's own key (never evidence).
async fn chain_key_for(
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

async fn audit_archive(settings: &Settings, month: &str, out: &str, signing_key: Option<&str>) -> ExitCode {
    use sosiaalitiedot::audit::archive::{self as audit_archive, Header, Writer};
    use std::io::Write;
    let Some(first_day) = audit_archive::parse_month(month) else {
        eprintln!("error: --month {month}: expected YYYY-MM");
        return ExitCode::from(2);
    };
    let Some(key_path) = signing_key.map(str::to_string).or_else(|| settings.audit.checkpoint_key.clone()) else {
        eprintln!(
            "error: the month's end is proven by a signed checkpoint: give --signing-key or audit.checkpoint_key"
        );
        return ExitCode::from(2);
    };
    let signer = match sosiaalitiedot::audit::checkpoint::CheckpointSigner::load(&key_path) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let store = match Store::connect(&settings.database_url).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let today =
        settings.today.unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive());
    let started = std::time::Instant::now();
    let range = match store.archivable_month(first_day, today).await {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
        Err(e) => return fail(e),
    };
    // The checkpoints that bracket the month: the one its first record follows, and one exactly
    // at its last record (signed now if there is none).
    let start = match &range.first_prev_hash {
        None => None,
        Some(link) => match store.checkpoint_with_head(link).await {
            Ok(Some(c)) => Some(c),
            Ok(None) => {
                return fail(
                    "the month's first record follows no signed checkpoint (archive the previous month first, or the trail was cut)",
                );
            }
            Err(e) => return fail(e),
        },
    };
    let (end, new) = match store.checkpoint_at(&signer, range.last_id).await {
        Ok(found) => found,
        Err(e) => return fail(e),
    };
    if new {
        if let Some(file) = &settings.audit.checkpoint_file
            && let Err(e) = sosiaalitiedot::audit::checkpoint::append(file, &end)
        {
            return fail(format!("the month's end checkpoint could not be appended to {file}: {e}"));
        }
        println!("checkpoint at the month's end: {}", end.to_line());
    }
    use std::os::unix::fs::OpenOptionsExt;
    let file = match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(out) {
        Ok(f) => f,
        Err(e) => return fail(format!("{out}: {e} (an archive is never overwritten)")),
    };
    let header =
        Header { month: month.to_string(), first_id: range.first_id, last_id: range.last_id, records: range.records };
    let mut writer = match Writer::start(std::io::BufWriter::new(file), &header, start.as_ref(), &end) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    if let Err(e) = store.stream_partition(&range, |r| writer.record(r)).await {
        return fail(e);
    }
    let written = writer.finish().and_then(|mut w| {
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    if let Err(e) = written {
        return fail(format!("{out}: {e}"));
    }
    // The file is read back and verified against the chain before anything is detached.
    let key = match chain_key_for(settings, &store).await {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    let report = match std::fs::File::open(out)
        .map_err(|e| e.to_string())
        .and_then(|f| audit_archive::verify(f, key.as_ref(), None))
    {
        Ok(r) => r,
        Err(e) => return fail(format!("{out}: {e}")),
    };
    if !report.intact() {
        for f in report.failures() {
            eprintln!("archive NOT verified: {f}");
        }
        eprintln!("nothing was detached; {out} is kept for inspection");
        return ExitCode::FAILURE;
    }
    if let Err(e) = store.detach_audit_partition(&range).await {
        return fail(format!("the archive is written and verified, but the partition could not be detached: {e}"));
    }
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "archived {} record(s) of {month} (ids {}–{}) to {out}: {size} bytes in {:.2} s; verified against the chain",
        range.records,
        range.first_id,
        range.last_id,
        started.elapsed().as_secs_f64()
    );
    println!(
        "partition {} detached, not dropped: store {out} on write-once storage, then `drop table {}`",
        range.partition, range.partition
    );
    ExitCode::SUCCESS
}

async fn verify_archive(settings: &Settings, file: &str, public_keys: &[String]) -> ExitCode {
    use sosiaalitiedot::audit::archive as audit_archive;
    let keys = match sosiaalitiedot::audit::checkpoint::CheckpointKeys::load(public_keys) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    // The chain key: audit.chain_key, or a demo database's own key when one is reachable.
    let key = match &settings.audit.chain_key {
        Some(k) => Some(sosiaalitiedot::store::ChainKey::new(k.expose().as_bytes())),
        None => match Store::connect(&settings.database_url).await {
            Ok(store) => chain_key_for(settings, &store).await.unwrap_or(None),
            Err(_) => None,
        },
    };
    let started = std::time::Instant::now();
    let report = match std::fs::File::open(file)
        .map_err(|e| e.to_string())
        .and_then(|f| audit_archive::verify(f, key.as_ref(), Some(&keys)))
    {
        Ok(r) => r,
        Err(e) => return fail(format!("{file}: {e}")),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} record(s) of {} walked in {seconds:.2} s ({:.0} records/s)",
        report.records,
        report.header.month,
        if seconds > 0.0 { report.records as f64 / seconds } else { 0.0 }
    );
    if !report.intact() {
        for f in report.failures() {
            eprintln!("archive BROKEN: {f}");
        }
        return ExitCode::FAILURE;
    }
    println!(
        "archive intact: {} record(s) of {} (ids {}–{}) chained from the start checkpoint through the signed end checkpoint",
        report.records, report.header.month, report.header.first_id, report.header.last_id
    );
    ExitCode::SUCCESS
}

async fn export_records(
    settings: &Settings,
    subject: &str,
    viewer: Option<&str>,
    format: &str,
    lang: &str,
    on: Option<NaiveDate>,
) -> ExitCode {
    use futures_util::StreamExt;
    use sosiaalitiedot::records::download::{self, Choices, Export, Format};
    use sosiaalitiedot::records::explain::{self, ExplainError};
    use tokio::io::AsyncWriteExt;
    let store = match migrate(settings).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let on = on
        .or(settings.today)
        .unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive());
    let (subject_row, _, role) = match explain::resolve_viewer(&store, subject, viewer, on).await {
        Ok(found) => found,
        Err(ExplainError::NoRole) => {
            eprintln!("{}", ExplainError::NoRole);
            return ExitCode::from(3);
        }
        Err(e @ (ExplainError::InvalidHetu(..) | ExplainError::UnknownPerson(_))) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(e) => return fail(e),
    };
    let lang = sosiaalitiedot::web::i18n::Lang::from_code(lang).expect("clap allows fi, sv and en only");
    let format = Format::from_code(format).expect("clap allows json and html only");
    let prepared = async {
        let view = sosiaalitiedot::records::Viewpoint { role, today: on, switches: settings.visibility };
        let seen =
            sosiaalitiedot::records::load(&store, &store.visibility_starts().await?, subject_row.person_id, view)
                .await?;
        let choices = Choices {
            data_use: store.data_use_of(subject_row.person_id, None, None).await?,
            informed_on: store.latest_informing(subject_row.person_id).await?,
            consents: store.consents_of(subject_row.person_id).await?,
            prohibitions: store.prohibitions_of(subject_row.person_id).await?,
        };
        Ok::<_, sosiaalitiedot::store::StoreError>(Export::new(
            lang,
            &subject_row,
            &seen,
            choices,
            store.organisation_contacts().await?,
        ))
    };
    let export = match prepared.await {
        Ok(e) => std::sync::Arc::new(e),
        Err(e) => return fail(e),
    };
    let mut out = tokio::io::stdout();
    let mut chunks = std::pin::pin!(download::stream(export, store.clone(), format));
    while let Some(chunk) = chunks.next().await {
        let written = match chunk {
            Ok(bytes) => out.write_all(&bytes).await,
            Err(e) => return fail(e),
        };
        if let Err(e) = written {
            return fail(e);
        }
    }
    match out.flush().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Logs to standard error: text for a terminal, or JSON, one object a line with the time, level,
/// the request's span (method, path, client address, request id) and the event; every request ends
/// with a `request` line with its route template, status and time taken
/// ([`sosiaalitiedot::observability::RequestSpan`]). Never personal data.
fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal()); // no colour codes in files and log collectors
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
}
