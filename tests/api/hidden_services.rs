//! Where the seeds reach further than the first design (DESIGN §2.2, §2.3, §2.6): never-shown
//! services beyond documents, relationships hidden from guardians, the notice only after
//! publication, attachments and pre-Kanta documents. Each test fails if the thing it names leaks.

use crate::feed::{self, ORG, Rec, data_use, document, guardianship, organisation, person, relationship};
use crate::helpers::{TestApp, spawn_app};

const ADULT: &str = "150380-901T";
const CHILD: &str = "220715A902T";
const SHELTER_ORG: &str = "1.2.246.10.77";
const SHELTER_NAME: &str = "Ensi- ja turvakoti Suojasatama";

async fn app_with(records: &[Rec]) -> TestApp {
    let app = spawn_app().await;
    let mut all = vec![
        organisation(ORG, "Testin hyvinvointialue"),
        organisation(SHELTER_ORG, SHELTER_NAME),
        person(ADULT, "Aila", "Aikuinen"),
        person(CHILD, "Kalle", "Aikuinen"),
        guardianship(ADULT, CHILD),
    ];
    // A record given here replaces the base record with the same key (an organisation, say).
    all.retain(|base| {
        !records
            .iter()
            .any(|r| r.0["type"] == base.0["type"] && r.0.get("oid").is_some() && r.0["oid"] == base.0["oid"])
    });
    all.extend_from_slice(records);
    app.import(&feed::lines(&all)).await.expect("the test feed imports");
    app
}

/// Every page a viewer can reach about the current subject, concatenated.
async fn every_page(app: &TestApp) -> String {
    let mut out = String::new();
    for path in [
        "/fi/records",
        "/fi/records/families_with_children",
        "/fi/records/child_welfare",
        "/fi/records/older_people",
        "/fi/data-use",
        "/fi/prohibitions/new?type=registrar",
        "/fi/prohibitions/new?type=service_task",
        "/fi/prohibitions/new?type=document",
        // The help page names the registrars of what the viewer sees; the downloads hold exactly
        // what the pages show.
        "/fi/help",
        "/fi/records/download?format=html",
        "/fi/records/download?format=json",
    ] {
        let page = app.get(path).await;
        out.push_str(&page.body);
    }
    out
}

#[actix_web::test]
async fn a_shelter_relationship_and_its_data_use_are_absent_everywhere() {
    let app = app_with(&[
        relationship(ADULT, SHELTER_ORG, "families_with_children", "Turvakodin Työntekijä").set("service", "shelter"),
        relationship(ADULT, SHELTER_ORG, "working_age", "Väkivaltatyön Ohjaaja").set("service", "violence_prevention"),
        data_use("E1", ADULT, SHELTER_ORG, SHELTER_ORG).set("service", "shelter"),
        // Visible things, so that the pages are not simply empty.
        document("D1", ADULT, "older_people", "Näkyvä päätös"),
        data_use("E2", ADULT, ORG, ORG),
    ])
    .await;
    app.sign_in_as("Aila").await;
    app.post_acknowledged_informing().await;
    let overview = app.get("/fi/records").await;
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("Näkyvä päätös") || overview.count("a[href='/fi/records/older_people']") == 1);
    assert_eq!(overview.count("a[href='/fi/records/families_with_children']"), 0, "the shelter task is not listed");
    let everything = every_page(&app).await;
    for secret in [SHELTER_NAME, "Turvakodin Työntekijä", "Väkivaltatyön Ohjaaja", SHELTER_ORG] {
        assert!(!everything.contains(secret), "{secret} leaked");
    }
    // The data-use log still shows the ordinary event.
    assert!(app.get("/fi/data-use").await.body.contains("Testin hyvinvointialue"));
    // explain says why.
    let report = sosiaalitiedot::records::explain::explain(
        &app.store,
        Default::default(),
        ADULT,
        None,
        "2026-11-25".parse().unwrap(),
    )
    .await
    .unwrap();
    assert!(report.relationships.iter().all(|r| r.verdict == "hidden"));
    let shelter_event = report.data_use.iter().find(|e| e.id == "E1").unwrap();
    assert_eq!((shelter_event.verdict, shelter_event.rule.map(|r| r.code())), ("hidden", Some("never_shown")));
}

#[actix_web::test]
async fn a_relationship_hidden_from_guardians_is_seen_by_the_child_only() {
    let app = app_with(&[
        relationship(CHILD, ORG, "child_welfare", "Piilotettu Työntekijä").set("hidden_from_guardians", true),
        relationship(CHILD, ORG, "families_with_children", "Näkyvä Työntekijä"),
    ])
    .await;
    app.sign_in_as("Aila").await;
    app.choose("Kalle").await;
    let everything = every_page(&app).await;
    assert!(everything.contains("Näkyvä Työntekijä"));
    assert!(!everything.contains("Piilotettu Työntekijä"), "the guardian sees a relationship hidden from guardians");
    assert_eq!(app.get("/fi/records").await.count("a[href='/fi/records/child_welfare']"), 0);
    let child = app.another("Kalle").await;
    assert!(child.get("/fi/records/child_welfare").await.body.contains("Piilotettu Työntekijä"));
}

#[actix_web::test]
async fn no_notice_and_no_task_before_publication_starts() {
    let app = app_with(&[
        Rec(serde_json::json!({"type":"visibility_start","registrar":ORG,"service_task":"disability","from":"2027-01-01"})),
        document("SPECIAL", ADULT, "disability", "Erityissisältö").set("restrictions.special_content", true),
        document("DELAYED", ADULT, "working_age", "Viivästetty").set("restrictions.delayed_until", "2027-02-01"),
    ])
    .await;
    app.sign_in_as("Aila").await;
    let overview = app.get("/fi/records").await;
    assert_eq!(overview.count("a[href='/fi/records/disability']"), 0, "an unpublished task is not listed");
    assert_eq!(overview.count("a[href='/fi/records/working_age']"), 1, "a published task with a delayed document is");
    assert_eq!(app.get("/fi/records/disability").await.count("#restriction-notice"), 0);
    assert_eq!(app.get("/fi/records/working_age").await.count("#restriction-notice"), 1);
}

#[actix_web::test]
async fn attachments_are_shown_only_with_a_shown_parent() {
    let app = app_with(&[
        document("CUSTODY", ADULT, "family_law", "Huoltoselvitys").set("kind", "custody_investigation"),
        document("CUSTODY-ATT", ADULT, "family_law", "Huoltoselvityksen liite").set("attachment_of", "CUSTODY"),
        document("PARENT", ADULT, "older_people", "Pääasiakirja"),
        document("PARENT-ATT", ADULT, "older_people", "Pääasiakirjan liite").set("attachment_of", "PARENT"),
        document("ORPHAN", ADULT, "older_people", "Orpo liite").set("attachment_of", "NOT-IN-ARCHIVE"),
    ])
    .await;
    app.sign_in_as("Aila").await;
    let task = app.get("/fi/records/older_people").await;
    // Listed with its document (a count on the row, the title on the document's page), not as a row.
    assert!(task.texts(".doc-title").contains(&"Pääasiakirja (1 liite)".to_string()), "{:?}", task.texts(".doc-title"));
    assert!(!task.body.contains("Orpo liite"));
    assert_eq!(app.get("/fi/documents/PARENT").await.texts(".attachment-list a"), vec!["Pääasiakirjan liite"]);
    assert_eq!(app.get("/fi/documents/PARENT-ATT").await.status, 200);
    assert_eq!(app.get("/fi/documents/ORPHAN").await.status, 404);
    assert_eq!(app.get("/fi/documents/CUSTODY-ATT").await.status, 404);
    assert!(!every_page(&app).await.contains("Huoltoselvityksen liite"));
}

#[actix_web::test]
async fn documents_made_before_the_registrar_joined_kanta_are_hidden() {
    let app = app_with(&[
        organisation(ORG, "Testin hyvinvointialue").set("joined_kanta_on", "2026-03-10"),
        document("BEFORE", ADULT, "older_people", "Ennen liittymistä").set("created_at", "2026-03-09T23:30:00+02:00"),
        // 22:30 UTC on the 9th is already the 10th in Helsinki.
        document("ON-THE-DAY", ADULT, "older_people", "Liittymispäivänä").set("created_at", "2026-03-09T22:30:00Z"),
    ])
    .await;
    app.sign_in_as("Aila").await;
    let task = app.get("/fi/records/older_people").await;
    assert!(task.body.contains("Liittymispäivänä"));
    assert!(!task.body.contains("Ennen liittymistä"));
    assert_eq!(app.get("/fi/documents/BEFORE").await.status, 404);
}

impl TestApp {
    /// Acknowledges the informing as the signed-in person, so that every choices page opens.
    pub async fn post_acknowledged_informing(&self) {
        let page = self.get("/fi/informing").await;
        if let Some(csrf) = page.attr("input[name=csrf_token]", "value") {
            let subject = page.attr("input[name=subject_token]", "value").unwrap_or_default();
            self.post("/fi/informing", &[("csrf_token", &csrf), ("subject_token", &subject), ("confirm", "yes")]).await;
        }
    }
}

#[actix_web::test]
async fn the_front_page_card_leads_to_the_informing_until_it_is_acknowledged() {
    let app = app_with(&[]).await;
    app.sign_in_as("Aila").await;
    let home = app.get("/fi/").await;
    assert_eq!(home.count(".card a[href='/fi/informing']"), 1, "{}", home.body);
    assert_eq!(home.count(".card a[href='/fi/consent']"), 0);
    assert!(home.body.contains("panna asioita vireille eikä lähettää asiakirjoja"));
    app.post_acknowledged_informing().await;
    let home = app.get("/fi/").await;
    assert_eq!(home.count(".card a[href='/fi/consent']"), 1);
}

#[actix_web::test]
async fn a_task_with_a_relationship_but_no_documents_says_there_are_no_documents() {
    let app = app_with(&[relationship(ADULT, ORG, "working_age", "Näkyvä Työntekijä")]).await;
    app.sign_in_as("Aila").await;
    let page = app.get("/fi/records/working_age").await;
    assert!(page.body.contains("Näkyvä Työntekijä"));
    assert_eq!(page.text(".empty-state"), "Asiakirjoja ei ole");
    assert_eq!(app.get("/fi/records/older_people").await.text(".empty-state"), "Tietoja ei ole");
}
