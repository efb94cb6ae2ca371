//! Production sign-in against a provider played by the test (DESIGN §4): the good path, and every
//! failure refused with the localised page and no session. The provider's tokens are built here
//! with its own test keys, so each fault (a bad signature, `alg: none`, a low `acr`…) is exact.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwe::{JweHeader, RSA_OAEP_256};
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::{Jwk, KeyPair};
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::{self, JwtPayload};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sosiaalitiedot::settings::Mode;

use crate::feed::{self, document, person};
use crate::helpers::{TestApp, spawn_app_with};

const CLIENT_ID: &str = "sosiaalitiedot-test";
const KNOWN: &str = "150380-901T";
const UNKNOWN: &str = "101185-903C";

/// What the provider does on the next token request.
#[derive(Clone)]
struct Scenario {
    hetu: Value,
    acr: &'static str,
    audience: Value,
    nonce: Option<String>,
    expires_in: i64,
    issuer: Option<String>,
    encrypted: bool,
    enc: &'static str,
    sign: Signing,
    hetu_in_userinfo: bool,
    /// How userinfo is sent (when the henkilötunnus is there).
    userinfo_form: UserinfoForm,
    /// The ID token's `sub` (`None`: none at all).
    sub: Option<&'static str>,
    /// Userinfo's `sub` (`None`: none at all).
    userinfo_sub: Option<&'static str>,
    given_name: &'static str,
}

#[derive(Clone, Copy, PartialEq)]
enum UserinfoForm {
    /// A signed JWT inside an encrypted one, as the FTN profile has it.
    SignedAndEncrypted,
    PlainJson,
    /// Encrypted, with plain JSON inside.
    EncryptedUnsigned,
}

#[derive(Clone, Copy, PartialEq)]
enum Signing {
    Good,
    OtherKey,
    AlgNone,
    /// Signed with a new key the provider's key set did not list when first fetched.
    Rotated,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            hetu: json!(KNOWN),
            acr: "http://ftn.ficora.fi/2017/loa3",
            audience: json!(CLIENT_ID),
            nonce: None,
            expires_in: 600,
            issuer: None,
            encrypted: true,
            enc: "A256GCM",
            sign: Signing::Good,
            hetu_in_userinfo: false,
            userinfo_form: UserinfoForm::SignedAndEncrypted,
            sub: Some("subject-1"),
            userinfo_sub: Some("subject-1"),
            given_name: "Veera",
        }
    }
}

struct ProviderState {
    issuer: String,
    key: RsaKeyPair,
    rotated: RsaKeyPair,
    other: RsaKeyPair,
    rotated_published: bool,
    client_sign: Jwk,
    client_enc: Jwk,
    /// From the last request object: (nonce, code challenge).
    last_request: Option<(String, String)>,
    used_codes: HashSet<String>,
    scenario: Scenario,
    userinfo: Option<Value>,
    /// The last ID token issued, as sent.
    last_id_token: Option<String>,
    /// The provider's own key for encryption, published in its JWKS (`use: enc`) when set.
    enc_key: Option<RsaKeyPair>,
}

type Shared = Arc<Mutex<ProviderState>>;

fn jwk_of(pair: &RsaKeyPair, kid: &str) -> Value {
    let mut jwk = pair.to_jwk_public_key();
    jwk.set_key_id(kid);
    jwk.set_key_use("sig");
    jwk.set_algorithm("RS256");
    Value::Object(jwk.as_ref().clone())
}

async fn discovery(s: web::Data<Shared>) -> HttpResponse {
    let issuer = s.lock().unwrap().issuer.clone();
    HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "end_session_endpoint": format!("{issuer}/session/end"),
    }))
}

async fn jwks(s: web::Data<Shared>) -> HttpResponse {
    let mut st = s.lock().unwrap();
    let mut keys = vec![jwk_of(&st.key, "p1")];
    if st.scenario.sign == Signing::Rotated {
        if st.rotated_published {
            keys.push(jwk_of(&st.rotated, "p2"));
        }
        st.rotated_published = true; // the next fetch sees the new key
    }
    if let Some(enc) = &st.enc_key {
        let mut jwk = enc.to_jwk_public_key();
        jwk.set_key_id("e1");
        jwk.set_key_use("enc");
        jwk.set_algorithm("RSA-OAEP-256");
        keys.push(Value::Object(jwk.as_ref().clone()));
    }
    HttpResponse::Ok().json(json!({ "keys": keys }))
}

fn id_token(st: &ProviderState) -> String {
    let sc = &st.scenario;
    let (nonce, _) = st.last_request.clone().unwrap_or_default();
    let mut p = JwtPayload::new();
    let now = SystemTime::now();
    p.set_issuer(sc.issuer.clone().unwrap_or(st.issuer.clone()));
    if let Some(sub) = sc.sub {
        p.set_subject(sub);
    }
    p.set_claim("aud", Some(sc.audience.clone())).unwrap();
    p.set_issued_at(&(now - Duration::from_secs(5)));
    let exp = chrono::Utc::now().timestamp() + sc.expires_in;
    p.set_claim("exp", Some(json!(exp))).unwrap();
    p.set_claim("nonce", Some(json!(sc.nonce.clone().unwrap_or(nonce)))).unwrap();
    p.set_claim("acr", Some(json!(sc.acr))).unwrap();
    p.set_claim("given_name", Some(json!(sc.given_name))).unwrap();
    p.set_claim("family_name", Some(json!("Vieras"))).unwrap();
    if !sc.hetu_in_userinfo && !sc.hetu.is_null() {
        p.set_claim("urn:oid:1.2.246.21", Some(sc.hetu.clone())).unwrap();
    }
    let signed = match sc.sign {
        Signing::AlgNone => jwt::encode_unsecured(&p, &JwsHeader::new()).unwrap(),
        s => {
            let (pair, kid) = match s {
                Signing::OtherKey => (&st.other, "p1"),
                Signing::Rotated => (&st.rotated, "p2"),
                _ => (&st.key, "p1"),
            };
            let mut h = JwsHeader::new();
            h.set_key_id(kid);
            let signer = RS256.signer_from_pem(pair.to_pem_private_key()).unwrap();
            jwt::encode_with_signer(&p, &h, &signer).unwrap()
        }
    };
    if !sc.encrypted {
        return signed;
    }
    let mut h = JweHeader::new();
    h.set_content_encryption(sc.enc);
    h.set_content_type("JWT");
    let encrypter = RSA_OAEP_256.encrypter_from_jwk(&st.client_enc).unwrap();
    josekit::jwe::serialize_compact(signed.as_bytes(), &h, &encrypter).unwrap()
}

async fn token(s: web::Data<Shared>, form: web::Form<std::collections::HashMap<String, String>>) -> HttpResponse {
    let mut st = s.lock().unwrap();
    // private_key_jwt: signed by the client's signing key, aud = the token endpoint.
    let verifier = RS256.verifier_from_jwk(&st.client_sign).unwrap();
    let Some(assertion) = form.get("client_assertion") else {
        return HttpResponse::Unauthorized().json(json!({"error":"invalid_client"}));
    };
    let Ok((claims, header)) = jwt::decode_with_verifier(assertion, &verifier) else {
        return HttpResponse::Unauthorized().json(json!({"error":"invalid_client"}));
    };
    assert!(header.key_id().is_some(), "the assertion names its key");
    assert!(claims.jwt_id().is_some(), "the assertion has a jti");
    assert_eq!(claims.audience(), Some(vec![format!("{}/token", st.issuer).as_str()]));
    // PKCE.
    let (_, challenge) = st.last_request.clone().unwrap_or_default();
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return HttpResponse::BadRequest().json(json!({"error":"invalid_grant"}));
    }
    let code = form.get("code").cloned().unwrap_or_default();
    if !st.used_codes.insert(code) {
        return HttpResponse::BadRequest()
            .json(json!({"error":"invalid_grant","error_description":"code already used"}));
    }
    let id = id_token(&st);
    st.last_id_token = Some(id.clone());
    if st.scenario.hetu_in_userinfo {
        let mut claims = json!({"urn:oid:1.2.246.21": st.scenario.hetu.clone()});
        if let Some(sub) = st.scenario.userinfo_sub {
            claims["sub"] = json!(sub);
        }
        st.userinfo = Some(claims);
    }
    HttpResponse::Ok().json(json!({"access_token":"at-1","token_type":"Bearer","id_token": id}))
}

async fn userinfo(s: web::Data<Shared>) -> HttpResponse {
    let st = s.lock().unwrap();
    let Some(claims) = &st.userinfo else { return HttpResponse::Unauthorized().finish() };
    let encrypt = |inner: &str| {
        let mut h = JweHeader::new();
        h.set_content_encryption("A256GCM");
        h.set_content_type("JWT");
        let encrypter = RSA_OAEP_256.encrypter_from_jwk(&st.client_enc).unwrap();
        josekit::jwe::serialize_compact(inner.as_bytes(), &h, &encrypter).unwrap()
    };
    match st.scenario.userinfo_form {
        UserinfoForm::PlainJson => HttpResponse::Ok().json(claims),
        UserinfoForm::EncryptedUnsigned => {
            HttpResponse::Ok().content_type("application/jwt").body(encrypt(&claims.to_string()))
        }
        UserinfoForm::SignedAndEncrypted => {
            let payload = JwtPayload::from_map(claims.as_object().unwrap().clone()).unwrap();
            let mut h = JwsHeader::new();
            h.set_key_id("p1");
            let signer = RS256.signer_from_pem(st.key.to_pem_private_key()).unwrap();
            let signed = jwt::encode_with_signer(&payload, &h, &signer).unwrap();
            HttpResponse::Ok().content_type("application/jwt").body(encrypt(&signed))
        }
    }
}

struct Harness {
    app: TestApp,
    provider: Shared,
    provider_server: actix_web::dev::ServerHandle,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn harness() -> Harness {
    let dir = std::env::temp_dir().join(format!("st-oidc-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let sign = RsaKeyPair::generate(2048).unwrap();
    let enc = RsaKeyPair::generate(2048).unwrap();
    std::fs::write(dir.join("sign.pem"), sign.to_pem_private_key()).unwrap();
    std::fs::write(dir.join("enc.pem"), enc.to_pem_private_key()).unwrap();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let shared: Shared = Arc::new(Mutex::new(ProviderState {
        issuer: issuer.clone(),
        key: RsaKeyPair::generate(2048).unwrap(),
        rotated: RsaKeyPair::generate(2048).unwrap(),
        other: RsaKeyPair::generate(2048).unwrap(),
        rotated_published: false,
        client_sign: sign.to_jwk_public_key(),
        client_enc: enc.to_jwk_public_key(),
        last_request: None,
        used_codes: HashSet::new(),
        scenario: Scenario::default(),
        userinfo: None,
        last_id_token: None,
        enc_key: None,
    }));
    let data = web::Data::new(shared.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/.well-known/openid-configuration", web::get().to(discovery))
            .route("/jwks", web::get().to(jwks))
            .route("/token", web::post().to(token))
            .route("/me", web::get().to(userinfo))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    let provider_server = server.handle();
    actix_web::rt::spawn(server);

    let port = free_port();
    let app = spawn_app_with(|s| {
        s.mode = Mode::Production;
        s.operator.name = Some("Testin hyvinvointialue".into());
        s.operator.dpo_email = Some("tietosuoja@example.fi".into());
        s.bind = format!("127.0.0.1:{port}");
        s.public_url = Some(format!("http://127.0.0.1:{port}"));
        s.insecure_http = true;
        s.session.secret_key = Some(serde_json::from_value(json!("k".repeat(64))).unwrap());
        s.oidc.issuer = Some(issuer.clone());
        s.oidc.client_id = Some(CLIENT_ID.into());
        s.oidc.signing_key = Some(dir.join("sign.pem").display().to_string());
        s.oidc.encryption_key = Some(dir.join("enc.pem").display().to_string());
        s.audit.chain_key = Some(serde_json::from_value(json!("c".repeat(40))).unwrap());
    })
    .await;
    app.import(&feed::lines(&[
        feed::organisation(feed::ORG, "Testin hyvinvointialue"),
        person(KNOWN, "Aila", "Aikuinen"),
        document("D1", KNOWN, "older_people", "Kotihoidon päätös"),
    ]))
    .await
    .unwrap();
    Harness { app, provider: shared, provider_server }
}

impl Harness {
    fn set(&self, f: impl FnOnce(&mut Scenario)) {
        f(&mut self.provider.lock().unwrap().scenario);
    }

    /// Starts a sign-in: the request object is checked and remembered as the provider would.
    /// Returns the state.
    async fn start(&self, path: &str) -> String {
        let res = self.app.get(path).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let location = res.location();
        let st = self.provider.lock().unwrap();
        assert!(location.starts_with(&format!("{}/auth?", st.issuer)), "{location}");
        let query: std::collections::HashMap<String, String> = url_query(&location);
        assert_eq!(query["client_id"], CLIENT_ID);
        assert_eq!(query["response_type"], "code");
        let verifier = RS256.verifier_from_jwk(&st.client_sign).unwrap();
        let (request, header) =
            jwt::decode_with_verifier(&query["request"], &verifier).expect("a request object signed by the client");
        assert!(header.key_id().is_some());
        assert_eq!(request.issuer(), Some(CLIENT_ID));
        assert_eq!(request.claim("code_challenge_method"), Some(&json!("S256")));
        assert_eq!(request.claim("ui_locales").and_then(Value::as_str), Some(&path[1..3]));
        let state = request.claim("state").unwrap().as_str().unwrap().to_string();
        let nonce = request.claim("nonce").unwrap().as_str().unwrap().to_string();
        let challenge = request.claim("code_challenge").unwrap().as_str().unwrap().to_string();
        drop(st);
        self.provider.lock().unwrap().last_request = Some((nonce, challenge));
        state
    }

    async fn callback(&self, code: &str, state: &str) -> crate::helpers::Page {
        self.app.get(&format!("/auth/callback?code={code}&state={state}")).await
    }

    async fn signed_in(&self) -> bool {
        self.app.get("/fi/records").await.status == 200
    }
}

fn url_query(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|x| x.1).unwrap_or_default();
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), percent_decode(v))).collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn assert_refused(page: &crate::helpers::Page, status: u16) {
    assert_eq!(page.status.as_u16(), status, "{}", page.body);
    assert_eq!(page.text("h1"), "Tunnistautuminen ei onnistunut");
    assert!(!page.text(".request-id code").is_empty());
    assert_eq!(page.attr("a.button", "href").as_deref(), Some("/fi/sign-in"));
}

#[actix_web::test]
async fn a_citizen_signs_in_sees_their_records_and_returns_where_they_were_going() {
    let h = harness().await;
    let state = h.start("/fi/sign-in?return=/fi/records/older_people").await;
    let res = h.callback("code-1", &state).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/fi/records/older_people");
    let task = h.app.get("/fi/records/older_people").await;
    assert_eq!(task.status, 200);
    assert!(task.body.contains("Kotihoidon päätös"));
    // The same state is good once.
    assert_refused(&h.callback("code-2", &state).await, 400);
    // A return address on another site is ignored.
    let state = h.start("/sv/sign-in?return=//evil.example/x").await;
    let res = h.callback("code-3", &state).await;
    assert_eq!(res.location(), "/sv/");
    h.provider_server.stop(false).await;
}

#[actix_web::test]
async fn a_person_the_archive_does_not_know_sees_the_empty_state_with_their_name() {
    let h = harness().await;
    h.set(|s| s.hetu = json!(UNKNOWN));
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    let records = h.app.get("/fi/records").await;
    assert_eq!(records.status, 200);
    assert!(records.body.contains("Tietoja ei ole"), "{}", records.body);
    assert!(h.app.get("/fi/").await.body.contains("Veera"));
}

#[actix_web::test]
async fn the_henkilotunnus_may_come_from_userinfo() {
    let h = harness().await;
    h.set(|s| s.hetu_in_userinfo = true);
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    assert!(h.signed_in().await);
}

#[actix_web::test]
async fn a_rotated_provider_key_is_fetched_once_more() {
    let h = harness().await;
    h.set(|s| s.sign = Signing::Rotated);
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    assert!(h.signed_in().await);
}

#[actix_web::test]
async fn every_bad_answer_is_refused_and_no_one_is_signed_in() {
    type Case = (&'static str, Box<dyn Fn(&mut Scenario)>);
    let cases: Vec<Case> = vec![
        ("signed with another key", Box::new(|s| s.sign = Signing::OtherKey)),
        ("alg none", Box::new(|s| s.sign = Signing::AlgNone)),
        ("not encrypted", Box::new(|s| s.encrypted = false)),
        ("an unaccepted content encryption", Box::new(|s| s.enc = "A192GCM")),
        ("expired", Box::new(|s| s.expires_in = -3600)),
        ("another audience", Box::new(|s| s.audience = json!("someone-else"))),
        ("another issuer", Box::new(|s| s.issuer = Some("http://evil.example".into()))),
        ("a wrong nonce", Box::new(|s| s.nonce = Some("replayed".into()))),
        ("a low level of assurance", Box::new(|s| s.acr = "http://ftn.ficora.fi/2017/loa1")),
        ("no henkilötunnus", Box::new(|s| s.hetu = Value::Null)),
        ("an invalid henkilötunnus", Box::new(|s| s.hetu = json!("150380-901X"))),
        ("an ID token without sub", Box::new(|s| s.sub = None)),
        (
            "userinfo as plain JSON",
            Box::new(|s| {
                s.hetu_in_userinfo = true;
                s.userinfo_form = UserinfoForm::PlainJson;
            }),
        ),
        (
            "userinfo encrypted but not signed",
            Box::new(|s| {
                s.hetu_in_userinfo = true;
                s.userinfo_form = UserinfoForm::EncryptedUnsigned;
            }),
        ),
        (
            "userinfo without sub",
            Box::new(|s| {
                s.hetu_in_userinfo = true;
                s.userinfo_sub = None;
            }),
        ),
        (
            "userinfo of another sub",
            Box::new(|s| {
                s.hetu_in_userinfo = true;
                s.userinfo_sub = Some("subject-2");
            }),
        ),
        (
            "both without sub",
            Box::new(|s| {
                s.hetu_in_userinfo = true;
                s.sub = None;
                s.userinfo_sub = None;
            }),
        ),
        ("a name with a bidirectional override", Box::new(|s| s.given_name = "Vee\u{202e}ra")),
        ("a name with a control character", Box::new(|s| s.given_name = "Vee\u{1b}[31mra")),
        ("a name far too long", Box::new(|s| s.given_name = Box::leak("V".repeat(201).into_boxed_str()))),
    ];
    let h = harness().await;
    for (i, (what, change)) in cases.iter().enumerate() {
        h.set(|s| {
            *s = Scenario::default();
            change(s);
        });
        let state = h.start("/fi/sign-in").await;
        let res = h.callback(&format!("code-{i}"), &state).await;
        assert_eq!(res.status, 400, "{what}: {}", res.body);
        assert_refused(&res, 400);
        assert!(!h.signed_in().await, "{what}: signed in");
    }
}

#[actix_web::test]
async fn provider_errors_wrong_states_and_replayed_codes_are_refused() {
    let h = harness().await;
    let state = h.start("/fi/sign-in").await;
    assert_refused(&h.app.get(&format!("/auth/callback?error=access_denied&state={state}")).await, 400);
    let _ = h.start("/fi/sign-in").await;
    assert_refused(&h.callback("c1", "not-the-state").await, 400);
    // No sign-in started in this browser at all.
    let fresh = TestApp {
        address: h.app.address.clone(),
        store: h.app.store.clone(),
        client: awc::Client::builder().disable_redirects().finish(),
        cookies: Default::default(),
        database_url: h.app.database_url.clone(),
        metrics_address: None,
    };
    assert_refused(&fresh.get("/auth/callback?code=x&state=y").await, 400);
    // A code used once is refused by the provider the second time.
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("same", &state).await.status, 303);
    h.app.cookies.borrow_mut().clear();
    let state = h.start("/fi/sign-in").await;
    assert_refused(&h.callback("same", &state).await, 400);
    assert!(!h.signed_in().await);
}

/// The form the signing-out page posts to the provider (RP-Initiated Logout 1.0 §2, by POST).
fn logout_form(page: &crate::helpers::Page) -> (String, std::collections::HashMap<String, String>) {
    assert_eq!(page.attr("form#provider-logout", "method").as_deref(), Some("post"));
    let action = page.attr("form#provider-logout", "action").unwrap();
    let html = page.html();
    let sel = scraper::Selector::parse("form#provider-logout input[type=hidden]").unwrap();
    let fields = html
        .select(&sel)
        .map(|i| (i.value().attr("name").unwrap().to_string(), i.value().attr("value").unwrap().to_string()))
        .collect();
    (action, fields)
}

/// The request object of the next sign-in started on this browser.
async fn next_request_object(h: &Harness) -> JwtPayload {
    let res = h.app.get("/fi/sign-in").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let q = url_query(&res.location());
    let verifier = RS256.verifier_from_jwk(&h.provider.lock().unwrap().client_sign).unwrap();
    jwt::decode_with_verifier(&q["request"], &verifier).unwrap().0
}

#[actix_web::test]
async fn sign_out_ends_the_session_here_and_at_the_provider() {
    let h = harness().await;
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    let page = h.app.get("/fi/").await;
    let sessions_before = h.app.store.count_sessions().await.unwrap();
    let res = h.app.post("/fi/sign-out", &[("csrf_token", &TestApp::csrf_of(&page))]).await;
    // The portal's session has ended before anything is sent to the provider.
    assert_eq!(h.app.store.count_sessions().await.unwrap(), sessions_before - 1);
    assert!(!h.signed_in().await);
    // A page whose form POSTs to the provider's end-session endpoint: nothing in any URL.
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.header("location").is_none());
    assert_eq!(res.text("h1"), "Kirjaudutaan ulos");
    let (issuer, provider_key) = {
        let st = h.provider.lock().unwrap();
        (st.issuer.clone(), st.key.to_jwk_public_key())
    };
    let (action, fields) = logout_form(&res);
    assert_eq!(action, format!("{issuer}/session/end"));
    assert!(!action.contains('?'));
    assert_eq!(fields["client_id"], CLIENT_ID);
    assert_eq!(fields["post_logout_redirect_uri"], format!("{}/fi/signed-out", h.app.address));
    // The hint is the ID token the provider signed (decrypted from what it sent, which it could
    // not read back), and it verifies with the provider's own key.
    let hint = &fields["id_token_hint"];
    assert_eq!(hint.split('.').count(), 3, "a signed JWT, not the JWE encrypted to us");
    let (claims, _) = jwt::decode_with_verifier(hint, &RS256.verifier_from_jwk(&provider_key).unwrap())
        .expect("signed by the provider");
    assert_eq!(claims.audience(), Some(vec![CLIENT_ID]));
    // The page may send its form to the provider, and the script that does so is ours.
    assert!(res.header("content-security-policy").unwrap().contains(&format!("form-action 'self' {issuer}")));
    assert_eq!(res.attr("script[src='/static/sign-out.js']", "src").as_deref(), Some("/static/sign-out.js"));
    assert_eq!(h.app.get("/static/sign-out.js").await.status, 200);
    assert_eq!(h.app.get("/fi/signed-out").await.text("h1"), "Olet kirjautunut ulos");
    // The next sign-in on this browser asks the provider to authenticate again; once signed in,
    // the one after that no longer does.
    assert_eq!(next_request_object(&h).await.claim("prompt"), Some(&json!("login")));
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c2", &state).await.status, 303);
    assert_eq!(next_request_object(&h).await.claim("prompt"), None);
}

#[actix_web::test]
async fn the_hint_is_encrypted_to_the_providers_own_key_when_it_publishes_one() {
    let h = harness().await;
    let enc = RsaKeyPair::generate(2048).unwrap();
    h.provider.lock().unwrap().enc_key = Some(enc.clone());
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    let page = h.app.get("/fi/").await;
    let res = h.app.post("/fi/sign-out", &[("csrf_token", &TestApp::csrf_of(&page))]).await;
    let (_, fields) = logout_form(&res);
    let hint = &fields["id_token_hint"];
    assert_eq!(hint.split('.').count(), 5);
    let decrypter = RSA_OAEP_256.decrypter_from_pem(enc.to_pem_private_key()).unwrap();
    let (inner, header) = josekit::jwe::deserialize_compact(hint, &decrypter).expect("encrypted to the provider's key");
    assert_eq!(header.key_id(), Some("e1"));
    let inner = String::from_utf8(inner).unwrap();
    let provider_key = h.provider.lock().unwrap().key.to_jwk_public_key();
    assert!(
        jwt::decode_with_verifier(&inner, &RS256.verifier_from_jwk(&provider_key).unwrap()).is_ok(),
        "the signed ID token inside"
    );
}

#[actix_web::test]
async fn with_the_provider_away_sign_out_still_ends_the_session_and_the_next_sign_in_authenticates_again() {
    let h = harness().await;
    let state = h.start("/fi/sign-in").await;
    assert_eq!(h.callback("c", &state).await.status, 303);
    // The provider is away: the browser cannot reach its logout either.
    let page = h.app.get("/fi/").await;
    let sessions_before = h.app.store.count_sessions().await.unwrap();
    h.provider_server.stop(false).await;
    let res = h.app.post("/fi/sign-out", &[("csrf_token", &TestApp::csrf_of(&page))]).await;
    assert!(matches!(res.status.as_u16(), 200 | 303), "{}", res.body);
    assert_eq!(
        h.app.store.count_sessions().await.unwrap(),
        sessions_before - 1,
        "the portal's session ended all the same"
    );
    assert!(!h.signed_in().await);
    let marker = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sosiaalitiedot-reauth="))
        .map(str::to_string);
    let marker = marker.expect("the next sign-in on this browser authenticates again");
    assert!(marker.contains("HttpOnly") && marker.contains("Max-Age="), "{marker}");
}

#[actix_web::test]
async fn the_provider_being_down_is_a_503_and_the_jwks_is_served() {
    let h = harness().await;
    let jwks: Value = serde_json::from_str(&h.app.get("/.well-known/jwks.json").await.body).unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys.iter().map(|k| k["use"].as_str().unwrap()).collect::<Vec<_>>(), vec!["sig", "enc"]);
    for k in keys {
        assert_eq!(k["kid"].as_str().unwrap().len(), 43, "an RFC 7638 thumbprint");
        assert!(k.get("d").is_none(), "no private part");
    }
    h.provider_server.stop(false).await;
    let res = h.app.get("/fi/sign-in").await;
    assert_refused(&res, 503);
}
