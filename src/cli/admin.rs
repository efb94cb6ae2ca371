//! Running and keeping the service: serve, demo, migrate, import, check-config, backup, feedback.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use sosiaalitiedot::Application;
use sosiaalitiedot::feed::{self, ImportError, Progress, progress};
use sosiaalitiedot::settings::{Mode, Settings};
use sosiaalitiedot::store::Store;

use super::{announce, fail, migrate};

pub(crate) async fn serve(settings: Settings) -> anyhow::Result<()> {
    let format = settings.log_format;
    let app = Application::build(settings).await?;
    announce(format, &format!("serving on port {}", app.port()));
    app.run_until_stopped().await?;
    Ok(())
}

pub(crate) async fn demo(settings: Settings) -> anyhow::Result<()> {
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

pub(crate) async fn import(settings: &Settings, file: &str) -> ExitCode {
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

pub(crate) fn check_config(mut settings: Settings) -> ExitCode {
    settings.mode = Mode::Production;
    println!("{settings:#?}");
    let a = &settings.accessibility;
    println!(
        "accessibility statement: supervisory authority {} <{}>, {}, {}; contacts last checked {}",
        a.authority_fi, a.authority_email, a.authority_phone, a.authority_url, a.authority_checked_on
    );
    if let Some(days) = a.authority_check_overdue(
        settings.today.unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive()),
    ) {
        println!(
            "note: the supervisory authority's contacts were checked {days} days ago: check them on its site and set accessibility.authority_checked_on"
        );
    }
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

pub(crate) async fn backup(settings: &Settings, file: &str) -> ExitCode {
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

pub(crate) async fn list_feedback(settings: &Settings) -> ExitCode {
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
