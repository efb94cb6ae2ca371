//! Disclosure choices and the data-use log (DESIGN §2.4–2.6) on the demo feed; today is 2026-11-25
//! and the current informing was published on 2026-03-01 (the default).

use crate::helpers::{Page, TestApp, spawn_demo_app as demo_app};

fn tokens(page: &Page) -> (String, String) {
    (TestApp::csrf_of(page), page.attr("input[name=subject_token]", "value").expect("a subject token in the form"))
}

/// Gives or revokes consent through the confirm page, as the browser would.
async fn consent(app: &TestApp, action: &str) -> Page {
    let confirm = app.get(&format!("/fi/consent/confirm?action={action}")).await;
    assert_eq!(confirm.status, 200, "confirm page for {action}: {}", confirm.location_or_body());
    let (csrf, subject) = tokens(&confirm);
    app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", action)]).await
}

trait LocationOrBody {
    fn location_or_body(&self) -> String;
}

impl LocationOrBody for Page {
    fn location_or_body(&self) -> String {
        self.header("location").unwrap_or_else(|| self.body.chars().take(300).collect())
    }
}

/// The check page of a new prohibition, then the POST; returns (check page, response).
async fn prohibit(app: &TestApp, kind: &str, target: &str) -> (Page, Page) {
    let check = app.get(&format!("/fi/prohibitions/new?type={kind}&target={}", urlencode(target))).await;
    assert_eq!(check.status, 200, "{}", check.body);
    let (csrf, subject) = tokens(&check);
    let nonce = check.attr("input[name=nonce]", "value").unwrap();
    let res = app
        .post(
            "/fi/prohibitions",
            &[
                ("csrf_token", &csrf),
                ("subject_token", &subject),
                ("type", kind),
                ("target", target),
                ("nonce", &nonce),
            ],
        )
        .await;
    (check, res)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[actix_web::test]
async fn an_adult_gives_and_revokes_consent_with_history_kept() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let page = app.get("/fi/consent").await;
    assert_eq!(page.text(".consent-state"), "Luovutuslupaa ei ole annettu.");
    assert!(page.attr("a.button[href='/fi/consent/confirm?action=give']", "href").is_some());
    let res = consent(&app, "give").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/consent");
    let page = app.get("/fi/consent").await;
    assert_eq!(page.text("#success-banner p"), "Luovutuslupa on annettu.");
    assert_eq!(page.text(".consent-state"), "Luovutuslupa on annettu.");
    assert_eq!(page.text(".consent-row-who"), "Aino Marjatta Virtanen (itse)");
    // The banner is shown once (Post/Redirect/Get).
    assert_eq!(app.get("/fi/consent").await.count("#success-banner"), 0);
    consent(&app, "revoke").await;
    let page = app.get("/fi/consent").await;
    assert_eq!(page.text(".consent-state"), "Luovutuslupa on peruttu.");
    assert_eq!(page.texts(".consent-row-state"), vec!["Peruttu", "Annettu"], "history is never deleted");
}

#[actix_web::test]
async fn consent_recorded_at_a_service_says_so() {
    let app = demo_app().await;
    app.sign_in_as("Mikael").await;
    let page = app.get("/sv/consent").await;
    assert_eq!(page.text(".consent-row-who"), "Registrerat hos socialvården");
}

#[actix_web::test]
async fn the_informing_gate_blocks_consent_until_acknowledged() {
    let app = demo_app().await;
    // Laura has never acknowledged; Mikael acknowledged before the current text (2026-02-01).
    for name in ["Laura Helena", "Mikael"] {
        let c = app.another(name).await;
        if name == "Laura Helena" {
            c.choose("Laura Helena").await;
            let page = c.get("/fi/consent").await;
            assert_eq!(page.count(".informing-needed a[href='/fi/informing']"), 1, "{name}");
            assert_eq!(page.count("a[href='/fi/consent/confirm?action=give']"), 0, "{name}");
            assert_eq!(c.get("/fi/consent/confirm?action=give").await.status, 303, "nothing to confirm");
        } else {
            // Mikael's consent was given at a service: revoking it is never blocked by the gate.
            let page = c.get("/fi/consent").await;
            assert_eq!(page.count("a[href='/fi/consent/confirm?action=revoke']"), 1);
        }
        let prohibitions = c.get("/fi/prohibitions").await;
        assert_eq!(prohibitions.count("a[href='/fi/prohibitions/new']"), 0, "{name}");
        assert_eq!(prohibitions.count(".informing-needed a[href='/fi/informing']"), 1, "{name}");
        assert_eq!(c.get("/fi/prohibitions/new?type=service_task").await.status, 303, "{name}");
    }
    let laura = app.another("Laura Helena").await;
    laura.choose("Laura Helena").await;
    // A POST anyway is refused (and audited), nothing recorded.
    let page = laura.get("/fi/informing").await;
    let (csrf, subject) = tokens(&page);
    let refused =
        laura.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")]).await;
    assert_eq!(refused.location(), "/fi/informing");
    assert!(app.store.consents_of(app.person_id("Laura Helena").await).await.unwrap().is_empty());
    // Without the checkbox: a localised error summary linking to the field; the title says Virhe.
    let missing = laura.post("/fi/informing", &[("csrf_token", &csrf), ("subject_token", &subject)]).await;
    assert_eq!(missing.status, 400);
    assert!(missing.text("title").starts_with("Virhe: "));
    assert_eq!(missing.attr("#error-summary a", "href").as_deref(), Some("#confirm"));
    assert_eq!(missing.text("#error-summary a"), "Vahvista, että olet lukenut Kanta-informoinnin");
    assert_eq!(missing.text("#confirm-error"), "Virhe: Vahvista, että olet lukenut Kanta-informoinnin");
    let ok =
        laura.post("/fi/informing", &[("csrf_token", &csrf), ("subject_token", &subject), ("confirm", "yes")]).await;
    assert_eq!(ok.status, 303);
    assert_eq!(laura.get("/fi/informing").await.text(".informing-status"), "Informointi on kuitattu 25.11.2026.");
    assert_eq!(consent(&laura, "give").await.status, 303);
    assert_eq!(app.store.consents_of(app.person_id("Laura Helena").await).await.unwrap().len(), 1);
}

#[actix_web::test]
async fn an_adult_sets_and_revokes_each_kind_of_prohibition() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let doc = "1.2.246.10.2000001.18.2026.00002";
    for (kind, target, label) in [
        ("registrar", "1.2.246.10.2000001.10.0", "Keski-Suomen hyvinvointialue"),
        ("service_task", "disability", "Vammaispalvelut"),
        ("document", doc, "Päätös säännöllisestä kotihoidosta (20.3.2026)"),
    ] {
        let (check, res) = prohibit(&app, kind, target).await;
        assert_eq!(check.text(".check-target"), label);
        assert_eq!(res.status, 303, "{kind}: {}", res.body);
        let page = app.get("/fi/prohibitions").await;
        assert!(page.texts(".prohibitions-active .prohibition-target").contains(&label.to_string()), "{kind}");
    }
    let page = app.get("/fi/prohibitions").await;
    assert_eq!(page.count(".prohibitions-active .prohibition-row"), 3);
    assert_eq!(page.texts(".prohibitions-active .prohibition-who")[0], "Aino Marjatta Virtanen (itse)");
    // Revoke one, with confirmation.
    let revoke_url = page.attr(".prohibitions-active a.revoke-link", "href").unwrap();
    let confirm = app.get(&revoke_url).await;
    assert_eq!(confirm.status, 200);
    let (csrf, subject) = tokens(&confirm);
    let res = app.post(&revoke_url, &[("csrf_token", &csrf), ("subject_token", &subject)]).await;
    assert_eq!(res.status, 303);
    let page = app.get("/fi/prohibitions").await;
    assert_eq!(page.count(".prohibitions-active .prohibition-row"), 2);
    assert_eq!(page.count(".prohibitions-revoked .prohibition-row"), 1);
    assert_eq!(page.text("#success-banner p"), "Luovutuskielto on peruttu.");
}

#[actix_web::test]
async fn prohibition_form_errors_are_localised_and_link_to_the_field() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let no_type = app.get("/fi/prohibitions/new?step=1").await;
    assert_eq!(no_type.status, 400);
    assert!(no_type.text("title").starts_with("Virhe: "));
    assert_eq!(no_type.attr("#error-summary a", "href").as_deref(), Some("#option-0"));
    assert_eq!(no_type.text("#error-summary a"), "Valitse, mihin kielto kohdistuu");
    assert_eq!(no_type.count("#option-0"), 1);
    let no_target = app.get("/fi/prohibitions/new?type=service_task&step=2").await;
    assert_eq!(no_target.status, 400);
    assert_eq!(no_target.text("#error-summary a"), "Valitse kiellon kohde listalta");
    // Only visible targets are offered: no hidden task, no hidden document.
    let tasks = app.get("/fi/prohibitions/new?type=service_task").await;
    assert_eq!(tasks.texts(".radio label"), vec!["Iäkkäiden palvelut", "Työikäisten palvelut", "Vammaispalvelut"]);
    let docs = app.get("/fi/prohibitions/new?type=document").await;
    assert!(!docs.body.contains("Erityissisältö") && !docs.body.contains("Palvelutarpeen arvio: vammaispalvelut"));
    assert!(!docs.body.contains("muistitutkimus"), "a delayed document is not a target");
    let hidden = app.get("/fi/prohibitions/new?type=document&target=1.2.246.10.2000001.18.2026.00014").await;
    assert_eq!(hidden.status, 400);
    assert_eq!(hidden.text("#error-summary a"), "Valitse kiellon kohde listalta");
    // A hidden target POSTed directly is refused too.
    let check = app.get("/fi/prohibitions/new?type=service_task&target=disability").await;
    let (csrf, subject) = tokens(&check);
    let res = app
        .post(
            "/fi/prohibitions",
            &[
                ("csrf_token", &csrf),
                ("subject_token", &subject),
                ("type", "service_task"),
                ("target", "family_law"),
                ("nonce", "abcdefghijklmnopqrstuvwx"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    // The same active target twice: a clear message.
    prohibit(&app, "service_task", "disability").await;
    let dup = app.get("/fi/prohibitions/new?type=service_task&target=disability").await;
    assert_eq!(dup.status, 400);
    assert_eq!(dup.text("#error-summary a"), "Tälle kohteelle on jo voimassa oleva luovutuskielto");
    assert!(dup.attr("input[value=disability]", "checked").is_some(), "the value is kept");
}

#[actix_web::test]
async fn a_double_submit_makes_one_change() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let confirm = app.get("/fi/consent/confirm?action=give").await;
    let (csrf, subject) = tokens(&confirm);
    for _ in 0..2 {
        let res =
            app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")]).await;
        assert_eq!(res.status, 303);
    }
    assert_eq!(app.store.consents_of(app.person_id("Aino Marjatta").await).await.unwrap().len(), 1);

    let check = app.get("/fi/prohibitions/new?type=service_task&target=working_age").await;
    let (csrf, subject) = tokens(&check);
    let nonce = check.attr("input[name=nonce]", "value").unwrap();
    for _ in 0..2 {
        let res = app
            .post(
                "/fi/prohibitions",
                &[
                    ("csrf_token", &csrf),
                    ("subject_token", &subject),
                    ("type", "service_task"),
                    ("target", "working_age"),
                    ("nonce", &nonce),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    let rows = app.store.prohibitions_of(app.person_id("Aino Marjatta").await).await.unwrap();
    assert_eq!(rows.len(), 1);
    let revoke_url = format!("/fi/prohibitions/{}/revoke", rows[0].prohibition_id);
    let confirm = app.get(&revoke_url).await;
    let (csrf, subject) = tokens(&confirm);
    for _ in 0..2 {
        assert_eq!(app.post(&revoke_url, &[("csrf_token", &csrf), ("subject_token", &subject)]).await.status, 303);
    }
    let log = app.store.audit_of_actor(app.person_id("Aino Marjatta").await).await.unwrap();
    let changes: Vec<&str> = log.iter().map(|r| r.2.as_str()).filter(|a| !a.starts_with("view")).collect();
    assert!(
        log.iter().any(|r| r.2 == "view_choices" && r.3.as_deref() == Some("prohibitions")),
        "the target list is a view too"
    );
    assert_eq!(changes, vec!["give_consent", "set_prohibition", "revoke_prohibition"]);
}

#[actix_web::test]
async fn a_form_from_a_tab_for_another_person_is_refused() {
    let app = demo_app().await;
    app.sign_in_as("Juha Petteri").await;
    app.choose("Eino").await;
    // Tab A: the confirm page for revoking Eino's consent.
    let tab_a = app.get("/fi/consent/confirm?action=revoke").await;
    let (csrf, subject) = tokens(&tab_a);
    // Tab B (same session) switches back to Juha himself.
    app.choose("Juha Petteri").await;
    let res =
        app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "revoke")]).await;
    assert_eq!(res.status, 409);
    assert_eq!(res.text("h1"), "Henkilö on vaihtunut");
    assert!(app.store.consents_of(app.person_id("Juha Petteri").await).await.unwrap().is_empty());
    assert_eq!(app.store.consents_of(app.person_id("Eino").await).await.unwrap().len(), 1, "Eino's consent untouched");
}

#[actix_web::test]
async fn a_minor_sees_the_choices_read_only_and_a_post_anyway_is_refused_and_audited() {
    let app = demo_app().await;
    // Own minor (Eetu, 16): read-only, with guidance; a POST anyway is 403 and audited.
    let eetu = app.another("Eetu Matias").await;
    let page = eetu.get("/fi/consent").await;
    assert_eq!(page.count("main form"), 0);
    assert_eq!(page.count("main a.button"), 0);
    assert!(page.text(".guidance").starts_with("Alaikäisen"));
    let informing = eetu.get("/fi/informing").await;
    assert_eq!(informing.count("main form"), 0);
    let csrf = TestApp::csrf_of(&informing);
    let st = session_subject_token(&app, "Eetu Matias").await;
    for (path, form) in [
        ("/fi/consent", vec![("action", "give")]),
        ("/fi/informing", vec![("confirm", "yes")]),
        (
            "/fi/prohibitions",
            vec![("type", "service_task"), ("target", "child_welfare"), ("nonce", "abcdefghijklmnopqrstuvwx")],
        ),
    ] {
        let mut f = vec![("csrf_token", csrf.as_str()), ("subject_token", st.as_str())];
        f.extend(form);
        let res = eetu.post(path, &f).await;
        assert_eq!(res.status, 403, "minor {path}");
    }
    let eetu_id = app.person_id("Eetu Matias").await;
    let refused =
        app.store.audit_of_actor(eetu_id).await.unwrap().into_iter().filter(|r| r.2 == "refused_change").count();
    assert_eq!(refused, 3);
    assert!(app.store.consents_of(eetu_id).await.unwrap().is_empty());
}

#[actix_web::test]
async fn a_guardian_acknowledges_and_consents_for_the_child_but_cannot_set_prohibitions() {
    let app = demo_app().await;
    let laura = app.another("Laura Helena").await;
    laura.choose("Sofia").await;
    let p = laura.get("/fi/prohibitions").await;
    assert_eq!(p.count("a[href='/fi/prohibitions/new']"), 0);
    assert!(p.text(".guidance").starts_with("Lapsen tietoihin ei voi asettaa luovutuskieltoja"));
    let page = laura.get("/fi/informing").await;
    let (csrf, subject) = tokens(&page);
    assert_eq!(
        laura
            .post("/fi/informing", &[("csrf_token", &csrf), ("subject_token", &subject), ("confirm", "yes")])
            .await
            .status,
        303
    );
    assert_eq!(consent(&laura, "give").await.status, 303);
    let res = laura
        .post(
            "/fi/prohibitions",
            &[
                ("csrf_token", &csrf),
                ("subject_token", &subject),
                ("type", "service_task"),
                ("target", "families_with_children"),
                ("nonce", "abcdefghijklmnopqrstuvwx"),
            ],
        )
        .await;
    assert_eq!(res.status, 403, "a guardian cannot set prohibitions");
    let sofia = app.person_id("Sofia Aurora").await;
    let rows = app.store.consents_of(sofia).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].set_by_role.as_deref(), Some("guardian"));
    assert!(app.store.prohibitions_of(sofia).await.unwrap().is_empty());
}

#[actix_web::test]
async fn a_person_with_an_information_right_changes_nothing() {
    let app = demo_app().await;
    let pirkko = app.another("Pirkko").await;
    pirkko.choose("Eetu").await;
    let page = pirkko.get("/fi/consent").await;
    assert_eq!(page.count("main form"), 0);
    assert!(page.text(".guidance").starts_with("Tiedoksisaantioikeutettuna"));
    let st = session_subject_token(&app, "Pirkko").await;
    let csrf = TestApp::csrf_of(&page);
    for (path, form) in [("/fi/consent", vec![("action", "give")]), ("/fi/informing", vec![("confirm", "yes")])] {
        let mut f = vec![("csrf_token", csrf.as_str()), ("subject_token", st.as_str())];
        f.extend(form);
        assert_eq!(pirkko.post(path, &f).await.status, 403, "information right {path}");
    }
    let eetu_id = app.person_id("Eetu Matias").await;
    assert!(app.store.consents_of(eetu_id).await.unwrap().is_empty());
}

/// The subject token stored in a person's session (for POSTs from read-only pages, which have no form).
async fn session_subject_token(app: &TestApp, name: &str) -> String {
    let id = app.person_id(name).await.to_string();
    app.sessions()
        .await
        .into_iter()
        .find(|(_, state)| state.get("person") == Some(&id))
        .and_then(|(_, state)| state.get("subject_token").map(|t| serde_json::from_str(t).unwrap()))
        .unwrap_or_else(|| panic!("no subject token for {name}"))
}

#[actix_web::test]
async fn a_representatives_changes_show_up_for_the_principal() {
    let app = demo_app().await;
    let juha = app.another("Juha Petteri").await;
    juha.choose("Eino").await;
    assert_eq!(consent(&juha, "revoke").await.status, 303);
    let (_, res) = prohibit(&juha, "service_task", "older_people").await;
    assert_eq!(res.status, 303);
    let eino = app.another("Eino Kalevi").await;
    let page = eino.get("/fi/consent").await;
    assert_eq!(page.text(".consent-row-who"), "Juha Petteri Korhonen (Valtuutettu)");
    let prohibitions = eino.get("/fi/prohibitions").await;
    assert_eq!(prohibitions.text(".prohibitions-active .prohibition-who"), "Juha Petteri Korhonen (Valtuutettu)");
    let acted = eino.get("/fi/acted-for-me").await;
    let what = acted.texts(".acted-what");
    assert!(what.contains(&"Perui luovutusluvan".to_string()), "{what:?}");
    assert!(what.contains(&"Asetti luovutuskiellon: palvelutehtävä Iäkkäiden palvelut".to_string()), "{what:?}");
}

#[actix_web::test]
async fn the_data_use_log_filters_paginates_and_leaves_out_hidden_documents() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let page = app.get("/fi/data-use").await;
    assert_eq!(page.status, 200);
    let all_rows = app.store.data_use_of(app.person_id("Aino Marjatta").await, None, None).await.unwrap();
    // One event about a special-content document, one of a shelter (never shown, rule 3).
    let hidden = all_rows
        .iter()
        .filter(|r| {
            r.document_id.as_deref() == Some("1.2.246.10.2000001.18.2026.00015")
                || r.service.as_deref() == Some("shelter")
        })
        .count();
    assert_eq!(hidden, 2);
    let visible_total = all_rows.len() - hidden;
    assert_eq!(page.count("tr.data-use-row"), 20.min(visible_total));
    // Times in the Finnish form, e.g. "14.11.2026 klo 9.05".
    let times = page.texts(".event-time");
    let finnish = |t: &str| {
        let date = t.split_whitespace().next().unwrap_or_default();
        let parts: Vec<&str> = date.split('.').collect();
        parts.len() == 3
            && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            && parts[2].len() == 4
    };
    assert!(!times.is_empty() && times.iter().all(|t| finnish(t)), "{times:?}");
    // Documents the viewer sees are named; the hidden one's event is not listed anywhere.
    let mut listed = 0;
    let mut documents = Vec::new();
    let mut url = "/fi/data-use".to_string();
    let mut pages: Vec<(String, Vec<String>)> = Vec::new();
    loop {
        let p = app.get(&url).await;
        assert_eq!(p.status, 200, "{url}");
        listed += p.count("tr.data-use-row");
        documents.extend(p.texts(".event-document"));
        assert!(!p.body.contains("toimeentulotuesta"));
        assert!(!p.body.contains("Suojasatama"), "a shelter's data use is never shown");
        assert!(!url.contains("offset"), "keyset pagination: the next page is a cursor, never an offset");
        pages.push((url.clone(), p.texts(".event-time")));
        match p.attr("a[rel=next]", "href") {
            Some(next) => url = next,
            None => break,
        }
    }
    assert_eq!(listed, visible_total);
    assert!(pages.len() > 1, "the demo person's events take more than one page");
    // Back from the last page: the page before it, the same rows in the same order.
    let last = app.get(&pages.last().unwrap().0).await;
    let prev = last.attr("a[rel=prev]", "href").unwrap();
    assert_eq!(app.get(&prev).await.texts(".event-time"), pages[pages.len() - 2].1);
    // A later page without its cursor, or with a cursor that is not one, is not found.
    assert_eq!(app.get("/fi/data-use?page=2").await.status, 404);
    assert_eq!(app.get("/fi/data-use?page=2&before=yesterday").await.status, 404);
    assert!(documents.iter().any(|t| t == "Päätös säännöllisestä kotihoidosta"), "{documents:?}");
    // A period filter, in both date forms.
    let march = app.get("/fi/data-use?from=1.3.2026&to=2026-03-31").await;
    assert_eq!(march.status, 200);
    assert!(march.count("tr.data-use-row") > 0, "the demo has events in March");
    for t in march.texts(".event-time") {
        assert!(t.contains(".3.2026"), "{t}");
    }
    assert_eq!(march.attr("#from", "value").as_deref(), Some("1.3.2026"), "values are kept");
    // Validation errors: localised, linked, values kept.
    let bad = app.get("/fi/data-use?from=eilen&to=1.1.2026").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.attr("#error-summary a", "href").as_deref(), Some("#from"));
    assert_eq!(bad.attr("#from", "value").as_deref(), Some("eilen"));
    assert_eq!(bad.attr("#from", "aria-describedby").as_deref(), Some("from-hint from-error"));
    let order = app.get("/sv/data-use?from=2026-05-01&to=2026-04-01").await;
    assert_eq!(order.text("#error-summary a"), "Slutdatumet kan inte vara före startdatumet");
}

#[actix_web::test]
async fn exported_choices_imported_into_a_fresh_database_reproduce_the_same_choices() {
    let app = demo_app().await;
    let aino = app.another("Aino Marjatta").await;
    consent(&aino, "give").await;
    prohibit(&aino, "service_task", "disability").await;
    prohibit(&aino, "document", "1.2.246.10.2000001.18.2026.00002").await;
    let page = aino.get("/fi/prohibitions").await;
    let revoke_url = page.attr(".prohibitions-active a.revoke-link", "href").unwrap();
    let confirm = aino.get(&revoke_url).await;
    let (csrf, subject) = tokens(&confirm);
    aino.post(&revoke_url, &[("csrf_token", &csrf), ("subject_token", &subject)]).await;
    let juha = app.another("Juha Petteri").await;
    juha.choose("Eino").await;
    consent(&juha, "revoke").await;

    let lines =
        sosiaalitiedot::records::export::export_choices(&app.store, chrono::DateTime::UNIX_EPOCH).await.unwrap();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["set_by"]["hetu"].is_string() && v["set_by"]["role"].is_string(), "{line}");
    }
    assert!(lines.iter().any(|l| l.contains(r#""role":"mandate""#)));
    // Only later changes with --since.
    let later = sosiaalitiedot::records::export::export_choices(&app.store, "2999-01-01T00:00:00Z".parse().unwrap())
        .await
        .unwrap();
    assert!(later.is_empty());

    let fresh = demo_app().await;
    fresh.import(&lines.join("\n")).await.expect("the export imports");
    for name in ["Aino Marjatta", "Eino Kalevi"] {
        let (a, b) = (app.person_id(name).await, fresh.person_id(name).await);
        let state = |rows: Vec<sosiaalitiedot::store::ConsentRow>| {
            rows.iter().map(|c| (c.given, c.at, c.set_by_hetu.clone(), c.set_by_role.clone())).collect::<Vec<_>>()
        };
        assert_eq!(
            state(app.store.consents_of(a).await.unwrap()),
            state(fresh.store.consents_of(b).await.unwrap()),
            "{name}"
        );
        let p = |rows: Vec<sosiaalitiedot::store::ProhibitionRow>| {
            rows.iter()
                .map(|p| {
                    (
                        p.prohibition_id.clone(),
                        p.target_service_task.clone(),
                        p.target_document_id.clone(),
                        p.set_at,
                        p.revoked_at,
                        p.set_by_hetu.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            p(app.store.prohibitions_of(a).await.unwrap()),
            p(fresh.store.prohibitions_of(b).await.unwrap()),
            "{name}"
        );
    }
    // And importing it again changes nothing.
    fresh.import(&lines.join("\n")).await.expect("idempotent");
}

#[actix_web::test]
async fn a_prohibition_on_a_document_the_viewer_cannot_see_is_not_listed_nor_revocable() {
    let app = demo_app().await;
    // Recorded at a service: Eetu prohibited the memo that is hidden from his guardians.
    let memo = app
        .store
        .subject_rows(app.person_id("Eetu Matias").await)
        .await
        .unwrap()
        .0
        .into_iter()
        .find(|d| d.title == "Muistio: nuoren oma tapaaminen")
        .unwrap();
    let eetu_hetu = app.store.person(app.person_id("Eetu Matias").await).await.unwrap().unwrap().hetu;
    app.import(&format!(r#"{{"type":"prohibition","id":"PK-MEMO","person":"{eetu_hetu}","target":{{"document":"{}"}},"set_at":"2026-05-01T10:00:00Z"}}"#, memo.document_id)).await.unwrap();
    let eetu = app.another("Eetu Matias").await;
    assert_eq!(
        eetu.get("/fi/prohibitions").await.text(".prohibitions-active .prohibition-target"),
        "Muistio: nuoren oma tapaaminen (15.4.2026)"
    );
    let laura = app.another("Laura Helena").await;
    laura.choose("Eetu").await;
    let page = laura.get("/fi/prohibitions").await;
    assert_eq!(page.count(".prohibition-row"), 0);
    assert!(!page.body.contains("Muistio") && !page.body.contains("jota ei näytetä"));
    assert_eq!(laura.get("/fi/prohibitions/PK-MEMO/revoke").await.status, 404);
}

#[actix_web::test]
async fn data_use_keyset_pages_hold_every_event_once_newest_first_both_ways() {
    let app = demo_app().await;
    let aino = app.person_id("Aino Marjatta").await;
    let all: Vec<(chrono::DateTime<chrono::Utc>, i64)> =
        app.store.data_use_of(aino, None, None).await.unwrap().iter().map(|r| (r.at, r.data_use_id)).collect();
    assert!(all.len() > 14, "the demo person has events for three pages of seven");
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(all, sorted, "newest first, ties by id");
    let mut pages: Vec<Vec<(chrono::DateTime<chrono::Utc>, i64)>> = Vec::new();
    let mut cursor = None;
    loop {
        let rows = app.store.data_use_page(aino, None, None, cursor, false, 7).await.unwrap();
        if rows.is_empty() {
            break;
        }
        cursor = Some(sosiaalitiedot::store::TimeCursor {
            at: rows.last().unwrap().at,
            id: rows.last().unwrap().data_use_id,
        });
        pages.push(rows.iter().map(|r| (r.at, r.data_use_id)).collect());
    }
    assert_eq!(pages.concat(), all, "the pages together are every event once, in order");
    // Backwards from the third page's first event: the second page, in the same order.
    let back = app
        .store
        .data_use_page(
            aino,
            None,
            None,
            Some(sosiaalitiedot::store::TimeCursor { at: pages[2][0].0, id: pages[2][0].1 }),
            true,
            7,
        )
        .await
        .unwrap();
    assert_eq!(back.iter().map(|r| (r.at, r.data_use_id)).collect::<Vec<_>>(), pages[1]);
    // Within a period only.
    let from: chrono::DateTime<chrono::Utc> = all[all.len() / 2].0;
    let since = app.store.data_use_page(aino, Some(from), None, None, false, 1000).await.unwrap();
    assert!(!since.is_empty() && since.iter().all(|r| r.at >= from));
}
