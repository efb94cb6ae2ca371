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
            r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Virtanen"}"#, "\n",
            r#"{"type":"person","hetu":"131052-308X","first_names":"Bad","last_name":"Code"}"#, "\n",
            r#"{"type":"organisation","oid":"1.2.3","name":{"fi":"X"}}"#, "\n",
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

#[test]
fn serve_refuses_to_start_without_production_sign_in() {
    let db = temp("serve.db");
    let url = format!("sqlite:{}", db.display());
    let out = bin().args(["serve", "--database-url", &url, "--bind", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OpenID Connect"));
}
