//! The command line: parses the arguments, reads the configuration, starts the log and hands the
//! command to [`cli`], where each family of commands has its own module.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use sosiaalitiedot::settings::{LogFormat, Settings};

/// mimalloc instead of glibc's malloc: a page view allocates and frees many small strings across
/// two worker threads, where glibc's arenas spent an eighth of the server's time (issue #13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
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
    runtime.block_on(cli::run(cli.command, settings))
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
