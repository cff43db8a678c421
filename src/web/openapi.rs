//! The OpenAPI 3.1 document, generated from the handlers and types.

use std::sync::OnceLock;

use axum::Json;
use serde_json::Value;
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
    modifiers(&CommonAnswers),
    tags(
        (name = "reports", description = "Analyse and keep reports"),
        (name = "engine", description = "Lint or convert without storing"),
        (name = "rules", description = "Rule documentation"),
        (name = "sizes", description = "The base image catalog behind the size estimates"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

/// Answers any operation can give, whatever it does: the request ran out of
/// time (408), or the service is stopping or holds as many connections as
/// it takes (503). Each is a problem body.
struct CommonAnswers;

impl utoipa::Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                for (status, description) in [
                    ("408", "The request took longer than the service allows"),
                    (
                        "503",
                        "The service is shutting down, or holds as many connections as it takes",
                    ),
                ] {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/problem+json",
                                    Content::new(Some(Ref::from_schema_name("Problem"))),
                                )
                                .build()
                                .into()
                        });
                }
            }
        }
    }
}

/// `GET /api/openapi.json`: the document, built on first use.
pub async fn document() -> Json<&'static Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(DOCUMENT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the OpenAPI document does not serialise");
            Value::Null
        });
        camel_case_links(&mut doc);
        doc
    }))
}

/// utoipa 5 writes a response link's fields in snake case
/// (`operation_id`); OpenAPI spells them `operationId`, `operationRef` and
/// `requestBody`, and tools that follow links read only those.
fn camel_case_links(doc: &mut Value) {
    let operations = doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|operations| operations.values_mut());
    let links = operations
        .filter_map(|operation| operation.get_mut("responses"))
        .filter_map(Value::as_object_mut)
        .flat_map(|responses| responses.values_mut())
        .filter_map(|response| response.get_mut("links"))
        .filter_map(Value::as_object_mut)
        .flat_map(|links| links.values_mut())
        .filter_map(Value::as_object_mut);
    for link in links {
        for (snake, camel) in [
            ("operation_id", "operationId"),
            ("operation_ref", "operationRef"),
            ("request_body", "requestBody"),
        ] {
            if let Some(value) = link.remove(snake) {
                link.insert(camel.to_string(), value);
            }
        }
    }
}
