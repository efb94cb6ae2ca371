//! The command line: `import` reports every error with its line and exits non-zero; writes nothing.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sosiaalitiedot"))
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sosiaalitiedot-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn import_refuses_a_broken_feed_with_every_error_and_writes_nothing() {
    let db = temp("broken.db");
    let url = format!("sqlite:{}", db.display());
    let feed = temp("broken.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Virtanen"}"#,
            "\n",
            r#"{"type":"person","hetu":"131052-308X","first_names":"Bad","last_name":"Code"}"#,
            "\n",
            r#"{"type":"organisation","oid":"1.2.3","name":{"fi":"X"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = bin().args(["import", feed.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2: hetu: not a valid personal identity code"), "{stderr}");
    assert!(stderr.contains("line 3: name.sv: is required"), "{stderr}");
    assert!(!stderr.contains("131052-308X"), "the code is not echoed: {stderr}");
    assert!(stderr.contains("nothing was written"));

    let good = temp("good.jsonl");
    std::fs::write(&good, sosiaalitiedot::DEMO_FEED).unwrap();
    let out = bin().args(["import", good.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("document: "), "{stdout}");
    assert!(stdout.contains("person: 16"), "{stdout}");
}

#[test]
fn import_reads_standard_input() {
    let db = temp("stdin.db");
    let url = format!("sqlite:{}", db.display());
    let mut child = bin()
        .args(["import", "-", "--database-url", &url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(sosiaalitiedot::DEMO_FEED.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
}

/// A line longer than `import.max_line_bytes` is refused while it is read — its own `line N:`
/// error, the lines after it still checked — and the import writes nothing. The peak memory of
/// the process is read from the kernel at its end: flat, not the line's size.
#[test]
fn a_line_longer_than_the_bound_is_refused_while_read() {
    let db = temp("long-line.db");
    let url = format!("sqlite:{}", db.display());
    let mut child = bin()
        .args(["import", "-", "--database-url", &url])
        .env("SOSIAALITIEDOT__IMPORT__MAX_LINE_BYTES", "100000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(br#"{"type":"organisation","oid":"1.2.246.10.1","name":{"fi":"A","sv":"A"}}"#).unwrap();
        stdin.write_all(b"\n{\"type\":\"person\",\"first_names\":\"").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..256 {
            stdin.write_all(&chunk).unwrap(); // a 256 MiB line
        }
        stdin.write_all(b"\"}\n").unwrap();
        stdin.write_all(br#"{"type":"person","hetu":"131052-308X","first_names":"Bad","last_name":"Code"}"#).unwrap();
        stdin.write_all(b"\n").unwrap();
    });
    // The child's peak resident memory, read while it is still there (it waits to be reaped).
    let pid = child.id();
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(v) = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak_kb = peak_kb.max(v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2: -: the line is longer than 100000 bytes (import.max_line_bytes)"), "{stderr}");
    assert!(
        stderr.contains("line 3: hetu: not a valid personal identity code"),
        "the lines after it are still checked: {stderr}"
    );
    assert!(peak_kb < 200 * 1024, "peak memory {peak_kb} kB for a 256 MiB line");
}

#[test]
fn serve_refuses_to_start_without_production_sign_in() {
    let db = temp("serve.db");
    let url = format!("sqlite:{}", db.display());
    let out = bin().args(["serve", "--database-url", &url, "--bind", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for problem in [
        "public_url is required",
        "session.secret_key is required",
        "oidc.issuer is required",
        "oidc.client_id is required",
        "oidc.signing_key is required",
        "oidc.encryption_key is required",
        "audit.chain_key is required",
        "operator.name is required",
        "operator.dpo_email or operator.dpo_phone is required",
    ] {
        assert!(stderr.lines().any(|l| l.starts_with("error: ") && l.contains(problem)), "{problem} in {stderr}");
    }
    // Plain http only with --insecure-http; keys must be readable PKCS#8 RSA keys.
    let out = bin()
        .args(["serve", "--database-url", &url, "--bind", "127.0.0.1:0"])
        .env("SOSIAALITIEDOT__PUBLIC_URL", "http://portal.example")
        .env("SOSIAALITIEDOT__OIDC__SIGNING_KEY", "/nonexistent/sign.pem")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("public_url must be https"), "{stderr}");
    assert!(stderr.contains("oidc.signing_key: cannot read /nonexistent/sign.pem"), "{stderr}");
}

#[test]
fn demo_refuses_real_identity_codes_and_public_addresses() {
    let out = bin().args(["demo", "--database-url", "sqlite::memory:", "--bind", "0.0.0.0:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--public-demo"));
    let db = temp("real.db");
    let _ = std::fs::remove_file(&db);
    let url = format!("sqlite:{}", db.display());
    let feed = temp("real.jsonl");
    std::fs::write(&feed, r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Oikea"}"#)
        .unwrap();
    assert!(bin().args(["import", feed.to_str().unwrap(), "--database-url", &url]).output().unwrap().status.success());
    let out = bin().args(["demo", "--database-url", &url, "--bind", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("outside the test range"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A database with the demo feed, for explain.
fn demo_db(name: &str) -> String {
    let db = temp(name);
    let _ = std::fs::remove_file(&db);
    let url = format!("sqlite:{}", db.display());
    let feed = temp(&format!("{name}.jsonl"));
    std::fs::write(&feed, sosiaalitiedot::DEMO_FEED).unwrap();
    let out = bin().args(["import", feed.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(out.status.success());
    url
}

fn hetu_of(name: &str) -> String {
    let people: serde_json::Value = serde_json::from_str(
        sosiaalitiedot::DEMO_FEED
            .lines()
            .map(|l| l.to_string())
            .find(|l| l.contains("\"type\":\"person\"") && l.contains(name))
            .unwrap()
            .as_str(),
    )
    .unwrap();
    people["hetu"].as_str().unwrap().to_string()
}

#[test]
fn explain_prints_every_document_with_its_verdict_and_rule_as_json() {
    let url = demo_db("explain.db");
    let aino = hetu_of("Aino Marjatta");
    let out = bin()
        .args(["explain", "--subject", &aino, "--on", "2026-11-25", "--json", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), 7);
    for k in ["subject", "viewer", "role", "on", "documents", "relationships", "data_use"] {
        assert!(keys.contains(&k), "{k}");
    }
    assert_eq!(v["role"], "own");
    assert_eq!(v["on"], "2026-11-25");
    let docs = v["documents"].as_array().unwrap();
    for d in docs {
        let mut k: Vec<&str> = d.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        k.sort();
        assert_eq!(k, vec!["id", "rule", "service_task", "title", "verdict", "version"]);
    }
    let rule_of = |title: &str| {
        let d = docs.iter().find(|d| d["title"] == title).unwrap_or_else(|| panic!("{title}"));
        (d["verdict"].as_str().unwrap().to_string(), d["rule"].as_str().map(str::to_string))
    };
    assert_eq!(rule_of("Päätös säännöllisestä kotihoidosta"), ("shown".into(), None));
    assert_eq!(rule_of("Asiakassuunnitelma (päivitetty)"), ("shown".into(), None));
    assert_eq!(rule_of("Päätös asiakasmaksusta"), ("hidden".into(), Some("invalidated".into())));
    assert_eq!(rule_of("Päätös (vanha järjestelmä)"), ("hidden".into(), Some("old_format".into())));
    assert_eq!(rule_of("Maksusitoumus: kuljetuspalvelu"), ("hidden".into(), Some("never_shown".into())));
    assert_eq!(rule_of("Asiakaskertomusmerkintä: kotikäynti"), ("hidden".into(), Some("not_yet_shown".into())));
    assert_eq!(rule_of("Palvelutarpeen arvio: vammaispalvelut"), ("hidden".into(), Some("special_content".into())));
    assert_eq!(rule_of("Perheasioiden sovittelu: muistio"), ("hidden".into(), Some("not_yet_published".into())));
    assert_eq!(
        rule_of("Palvelutarpeen arvio: muistitutkimuksen jälkeinen tuen tarve"),
        ("restricted".into(), Some("delayed".into()))
    );
    // The earlier version of the corrected plan is not listed: one entry per document.
    assert!(!docs.iter().any(|d| d["title"] == "Asiakassuunnitelma"));
    // The delay ends on 30.6.2027: shown from that day on.
    let later = bin()
        .args(["explain", "--subject", &aino, "--on", "2027-06-30", "--json", "--database-url", &url])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&later.stdout).unwrap();
    let memory = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Palvelutarpeen arvio: muistitutkimuksen jälkeinen tuen tarve")
        .unwrap()
        .clone();
    assert_eq!(memory["verdict"], "shown");
}

#[test]
fn explain_for_a_guardian_applies_rule_8_and_a_stranger_gets_exit_3_and_nothing() {
    let url = demo_db("explain-roles.db");
    let eetu = hetu_of("Eetu Matias");
    let laura = hetu_of("Laura Helena");
    let ville = hetu_of("Ville Henrik");
    let out = bin()
        .args([
            "explain",
            "--subject",
            &eetu,
            "--viewer",
            &laura,
            "--on",
            "2026-11-25",
            "--json",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "guardian");
    let memo = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Muistio: nuoren oma tapaaminen")
        .unwrap()
        .clone();
    assert_eq!((memo["verdict"].as_str(), memo["rule"].as_str()), (Some("restricted"), Some("hidden_from_guardians")));

    let out = bin()
        .args(["explain", "--subject", &eetu, "--viewer", &ville, "--on", "2026-11-25", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("Eetu") && !err.contains(&eetu), "{err}");
    // A viewer unknown to the population data has no role either.
    let out = bin()
        .args(["explain", "--subject", &eetu, "--viewer", "131052-308T", "--on", "2026-11-25", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let text =
        bin().args(["explain", "--subject", &eetu, "--on", "2026-11-25", "--database-url", &url]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("Viewer role: own"));
}

#[test]
fn export_records_writes_what_the_viewer_may_see_with_explains_viewer_rules_and_exit_codes() {
    let url = demo_db("export-records.db");
    let eetu = hetu_of("Eetu Matias");
    let laura = hetu_of("Laura Helena");
    let ville = hetu_of("Ville Henrik");
    let run = |args: &[&str]| {
        bin().args(["export-records", "--on", "2026-11-25", "--database-url", &url]).args(args).output().unwrap()
    };
    // The guardian's view: the schema, the role, and never the document restricted from guardians.
    let out = run(&["--subject", &eetu, "--viewer", &laura, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "sosiaalitiedot-export/1");
    assert_eq!(v["viewer_role"], "guardian");
    let titles: Vec<&str> = v["documents"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(!titles.contains(&"Muistio: nuoren oma tapaaminen"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&eetu) && !text.contains(&laura), "no identity code in the file");
    // The child's own view holds it; the same ids as explain's shown documents.
    let own = run(&["--subject", &eetu, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&own.stdout).unwrap();
    let mut exported: Vec<String> =
        v["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    exported.sort();
    let explained = bin()
        .args(["explain", "--subject", &eetu, "--on", "2026-11-25", "--json", "--database-url", &url])
        .output()
        .unwrap();
    let e: serde_json::Value = serde_json::from_slice(&explained.stdout).unwrap();
    let mut shown: Vec<String> = e["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["verdict"] == "shown")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    shown.sort();
    assert_eq!(exported, shown);
    // HTML in Swedish.
    let html = run(&["--subject", &eetu, "--format", "html", "--lang", "sv"]);
    assert!(html.status.success());
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("<html lang=\"sv\">")
            && html.trim_end().ends_with("</html>")
    );
    // A stranger: exit 3 and nothing; a bad code: exit 2; an unknown format: a usage error.
    let out = run(&["--subject", &eetu, "--viewer", &ville, "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&eetu));
    assert_eq!(run(&["--subject", "131052-308X", "--format", "json"]).status.code(), Some(2));
    assert_eq!(run(&["--subject", &eetu, "--format", "pdf"]).status.code(), Some(2));
}

#[test]
fn export_choices_refuses_a_bad_since_and_prints_nothing_for_an_untouched_database() {
    let url = demo_db("export.db");
    let out = bin().args(["export-choices", "--since", "yesterday", "--database-url", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out =
        bin().args(["export-choices", "--since", "2026-01-01T00:00:00Z", "--database-url", &url]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "choices recorded at a service are not exported");
}

/// One HTTP/1.1 request over a fresh connection; `None` when the connection is refused.
fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> Option<Result<(u16, String, String), String>> {
    use std::io::{Read, Write};
    let mut s = match std::net::TcpStream::connect(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(_) => return None,
    };
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // A connection still in the listen backlog when the server stops is reset before any byte of
    // an answer: refused, like a connection made after it stopped.
    if s.write_all(req.as_bytes()).is_err() {
        return None;
    }
    let mut out = Vec::new();
    if let Err(e) = s.read_to_end(&mut out) {
        return if out.is_empty() { None } else { Some(Err(e.to_string())) };
    }
    if out.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&out).to_string();
    let status =
        text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| format!("no status in {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Some(status.map(|s| (s, head.to_string(), body.to_string())))
}

/// A demo server on a fresh SQLite database `name` and a free port, up and answering `/healthz`.
/// `args` go before the common ones; standard error is piped when `log` is true.
fn start_demo(name: &str, args: &[&str], log: bool) -> (std::process::Child, u16, String) {
    start_demo_with(name, args, log, &[])
}

/// [`start_demo`] with more environment variables.
fn start_demo_with(
    name: &str,
    args: &[&str],
    log: bool,
    env: &[(String, String)],
) -> (std::process::Child, u16, String) {
    let db = temp(name);
    let _ = std::fs::remove_file(&db);
    let url = format!("sqlite:{}", db.display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = format!("127.0.0.1:{port}");
    let child = bin()
        .arg("demo")
        .args(args)
        .args(["--bind", &bind, "--today", "2026-11-25", "--database-url", &url])
        .env("RUST_LOG", "info")
        .envs(env.iter().cloned())
        .stderr(if log { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .spawn()
        .unwrap();
    let up = (0..100).any(|_| {
        let ok = matches!(http(port, "GET", "/healthz", "", ""), Some(Ok((200, _, _))));
        if !ok {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        ok
    });
    assert!(up, "the demo server started");
    (child, port, url)
}

#[test]
fn sigterm_lets_requests_in_flight_finish_and_refuses_new_ones() {
    let (mut child, port, url) = start_demo("shutdown.db", &[], false);
    // Sign in as the first person on the demo page.
    let (_, head, page) = http(port, "GET", "/fi/sign-in", "", "").unwrap().unwrap();
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let field = |name: &str| {
        page.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    let form = format!("csrf_token={}&person_id={}", field("csrf_token"), field("person_id"));
    let (status, head, _) = http(port, "POST", "/fi/sign-in", &cookie, &form).unwrap().unwrap();
    assert_eq!(status, 303);
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or(cookie);
    // Load from eight clients; SIGTERM in the middle.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (cookie, stop) = (cookie.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut ok, mut refused, mut broken) = (0, 0, Vec::new());
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match http(port, "GET", "/fi/records", &cookie, "") {
                        None => refused += 1,
                        Some(Ok((200, _, body))) if body.contains("</html>") => ok += 1,
                        Some(Ok((status, _, _))) => broken.push(format!("status {status}")),
                        Some(Err(e)) => broken.push(e),
                    }
                }
                (ok, refused, broken)
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(700));
    unsafe_kill(child.id(), "TERM");
    let exited = child.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut ok, mut refused, mut broken) = (0, 0, Vec::new());
    for c in clients {
        let (o, r, b) = c.join().unwrap();
        ok += o;
        refused += r;
        broken.extend(b);
    }
    assert!(exited.success(), "{exited:?}");
    assert!(ok > 0 && refused > 0, "{ok} answered, {refused} refused");
    assert!(broken.is_empty(), "requests lost or cut: {broken:?}");
    // Every answered view left its audit record.
    let out = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let verified: usize = text
        .split("intact: ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(verified >= ok, "{verified} audit records for {ok} answered views: {text}");
}

fn unsafe_kill(pid: u32, signal: &str) {
    assert!(
        std::process::Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status().unwrap().success()
    );
}

#[test]
fn verify_audit_passes_an_intact_trail_and_names_an_edited_record() {
    let url = demo_db("audit.db");
    let store_url = url.clone();
    actix_web::rt::System::new().block_on(async move {
        let store = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap();
        let key = store.demo_chain_key().await.unwrap();
        for action in ["view_records", "view_document", "view_data_use"] {
            let e = sosiaalitiedot::store::NewAuditEvent {
                key: &key,
                actor_id: 1,
                role: "own",
                subject_id: 1,
                action,
                object: None,
                request_id: None,
            };
            store.audit(&e).await.unwrap();
        }
        store.close().await;
    });
    let ok = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("audit trail intact: 3 chained record(s) verified"));
    // The owner removes the guard and edits the second record.
    let store_url = url.clone();
    actix_web::rt::System::new().block_on(async move {
        let sosiaalitiedot::store::Store::Sqlite(p) = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap() else { unreachable!() };
        sqlx::query("drop trigger audit_event_no_update").execute(&p).await.unwrap();
        sqlx::query("update audit_event set action = 'nothing' where audit_event_id = (select min(audit_event_id) + 1 from audit_event)").execute(&p).await.unwrap();
    });
    let broken = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("audit trail BROKEN: audit record 2: its hash does not match its contents (edited or forged)"),
        "{stderr}"
    );
}

/// `verify-audit` checks the copies "who acted for me" reads (migration 0015) against the trail:
/// a copy the owner removed, hiding another's action from the principal, fails the walk.
#[test]
fn verify_audit_names_a_hidden_action_of_another() {
    let url = demo_db("acted.db");
    let store_url = url.clone();
    actix_web::rt::System::new().block_on(async move {
        let store = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap();
        let key = store.demo_chain_key().await.unwrap();
        for (actor_id, action) in [(1, "view_records"), (2, "view_document"), (2, "view_data_use")] {
            let e = sosiaalitiedot::store::NewAuditEvent {
                key: &key,
                actor_id,
                role: if actor_id == 1 { "own" } else { "mandate" },
                subject_id: 1,
                action,
                object: None,
                request_id: None,
            };
            store.audit(&e).await.unwrap();
        }
        store.close().await;
    });
    let ok = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(stdout.contains("2 copy/copies of others' actions checked against their records"), "{stdout}");
    let store_url = url.clone();
    actix_web::rt::System::new().block_on(async move {
        let sosiaalitiedot::store::Store::Sqlite(p) = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap()
        else {
            unreachable!()
        };
        sqlx::query("drop trigger acted_for_event_no_delete").execute(&p).await.unwrap();
        sqlx::query(
            "delete from acted_for_event where audit_event_id = (select max(audit_event_id) from acted_for_event)",
        )
        .execute(&p)
        .await
        .unwrap();
    });
    let broken = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("has no copy in acted_for_event: \"who acted for me\" hides it"), "{stderr}");
    assert!(
        stderr.contains("acted_for_count says person 2 acted 2 time(s) for person 1; the copies say 1"),
        "{stderr}"
    );
}

#[test]
fn check_config_reports_what_serve_would_refuse_and_redacts_secrets() {
    let out = bin().args(["check-config"]).env("SOSIAALITIEDOT__SESSION__SECRET_KEY", "s".repeat(64)).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: oidc.issuer is required"), "{stderr}");
    assert!(stderr.contains("error: public_url is required"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(&"s".repeat(64)), "the secret is printed: {stdout}");
    assert!(stdout.contains("<redacted>"));
    // A password parameter is recognised however it is percent-encoded (as the driver reads it).
    let out = bin().args(["check-config", "--database-url", "postgres://app@db/x?pass%77ord=S3cret"]).output().unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!printed.contains("S3cret"), "the password is printed: {printed}");
    assert!(printed.contains("pass%77ord=***"), "{printed}");
    // A complete configuration passes.
    use josekit::jwk::KeyPair;
    let dir = temp("check-config");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["sign.pem", "enc.pem"] {
        let pair = josekit::jwk::alg::rsa::RsaKeyPair::generate(2048).unwrap();
        std::fs::write(dir.join(name), pair.to_pem_private_key()).unwrap();
    }
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        format!(
            "public_url = \"https://sosiaalitiedot.example.fi\"\ndatabase_url = \"postgres://app:pw@db/st?password=querysecret\"\n[session]\nsecret_key = \"{}\"\n[oidc]\nissuer = \"https://tunnistus.example.fi\"\nclient_id = \"st\"\nsigning_key = \"{}\"\nencryption_key = \"{}\"\n[audit]\nchain_key = \"{}\"\n[operator]\nname = \"Testin hyvinvointialue\"\ndpo_email = \"tietosuoja@example.fi\"\n",
            "k".repeat(64),
            dir.join("sign.pem").display(),
            dir.join("enc.pem").display(),
            "c".repeat(40)
        ),
    )
    .unwrap();
    let out = bin().args(["check-config", "--config", config.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("configuration ok"));
    // The statement's supervisory authority, with when its contacts were last checked.
    assert!(
        stdout.contains(
            "accessibility statement: supervisory authority Lupa- ja valvontavirasto, saavutettavuusvalvonta <saavutettavuus@lvv.fi>, 0295 016 000, https://www.saavutettavuusvaatimukset.fi/; contacts last checked 2026-12-01"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("note: the supervisory authority"), "{stdout}");
    let old = dir.join("old-check.toml");
    std::fs::write(
        &old,
        format!(
            "today = \"2027-12-01\"\n{}[accessibility]\nauthority_checked_on = \"2027-01-02\"\n",
            std::fs::read_to_string(&config).unwrap()
        ),
    )
    .unwrap();
    let out = bin().args(["check-config", "--config", old.to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("contacts last checked 2027-01-02"), "{stdout}");
    assert!(stdout.contains("note: the supervisory authority's contacts were checked 333 days ago"), "{stdout}");
    assert!(
        !stdout.contains("pw@")
            && !stdout.contains("querysecret")
            && !stdout.contains(&"k".repeat(64))
            && !stdout.contains(&"c".repeat(40)),
        "{stdout}"
    );

    // [valtuudet]: a partial section, an empty issue list and a plain-http address are each refused;
    // a complete one passes with its secrets redacted.
    let with = |extra: &str| {
        let file = dir.join("valtuudet.toml");
        std::fs::write(&file, format!("{}{extra}", std::fs::read_to_string(&config).unwrap())).unwrap();
        bin().args(["check-config", "--config", file.to_str().unwrap()]).output().unwrap()
    };
    let out = with("[valtuudet]\nbase_url = \"http://valtuudet.example.fi\"\nissues = []\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for problem in [
        "error: valtuudet.base_url must be an https:// address",
        "error: valtuudet.client_id is required",
        "error: valtuudet.api_key is required",
        "error: valtuudet.oauth_password is required",
        "error: valtuudet.issues must name at least one issue code",
    ] {
        assert!(stderr.contains(problem), "{problem}: {stderr}");
    }
    let out = with(
        "[valtuudet]\nbase_url = \"https://valtuudet.example.fi\"\nclient_id = \"sosiaali\"\napi_key = \"the-api-key-secret\"\noauth_password = \"the-oauth-secret\"\nissues = [\"sosiaalihuolto\"]\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("the-api-key-secret") && !stdout.contains("the-oauth-secret"), "{stdout}");
    assert!(stdout.contains("valtuudet.example.fi"), "{stdout}");
}

#[test]
fn a_backup_taken_under_load_restores_completely() {
    let copy = temp("backup-copy.db");
    let _ = std::fs::remove_file(&copy);
    let (mut child, port, url) = start_demo("backup-live.db", &[], false);
    // Load: anonymous pages and sign-in page sessions being written.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = http(port, "GET", "/fi/sign-in", "", "");
                }
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = bin().args(["backup", copy.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    unsafe_kill(child.id(), "TERM");
    child.wait().unwrap();
    // Every archive row is in the copy; a second backup to the same file is refused.
    let copy_url = format!("sqlite:{}", copy.display());
    let explain = |u: &str| {
        bin()
            .args([
                "explain",
                "--subject",
                &hetu_of("Aino Marjatta"),
                "--on",
                "2026-11-25",
                "--json",
                "--database-url",
                u,
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(explain(&url), explain(&copy_url), "the copy holds the same records");
    assert!(bin().args(["verify-audit", "--database-url", &copy_url]).output().unwrap().status.success());
    let again = bin().args(["backup", copy.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(!again.status.success());
}

#[test]
fn the_json_log_of_a_whole_journey_parses_and_holds_no_personal_data() {
    let log = journey_log("json");
    let mut lines = 0;
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v.get("timestamp").is_some() && v.get("level").is_some(), "{line}");
        assert_ne!(v["level"], "ERROR", "nothing here is a fault: {line}");
        lines += 1;
    }
    assert!(lines > 5, "{log}");
    assert!(log.contains("request_id"), "lines carry the request id");
    // Each request ends with a line naming its method, path, route template, status and time taken.
    let ended: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["span"]["name"] == "HTTP request" && v["fields"]["message"] == "request")
        .collect();
    let request = |target: &str, status: u64| {
        ended.iter().find(|v| v["span"]["http.target"] == target && v["fields"]["http.status_code"] == status).cloned()
    };
    let records = request("/fi/records", 200).unwrap_or_else(|| panic!("no signed-in /fi/records: {ended:?}"));
    assert_eq!(records["fields"]["http.route"], "/{lang:fi|sv|en}/records");
    assert!(records["fields"]["took_ms"].as_f64().is_some_and(|ms| ms > 0.0), "{records}");
    assert_eq!(records["span"]["http.method"], "GET");
    assert!(records["span"]["request_id"].as_str().is_some_and(|id| id.len() == 36), "{records}");
    let missing = request("/fi/documents/NO-SUCH", 404).unwrap_or_else(|| panic!("no missing document: {ended:?}"));
    assert_eq!(missing["fields"]["http.route"], "/{lang:fi|sv|en}/documents/{id}");
}

#[test]
fn the_text_log_of_a_whole_journey_holds_no_personal_data_and_no_false_errors() {
    let log = journey_log("text");
    assert!(log.lines().count() > 5, "{log}");
    assert!(!log.contains("ERROR"), "{log}");
}

/// Runs a whole journey against a demo server logging in `format`; checks that no identity code,
/// name or session key of the journey is in the log, and returns the log.
fn journey_log(format: &str) -> String {
    let (child, port, _) = start_demo(&format!("{format}log.db"), &["--log-format", format], true);
    // Anonymous visits to personal pages, a sign-in, records, a missing document, sign-out.
    let _ = http(port, "GET", "/fi/records", "", "");
    let (_, head, page) = http(port, "GET", "/fi/sign-in", "", "").unwrap().unwrap();
    let cookie_of = |head: &str| {
        head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().split(';').next().unwrap().to_string())
        })
    };
    let cookie = cookie_of(&head).unwrap();
    let field = |page: &str, name: &str| {
        page.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    let form = format!("csrf_token={}&person_id={}", field(&page, "csrf_token"), field(&page, "person_id"));
    let (_, head, _) = http(port, "POST", "/fi/sign-in", &cookie, &form).unwrap().unwrap();
    let cookie = cookie_of(&head).unwrap_or(cookie);
    let (_, _, records) = http(port, "GET", "/fi/records", &cookie, "").unwrap().unwrap();
    let _ = http(port, "GET", "/fi/documents/NO-SUCH", &cookie, "");
    // A provider's callback and a query holding an identity code: the log names the path alone.
    let _ = http(port, "GET", "/auth/callback?code=secret-code-123&state=secret-state-456", &cookie, "");
    let _ = http(port, "GET", "/fi/records?x=131052-308T", &cookie, "");
    let _ = http(port, "POST", "/fi/sign-out", &cookie, &format!("csrf_token={}", field(&records, "csrf_token")));
    unsafe_kill(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    let people: Vec<serde_json::Value> = sosiaalitiedot::DEMO_FEED
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["type"] == "person")
        .collect();
    for p in &people {
        for key in ["hetu", "first_names", "last_name"] {
            let value = p[key].as_str().unwrap();
            assert!(!log.contains(value), "{key} {value} in the log");
        }
    }
    let session_key = cookie.split('=').nth(1).unwrap();
    assert!(!log.contains(session_key), "the session cookie in the log");
    for secret in ["secret-code-123", "secret-state-456", "131052-308T"] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
    assert!(log.contains("/auth/callback"), "the callback is logged by its path");
    log
}

/// The whole e-Authorizations journey against the test service, logged as JSON: sign-in, the
/// button, the selection page, the callback with its code, the child's records, a query holding an
/// identity code. No identity code, name, code, session id, token or key is in the log.
#[test]
fn the_json_log_of_an_e_authorizations_journey_holds_no_personal_data_code_or_token() {
    use std::io::BufRead;
    let api_key = "cli-journey-api-key";
    let mut service = std::process::Command::new("node")
        .args(["browser-tests/valtuudet-service.mjs", "0", "sosiaali", api_key, "cli-oauth-password"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(service.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let service_base = line.trim().strip_prefix("VALTUUDET READY ").unwrap().to_string();
    let service_port: u16 = service_base.rsplit(':').next().unwrap().parse().unwrap();
    let env: Vec<(String, String)> = [
        ("SOSIAALITIEDOT__VALTUUDET__BASE_URL", service_base.as_str()),
        ("SOSIAALITIEDOT__VALTUUDET__CLIENT_ID", "sosiaali"),
        ("SOSIAALITIEDOT__VALTUUDET__API_KEY", api_key),
        ("SOSIAALITIEDOT__VALTUUDET__OAUTH_PASSWORD", "cli-oauth-password"),
        ("SOSIAALITIEDOT__VALTUUDET__ISSUES", "[\"sosiaalihuollon-tiedot\"]"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (child, port, _) = start_demo_with("valtuudetlog.db", &["--log-format", "json", "--insecure-http"], true, &env);
    let cookie_of = |head: &str| {
        head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().split(';').next().unwrap().to_string())
        })
    };
    let location_of = |head: &str| {
        head.lines()
            .find_map(|l| l.to_ascii_lowercase().starts_with("location:").then(|| l[9..].trim().to_string()))
            .unwrap()
    };
    let field = |page: &str, name: &str| {
        page.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    let (_, head, page) = http(port, "GET", "/fi/sign-in", "", "").unwrap().unwrap();
    let cookie = cookie_of(&head).unwrap();
    let laura = page.split("Laura Helena").nth(1).unwrap();
    let form = format!("csrf_token={}&person_id={}", field(&page, "csrf_token"), field(laura, "person_id"));
    let (_, head, _) = http(port, "POST", "/fi/sign-in", &cookie, &form).unwrap().unwrap();
    let cookie = cookie_of(&head).unwrap_or(cookie);
    let (_, _, acting) = http(port, "GET", "/fi/acting-for", &cookie, "").unwrap().unwrap();
    let (status, head, _) = http(
        port,
        "POST",
        "/fi/acting-for/valtuudet",
        &cookie,
        &format!("csrf_token={}", field(&acting, "csrf_token")),
    )
    .unwrap()
    .unwrap();
    assert_eq!(status, 303);
    let authorize = location_of(&head);
    let (status, _, selection) =
        http(service_port, "GET", authorize.strip_prefix(&service_base).unwrap(), "", "").unwrap().unwrap();
    assert_eq!(status, 200, "{selection}");
    let session_id = field(&selection, "sessionId");
    let (status, head, _) =
        http(service_port, "POST", "/oauth/select", "", &format!("sessionId={session_id}&principal=140610A935L"))
            .unwrap()
            .unwrap();
    assert_eq!(status, 302);
    let callback = location_of(&head);
    let code = callback.split("code=").nth(1).unwrap().to_string();
    let (status, head, _) =
        http(port, "GET", callback.split_once(&format!(":{port}")).unwrap().1, &cookie, "").unwrap().unwrap();
    assert_eq!(status, 303);
    assert_eq!(location_of(&head), "/fi/records");
    let (status, _, records) = http(port, "GET", "/fi/records", &cookie, "").unwrap().unwrap();
    assert_eq!(status, 200);
    assert!(records.contains("Eetu Matias Nieminen"));
    let _ = http(port, "GET", "/fi/records?x=150380-9125", &cookie, "");
    let _ = http(port, "GET", "/fi/documents/150380-9125", &cookie, "");
    unsafe_kill(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    let _ = service.kill();
    let _ = service.wait();
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(log.contains("/valtuudet/callback"), "the callback is logged: {log}");
    let people: Vec<serde_json::Value> = sosiaalitiedot::DEMO_FEED
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["type"] == "person")
        .collect();
    for p in &people {
        for key in ["hetu", "first_names", "last_name"] {
            let value = p[key].as_str().unwrap();
            assert!(!log.contains(value), "{key} {value} in the log");
        }
    }
    for (what, secret) in [
        ("the code", code.as_str()),
        ("the Web API session", session_id.as_str()),
        ("the API key", api_key),
        ("a typed identity code", "150380-9125"),
    ] {
        assert!(!log.contains(secret), "{what} in the log");
    }
    assert!(!log.contains("Bearer") && !log.contains("code="), "{log}");
    assert!(!log.contains(cookie.split('=').nth(1).unwrap()), "the session cookie in the log");
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_ne!(v["level"], "ERROR", "nothing here is a fault: {line}");
    }
}

#[test]
fn verify_audit_with_signed_checkpoints_names_a_deleted_tail_and_a_foreign_signature() {
    use josekit::jwk::KeyPair;
    let url = demo_db("anchored.db");
    let dir = temp("anchored-keys");
    std::fs::create_dir_all(&dir).unwrap();
    let write_key = |name: &str| {
        let pair = josekit::jwk::alg::ed::EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
        std::fs::write(dir.join(format!("{name}.pem")), pair.to_pem_private_key()).unwrap();
        std::fs::write(dir.join(format!("{name}.pub.pem")), pair.to_pem_public_key()).unwrap();
    };
    write_key("checkpoint");
    write_key("stranger");
    let file = dir.join("checkpoints.jsonl");
    let _ = std::fs::remove_file(&file);
    let (store_url, key_path, stranger_path, file_path) =
        (url.clone(), dir.join("checkpoint.pem"), dir.join("stranger.pem"), file.clone());
    actix_web::rt::System::new().block_on(async move {
        let store = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap();
        let key = store.demo_chain_key().await.unwrap();
        for action in ["view_records", "view_document", "view_data_use", "view_records"] {
            let e = sosiaalitiedot::store::NewAuditEvent {
                key: &key,
                actor_id: 1,
                role: "own",
                subject_id: 1,
                action,
                object: None,
                request_id: None,
            };
            store.audit(&e).await.unwrap();
        }
        let signer = sosiaalitiedot::audit::checkpoint::CheckpointSigner::load(key_path.to_str().unwrap()).unwrap();
        let c = store.write_checkpoint(&signer, chrono::Duration::zero()).await.unwrap().unwrap();
        sosiaalitiedot::audit::checkpoint::append(file_path.to_str().unwrap(), &c).unwrap();
        store.close().await;
        // The same checkpoint re-signed with a key the verifier does not trust.
        let stranger =
            sosiaalitiedot::audit::checkpoint::CheckpointSigner::load(stranger_path.to_str().unwrap()).unwrap();
        let forged = stranger.sign(c.records, c.last_id, &c.head, c.at);
        std::fs::write(file_path.with_extension("forged"), format!("{}\n", forged.to_line())).unwrap();
    });
    let public = dir.join("checkpoint.pub.pem");
    let verify = |checkpoints: &std::path::Path| {
        bin()
            .args([
                "verify-audit",
                "--database-url",
                &url,
                "--checkpoints",
                checkpoints.to_str().unwrap(),
                "--public-key",
                public.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let ok = verify(&file);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(stdout.contains("the chain passes through all 1 signed checkpoint(s)"), "{stdout}");
    assert!(stdout.contains("records/s"), "the rate is printed: {stdout}");
    let forged = verify(&file.with_extension("forged"));
    assert_eq!(forged.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&forged.stderr).contains("its signature does not verify"),
        "{}",
        String::from_utf8_lossy(&forged.stderr)
    );
    // The owner deletes the last two records.
    let store_url = url.clone();
    actix_web::rt::System::new().block_on(async move {
        let sosiaalitiedot::store::Store::Sqlite(p) = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap()
        else {
            unreachable!()
        };
        sqlx::query("drop trigger audit_event_no_delete").execute(&p).await.unwrap();
        sqlx::query("delete from audit_event where audit_event_id > (select max(audit_event_id) - 2 from audit_event)")
            .execute(&p)
            .await
            .unwrap();
    });
    let without = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert!(without.status.success(), "without checkpoints a shorter chain still verifies");
    let broken = verify(&file);
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("the trail has 2 records, but it had 4 then (records were deleted from its end)"),
        "{stderr}"
    );
}

#[test]
fn a_running_instance_appends_signed_checkpoints_to_its_file_and_log() {
    use josekit::jwk::KeyPair;
    let dir = temp("running-checkpoints");
    std::fs::create_dir_all(&dir).unwrap();
    let pair = josekit::jwk::alg::ed::EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
    std::fs::write(dir.join("cp.pem"), pair.to_pem_private_key()).unwrap();
    std::fs::write(dir.join("cp.pub.pem"), pair.to_pem_public_key()).unwrap();
    let file = dir.join("checkpoints.jsonl");
    let _ = std::fs::remove_file(&file);
    let env = vec![
        ("SOSIAALITIEDOT__AUDIT__CHECKPOINT_KEY".to_string(), dir.join("cp.pem").display().to_string()),
        ("SOSIAALITIEDOT__AUDIT__CHECKPOINT_FILE".to_string(), file.display().to_string()),
    ];
    let (child, _, url) = start_demo_with("checkpointing.db", &[], true, &env);
    let written = (0..50).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::fs::read_to_string(&file).is_ok_and(|t| t.lines().count() >= 1)
    });
    unsafe_kill(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    assert!(written, "a checkpoint is written when the instance starts");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("audit checkpoint"), "{log}");
    let checkpoints = sosiaalitiedot::audit::checkpoint::parse_file(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let keys = sosiaalitiedot::audit::checkpoint::CheckpointKeys::load(&[dir.join("cp.pub.pem").display().to_string()])
        .unwrap();
    assert!(checkpoints.iter().all(|c| keys.verifies(c)));
    let ok = bin()
        .args([
            "verify-audit",
            "--database-url",
            &url,
            "--checkpoints",
            file.to_str().unwrap(),
            "--public-key",
            dir.join("cp.pub.pem").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn a_demo_database_takes_test_identity_codes_only() {
    let (child, _, url) = start_demo("marked.db", &[], false);
    unsafe_kill(child.id(), "TERM");
    let mut child = child;
    child.wait().unwrap();
    let feed = temp("marked-real.jsonl");
    std::fs::write(&feed, "{\"type\":\"person\",\"hetu\":\"131052-308T\",\"first_names\":\"Aino\",\"last_name\":\"Oikea\"}\n{\"type\":\"person\",\"hetu\":\"010199-9986\",\"first_names\":\"Testi\",\"last_name\":\"Henkilö\"}\n").unwrap();
    let out = bin().args(["import", feed.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 1: hetu: a demo database takes test identity codes only"), "{stderr}");
    assert!(!stderr.contains("line 2:"), "{stderr}");
    // An unmarked database takes any valid code.
    let plain = temp("unmarked.db");
    let _ = std::fs::remove_file(&plain);
    let out = bin()
        .args(["import", feed.to_str().unwrap(), "--database-url", &format!("sqlite:{}", plain.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn backup_follows_no_link_and_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let url = demo_db("backup-src.db");
    let dir = temp("backup-links");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A link planted at the target, pointing where the attacker wants the copy.
    let elsewhere = dir.join("elsewhere.db");
    let link = dir.join("copy.db");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let out = bin().args(["backup", link.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("exists already (a file or a link)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!elsewhere.exists(), "the link was followed");
    let copy = dir.join("real-copy.db");
    let out = bin().args(["backup", copy.to_str().unwrap(), "--database-url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::metadata(&copy).unwrap().len() > 0);
}

/// Issue #25: `verify-audit --from-checkpoint` walks only what came after a signed checkpoint (an
/// edit before it is not walked; one after it is named), and a trail whose first records were
/// detached (an archived month) resumes from the checkpoint at their end.
#[test]
fn verify_audit_from_a_checkpoint_walks_only_what_follows_and_resumes_after_detached_records() {
    use josekit::jwk::KeyPair;
    let url = demo_db("incremental.db");
    let dir = temp("incremental-keys");
    std::fs::create_dir_all(&dir).unwrap();
    let pair = josekit::jwk::alg::ed::EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
    std::fs::write(dir.join("c.pem"), pair.to_pem_private_key()).unwrap();
    std::fs::write(dir.join("c.pub.pem"), pair.to_pem_public_key()).unwrap();
    let file = dir.join("checkpoints.jsonl");
    let _ = std::fs::remove_file(&file);
    let audit = |n: usize| {
        let (store_url, key_path, file_path) = (url.clone(), dir.join("c.pem"), file.clone());
        actix_web::rt::System::new().block_on(async move {
            let store = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap();
            let key = store.demo_chain_key().await.unwrap();
            for _ in 0..n {
                let e = sosiaalitiedot::store::NewAuditEvent {
                    key: &key,
                    actor_id: 1,
                    role: "own",
                    subject_id: 1,
                    action: "view_records",
                    object: None,
                    request_id: None,
                };
                store.audit(&e).await.unwrap();
            }
            let signer = sosiaalitiedot::audit::checkpoint::CheckpointSigner::load(key_path.to_str().unwrap()).unwrap();
            let c = store.write_checkpoint(&signer, chrono::Duration::zero()).await.unwrap().unwrap();
            sosiaalitiedot::audit::checkpoint::append(file_path.to_str().unwrap(), &c).unwrap();
            store.close().await;
            c
        })
    };
    let first = audit(5);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // checkpoints are named by their second
    let _second = audit(3);
    let public = dir.join("c.pub.pem");
    let verify = |extra: &[&str]| {
        bin()
            .args([
                "verify-audit",
                "--database-url",
                &url,
                "--checkpoints",
                file.to_str().unwrap(),
                "--public-key",
                public.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let from_latest = verify(&["--from-checkpoint"]);
    let stdout = String::from_utf8_lossy(&from_latest.stdout);
    assert!(from_latest.status.success(), "{}", String::from_utf8_lossy(&from_latest.stderr));
    assert!(stdout.starts_with("0 record(s) walked"), "nothing after the newest checkpoint: {stdout}");
    assert!(stdout.contains("records/s") && stdout.contains("started after the signed checkpoint"), "{stdout}");
    let at = first.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let from_first = verify(&["--from-checkpoint", &at]);
    let stdout = String::from_utf8_lossy(&from_first.stdout);
    assert!(from_first.status.success(), "{}", String::from_utf8_lossy(&from_first.stderr));
    assert!(stdout.starts_with("3 record(s) walked"), "{stdout}");
    assert!(stdout.contains("the chain passes through all 1 later signed checkpoint(s)"), "{stdout}");
    // No such checkpoint, or no checkpoint file: refused.
    assert_eq!(verify(&["--from-checkpoint", "2001-01-01T00:00:00Z"]).status.code(), Some(1));
    assert_eq!(
        bin().args(["verify-audit", "--database-url", &url, "--from-checkpoint"]).output().unwrap().status.code(),
        Some(2)
    );
    // The first five records are removed (as a detached, archived month would be): the full walk
    // resumes from the first checkpoint, whose head the sixth record follows.
    let store_url = url.clone();
    let last_id = first.last_id;
    actix_web::rt::System::new().block_on(async move {
        let sosiaalitiedot::store::Store::Sqlite(p) = sosiaalitiedot::store::Store::connect(&store_url).await.unwrap()
        else {
            unreachable!()
        };
        sqlx::query("drop trigger audit_event_no_delete").execute(&p).await.unwrap();
        sqlx::query("delete from audit_event where audit_event_id <= $1").bind(last_id).execute(&p).await.unwrap();
    });
    let resumed = verify(&[]);
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert!(resumed.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&resumed.stderr));
    assert!(stdout.contains("the records before it were detached"), "{stdout}");
    // Without the checkpoints the missing start cannot be proven.
    let unproven = bin().args(["verify-audit", "--database-url", &url]).output().unwrap();
    assert_eq!(unproven.status.code(), Some(1));
}
