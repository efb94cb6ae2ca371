//! Acting for others through Suomi.fi e-Authorizations (DESIGN §2.4 "Where the links come from in
//! production"), against the test service in `browser-tests/valtuudet-service.mjs` (the same one the
//! browser tests and `scripts/local-sign-in` use): the whole flow, DISALLOWED, the portal's own rules
//! on top of ALLOWED, cancel, forged and replayed callbacks, a wrong checksum, the service away, a
//! revoked mandate, and the feed's links granting nothing. Today is 2026-11-25 (demo feed).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::helpers::{Page, TestApp, spawn_app_with};
use sosiaalitiedot::settings::{Secret, ValtuudetSettings};
use sosiaalitiedot::store::Store;

const CLIENT_ID: &str = "sosiaali";
const API_KEY: &str = "test-api-key-for-the-checksum";
const OAUTH_PASSWORD: &str = "test-oauth-password";

/// The test e-Authorizations service, stopped when dropped.
struct Service {
    child: Child,
    base: String,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Service {
    fn start() -> Service {
        let mut child = Command::new("node")
            .args(["browser-tests/valtuudet-service.mjs", "0", CLIENT_ID, API_KEY, OAUTH_PASSWORD])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs the test e-Authorizations service");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line
            .trim()
            .strip_prefix("VALTUUDET READY ")
            .unwrap_or_else(|| panic!("service did not start: {line}"))
            .to_string();
        Service { child, base }
    }

    async fn control(&self, path: &str, body: serde_json::Value) {
        let res = awc::Client::default().post(format!("{}{path}", self.base)).send_json(&body).await.unwrap();
        assert!(res.status().is_success());
    }

    async fn revoke(&self, delegate: &str, principal: &str) {
        self.control("/test/revoke", serde_json::json!({ "delegate": delegate, "principal": principal })).await;
    }

    async fn down(&self, down: bool) {
        self.control("/test/down", serde_json::json!({ "down": down })).await;
    }
}

fn secret(s: &str) -> Secret {
    serde_json::from_value(serde_json::json!(s)).unwrap()
}

fn configured(base: &str, api_key: &str, recheck_seconds: u64) -> ValtuudetSettings {
    ValtuudetSettings {
        base_url: Some(base.to_string()),
        client_id: Some(CLIENT_ID.into()),
        api_key: Some(secret(api_key)),
        oauth_password: Some(secret(OAUTH_PASSWORD)),
        issues: vec!["sosiaalihuollon-tiedot".into()],
        recheck_seconds,
    }
}

/// The demo data on a portal that asks the test service (with this API key and re-check interval).
async fn portal(service: &Service, api_key: &str, recheck_seconds: u64) -> TestApp {
    let base = service.base.clone();
    let api_key = api_key.to_string();
    let app = spawn_app_with(move |s| {
        s.insecure_http = true;
        s.valtuudet = configured(&base, &api_key, recheck_seconds);
    })
    .await;
    app.load_demo().await;
    app
}

/// Presses the e-Authorizations button: the answer (a redirect to the selection page, or a failure page).
async fn press_button(app: &TestApp, lang: &str) -> Page {
    let page = app.get(&format!("/{lang}/acting-for")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let form_action =
        page.attr("form[action$='/acting-for/valtuudet']", "action").expect("the e-Authorizations button's form");
    let csrf = page.attr("form[action$='/acting-for/valtuudet'] input[name=csrf_token]", "value").unwrap();
    app.post(&form_action, &[("csrf_token", &csrf)]).await
}

/// On the selection page, chooses `principal` (or cancels with `None`); returns the callback path.
async fn select(location: &str, principal: Option<&str>) -> String {
    let client = awc::Client::builder().disable_redirects().finish();
    let mut res = client.get(location).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = String::from_utf8(res.body().await.unwrap().to_vec()).unwrap();
    let session_id = html.split("name=\"sessionId\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let base = location.split("/oauth/").next().unwrap();
    let form: Vec<(&str, &str)> = match principal {
        Some(p) => vec![("sessionId", &session_id), ("principal", p)],
        None => vec![("sessionId", &session_id), ("cancel", "1")],
    };
    let res = client.post(format!("{base}/oauth/select")).send_form(&form).await.unwrap();
    assert_eq!(res.status(), 302);
    let back = res.headers().get("location").unwrap().to_str().unwrap().to_string();
    assert!(back.contains("/valtuudet/callback?"), "{back}");
    back.split_once("://").unwrap().1.split_once('/').map(|(_, p)| format!("/{p}")).unwrap()
}

/// The whole flow for `principal`: the button, the selection page, the callback's answer.
async fn choose_through_valtuudet(app: &TestApp, principal: Option<&str>) -> Page {
    let res = press_button(app, "fi").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let location = res.location();
    assert!(location.contains("/oauth/authorize?client_id=sosiaali&response_type=code&redirect_uri="), "{location}");
    assert!(location.contains("&user=") && location.ends_with("&lang=fi"), "{location}");
    let callback = select(&location, principal).await;
    app.get(&callback).await
}

/// The audit trail's (action, object, role) of the records about `subject_id`, oldest first.
async fn audit_of(app: &TestApp, subject_id: i64) -> Vec<(String, Option<String>, String)> {
    let sql = "select action, object, role from audit_event where subject_id = $1 order by audit_event_id";
    match &app.store {
        Store::Sqlite(p) => sqlx::query_as(sql).bind(subject_id).fetch_all(p).await.unwrap(),
        Store::Postgres(p) => sqlx::query_as(sql).bind(subject_id).fetch_all(p).await.unwrap(),
    }
}

const EINO: &str = "110236-9687";
const EETU: &str = "140610A935L";

#[actix_web::test]
async fn a_guardian_chooses_a_child_and_a_representative_an_adult_through_e_authorizations() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 60).await;
    app.sign_in_as("Laura Helena").await;
    // The feed's guardianships grant nothing now: the acting-for page offers only the person herself
    // and the button, and choosing a child by id is refused.
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.texts("li.choice .person-name"), vec!["Laura Helena Nieminen"]);
    assert_eq!(page.text("#valtuudet-button"), "Valitse henkilö Suomi.fi-valtuuksista");
    let eetu = app.person_id("Eetu").await;
    let refused =
        app.post("/fi/acting-for", &[("csrf_token", &TestApp::csrf_of(&page)), ("person_id", &eetu.to_string())]).await;
    assert_eq!(refused.status, 404);

    let res = choose_through_valtuudet(&app, Some(EETU)).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/fi/records");
    let records = app.get("/fi/records").await;
    assert_eq!(records.status, 200);
    assert_eq!(records.text("#acting-banner-text"), "Asioit huoltajana: Eetu Matias Nieminen");
    // Rule 8 still applies to a guardian chosen through the registers.
    let task = app.get("/fi/records/child_welfare").await;
    assert!(!task.body.contains("Muistio: nuoren oma tapaaminen"));
    // The chosen child is on the list for the rest of the sign-in.
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.texts("li.choice .person-name"), vec!["Laura Helena Nieminen", "Eetu Matias Nieminen"]);
    assert_eq!(page.texts("li.choice .choice-role")[1], "Asioit huoltajana (valittuna)");
    let audit = audit_of(&app, eetu).await;
    assert!(
        audit.contains(&("chose_through_valtuudet".into(), Some("valtuudet:allowed".into()), "guardian".into())),
        "{audit:?}"
    );

    // An adult principal: role mandate, and the principal sees who acted for them.
    let son = app.another("Juha Petteri").await;
    let res = choose_through_valtuudet(&son, Some(EINO)).await;
    assert_eq!(res.location(), "/fi/records");
    assert_eq!(son.get("/fi/records").await.text("#acting-banner-text"), "Asioit valtuutettuna: Eino Kalevi Korhonen");
    let eino = app.another("Eino Kalevi").await;
    let acted = eino.get("/fi/acted-for-me").await;
    assert!(
        acted
            .texts("tbody tr")
            .iter()
            .any(|r| r.contains("Juha Petteri Korhonen") && r.contains("Valitsi sinut Suomi.fi-valtuuksista")),
        "{:?}",
        acted.texts("tbody tr")
    );
}

#[actix_web::test]
async fn disallowed_refused_by_the_portal_s_rules_and_cancelled_choices_change_nothing() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 60).await;
    // DISALLOWED (the mandate has ended at Suomi.fi).
    app.sign_in_as("Kaisa Maria").await;
    let res = choose_through_valtuudet(&app, Some(EINO)).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/acting-for");
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.text("#valtuudet-notice p"), "Et voi asioida tämän henkilön puolesta tässä palvelussa.");
    assert_eq!(page.texts("li.choice .person-name"), vec!["Kaisa Maria Mäkinen"]);
    assert!(!page.body.contains("Eino"), "nothing about the principal is shown");
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Kaisa Maria Mäkinen");
    let eino = app.person_id("Eino").await;
    assert!(audit_of(&app, eino).await.contains(&(
        "denied_act_for".into(),
        Some("valtuudet:disallowed".into()),
        "none".into()
    )));

    // ALLOWED by the register, refused by the archive's non-disclosure marking on the child.
    let tuomas = app.another("Tuomas Ilmari").await;
    let res = choose_through_valtuudet(&tuomas, Some("210712A903D")).await;
    assert_eq!(res.location(), "/fi/acting-for");
    let page = tuomas.get("/fi/acting-for").await;
    assert_eq!(page.count("#valtuudet-notice"), 1);
    assert!(!page.body.contains("Venla"));
    assert_eq!(tuomas.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Tuomas Ilmari Laine");

    // Cancelled on the selection page: back, nothing changed, no notice.
    let laura = app.another("Laura Helena").await;
    let res = choose_through_valtuudet(&laura, None).await;
    assert_eq!(res.location(), "/fi/acting-for");
    let page = laura.get("/fi/acting-for").await;
    assert_eq!(page.count("#valtuudet-notice"), 0);
    assert_eq!(page.texts("li.choice .person-name"), vec!["Laura Helena Nieminen"]);
}

#[actix_web::test]
async fn forged_and_replayed_callbacks_are_refused() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 60).await;
    app.sign_in_as("Laura Helena").await;
    // No choice in progress in this session.
    let forged = app.get("/valtuudet/callback?code=made-up").await;
    assert_eq!(forged.status, 400);
    assert_eq!(forged.text("h1"), "Henkilön valinta ei onnistunut");
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Laura Helena Nieminen");
    // A real callback works once; the same callback again is refused.
    let res = press_button(&app, "fi").await;
    let callback = select(&res.location(), Some(EETU)).await;
    assert_eq!(app.get(&callback).await.location(), "/fi/records");
    let replayed = app.get(&callback).await;
    assert_eq!(replayed.status, 400);
    // A callback started in another browser's session does not belong to this one.
    let other = app.another("Juha Petteri").await;
    let res = press_button(&other, "sv").await;
    let callback = select(&res.location(), Some(EINO)).await;
    let stolen = app.get(&callback).await;
    assert_eq!(stolen.status, 400);
    assert!(!app.get("/fi/acting-for").await.body.contains("Eino"));
}

#[actix_web::test]
async fn a_wrong_checksum_and_an_unreachable_service_give_a_localised_page_and_no_role() {
    let service = Service::start();
    let app = portal(&service, "not-the-right-key", 60).await;
    app.sign_in_as("Laura Helena").await;
    let res = press_button(&app, "sv").await;
    assert_eq!(res.status, 502);
    assert_eq!(res.text("h1"), "Det gick inte att välja person");
    assert!(res.count(".request-id code") == 1);
    assert_eq!(app.get("/fi/acting-for").await.texts("li.choice .person-name"), vec!["Laura Helena Nieminen"]);

    // The service away: the button says so (503) and the person's own pages work.
    let app = portal(&service, API_KEY, 60).await;
    app.sign_in_as("Laura Helena").await;
    service.down(true).await;
    let res = press_button(&app, "fi").await;
    assert_eq!(res.status, 503);
    assert_eq!(res.text("h1"), "Henkilön valinta ei onnistunut");
    assert_eq!(app.get("/fi/records").await.status, 200);
    service.down(false).await;
}

#[actix_web::test]
async fn the_principal_s_pages_fail_closed_while_the_service_is_away_and_own_pages_work() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 1).await;
    app.sign_in_as("Juha Petteri").await;
    assert_eq!(choose_through_valtuudet(&app, Some(EINO)).await.location(), "/fi/records");
    service.down(true).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let page = app.get("/fi/records").await;
    assert_eq!(page.status, 503);
    assert_eq!(page.text("h1"), "Henkilön tietoja ei voi juuri nyt näyttää");
    assert!(!page.body.contains("Eino"), "nothing of the principal on the error page");
    // Back to own data: own pages work with the service away.
    let me = app.person_id("Juha Petteri").await;
    let chooser = app.get("/fi/acting-for").await;
    let res = app
        .post("/fi/acting-for", &[("csrf_token", &TestApp::csrf_of(&chooser)), ("person_id", &me.to_string())])
        .await;
    assert_eq!(res.status, 303);
    let own = app.get("/fi/records").await;
    assert_eq!(own.status, 200);
    assert_eq!(own.text("#acting-banner-text"), "Omat tietosi: Juha Petteri Korhonen");
    service.down(false).await;
}

/// Revokes the current subject's consent (Eino has given it in the demo feed) through the confirm
/// page, as the browser would.
async fn revoke_consent(app: &TestApp) -> Page {
    let confirm = app.get("/fi/consent/confirm?action=revoke").await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let csrf = confirm.attr("form input[name=csrf_token]", "value").unwrap();
    let subject = confirm.attr("form input[name=subject_token]", "value").unwrap();
    app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "revoke")]).await
}

#[actix_web::test]
async fn a_revoked_mandate_refuses_a_change_at_once_and_ends_viewing_within_the_interval() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 2).await;
    app.sign_in_as("Juha Petteri").await;
    assert_eq!(choose_through_valtuudet(&app, Some(EINO)).await.location(), "/fi/records");
    let eino = app.person_id("Eino").await;
    service.revoke("290563-979K", EINO).await;
    // Within the interval a view still uses the last answer …
    assert_eq!(app.get("/fi/records").await.status, 200);
    // … but a change asks again, and is refused at once: nothing saved, acting ended.
    let res = revoke_consent(&app).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/acting-for");
    let page = app.get("/fi/acting-for").await;
    assert_eq!(
        page.text("#valtuudet-notice p"),
        "Oikeutesi asioida henkilön puolesta on päättynyt Suomi.fi-valtuuksissa. Näet nyt omat tietosi."
    );
    assert_eq!(page.texts("li.choice .person-name"), vec!["Juha Petteri Korhonen"]);
    let audit = audit_of(&app, eino).await;
    assert!(!audit.iter().any(|(a, ..)| a == "revoke_consent"), "{audit:?}");
    assert!(
        audit.contains(&("acting_ended".into(), Some("valtuudet:disallowed".into()), "mandate".into())),
        "{audit:?}"
    );
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Juha Petteri Korhonen");

    // Viewing alone: access ends once the last answer is older than the interval.
    let viewer = app.another("Aino Marjatta").await;
    assert_eq!(choose_through_valtuudet(&viewer, Some("020985-913X")).await.location(), "/fi/records");
    assert_eq!(
        viewer.get("/fi/records").await.text("#acting-banner-text"),
        "Asioit valtuutettuna: Mikael Johannes Lindqvist"
    );
    service.revoke("170458-9028", "020985-913X").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let res = viewer.get("/fi/records").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/acting-for");
    assert_eq!(viewer.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Aino Marjatta Virtanen");
}

#[actix_web::test]
async fn a_change_on_a_fresh_allowed_answer_is_saved_after_asking_again() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 60).await;
    app.sign_in_as("Juha Petteri").await;
    choose_through_valtuudet(&app, Some(EINO)).await;
    let res = revoke_consent(&app).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/fi/consent");
    assert_eq!(app.get("/fi/consent").await.text(".consent-state"), "Luovutuslupa on peruttu.");
    // The REST authorization was asked for the change.
    let calls: Vec<serde_json::Value> =
        awc::Client::default().get(format!("{}/test/calls", service.base)).send().await.unwrap().json().await.unwrap();
    assert!(calls.iter().any(|c| c["call"] == "/service/rest/hpa/authorization" && c["status"] == 200), "{calls:?}");
}

#[actix_web::test]
async fn the_feed_s_mandate_grants_nothing_when_the_registers_decide() {
    let service = Service::start();
    service.control("/test/register", serde_json::json!([])).await;
    let app = portal(&service, API_KEY, 60).await;
    // Juha's mandate from Eino is in the feed, valid today; the service does not know it.
    app.sign_in_as("Juha Petteri").await;
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.texts("li.choice .person-name"), vec!["Juha Petteri Korhonen"]);
    let eino = app.person_id("Eino").await;
    let res =
        app.post("/fi/acting-for", &[("csrf_token", &TestApp::csrf_of(&page)), ("person_id", &eino.to_string())]).await;
    assert_eq!(res.status, 404);
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Juha Petteri Korhonen");
    // The feed's information right still counts (it comes from the registrar's own records).
    let pirkko = app.another("Pirkko").await;
    assert_eq!(
        pirkko.get("/fi/acting-for").await.texts("li.choice .person-name"),
        vec!["Pirkko Annikki Nieminen", "Eetu Matias Nieminen"]
    );
}

/// A hostile e-Authorizations service (DESIGN §4: answers read for exactly what they say): an
/// ALLOWED answer about someone else, a delegate answer listing several people, and a key given
/// twice are each refused — no role, nothing shown of the principal.
#[actix_web::test]
async fn a_hostile_service_s_answers_are_read_for_exactly_what_they_say() {
    let service = Service::start();
    let app = portal(&service, API_KEY, 60).await;
    let own_banner = |name: &str| format!("Omat tietosi: {name}");

    // Kaisa's mandate from Eino has ended; the service answers ALLOWED — about Laura.
    service.control("/test/hostile", serde_json::json!({ "mode": "other-principal", "other": "230184-9244" })).await;
    app.sign_in_as("Kaisa Maria").await;
    let res = choose_through_valtuudet(&app, Some(EINO)).await;
    assert_eq!(res.location(), "/fi/acting-for", "{}", res.body);
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), own_banner("Kaisa Maria Mäkinen"));
    assert_eq!(app.get("/fi/acting-for").await.texts("li.choice .person-name"), vec!["Kaisa Maria Mäkinen"]);

    // Laura chooses Sofia; the delegate answer lists both her children: she is asked to choose
    // one, and neither is taken for her.
    service.control("/test/hostile", serde_json::json!({ "mode": "several" })).await;
    let laura = app.another("Laura Helena").await;
    let res = choose_through_valtuudet(&laura, Some("301116A946V")).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(
        res.text("main p"),
        "Suomi.fi-valtuuksissa valittiin useampi kuin yksi henkilö. Tässä palvelussa asioidaan yhden henkilön puolesta kerrallaan: aloita valinta uudelleen ja valitse yksi henkilö."
    );
    assert_eq!(laura.get("/fi/records").await.text("#acting-banner-text"), own_banner("Laura Helena Nieminen"));

    // {"result":"DISALLOWED","result":"ALLOWED"} is no answer at the choice …
    service.control("/test/hostile", serde_json::json!({ "mode": "duplicate-key" })).await;
    let juha = app.another("Juha Petteri").await;
    let res = choose_through_valtuudet(&juha, Some(EINO)).await;
    assert_eq!(res.status, 502, "{}", res.body);
    assert_eq!(juha.get("/fi/records").await.text("#acting-banner-text"), own_banner("Juha Petteri Korhonen"));
    // … nor at a re-check before a change: acting for Eino ends, nothing is saved.
    service.control("/test/hostile", serde_json::json!({ "mode": null })).await;
    assert_eq!(choose_through_valtuudet(&juha, Some(EINO)).await.location(), "/fi/records");
    assert_eq!(juha.get("/fi/records").await.text("#acting-banner-text"), "Asioit valtuutettuna: Eino Kalevi Korhonen");
    service.control("/test/hostile", serde_json::json!({ "mode": "duplicate-key" })).await;
    let res = revoke_consent(&juha).await;
    assert_eq!(res.status, 503, "no answer: the principal's data fail closed, nothing is changed");
    let eino = app.person_id("Eino").await;
    assert!(!audit_of(&app, eino).await.iter().any(|(a, ..)| a == "revoke_consent"));
    // … and the principal's answer about someone else at a re-check ends acting as well.
    service.control("/test/hostile", serde_json::json!({ "mode": null })).await;
    assert_eq!(choose_through_valtuudet(&juha, Some(EINO)).await.location(), "/fi/records");
    service.control("/test/hostile", serde_json::json!({ "mode": "other-principal", "other": "020985-913X" })).await;
    let res = revoke_consent(&juha).await;
    assert_eq!(res.location(), "/fi/acting-for");
    assert!(!audit_of(&app, eino).await.iter().any(|(a, ..)| a == "revoke_consent"));
}
