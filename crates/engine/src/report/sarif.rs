//! A report's findings as SARIF 2.1.0, for code scanning.

use super::Report;
use crate::lint::format::{self, FileReport, Format, RenderOptions};

/// The SARIF log of a report; rule links point at `rules_url` + code.
pub fn render(report: &Report, rules_url: &str) -> String {
    let path = report.name.as_deref().unwrap_or("Dockerfile");
    let files = [FileReport {
        path,
        source: Some(&report.dockerfile),
        findings: &report.findings,
    }];
    format::render(
        Format::Sarif,
        &files,
        &RenderOptions {
            color: false,
            rules_url: rules_url.to_string(),
        },
    )
}
