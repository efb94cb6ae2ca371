//! The page shell: languages, security headers, error pages, health checks.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn root_redirects_by_accept_language() {
    let app = spawn_app().await;
    for (accept, target) in [("sv-FI,sv;q=0.9", "/sv/"), ("en-GB", "/en/"), ("de", "/fi/"), ("", "/fi/")] {
        let res = app.get_with("/", &[("accept-language", accept)]).await;
        assert_eq!(res.status, 303);
        assert_eq!(res.location(), target, "{accept}");
    }
}

#[actix_web::test]
async fn each_language_prefix_sets_html_lang_and_the_switcher() {
    let app = spawn_app().await;
    for lang in ["fi", "sv", "en"] {
        let page = app.get(&format!("/{lang}/")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.attr("html", "lang").as_deref(), Some(lang));
        assert_eq!(page.count("h1"), 1);
        assert_eq!(page.attr("a.skip-link", "href").as_deref(), Some("#main"));
        assert_eq!(page.count("main#main"), 1);
        // Suomi, Svenska, English, each with lang and hreflang, the current one marked.
        assert_eq!(page.texts("nav.language-switcher a"), vec!["Suomi", "Svenska", "English"]);
        for code in ["fi", "sv", "en"] {
            let sel = format!("nav.language-switcher a[lang={code}][hreflang={code}][href='/{code}/']");
            assert_eq!(page.count(&sel), 1, "{sel}");
        }
        assert_eq!(page.attr("nav.language-switcher a[aria-current]", "lang").as_deref(), Some(lang));
        assert_eq!(page.count(".demo-banner"), 1);
    }
    assert_eq!(app.get("/fi/").await.text("h1"), "Sosiaalipalvelujen tiedot");
    assert_eq!(app.get("/sv/").await.text("h1"), "Uppgifter om socialservice");
    assert_eq!(app.get("/de/").await.status, 404);
    let bare = app.get("/sv").await;
    assert_eq!(bare.location(), "/sv/");
}

#[actix_web::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    for path in ["/fi/", "/fi/sign-in", "/fi/no-such-page", "/healthz", "/static/site.css", "/"] {
        let res = app.get(path).await;
        let csp = res.header("content-security-policy").unwrap_or_else(|| panic!("CSP on {path}"));
        for part in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {part}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(res.header("referrer-policy").as_deref(), Some("no-referrer"), "{path}");
        // Plain-http local demo: no HSTS.
        assert_eq!(res.header("strict-transport-security"), None, "{path}");
    }
    assert_eq!(app.get("/fi/").await.header("cache-control").as_deref(), Some("no-store"));
}

#[actix_web::test]
async fn https_deployment_sends_hsts_and_a_host_prefixed_secure_cookie() {
    let app = crate::helpers::spawn_app_with(|s| s.public_url = Some("https://sosiaalitiedot.example.fi".into())).await;
    let res = app.get_with("/fi/sign-in", &[("host", "sosiaalitiedot.example.fi")]).await;
    assert!(res.header("strict-transport-security").unwrap().contains("max-age="));
    let cookie = res.header("set-cookie").expect("a session cookie for the CSRF token");
    assert!(cookie.starts_with("__Host-sosiaalitiedot="), "{cookie}");
    let lower = cookie.to_ascii_lowercase();
    for attr in ["secure", "httponly", "samesite=lax", "path=/"] {
        assert!(lower.contains(attr), "{attr} in {cookie}");
    }
    assert!(!lower.contains("domain="), "{cookie}");
    // Any other Host is refused before anything else happens.
    let other = app.get_with("/fi/sign-in", &[("host", "evil.example")]).await;
    assert_eq!(other.status, 400);
    assert_eq!(other.header("set-cookie"), None);
    let loopback = app.get("/fi/sign-in").await;
    assert_eq!(loopback.status, 400, "the bound address is not the public host");
    // A request in absolute form names its authority in the request line: it must be ours too.
    let raw = |target: &'static str| {
        let addr = app.address.trim_start_matches("http://").to_string();
        async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(
                format!("GET {target} HTTP/1.1\r\nHost: sosiaalitiedot.example.fi\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            out.split_whitespace().nth(1).unwrap().to_string()
        }
    };
    assert_eq!(raw("http://evil.example/fi/sign-in").await, "400");
    assert_eq!(raw("https://sosiaalitiedot.example.fi/fi/sign-in").await, "200");
    assert_eq!(raw("/fi/sign-in").await, "200");
}

#[actix_web::test]
async fn unknown_pages_get_a_localised_404_with_a_request_id() {
    let app = spawn_app().await;
    let fi = app.get("/fi/ei-ole").await;
    assert_eq!(fi.status, 404);
    assert_eq!(fi.text("h1"), "Sivua ei löytynyt");
    assert!(!fi.text(".request-id code").is_empty());
    assert_eq!(fi.attr("html", "lang").as_deref(), Some("fi"));
    let sv = app.get("/sv/finns-inte").await;
    assert_eq!(sv.text("h1"), "Sidan hittades inte");
    let en = app.get("/en/missing").await;
    assert_eq!(en.text("h1"), "Page not found");
}

#[actix_web::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 200);
}

#[actix_web::test]
async fn a_database_outage_gives_a_localised_503_page() {
    let app = spawn_app().await;
    app.load_demo().await;
    app.store.close().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 503);
    let page = app.get("/sv/sign-in").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert_eq!(page.text("h1"), "Tjänsten är inte tillgänglig just nu");
    assert!(!page.text(".request-id code").is_empty());
    assert!(!page.body.contains("pool"), "no internals on the page");
    // The process itself is still alive.
    assert_eq!(app.get("/healthz").await.status, 200);
}

/// `HEAD` on a `GET` route answers as `GET` without the body (RFC 9110 §9.3.2): same status, same
/// headers, including for a signed-in page, a redirect and a static file; a POST-only route still 405.
#[actix_web::test]
async fn head_answers_as_get_without_the_body() {
    let app = crate::helpers::spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let cookies = app.cookies.borrow().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    for path in ["/fi/", "/fi/records", "/fi/help", "/static/site.css", "/healthz", "/", "/fi/records/older_people"] {
        let get = app.get(path).await;
        let mut head = app
            .client
            .head(format!("{}{path}", app.address))
            .insert_header(("cookie", cookies.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), get.status, "{path}");
        let body = head.body().await.unwrap();
        assert!(body.is_empty(), "{path}: a body of {} bytes", body.len());
        for name in ["content-type", "content-security-policy", "cache-control", "location"] {
            assert_eq!(
                head.headers().get(name).map(|v| v.to_str().unwrap().to_string()),
                get.header(name),
                "{path}: {name}"
            );
        }
    }
    let res = app.client.head(format!("{}/fi/sign-out", app.address)).send().await.unwrap();
    assert_eq!(res.status(), 405);
}
