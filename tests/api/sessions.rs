//! Demo sign-in and sign-out, server-side sessions, CSRF and cross-origin checks.

use crate::helpers::{TestApp, spawn_app};

#[actix_web::test]
async fn sign_in_greets_the_person_and_links_to_the_records() {
    let app = spawn_app().await;
    app.load_demo().await;
    let page = app.get("/fi/sign-in").await;
    assert_eq!(page.status, 200);
    assert!(page.count("li.person-card") >= 10);
    assert!(page.texts(".person-name").contains(&"Aino Marjatta Virtanen".to_string()));
    assert!(page.texts(".person-age").contains(&"68 v.".to_string()));
    let res = app.sign_in_as("Aino").await;
    assert_eq!(res.location(), "/fi/");
    let home = app.get("/fi/").await;
    assert_eq!(home.text("h1"), "Hei, Aino!");
    assert_eq!(home.attr("main a[href='/fi/records']", "href").as_deref(), Some("/fi/records"));
    assert_eq!(home.text(".user-name"), "Aino Marjatta Virtanen");
    let sv = app.get("/sv/").await;
    assert_eq!(sv.text("h1"), "Hej, Aino!");
}

#[actix_web::test]
async fn sign_in_renews_the_session_key() {
    let app = spawn_app().await;
    app.load_demo().await;
    app.get("/fi/sign-in").await;
    let before = app.cookies.borrow().get("sosiaalitiedot").cloned().expect("anonymous session for CSRF");
    app.sign_in_as("Aino").await;
    let after = app.cookies.borrow().get("sosiaalitiedot").cloned().unwrap();
    assert_ne!(before, after);
}

#[actix_web::test]
async fn after_sign_out_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    app.load_demo().await;
    app.sign_in_as("Aino").await;
    let old_cookie = app.cookies.borrow().get("sosiaalitiedot").cloned().unwrap();
    let home = app.get("/fi/").await;
    let token = TestApp::csrf_of(&home);
    let sessions_before = app.store.count_sessions().await.unwrap();
    let out = app.post("/fi/sign-out", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(app.store.count_sessions().await.unwrap(), sessions_before - 1, "deleted server-side");
    // Replay the old cookie: the person is no longer signed in.
    app.cookies.borrow_mut().insert("sosiaalitiedot".into(), old_cookie);
    let page = app.get("/fi/").await;
    assert_eq!(page.text("h1"), "Sosiaalipalvelujen tiedot");
    assert_eq!(page.count(".user-name"), 0);
}

#[actix_web::test]
async fn post_without_or_with_a_wrong_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.load_demo().await;
    let page = app.get("/fi/sign-in").await;
    let person_id = page.attr("input[name=person_id]", "value").unwrap();
    let missing = app.post("/fi/sign-in", &[("person_id", &person_id)]).await;
    assert_eq!(missing.status, 403);
    assert_eq!(missing.text("h1"), "Toimintoa ei voitu tehdä");
    let wrong = app.post("/fi/sign-in", &[("csrf_token", "x".repeat(43).as_str()), ("person_id", &person_id)]).await;
    assert_eq!(wrong.status, 403);
    assert_eq!(app.get("/fi/").await.count(".user-name"), 0, "still signed out");
}

#[actix_web::test]
async fn a_cross_site_post_is_refused_even_with_the_right_token() {
    let app = spawn_app().await;
    app.load_demo().await;
    let page = app.get("/fi/sign-in").await;
    let token = TestApp::csrf_of(&page);
    let person_id = page.attr("input[name=person_id]", "value").unwrap();
    let form = [("csrf_token", token.as_str()), ("person_id", person_id.as_str())];
    let evil = app.post_with("/fi/sign-in", &form, &[("origin", "https://evil.example")]).await;
    assert_eq!(evil.status, 403);
    let fetch = app.post_with("/fi/sign-in", &form, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(fetch.status, 403);
    // Chromium sends `Origin: null` with `Referrer-Policy: no-referrer`; Fetch Metadata decides.
    let null_origin =
        app.post_with("/fi/sign-in", &form, &[("origin", "null"), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(null_origin.status, 303);
    // (Signing in renewed the session and its token; the old token is refused now.)
    let replay = app.post_with("/fi/sign-in", &form, &[("origin", &app.address.clone())]).await;
    assert_eq!(replay.status, 403);
}

#[actix_web::test]
async fn a_get_never_signs_anyone_in() {
    let app = spawn_app().await;
    app.load_demo().await;
    app.sign_in_as("Aino Marjatta").await;
    let sessions = app.store.count_sessions().await.unwrap();
    // A link or an image pointing at sign-out must not sign anyone out…
    let res = app.get("/fi/sign-out").await;
    assert_eq!(res.status, 405);
    assert_eq!(app.get("/fi/records").await.status, 200, "still signed in");
    assert_eq!(app.store.count_sessions().await.unwrap(), sessions);
    // …nor a GET to the sign-in endpoint sign anyone in.
    let other = TestApp {
        address: app.address.clone(),
        store: app.store.clone(),
        client: awc::Client::builder().disable_redirects().finish(),
        cookies: Default::default(),
        database_url: app.database_url.clone(),
        metrics_address: None,
    };
    let aino = app.person_id("Aino Marjatta").await;
    other.get(&format!("/fi/sign-in?person_id={aino}")).await;
    assert_eq!(other.get("/fi/records").await.status, 303, "a GET signed someone in");
}

#[actix_web::test]
async fn the_absolute_timeout_ends_an_active_session() {
    let app = crate::helpers::spawn_app_with(|s| s.session.absolute_timeout_hours = 1).await;
    app.load_demo().await;
    app.sign_in_as("Aino").await;
    assert_eq!(app.get("/fi/").await.count(".user-name"), 1);
    // Rewind the sign-in time stored in the server-side session by two hours.
    let two_hours_ago = chrono::Utc::now().timestamp() - 7200;
    app.edit_sessions(|state| {
        if state.contains_key("signed_in_at") {
            state.insert("signed_in_at".into(), two_hours_ago.to_string());
        }
    })
    .await;
    assert_eq!(app.get("/fi/").await.count(".user-name"), 0);
    // On a personal page the absolute limit says so, not "idle".
    let app = crate::helpers::spawn_app_with(|s| s.session.absolute_timeout_hours = 1).await;
    app.load_demo().await;
    app.sign_in_as("Aino").await;
    app.edit_sessions(|state| {
        if state.contains_key("signed_in_at") {
            state.insert("signed_in_at".into(), two_hours_ago.to_string());
        }
    })
    .await;
    let res = app.get("/fi/records").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/signed-out?reason=absolute&return=%2Ffi%2Frecords");
    let page = app.get(&res.location()).await;
    assert_eq!(page.text("main p"), "Istuntosi enimmäiskesto, 1 tunti, täyttyi. Kirjaudu uudelleen jatkaaksesi.");
    assert_eq!(
        app.get("/sv/signed-out?reason=absolute").await.text("main p"),
        "Din sessions maximala längd, 1 timme, har uppnåtts. Logga in igen för att fortsätta."
    );
}

#[actix_web::test]
async fn with_a_one_minute_idle_timeout_activity_keeps_the_session() {
    let app = crate::helpers::spawn_app_with(|s| s.session.idle_timeout_minutes = 1).await;
    app.load_demo().await;
    app.sign_in_as("Aino").await;
    // The last extension was written 20 s ago: with a one-minute timeout a page view now writes a
    // new expiry (every quarter of the timeout), so an active person is never signed out at 60 s.
    let twenty_seconds_ago = chrono::Utc::now().timestamp() - 20;
    app.edit_sessions(|state| {
        if state.contains_key("extended_at") {
            state.insert("extended_at".into(), twenty_seconds_ago.to_string());
        }
    })
    .await;
    app.execute("update http_session set expires_at = '2099-01-01T00:00:00+00:00'").await;
    assert_eq!(app.get("/fi/records").await.status, 200);
    let extended: Vec<i64> = app
        .sessions()
        .await
        .into_iter()
        .filter_map(|(_, s)| s.get("extended_at").and_then(|v| v.parse().ok()))
        .collect();
    assert_eq!(extended.len(), 1);
    assert!(extended[0] >= chrono::Utc::now().timestamp() - 2, "the expiry was written again: {extended:?}");
}

#[actix_web::test]
async fn an_anonymous_visit_stores_no_session() {
    let app = crate::helpers::spawn_demo_app().await;
    let before = app.store.count_sessions().await.unwrap();
    for path in ["/", "/fi/", "/sv/", "/fi/records", "/static/site.css", "/healthz"] {
        let res = app.get(path).await;
        assert!(res.header("set-cookie").is_none(), "{path} set a cookie");
    }
    assert_eq!(app.store.count_sessions().await.unwrap(), before);
}

#[actix_web::test]
async fn a_person_lists_and_ends_their_own_sessions_only() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let phone = app.another("Aino Marjatta").await;
    let stranger = app.another("Mikael").await;
    let page = app.get("/fi/sessions").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.count("tr.session-row"), 2, "only Aino's two sessions");
    assert_eq!(page.count("tr.session-current"), 1);
    assert!(!page.body.contains("127.0.0.1"), "never an address");
    // Every personal page says when the session ends.
    assert!(page.text(".session-ends").starts_with("Istuntosi päättyy klo "), "{}", page.body);
    let id = page.attr("input[name=session]", "value").unwrap();
    let res = app.post("/fi/sessions", &[("csrf_token", &TestApp::csrf_of(&page)), ("session", &id)]).await;
    assert_eq!(res.status, 303);
    let ended = app.get(&res.location()).await;
    assert_eq!(ended.text("#success-banner p"), "Kirjautuminen on lopetettu.");
    assert_eq!(ended.text("#success-banner h2"), "Valmis");
    assert_eq!(ended.attr("#success-banner", "autofocus").as_deref(), Some(""));
    assert!(ended.text("title").starts_with("Kirjautuminen on lopetettu. – "), "{}", ended.text("title"));
    // The ended session is signed out; this one and the stranger's are not.
    assert_eq!(phone.get("/fi/records").await.status, 303);
    assert_eq!(app.get("/fi/records").await.status, 200);
    assert_eq!(stranger.get("/fi/records").await.status, 200);
    // Another's session cannot be ended by naming it.
    let theirs = stranger.get("/fi/sessions").await;
    let their_id = theirs.attr("tr.session-current input[name=session]", "value");
    assert!(their_id.is_none(), "one's own current session has no end button");
    let res = app
        .post("/fi/sessions", &[("csrf_token", &TestApp::csrf_of(&page)), ("session", "0123456789abcdef01234567")])
        .await;
    assert_eq!(res.status, 404);
    // End all others.
    let third = app.another("Aino Marjatta").await;
    let page = app.get("/fi/sessions").await;
    let res = app.post("/fi/sessions", &[("csrf_token", &TestApp::csrf_of(&page)), ("others", "yes")]).await;
    assert_eq!(res.status, 303);
    assert_eq!(third.get("/fi/records").await.status, 303);
    assert_eq!(app.get("/fi/records").await.status, 200);
}

#[actix_web::test]
async fn after_an_idle_timeout_the_next_request_says_so_and_sign_in_returns_to_the_page() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    app.execute("update http_session set expires_at = '2000-01-01T00:00:00+00:00'").await;
    let res = app.get("/fi/records/older_people?x=1").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/fi/signed-out?reason=idle&return=%2Ffi%2Frecords%2Folder_people%3Fx%3D1");
    let page = app.get(&res.location()).await;
    assert_eq!(
        page.text("main p"),
        "Istuntosi on päättynyt, koska et käyttänyt palvelua 30 minuuttiin tai kirjautuminen lopetettiin toisessa selaimessa tai laitteessa. Kirjaudu uudelleen jatkaaksesi."
    );
    assert_eq!(
        page.attr("main a.button", "href").as_deref(),
        Some("/fi/sign-in?return=%2Ffi%2Frecords%2Folder_people%3Fx%3D1")
    );
    // The continue button's request extends the session and gives the new end time.
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let keep = app.get("/fi/session/keepalive").await;
    assert_eq!(keep.status, 200);
    let v: serde_json::Value = serde_json::from_str(&keep.body).unwrap();
    assert!(v["expires"].as_i64().unwrap() > chrono::Utc::now().timestamp() + 29 * 60);
    // The warning script's question before it declares the end: the same end time, naming no one
    // and never cached; without a session, ended.
    let status = app.get("/fi/session/status").await;
    assert_eq!(status.status, 200);
    assert_eq!(status.header("cache-control").as_deref(), Some("no-store"));
    let s: serde_json::Value = serde_json::from_str(&status.body).unwrap();
    assert_eq!(s["expires"], v["expires"]);
    assert!(!status.body.contains("Aino"), "{}", status.body);
    let stranger = crate::helpers::spawn_demo_app().await;
    assert_eq!(stranger.get("/fi/session/status").await.body, r#"{"ended":true}"#);
}

#[actix_web::test]
async fn page_views_within_a_minute_do_not_write_the_session_but_continuing_does() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    app.get("/fi/records").await;
    let expiry = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            let rows: Vec<(String,)> = match &store {
                sosiaalitiedot::store::Store::Sqlite(p) => {
                    sqlx::query_as("select cast(expires_at as text) from http_session").fetch_all(p).await.unwrap()
                }
                sosiaalitiedot::store::Store::Postgres(p) => {
                    sqlx::query_as("select cast(expires_at as text) from http_session").fetch_all(p).await.unwrap()
                }
            };
            rows
        }
    };
    let before = expiry(&app).await;
    for path in ["/fi/records", "/fi/records/older_people", "/fi/consent"] {
        assert_eq!(app.get(path).await.status, 200);
    }
    assert_eq!(expiry(&app).await, before, "a page view wrote the session");
    // An hour-old extension is renewed by the next request (the idle timeout runs from activity).
    app.edit_sessions(|s| {
        s.insert("extended_at".into(), (chrono::Utc::now().timestamp() - 120).to_string());
    })
    .await;
    app.execute("update http_session set expires_at = '2099-01-01T00:00:00+00:00'").await;
    let far = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            let sql = "select count(*) from http_session where expires_at > '2098-01-01T00:00:00+00:00'";
            let n: i64 = match &store {
                sosiaalitiedot::store::Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
                sosiaalitiedot::store::Store::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            };
            n
        }
    };
    assert_eq!(far(&app).await, 1);
    app.get("/fi/records").await;
    assert_eq!(far(&app).await, 0, "activity after a minute extends the session from now");
}

/// The signed-in person and their links are read with the session on every request and never
/// stored with it: a state that claims a person or a link (an old row, a tampered database) gives
/// nothing, and a link ended in the population data ends the role on the very next request.
#[actix_web::test]
async fn the_person_read_with_the_session_is_never_stored_nor_taken_from_the_stored_state() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Laura Helena").await;
    app.choose("Eetu").await; // writes the session state
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Asioit huoltajana: Eetu Matias Nieminen");
    for (_, state) in app.sessions().await {
        assert!(!state.contains_key("__signed_in"), "{state:?}");
    }
    // A stored claim: Laura under another name, with a mandate from Aino.
    let person = |id: i64, first: &str| {
        serde_json::json!({"person_id": id, "hetu": "x", "first_names": first, "last_name": "Väärä",
        "birth_date": "1980-01-01", "non_disclosure": false, "taken_into_care": false, "informed_on": null})
    };
    let (laura, aino) = (app.person_id("Laura Helena").await, app.person_id("Aino Marjatta").await);
    let forged = serde_json::json!({"person": person(laura, "Laura"), "reference_version": 1,
        "links": [{"person": person(aino, "Aino"), "link": {"kind": "mandate", "valid_from": "2020-01-01", "valid_until": null}}]}).to_string();
    app.edit_sessions(|s| {
        s.insert("__signed_in".into(), forged.clone());
    })
    .await;
    let home = app.get("/fi/records").await;
    assert_eq!(home.text(".user-name"), "Laura Helena Nieminen");
    assert_eq!(home.text("#acting-banner-text"), "Asioit huoltajana: Eetu Matias Nieminen");
    // The guardianship ends in the population data: the next request is back on Laura's own data.
    app.execute("delete from guardianship").await;
    let page = app.get("/fi/acting-for").await;
    assert_eq!(page.texts("li.choice .person-name"), vec!["Laura Helena Nieminen"]);
    assert_eq!(app.get("/fi/records").await.text("#acting-banner-text"), "Omat tietosi: Laura Helena Nieminen");
}

/// Concurrent requests' sessions are read together in one query (issue #13): every request gets
/// its own session — one browser's many tabs all stay signed in, and two people's requests in
/// the same group never see each other's person.
#[actix_web::test]
async fn sessions_read_together_each_go_to_their_own_request() {
    let app = crate::helpers::spawn_demo_app().await;
    let aino = app.another("Aino Marjatta").await;
    let other = app.another("Mikael").await;
    let pages = (0..24).map(|i| if i % 3 == 0 { other.get("/fi/") } else { aino.get("/fi/") });
    for (i, page) in futures_util::future::join_all(pages).await.into_iter().enumerate() {
        assert_eq!(page.status, 200);
        let expected = if i % 3 == 0 { "Hei, Mikael!" } else { "Hei, Aino!" };
        assert_eq!(page.text("h1"), expected, "request {i}");
    }
    // Nobody was signed out on the way.
    assert_eq!(aino.get("/fi/").await.text("h1"), "Hei, Aino!");
    assert_eq!(other.get("/fi/").await.text("h1"), "Hei, Mikael!");
}

/// How a session is ended while requests of it are in flight.
#[derive(Clone, Copy, Debug)]
enum Ending {
    /// The owner, in another browser, posts "end all other sign-ins".
    OthersEnded,
    /// The owner ends this one sign-in from another browser.
    OneEnded,
    /// The browser itself signs out.
    SignOut,
    /// The idle timeout passes (the row's expiry in the past).
    IdleTimeout,
}

/// Races six keepalive requests of a victim's session with one way of ending it; returns whether
/// the session came back (a stored row for the victim's person other than the owner's, or the
/// victim's browser still signed in afterwards).
async fn race_once(app: &TestApp, ending: Ending) -> bool {
    let victim = app.another("Aino Marjatta").await;
    let owner = app.another("Aino Marjatta").await;
    let page = owner.get("/fi/sessions").await;
    let csrf = TestApp::csrf_of(&page);
    let victim_csrf = TestApp::csrf_of(&victim.get("/fi/").await);
    let victim_id = page.attr("tr.session-row:not(.session-current) input[name=session]", "value").unwrap();
    let keepalives = futures_util::future::join_all((0..6).map(|_| victim.get("/fi/session/keepalive")));
    let end = async {
        match ending {
            Ending::OthersEnded => {
                owner.post("/fi/sessions", &[("csrf_token", &csrf), ("others", "yes")]).await;
            }
            Ending::OneEnded => {
                owner.post("/fi/sessions", &[("csrf_token", &csrf), ("session", &victim_id)]).await;
            }
            Ending::SignOut => {
                victim.post("/fi/sign-out", &[("csrf_token", &victim_csrf)]).await;
            }
            Ending::IdleTimeout => {
                // Every session of the person times out (the owner's too).
                victim.execute("update http_session set expires_at = '2000-01-01T00:00:00+00:00'").await;
            }
        }
    };
    let _ = futures_util::future::join(keepalives, end).await;
    // Let any write still on its way land.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let still_in = victim.get("/fi/records").await.status == 200;
    let aino = app.person_id("Aino Marjatta").await;
    let now = chrono::Utc::now();
    let live: Vec<String> = app
        .store
        .sessions_of(aino)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.expires_at > now)
        .map(|r| r.session_key)
        .collect();
    // Only the owner's session may be alive (none after the idle timeout).
    let revived = live.len() > if matches!(ending, Ending::IdleTimeout) { 0 } else { 1 };
    // Clean up for the next trial: end every session of the person.
    app.execute("delete from http_session").await;
    still_in || revived
}

#[actix_web::test]
async fn an_ended_session_stays_ended_whatever_requests_of_it_are_in_flight() {
    let app = crate::helpers::spawn_demo_app().await;
    for (ending, trials) in
        [(Ending::OthersEnded, 50), (Ending::OneEnded, 15), (Ending::SignOut, 15), (Ending::IdleTimeout, 15)]
    {
        let mut revivals = 0;
        for _ in 0..trials {
            if race_once(&app, ending).await {
                revivals += 1;
            }
        }
        assert_eq!(revivals, 0, "{ending:?}: {revivals} of {trials} sessions came back");
    }
}
