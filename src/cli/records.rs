//! Support and data portability: explain (why a viewer does or does not see each document),
//! export-records (what a viewer sees, as the download has it) and export-choices (the portal's
//! consent and prohibition changes back to the archive).

use std::process::ExitCode;

use chrono::NaiveDate;
use sosiaalitiedot::settings::Settings;

use super::{fail, migrate};

pub(crate) async fn export_choices(settings: &Settings, since: Option<&str>) -> ExitCode {
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

pub(crate) async fn explain(
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

pub(crate) async fn export_records(
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
