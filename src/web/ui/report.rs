//! `/r/{id}`: one report — the summary band, the findings linked to their
//! lines in a highlighted view of the original, the conversion beside the
//! original as a diff, the change log with reasons, the assumptions, and a
//! form to run it again with other options. `/r/{id}/Dockerfile`
//! downloads the conversion.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::diff::{Row, Stats, side_by_side};
use super::form::{FormInput, RUNTIMES};
use super::highlight::{Line, highlight};
use super::sizes::{SizeView, TRUST_LEGEND, view};
use super::{Layout, UiError, render};
use crate::convert::RuntimePreference;
use crate::dockerfile::parse;
use crate::lint::Finding;
use crate::report::{Report, SeverityCounts};
use crate::size::render::thousands;
use crate::store::{StoredReport, for_people, rfc3339};
use crate::web::problem::ApiError;
use crate::web::state::AppState;

/// How many findings of one rule the page lists; the rest are counted
/// (the text report and the JSON have them all).
pub const FINDINGS_PER_RULE: usize = 25;

/// The most findings the page lists in all.
pub const FINDINGS_SHOWN: usize = 250;

/// A finding as the page shows it.
pub struct FindingView {
    severity: &'static str,
    code: String,
    name: String,
    message: String,
    line: usize,
    column: usize,
    /// How to fix it, with `code` in backticks.
    fix: Option<String>,
    /// The instruction as the fix would write it, when it is mechanical.
    replacement: Option<String>,
}

/// The findings of one rule the page does not list.
pub struct HiddenFindings {
    code: String,
    /// How many are not listed, `1,975`.
    count: String,
    /// How many the rule reported in all, `2,000`.
    total: String,
}

/// The findings the page lists, and per rule how many it leaves out.
struct FindingsView {
    shown: Vec<FindingView>,
    hidden: Vec<HiddenFindings>,
}

fn finding_view(f: &Finding) -> FindingView {
    FindingView {
        severity: f.severity.as_str(),
        code: f.code.clone(),
        name: f.name.clone(),
        message: f.message.clone(),
        line: f.line,
        column: f.column,
        fix: f.fix.as_ref().map(|x| x.title.clone()),
        replacement: f.fix.as_ref().and_then(|x| x.replacement.clone()),
    }
}

/// The first [`FINDINGS_PER_RULE`] findings of each rule, at most
/// [`FINDINGS_SHOWN`] in all, in the report's order; a small report is
/// listed whole.
fn findings_view(findings: &[Finding]) -> FindingsView {
    // Per rule, in order of first appearance: (code, listed, total).
    let mut per_rule: Vec<(&str, usize, usize)> = Vec::new();
    let mut shown = Vec::new();
    for f in findings {
        let slot = match per_rule.iter().position(|(c, _, _)| *c == f.code) {
            Some(i) => i,
            None => {
                per_rule.push((f.code.as_str(), 0, 0));
                per_rule.len() - 1
            }
        };
        let Some((_, listed, total)) = per_rule.get_mut(slot) else {
            continue;
        };
        *total += 1;
        if *listed < FINDINGS_PER_RULE && shown.len() < FINDINGS_SHOWN {
            *listed += 1;
            shown.push(finding_view(f));
        }
    }
    let hidden = per_rule
        .into_iter()
        .filter(|(_, listed, total)| listed < total)
        .map(|(code, listed, total)| HiddenFindings {
            code: code.to_string(),
            count: thousands((total - listed) as u64),
            total: thousands(total as u64),
        })
        .collect();
    FindingsView { shown, hidden }
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
    /// Every finding's count, `6,000`.
    total_findings: String,
    findings: Vec<FindingView>,
    hidden_findings: Vec<HiddenFindings>,
    per_rule: usize,
    shown_max: usize,
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
    trust_legend: &'static [(&'static str, &'static str)],
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
    let findings = findings_view(&report.findings);
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
        total_findings: thousands(report.findings.len() as u64),
        findings: findings.shown,
        hidden_findings: findings.hidden,
        per_rule: FINDINGS_PER_RULE,
        shown_max: FINDINGS_SHOWN,
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
        trust_legend: &TRUST_LEGEND,
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

/// Options for the "Run again" form carried in the page's address: a
/// team instance sends a "Run again" without a session to sign in, and
/// back here with what was chosen, so that nothing is lost.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RerunChoice {
    runtime: Option<String>,
    user: Option<String>,
    cache_mounts: Option<String>,
}

impl RerunChoice {
    /// The address of report `id`'s form with `choice` filled in.
    pub fn page_address(id: &str, choice: &FormInput) -> String {
        let mut address = format!(
            "/r/{id}?runtime={}&user={}",
            super::urlencoding(&choice.runtime),
            super::urlencoding(&choice.user)
        );
        if choice.cache_mounts {
            address.push_str("&cache_mounts=on");
        }
        address.push_str("#rerun");
        address
    }

    /// Puts the carried choices on the form when they are a choice: a
    /// runtime the form offers (every carried address has one), the user
    /// only as long as the field takes, and the checkbox as sent.
    fn apply(self, form: &mut FormInput) {
        let Some(runtime) = self
            .runtime
            .filter(|r| RUNTIMES.iter().any(|(v, _)| v == r))
        else {
            return;
        };
        form.runtime = runtime;
        form.user = self
            .user
            .map(|u| u.trim().chars().take(64).collect())
            .unwrap_or_default();
        form.cache_mounts = self.cache_mounts.as_deref() == Some("on");
    }
}

/// `GET /r/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    choice: Result<Query<RerunChoice>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, UiError> {
    let (stored, report) = load(&state, &id).await?;
    let mut page = build(&stored, report, &state.config().public_url);
    // A query that is not a choice is ignored, as an address's extra
    // parameters are.
    if let Ok(Query(choice)) = choice {
        choice.apply(&mut page.rerun);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Severity;
    use crate::lint::rule::Origin;

    fn finding(code: &str, line: usize) -> Finding {
        Finding {
            code: code.into(),
            aliases: Vec::new(),
            name: code.to_lowercase(),
            origin: Origin::Hadolint,
            severity: Severity::Warning,
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            message: "m".into(),
            fix: None,
        }
    }

    #[test]
    fn a_small_report_lists_every_finding() {
        let all: Vec<Finding> = (1..=FINDINGS_PER_RULE)
            .map(|l| finding("DL3008", l))
            .chain([finding("DL3009", 1)])
            .collect();
        let view = findings_view(&all);
        assert_eq!(view.shown.len(), all.len());
        assert!(view.hidden.is_empty());
    }

    #[test]
    fn repeated_findings_are_capped_per_rule_and_counted() {
        let mut all: Vec<Finding> = Vec::new();
        for line in 1..=2000 {
            all.push(finding("DL3008", line));
            all.push(finding("DL3009", line));
            all.push(finding("DL3015", line));
        }
        all.push(finding("DL3000", 9));
        let view = findings_view(&all);
        assert_eq!(view.shown.len(), 3 * FINDINGS_PER_RULE + 1);
        assert!(view.shown.iter().any(|f| f.code == "DL3000"));
        let hidden: Vec<(&str, &str, &str)> = view
            .hidden
            .iter()
            .map(|h| (h.code.as_str(), h.count.as_str(), h.total.as_str()))
            .collect();
        assert_eq!(
            hidden,
            vec![
                ("DL3008", "1,975", "2,000"),
                ("DL3009", "1,975", "2,000"),
                ("DL3015", "1,975", "2,000")
            ]
        );
    }

    #[test]
    fn many_rules_are_capped_in_all() {
        let all: Vec<Finding> = (0..1000)
            .flat_map(|r| (1..=3).map(move |l| finding(&format!("R{r}"), l)))
            .collect();
        let view = findings_view(&all);
        assert_eq!(view.shown.len(), FINDINGS_SHOWN);
        let hidden: usize = view
            .hidden
            .iter()
            .map(|h| h.count.replace(',', "").parse::<usize>().unwrap_or(0))
            .sum();
        assert_eq!(view.shown.len() + hidden, all.len());
    }
}
