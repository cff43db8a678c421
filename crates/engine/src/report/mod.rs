//! The whole analysis of one Dockerfile as one value: lint findings, the
//! multi-stage conversion (or why there is none) and the size estimates.
//! The CLI, the API, the store and the UI only move [`Report`]s around.

mod error;
pub mod redact;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use error::InputError;

use crate::convert::{self, Conversion, ConvertOptions, Ecosystem, Evidence, Refusal};
use crate::dockerfile::{self, Document, ParseOptions};
use crate::lint::{self, Finding, LintConfig, Severity};
use crate::model::Model;
use crate::size::{Catalog, SizeOptions, SizeReport, size_report};

/// The version of the report's JSON shape; it changes when a field changes
/// meaning or goes away (new fields do not change it).
pub const SCHEMA_VERSION: u32 = 1;

/// Everything restage says about one Dockerfile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    /// [`SCHEMA_VERSION`] of this report.
    pub schema_version: u32,
    /// The restage version that made it.
    pub restage_version: String,
    /// A name the user gave it (a path, a service name).
    pub name: Option<String>,
    /// The Dockerfile as given.
    pub dockerfile: String,
    /// The conversion options used.
    pub options: ConvertOptions,
    /// The headline figures.
    pub summary: Summary,
    /// Lint findings, in line order.
    pub findings: Vec<Finding>,
    /// The multi-stage version, when restage could make one.
    pub conversion: Option<Conversion>,
    /// Why there is no conversion, when there is none.
    pub refusal: Option<Refusal>,
    /// What the conversion strategy detected, with lines.
    pub evidence: Vec<Evidence>,
    /// Size estimates: the input's image (`before`), the converted one's
    /// (`after`) and the disk saving; absent in reports made before sizes
    /// were estimated.
    #[serde(default)]
    pub size: Option<SizeReport>,
}

impl Report {
    /// The estimated disk saving of the conversion, in percent, when both
    /// sizes are known.
    pub fn saving_percent(&self) -> Option<f64> {
        self.size.as_ref().and_then(|s| s.saving_percent)
    }
}

/// The headline figures of a report (what lists and the summary band show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    /// The ecosystem detected; `null` when restage did not recognise one
    /// (shown as "unknown").
    pub ecosystem: Option<Ecosystem>,
    /// The conversion strategy used, if any.
    pub strategy: Option<String>,
    /// Findings per severity.
    pub findings: SeverityCounts,
    /// Whether a converted Dockerfile exists (and differs from the input).
    pub converted: bool,
    /// The distinct rule codes found, sorted.
    pub rule_codes: Vec<String>,
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeverityCounts {
    /// `error` findings.
    pub error: usize,
    /// `warning` findings.
    pub warning: usize,
    /// `info` findings.
    pub info: usize,
    /// `style` findings.
    pub style: usize,
}

impl SeverityCounts {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = Self::default();
        for f in findings {
            match f.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
                Severity::Style => counts.style += 1,
            }
        }
        counts
    }

    /// All findings.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info + self.style
    }
}

/// What an analysis is asked to do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisOptions {
    /// A name for the report.
    pub name: Option<String>,
    /// Lint configuration.
    pub lint: LintConfig,
    /// Conversion options.
    pub convert: ConvertOptions,
    /// Input limits.
    pub parse: ParseOptions,
    /// Files next to the Dockerfile that decide its dependencies, by name
    /// (`requirements.txt`, `package.json`, …; a path relative to the build
    /// context is best): the size estimate uses their dependency lists.
    /// Files that are not manifests are ignored.
    pub manifests: BTreeMap<String, String>,
    /// The image catalog for the size estimate (built-in rows and a team's
    /// own, see [`Catalog::with_config`]).
    pub catalog: Catalog,
}

/// The most stages restage analyses. BuildKit has no limit, but rules
/// follow each stage's chain of parents, so thousands of stages cost
/// seconds of CPU; real multi-stage files have a few dozen.
pub const MAX_STAGES: usize = 1_000;

/// Refuses a Dockerfile beyond what restage analyses: more than
/// [`MAX_STAGES`] stages (the error names the first `FROM` over it).
pub fn check_limits(doc: &dockerfile::Document) -> Result<(), InputError> {
    match doc
        .nodes
        .iter()
        .filter(|n| n.kind == dockerfile::Keyword::From)
        .nth(MAX_STAGES)
    {
        Some(from) => Err(InputError::Invalid {
            message: format!(
                "more than {MAX_STAGES} stages: restage analyses at most {MAX_STAGES} `FROM`s"
            ),
            line: from.start_line,
            column: from.map.column,
        }),
        None => Ok(()),
    }
}

/// Reads the embedded data tables (package sizes and closures, images,
/// heuristics, runtime libraries) that the first analysis would otherwise
/// read (38 ms). The service leaves them to the first analysis: loaded,
/// they hold 15 MB, and an idle service stays under 20 MB without them.
pub fn load_tables() {
    crate::size::packages::load_tables();
    crate::size::catalog::load_table();
    crate::size::heuristics::load_table();
    crate::knowledge::packages::load_table();
}

/// Analyses a Dockerfile: lint, convert, estimate. The input must be a
/// Dockerfile BuildKit accepts; anything else is an [`InputError`] that says
/// what and where.
pub fn analyze(input: &[u8], options: &AnalysisOptions) -> Result<Report, InputError> {
    let doc = dockerfile::parse_bytes(input, &options.parse).map_err(InputError::from)?;
    if doc.nodes.is_empty() {
        return Err(InputError::Empty);
    }
    check_limits(&doc)?;
    let model = Model::build(&doc);
    let findings = lint::lint(&model, &options.lint);
    let (conversion, refusal, evidence, converted) = match convert::convert_model_with_manifests(
        &doc,
        &model,
        &options.convert,
        &options.manifests,
    ) {
        Ok(outcome) => (
            Some(outcome.conversion),
            None,
            outcome.evidence,
            outcome.parsed,
        ),
        Err(refusal) => (None, Some(refusal), Vec::new(), None),
    };
    let size = estimate_sizes(&model, converted.as_ref(), options);
    let mut rule_codes: Vec<String> = findings.iter().map(|f| f.code.clone()).collect();
    rule_codes.sort();
    rule_codes.dedup();
    let summary = Summary {
        ecosystem: conversion
            .as_ref()
            .map(|c| c.ecosystem)
            .or_else(|| refusal.as_ref().and_then(|r| r.ecosystem)),
        strategy: conversion
            .as_ref()
            .map(|c| c.strategy.clone())
            .filter(|s| s != "none"),
        findings: SeverityCounts::of(&findings),
        converted: conversion.as_ref().is_some_and(|c| !c.unchanged),
        rule_codes,
    };
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        restage_version: env!("CARGO_PKG_VERSION").to_string(),
        name: options.name.clone(),
        dockerfile: doc.source,
        options: options.convert.clone(),
        summary,
        findings,
        conversion,
        refusal,
        evidence,
        size: Some(size),
    })
}

/// Sizes the input and, when the conversion changed it, the converted
/// Dockerfile (`converted`, as the converter parsed it).
fn estimate_sizes(
    model: &Model<'_>,
    converted: Option<&Document>,
    options: &AnalysisOptions,
) -> SizeReport {
    let size_options = SizeOptions {
        manifests: options
            .manifests
            .iter()
            .map(|(name, text)| (name.clone(), text.clone()))
            .collect(),
        catalog: options.catalog.clone(),
    };
    let after = converted.map(Model::build);
    size_report(model, after.as_ref(), &size_options)
}

#[cfg(test)]
mod tests;
