//! Integrity under faults (DESIGN §2.4): a change and its audit record are one transaction, the
//! trail is append-only and hash-chained, and refused attempts leave a trace.

use sosiaalitiedot::audit::{ChainBreak, ChainReport, verify_chain};
use sosiaalitiedot::store::Store;

use crate::helpers::{TestApp, spawn_demo_app as demo_app};

/// The app's trail checked with its database's chain key (the demo key: no `audit.chain_key` in tests).
async fn verify(app: &TestApp) -> ChainReport {
    let key = app.store.demo_chain_key().await.unwrap();
    verify_chain(app.store.audit_chain().await.unwrap(), Some(&key))
}

impl TestApp {
    /// A statement as the service's own database role.
    async fn sql(&self, sql: &'static str) -> Result<(), sqlx::Error> {
        match &self.store {
            Store::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Store::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
    }

    async fn scalar(&self, sql: &'static str) -> i64 {
        match &self.store {
            Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Store::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    /// Makes every audit insert fail, as a full disk or a revoked grant would.
    async fn break_audit_inserts(&self) {
        match &self.store {
            Store::Sqlite(_) => self
                .owner_sql("create trigger audit_fails before insert on audit_event begin select raise(abort, 'audit down'); end")
                .await
                .unwrap(),
            Store::Postgres(_) => {
                self.owner_sql("create function audit_fails() returns trigger language plpgsql as $$ begin raise exception 'audit down'; end; $$")
                    .await
                    .unwrap();
                self.owner_sql("create trigger audit_fails before insert on audit_event for each row execute function audit_fails()").await.unwrap();
            }
        }
    }
}

async fn give_consent(app: &TestApp) -> u16 {
    let confirm = app.get("/fi/consent/confirm?action=give").await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let csrf = TestApp::csrf_of(&confirm);
    let subject = confirm.attr("input[name=subject_token]", "value").unwrap();
    app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")])
        .await
        .status
        .as_u16()
}

#[actix_web::test]
async fn a_change_whose_audit_record_cannot_be_written_is_not_saved() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let before = app.scalar("select count(*) from consent").await;
    app.get("/fi/consent").await; // opens the session before the audit breaks
    let confirm = app.get("/fi/consent/confirm?action=give").await;
    app.break_audit_inserts().await;
    let csrf = TestApp::csrf_of(&confirm);
    let subject = confirm.attr("input[name=subject_token]", "value").unwrap();
    let res = app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")]).await;
    assert!(res.status.is_server_error(), "{}", res.status);
    assert_eq!(
        app.scalar("select count(*) from consent").await,
        before,
        "the consent was saved without its audit record"
    );
    match app.store {
        Store::Sqlite(_) => app.owner_sql("drop trigger audit_fails").await.unwrap(),
        Store::Postgres(_) => app.owner_sql("drop trigger audit_fails on audit_event").await.unwrap(),
    }
    assert_eq!(give_consent(&app).await, 303);
    assert_eq!(app.scalar("select count(*) from consent").await, before + 1);
}

#[actix_web::test]
async fn the_trail_cannot_be_rewritten_and_every_record_is_chained() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    app.get("/fi/records").await;
    assert_eq!(give_consent(&app).await, 303);
    assert!(app.sql("update audit_event set action = 'x'").await.is_err());
    assert!(app.sql("delete from audit_event").await.is_err());
    match &app.store {
        Store::Sqlite(_) => assert!(
            app.sql("insert or replace into audit_event (audit_event_id, at, actor_id, role, subject_id, action) select audit_event_id, at, actor_id, role, subject_id, 'forged' from audit_event limit 1")
                .await
                .is_err(),
            "REPLACE rewrote a record"
        ),
        Store::Postgres(_) => {
            assert!(app.sql("truncate audit_event").await.is_err(), "the service's role may TRUNCATE the trail");
            assert!(app.owner_sql("truncate audit_event").await.is_err(), "TRUNCATE emptied the trail");
        }
    }
    let report = verify(&app).await;
    assert_eq!(report.first_break, None);
    assert!(report.verified >= 2, "{report:?}");
}

#[actix_web::test]
async fn verify_audit_names_an_edited_record() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    for _ in 0..3 {
        app.get("/fi/records").await;
    }
    // An attacker with the owner's rights removes the guard and edits the second record.
    match &app.store {
        Store::Sqlite(_) => app.owner_sql("drop trigger audit_event_no_update").await.unwrap(),
        Store::Postgres(_) => app.owner_sql("drop trigger audit_event_no_update on audit_event").await.unwrap(),
    }
    app.owner_sql("update audit_event set object = 'edited' where audit_event_id = (select min(audit_event_id) + 1 from audit_event)").await.unwrap();
    let report = verify(&app).await;
    assert!(matches!(report.first_break, Some(ChainBreak::Altered(_))), "{report:?}");
}

#[actix_web::test]
async fn refused_attempts_are_recorded_with_their_target() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let me = app.person_id("Aino Marjatta").await;
    let stranger = app.person_id("Eetu").await;
    // Acting for a stranger.
    let page = app.get("/fi/acting-for").await;
    let csrf = TestApp::csrf_of(&page);
    let res = app.post("/fi/acting-for", &[("csrf_token", &csrf), ("person_id", &stranger.to_string())]).await;
    assert_eq!(res.status, 404);
    // A prohibition on a target that is not offered.
    let choose = app.get("/fi/prohibitions/new?type=registrar").await;
    let offered = choose.attr("input[name=target]", "value").expect("a registrar is offered");
    let page = app.get(&format!("/fi/prohibitions/new?type=registrar&target={offered}")).await;
    let csrf = TestApp::csrf_of(&page);
    let subject = page.attr("input[name=subject_token]", "value").unwrap();
    let nonce = page.attr("input[name=nonce]", "value").unwrap();
    app.post(
        "/fi/prohibitions",
        &[
            ("csrf_token", &csrf),
            ("subject_token", &subject),
            ("type", "registrar"),
            ("target", "9.9.9"),
            ("nonce", &nonce),
        ],
    )
    .await;
    // Who has acted for me: a view.
    app.get("/fi/acted-for-me").await;
    let rows = app.store.audit_of_actor(me).await.unwrap();
    assert!(rows.contains(&("none".into(), stranger, "denied_act_for".into(), None)), "{rows:?}");
    assert!(
        rows.contains(&("own".into(), me, "refused_change".into(), Some("prohibition:registrar:9.9.9".into()))),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r.2 == "view_acted_for_me"), "{rows:?}");
}

#[actix_web::test]
async fn with_the_database_away_a_signed_in_person_gets_the_503_page_at_once() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let front = app.get("/fi/").await;
    let csrf = TestApp::csrf_of(&front);
    app.store.close().await;
    let started = std::time::Instant::now();
    let page = app.get("/fi/records").await;
    assert_eq!(page.status, 503, "no detour via sign-in: {:?}", page.header("location"));
    assert_eq!(page.text("h1"), "Palvelu ei ole juuri nyt käytettävissä");
    // Sign-out cannot delete the session: it says so, instead of a false forgery warning.
    let out = app.post("/fi/sign-out", &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 503);
    // Probes and static files never touch the database, cookie or not.
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/static/site.css").await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "{:?}", started.elapsed());
}

fn secret(key: &str) -> sosiaalitiedot::settings::Secret {
    serde_json::from_value(serde_json::json!(key)).unwrap()
}

#[actix_web::test]
async fn two_instances_on_one_database_share_sessions_and_lose_no_change() {
    let key = "two-instances-".repeat(6);
    let a = crate::helpers::spawn_app_with(|s| s.session.secret_key = Some(secret(&key))).await;
    a.load_demo().await;
    let b = crate::helpers::spawn_app_on(&a.database_url, |s| s.session.secret_key = Some(secret(&key))).await;
    a.sign_in_as("Aino Marjatta").await;
    // The same browser continues on the other instance.
    *b.cookies.borrow_mut() = a.cookies.borrow().clone();
    assert_eq!(b.get("/fi/records").await.status, 200);
    let confirm = a.get("/fi/consent/confirm?action=give").await;
    let csrf = TestApp::csrf_of(&confirm);
    let subject = confirm.attr("input[name=subject_token]", "value").unwrap();
    let before = a.scalar("select count(*) from consent").await;
    // Ten consent changes at once, half through each instance: none lost.
    let give = [("csrf_token", csrf.as_str()), ("subject_token", subject.as_str()), ("action", "give")];
    let revoke = [("csrf_token", csrf.as_str()), ("subject_token", subject.as_str()), ("action", "revoke")];
    let posts = (0..10).map(|i| if i % 2 == 0 { a.post("/fi/consent", &give) } else { b.post("/fi/consent", &revoke) });
    for res in futures_util::future::join_all(posts).await {
        assert_eq!(res.status, 303, "{}", res.body);
    }
    // Each recorded change has its audit record, and no change is recorded twice in a row.
    let changes = a.scalar("select count(*) from consent").await - before;
    let audited = a.scalar("select count(*) from audit_event where action in ('give_consent', 'revoke_consent')").await;
    assert!(changes >= 1 && changes == audited, "{changes} changes, {audited} audit records");
    let history: Vec<bool> =
        a.store.consents_of(a.person_id("Aino Marjatta").await).await.unwrap().iter().map(|c| c.given).collect();
    assert!(history.windows(2).all(|w| w[0] != w[1]), "the same change twice in a row: {history:?}");
    // The same prohibition form sent through both instances at once: one prohibition.
    let targets = a.get("/fi/prohibitions/new?type=service_task").await;
    let target = targets.attr("input[name=target]", "value").expect("a task is offered");
    let check = a.get(&format!("/fi/prohibitions/new?type=service_task&target={target}")).await;
    let nonce = check.attr("input[name=nonce]", "value").unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("subject_token", subject.as_str()),
        ("type", "service_task"),
        ("target", target.as_str()),
        ("nonce", nonce.as_str()),
    ];
    let (ra, rb) =
        futures_util::future::join(a.post("/fi/prohibitions", &form), b.post("/fi/prohibitions", &form)).await;
    assert_eq!((ra.status.as_u16(), rb.status.as_u16()), (303, 303));
    assert_eq!(a.scalar("select count(*) from prohibition where set_by_role = 'own'").await, 1);
    let report = verify(&a).await;
    assert_eq!(report.first_break, None, "{report:?}");
    // Signed out on one instance: the other no longer accepts the cookie.
    let page = b.get("/fi/").await;
    assert_eq!(b.post("/fi/sign-out", &[("csrf_token", &TestApp::csrf_of(&page))]).await.status, 303);
    let res = a.get("/fi/records").await;
    assert_eq!(res.status, 303);
    assert!(res.location().starts_with("/fi/signed-out?reason=idle"), "{}", res.location());
    assert_eq!(a.get("/fi/records").await.status, 303, "and stays signed out");
}

/// Views are group-committed: concurrent page views through two instances share transactions,
/// yet every view has its own record, the chain holds, and when the audit cannot be written no
/// page is shown.
#[actix_web::test]
async fn concurrent_views_are_each_audited_in_one_unbroken_chain_and_fail_closed() {
    let key = "group-commit-".repeat(6);
    let a = crate::helpers::spawn_app_with(|s| s.session.secret_key = Some(secret(&key))).await;
    a.load_demo().await;
    let b = crate::helpers::spawn_app_on(&a.database_url, |s| s.session.secret_key = Some(secret(&key))).await;
    a.sign_in_as("Aino Marjatta").await;
    *b.cookies.borrow_mut() = a.cookies.borrow().clone();
    let before = a.scalar("select count(*) from audit_event where action = 'view_service_task'").await;
    let views =
        (0..40).map(|i| if i % 2 == 0 { a.get("/fi/records/older_people") } else { b.get("/fi/records/older_people") });
    for page in futures_util::future::join_all(views).await {
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Palvelutarpeen arvio: kotona asumisen tuki"));
    }
    assert_eq!(a.scalar("select count(*) from audit_event where action = 'view_service_task'").await - before, 40);
    let report = verify(&a).await;
    assert_eq!(report.first_break, None, "{report:?}");
    // A change writes its audit record in its own transaction: the writers' remembered chain
    // heads are stale now, and the next views must chain after the change's record.
    assert_eq!(give_consent(&a).await, 303);
    let views =
        (0..10).map(|i| if i % 2 == 0 { a.get("/fi/records/older_people") } else { b.get("/fi/records/older_people") });
    for page in futures_util::future::join_all(views).await {
        assert_eq!(page.status, 200, "{}", page.body);
    }
    for _ in 0..3 {
        assert_eq!(b.get("/fi/records/older_people").await.status, 200);
    }
    let report = verify(&a).await;
    assert_eq!(report.first_break, None, "{report:?}");
    assert_eq!(a.scalar("select count(*) from audit_event where action = 'view_service_task'").await - before, 53);

    a.break_audit_inserts().await;
    let views =
        (0..6).map(|i| if i % 2 == 0 { a.get("/fi/records/older_people") } else { b.get("/fi/records/older_people") });
    for page in futures_util::future::join_all(views).await {
        assert!(page.status.is_server_error(), "{}", page.status);
        assert!(
            !page.body.contains("Palvelutarpeen arvio: kotona asumisen tuki"),
            "a record shown without its audit record"
        );
    }
}

/// The group writer's shortcut (SQLite: one self-committing insert conditioned on the chain head
/// it remembers) never chains after a stale head: whatever wrote in between, the chain holds.
#[actix_web::test]
async fn the_group_writer_chains_after_the_real_head_whatever_wrote_in_between() {
    use sosiaalitiedot::store::NewAuditEvent;
    let app = demo_app().await;
    let me = app.person_id("Aino Marjatta").await;
    let key = app.store.demo_chain_key().await.unwrap();
    let event = |action: &'static str| NewAuditEvent {
        key: &key,
        actor_id: me,
        role: "own",
        subject_id: me,
        action,
        object: None,
        request_id: None,
    };
    let group = [event("view_records"), event("view_service_task"), event("view_document")];
    let before = app.scalar("select count(*) from audit_event").await;
    let writer = sosiaalitiedot::store::AuditWriter::start(app.store.clone(), key.clone());
    let write_group = || futures_util::future::join_all(group.iter().map(|e| writer.write(e)));
    assert!(write_group().await.iter().all(Result::is_ok)); // learns the head
    assert!(write_group().await.iter().all(Result::is_ok)); // the shortcut
    app.store.audit(&event("view_choices")).await.unwrap(); // another writer: the head moves
    assert!(write_group().await.iter().all(Result::is_ok)); // must notice
    let report = verify(&app).await;
    assert_eq!(report.first_break, None, "{report:?}");
    assert_eq!(app.scalar("select count(*) from audit_event").await, before + 10, "each record once");
    assert_eq!(report.verified, (before + 10) as u64, "all chained");
}

#[actix_web::test]
async fn a_refused_document_id_is_recorded_bounded_and_escaped() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let long = format!("%1B%5B31m%E2%80%AE131052-308T{}", "x".repeat(5000));
    assert_eq!(app.get(&format!("/fi/documents/{long}")).await.status, 404);
    let objects: Vec<(Option<String>,)> = match &app.store {
        Store::Sqlite(p) => sqlx::query_as("select object from audit_event where action = 'denied_view_document'")
            .fetch_all(p)
            .await
            .unwrap(),
        Store::Postgres(p) => sqlx::query_as("select object from audit_event where action = 'denied_view_document'")
            .fetch_all(p)
            .await
            .unwrap(),
    };
    assert_eq!(objects.len(), 1);
    let object = objects[0].0.clone().unwrap();
    assert!(object.chars().count() <= 100, "{} characters", object.chars().count());
    assert!(!object.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)), "{object:?}");
    assert!(!object.contains("131052-308T"), "{object}");
    assert!(object.starts_with("\\u{001b}[31m\\u{202e}***"), "{object}");
}

/// The five ways a database owner (or the service's role) could rewrite the trail unseen before
/// the chain was keyed and anchored outside the database: each is named now.
mod anchored {
    use super::*;
    use sosiaalitiedot::audit::checkpoint::{Checkpoint, CheckpointSigner};
    use sosiaalitiedot::audit::{ChainVerifier, CheckpointFailure, chain_hash};

    /// A checkpoint signer with a fresh Ed25519 key.
    fn signer() -> CheckpointSigner {
        use josekit::jwk::KeyPair;
        let pair = josekit::jwk::alg::ed::EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
        let path = std::env::temp_dir().join(format!("st-cp-{}-{}.pem", std::process::id(), rand_tag()));
        std::fs::write(&path, pair.to_pem_private_key()).unwrap();
        let signer = CheckpointSigner::load(path.to_str().unwrap()).unwrap();
        // A private key, even a test's, is not left behind in the temporary directory.
        std::fs::remove_file(&path).unwrap();
        signer
    }

    fn rand_tag() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    }

    /// Some views, then a checkpoint of the chain: the app and the checkpoints so far.
    async fn trail_with_checkpoint(views: usize) -> (TestApp, Vec<Checkpoint>) {
        let app = demo_app().await;
        app.sign_in_as("Aino Marjatta").await;
        for _ in 0..views {
            assert_eq!(app.get("/fi/records").await.status, 200);
        }
        let signer = signer();
        let c = app.store.write_checkpoint(&signer, chrono::Duration::zero()).await.unwrap().expect("a checkpoint");
        assert!(c.records >= views as u64 && c.head.starts_with("hmac-sha256:"), "{c:?}");
        // Another checkpoint within the interval is left to the first (instances, sharing the
        // checkpoint key, take turns).
        assert!(app.store.write_checkpoint(&signer, chrono::Duration::minutes(5)).await.unwrap().is_none());
        (app, vec![c])
    }

    async fn verify_against(app: &TestApp, checkpoints: Vec<Checkpoint>) -> sosiaalitiedot::audit::ChainReport {
        let key = app.store.demo_chain_key().await.unwrap();
        let mut v = ChainVerifier::new(Some(&key), checkpoints);
        app.store.stream_audit_chain(&mut v).await.unwrap();
        v.finish()
    }

    async fn owner_unguards(app: &TestApp) {
        match &app.store {
            Store::Sqlite(_) => {
                app.owner_sql("drop trigger audit_event_no_update").await.unwrap();
                app.owner_sql("drop trigger audit_event_no_delete").await.unwrap();
            }
            Store::Postgres(_) => app.owner_sql("alter table audit_event disable trigger user").await.unwrap(),
        }
    }

    #[actix_web::test]
    async fn an_intact_trail_passes_its_checkpoints_and_more_views_after_them() {
        let (app, checkpoints) = trail_with_checkpoint(3).await;
        app.get("/fi/records").await;
        let r = verify_against(&app, checkpoints).await;
        assert!(r.intact(), "{r:?}");
        assert_eq!(r.checkpoints_passed, 1);
        assert!(r.keyed >= 4);
    }

    #[actix_web::test]
    async fn a_deleted_tail_is_named() {
        let (app, checkpoints) = trail_with_checkpoint(4).await;
        owner_unguards(&app).await;
        app.owner_sql(
            "delete from audit_event where audit_event_id > (select max(audit_event_id) - 2 from audit_event)",
        )
        .await
        .unwrap();
        let r = verify_against(&app, checkpoints).await;
        assert_eq!(r.first_break, None, "the chain alone cannot see a shorter end");
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::TailDeleted { .. }]), "{r:?}");
    }

    #[actix_web::test]
    async fn an_emptied_table_is_named() {
        let (app, checkpoints) = trail_with_checkpoint(2).await;
        owner_unguards(&app).await;
        app.owner_sql("delete from audit_event").await.unwrap();
        let r = verify_against(&app, checkpoints).await;
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::Emptied { .. }]), "{r:?}");
    }

    #[actix_web::test]
    async fn removed_hashes_are_named() {
        let (app, checkpoints) = trail_with_checkpoint(2).await;
        owner_unguards(&app).await;
        app.owner_sql("update audit_event set hash = null, prev_hash = null").await.unwrap();
        let r = verify_against(&app, checkpoints).await;
        let first = app.scalar("select min(audit_event_id) from audit_event").await;
        assert_eq!(r.first_break, Some(ChainBreak::Unsealed(first)), "no legacy boundary was stated: {r:?}");
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::HashesRemoved { .. }]), "{r:?}");
        // Without checkpoints too: the chain alone names it.
        let r = verify_against(&app, Vec::new()).await;
        assert_eq!(r.first_break, Some(ChainBreak::Unsealed(first)), "{r:?}");
    }

    /// Every hash recomputed with the old unkeyed SHA-256 from the first record on: without
    /// checkpoints the chain alone names the first record, since no legacy boundary was stated.
    #[actix_web::test]
    async fn a_chain_recomputed_without_the_key_is_named_without_checkpoints() {
        let (app, _) = trail_with_checkpoint(3).await;
        owner_unguards(&app).await;
        let owner = app.owner_store().await;
        let rows = app.store.audit_chain().await.unwrap();
        let mut prev = String::new();
        for r in &rows {
            let hash = chain_hash(
                &prev,
                r.at,
                r.actor_id,
                &r.role,
                r.subject_id,
                &r.action,
                r.object.as_deref(),
                r.request_id.as_deref(),
            );
            let sql = "update audit_event set prev_hash = $1, hash = $2 where audit_event_id = $3";
            match &owner {
                Store::Sqlite(p) => sqlx::query(sql)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
                Store::Postgres(p) => sqlx::query(sql)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
            }
            prev = hash;
        }
        let r = verify_against(&app, Vec::new()).await;
        assert_eq!(r.first_break, Some(ChainBreak::Unkeyed(rows[0].audit_event_id)), "{r:?}");
        // Stating a boundary that covers them would accept them: it is the operator's statement,
        // printed in the report, never inferred.
        let key = app.store.demo_chain_key().await.unwrap();
        let mut v = ChainVerifier::new(Some(&key), Vec::new()).legacy_until(Some(rows.last().unwrap().audit_event_id));
        app.store.stream_audit_chain(&mut v).await.unwrap();
        let r = v.finish();
        assert!(r.intact() && r.legacy_until.is_some(), "{r:?}");
    }

    /// A row with an id of 0 or below: the service's role cannot make one (SQLite refuses it;
    /// PostgreSQL assigns the id itself, whatever the INSERT says), and one the owner forces in is
    /// walked and named — before, it was skipped and showed on "who acted for me".
    #[actix_web::test]
    async fn a_row_with_an_id_of_zero_or_below_is_refused_and_named() {
        let (app, _) = trail_with_checkpoint(2).await;
        let forge = |id: i64| {
            format!(
                "insert into audit_event (audit_event_id, at, actor_id, role, subject_id, action, object, prev_hash, hash) \
             select {id}, at, actor_id, 'mandate', subject_id, 'view_records', null, null, 'hmac-sha256:00' from audit_event order by audit_event_id limit 1"
            )
        };
        for id in [-1, 0] {
            let sql: &'static str = Box::leak(forge(id).into_boxed_str());
            let _ = app.sql(sql).await;
            assert!(
                app.scalar("select min(audit_event_id) from audit_event").await > 0,
                "the service's role stored id {id}"
            );
        }
        // The owner lifts the guards and forces one in.
        let (app, _) = trail_with_checkpoint(2).await;
        match &app.store {
            Store::Sqlite(_) => app.owner_sql("drop trigger audit_event_id_assigned").await.unwrap(),
            Store::Postgres(_) => {
                app.owner_sql("alter table audit_event disable trigger audit_event_assign_id").await.unwrap();
                app.owner_sql("alter table audit_event drop constraint audit_event_id_positive").await.unwrap();
            }
        }
        app.owner_sql(Box::leak(forge(-1).into_boxed_str())).await.unwrap();
        let r = verify_against(&app, Vec::new()).await;
        assert_eq!(r.first_break, Some(ChainBreak::InvalidId(-1)), "{r:?}");
    }

    /// A coordination row dated 2100 (or one signed with another key) no longer stops the
    /// checkpoints; the service's role cannot change or remove the rows.
    #[actix_web::test]
    async fn a_forged_checkpoint_row_does_not_stop_the_schedule() {
        let (app, _) = trail_with_checkpoint(2).await;
        let signer = signer();
        assert!(app.store.write_checkpoint(&signer, chrono::Duration::zero()).await.unwrap().is_some());
        app.sql("insert into audit_checkpoint (records, last_id, head, at, key_id, signature) values (1, 1, 'x', '2100-01-01T00:00:00Z', 'k', 's')").await.unwrap();
        app.get("/fi/records").await;
        actix_web::rt::time::sleep(std::time::Duration::from_millis(2100)).await;
        let c = app
            .store
            .write_checkpoint(&signer, chrono::Duration::seconds(1))
            .await
            .unwrap()
            .expect("signed on time despite the row dated 2100");
        let records = app.scalar("select count(*) from audit_event").await;
        assert_eq!(c.records as i64, records, "the count goes on from the last valid checkpoint");
        // A row dated a moment ahead but signed with another key does not delay it either.
        let forged = self::signer().sign(1, 1, "x", chrono::Utc::now() + chrono::Duration::seconds(30));
        let sql: &'static str = Box::leak(
            format!(
                "insert into audit_checkpoint (records, last_id, head, at, key_id, signature) values (1, 1, 'x', '{}', '{}', '{}')",
                forged.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                forged.key_id,
                forged.signature
            )
            .into_boxed_str(),
        );
        app.sql(sql).await.unwrap();
        actix_web::rt::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert!(
            app.store.write_checkpoint(&signer, chrono::Duration::seconds(1)).await.unwrap().is_some(),
            "a row signed with another key delayed the schedule"
        );
        assert!(
            app.sql("update audit_checkpoint set at = '2100-01-01T00:00:00Z'").await.is_err(),
            "the service's role changed a checkpoint row"
        );
        assert!(app.sql("delete from audit_checkpoint").await.is_err(), "the service's role removed checkpoint rows");
    }

    #[actix_web::test]
    async fn an_edit_with_the_chain_recomputed_is_named() {
        let (app, checkpoints) = trail_with_checkpoint(3).await;
        owner_unguards(&app).await;
        // The owner edits the second record and recomputes every hash from the start: without the
        // key only plain SHA-256 links can be made.
        let owner = app.owner_store().await;
        let rows = app.store.audit_chain().await.unwrap();
        let mut prev = String::new();
        for (i, r) in rows.iter().enumerate() {
            let object = if i == 1 { Some("edited".to_string()) } else { r.object.clone() };
            let hash = chain_hash(
                &prev,
                r.at,
                r.actor_id,
                &r.role,
                r.subject_id,
                &r.action,
                object.as_deref(),
                r.request_id.as_deref(),
            );
            let sql = "update audit_event set object = $1, prev_hash = $2, hash = $3 where audit_event_id = $4";
            match &owner {
                Store::Sqlite(p) => sqlx::query(sql)
                    .bind(&object)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
                Store::Postgres(p) => sqlx::query(sql)
                    .bind(&object)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
            }
            prev = hash;
        }
        let r = verify_against(&app, checkpoints).await;
        assert!(matches!(r.checkpoint_failures[..], [CheckpointFailure::Rewritten { .. }]), "{r:?}");
        // Recomputing only from the edit on leaves keyed records before it: the chain names that alone.
        let (app, _) = trail_with_checkpoint(3).await;
        owner_unguards(&app).await;
        let owner = app.owner_store().await;
        let rows = app.store.audit_chain().await.unwrap();
        let mut prev = rows[1].prev_hash.clone().unwrap();
        for r in &rows[1..] {
            let hash = chain_hash(
                &prev,
                r.at,
                r.actor_id,
                &r.role,
                r.subject_id,
                &r.action,
                Some("edited"),
                r.request_id.as_deref(),
            );
            let sql = "update audit_event set object = 'edited', prev_hash = $1, hash = $2 where audit_event_id = $3";
            match &owner {
                Store::Sqlite(p) => sqlx::query(sql)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
                Store::Postgres(p) => sqlx::query(sql)
                    .bind(&prev)
                    .bind(&hash)
                    .bind(r.audit_event_id)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .unwrap(),
            }
            prev = hash;
        }
        let r = verify_against(&app, Vec::new()).await;
        assert_eq!(r.first_break, Some(ChainBreak::Downgraded(rows[1].audit_event_id)), "{r:?}");
    }

    #[actix_web::test]
    async fn a_forged_row_inserted_by_the_service_role_is_named() {
        let (app, _) = trail_with_checkpoint(2).await;
        // The service's own database role appends a row chained onto the head with what it can
        // compute without the key.
        let rows = app.store.audit_chain().await.unwrap();
        let head = rows.last().unwrap().hash.clone().unwrap();
        let last = rows.last().unwrap().clone();
        let forged =
            chain_hash(&head, last.at, last.actor_id, "own", last.subject_id, "view_document", Some("forged"), None);
        let sql = "insert into audit_event (at, actor_id, role, subject_id, action, object, request_id, prev_hash, hash) values ($1, $2, 'own', $3, 'view_document', 'forged', null, $4, $5)";
        match &app.store {
            Store::Sqlite(p) => sqlx::query(sql)
                .bind(last.at)
                .bind(last.actor_id)
                .bind(last.subject_id)
                .bind(&head)
                .bind(&forged)
                .execute(p)
                .await
                .map(|_| ())
                .unwrap(),
            Store::Postgres(p) => sqlx::query(sql)
                .bind(last.at)
                .bind(last.actor_id)
                .bind(last.subject_id)
                .bind(&head)
                .bind(&forged)
                .execute(p)
                .await
                .map(|_| ())
                .unwrap(),
        }
        let r = verify_against(&app, Vec::new()).await;
        assert!(matches!(r.first_break, Some(ChainBreak::Downgraded(_))), "{r:?}");
        // One claiming to be keyed does not verify either.
        let (app, _) = trail_with_checkpoint(2).await;
        let rows = app.store.audit_chain().await.unwrap();
        let head = rows.last().unwrap().hash.clone().unwrap();
        let fake = format!("hmac-sha256:{}", "ab".repeat(32));
        match &app.store {
            Store::Sqlite(p) => sqlx::query(sql)
                .bind(last.at)
                .bind(last.actor_id)
                .bind(last.subject_id)
                .bind(&head)
                .bind(&fake)
                .execute(p)
                .await
                .map(|_| ())
                .unwrap(),
            Store::Postgres(p) => sqlx::query(sql)
                .bind(last.at)
                .bind(last.actor_id)
                .bind(last.subject_id)
                .bind(&head)
                .bind(&fake)
                .execute(p)
                .await
                .map(|_| ())
                .unwrap(),
        }
        let r = verify_against(&app, Vec::new()).await;
        assert!(matches!(r.first_break, Some(ChainBreak::Altered(_))), "{r:?}");
    }
}

/// Issue #25: on PostgreSQL the trail is partitioned by month, with this month and the next two
/// made ahead; a new partition refuses UPDATE, DELETE and TRUNCATE like the parent, and a row whose
/// month has no partition yet is still written (the default partition) and chained.
#[actix_web::test]
async fn the_trail_has_monthly_partitions_ahead_and_each_is_append_only() {
    let app = demo_app().await;
    let partitions = app.store.audit_partitions().await.unwrap();
    let Store::Postgres(_) = &app.store else {
        assert!(partitions.is_empty(), "SQLite keeps one table");
        assert_eq!(app.store.ensure_audit_partitions().await.unwrap(), 0);
        return;
    };
    let month = |ahead: u32| {
        let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let first =
            chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&now), chrono::Datelike::month(&now), 1).unwrap();
        (first + chrono::Months::new(ahead)).format("%Y-%m").to_string()
    };
    for ahead in 0..=2 {
        assert!(partitions.contains(&month(ahead)), "{} missing from {partitions:?}", month(ahead));
    }
    // Asked again (as the service does at start and daily), nothing more is made.
    assert_eq!(app.store.ensure_audit_partitions().await.unwrap(), 0, "the service's role may call it");
    app.sign_in_as("Aino Marjatta").await;
    app.get("/fi/records").await;
    // The newest partition, made ahead, refuses a rewrite by the service and by the owner once it
    // holds a record (an UPDATE of no rows is no rewrite).
    let newest = format!("audit_event_{}", month(2).replace('-', "_"));
    let into_newest: &'static str = Box::leak(format!(
        "insert into audit_event (at, actor_id, role, subject_id, action) select '{}-15T12:00:00Z', actor_id, role, subject_id, 'x' from audit_event limit 1",
        month(2)
    ).into_boxed_str());
    app.owner_sql(into_newest).await.unwrap();
    let in_newest: &'static str = Box::leak(format!("select count(*) from {newest}").into_boxed_str());
    assert_eq!(app.scalar(in_newest).await, 1, "a record of that month lands in its partition");
    for sql in
        [format!("update {newest} set action = 'x'"), format!("delete from {newest}"), format!("truncate {newest}")]
    {
        let sql: &'static str = Box::leak(sql.into_boxed_str());
        assert!(app.sql(sql).await.is_err(), "the service's role: {sql}");
        assert!(app.owner_sql(sql).await.is_err(), "the owner: {sql}");
    }
    let current = format!("audit_event_{}", month(0).replace('-', "_"));
    let in_current: &'static str = Box::leak(format!("select count(*) from {current}").into_boxed_str());
    assert!(app.scalar(in_current).await >= 1, "this month's records are in this month's partition");
    let truncate_current: &'static str = Box::leak(format!("truncate {current}").into_boxed_str());
    assert!(app.owner_sql(truncate_current).await.is_err(), "TRUNCATE of one partition");
    // A record far in the future lands in the default partition and the chain still verifies.
    app.owner_sql("insert into audit_event (at, actor_id, role, subject_id, action, prev_hash, hash) select '2099-01-01', actor_id, role, subject_id, 'x', null, null from audit_event limit 1")
        .await
        .unwrap();
    assert_eq!(app.scalar("select count(*) from audit_event_default").await, 1);
    assert!(verify(&app).await.first_break.is_some(), "an unsealed record is a break wherever it sits");
}

/// Issue #25: `audit-archive` writes a closed month with the checkpoints that bracket it, verifies
/// the file, and only then detaches the partition (never drops it); the archive verifies on its
/// own, a changed archive does not, and the live chain resumes from the month's end checkpoint.
#[actix_web::test]
async fn a_closed_month_is_archived_detached_and_both_archive_and_live_chain_verify() {
    use josekit::jwk::KeyPair;
    use sosiaalitiedot::audit::keyed_chain_hash;
    use std::io::{Read, Write};
    let app = demo_app().await;
    let bin = env!("CARGO_BIN_EXE_sosiaalitiedot");
    let url = app.owner_database_url();
    let dir = std::env::temp_dir().join(format!("archive-test-{}-{}", std::process::id(), rand_tag()));
    std::fs::create_dir_all(&dir).unwrap();
    let pair = josekit::jwk::alg::ed::EdKeyPair::generate(josekit::jwk::alg::ed::EdCurve::Ed25519).unwrap();
    std::fs::write(dir.join("c.pem"), pair.to_pem_private_key()).unwrap();
    std::fs::write(dir.join("c.pub.pem"), pair.to_pem_public_key()).unwrap();
    let archive = dir.join("2026-10.jsonl.gz");
    let run =
        |args: &[&str]| std::process::Command::new(bin).args(args).args(["--database-url", &url]).output().unwrap();
    let Store::Postgres(_) = &app.store else {
        let out = run(&[
            "audit-archive",
            "--month",
            "2026-10",
            "--out",
            archive.to_str().unwrap(),
            "--signing-key",
            dir.join("c.pem").to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "SQLite keeps one table: {}", String::from_utf8_lossy(&out.stderr));
        return;
    };
    // Five chained records in October 2026 (the month's partition made as the owner would have).
    let owner = app.owner_store().await;
    let key = app.store.demo_chain_key().await.unwrap();
    let Store::Postgres(p) = &owner else { unreachable!() };
    sqlx::query("select audit_event_ensure_partitions(0, '2026-10-01')").execute(p).await.unwrap();
    let actor: i64 = sqlx::query_scalar("select min(person_id) from person").fetch_one(p).await.unwrap();
    let mut prev = String::new();
    for day in 1..=5 {
        let at: chrono::DateTime<chrono::Utc> = format!("2026-10-{:02}T10:00:00Z", day * 5).parse().unwrap();
        let hash = keyed_chain_hash(&key, &prev, at, actor, "own", actor, "view_records", None, None);
        sqlx::query("insert into audit_event (at, actor_id, role, subject_id, action, prev_hash, hash) values ($1, $2, 'own', $2, 'view_records', $3, $4)")
            .bind(at).bind(actor).bind(&prev).bind(&hash).execute(p).await.unwrap();
        prev = hash;
    }
    // Later records by the service follow them.
    app.sign_in_as("Aino Marjatta").await;
    app.get("/fi/records").await;
    assert!(verify(&app).await.first_break.is_none());
    // The current month cannot be archived; October can, with the signing key.
    let this_month = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).format("%Y-%m").to_string();
    let key_arg = dir.join("c.pem").to_str().unwrap().to_string();
    let refused = run(&[
        "audit-archive",
        "--month",
        &this_month,
        "--out",
        dir.join("x.gz").to_str().unwrap(),
        "--signing-key",
        &key_arg,
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    let out =
        run(&["audit-archive", "--month", "2026-10", "--out", archive.to_str().unwrap(), "--signing-key", &key_arg]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("archived 5 record(s) of 2026-10"), "{stdout}");
    assert!(stdout.contains("detached, not dropped"), "{stdout}");
    assert!(!app.store.audit_partitions().await.unwrap().contains(&"2026-10".to_string()), "detached");
    let kept: i64 = sqlx::query_scalar("select count(*) from audit_event_2026_10").fetch_one(p).await.unwrap();
    assert_eq!(kept, 5, "the detached table is kept until the operator drops it");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777, 0o600);
    // The archive on its own.
    let public = dir.join("c.pub.pem").to_str().unwrap().to_string();
    let ok = run(&["verify-audit", "--archive", archive.to_str().unwrap(), "--public-key", &public]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("archive intact: 5 record(s) of 2026-10"));
    // A changed record in the archive is found.
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&archive).unwrap()).read_to_string(&mut text).unwrap();
    let changed = text.replacen("\"action\":\"view_records\"", "\"action\":\"view_document\"", 1);
    let forged = dir.join("forged.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&forged).unwrap(), flate2::Compression::default());
    gz.write_all(changed.as_bytes()).unwrap();
    gz.finish().unwrap();
    let broken = run(&["verify-audit", "--archive", forged.to_str().unwrap(), "--public-key", &public]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("its hash does not match"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
    // The live chain: with the month's end checkpoint it resumes there; without, its start is unproven.
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("checkpoint at the month's end: "))
        .expect("the end checkpoint is printed");
    let checkpoints = dir.join("checkpoints.jsonl");
    std::fs::write(&checkpoints, format!("{line}\n")).unwrap();
    let live = run(&["verify-audit", "--checkpoints", checkpoints.to_str().unwrap(), "--public-key", &public]);
    assert!(
        live.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&live.stderr),
        String::from_utf8_lossy(&live.stdout)
    );
    assert!(String::from_utf8_lossy(&live.stdout).contains("the records before it were detached"));
    assert_eq!(run(&["verify-audit"]).status.code(), Some(1));
    // October again: it is no longer attached.
    let again = run(&[
        "audit-archive",
        "--month",
        "2026-10",
        "--out",
        dir.join("again.gz").to_str().unwrap(),
        "--signing-key",
        &key_arg,
    ]);
    assert_eq!(again.status.code(), Some(2));
    owner.close().await;
}

fn rand_tag() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
}

/// "Who acted for me" reads a copy of others' actions (migration 0015), written in the same
/// transaction as each chained record; `verify-audit` checks every copy against its record, so a
/// database owner who hides an action from the principal, changes or adds one, is named.
#[actix_web::test]
async fn the_copies_of_others_actions_follow_the_trail_and_a_forged_copy_is_named() {
    use sosiaalitiedot::audit::acted_for::ActedForBreak;
    use sosiaalitiedot::store::NewAuditEvent;
    let app = demo_app().await;
    let me = app.person_id("Aino Marjatta").await;
    let other = app.person_id("Laura Helena").await;
    let key = app.store.demo_chain_key().await.unwrap();
    let event = |actor_id: i64, action: &'static str| NewAuditEvent {
        key: &key,
        actor_id,
        role: if actor_id == me { "own" } else { "mandate" },
        subject_id: me,
        action,
        object: Some("1.2.246.10.2000001.18.2026.00002"),
        request_id: None,
    };
    let before = app.store.check_acted_for_copies().await.unwrap();
    assert!(before.intact(), "{before:?}");
    app.store
        .audit_group(&[
            event(me, "view_document"),
            event(other, "view_document"),
            event(other, "view_service_task"),
            event(me, "view_records"),
        ])
        .await
        .unwrap();
    let report = app.store.check_acted_for_copies().await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.checked, before.checked + 2, "only others' actions are copied");
    let (actors, _, rows) = app.store.acted_for_page(me, None, None, false, 10).await.unwrap();
    assert_eq!(actors.iter().find(|a| a.person_id == other).map(|a| a.records), Some(2));
    assert_eq!(rows.iter().filter(|r| r.actor_id == other).count(), 2);
    // The service's own role cannot change or remove a copy.
    assert!(app.sql("delete from acted_for_event").await.is_err());
    assert!(app.sql("update acted_for_event set object = 'x'").await.is_err());

    // The owner can; verify-audit names what they did.
    match &app.store {
        Store::Sqlite(_) => {
            app.owner_sql("drop trigger acted_for_event_no_update").await.unwrap();
            app.owner_sql("drop trigger acted_for_event_no_delete").await.unwrap();
        }
        Store::Postgres(_) => app.owner_sql("alter table acted_for_event disable trigger user").await.unwrap(),
    }
    let newest = app.scalar("select max(audit_event_id) from acted_for_event").await;
    app.owner_sql(
        "delete from acted_for_event where audit_event_id = (select max(audit_event_id) from acted_for_event)",
    )
    .await
    .unwrap();
    app.owner_sql("update acted_for_event set action = 'view_records' where audit_event_id = (select max(audit_event_id) from acted_for_event)")
        .await
        .unwrap();
    app.owner_sql(
        "insert into acted_for_event (audit_event_id, at, subject_id, actor_id, role, action, object)
         select audit_event_id + 1000000, at, subject_id, actor_id, role, action, object from acted_for_event where audit_event_id = (select max(audit_event_id) from acted_for_event)",
    )
    .await
    .unwrap();
    let report = app.store.check_acted_for_copies().await.unwrap();
    assert_eq!(
        report.breaks,
        vec![
            ActedForBreak::Changed { id: newest - 1 },
            ActedForBreak::Missing { id: newest },
            ActedForBreak::Unbacked { id: newest - 1 + 1_000_000 },
        ],
        "{report:?}"
    );
    assert!(!report.intact());

    // The kept counts: only the copy trigger changes them on PostgreSQL; a changed count is named.
    if let Store::Postgres(_) = &app.store {
        assert!(app.sql("update acted_for_count set records = records + 1").await.is_err());
        assert!(app.sql("delete from acted_for_count").await.is_err());
        app.owner_sql("alter table acted_for_count disable trigger user").await.unwrap();
    }
    app.owner_sql("update acted_for_count set records = records + 5").await.unwrap();
    let report = app.store.check_acted_for_copies().await.unwrap();
    assert!(
        report.breaks.iter().any(|b| matches!(b, ActedForBreak::Count { actor, counted, copies, .. }
            if *actor == other && *counted == *copies + 5)),
        "{report:?}"
    );
}

/// PostgreSQL keeps the chain's head in one row (migration 0016) so that an audited request does
/// not probe every monthly partition: the row follows every record, only the trail moves it, and
/// `verify-audit` names a head that is not the newest record.
#[actix_web::test]
async fn the_kept_chain_head_follows_the_trail_and_a_forged_one_is_named() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    assert_eq!(app.get("/fi/records").await.status, 200);
    assert_eq!(app.store.check_chain_head().await.unwrap(), None);
    let report = verify(&app).await;
    assert!(report.intact(), "{report:?}");
    let Store::Postgres(_) = &app.store else { return };
    assert_eq!(
        app.scalar("select audit_event_id from audit_chain_head").await,
        app.scalar("select max(audit_event_id) from audit_event").await
    );
    assert!(app.sql("update audit_chain_head set hash = 'x'").await.is_err(), "the service's role cannot move it");
    assert!(app.sql("delete from audit_chain_head").await.is_err());
    app.owner_sql("alter table audit_chain_head disable trigger user").await.unwrap();
    app.owner_sql("update audit_chain_head set hash = 'forged'").await.unwrap();
    let why = app.store.check_chain_head().await.unwrap().expect("a forged head is named");
    assert!(why.contains("(forged)"), "{why}");
    // The next record links to the forged head: the chain check names it too.
    assert_eq!(app.get("/fi/records").await.status, 200);
    assert!(!verify(&app).await.intact());
}
