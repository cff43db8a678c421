//! `/r/{id}`: one report — the summary band, the findings linked to their
//! lines in a highlighted view of the original, the conversion beside the
//! original as a diff, the change log with reasons, the assumptions, and a
//! form to run it again with other options. `/r/{id}/Dockerfile`
//! downloads the conversion.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::diff::{Row, Stats, side_by_side};
use super::form::{FormInput, RUNTIMES};
use super::highlight::{Line, highlight};
use super::sizes::{SizeView, view};
use super::{Layout, UiError, render};
use crate::convert::RuntimePreference;
use crate::dockerfile::parse;
use crate::report::{Report, SeverityCounts};
use crate::store::{StoredReport, for_people, rfc3339};
use crate::web::problem::ApiError;
use crate::web::state::AppState;

/// A finding as the page shows it.
pub struct FindingView {
    severity: &'static str,
    code: String,
    name: String,
    message: String,
    line: usize,
    column: usize,
}

/// A change of the conversion as the page shows it.
pub struct ChangeView {
    kind: String,
    summary: String,
    reason: String,
    source_lines: Vec<usize>,
    output_lines: Vec<usize>,
}

/// The report page.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    layout: Layout,
    id: String,
    permalink: String,
    created: String,
    name: Option<String>,
    ecosystem: String,
    strategy: String,
    confidence: String,
    converted: bool,
    unchanged: bool,
    counts: SeverityCounts,
    findings: Vec<FindingView>,
    original: Vec<Line>,
    conversion: Option<String>,
    diff: Vec<Row>,
    diff_stats: Stats,
    changes: Vec<ChangeView>,
    assumptions: Vec<String>,
    warnings: Vec<String>,
    refusal: Option<String>,
    evidence: Vec<(usize, String)>,
    size: Option<SizeView>,
    rerun: FormInput,
    runtimes: &'static [(&'static str, &'static str)],
}

impl ReportPage {
    fn runtime_selected(&self, value: &str) -> bool {
        self.rerun.runtime == value
    }
}

fn runtime_value(r: RuntimePreference) -> &'static str {
    match r {
        RuntimePreference::Auto => "auto",
        RuntimePreference::Slim => "slim",
        RuntimePreference::Alpine => "alpine",
        RuntimePreference::Distroless => "distroless",
        RuntimePreference::Scratch => "scratch",
    }
}

fn kebab<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The page for a stored report; `public_url` prefixes the permanent link.
pub fn build(stored: &StoredReport, report: Report, public_url: &str) -> ReportPage {
    let doc = parse(&report.dockerfile).ok();
    let mut flagged: Vec<usize> = report.findings.iter().map(|f| f.line).collect();
    flagged.sort_unstable();
    flagged.dedup();
    let original = highlight(&report.dockerfile, doc.as_ref(), &flagged);
    let (diff, diff_stats) = match &report.conversion {
        Some(c) => side_by_side(&report.dockerfile, &c.dockerfile),
        None => (Vec::new(), Stats::default()),
    };
    let title = report
        .name
        .clone()
        .unwrap_or_else(|| format!("Report {}", stored.id.get(..8).unwrap_or(&stored.id)));
    let conversion = report.conversion.as_ref();
    ReportPage {
        layout: Layout::new(title, ""),
        id: stored.id.clone(),
        permalink: format!("{}/r/{}", public_url.trim_end_matches('/'), stored.id),
        created: for_people(&rfc3339(stored.created_at)),
        name: report.name.clone(),
        ecosystem: report
            .summary
            .ecosystem
            .map_or_else(|| "unknown".to_string(), |e| e.name().to_string()),
        strategy: report.summary.strategy.clone().unwrap_or_default(),
        confidence: conversion.map(|c| kebab(&c.confidence)).unwrap_or_default(),
        converted: report.summary.converted,
        unchanged: conversion.is_some_and(|c| c.unchanged),
        counts: report.summary.findings,
        findings: report
            .findings
            .iter()
            .map(|f| FindingView {
                severity: f.severity.as_str(),
                code: f.code.clone(),
                name: f.name.clone(),
                message: f.message.clone(),
                line: f.line,
                column: f.column,
            })
            .collect(),
        original,
        conversion: conversion.map(|c| c.dockerfile.clone()),
        diff,
        diff_stats,
        changes: conversion
            .map(|c| {
                c.changes
                    .iter()
                    .map(|ch| ChangeView {
                        kind: kebab(&ch.kind),
                        summary: ch.summary.clone(),
                        reason: ch.reason.clone(),
                        source_lines: ch.source_lines.clone(),
                        output_lines: ch.output_lines.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        assumptions: conversion
            .map(|c| c.assumptions.clone())
            .unwrap_or_default(),
        warnings: conversion.map(|c| c.warnings.clone()).unwrap_or_default(),
        refusal: report.refusal.as_ref().map(|r| r.reason.clone()),
        evidence: report
            .evidence
            .iter()
            .map(|e| (e.line, e.fact.clone()))
            .collect(),
        size: report.size.as_ref().map(view),
        rerun: FormInput {
            runtime: runtime_value(report.options.runtime).to_string(),
            user: report.options.user.clone().unwrap_or_default(),
            cache_mounts: report.options.cache_mounts,
            ..FormInput::default()
        },
        runtimes: &RUNTIMES,
    }
}

async fn load(state: &AppState, id: &str) -> Result<(StoredReport, Report), UiError> {
    let missing = || {
        UiError::NotFound(format!(
            "There is no report {id}. It may have been deleted."
        ))
    };
    if !crate::store::is_id(id) {
        return Err(missing());
    }
    let stored = state
        .store()
        .get(id)
        .await
        .map_err(|e| UiError::from(ApiError::from(e)))?
        .ok_or_else(missing)?;
    let report = stored
        .report()
        .map_err(|e| UiError::from(ApiError::from(e)))?;
    Ok((stored, report))
}

/// `GET /r/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let (stored, report) = load(&state, &id).await?;
    let page = build(&stored, report, &state.config().public_url);
    Ok(render(StatusCode::OK, &page))
}

/// `GET /r/{id}/Dockerfile`: the conversion as a file to save.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let (_, report) = load(&state, &id).await?;
    let Some(conversion) = report.conversion else {
        return Err(UiError::NotFound(format!(
            "Report {id} has no converted Dockerfile: {}",
            report
                .refusal
                .map_or_else(|| "it was not converted".to_string(), |r| r.reason)
        )));
    };
    let mut response = conversion.dockerfile.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"Dockerfile\""),
    );
    Ok(response)
}
