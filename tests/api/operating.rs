//! What an operator needs: Prometheus metrics on a separate address that move with a journey and
//! name no person, document or session.

use crate::helpers::{TestApp, spawn_app_with};

async fn scrape(app: &TestApp) -> String {
    let url = format!("{}/metrics", app.metrics_address.as_ref().expect("metrics are on"));
    let mut res = awc::Client::default().get(url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    String::from_utf8(res.body().await.unwrap().to_vec()).unwrap()
}

/// The value of the first sample whose line starts with `prefix`.
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines().filter(|l| l.starts_with(prefix)).filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok()).sum()
}

#[actix_web::test]
async fn metrics_move_during_a_journey_on_their_own_address_only() {
    let app = spawn_app_with(|s| s.metrics_bind = Some("127.0.0.1:0".into())).await;
    let before = scrape(&app).await;
    app.load_demo().await;
    app.sign_in_as("Aino Marjatta").await;
    app.get("/fi/records").await;
    app.get("/fi/records/older_people").await;
    app.get("/fi/documents/NO-SUCH").await;
    let after = scrape(&app).await;
    let moved = |prefix: &str| sample(&after, prefix) > sample(&before, prefix);
    assert!(moved(r#"http_requests_total{route="/{lang:fi|sv|en}/records/{task}",status="200"}"#), "{after}");
    assert!(moved(r#"http_requests_total{route="/{lang:fi|sv|en}/documents/{id}",status="404"}"#), "{after}");
    assert!(moved("http_request_duration_seconds_count"), "{after}");
    assert!(moved(r#"sign_ins_total{outcome="demo"}"#), "{after}");
    assert!(moved("audit_writes_total"), "{after}");
    assert!(moved("audit_commit_seconds_count"), "{after}");
    assert!(moved("import_lines_total"), "{after}");
    assert!(after.contains(r#"db_pool_connections{state="idle"}"#), "{after}");
    assert!(after.contains("active_sessions"), "{after}");
    // No label names a person, a document or a session.
    assert!(!after.contains("NO-SUCH") && !after.contains("Aino") && !after.contains("170458"), "{after}");
    // Never on the citizen-facing port.
    assert_eq!(app.get("/metrics").await.status, 404);
}
