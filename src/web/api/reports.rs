//! `/api/v1/reports`: analyse and keep, read back in every format, list,
//! delete.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::analysis;
use super::format::{Output, negotiate};
use crate::report::redact::Secrets;
use crate::report::{self, Report};
use crate::store::{ListQuery, Page, StoredReport, rfc3339};
use crate::web::auth::authorize;
use crate::web::input::{AnalyzeRequest, TextParams, read_request};
use crate::web::problem::{ApiError, Problem};
use crate::web::state::AppState;

/// What a stored report's JSON starts with.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Head {
    /// The report's id (128 random bits, hex).
    pub id: String,
    /// When it was stored (RFC 3339).
    pub created_at: String,
    /// Where it and its parts live.
    pub links: Links,
}

/// Where a stored report and its parts live.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Links {
    /// The report as JSON, SARIF or text.
    #[serde(rename = "self")]
    #[schema(rename = "self")]
    pub this: String,
    /// The report's page.
    pub html: String,
    /// The converted Dockerfile; only when the report has one (otherwise
    /// that address answers 404).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
}

/// A stored report as JSON, as its creation and its `GET` answer it: its
/// id, time and links, then the report's fields.
// Only the answers' schema: `document` splices the stored JSON instead of
// building this.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoredReportJson {
    /// Id, time and links.
    #[serde(flatten)]
    pub head: Head,
    /// The report.
    #[serde(flatten)]
    pub report: Report,
}

/// The JSON document of a stored report: the report with its id, time and
/// links first. The stored JSON is spliced in as it is, not parsed again.
pub fn document(stored: &StoredReport) -> Result<String, ApiError> {
    let unreadable =
        || ApiError::Internal("a stored report is unreadable: not a JSON object".into());
    let fields = stored
        .json
        .trim_start()
        .strip_prefix('{')
        .ok_or_else(unreadable)?;
    let head = serde_json::to_string(&Head {
        id: stored.id.clone(),
        created_at: rfc3339(stored.created_at),
        links: Links {
            this: format!("/api/v1/reports/{}", stored.id),
            html: format!("/r/{}", stored.id),
            dockerfile: stored
                .has_dockerfile
                .then(|| format!("/api/v1/reports/{}/dockerfile", stored.id)),
        },
    })
    .map_err(|e| ApiError::Internal(format!("a report's head does not serialise: {e}")))?;
    let head = head.strip_suffix('}').ok_or_else(unreadable)?;
    let comma = if fields.trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    Ok(format!("{head}{comma}{fields}"))
}

/// A JSON body that is already serialised.
fn json_body(json: String) -> Response {
    text(json, "application/json")
}

fn query_params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::BadQuery(e.body_text()))
}

/// Analyses a Dockerfile and stores the report.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    operation_id = "createReport",
    tag = "reports",
    params(
        TextParams,
        ("format" = Option<String>, Query, pattern = "^(json)?$",
            description = "`json` only: SARIF and text are the new report's `Location` with `?format=`")
    ),
    request_body(
        description = "JSON, or the raw Dockerfile as text/plain with options in the query string",
        content(
            (AnalyzeRequest = "application/json"),
            (String = "text/plain")
        )
    ),
    responses(
        (status = 201, description = "Stored; `Location` names it", body = StoredReportJson,
            headers(("Location" = String, description = "The report's path, `/api/v1/reports/{id}`")),
            links(
                ("GetReport" = (operation_id = "getReport", parameters(("id" = "$response.body#/id")),
                    description = "The stored report, as JSON, SARIF or text")),
                ("GetReportDockerfile" = (operation_id = "getReportDockerfile", parameters(("id" = "$response.body#/id")),
                    description = "The converted Dockerfile")),
                ("DeleteReport" = (operation_id = "deleteReport", parameters(("id" = "$response.body#/id")),
                    description = "Deletes the report"))
            )),
        (status = 400, description = "Empty or unparseable Dockerfile, malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token is required", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor text", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Valid JSON with wrong fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests at once", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<TextParams>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers).await?;
    let params = query_params(params)?;
    // The answer is the stored report's JSON; SARIF and text are its
    // `Location` with `?format=`. Asking for them here is refused rather
    // than ignored.
    if let Some(format) = params
        .format
        .as_deref()
        .filter(|f| !f.is_empty() && *f != "json")
    {
        return Err(ApiError::BadQuery(format!(
            "format `{format}`: a new report is answered as JSON; ask its Location for `?format={format}`"
        )));
    }
    let request = read_request(&headers, params, body, state.config().max_body_bytes).await?;
    let redact = request.options.redact;
    let inputs = request.inputs();
    let report = analysis::report(&state, request).await?;
    let secrets = if redact { Secrets::Mask } else { Secrets::Keep };
    let stored = state.store().insert(&report, &inputs, secrets).await?;
    metrics::counter!("restage_reports_created_total").increment(1);
    let location = format!("/api/v1/reports/{}", stored.id);
    let mut response = (StatusCode::CREATED, json_body(document(&stored)?)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// `?format=` of a report.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormatParam {
    /// `json` (default), `sarif` or `text`; the `Accept` header works too.
    #[param(pattern = "^(json|sarif|text)?$")]
    pub format: Option<String>,
}

async fn load(state: &AppState, id: &str) -> Result<StoredReport, ApiError> {
    state
        .store()
        .get(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no report `{id}`")))
}

/// The `Host` a request was sent to, if it is text.
fn host(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST).and_then(|v| v.to_str().ok())
}

fn text(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A stored report as JSON, SARIF or text.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}",
    operation_id = "getReport",
    tag = "reports",
    params(("id" = String, Path, description = "The report id"), FormatParam),
    responses(
        (status = 200, description = "The report: JSON, SARIF with `format=sarif` or `Accept: application/sarif+json` (its rule links are absolute: the public URL, else `http://` and the request's `Host`), or text with `format=text` or `Accept: text/plain`",
            content((StoredReportJson = "application/json"), (Object = "application/sarif+json"), (String = "text/plain"))),
        (status = 400, description = "Unknown format or query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` allows none of the representations (and no `format=` was given)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    params: Result<Query<FormatParam>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = query_params(params)?;
    let output = negotiate(
        &headers,
        params.format.as_deref(),
        &[Output::Json, Output::Sarif, Output::Text],
    )?;
    let stored = load(&state, &id).await?;
    Ok(match output {
        Output::Sarif => {
            let report = stored.report()?;
            text(
                report::sarif::render(&report, &state.config().rules_url(host(&headers))),
                "application/sarif+json",
            )
        }
        Output::Text | Output::Dockerfile => {
            let report = stored.report()?;
            text(report::text::render(&report), "text/plain; charset=utf-8")
        }
        Output::Json => json_body(document(&stored)?),
    })
}

/// A route that takes no query parameters: any is refused, as on the
/// routes that take some.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// The converted Dockerfile of a stored report.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}/dockerfile",
    operation_id = "getReportDockerfile",
    tag = "reports",
    params(("id" = String, Path, description = "The report id")),
    responses(
        (status = 200, description = "The multi-stage Dockerfile", body = String, content_type = "text/plain"),
        (status = 400, description = "A query parameter (this address takes none)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or restage could not convert it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn dockerfile(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Result<Query<NoParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    query_params(params)?;
    let report = load(&state, &id).await?.report()?;
    match (report.conversion, report.refusal) {
        (Some(c), _) => Ok(text(c.dockerfile, "text/plain; charset=utf-8")),
        (None, Some(r)) => Err(ApiError::NotFound(format!(
            "report `{id}` has no converted Dockerfile: {}",
            r.reason
        ))),
        (None, None) => Err(ApiError::NotFound(format!(
            "report `{id}` has no converted Dockerfile"
        ))),
    }
}

/// List parameters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Search names, strategies, ecosystems and rule codes.
    pub q: Option<String>,
    /// Only this ecosystem (`python`, `go`, …); `unknown` for the reports
    /// whose ecosystem restage did not recognise (`summary.ecosystem` is
    /// `null` in their JSON, "unknown" in the UI and the text report).
    pub ecosystem: Option<String>,
}

/// Report summaries, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/reports",
    operation_id = "listReports",
    tag = "reports",
    params(ListParams),
    responses(
        (status = 200, description = "A page", body = Page),
        (status = 400, description = "Bad cursor or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token is required", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page>, ApiError> {
    authorize(&state, &headers).await?;
    let p = query_params(params)?;
    if let Some(limit) = p.limit
        && !(1..=crate::store::MAX_PAGE).contains(&limit)
    {
        return Err(ApiError::BadQuery(format!(
            "limit must be 1 to {}, not {limit}",
            crate::store::MAX_PAGE
        )));
    }
    let page = state
        .store()
        .list(&ListQuery {
            limit: p.limit.unwrap_or(20),
            // An empty value (`?cursor=` for the first page) is no value.
            cursor: p.cursor.filter(|c| !c.is_empty()),
            q: p.q.filter(|q| !q.is_empty()),
            ecosystem: p.ecosystem.filter(|e| !e.is_empty()),
        })
        .await?;
    Ok(Json(page))
}

/// Deletes a report.
#[utoipa::path(
    delete,
    path = "/api/v1/reports/{id}",
    operation_id = "deleteReport",
    tag = "reports",
    params(("id" = String, Path, description = "The report id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "A token is required", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    authorize(&state, &headers).await?;
    if state.store().delete(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("there is no report `{id}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(json: &str) -> StoredReport {
        StoredReport {
            id: "0123456789abcdef0123456789abcdef".into(),
            created_at: 0,
            json: json.into(),
            has_dockerfile: true,
        }
    }

    #[test]
    fn the_document_is_the_stored_report_with_id_time_and_links_first() {
        let doc = document(&stored(r#"{"name":"a \"b\"","findings":[]}"#)).expect("document");
        assert!(
            doc.starts_with(r#"{"id":"0123456789abcdef0123456789abcdef","#),
            "{doc}"
        );
        let value: serde_json::Value = serde_json::from_str(&doc).expect("valid JSON");
        assert_eq!(value["name"], "a \"b\"");
        assert_eq!(value["created_at"], "1970-01-01T00:00:00.000Z");
        assert_eq!(
            value["links"]["dockerfile"],
            "/api/v1/reports/0123456789abcdef0123456789abcdef/dockerfile"
        );
        let empty = document(&stored("{}")).expect("document");
        assert!(
            serde_json::from_str::<serde_json::Value>(&empty).is_ok(),
            "{empty}"
        );
        assert!(document(&stored("[1]")).is_err());
        let refused = document(&StoredReport {
            has_dockerfile: false,
            ..stored("{}")
        })
        .expect("document");
        let value: serde_json::Value = serde_json::from_str(&refused).expect("valid JSON");
        assert!(value["links"].get("dockerfile").is_none(), "{refused}");
        assert!(value["links"].get("self").is_some(), "{refused}");
    }
}
