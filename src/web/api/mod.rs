//! The REST API v1 and the operational endpoints.

pub(crate) mod analysis;
pub mod convert;
mod format;
pub mod health;
pub mod images;
pub mod lint;
pub mod reports;
pub mod rules;

use axum::Router;
use axum::routing::{get, post};

use super::state::AppState;

/// Routes that run the engine (limited in concurrency by the caller).
pub fn engine_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports", post(reports::create).get(reports::list))
        .route("/api/v1/lint", post(lint::lint_handler))
        .route("/api/v1/convert", post(convert::convert_handler))
}

/// Routes that only read.
pub fn read_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/reports/{id}",
            get(reports::get).delete(reports::delete),
        )
        .route("/api/v1/reports/{id}/dockerfile", get(reports::dockerfile))
        .route("/api/v1/rules", get(rules::list))
        .route("/api/v1/rules/{code}", get(rules::get))
        .route("/api/v1/images", get(images::list))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
}
