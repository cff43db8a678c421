//! `POST /api/v1/lint`: findings for CI, nothing stored.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::analysis;
use super::format::{Output, negotiate};
use crate::dockerfile::{self, ParseOptions};
use crate::lint::format::{self, FileReport, Format, RenderOptions};
use crate::lint::{Finding, findings_json, lint};
use crate::model::Model;
use crate::report::InputError;
use crate::web::input::{AnalyzeRequest, TextParams, read_request};
use crate::web::problem::{ApiError, Problem};
use crate::web::state::AppState;

/// Lints a Dockerfile.
#[utoipa::path(
    post,
    path = "/api/v1/lint", operation_id = "lint",
    tag = "engine",
    params(
        TextParams,
        ("format" = Option<String>, Query, pattern = "^(json|sarif|text)?$",
            description = "`json` (default), `sarif` or `text`; `Accept: application/sarif+json` or `text/plain` work too")
    ),
    request_body(
        description = "JSON, or the raw Dockerfile as text/plain",
        content((AnalyzeRequest = "application/json"), (String = "text/plain"))
    ),
    responses(
        (status = 200, description = "Findings (JSON array, SARIF with `format=sarif` or `Accept: application/sarif+json` with absolute rule links as `getReport`'s, or text)",
            content((Vec<Finding> = "application/json"), (Object = "application/sarif+json"), (String = "text/plain"))),
        (status = 400, description = "Empty or unparseable Dockerfile", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` allows none of the representations (and no `format=` was given)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor text", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many analyses at once", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Valid JSON with wrong fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lint_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<TextParams>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let params = params
        .map(|Query(p)| p)
        .map_err(|e| ApiError::BadQuery(e.body_text()))?;
    let output = negotiate(
        &headers,
        params.format.as_deref(),
        &[Output::Json, Output::Sarif, Output::Text],
    )?;
    let request = read_request(&headers, params, body, state.config().max_body_bytes).await?;
    let limit = state.config().max_body_bytes;
    let config = request.lint_config(&state.config().lint);
    let name = request.name.clone().unwrap_or_else(|| "Dockerfile".into());
    let rules_url = state
        .config()
        .rules_url(headers.get(header::HOST).and_then(|v| v.to_str().ok()));
    let input_len = request.input_len();
    let result = analysis::run(
        &state,
        "lint",
        input_len,
        move || -> Result<(Vec<Finding>, String), InputError> {
            let doc =
                dockerfile::parse_bytes(&request.dockerfile, &ParseOptions { max_bytes: limit })?;
            crate::report::check_limits(&doc)?;
            let findings = lint(&Model::build(&doc), &config);
            Ok((findings, doc.source))
        },
    )
    .await?;
    let (findings, source) = result?;
    let files = [FileReport {
        path: &name,
        source: Some(&source),
        findings: &findings,
    }];
    let render = |f: Format, content_type: &'static str| -> Response {
        let body = format::render(
            f,
            &files,
            &RenderOptions {
                color: false,
                rules_url: rules_url.clone(),
            },
        );
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    Ok(match output {
        Output::Sarif => render(Format::Sarif, "application/sarif+json"),
        Output::Text | Output::Dockerfile => render(Format::Tty, "text/plain; charset=utf-8"),
        Output::Json => {
            let body = findings_json(&findings);
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
    })
}
