//! `POST /api/v1/convert`: the multi-stage Dockerfile, nothing stored.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::analysis;
use super::format::{Output, negotiate};
use crate::convert::{Conversion, Evidence, Outcome, Refusal, convert_model_with_manifests};
use crate::dockerfile::{self, ParseOptions};
use crate::model::Model;
use crate::report::InputError;
use crate::size::{Catalog, SizeOptions, SizeReport, size_report};
use crate::web::input::{AnalyzeRequest, Request, TextParams, read_request};
use crate::web::problem::{ApiError, Problem};
use crate::web::state::AppState;

/// The answer of `POST /api/v1/convert` in JSON.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConvertResponse {
    /// The conversion, when restage could make one.
    pub conversion: Option<Conversion>,
    /// Why not, when it could not.
    pub refusal: Option<Refusal>,
    /// What the strategy detected.
    pub evidence: Vec<Evidence>,
    /// Size estimates of the input and of the conversion (with the
    /// request's manifests).
    pub size: SizeReport,
}

/// Converts a Dockerfile into a multi-stage build.
#[utoipa::path(
    post,
    path = "/api/v1/convert", operation_id = "convert",
    tag = "engine",
    params(
        TextParams,
        ("format" = Option<String>, Query, pattern = "^(json|dockerfile)?$",
            description = "`json` (default) or `dockerfile`; `Accept: text/plain` works too")
    ),
    request_body(
        description = "JSON, or the raw Dockerfile as text/plain",
        content((AnalyzeRequest = "application/json"), (String = "text/plain"))
    ),
    responses(
        (status = 200, description = "The conversion (JSON), or the Dockerfile itself with `format=dockerfile` or `Accept: text/plain`",
            content((ConvertResponse = "application/json"), (String = "text/plain"))),
        (status = 400, description = "Empty or unparseable Dockerfile", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` allows none of the representations (and no `format=` was given)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor text", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many analyses at once", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Valid JSON with wrong fields; or, for the Dockerfile format, restage cannot convert it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn convert_handler(
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
        &[Output::Json, Output::Dockerfile],
    )?;
    let request = read_request(&headers, params, body, state.config().max_body_bytes).await?;
    let limit = state.config().max_body_bytes;
    let options = request.convert_options();
    let catalog = state.config().catalog.clone();
    let input_len = request.input_len();
    let (outcome, size) = analysis::run(
        &state,
        "convert",
        input_len,
        move || -> Result<_, InputError> {
            let doc =
                dockerfile::parse_bytes(&request.dockerfile, &ParseOptions { max_bytes: limit })?;
            crate::report::check_limits(&doc)?;
            let model = Model::build(&doc);
            let outcome = convert_model_with_manifests(&doc, &model, &options, &request.manifests);
            let size = sizes(&model, outcome.as_ref().ok(), &request, catalog);
            Ok((outcome, size))
        },
    )
    .await??;
    match (output, outcome) {
        (Output::Dockerfile, Ok(o)) => {
            let mut response = o.conversion.dockerfile.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            Ok(response)
        }
        (Output::Dockerfile, Err(r)) => Err(ApiError::NotConvertible(r.reason, r.line, r.column)),
        (_, Ok(o)) => Ok(Json(ConvertResponse {
            conversion: Some(o.conversion),
            refusal: None,
            evidence: o.evidence,
            size,
        })
        .into_response()),
        (_, Err(r)) => Ok(Json(ConvertResponse {
            conversion: None,
            refusal: Some(r),
            evidence: Vec::new(),
            size,
        })
        .into_response()),
    }
}

/// Sizes the input and the conversion with the request's manifests.
fn sizes(
    model: &Model<'_>,
    outcome: Option<&Outcome>,
    request: &Request,
    catalog: Catalog,
) -> SizeReport {
    let options = SizeOptions {
        manifests: request
            .manifests
            .iter()
            .map(|(name, text)| (name.clone(), text.clone()))
            .collect(),
        catalog,
    };
    let converted = outcome
        .map(|o| &o.conversion)
        .filter(|c| !c.unchanged)
        .and_then(|c| dockerfile::parse(&c.dockerfile).ok());
    let after = converted.as_ref().map(Model::build);
    size_report(model, after.as_ref(), &options)
}
