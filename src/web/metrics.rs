//! Prometheus metrics: requests and latency by route and status, analysis
//! time, reports stored.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;

/// Latency buckets in seconds (1 ms to 10 s).
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide recorder's handle (installed on first use; `None` if
/// another recorder was installed first).
pub fn handle() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .clone()
}

/// Records every request: `http_requests_total` and
/// `http_request_duration_seconds` by method, route and status.
pub async fn track(State(_): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

/// Records the time one analysis took.
pub fn analysis_time(kind: &'static str, seconds: f64) {
    metrics::histogram!("restage_analysis_seconds", "kind" => kind).record(seconds);
}

/// Counts an analysis sent to the blocking pool because another one had
/// been running on a runtime thread for too long.
pub fn analysis_moved_off_runtime() {
    metrics::counter!("restage_analyses_moved_off_runtime_total").increment(1);
}

/// Counts a connection refused for being over the connection limit.
pub fn refused_connection() {
    metrics::counter!("restage_connections_refused_total").increment(1);
}
