//! Prometheus metrics, served on a separate, non-public address (`metrics_bind`, off by default;
//! never the citizen-facing port). Labels hold route templates, statuses and outcome kinds only —
//! never a person, a document id or a session.

use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::store::Store;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once (more applications in one process — tests — share it).
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                )
                .expect("valid buckets")
                .build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder is installed, and then that one records.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Counts every request by route template and status, and times it by route. The template is left
/// on the request for the request log's line ([`RequestSpan`]).
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let res = next.call(req).await?.map_into_boxed_body();
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    res.request().extensions_mut().insert(RouteTemplate(route));
    Ok(res)
}

/// The route template a request matched (`/{lang:fi|sv|en}/records/{task}`), once it is routed.
struct RouteTemplate(String);

/// When the request log's span began.
struct RequestStarted(Instant);

/// A sign-in's outcome: `success`, `demo`, or the failure kind.
pub fn sign_in(outcome: &'static str) {
    metrics::counter!("sign_ins_total", "outcome" => outcome).increment(1);
}

/// One call to Suomi.fi e-Authorizations: which call, its outcome (`ok` or the failure kind) and
/// how long it took.
pub fn valtuudet_call(call: &'static str, outcome: &'static str, took: std::time::Duration) {
    metrics::counter!("valtuudet_requests_total", "call" => call, "outcome" => outcome).increment(1);
    metrics::histogram!("valtuudet_request_duration_seconds", "call" => call).record(took.as_secs_f64());
}

/// One audit record appended to the chain (it commits with its transaction).
/// A checkpoint coordination row that was ignored: in the future, unsigned or not verifying with
/// this instance's checkpoint key (forged, or from before a key rotation).
pub fn audit_checkpoint_row_ignored() {
    metrics::counter!("audit_checkpoint_rows_ignored_total").increment(1);
}

/// A signed checkpoint written.
pub fn audit_checkpoint_written() {
    metrics::counter!("audit_checkpoints_total").increment(1);
}

pub fn audit_appended() {
    metrics::counter!("audit_writes_total").increment(1);
}

/// How long a view's audit transaction took, from begin to commit.
pub fn audit_committed(took: std::time::Duration) {
    metrics::histogram!("audit_commit_seconds").record(took.as_secs_f64());
}

/// Lines read by an import and the errors found.
pub fn import_progress(lines: u64, errors: u64) {
    metrics::counter!("import_lines_total").increment(lines);
    metrics::counter!("import_errors_total").increment(errors);
}

/// `GET /metrics` on the metrics address: gauges read at scrape time, then the text format.
pub async fn scrape(handle: web::Data<PrometheusHandle>, store: web::Data<Store>) -> HttpResponse {
    let (size, idle) = store.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(idle));
    if let Ok(Ok(n)) = tokio::time::timeout(std::time::Duration::from_secs(1), store.count_live_sessions()).await {
        metrics::gauge!("active_sessions").set(n as f64);
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(handle.render())
}

/// The request log: one span per request with the method, the path, the client's address and the
/// request id — every event inside the request carries them — and one line when it ends with the
/// route template, the status and the time taken (`request`, or `request failed` at ERROR with the
/// error for a server error, 5xx: a redirect to sign-in or a 404 is the service working as it
/// should). Nothing more: the span and its line are on every request's path (tracing-actix-web's
/// default span, ten formatted fields, a second routing of the path for its template and the
/// span's own timing on every poll, was ≈ 9 % of a page's CPU). The target is the path alone —
/// never the query string, which carries the sign-in's `code` and `state`, the e-Authorizations
/// callback's code, or anything a client puts there — with anything shaped like an identity code
/// in the path masked.
pub struct RequestSpan;

/// The request's target as logged: its path, identity-code-shaped parts masked, no query.
pub fn logged_target(path: &str) -> String {
    crate::domain::hetu::mask_codes(path, "***")
}

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> tracing::Span {
        request.extensions_mut().insert(RequestStarted(Instant::now()));
        let request_id = request.extensions().get::<tracing_actix_web::RequestId>().copied();
        let info = request.connection_info();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.target = %logged_target(request.path()),
            http.client_ip = %info.realip_remote_addr().unwrap_or(""),
            request_id = request_id.map(tracing::field::display),
        )
    }

    fn on_request_end<B: MessageBody>(span: tracing::Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let (status, error, route, took) = match outcome {
            Ok(response) => {
                let extensions = response.request().extensions();
                let route = extensions.get::<RouteTemplate>().map(|r| r.0.clone());
                let took = extensions.get::<RequestStarted>().map(|s| s.0.elapsed());
                (response.status(), response.response().error(), route, took)
            }
            Err(error) => (error.as_response_error().status_code(), Some(error), None, None),
        };
        let route = route.as_deref().unwrap_or("unmatched");
        let took_ms = took.map(|t| t.as_secs_f64() * 1000.0);
        if status.is_server_error() {
            let error = error.map(|e| e.to_string());
            tracing::error!(parent: &span, http.route = route, http.status_code = status.as_u16(), took_ms, exception.message = error.as_deref(), "request failed");
        } else {
            tracing::info!(parent: &span, http.route = route, http.status_code = status.as_u16(), took_ms, "request");
        }
    }
}
