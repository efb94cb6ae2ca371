//! WCAG 2.2 AA and law 306/2019 as far as HTML shows them: the statement, help and feedback pages
//! linked from every page, the main navigation, language marks, focus on the error summary, error
//! pages that keep the signed-in state.

use crate::helpers::{TestApp, spawn_demo_app as demo_app};

#[actix_web::test]
async fn every_page_links_the_statement_help_and_feedback_in_its_language() {
    let app = demo_app().await;
    for lang in ["fi", "sv", "en"] {
        for path in ["/", "/sign-in", "/accessibility", "/privacy", "/help", "/feedback", "/no-such-page"] {
            let page = app.get(&format!("/{lang}{path}")).await;
            for target in ["accessibility", "privacy", "help", "feedback"] {
                assert_eq!(page.count(&format!("footer a[href='/{lang}/{target}']")), 1, "{lang}{path} → {target}");
            }
        }
    }
    let fi = app.get("/fi/accessibility").await;
    assert_eq!(fi.text("h1"), "Saavutettavuusseloste");
    assert!(fi.body.contains("WCAG 2.2"));
    assert!(fi.body.contains("1.12.2026"), "the assessment date");
    assert!(fi.body.contains("Lupa- ja valvontavirasto"), "the supervisory authority");
    assert_eq!(fi.count("main a[href='/fi/feedback']"), 1);
    assert_eq!(app.get("/sv/accessibility").await.text("h1"), "Tillgänglighetsutlåtande");
    assert_eq!(app.get("/en/accessibility").await.text("h1"), "Accessibility statement");
    assert_eq!(app.get("/fi/help").await.text("h1"), "Miksi en näe kaikkia tietojani?");
    assert_eq!(app.get("/sv/help").await.text("h1"), "Varför ser jag inte alla mina uppgifter?");
    // The statement's facts come from the configuration.
    let custom = crate::helpers::spawn_app_with(|s| {
        s.accessibility.operator_email = "palaute@hyvinvointialue.example".into();
        s.accessibility.authority_email = "valvonta@viranomainen.example".into();
        s.accessibility.reviewed_on = "2027-01-15".parse().unwrap();
    })
    .await;
    let page = custom.get("/fi/accessibility").await;
    assert!(page.body.contains("palaute@hyvinvointialue.example"));
    assert!(page.text(".authority-contact").contains("valvonta@viranomainen.example"));
    assert!(page.text(".statement-reviewed").contains("15.1.2027"));
}

/// Every part the statement model (Commission Implementing Decision (EU) 2018/1523) requires, in
/// each language, and the known gaps from their one list in the code.
#[actix_web::test]
async fn the_statement_has_every_part_of_the_model_in_each_language() {
    let app = demo_app().await;
    for (lang, en301549, reasons, request, reviewed) in [
        (
            "fi",
            "EN 301 549",
            ["Puutteet, jotka eivät täytä vaatimuksia", "Kohtuuton rasite", "Sisältö, johon lakia ei sovelleta"],
            "Saavutettavuutta koskevat pyynnöt",
            "tarkistettu viimeksi",
        ),
        (
            "sv",
            "EN 301 549",
            ["Brister som inte uppfyller kraven", "Oskälig börda", "Innehåll som lagen inte tillämpas på"],
            "Begäranden om tillgänglighet",
            "granskades senast",
        ),
        (
            "en",
            "EN 301 549",
            ["Non-compliance with the requirements", "Disproportionate burden", "Content outside the scope of the law"],
            "Requests about accessibility",
            "last reviewed",
        ),
    ] {
        let page = app.get(&format!("/{lang}/accessibility")).await;
        assert!(page.text("#status + p").contains(en301549), "{lang}: EN 301 549");
        assert_eq!(page.texts("h3"), reasons.to_vec(), "{lang}: grouped by reason");
        assert_eq!(
            page.count("li.gap"),
            sosiaalitiedot::web::pages::about::KNOWN_GAPS.len(),
            "{lang}: every known gap"
        );
        assert_eq!(page.count("li.gap .gap-alternative"), page.count("li.gap"), "{lang}: an alternative for each");
        assert_eq!(page.count("li.gap .gap-fix"), page.count("li.gap"), "{lang}: when it is fixed");
        assert!(page.texts("li.gap .gap-criterion").iter().any(|c| c.contains("3.1.2")), "{lang}: the criterion");
        assert!(!page.body.contains("3.3.7"), "{lang}: a gap that could not be reproduced");
        assert_eq!(page.text("#request"), request);
        assert!(page.text("#request + p").contains("@"), "{lang}: how to ask");
        assert!(page.text(".statement-reviewed").contains(reviewed), "{lang}: the review date");
        assert!(page.text(".authority-contact").contains("0295"), "{lang}: the authority's contact details");
        assert!(page.attr("main a[href*='saavutettavuusvaatimukset.fi'], main a[href*='tillganglighetskrav.fi'], main a[href*='webaccessibility.fi']", "href").is_some());
    }
}

#[actix_web::test]
async fn feedback_is_validated_stored_and_never_echoes_an_identity_code() {
    let app = demo_app().await;
    let form = app.get("/fi/feedback").await;
    assert_eq!(form.status, 200);
    let csrf = TestApp::csrf_of(&form);
    // An empty message: the GOV.UK error pattern, focus on the summary.
    let bad = app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "  "), ("contact", "131052-308T")]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.text("title").starts_with("Virhe: "));
    assert_eq!(bad.attr("#error-summary", "autofocus").as_deref(), Some(""));
    assert_eq!(bad.attr("#error-summary a", "href").as_deref(), Some("#message"));
    assert_eq!(bad.attr("#message", "aria-invalid").as_deref(), Some("true"));
    assert!(!bad.body.contains("131052-308T"), "an identity code is not echoed back");
    assert_eq!(bad.attr("#contact", "value").as_deref(), Some("[henkilötunnus poistettu]"));
    // A good one: stored, PRG, the answer-by date.
    let ok = app
        .post(
            "/fi/feedback",
            &[
                ("csrf_token", &csrf),
                ("message", "Taulukko ei toimi kapealla näytöllä."),
                ("contact", "maija@example.fi"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let done = app.get(&ok.location()).await;
    assert!(done.text("#success-banner p").starts_with("Kiitos palautteestasi."), "{}", done.body);
    assert_eq!(done.text("#success-banner h2"), "Palaute lähetetty");
    assert!(done.text("title").starts_with("Palaute lähetetty – "), "the title announces it");
    let rows = app.store.feedback().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].message, "Taulukko ei toimi kapealla näytöllä.");
    assert_eq!(
        rows[0].answer_by,
        (chrono::Utc::now() + chrono::Duration::days(14)).with_timezone(&chrono_tz::Europe::Helsinki).date_naive()
    );
    assert_eq!(rows[0].sender, None, "anonymous");
    // A few per session per hour.
    for _ in 0..4 {
        assert_eq!(app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "lisää")]).await.status, 303);
    }
    let limited = app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "vielä")]).await;
    assert_eq!(limited.status, 400);
    // The rate limit is the form's, not a field's: it links to nothing and marks nothing invalid.
    assert_eq!(limited.count("#error-summary a"), 0);
    assert_eq!(limited.count("[aria-invalid=true]"), 0);
    assert_eq!(app.store.feedback().await.unwrap().len(), 5);
    // Without the token: refused.
    assert_eq!(app.post("/fi/feedback", &[("message", "x")]).await.status, 403);
}

#[actix_web::test]
async fn fresh_sessions_do_not_lift_the_feedback_limit_and_no_code_shape_is_echoed() {
    let app = crate::helpers::spawn_app_with(|s| s.feedback.anonymous_per_hour = 3).await;
    app.load_demo().await;
    // Each message from a new browser (a fresh session).
    let mut statuses = Vec::new();
    for i in 0..4 {
        // A loaded machine may not get the new session row written within its second (the form is
        // then refused as a forgery, 403): such a browser simply tries again with a fresh form.
        let mut status = 0;
        for _ in 0..3 {
            let browser = TestApp {
                address: app.address.clone(),
                store: app.store.clone(),
                client: awc::Client::builder().disable_redirects().finish(),
                cookies: Default::default(),
                database_url: app.database_url.clone(),
                metrics_address: None,
            };
            let csrf = TestApp::csrf_of(&browser.get("/fi/feedback").await);
            status = browser
                .post("/fi/feedback", &[("csrf_token", &csrf), ("message", &format!("viesti {i}"))])
                .await
                .status
                .as_u16();
            if status != 403 {
                break;
            }
        }
        statuses.push(status);
    }
    assert_eq!(statuses, vec![303, 303, 303, 400]);
    assert_eq!(app.store.feedback().await.unwrap().len(), 3);
    // A signed-in person is held by their own session's limit, not by the anonymous one.
    app.sign_in_as("Aino Marjatta").await;
    let csrf = TestApp::csrf_of(&app.get("/fi/feedback").await);
    assert_eq!(app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "kirjautuneena")]).await.status, 303);
    // Identity codes in any case of the check character, and embedded in other text, are not echoed.
    let codes = "hetu150380-9125 ja 0150380-9125 ja 131052-308t";
    let bad =
        app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", codes), ("contact", &"x".repeat(201))]).await;
    assert_eq!(bad.status, 400);
    for code in ["150380-9125", "131052-308t", "131052-308T"] {
        assert!(!bad.body.contains(code), "{code} echoed");
    }
}

#[actix_web::test]
async fn a_signed_in_person_attaches_their_name_only_when_they_choose() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let form = app.get("/fi/feedback").await;
    let csrf = TestApp::csrf_of(&form);
    app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "nimettä")]).await;
    app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", "nimellä"), ("attach_identity", "yes")]).await;
    let rows = app.store.feedback().await.unwrap();
    assert_eq!(rows[0].sender, None);
    assert_eq!(rows[1].sender.as_deref(), Some("Aino Marjatta Virtanen"));
}

#[actix_web::test]
async fn personal_pages_have_the_main_navigation_with_the_current_page_marked() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    for (path, current) in [
        ("/fi/records", "/fi/records"),
        ("/fi/records/older_people", "/fi/records"),
        ("/fi/consent", "/fi/consent"),
        ("/fi/prohibitions", "/fi/consent"),
        ("/fi/data-use", "/fi/data-use"),
        ("/fi/acted-for-me", "/fi/acted-for-me"),
        ("/fi/sessions", "/fi/sessions"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.count("nav.main-nav a"), 5, "{path}");
        assert_eq!(page.attr("nav.main-nav a[aria-current=page]", "href").as_deref(), Some(current), "{path}");
    }
    assert_eq!(app.get("/fi/").await.count("nav.main-nav a[aria-current]"), 0);
}

#[actix_web::test]
async fn an_error_page_keeps_the_signed_in_state() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let page = app.get("/fi/documents/NO-SUCH").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.text(".user-name"), "Aino Marjatta Virtanen");
    assert_eq!(page.count("form[action='/fi/sign-out'] button"), 1);
    assert_eq!(page.count("nav.main-nav"), 1);
}

#[actix_web::test]
async fn finnish_titles_on_swedish_pages_are_marked_finnish() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let task = app.get("/sv/records/older_people").await;
    let titles = task.count(".doc-title a");
    assert!(titles > 0);
    assert_eq!(task.count(".doc-title a > span[lang=fi]"), titles, "every Finnish title marked");
    let fi_task = app.get("/fi/records/older_people").await;
    assert_eq!(fi_task.count(".doc-title a [lang]"), 0, "nothing to mark on a Finnish page");
    let docs = app.get("/sv/prohibitions/new?type=document").await;
    assert!(docs.count(".radio label[lang=fi]") > 0, "{}", docs.body);
}

#[actix_web::test]
async fn back_in_the_prohibition_steps_keeps_the_answers_and_each_step_has_its_own_title() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let step1 = app.get("/fi/prohibitions/new").await;
    assert!(step1.text("title").contains("Vaihe 1/3"), "{}", step1.text("title"));
    let step2 = app.get("/fi/prohibitions/new?type=service_task&step=1").await;
    assert!(step2.text("title").contains("Vaihe 2/3"));
    let target = step2.attr("input[name=target]", "value").unwrap();
    // Back from step 2: step 1 with the kind still chosen.
    let back = step2.attr("a.back-link", "href").unwrap();
    let again1 = app.get(&back).await;
    assert!(again1.text("title").contains("Vaihe 1/3"));
    assert_eq!(again1.attr("input[name=type][checked]", "value").as_deref(), Some("service_task"));
    // Back from the check step: step 2 with the target still chosen.
    let step3 = app.get(&format!("/fi/prohibitions/new?type=service_task&step=2&target={target}")).await;
    assert!(step3.text("title").contains("Vaihe 3/3"));
    let again2 = app.get(&step3.attr("a.back-link", "href").unwrap()).await;
    assert!(again2.text("title").contains("Vaihe 2/3"));
    assert_eq!(again2.attr("input[name=target][checked]", "value").as_deref(), Some(target.as_str()));
    assert_eq!(again2.count("#error-summary"), 0, "going back is not an error");
}

#[actix_web::test]
async fn titles_say_what_just_happened_whose_data_it_is_and_differ_by_page() {
    let app = demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    assert_eq!(app.get("/fi/records").await.text("title"), "Tiedot palvelutehtävittäin – Sosiaalipalvelujen tiedot");
    // A change: the confirmation starts the next page's title and the banner takes the focus.
    let confirm = app.get("/fi/consent/confirm?action=give").await;
    let csrf = TestApp::csrf_of(&confirm);
    let subject = confirm.attr("input[name=subject_token]", "value").unwrap();
    app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")]).await;
    let page = app.get("/fi/consent").await;
    assert_eq!(page.text("title"), "Luovutuslupa on annettu. – Luovutuslupa – Sosiaalipalvelujen tiedot");
    assert_eq!(page.attr("#success-banner", "autofocus").as_deref(), Some(""));
    // Data-use pages by number.
    let first_page = app.get("/fi/data-use").await;
    let first = first_page.text("title");
    let second = app.get(&first_page.attr("a[rel=next]", "href").unwrap()).await.text("title");
    assert_ne!(first, second);
    assert!(second.contains("2 / "), "{second}");
    // Whose data, when it is someone else's.
    let laura = app.another("Laura Helena").await;
    laura.choose("Eetu").await;
    let title = laura.get("/fi/records/child_welfare").await.text("title");
    assert_eq!(title, "Lastensuojelu – Eetu Matias Nieminen – Sosiaalipalvelujen tiedot");
}

#[actix_web::test]
async fn buttons_and_links_have_names_that_tell_them_apart() {
    let app = demo_app().await;
    let sign_in = app.get("/fi/sign-in").await;
    let names = sign_in.texts("li.person-card button");
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("Kirjaudu: ")), "{names:?}");
    app.sign_in_as("Laura Helena").await;
    let choose = app.get("/fi/acting-for").await;
    let names = choose.texts("li.choice button");
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    let home = app.get("/fi/").await;
    assert_eq!(home.text("a.site-name"), "Sosiaalipalvelujen tiedot , etusivu");
}

#[actix_web::test]
async fn the_favicon_is_there() {
    let app = demo_app().await;
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type").as_deref(), Some("image/svg+xml"));
}

/// A signed-in person's feedback is limited per person, not per session: three sessions of
/// seven posts, and twenty-five posts at once, store five in all (counted where they are stored).
#[actix_web::test]
async fn feedback_is_limited_per_signed_in_person_across_sessions_and_concurrent_posts() {
    let app = crate::helpers::spawn_demo_app().await;
    for _ in 0..3 {
        let browser = app.another("Aino Marjatta").await;
        let csrf = TestApp::csrf_of(&browser.get("/fi/feedback").await);
        for i in 0..7 {
            browser.post("/fi/feedback", &[("csrf_token", &csrf), ("message", &format!("viesti {i}"))]).await;
        }
    }
    assert_eq!(app.store.feedback().await.unwrap().len(), 5);
    // Another person, twenty-five posts in one session at once.
    app.sign_in_as("Laura Helena").await;
    let csrf = TestApp::csrf_of(&app.get("/fi/feedback").await);
    let posts = (0..25).map(|i| {
        let message = format!("samaan aikaan {i}");
        let csrf = csrf.clone();
        let app = &app;
        async move { app.post("/fi/feedback", &[("csrf_token", &csrf), ("message", &message)]).await.status.as_u16() }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 303 || *s == 400), "{statuses:?}");
    assert_eq!(app.store.feedback().await.unwrap().len(), 10);
}

/// The privacy notice (GDPR articles 13–14) for what the portal itself processes, in each language,
/// with the operator's values from `[operator]`; linked from every footer (above). A demo without
/// them says its values are examples; `serve` refuses to start without them (tests/cli.rs).
#[actix_web::test]
async fn the_privacy_notice_names_the_operator_and_says_every_required_fact_in_each_language() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.operator.name = Some("Pohjanmaan hyvinvointialue".into());
        s.operator.business_id = Some("3221316-7".into());
        s.operator.address = Some("PL 1, 65101 Vaasa".into());
        s.operator.dpo_email = Some("tietosuoja@hyvinvointialue.example".into());
        s.operator.dpo_phone = Some("+358 6 123 4567".into());
        s.operator.privacy_notice_url = Some("https://hyvinvointialue.example/tietosuoja".into());
        s.session.idle_timeout_minutes = 20;
        s.feedback.keep_days = 400;
    })
    .await;
    for (lang, h1, link, ombudsman, cookie) in [
        ("fi", "Tietosuojaseloste", "Tietosuoja", "Tietosuojavaltuutetun toimisto", "välttämätön istuntoeväste"),
        ("sv", "Dataskyddsbeskrivning", "Dataskydd", "Dataombudsmannens byrå", "nödvändig sessionskaka"),
        (
            "en",
            "Privacy notice",
            "Privacy",
            "Office of the Data Protection Ombudsman",
            "strictly necessary session cookie",
        ),
    ] {
        let page = app.get(&format!("/{lang}/privacy")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.text("h1"), h1, "{lang}");
        assert_eq!(page.attr("html", "lang").as_deref(), Some(lang));
        assert_eq!(page.text(&format!("footer a[href='/{lang}/privacy']")), link);
        assert_eq!(page.text("#privacy-controller-name"), "Pohjanmaan hyvinvointialue");
        assert!(
            page.text(".privacy-controller").contains("3221316-7")
                && page.text(".privacy-controller").contains("PL 1, 65101 Vaasa")
        );
        assert_eq!(
            page.attr("#privacy-dpo a[href^='mailto:']", "href").as_deref(),
            Some("mailto:tietosuoja@hyvinvointialue.example")
        );
        assert_eq!(page.attr("#privacy-dpo a[href^='tel:']", "href").as_deref(), Some("tel:+35861234567"));
        assert_eq!(
            page.attr("#privacy-full-notice", "href").as_deref(),
            Some("https://hyvinvointialue.example/tietosuoja")
        );
        // Every part GDPR articles 13–14 ask for: each section is there, in this language.
        for id in
            ["controller", "purposes", "basis", "data", "recipients", "retention", "rights", "complaint", "cookies"]
        {
            assert_eq!(page.count(&format!("h2#{id}")), 1, "{lang}: {id}");
        }
        assert!(page.text("#basis + p").contains("703/2023"), "{lang}: the Act");
        assert!(page.text("#basis + p").contains("6"), "{lang}: the GDPR article");
        assert!(
            page.text("#privacy-retention-sessions").contains("20"),
            "{lang}: the idle timeout from the configuration"
        );
        assert!(page.text("#privacy-retention-feedback").contains("400"), "{lang}: feedback as configured");
        assert!(page.body.contains("12"), "{lang}: the audit trail's twelve years");
        assert!(page.text(".authority-contact").contains(ombudsman), "{lang}");
        assert!(
            page.text(".authority-contact").contains("029 566 6700")
                || page.text(".authority-contact").contains("29 566 6700")
        );
        assert!(page.text("#privacy-cookie-session").contains(cookie), "{lang}");
        assert!(page.text("#privacy-cookie-session").starts_with("sosiaalitiedot:"), "the cookie's own name");
        assert_eq!(page.count("#privacy-demo"), 0, "real values are not called examples");
    }
    // A demo without an [operator] section shows marked example values.
    let demo = demo_app().await;
    let page = demo.get("/fi/privacy").await;
    assert_eq!(page.count("#privacy-demo"), 1);
    assert!(page.text("#privacy-controller-name").contains("demo"));
}

/// Feedback is deleted after `feedback.keep_days`, as the privacy notice says.
#[actix_web::test]
async fn feedback_older_than_it_is_kept_is_deleted() {
    let app = crate::helpers::spawn_app().await;
    let f = sosiaalitiedot::store::NewFeedback {
        answer_by: "2026-12-20".parse().unwrap(),
        lang: "fi",
        page: None,
        message: "viesti",
        contact: None,
        person_id: None,
    };
    app.store.add_feedback(&f).await.unwrap();
    assert_eq!(app.store.purge_feedback_before(chrono::Utc::now() - chrono::Duration::days(1)).await.unwrap(), 0);
    assert_eq!(app.store.feedback().await.unwrap().len(), 1);
    assert_eq!(app.store.purge_feedback_before(chrono::Utc::now() + chrono::Duration::days(1)).await.unwrap(), 1);
    assert!(app.store.feedback().await.unwrap().is_empty());
}
