//! Liveness, readiness and metrics.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::web::problem::{ApiError, Problem};
use crate::web::state::AppState;

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready: the database answers and the service is not shutting down.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = String, content_type = "text/plain"),
        (status = 503, description = "Not ready", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    if state.shutting_down() {
        return Err(ApiError::ShuttingDown);
    }
    state.store().ping().await.map_err(|e| {
        tracing::warn!(error = %e, "database not ready");
        ApiError::Unavailable("the database does not answer".into())
    })?;
    Ok("ready\n")
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state.metrics().render();
    if let Ok(n) = state.store().count().await {
        body.push_str(&format!(
            "# HELP restage_reports_stored Reports in the database.\n# TYPE restage_reports_stored gauge\nrestage_reports_stored {n}\n"
        ));
    }
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
