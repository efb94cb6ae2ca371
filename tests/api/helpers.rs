//! spawn_app: a real server on port 0 with a fresh database per test, on SQLite (default) or on
//! PostgreSQL when `TEST_BACKEND=postgres` (`TEST_POSTGRES_URL`, default
//! postgres://postgres@127.0.0.1:5432/postgres). A cookie-keeping client that does not follow
//! redirects, and HTML parsed for CSS-selector assertions.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use awc::http::StatusCode;
use scraper::{Html, Selector};
use sosiaalitiedot::Application;
use sosiaalitiedot::settings::{Mode, Settings};
use sosiaalitiedot::store::Store;

pub const TODAY: &str = "2026-11-25";

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub client: awc::Client,
    pub cookies: std::cell::RefCell<BTreeMap<String, String>>,
    pub database_url: String,
    /// The separate metrics address, when `metrics_bind` was set.
    pub metrics_address: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: awc::http::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Texts of all elements matching `selector`, whitespace-collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        let t = self.texts(selector);
        assert!(!t.is_empty(), "nothing matches {selector} in:\n{}", self.body);
        t[0].clone()
    }

    pub fn count(&self, selector: &str) -> usize {
        self.texts(selector).len()
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html().select(&sel).next().and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }

    pub fn location(&self) -> String {
        self.header("location").expect("a Location header")
    }
}

pub fn settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        bind: "127.0.0.1:0".into(),
        today: Some(TODAY.parse().unwrap()),
        mode: Mode::Demo,
        ..Default::default()
    }
}

/// A fresh, migrated database URL for one test.
pub async fn fresh_database() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!("{}_{}_{}", std::process::id(), n, rand_suffix());
    if std::env::var("TEST_BACKEND").as_deref() == Ok("postgres") {
        let admin =
            std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let store = Store::connect(&admin).await.expect("PostgreSQL reachable");
        let name = format!("st_test_{tag}");
        if let Store::Postgres(p) = &store {
            sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(p).await.unwrap();
        }
        store.close().await;
        let base = admin.rsplit_once('/').unwrap().0;
        let owner_url = format!("{base}/{name}");
        // Migrations run as the owner; the service runs as a least-privilege role with no UPDATE,
        // DELETE or TRUNCATE on the audit trail (DESIGN §4), as docs/operating.md tells operators to.
        let owner = Store::connect(&owner_url).await.expect("the test database");
        owner.migrate().await.expect("migrations run as the owner");
        if let Store::Postgres(p) = &owner {
            for sql in [
                "do $$ begin create role sosiaalitiedot_app login; exception when duplicate_object or unique_violation then null; end $$",
                "grant select, insert, update, delete on all tables in schema public to sosiaalitiedot_app",
                "revoke update, delete, truncate on audit_event from sosiaalitiedot_app",
                "revoke insert, update, delete, truncate on acted_for_event, acted_for_count, audit_chain_head from sosiaalitiedot_app",
                "revoke insert, update, delete, truncate on _sqlx_migrations from sosiaalitiedot_app",
                "grant usage on all sequences in schema public to sosiaalitiedot_app",
            ] {
                sqlx::query(sql).execute(p).await.unwrap();
            }
        }
        owner.close().await;
        let (scheme, rest) = owner_url.split_once("://").unwrap();
        let host = rest.split_once('@').map_or(rest, |(_, h)| h);
        format!("{scheme}://sosiaalitiedot_app@{host}")
    } else {
        let dir = std::env::temp_dir().join("sosiaalitiedot-tests");
        std::fs::create_dir_all(&dir).unwrap();
        format!("sqlite:{}", dir.join(format!("t{tag}.db")).display())
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let url = fresh_database().await;
    spawn_app_on(&url, configure).await
}

/// A server on an existing database (a second instance, say).
pub async fn spawn_app_on(url: &str, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut s = settings(url);
    configure(&mut s);
    let app = Application::build(s).await.expect("app builds");
    let database_url = url.to_string();
    let metrics_address = app.metrics_port().map(|p| format!("http://127.0.0.1:{p}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let store = app.store().clone();
    actix_web::rt::spawn(app.run_until_stopped());
    let client = awc::Client::builder().disable_redirects().finish();
    TestApp { address, store, client, cookies: Default::default(), database_url, metrics_address }
}

impl TestApp {
    fn cookie_header(&self) -> String {
        self.cookies.borrow().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&self, headers: &awc::http::header::HeaderMap) {
        for v in headers.get_all("set-cookie") {
            let s = v.to_str().unwrap();
            let pair = s.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let expired = s.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if expired {
                self.cookies.borrow_mut().remove(name);
            } else {
                self.cookies.borrow_mut().insert(name.to_string(), value.to_string());
            }
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.get(format!("{}{}", self.address, path));
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req = req.insert_header(("cookie", cookies));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = req.send().await.expect("request sent");
        self.keep_cookies(res.headers());
        let body = res.body().limit(10 << 20).await.expect("body");
        Page { status: res.status(), headers: res.headers().clone(), body: String::from_utf8(body.to_vec()).unwrap() }
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(&self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.post(format!("{}{}", self.address, path));
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req = req.insert_header(("cookie", cookies));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = req.send_form(&form).await.expect("request sent");
        self.keep_cookies(res.headers());
        let body = res.body().limit(10 << 20).await.expect("body");
        Page { status: res.status(), headers: res.headers().clone(), body: String::from_utf8(body.to_vec()).unwrap() }
    }

    /// Imports the bundled demo feed.
    pub async fn load_demo(&self) {
        sosiaalitiedot::feed::import(&self.store, sosiaalitiedot::DEMO_FEED.as_bytes(), |_| {})
            .await
            .expect("demo feed imports");
    }

    pub async fn import(
        &self,
        text: &str,
    ) -> Result<sosiaalitiedot::store::ImportCounts, sosiaalitiedot::feed::ImportError> {
        sosiaalitiedot::feed::import(&self.store, std::io::Cursor::new(text.as_bytes().to_vec()), |_| {}).await
    }

    /// The CSRF token from a page's first form.
    pub fn csrf_of(page: &Page) -> String {
        page.attr("input[name=csrf_token]", "value").expect("a CSRF field")
    }

    /// Signs in on the demo page as the person whose name contains `name`.
    /// On a heavily loaded machine the pre-sign-in session may not be found by the POST that follows
    /// at once (the form is then refused as a forgery, 403, as a browser's would be); like a
    /// person, the helper takes a fresh form and tries again, at most three times.
    pub async fn sign_in_as(&self, name: &str) -> Page {
        let mut last = None;
        for _ in 0..3 {
            let page = self.get("/fi/sign-in").await;
            assert_eq!(page.status, 200, "{}", page.body);
            let person_id = person_id_in_card(&page, "li.person-card", name);
            let token = Self::csrf_of(&page);
            let res = self.post("/fi/sign-in", &[("csrf_token", &token), ("person_id", &person_id)]).await;
            if res.status != 403 {
                assert_eq!(res.status, 303, "sign-in redirects: {}", res.body);
                return res;
            }
            last = Some(res);
        }
        panic!("sign-in refused three times: {}", last.map(|r| r.body).unwrap_or_default());
    }
}

pub async fn spawn_demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

/// The state of one stored session, as actix-session keeps it: values are JSON strings.
pub type SessionState = std::collections::HashMap<String, String>;

impl TestApp {
    /// Another browser on the same server, signed in as the person whose name contains `name`.
    pub async fn another(&self, name: &str) -> TestApp {
        let other = TestApp {
            address: self.address.clone(),
            store: self.store.clone(),
            client: awc::Client::builder().disable_redirects().finish(),
            cookies: Default::default(),
            database_url: self.database_url.clone(),
            metrics_address: None,
        };
        other.sign_in_as(name).await;
        other
    }

    /// The id of the person whose full name contains `name` (first in name order).
    pub async fn person_id(&self, name: &str) -> i64 {
        self.store
            .all_people()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.full_name().contains(name))
            .unwrap_or_else(|| panic!("no {name}"))
            .person_id
    }

    /// Chooses, on the acting-for page, the person whose name contains `name`.
    pub async fn choose(&self, name: &str) -> Page {
        let page = self.get("/fi/acting-for").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let person_id = person_id_in_card(&page, "li.choice", name);
        self.post("/fi/acting-for", &[("csrf_token", &Self::csrf_of(&page)), ("person_id", &person_id)]).await
    }

    /// Every stored session's state.
    pub async fn sessions(&self) -> Vec<(String, SessionState)> {
        let rows: Vec<(String, String)> = match &self.store {
            Store::Sqlite(p) => {
                sqlx::query_as("select session_key, state from http_session").fetch_all(p).await.unwrap()
            }
            Store::Postgres(p) => {
                sqlx::query_as("select session_key, state from http_session").fetch_all(p).await.unwrap()
            }
        };
        rows.into_iter().map(|(k, s)| (k, serde_json::from_str(&s).unwrap())).collect()
    }

    /// Changes stored session state directly, as time passing or a stale tab would.
    pub async fn edit_sessions(&self, edit: impl Fn(&mut SessionState)) {
        for (key, mut state) in self.sessions().await {
            edit(&mut state);
            let json = serde_json::to_string(&state).unwrap();
            let sql = "update http_session set state = $1 where session_key = $2";
            match &self.store {
                Store::Sqlite(p) => sqlx::query(sql).bind(json).bind(key).execute(p).await.map(|_| ()).unwrap(),
                Store::Postgres(p) => sqlx::query(sql).bind(json).bind(key).execute(p).await.map(|_| ()).unwrap(),
            }
        }
    }

    /// Runs one statement on the test database (to simulate changes in the population data).
    pub async fn execute(&self, sql: &'static str) {
        match &self.store {
            Store::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()).unwrap(),
            Store::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()).unwrap(),
        }
    }
}

impl TestApp {
    /// Runs one statement as the database owner (PostgreSQL: not the service's least-privilege
    /// role), as an operator or an attacker with the owner's rights would.
    pub async fn owner_sql(&self, sql: &'static str) -> Result<(), sqlx::Error> {
        match &self.store {
            Store::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Store::Postgres(p) => {
                let url =
                    owner_url(&p.connect_options().get_database().map(|d| format!("postgres://x@h/{d}")).unwrap());
                let owner = Store::connect(&url).await.unwrap();
                let r = match &owner {
                    Store::Postgres(o) => sqlx::query(sql).execute(o).await.map(|_| ()),
                    Store::Sqlite(_) => unreachable!(),
                };
                owner.close().await;
                r
            }
        }
    }
}

impl TestApp {
    /// A connection with the owner's rights (PostgreSQL: not the service's role; SQLite: the file).
    pub async fn owner_store(&self) -> Store {
        match &self.store {
            Store::Sqlite(_) => self.store.clone(),
            Store::Postgres(p) => Store::connect(&owner_url(
                &p.connect_options().get_database().map(|d| format!("postgres://x@h/{d}")).unwrap(),
            ))
            .await
            .unwrap(),
        }
    }
}

impl TestApp {
    /// The database URL with the owner's rights (PostgreSQL), for the command-line tools an
    /// operator runs as the owner.
    pub fn owner_database_url(&self) -> String {
        match &self.store {
            Store::Sqlite(p) => format!("sqlite:{}", p.connect_options().get_filename().display()),
            Store::Postgres(p) => {
                owner_url(&p.connect_options().get_database().map(|d| format!("postgres://x@h/{d}")).unwrap())
            }
        }
    }
}

/// The owner's URL of the test database named in `url` (its last path segment).
fn owner_url(url: &str) -> String {
    let admin =
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let db = url.rsplit('/').next().unwrap();
    format!("{}/{db}", admin.rsplit_once('/').unwrap().0)
}

/// The `person_id` form value in the card (`card` selector) whose `.person-name` contains `name`.
fn person_id_in_card(page: &Page, card: &str, name: &str) -> String {
    let html = page.html();
    let card_sel = Selector::parse(card).unwrap();
    let name_sel = Selector::parse(".person-name").unwrap();
    let id_sel = Selector::parse("input[name=person_id]").unwrap();
    let card = html
        .select(&card_sel)
        .find(|c| c.select(&name_sel).next().unwrap().text().collect::<String>().contains(name))
        .unwrap_or_else(|| panic!("{name} is not offered in {card}"));
    card.select(&id_sel).next().unwrap().value().attr("value").unwrap().to_string()
}
