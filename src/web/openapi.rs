//! The OpenAPI 3.1 document, generated from the handlers and types.

use axum::Json;
use utoipa::OpenApi;

use super::api;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "restage",
        description = "Lint Dockerfiles, convert them into lean multi-stage builds, estimate image sizes, keep the reports.",
        license(name = "Apache-2.0")
    ),
    paths(
        api::reports::create,
        api::reports::get,
        api::reports::dockerfile,
        api::reports::list,
        api::reports::delete,
        api::lint::lint_handler,
        api::convert::convert_handler,
        api::rules::list,
        api::rules::get,
        api::images::list,
        api::health::healthz,
        api::health::readyz,
        api::health::metrics,
    ),
    tags(
        (name = "reports", description = "Analyse and keep reports"),
        (name = "engine", description = "Lint or convert without storing"),
        (name = "rules", description = "Rule documentation"),
        (name = "sizes", description = "The base image catalog behind the size estimates"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
