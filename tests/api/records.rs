//! Sosiaalipalvelujen tiedot pages: every visibility rule as the viewer meets it.

use crate::helpers::{spawn_app, spawn_app_with, Page, TestApp};

const OWNER: &str = "131052-308T";
const OTHER: &str = "010594Y9032";
const ORG: &str = "1.2.246.10.1";

/// A small feed with one document per rule, for the person "Aino Testinen" (today is 2026-11-25).
fn feed() -> String {
    let mut lines = vec![
        format!(r#"{{"type":"organisation","oid":"{ORG}","name":{{"fi":"Testin hyvinvointialue","sv":"Testens välfärdsområde"}}}}"#),
        format!(r#"{{"type":"person","hetu":"{OWNER}","first_names":"Aino","last_name":"Testinen"}}"#),
        format!(r#"{{"type":"person","hetu":"{OTHER}","first_names":"Olli","last_name":"Muu"}}"#),
        r#"{"type":"person","hetu":"010101A123N","first_names":"Tyhjä","last_name":"Henkilö"}"#.to_string(),
        format!(r#"{{"type":"visibility_start","registrar":"{ORG}","service_task":null,"from":"2026-01-01"}}"#),
        format!(r#"{{"type":"visibility_start","registrar":"{ORG}","service_task":"family_law","from":"2026-11-26"}}"#),
        format!(r#"{{"type":"visibility_start","registrar":"{ORG}","service_task":"substance_abuse","from":"2026-11-25"}}"#),
        format!(
            r#"{{"type":"client_relationship","person":"{OWNER}","registrar":"{ORG}","service_task":"older_people","started_on":"2026-03-04","own_worker":{{"name":"Satu Lehtonen","title":"sosiaaliohjaaja","unit":"Palveluohjaus","phone":"+358 40 123 4567","email":"satu@example.fi"}}}}"#
        ),
        format!(r#"{{"type":"client_relationship","person":"{OWNER}","registrar":"{ORG}","service_task":"family_law","started_on":"2026-05-01"}}"#),
    ];
    let doc = |id: &str, version: i32, person: &str, task: &str, title: &str, extra: &str| {
        format!(
            r#"{{"type":"document","id":"{id}","version":{version},"person":"{person}","registrar":"{ORG}","service_task":"{task}","kind":"decision","phase":2,"status":"active","created_at":"2026-0{m}-10T10:00:00+02:00","title":"{title}","language":"fi","author":"Kirjoittaja","unit":"Yksikkö","sections":[{{"heading":"Päätös","body":"Eka kappale\nrivi kaksi\n\nToka kappale"}}]{extra}}}"#,
            m = (version % 9) + 1
        )
        .replace(r#""kind":"decision","phase":2,"status":"active","#, if extra.contains("KIND") { "" } else { r#""kind":"decision","phase":2,"status":"active","# })
    };
    let plain = |id: &str, version: i32, task: &str, title: &str| doc(id, version, OWNER, task, title, "");
    let with = |id: &str, task: &str, title: &str, replace: &[(&str, &str)]| {
        let mut s = doc(id, 1, OWNER, task, title, "");
        for (from, to) in replace {
            assert!(s.contains(from), "{from}");
            s = s.replacen(from, to, 1);
        }
        s
    };
    lines.push(plain("SHOWN", 1, "older_people", "Näkyvä päätös"));
    lines.push(plain("CORRECTED", 1, "older_people", "Vanha versio"));
    lines.push(plain("CORRECTED", 2, "older_people", "Korjattu versio"));
    lines.push(plain("INVALID", 1, "older_people", "Mitätöidyn aiempi versio"));
    lines.push(with("INVALID", "older_people", "Mitätöity", &[(r#""version":1"#, r#""version":2"#), (r#""status":"active""#, r#""status":"invalidated""#)]));
    lines.push(with("PHASE1", "older_people", "Vanha muoto", &[(r#""phase":2"#, r#""phase":1"#)]));
    lines.push(with("PAYMENT", "older_people", "Maksusitoumus", &[(r#""kind":"decision""#, r#""kind":"payment_commitment""#)]));
    lines.push(with("CUSTODY", "older_people", "Huoltoselvitys", &[(r#""kind":"decision""#, r#""kind":"custody_investigation""#)]));
    lines.push(with("RELDOC", "older_people", "Asiakkuusasiakirja", &[(r#""kind":"decision""#, r#""kind":"client_relationship_document""#)]));
    lines.push(with("SHELTER", "older_people", "Turvakoti", &[(r#""kind":"decision""#, r#""kind":"decision","service":"shelter""#)]));
    lines.push(with("VIOLENCE", "older_people", "Väkivallan ehkäisy", &[(r#""kind":"decision""#, r#""kind":"decision","service":"violence_prevention""#)]));
    lines.push(with("ADOPTION", "older_people", "Adoptioneuvonta", &[(r#""kind":"decision""#, r#""kind":"decision","service":"adoption_counselling""#)]));
    lines.push(with("ENTRY", "older_people", "Kertomusmerkintä", &[(r#""kind":"decision""#, r#""kind":"client_record_entry""#)]));
    lines.push(with("PARENT", "older_people", "Vanhemmuusselvitys", &[(r#""kind":"decision""#, r#""kind":"parenthood_investigation""#)]));
    lines.push(with("JOINT", "older_people", "Yhteinen asia", &[(r#""status":"active""#, r#""status":"active","joint_matter":true"#)]));
    lines.push(with("DELAY-TODAY", "older_people", "Viive päättyy tänään", &[(r#""sections""#, r#""restrictions":{"delayed_until":"2026-11-25"},"sections""#)]));
    lines.push(with("HFG", "older_people", "Rajattu huoltajilta", &[(r#""sections""#, r#""restrictions":{"hidden_from_guardians":true},"sections""#)]));
    lines.push(with("MARKUP", "older_people", "<script>alert(1)</script> & <b>lihavoitu</b>", &[]));
    lines.push(with("SVDOC", "older_people", "Beslut på svenska", &[(r#""language":"fi""#, r#""language":"sv""#)]));
    lines.push(with("SPECIAL", "disability", "Erityissisältö", &[(r#""sections""#, r#""restrictions":{"special_content":true},"sections""#)]));
    lines.push(with("DELAYED", "working_age", "Viivästetty", &[(r#""sections""#, r#""restrictions":{"delayed_until":"2026-11-26"},"sections""#)]));
    lines.push(plain("NOTPUB", 1, "family_law", "Ei vielä julkaistu"));
    lines.push(plain("PUBTODAY", 1, "substance_abuse", "Julkaistu tänään"));
    lines.push(doc("FOREIGN", 1, OTHER, "older_people", "Toisen henkilön päätös", ""));
    lines.join("\n")
}

const HIDDEN_TITLES: [&str; 17] = [
    "Vanha versio", "Mitätöidyn aiempi versio", "Mitätöity", "Vanha muoto", "Maksusitoumus", "Huoltoselvitys",
    "Asiakkuusasiakirja", "Turvakoti", "Väkivallan ehkäisy", "Adoptioneuvonta", "Kertomusmerkintä",
    "Vanhemmuusselvitys", "Yhteinen asia", "Erityissisältö", "Viivästetty", "Ei vielä julkaistu", "Toisen henkilön päätös",
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
        "Näkyvä päätös", "Korjattu versio", "Viive päättyy tänään", "Rajattu huoltajilta",
        "<script>alert(1)</script> & <b>lihavoitu</b>", "Beslut på svenska",
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
        assert_eq!(page.text("#restriction-notice p"), "Tietojen näyttämistä on rajoitettu tai viivästetty. Voit keskustella asiasta omatyöntekijäsi kanssa.");
        assert_eq!(page.text(".empty-state"), "Tietoja ei ole");
        assert!(!page.body.contains("2026-11-26") && !page.body.contains("26.11.2026"), "no date in the notice");
        assert!(!page.body.contains("Erityissisältö") && !page.body.contains("Viivästetty"));
    }
    // Rules 1–4 and 6 never produce the notice.
    assert_eq!(app.get("/fi/records/family_law").await.count("#restriction-notice"), 0);
    assert_eq!(app.get("/sv/records/disability").await.text("#restriction-notice h2"), "En del av uppgifterna visas inte");
}

#[actix_web::test]
async fn hidden_restricted_foreign_and_missing_documents_are_the_same_404() {
    let app = app_as_owner().await;
    let shown = app.get("/fi/documents/SHOWN").await;
    assert_eq!(shown.status, 200);
    let mut bodies = Vec::new();
    for id in ["CORRECTED-NOPE", "INVALID", "PHASE1", "PAYMENT", "SHELTER", "ENTRY", "JOINT", "SPECIAL", "DELAYED", "NOTPUB", "FOREIGN", "NO-SUCH-DOC"] {
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
        assert!(res.location().ends_with("/sign-in"), "{path}");
    }
}
