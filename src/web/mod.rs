//! The web layer: the route table, the application state and the middleware stack.
//! Handlers are thin: extract, authorise, ask the store and the rules, render.

pub mod ctx;
pub mod error;
pub mod error_page;
pub mod extract;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod pagination;
pub mod present;
pub mod security;
pub mod session;
pub mod state;
pub mod urls;

pub use state::{AppState, DemoDescription};

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, web};

use crate::settings::Settings;
use crate::store::Store;
use crate::store::sessions::{DbSessionStore, SessionReader};
use pages::{about, acting, assets, auth, choices, data_use, health, home, records, sessions, sign_in, valtuudet};

/// The route table, top to bottom. actix matches a path against each pattern in turn, a fixed one
/// by comparing strings, one with a `{…}` segment by running its regular expression (≈ 3 % of a
/// page's CPU with five of them before the records): fixed prefixes first, the pages people read
/// most at the top of their scope.
///
/// Routes that never touch a session (nor, but for `/readyz`, the database): probes and static files.
pub fn sessionless_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/.well-known/jwks.json", web::get().to(auth::jwks))
        .service(web::scope("/static").route("/{name}", web::get().to(assets::asset)));
}

pub fn routes(cfg: &mut web::ServiceConfig, demo: bool) {
    cfg.route("/", web::get().to(home::root))
        .route("/auth/callback", web::get().to(auth::callback))
        .route("/valtuudet/callback", web::get().to(valtuudet::callback));
    // Resources answer 405 to a method they do not have.
    let mut scope = web::scope("/{lang:fi|sv|en}")
        .service(web::resource("/records").get(records::overview))
        .service(web::resource("/records/download").get(records::download))
        .service(web::resource("/records/{task}").get(records::service_task))
        .service(web::resource("/documents/{id}").get(records::document))
        .service(web::resource("").get(home::lang_root))
        .service(web::resource("/").get(home::home))
        .service(web::resource("/sign-out").post(auth::sign_out))
        .service(web::resource("/signed-out").get(auth::signed_out))
        .service(web::resource("/accessibility").get(about::accessibility))
        .service(web::resource("/privacy").get(about::privacy))
        .service(web::resource("/help").get(about::help))
        .service(web::resource("/feedback").get(about::feedback).post(about::send_feedback))
        .service(web::resource("/sessions").get(sessions::page).post(sessions::end))
        .service(web::resource("/session/keepalive").get(sessions::keepalive))
        .service(web::resource("/session/status").get(sessions::status))
        .service(web::resource("/acting-for").get(acting::page).post(acting::choose))
        .service(web::resource("/acting-for/valtuudet").post(valtuudet::start))
        .service(web::resource("/acted-for-me").get(acting::acted_for_me))
        .service(web::resource("/informing").get(choices::informing).post(choices::acknowledge))
        .service(web::resource("/consent").get(choices::consent).post(choices::change_consent))
        .service(web::resource("/consent/confirm").get(choices::consent_confirm))
        .service(web::resource("/prohibitions").get(choices::prohibitions).post(choices::set_prohibition))
        .service(web::resource("/prohibitions/new").get(choices::prohibition_new))
        .service(
            web::resource("/prohibitions/{id}/revoke")
                .get(choices::prohibition_revoke_confirm)
                .post(choices::revoke_prohibition),
        )
        .service(web::resource("/data-use").get(data_use::data_use));
    if demo {
        scope = scope.service(web::resource("/sign-in").get(sign_in::page).post(sign_in::sign_in));
    } else {
        scope = scope.service(web::resource("/sign-in").get(auth::start));
    }
    cfg.service(scope);
}

/// The session cookie's name: `__Host-` over https (no domain, path `/`, Secure).
pub fn session_cookie_name(https: bool) -> &'static str {
    if https { "__Host-sosiaalitiedot" } else { "sosiaalitiedot" }
}

/// The session middleware: server-side state in the database, an opaque signed key in a
/// `__Host-` cookie (over https), idle timeout by TTL extended on every request.
pub fn session_middleware(
    store: Store,
    reader: SessionReader,
    settings: &Settings,
    key: Key,
) -> SessionMiddleware<DbSessionStore> {
    let https = settings.is_https();
    let idle = actix_web::cookie::time::Duration::minutes(settings.session.idle_timeout_minutes);
    SessionMiddleware::builder(DbSessionStore::new(store, reader), key)
        .cookie_name(session_cookie_name(https).into())
        .cookie_secure(https)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".into())
        .cookie_domain(None)
        .cookie_content_security(CookieContentSecurity::Signed)
        .session_lifecycle(
            // Written only when the state changes: a signed-in person's activity marks the session at
            // most once a minute (`extract::visitor`), so a page view is not a session write.
            BrowserSession::default().state_ttl(idle).state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

/// The application with its whole middleware stack, innermost first: routes ← session ← localised
/// error pages ← cross-origin check ← security headers ← request log.
pub fn app(
    state: web::Data<AppState>,
    key: Key,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let demo = state.is_demo();
    let https = state.settings.is_https();
    let sessions = session_middleware(state.store.clone(), state.session_reader.clone(), &state.settings, key);
    let form_origins: Vec<String> = [
        state.oidc.as_ref().and_then(|_| state.settings.oidc.issuer.as_deref()),
        state.valtuudet.as_ref().and_then(|_| state.settings.valtuudet.base_url.as_deref()),
    ]
    .into_iter()
    .flatten()
    .filter_map(security::origin_of)
    .collect();
    App::new()
        .app_data(state)
        .configure(sessionless_routes)
        // Error pages are rendered inside the session middleware too, so that a signed-in
        // person's error page keeps their name and sign-out (the session is gone once it has run).
        .service(
            web::scope("")
                .wrap(ErrorHandlers::new().default_handler(error_page::render_error_page))
                .wrap(sessions)
                .configure(|cfg| routes(cfg, demo)),
        )
        .wrap(from_fn(security::known_host))
        .wrap(ErrorHandlers::new().default_handler(error_page::render_error_page))
        .wrap(from_fn(security::same_origin_posts))
        .wrap(security::default_headers(https, &form_origins))
        .wrap(from_fn(security::head_as_get))
        .wrap(from_fn(crate::observability::count_requests))
        .wrap(tracing_actix_web::TracingLogger::<crate::observability::RequestSpan>::new())
}
