//! Proving the audit trail: verify-audit (the live chain, checkpoints, an archive file) and
//! audit-archive (a closed month written out, verified, detached).

use std::process::ExitCode;

use sosiaalitiedot::settings::Settings;
use sosiaalitiedot::store::Store;

use super::{chain_key_for, fail};

pub(crate) async fn verify_audit(
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
    // The copies "who acted for me" reads: each against its chained record.
    let copies = match store.check_acted_for_copies().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    println!(
        "{} copy/copies of others' actions checked against their records{}",
        copies.checked,
        if copies.archived > 0 {
            format!("; {} refer to detached months (their records are in the archives)", copies.archived)
        } else {
            String::new()
        }
    );
    for b in &copies.breaks {
        eprintln!("audit trail BROKEN: {b}");
    }
    if copies.break_count > copies.breaks.len() as u64 {
        eprintln!("audit trail BROKEN: {} more such copies", copies.break_count - copies.breaks.len() as u64);
    }
    let head = match store.check_chain_head().await {
        Ok(h) => h,
        Err(e) => return fail(e),
    };
    if let Some(why) = &head {
        eprintln!("audit trail BROKEN: {why}");
    }
    if !report.intact() || !copies.intact() || head.is_some() {
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

pub(crate) async fn audit_archive(settings: &Settings, month: &str, out: &str, signing_key: Option<&str>) -> ExitCode {
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

pub(crate) async fn verify_archive(settings: &Settings, file: &str, public_keys: &[String]) -> ExitCode {
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
