//! Issue #22: documents a citizen can act on — "Lataa tiedot" (HTML and JSON, streamed, audited),
//! `export-records`'s twin on the web, and the registrars' contacts from the feed.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::feed::{self, ORG, Rec, document, organisation, person, relationship};
use crate::helpers::{Page, TODAY, TestApp, spawn_app, spawn_demo_app};

const ADULT: &str = "150380-901T";
const CHILD: &str = "220715A902T";

fn json_of(page: &Page) -> Value {
    serde_json::from_str(&page.body)
        .unwrap_or_else(|e| panic!("the download is JSON: {e}\n{}", &page.body[..page.body.len().min(500)]))
}

fn ids(export: &Value) -> BTreeSet<String> {
    export["documents"].as_array().expect("documents").iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}

fn hrefs(page: &Page, selector: &str) -> Vec<String> {
    page.html()
        .select(&scraper::Selector::parse(selector).unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

/// The ids the viewer's pages show: every document row of every listed task (all its table pages),
/// with the attachments each document's page lists.
async fn shown_on_pages(app: &TestApp, lang: &str) -> BTreeSet<String> {
    let overview = app.get(&format!("/{lang}/records")).await;
    let mut out = BTreeSet::new();
    for task in hrefs(&overview, ".task-card h2 a") {
        let page = app.get(&format!("{task}?page=1")).await;
        assert_eq!(page.count(".pagination"), 0, "the demo's tasks fit on one table page");
        for href in hrefs(&page, ".doc-title a") {
            out.insert(href.rsplit('/').next().unwrap().to_string());
            let doc = app.get(&href).await;
            for a in hrefs(&doc, ".attachment-list a") {
                out.insert(a.rsplit('/').next().unwrap().to_string());
            }
        }
    }
    out
}

/// Every identity code of the demo (the keys of demo/people.json).
fn demo_codes() -> Vec<String> {
    let people: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string("demo/people.json").unwrap()).unwrap();
    people.keys().cloned().collect()
}

#[actix_web::test]
async fn each_role_downloads_exactly_what_its_pages_show_and_the_principal_sees_who_downloaded() {
    let app = spawn_demo_app().await;
    // Own (an adult with a shelter relationship, hidden documents, an attachment), guardian,
    // information right, mandate (Suomi.fi mandate in the feed), and a 16-year-old's own view.
    for (actor, subject, role) in [
        ("Aino Marjatta", None, "own"),
        ("Laura Helena", Some("Eetu"), "guardian"),
        ("Pirkko", Some("Eetu"), "information_right"),
        ("Juha Petteri", Some("Eino"), "mandate"),
        ("Eetu", None, "own"),
    ] {
        let viewer = app.another(actor).await;
        if let Some(s) = subject {
            viewer.choose(s).await;
        }
        let json_page = viewer.get("/fi/records/download?format=json").await;
        assert_eq!(json_page.status, 200, "{actor}");
        assert_eq!(json_page.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(
            json_page.header("content-disposition").unwrap(),
            format!("attachment; filename=\"sosiaalitiedot-{TODAY}.json\"")
        );
        assert!(json_page.header("content-length").is_none(), "streamed, not buffered");
        let export = json_of(&json_page);
        assert_eq!(export["schema"], "sosiaalitiedot-export/1");
        assert_eq!(export["viewer_role"], role, "{actor}");
        let on_pages = shown_on_pages(&viewer, "fi").await;
        assert_eq!(ids(&export), on_pages, "{actor}: the download holds exactly the documents the pages show");
        // Never the identity code of anyone.
        for code in demo_codes() {
            assert!(!json_page.body.contains(&code), "{actor}: an identity code in the file");
        }
        let html = viewer.get("/sv/records/download?format=html").await;
        assert_eq!(html.status, 200);
        assert!(html.header("content-type").unwrap().starts_with("text/html"));
        assert!(html.body.starts_with("<!DOCTYPE html>") && html.body.contains("<html lang=\"sv\">"));
        assert!(
            !html.body.contains("<script") && !html.body.contains("<link") && html.body.contains("<style>"),
            "self-contained, no scripts"
        );
        assert_eq!(html.count("article"), export["documents"].as_array().unwrap().len(), "{actor}");
        assert!(html.body.trim_end().ends_with("</html>"), "the whole file arrived");
    }
    // The guardian's file never holds what is restricted from guardians; the child's own does.
    let laura = app.another("Laura Helena").await;
    laura.choose("Eetu").await;
    let guardian = laura.get("/fi/records/download?format=json").await;
    for leak in ["nuoren oma tapaaminen", "Oppilashuolto", "Pekka Laine"] {
        assert!(!guardian.body.contains(leak), "{leak} in {}", guardian.body);
    }
    let eetu = app.another("Eetu").await;
    assert!(eetu.get("/fi/records/download?format=json").await.body.contains("nuoren oma tapaaminen"));
    // Aino's shelter relationship and its worker are nowhere in her file; her appeal instructions
    // are, as an attachment of the decision.
    let aino = app.another("Aino Marjatta").await;
    let own = json_of(&aino.get("/fi/records/download?format=json").await);
    let text = own.to_string();
    assert!(!text.contains("Suojasatama") && !text.contains("Hanna Turunen") && !text.contains("Turvakoti"));
    let decision = own["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Päätös säännöllisestä kotihoidosta")
        .unwrap();
    let attachment = own["documents"].as_array().unwrap().iter().find(|d| d["title"] == "Oikaisuvaatimusohje").unwrap();
    assert_eq!(decision["attachments"], json!([attachment["id"]]));
    assert_eq!(attachment["attachment_of"], decision["id"]);
    assert!(decision["sections"][0]["body"].as_str().unwrap().contains("säännöllinen kotihoito"));
    let plan =
        own["documents"].as_array().unwrap().iter().find(|d| d["title"] == "Asiakassuunnitelma (päivitetty)").unwrap();
    assert_eq!(plan["version"], 2);
    assert_eq!(plan["earlier_versions"].as_array().unwrap().len(), 1, "the first version's date, never its content");
    assert!(!text.contains("Kaatumisia ei tapahdu"), "an earlier version's text");
    assert!(
        own["data_use"].as_array().unwrap().iter().all(|e| e["id"] != "DU-2026-SHELTER" && e["id"] != "DU-2026-HIDDEN")
    );
    assert!(!own["client_relationships"].as_array().unwrap().is_empty());
    // Audited once per download; the principal sees the representative's download.
    let eino_id = app.person_id("Eino Kalevi").await;
    let juha = app.another("Juha Petteri").await;
    juha.choose("Eino").await;
    let before = app.store.acted_for(eino_id, None, None, false, 1000).await.unwrap().len();
    assert_eq!(juha.get("/fi/records/download?format=html").await.status, 200);
    let after = app.store.acted_for(eino_id, None, None, false, 1000).await.unwrap();
    assert_eq!(after.len(), before + 1);
    assert_eq!((after[0].action.as_str(), after[0].object.as_deref()), ("downloaded_records", Some("html")));
    let eino = app.another("Eino Kalevi").await;
    let acted = eino.get("/fi/acted-for-me").await;
    assert!(acted.body.contains("Latasi tietosi tiedostona (HTML)"), "{}", acted.text("main"));
}

#[actix_web::test]
async fn a_download_needs_a_known_format_and_a_signed_in_person() {
    let app = spawn_demo_app().await;
    let anonymous = app.get("/fi/records/download?format=json").await;
    assert!(anonymous.status.is_redirection(), "{}", anonymous.status);
    app.sign_in_as("Aino Marjatta").await;
    for bad in ["/fi/records/download", "/fi/records/download?format=pdf", "/sv/records/download?format=JSON"] {
        let page = app.get(bad).await;
        assert_eq!(page.status, 400, "{bad}");
        assert!(page.body.contains("<html"), "a page that says what went wrong");
    }
    // The overview offers both, by plain links.
    let overview = app.get("/fi/records").await;
    assert_eq!(overview.attr("a.download-html", "href").as_deref(), Some("/fi/records/download?format=html"));
    assert_eq!(overview.attr("a.download-json", "href").as_deref(), Some("/fi/records/download?format=json"));
}

#[actix_web::test]
async fn a_person_with_five_thousand_documents_gets_them_all_in_one_streamed_file() {
    let app = spawn_app().await;
    let mut records = vec![organisation(ORG, "Testin hyvinvointialue"), person(ADULT, "Aila", "Aikuinen")];
    for i in 0..5_000 {
        records.push(
            document(&format!("D{i:05}"), ADULT, "older_people", &format!("Päätös {i}"))
                .set("sections", json!([{"heading":"Päätös","body": format!("Teksti {i}")}])),
        );
    }
    app.import(&feed::lines(&records)).await.expect("imports");
    app.sign_in_as("Aila").await;
    let page = app.get("/fi/records/download?format=json").await;
    assert_eq!(page.status, 200);
    let export = json_of(&page);
    let docs = export["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5_000);
    assert!(
        docs.iter().all(|d| d["sections"][0]["body"]
            == format!("Teksti {}", d["title"].as_str().unwrap().strip_prefix("Päätös ").unwrap())),
        "each text with its own document"
    );
    let html = app.get("/en/records/download?format=html").await;
    assert_eq!(html.count("article"), 5_000);
}

#[actix_web::test]
async fn a_hidden_attachment_is_not_in_the_download_nor_counted() {
    let app = spawn_app().await;
    let records = vec![
        organisation(ORG, "Testin hyvinvointialue"),
        person(ADULT, "Aila", "Aikuinen"),
        person(CHILD, "Kalle", "Aikuinen"),
        feed::guardianship(ADULT, CHILD),
        document("PARENT", CHILD, "child_welfare", "Päätös"),
        document("SHOWN-ATT", CHILD, "child_welfare", "Oikaisuvaatimusohje")
            .set("kind", "other")
            .set("attachment_of", "PARENT"),
        document("HFG-ATT", CHILD, "child_welfare", "Rajattu liite")
            .set("kind", "other")
            .set("attachment_of", "PARENT")
            .set("restrictions.hidden_from_guardians", true),
        document("SPECIAL-ATT", CHILD, "child_welfare", "Erityinen liite")
            .set("kind", "other")
            .set("attachment_of", "PARENT")
            .set("restrictions.special_content", true),
    ];
    app.import(&feed::lines(&records)).await.expect("imports");
    app.sign_in_as("Aila").await;
    app.choose("Kalle").await;
    let export = json_of(&app.get("/fi/records/download?format=json").await);
    assert_eq!(ids(&export), ["PARENT", "SHOWN-ATT"].iter().map(|s| s.to_string()).collect());
    let parent = &export["documents"].as_array().unwrap().iter().find(|d| d["id"] == "PARENT").unwrap().clone();
    assert_eq!(parent["attachments"], json!(["SHOWN-ATT"]));
    let html = app.get("/fi/records/download?format=html").await;
    assert!(!html.body.contains("Rajattu liite") && !html.body.contains("Erityinen liite"));
}

fn contact_org() -> Rec {
    organisation(ORG, "Testin hyvinvointialue")
        .set(
            "contact",
            json!({
                "phone": "+358 9 310 5015",
                "email": "asiakaspalvelu@testi.example.fi",
                "address": {"fi": "Testikatu 1, 00100 Helsinki", "sv": "Testgatan 1, 00100 Helsingfors"},
                "url": "https://www.testi.example.fi/asiakkaat",
                "hours": {"fi": "ma–pe klo 9–15"}
            }),
        )
        .set("data_protection_contact", json!({"email": "tietosuoja@testi.example.fi"}))
}

#[actix_web::test]
async fn registrar_contacts_are_imported_and_shown_where_a_citizen_needs_them() {
    let app = spawn_app().await;
    let other = "1.2.246.10.2";
    let records = vec![
        contact_org(),
        organisation(other, "Yhteystiedoton Oy"),
        person(ADULT, "Aila", "Aikuinen"),
        // A relationship without an own worker, and one with.
        Rec(
            json!({"type":"client_relationship","person":ADULT,"registrar":ORG,"service_task":"older_people","started_on":"2026-03-04"}),
        ),
        relationship(ADULT, other, "disability", "Olli Omatyöntekijä").set("own_worker.phone", "+358 40 1"),
        document("D1", ADULT, "older_people", "Päätös kotihoidosta"),
        document("D2", ADULT, "disability", "Päätös kuljetuspalvelusta").set("registrar", other),
        document("DELAYED", ADULT, "disability", "Viivästetty")
            .set("registrar", other)
            .set("restrictions.delayed_until", "2027-01-01"),
    ];
    app.import(&feed::lines(&records)).await.expect("contacts import");
    app.sign_in_as("Aila").await;
    // The document page: whom to ask, with the registrar's details and data protection contact.
    let doc = app.get("/fi/documents/D1").await;
    assert_eq!(doc.text("#contact-heading"), "Kysy asiakirjasta tai pyydä korjausta");
    assert_eq!(doc.text(".contacts .contact-registrar"), "Testin hyvinvointialue");
    assert_eq!(doc.attr(".contacts a.contact-phone", "href").as_deref(), Some("tel:+35893105015"));
    assert_eq!(doc.text(".contacts .contact-address"), "Testikatu 1, 00100 Helsinki");
    assert_eq!(doc.text(".contacts .contact-hours"), "ma–pe klo 9–15");
    assert!(doc.text(".contacts .contact-data-protection").contains("tietosuoja@testi.example.fi"));
    // In Swedish the Swedish address; hours given only in Finnish are marked as Finnish.
    let sv = app.get("/sv/documents/D1").await;
    assert_eq!(sv.text(".contacts .contact-address"), "Testgatan 1, 00100 Helsingfors");
    assert_eq!(sv.attr(".contacts .contact-hours", "lang").as_deref(), Some("fi"));
    // A registrar without contacts: named, with where to turn; the own worker first.
    let d2 = app.get("/fi/documents/D2").await;
    assert_eq!(d2.text(".contacts .contact-registrar"), "Yhteystiedoton Oy");
    assert!(d2.text(".contacts .contact-none").contains("yksikköön"));
    assert!(d2.text(".contact-own-worker").contains("Olli Omatyöntekijä"));
    // The relationship without an own worker points to the registrar.
    let task = app.get("/fi/records/older_people").await;
    assert!(task.text(".relationship .no-worker").contains("ei ole nimettyä omatyöntekijää"));
    assert_eq!(task.text(".relationship .no-worker .contact-registrar"), "Testin hyvinvointialue");
    assert_eq!(task.text("#contacts-heading"), "Kysy asiakirjoista tai pyydä korjausta");
    // Beside the restriction notice: the own worker and the contacts.
    let disability = app.get("/fi/records/disability").await;
    assert_eq!(disability.count("#restriction-notice"), 1);
    assert_eq!(disability.text("#restriction-notice .notice-workers"), "Omatyöntekijä: Olli Omatyöntekijä");
    assert_eq!(
        disability.attr("#restriction-notice a[href='#contacts-heading']", "href").as_deref(),
        Some("#contacts-heading")
    );
    // The help page's correction section names the registrars the person sees.
    let help = app.get("/fi/help").await;
    let registrars = help.texts(".contact-registrar");
    assert_eq!(registrars, vec!["Testin hyvinvointialue", "Yhteystiedoton Oy"]);
    // A re-import without contacts clears them (the feed is the source).
    app.import(&feed::lines(&[organisation(ORG, "Testin hyvinvointialue")])).await.unwrap();
    let doc = app.get("/fi/documents/D1").await;
    assert_eq!(doc.count(".contacts a.contact-phone"), 0);
    // Signed out, the help page names nobody.
    let anonymous = spawn_app().await;
    assert_eq!(anonymous.get("/fi/help").await.count(".contact-registrar"), 0);
}

#[actix_web::test]
async fn malformed_contacts_are_refused_with_line_and_field() {
    let app = spawn_app().await;
    let bad = [
        contact_org().set("contact.phone", "09 310 5015"),
        organisation("1.2.3", "B")
            .set("contact", json!({"email": "ei-osoite", "url": "http://www.example.fi", "fax": "1"})),
        organisation("1.2.4", "C").set("contact", json!({"address": {"fi": "Katu\u{202e}1"}, "hours": "aina"})),
        organisation("1.2.5", "D").set("data_protection_contact", json!({"url": "https://", "phone": "+358 1"})),
    ];
    let err = match app.import(&feed::lines(&bad)).await {
        Err(sosiaalitiedot::feed::ImportError::Invalid(errors)) => {
            errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
        }
        other => panic!("malformed contacts are refused: {:?}", other.map(|_| ())),
    };
    for expected in [
        "line 1: contact.phone:",
        "line 2: contact.email: is not an email address",
        "line 2: contact.url: must be an https address",
        "line 2: contact.fax: unknown field",
        "line 3: contact.address.fi: contains a bidirectional text override",
        "line 3: contact.hours: must be an object",
        "line 4: data_protection_contact.url:",
        "line 4: data_protection_contact.phone: unknown field",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    let organisations =
        app.store.table_counts().await.unwrap().into_iter().find(|(t, _)| *t == "organisation").unwrap().1;
    assert_eq!(organisations, 0, "nothing was written");
}
