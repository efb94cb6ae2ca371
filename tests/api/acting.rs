//! Acting for others (DESIGN §2.4): every role and boundary on the routes, the audit trail, and
//! the principal's view of who acted for them. Uses the demo feed; today is 2026-11-25.

use crate::helpers::{TestApp, spawn_app_with, spawn_demo_app as demo_app};

async fn post_choice(app: &TestApp, person_id: i64) -> crate::helpers::Page {
    let page = app.get("/fi/acting-for").await;
    let token = TestApp::csrf_of(&page);
    app.post("/fi/acting-for", &[("csrf_token", &token), ("person_id", &person_id.to_string())]).await
}

#[actix_web::test]
async fn a_guardian_chooses_among_themselves_and_their_children() {
    let app = demo_app().await;
    let res = app.sign_in_as("Laura Helena").await;
    assert_eq!(res.location(), "/fi/acting-for", "people who can act for others choose first");
    let page = app.get("/fi/acting-for").await;
    assert_eq!(
        page.texts("li.choice .person-name"),
        vec!["Laura Helena Nieminen", "Eetu Matias Nieminen", "Sofia Aurora Nieminen"]
    );
    assert_eq!(page.texts("li.choice .choice-role")[1], "Asioit huoltajana");
    assert_eq!(page.text("li.choice-current .person-name"), "Laura Helena Nieminen");
    let res = app.choose("Eetu").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/records");
    let records = app.get("/fi/records").await;
    assert_eq!(records.text("#acting-banner-text"), "Asioit huoltajana: Eetu Matias Nieminen");
    assert_eq!(records.attr(".acting-banner a.acting-switch", "href").as_deref(), Some("/fi/acting-for"));
    let sv = app.get("/sv/records").await;
    assert_eq!(sv.text("#acting-banner-text"), "Du sköter ärenden som vårdnadshavare för Eetu Matias Nieminen");
}

#[actix_web::test]
async fn a_guardian_does_not_see_a_document_hidden_from_guardians_but_the_child_does() {
    let app = demo_app().await;
    app.sign_in_as("Laura Helena").await;
    app.choose("Eetu").await;
    let task = app.get("/fi/records/child_welfare").await;
    let titles = task.texts(".doc-title");
    assert!(titles.contains(&"Päätös tukihenkilöstä".to_string()));
    assert!(!task.body.contains("Muistio: nuoren oma tapaaminen"));
    assert_eq!(task.count("#restriction-notice"), 0, "guardians never see the notice");
    let memo_id = memo_id(&app).await;
    assert_eq!(app.get(&format!("/fi/documents/{memo_id}")).await.status, 404);

    let child = app.another("Eetu Matias").await;
    let own = child.get("/fi/records/child_welfare").await;
    assert!(own.texts(".doc-title").contains(&"Muistio: nuoren oma tapaaminen".to_string()));
    assert_eq!(child.get(&format!("/fi/documents/{memo_id}")).await.status, 200);
}

async fn memo_id(app: &TestApp) -> String {
    let eetu = app.person_id("Eetu").await;
    app.store
        .subject_rows(eetu)
        .await
        .unwrap()
        .0
        .into_iter()
        .find(|d| d.title == "Muistio: nuoren oma tapaaminen")
        .unwrap()
        .document_id
}

#[actix_web::test]
async fn a_person_entitled_to_information_sees_the_child_under_rule_8() {
    let app = demo_app().await;
    app.sign_in_as("Pirkko").await;
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.texts("li.choice .person-name"), vec!["Pirkko Annikki Nieminen", "Eetu Matias Nieminen"]);
    assert_eq!(page.texts("li.choice .choice-role")[1], "Voit katsella tietoja tiedoksisaantioikeutettuna");
    app.choose("Eetu").await;
    let task = app.get("/fi/records/child_welfare").await;
    assert!(!task.body.contains("Muistio: nuoren oma tapaaminen"));
    assert_eq!(
        app.get("/fi/records").await.text("#acting-banner-text"),
        "Katselet tiedoksisaantioikeutettuna: Eetu Matias Nieminen"
    );
}

#[actix_web::test]
async fn a_representative_sees_what_the_principal_sees() {
    let app = demo_app().await;
    app.sign_in_as("Juha Petteri").await;
    app.choose("Eino").await;
    let rep = app.get("/fi/records/older_people").await;
    let principal = app.another("Eino Kalevi").await;
    let own = principal.get("/fi/records/older_people").await;
    assert_eq!(rep.texts(".doc-title"), own.texts(".doc-title"));
    assert_eq!(rep.texts(".doc-title").len(), 3);
    assert_eq!(rep.text("#acting-banner-text"), "Asioit valtuutettuna: Eino Kalevi Korhonen");
}

#[actix_web::test]
async fn nobody_can_reach_a_person_without_a_role_and_no_reason_is_given() {
    let app = demo_app().await;
    // Expired mandate, turvakielto, taken into care, and a stranger.
    for (actor, target) in [("Kaisa", "Eino"), ("Tuomas", "Venla"), ("Marja Liisa", "Onni"), ("Laura Helena", "Ville")]
    {
        let client = app.another(actor).await;
        let list = client.get("/fi/acting-for").await;
        assert!(!list.body.contains(target), "{actor} must not be offered {target}");
        let target_id = app.person_id(target).await;
        let res = post_choice(&client, target_id).await;
        assert_eq!(res.status, 404, "{actor} → {target}");
        assert_eq!(res.text("h1"), "Sivua ei löytynyt");
        // Still their own data.
        let records = client.get("/fi/records").await;
        assert!(records.text("#acting-banner-text").starts_with("Omat tietosi"), "{actor}");
    }
    // Nor can a guardian reach someone else's child by id.
    let laura = app.another("Laura Helena").await;
    let venla = app.person_id("Venla").await;
    assert_eq!(post_choice(&laura, venla).await.status, 404);
    assert_eq!(post_choice(&laura, 999_999).await.status, 404);
}

#[actix_web::test]
async fn the_18th_birthday_ends_a_guardians_access() {
    // Elina turns 18 on 1 December 2026.
    let before = spawn_app_with(|s| s.today = Some("2026-11-30".parse().unwrap())).await;
    before.load_demo().await;
    before.sign_in_as("Petri").await;
    assert!(before.get("/fi/acting-for").await.body.contains("Elina Maria Koskinen"));
    let on_birthday = spawn_app_with(|s| s.today = Some("2026-12-01".parse().unwrap())).await;
    on_birthday.load_demo().await;
    on_birthday.sign_in_as("Petri").await;
    assert!(!on_birthday.get("/fi/acting-for").await.body.contains("Elina Maria Koskinen"));
}

#[actix_web::test]
async fn a_right_that_ends_mid_session_ends_access_at_once_on_every_route() {
    let app = demo_app().await;
    app.sign_in_as("Juha Petteri").await;
    app.choose("Eino").await;
    let doc = app.get("/fi/records/older_people").await.attr(".doc-title a", "href").unwrap();
    assert_eq!(app.get(&doc).await.status, 200);
    // The mandate is cut short in the population data: it ended yesterday.
    app.execute("update mandate set valid_until = '2026-11-24'").await;
    for path in ["/fi/records", "/fi/records/older_people", doc.as_str(), "/fi/acted-for-me"] {
        // The first request about Eino is a 404; the choice falls back to Juha's own data.
        let eino = app.person_id("Eino").await.to_string();
        app.edit_sessions(|state| {
            if state.contains_key("person") {
                state.insert("subject".into(), eino.clone());
            }
        })
        .await;
        let res = app.get(path).await;
        assert_eq!(res.status, 404, "{path}");
    }
    let records = app.get("/fi/records").await;
    assert!(records.text("#acting-banner-text").starts_with("Omat tietosi"));
}

#[actix_web::test]
async fn every_view_writes_an_audit_record_with_actor_role_subject_and_object() {
    let app = demo_app().await;
    app.sign_in_as("Laura Helena").await;
    app.choose("Eetu").await;
    app.get("/fi/records").await;
    app.get("/fi/records/child_welfare").await;
    let doc = app.get("/fi/records/child_welfare").await.attr(".doc-title a", "href").unwrap();
    app.get(&doc).await;
    app.get("/fi/documents/NO-SUCH").await; // a 404 shows nothing, but the attempt is recorded
    let laura = app.person_id("Laura Helena").await;
    let eetu = app.person_id("Eetu").await;
    let rows = app.store.audit_of_actor(laura).await.unwrap();
    let doc_id = doc.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        rows,
        vec![
            ("guardian".to_string(), eetu, "view_records".to_string(), None),
            ("guardian".to_string(), eetu, "view_service_task".to_string(), Some("child_welfare".to_string())),
            ("guardian".to_string(), eetu, "view_service_task".to_string(), Some("child_welfare".to_string())),
            ("guardian".to_string(), eetu, "view_document".to_string(), Some(doc_id)),
            ("guardian".to_string(), eetu, "denied_view_document".to_string(), Some("NO-SUCH".to_string())),
        ]
    );
}

#[actix_web::test]
async fn a_failing_audit_write_denies_the_page() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    assert_eq!(app.get("/fi/records").await.status, 200);
    use sosiaalitiedot::store::Store;
    match &app.store {
        Store::Sqlite(_) => app.owner_sql("drop table audit_event").await.unwrap(),
        Store::Postgres(_) => app.owner_sql("drop table audit_event cascade").await.unwrap(),
    }
    for path in ["/fi/records", "/fi/records/older_people"] {
        let res = app.get(path).await;
        assert_eq!(res.status, 500, "{path}");
        assert_eq!(res.text("h1"), "Palvelussa tapahtui virhe");
        assert!(!res.body.contains("Päätös säännöllisestä kotihoidosta"), "no data without a trace");
        assert!(!res.body.contains("Iäkkäiden palvelut"));
    }
}

#[actix_web::test]
async fn the_principal_sees_who_acted_for_them_and_representatives_do_not() {
    let app = demo_app().await;
    app.sign_in_as("Laura Helena").await;
    app.choose("Eetu").await;
    let doc = app.get("/fi/records/child_welfare").await.attr(".doc-title a", "href").unwrap();
    let title = app.get(&doc).await.text("h1");
    assert_eq!(app.get("/fi/acted-for-me").await.status, 404, "only for one's own data");

    let eetu = app.another("Eetu Matias").await;
    eetu.get("/fi/records").await; // his own views are not listed
    let page = eetu.get("/fi/acted-for-me").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.count("tr.acted-row"), 2);
    assert_eq!(page.texts(".acted-who"), vec!["Laura Helena Nieminen", "Laura Helena Nieminen"]);
    assert_eq!(page.texts(".acted-role")[0], "Huoltaja");
    assert_eq!(
        page.texts(".acted-what"),
        vec![format!("Katseli asiakirjaa: {title}"), "Katseli palvelutehtävää: Lastensuojelu".to_string()]
    );
    assert_eq!(eetu.get("/sv/acted-for-me").await.texts(".acted-what")[1], "Såg serviceuppgiften: Barnskydd");

    let nobody = app.another("Ville").await;
    assert_eq!(nobody.get("/fi/acted-for-me").await.text(".empty-state"), "Kukaan ei ole asioinut puolestasi.");
}

#[actix_web::test]
async fn who_acted_for_me_is_paginated_newest_first() {
    let app = demo_app().await;
    app.sign_in_as("Juha Petteri").await;
    app.choose("Eino").await;
    // Alternating pages: the same view repeated in a row would read as one line.
    for i in 0..25 {
        app.get(if i % 2 == 0 { "/fi/records" } else { "/fi/data-use" }).await;
    }
    app.get("/fi/records/older_people").await;
    let eino = app.another("Eino Kalevi").await;
    let first = eino.get("/fi/acted-for-me").await;
    assert_eq!(first.count("tr.acted-row"), 20);
    assert_eq!(first.texts(".acted-what")[0], "Katseli palvelutehtävää: Iäkkäiden palvelut");
    // Keyset pagination (issue #25): the next page is read from the last row's (time, id) cursor.
    let next = first.attr("a[rel=next]", "href").unwrap();
    assert!(next.starts_with("/fi/acted-for-me?page=2&before="), "{next}");
    assert_eq!(first.text(".pagination-status"), "Sivu 1 / 2");
    let second = eino.get(&next).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.count("tr.acted-row"), 6);
    assert_eq!(second.count("a[rel=next]"), 0);
    assert_eq!(second.text(".pagination-status"), "Sivu 2 / 2");
    // Newest first across the pages, no row twice; back to the first page.
    assert_eq!(second.attr("a[rel=prev]", "href").as_deref(), Some("/fi/acted-for-me"));
    // A later page without a cursor, a broken cursor, or both cursors: not found.
    for bad in [
        "/fi/acted-for-me?page=2",
        "/fi/acted-for-me?page=3",
        "/fi/acted-for-me?page=abc",
        "/fi/acted-for-me?page=2&before=x.1",
        "/fi/acted-for-me?page=2&before=1.1&after=1.1",
        "/fi/acted-for-me?before=1.1",
    ] {
        assert_eq!(eino.get(bad).await.status, 404, "{bad}");
    }
}

/// Issue #25: "who acted for me" pages by a (time, id) cursor through the partial index — every
/// row once, newest first, the same rows forwards and backwards, the subject's own actions never.
#[actix_web::test]
async fn keyset_pages_hold_every_row_once_newest_first_both_ways() {
    use sosiaalitiedot::store::{NewAuditEvent, TimeCursor};
    let app = demo_app().await;
    let eino = app.person_id("Eino Kalevi").await;
    let juha = app.person_id("Juha Petteri").await;
    let key = app.store.demo_chain_key().await.unwrap();
    for i in 0..45 {
        let object = format!("D{i}");
        let others = NewAuditEvent {
            key: &key,
            actor_id: juha,
            role: "mandate",
            subject_id: eino,
            action: "view_document",
            object: Some(&object),
            request_id: None,
        };
        let own = NewAuditEvent {
            key: &key,
            actor_id: eino,
            role: "own",
            subject_id: eino,
            action: "view_records",
            object: None,
            request_id: None,
        };
        app.store.audit_group(&[others, own]).await.unwrap();
    }
    let mut pages: Vec<Vec<(chrono::DateTime<chrono::Utc>, i64)>> = Vec::new();
    let mut cursor = None;
    loop {
        let rows = app.store.acted_for(eino, None, cursor, false, 20).await.unwrap();
        if rows.is_empty() {
            break;
        }
        assert!(rows.iter().all(|r| r.actor_id == juha), "the subject's own actions are never listed");
        cursor = Some(TimeCursor::of(rows.last().unwrap()));
        pages.push(rows.iter().map(|r| (r.at, r.audit_event_id)).collect());
    }
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![20, 20, 5]);
    let all: Vec<_> = pages.concat();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(all, sorted, "newest first, each row once");
    // Backwards from the last page's first row: the page before it, in the same order.
    let back = app
        .store
        .acted_for(eino, None, Some(TimeCursor { at: pages[2][0].0, id: pages[2][0].1 }), true, 20)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|r| (r.at, r.audit_event_id)).collect::<Vec<_>>(), pages[1]);
    let actors = app.store.acted_for_actors(eino).await.unwrap();
    assert_eq!(
        actors.iter().map(|a| (a.person_id, a.records)).collect::<Vec<_>>(),
        vec![(juha, 45)],
        "the one other actor, with each of their records counted"
    );
    // The cursor in a URL carries no personal data and reads back as itself.
    let c = TimeCursor { at: pages[0][3].0, id: pages[0][3].1 };
    assert_eq!(TimeCursor::parse(&c.to_param()), Some(c));
    assert_eq!(TimeCursor::parse("123"), None);
    assert_eq!(TimeCursor::parse("1.-5"), None);
}
