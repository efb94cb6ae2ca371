//! Sosiaalipalvelujen tiedot pages: every visibility rule as the viewer meets it.

use serde_json::json;

use crate::feed::{self, Rec};
use crate::helpers::{Page, TestApp, spawn_app, spawn_app_with};

const OWNER: &str = "131052-308T";
const OTHER: &str = "010594Y9032";
const ORG: &str = "1.2.246.10.1";

/// A small feed with one document per rule, for the person "Aino Testinen" (today is 2026-11-25).
fn feed() -> String {
    let relationship_with_worker = feed::relationship(OWNER, ORG, "older_people", "Satu Lehtonen")
        .set("own_worker.unit", "Palveluohjaus")
        .set("own_worker.phone", "+358 40 123 4567")
        .set("own_worker.email", "satu@example.fi");
    let visibility = |task: serde_json::Value, from: &str| {
        Rec(json!({"type":"visibility_start","registrar":ORG,"service_task":task,"from":from}))
    };
    // A decision of `person` in `task`; version v is made in month v + 1 of 2026.
    let doc = |id: &str, version: i64, person: &str, task: &str, title: &str| {
        feed::document(id, person, task, title)
            .set("version", version)
            .set("created_at", format!("2026-0{}-10T10:00:00+02:00", (version % 9) + 1))
            .set("sections", json!([{"heading":"Päätös","body":"Eka kappale\nrivi kaksi\n\nToka kappale"}]))
    };
    let own = |id: &str, task: &str, title: &str| doc(id, 1, OWNER, task, title);
    let records = vec![
        feed::organisation(ORG, "Testin hyvinvointialue").set("name.sv", "Testens välfärdsområde"),
        feed::person(OWNER, "Aino", "Testinen"),
        feed::person(OTHER, "Olli", "Muu"),
        feed::person("010101A123N", "Tyhjä", "Henkilö"),
        visibility(json!(null), "2026-01-01"),
        visibility(json!("family_law"), "2026-11-26"),
        visibility(json!("substance_abuse"), "2026-11-25"),
        relationship_with_worker,
        Rec(
            json!({"type":"client_relationship","person":OWNER,"registrar":ORG,"service_task":"family_law","started_on":"2026-05-01"}),
        ),
        own("SHOWN", "older_people", "Näkyvä päätös"),
        doc("CORRECTED", 1, OWNER, "older_people", "Vanha versio"),
        doc("CORRECTED", 2, OWNER, "older_people", "Korjattu versio"),
        doc("INVALID", 1, OWNER, "older_people", "Mitätöidyn aiempi versio"),
        own("INVALID", "older_people", "Mitätöity").set("version", 2).set("status", "invalidated"),
        own("PHASE1", "older_people", "Vanha muoto").set("phase", 1),
        own("PAYMENT", "older_people", "Maksusitoumus").set("kind", "payment_commitment"),
        own("CUSTODY", "older_people", "Huoltoselvitys").set("kind", "custody_investigation"),
        own("RELDOC", "older_people", "Asiakkuusasiakirja").set("kind", "client_relationship_document"),
        own("SHELTER", "older_people", "Turvakoti").set("service", "shelter"),
        own("VIOLENCE", "older_people", "Väkivallan ehkäisy").set("service", "violence_prevention"),
        own("ADOPTION", "older_people", "Adoptioneuvonta").set("service", "adoption_counselling"),
        own("ENTRY", "older_people", "Kertomusmerkintä").set("kind", "client_record_entry"),
        own("PARENT", "older_people", "Vanhemmuusselvitys").set("kind", "parenthood_investigation"),
        own("JOINT", "older_people", "Yhteinen asia").set("joint_matter", true),
        own("DELAY-TODAY", "older_people", "Viive päättyy tänään").set("restrictions.delayed_until", "2026-11-25"),
        own("HFG", "older_people", "Rajattu huoltajilta").set("restrictions.hidden_from_guardians", true),
        own("MARKUP", "older_people", "<script>alert(1)</script> & <b>lihavoitu</b>"),
        own("SVDOC", "older_people", "Beslut på svenska").set("language", "sv"),
        own("SPECIAL", "disability", "Erityissisältö").set("restrictions.special_content", true),
        own("DELAYED", "working_age", "Viivästetty").set("restrictions.delayed_until", "2026-11-26"),
        own("NOTPUB", "family_law", "Ei vielä julkaistu"),
        own("PUBTODAY", "substance_abuse", "Julkaistu tänään"),
        doc("FOREIGN", 1, OTHER, "older_people", "Toisen henkilön päätös"),
    ];
    feed::lines(&records)
}

const HIDDEN_TITLES: [&str; 17] = [
    "Vanha versio",
    "Mitätöidyn aiempi versio",
    "Mitätöity",
    "Vanha muoto",
    "Maksusitoumus",
    "Huoltoselvitys",
    "Asiakkuusasiakirja",
    "Turvakoti",
    "Väkivallan ehkäisy",
    "Adoptioneuvonta",
    "Kertomusmerkintä",
    "Vanhemmuusselvitys",
    "Yhteinen asia",
    "Erityissisältö",
    "Viivästetty",
    "Ei vielä julkaistu",
    "Toisen henkilön päätös",
];

async fn app_as_owner() -> TestApp {
    let app = spawn_app().await;
    app.import(&feed()).await.expect("test feed imports");
    app.sign_in_as("Aino Testinen").await;
    app
}

fn titles(page: &Page) -> Vec<String> {
    page.texts(".doc-title")
}

#[actix_web::test]
async fn the_overview_lists_tasks_with_shown_counts_and_the_relationship() {
    let app = app_as_owner().await;
    let page = app.get("/fi/records").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Sosiaalipalvelujen tiedot");
    let tasks = page.texts(".task-card h2");
    // family_law has a relationship but is not published yet; disability and working_age only
    // have notice-triggering documents; substance_abuse starts publishing today.
    assert_eq!(tasks, vec!["Iäkkäiden palvelut", "Päihdehuolto", "Työikäisten palvelut", "Vammaispalvelut"]);
    let older = page.texts(".task-card .task-count");
    assert_eq!(older[0], "6 asiakirjaa, uusin 10.3.2026");
    assert_eq!(older[2], "Ei näytettäviä asiakirjoja");
    assert_eq!(page.text(".task-card .relationship-started"), "Asiakkuus alkanut 4.3.2026 (Testin hyvinvointialue)");
    for hidden in HIDDEN_TITLES {
        assert!(!page.body.contains(hidden), "{hidden} leaked into the overview");
    }
}

#[actix_web::test]
async fn a_service_task_page_shows_only_current_shown_documents() {
    let app = app_as_owner().await;
    let page = app.get("/fi/records/older_people").await;
    assert_eq!(page.status, 200);
    let mut got = titles(&page);
    got.sort();
    let mut expected = vec![
        "Näkyvä päätös",
        "Korjattu versio",
        "Viive päättyy tänään",
        "Rajattu huoltajilta",
        "<script>alert(1)</script> & <b>lihavoitu</b>",
        "Beslut på svenska",
    ];
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(page.texts(".kind-group h2"), vec!["Päätökset"]);
    for hidden in HIDDEN_TITLES {
        assert!(!page.body.contains(hidden), "{hidden} leaked into the task page");
    }
    assert_eq!(page.count("#restriction-notice"), 0, "nothing here triggers the notice");
    assert_eq!(page.count("table caption"), 1);
    assert_eq!(page.count("thead th[scope=col]"), 4);
    assert_eq!(page.text(".worker-name"), "Satu Lehtonen");
    assert_eq!(page.attr("a.worker-phone", "href").as_deref(), Some("tel:+358401234567"));
    assert_eq!(page.attr("a.worker-email", "href").as_deref(), Some("mailto:satu@example.fi"));
}

#[actix_web::test]
async fn the_notice_appears_only_for_special_content_and_delay_and_says_nothing_specific() {
    let app = app_as_owner().await;
    for task in ["disability", "working_age"] {
        let page = app.get(&format!("/fi/records/{task}")).await;
        assert_eq!(page.count("#restriction-notice"), 1, "{task}");
        assert_eq!(
            page.text("#restriction-notice p"),
            "Tietojen näyttämistä on rajoitettu tai viivästetty. Rajauksista voi aina keskustella omatyöntekijän kanssa."
        );
        assert_eq!(page.text(".empty-state"), "Tietoja ei ole");
        assert!(!page.body.contains("2026-11-26") && !page.body.contains("26.11.2026"), "no date in the notice");
        assert!(!page.body.contains("Erityissisältö") && !page.body.contains("Viivästetty"));
    }
    // Rules 1–4 and 6 never produce the notice.
    assert_eq!(app.get("/fi/records/family_law").await.count("#restriction-notice"), 0);
    assert_eq!(
        app.get("/sv/records/disability").await.text("#restriction-notice h2"),
        "En del av uppgifterna visas inte"
    );
}

#[actix_web::test]
async fn hidden_restricted_foreign_and_missing_documents_are_the_same_404() {
    let app = app_as_owner().await;
    let shown = app.get("/fi/documents/SHOWN").await;
    assert_eq!(shown.status, 200);
    let mut bodies = Vec::new();
    for id in [
        "CORRECTED-NOPE",
        "INVALID",
        "PHASE1",
        "PAYMENT",
        "SHELTER",
        "ENTRY",
        "JOINT",
        "SPECIAL",
        "DELAYED",
        "NOTPUB",
        "FOREIGN",
        "NO-SUCH-DOC",
    ] {
        let page = app.get(&format!("/fi/documents/{id}")).await;
        assert_eq!(page.status, 404, "{id}");
        // The same page apart from the request id.
        let id_text = page.text(".request-id code");
        // The language switcher links to the same path in other languages.
        bodies.push(page.body.replace(&id_text, "REQ").replace(&format!("/documents/{id}"), "/documents/X"));
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "all 404 pages are identical");
}

#[actix_web::test]
async fn the_document_page_shows_metadata_paragraphs_and_escapes_markup() {
    let app = app_as_owner().await;
    let page = app.get("/fi/documents/CORRECTED").await;
    assert_eq!(page.text("h1"), "Korjattu versio");
    assert_eq!(page.text(".meta-kind"), "Päätös");
    assert_eq!(page.text(".meta-registrar"), "Testin hyvinvointialue");
    assert_eq!(page.text(".meta-author"), "Kirjoittaja");
    assert_eq!(page.texts(".document-section p"), vec!["Eka kappale rivi kaksi", "Toka kappale"]);
    assert_eq!(page.count(".document-section p br"), 1);
    assert_eq!(page.attr(".document-body", "lang"), None, "Finnish document on a Finnish page");

    let markup = app.get("/fi/documents/MARKUP").await;
    assert_eq!(markup.text("h1"), "<script>alert(1)</script> & <b>lihavoitu</b>");
    assert_eq!(markup.count("main script"), 0);
    assert_eq!(markup.count("main h1 b"), 0);
    assert!(!markup.body.contains("<script>alert"), "escaped in the HTML source");
    assert!(!markup.body.contains("<b>lihavoitu"));

    let sv_doc = app.get("/fi/documents/SVDOC").await;
    assert_eq!(sv_doc.attr(".document-body", "lang").as_deref(), Some("sv"));
    assert_eq!(sv_doc.attr("h1", "lang").as_deref(), Some("sv"));
    let same_lang = app.get("/sv/documents/SVDOC").await;
    assert_eq!(same_lang.attr(".document-body", "lang"), None);
    assert_eq!(same_lang.text(".meta-registrar"), "Testens välfärdsområde");
    assert_eq!(app.get("/en/documents/SVDOC").await.text(".meta-registrar"), "Testin hyvinvointialue");
}

#[actix_web::test]
async fn the_operator_can_switch_on_the_not_yet_shown_categories_one_by_one() {
    let app = spawn_app_with(|s| s.visibility.show_client_record_entries = true).await;
    app.import(&feed()).await.unwrap();
    app.sign_in_as("Aino Testinen").await;
    let page = app.get("/fi/records/older_people").await;
    let got = titles(&page);
    assert!(got.contains(&"Kertomusmerkintä".to_string()));
    assert!(!got.contains(&"Vanhemmuusselvitys".to_string()));
    assert!(!got.contains(&"Yhteinen asia".to_string()));
    assert_eq!(app.get("/fi/documents/ENTRY").await.status, 200);
    assert_eq!(app.get("/fi/documents/JOINT").await.status, 404);
}

#[actix_web::test]
async fn a_person_without_records_sees_no_information() {
    let app = spawn_app().await;
    app.import(&feed()).await.unwrap();
    app.sign_in_as("Tyhjä Henkilö").await;
    assert_eq!(app.get("/fi/records").await.text(".empty-state"), "Tietoja ei ole");
    assert_eq!(app.get("/sv/records").await.text(".empty-state"), "Uppgifter saknas");
    assert_eq!(app.get("/en/records").await.text(".empty-state"), "No information");
    assert_eq!(app.get("/fi/records/child_welfare").await.text(".empty-state"), "Tietoja ei ole");
    assert_eq!(app.get("/fi/records/no_such_task").await.status, 404);
}

#[actix_web::test]
async fn records_need_a_signed_in_person() {
    let app = spawn_app().await;
    app.import(&feed()).await.unwrap();
    for path in ["/fi/records", "/sv/records/older_people", "/fi/documents/SHOWN"] {
        let res = app.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        // Sign-in comes back to the page asked for.
        let lang = &path[..3];
        assert_eq!(res.location(), format!("{lang}/sign-in?return={}", path.replace('/', "%2F")), "{path}");
    }
}

/// A client with 2 000 documents: the overview counts them all, the task page shows 25 rows per
/// table page with page links that keep the other table's page, and a page that does not exist
/// is not found.
#[actix_web::test]
async fn a_client_with_two_thousand_documents_gets_table_pages_of_twenty_five() {
    let app = spawn_app().await;
    let mut records = vec![feed::organisation(ORG, "Testin hyvinvointialue"), feed::person(OWNER, "Aino", "Testinen")];
    for i in 0..2_000 {
        // 1 970 decisions and 30 client plans, a day apart, newest last in the feed.
        let kind = if i < 30 { "client_plan" } else { "decision" };
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(i);
        records.push(
            feed::document(&format!("D{i:04}"), OWNER, "older_people", &format!("Asiakirja {i:04}"))
                .set("kind", kind)
                .set("created_at", format!("{day}T10:00:00+02:00")),
        );
    }
    // And 30 disability decisions: a task page with a single table.
    for i in 0..30 {
        records.push(
            feed::document(&format!("V{i:02}"), OWNER, "disability", &format!("Vammaispäätös {i:02}"))
                .set("created_at", format!("2019-01-{:02}T10:00:00+02:00", i + 1)),
        );
    }
    app.import(&feed::lines(&records)).await.expect("imports");
    app.sign_in_as("Aino Testinen").await;

    let overview = app.get("/fi/records").await;
    assert_eq!(
        overview.texts(".task-card .task-count"),
        vec!["2000 asiakirjaa, uusin 22.6.2025", "30 asiakirjaa, uusin 30.1.2019"]
    );

    let first = app.get("/fi/records/older_people").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.count(".kind-group tbody tr"), 50, "25 decisions and 25 client plans");
    // Filtered by year and kind, the page links keep the filter.
    let filtered = app.get("/fi/records/older_people?year=2021&kind=decision").await;
    assert!(filtered.text(".filter-count").contains("365"), "{}", filtered.text(".filter-count"));
    let next = filtered.attr("nav.pagination a[rel=next]", "href").unwrap();
    assert_eq!(next, "/fi/records/older_people?year=2021&kind=decision&page=2#group-decision");
    assert_eq!(app.get(&next).await.texts(".rows-shown"), vec!["Asiakirjat 26–50 / 365"]);
    let decisions = first.texts("#group-decision ~ .table-scroll .doc-title");
    assert_eq!(decisions.first().map(String::as_str), Some("Asiakirja 1999"), "newest first");
    assert_eq!(decisions.last().map(String::as_str), Some("Asiakirja 1975"));
    assert_eq!(first.texts(".rows-shown"), vec!["Asiakirjat 1–25 / 1970", "Asiakirjat 1–25 / 30"]);
    assert_eq!(
        first.texts("nav.pagination[aria-label='Sivut: Päätökset'] li"),
        vec!["1", "2", "…", "79", "Seuraava sivu"]
    );
    assert_eq!(
        first.attr("nav.pagination[aria-label='Sivut: Päätökset'] a[aria-current=page]", "href").as_deref(),
        Some("/fi/records/older_people#group-decision")
    );
    let next = first.attr("nav.pagination[aria-label='Sivut: Asiakassuunnitelmat'] a[rel=next]", "href").unwrap();
    assert_eq!(next, "/fi/records/older_people?client_plan-page=2#group-client_plan");

    // Page 2 of the plans keeps the decisions on their page 3.
    let both = app.get("/fi/records/older_people?decision-page=3&client_plan-page=2").await;
    assert_eq!(both.status, 200);
    assert_eq!(both.count("#group-client_plan ~ .table-scroll tbody tr"), 5);
    assert_eq!(both.texts(".rows-shown"), vec!["Asiakirjat 51–75 / 1970", "Asiakirjat 26–30 / 30"]);
    // The title names the pages shown (WCAG 2.4.2).
    assert!(
        both.text("title")
            .starts_with("Iäkkäiden palvelut – Päätökset, sivu 3 / 79; Asiakassuunnitelmat, sivu 2 / 2 – "),
        "{}",
        both.text("title")
    );
    assert!(!first.text("title").contains("sivu"), "page 1 is the page itself");
    assert_eq!(
        both.attr("nav.pagination[aria-label='Sivut: Päätökset'] a[rel=prev]", "href").as_deref(),
        Some("/fi/records/older_people?decision-page=2&client_plan-page=2#group-decision")
    );
    let last = app.get("/fi/records/older_people?decision-page=79").await;
    assert_eq!(last.count("#group-decision ~ .table-scroll tbody tr"), 20);
    assert_eq!(last.count("nav.pagination[aria-label='Sivut: Päätökset'] a[rel=next]"), 0);

    // `page=N` turns every table; a shorter one shows its last page.
    let all = app.get("/fi/records/older_people?page=3").await;
    assert_eq!(all.texts(".rows-shown"), vec!["Asiakirjat 51–75 / 1970", "Asiakirjat 26–30 / 30"]);
    assert_eq!(
        app.get("/fi/records/older_people?page=79&client_plan-page=1").await.texts(".rows-shown"),
        vec!["Asiakirjat 1951–1970 / 1970", "Asiakirjat 1–25 / 30"]
    );

    // A single table pages with plain `page=N`.
    let single = app.get("/fi/records/disability").await;
    assert_eq!(single.count("tbody tr"), 25);
    assert_eq!(single.attr("a[rel=next]", "href").as_deref(), Some("/fi/records/disability?page=2#group-decision"));
    let second = app.get("/fi/records/disability?page=2").await;
    assert!(second.text("title").starts_with("Vammaispalvelut – Sivu 2 / 2 – "), "{}", second.text("title"));
    assert_eq!(
        second.texts(".doc-title"),
        vec!["Vammaispäätös 04", "Vammaispäätös 03", "Vammaispäätös 02", "Vammaispäätös 01", "Vammaispäätös 00"]
    );
    assert_eq!(second.attr("a[rel=prev]", "href").as_deref(), Some("/fi/records/disability#group-decision"));

    for bad in [
        "decision-page=80",
        "decision-page=0",
        "decision-page=x",
        "client_plan-page=3",
        "implementation_plan-page=2",
        "page=80",
        "page=0",
        "page=x",
    ] {
        assert_eq!(app.get(&format!("/fi/records/older_people?{bad}")).await.status, 404, "{bad}");
    }
    assert_eq!(app.get("/fi/records/disability?page=3").await.status, 404);
}

/// Publication starts and a subject's documents are cached in the process, but an import by
/// another process is seen on the very next request.
#[actix_web::test]
async fn an_import_by_another_process_is_seen_on_the_next_request() {
    let app = app_as_owner().await;
    let family = app.get("/fi/records/family_law").await;
    assert!(!family.body.contains("Ei vielä julkaistu"), "publication starts tomorrow");
    let older = app.get("/fi/records/older_people").await;
    assert!(titles(&older).contains(&"Näkyvä päätös".to_string()));
    assert!(!older.body.contains("Uusi päätös"));
    // Another process (its own connections) moves the start to the past, adds a document and
    // corrects another.
    let other = sosiaalitiedot::store::Store::connect(&app.database_url).await.unwrap();
    let lines = feed::lines(&[
        Rec(json!({"type":"visibility_start","registrar":ORG,"service_task":"family_law","from":"2026-01-01"})),
        feed::document("NEW", OWNER, "older_people", "Uusi päätös"),
        feed::document("SHOWN", OWNER, "older_people", "Näkyvä päätös, korjattu").set("version", 2),
    ]);
    sosiaalitiedot::feed::import(&other, std::io::Cursor::new(lines.into_bytes()), |_| {}).await.expect("imports");
    let family = app.get("/fi/records/family_law").await;
    assert_eq!(titles(&family), vec!["Ei vielä julkaistu"]);
    let older = titles(&app.get("/fi/records/older_people").await);
    assert!(older.contains(&"Uusi päätös".to_string()), "{older:?}");
    assert!(
        older.contains(&"Näkyvä päätös, korjattu".to_string()) && !older.contains(&"Näkyvä päätös".to_string()),
        "{older:?}"
    );
}

/// Issue #22 part 1: an attachment is listed with its document, never as a row of its own, and a
/// hidden attachment is never mentioned.
#[actix_web::test]
async fn attachments_are_listed_with_their_document_and_a_hidden_one_never_mentioned() {
    let app = crate::helpers::spawn_demo_app().await;
    // A second attachment of the same decision, with special content: hidden from everyone.
    let hidden = r#"{"type":"document","id":"HIDDEN-ATTACHMENT","version":1,"person":"170458-9028","registrar":"1.2.246.10.2000001.10.0","service_task":"older_people","kind":"other","phase":2,"status":"active","created_at":"2026-05-02T10:00:00+03:00","title":"Salainen liite","language":"fi","author":"A","unit":"U","attachment_of":"1.2.246.10.2000001.18.2026.00002","sections":[{"heading":"H","body":"B"}],"restrictions":{"delayed_until":null,"special_content":true,"hidden_from_guardians":false}}"#;
    app.import(hidden).await.unwrap();
    app.sign_in_as("Aino Marjatta").await;
    let task = app.get("/fi/records/older_people").await;
    assert!(!task.texts(".doc-title").iter().any(|t| t.starts_with("Oikaisuvaatimusohje")), "not a row of its own");
    let row = task
        .texts(".doc-title")
        .into_iter()
        .find(|t| t.contains("(1 liite)"))
        .expect("the decision's row says it has one attachment");
    assert!(!row.contains("Salainen"));
    assert!(
        !task.body.contains("Salainen liite") && !task.body.contains("2 liitettä"),
        "a hidden attachment is never counted"
    );
    let decision = app.get("/fi/documents/1.2.246.10.2000001.18.2026.00002").await;
    assert_eq!(decision.text("#attachments-heading"), "Liitteet");
    assert_eq!(decision.texts(".attachment-list li a"), vec!["Oikaisuvaatimusohje"]);
    let attachment_url = decision.attr(".attachment-list li a", "href").unwrap();
    let attachment = app.get(&attachment_url).await;
    assert_eq!(attachment.status, 200);
    assert_eq!(attachment.text(".attachment-of"), format!("Liite asiakirjaan: {}", decision.text("h1")));
    assert_eq!(
        attachment.attr(".attachment-of a", "href").as_deref(),
        Some("/fi/documents/1.2.246.10.2000001.18.2026.00002")
    );
    assert_eq!(app.get("/fi/documents/HIDDEN-ATTACHMENT").await.status, 404);
    assert_eq!(app.get("/sv/documents/1.2.246.10.2000001.18.2026.00002").await.text("#attachments-heading"), "Bilagor");
}

/// Issue #22 part 2: the newest documents on the overview, the data-use log's links, the language note.
#[actix_web::test]
async fn the_newest_documents_are_on_the_overview_and_the_data_use_log_links_what_may_be_seen() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let overview = app.get("/fi/records").await;
    assert_eq!(overview.text("#newest-heading"), "Uusimmat asiakirjat");
    let newest = overview.texts(".newest-list li a");
    assert!(!newest.is_empty() && newest.len() <= 5, "{newest:?}");
    assert!(!newest.iter().any(|t| t == "Oikaisuvaatimusohje"), "an attachment is listed with its document");
    for href in overview
        .html()
        .select(&scraper::Selector::parse(".newest-list a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
    {
        assert_eq!(app.get(&href).await.status, 200, "{href}");
    }
    let data_use = app.get("/fi/data-use").await;
    for href in data_use
        .html()
        .select(&scraper::Selector::parse(".event-document a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
    {
        assert!(href.starts_with("/fi/documents/"));
        assert_eq!(app.get(&href).await.status, 200, "{href}");
    }
    // A Swedish document on a Finnish page says so.
    let mikael = app.another("Mikael Johannes").await;
    let task = mikael.get("/fi/records/working_age").await;
    let swedish = task.attr(".doc-title a:has(> span[lang=sv])", "href").unwrap();
    assert_eq!(mikael.get(&swedish).await.text(".language-note"), "Asiakirja on ruotsinkielinen.");
    assert_eq!(mikael.get(&swedish.replace("/fi/", "/sv/")).await.count(".language-note"), 0);
}

/// Issue #22 part 3: print or save one document — the print layout carries what a paper copy
/// needs and never the identity code.
#[actix_web::test]
async fn the_print_layout_holds_what_a_paper_copy_needs_and_no_identity_code() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let page = app.get("/fi/documents/1.2.246.10.2000001.18.2026.00002").await;
    assert_eq!(page.text("a.print-action"), "Tulosta tai tallenna PDF-tiedostoksi");
    let print_url = page.attr("a.print-action", "href").unwrap();
    assert_eq!(print_url, "/fi/documents/1.2.246.10.2000001.18.2026.00002?print=1");
    let print = app.get(&print_url).await;
    assert_eq!(print.status, 200);
    assert!(print.text(".print-instructions").contains("Ctrl+P"));
    assert_eq!(print.text(".print-person"), "Aino Marjatta Virtanen, syntynyt 17.4.1958");
    assert!(!print.body.contains("170458-9028"), "never the identity code");
    for part in [".meta-registrar", ".meta-kind", ".meta-date", ".meta-unit"] {
        assert!(!print.text(part).is_empty(), "{part}");
    }
    assert_eq!(print.text(".print-attachments"), "Oikaisuvaatimusohje");
    assert!(print.text(".print-printed").starts_with("Tulostettu "), "{}", print.text(".print-printed"));
    assert!(print.text(".print-printed").contains("/fi/documents/1.2.246.10.2000001.18.2026.00002"));
    // An updated document says so, with the earlier version's date.
    let updated = app.get("/fi/documents/1.2.246.10.2000001.18.2026.00004?print=1").await;
    assert_eq!(updated.text(".print-versions"), "päivitetty 2.4.2026; aiempi versio 25.3.2026");
    // And so does the normal page (issue #22 item 6); a first version has no such line.
    assert_eq!(
        app.get("/fi/documents/1.2.246.10.2000001.18.2026.00004").await.text(".meta-versions"),
        "päivitetty 2.4.2026; aiempi versio 25.3.2026"
    );
    assert_eq!(page.count(".meta-versions"), 0);
    assert_eq!(
        app.get("/sv/documents/1.2.246.10.2000001.18.2026.00002").await.text("a.print-action"),
        "Skriv ut eller spara som PDF-fil"
    );
    assert_eq!(app.get("/static/print.js").await.status, 200);
}

/// Issue #22 part 4: a service-task page's filter (GET, no script) by year, registrar and kind,
/// with the count announced, "Tyhjennä valinnat", and pagination keeping the filter.
#[actix_web::test]
async fn a_service_task_is_filtered_by_year_registrar_and_kind_and_paging_keeps_the_filter() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let all = app.get("/fi/records/older_people").await;
    assert_eq!(all.count("form.task-filter select"), 3);
    assert_eq!(all.count(".filter-count"), 0, "no count before a choice");
    let rows = all.count("tbody tr");
    let kind = all.attr("#filter-kind option:nth-child(2)", "value").unwrap();
    let filtered = app.get(&format!("/fi/records/older_people?kind={kind}")).await;
    assert_eq!(filtered.status, 200);
    let shown = filtered.count("tbody tr");
    assert!(shown > 0 && shown <= rows);
    // The count starts the title: announced with the new page (a status present at load is not).
    let count = filtered.text(".filter-count");
    assert!(count.contains(&shown.to_string()), "{count}");
    assert!(filtered.text("title").starts_with(&format!("{count} – ")), "{}", filtered.text("title"));
    assert_eq!(filtered.attr(&format!("#filter-kind option[value='{kind}']"), "selected").as_deref(), Some(""));
    assert_eq!(filtered.attr("a.link-cancel", "href").as_deref(), Some("/fi/records/older_people"));
    let none = app.get("/fi/records/older_people?year=1999").await;
    assert_eq!(none.text(".filter-count"), "Valinnoilla ei löytynyt asiakirjoja");
    assert!(none.text("title").starts_with("Valinnoilla ei löytynyt asiakirjoja – "), "{}", none.text("title"));
    assert!(!all.text("title").contains("löytyi"), "{}", all.text("title"));
    assert_eq!(none.count("tbody tr"), 0);
}
