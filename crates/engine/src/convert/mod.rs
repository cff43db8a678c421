//! Multi-stage conversion: the stage a Dockerfile builds becomes a builder
//! stage with the toolchain, and a fresh minimal runtime stage receives only
//! the artifacts, a non-root user and the same runtime behaviour.
//!
//! A strategy per ecosystem ([`strategies`]) detects its ecosystem with
//! evidence and writes a [`plan::Plan`]; the plan is rendered keeping
//! everything the conversion does not touch byte for byte. A final stage
//! that is already minimal is left as it is.

pub mod accounting;
pub mod alpine;
pub mod arg_paths;
pub mod build_shell;
pub mod cache;
pub mod classify;
pub mod context;
pub mod detect;
pub mod fixups;
pub mod health;
pub mod images;
pub mod minimal;
pub mod plan;
pub mod render;
pub mod setup;
pub mod strategies;
mod types;
pub mod user;

pub use strategies::Evidence;
pub use types::{
    Change, ChangeKind, Confidence, Conversion, ConvertOptions, Ecosystem, Refusal,
    RuntimePreference,
};

use std::collections::BTreeMap;

use crate::dockerfile::{self, Document};
use crate::model::Model;
use context::ConvertContext;

/// A conversion with the evidence its strategy detected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// The conversion.
    #[serde(flatten)]
    pub conversion: Conversion,
    /// What the strategy detected, with lines.
    pub evidence: Vec<Evidence>,
    /// The converted Dockerfile as parsed when the conversion was checked
    /// (`None` when nothing changed), so that what reads it next (the size
    /// estimate) does not parse it again.
    #[serde(skip)]
    pub parsed: Option<Document>,
}

/// Converts a parsed Dockerfile.
pub fn convert(doc: &Document, options: &ConvertOptions) -> Result<Outcome, Refusal> {
    let model = Model::build(doc);
    convert_model(doc, &model, options)
}

/// Converts Dockerfile text.
pub fn convert_text(text: &str, options: &ConvertOptions) -> Result<Outcome, Refusal> {
    let doc = dockerfile::parse(text).map_err(|e| {
        Refusal::new(
            None,
            match e.location() {
                Some(at) => format!(
                    "the Dockerfile does not parse: line {}, column {}: {e}",
                    at.line, at.column
                ),
                None => format!("the Dockerfile does not parse: {e}"),
            },
        )
    })?;
    convert(&doc, options)
}

/// Converts with a model already built.
pub fn convert_model(
    doc: &Document,
    model: &Model<'_>,
    options: &ConvertOptions,
) -> Result<Outcome, Refusal> {
    convert_model_with_manifests(doc, model, options, &context::NO_MANIFESTS)
}

/// Converts with a model already built and the dependency manifests passed
/// with the Dockerfile, by file name (`requirements.txt` listing
/// `psycopg2` puts libpq in a Python runtime stage).
pub fn convert_model_with_manifests(
    doc: &Document,
    model: &Model<'_>,
    options: &ConvertOptions,
    manifests: &BTreeMap<String, String>,
) -> Result<Outcome, Refusal> {
    if let Some(p) = model.problems.first() {
        let refusal = |place: String| {
            Refusal::new(
                None,
                format!(
                    "the Dockerfile does not build ({place}: {}); fix that first",
                    p.message
                ),
            )
        };
        return Err(match p.location.line {
            0 => refusal(format!("line {}", p.start_line)).at_line(p.start_line.max(1)),
            line => refusal(format!("line {line}, column {}", p.location.column))
                .at(line, p.location.column),
        });
    }
    let Some(stage) = model.stages.last() else {
        return Err(Refusal::new(None, "the Dockerfile has no FROM"));
    };
    let findings = minimal::size_findings(model);
    let bloat = minimal::bloat(model, stage, &findings);
    let cx = ConvertContext {
        doc,
        model,
        options,
        stage,
        manifests,
    };
    let detected = detect::strongest(&cx);
    // What the project is when the final stage does not say: a builder
    // that feeds it (`go build` in `golang` before `FROM scratch`).
    let feeding = || {
        detected
            .as_ref()
            .is_none_or(|(s, _)| s.ecosystem() == Ecosystem::Generic)
            .then(|| detect::feeding(&cx))
            .flatten()
    };
    if bloat.is_empty() {
        let (ecosystem, strategy, evidence) = match (&detected, feeding()) {
            // No strategy applies to the final stage: none is named.
            (_, Some((ecosystem, evidence))) => (ecosystem, "none", evidence),
            (Some((s, d)), None) => (s.ecosystem(), s.name(), d.evidence.clone()),
            (None, None) => (Ecosystem::Generic, "none", Vec::new()),
        };
        return Ok(Outcome {
            conversion: Conversion {
                dockerfile: doc.source.clone(),
                ecosystem,
                strategy: strategy.to_string(),
                confidence: Confidence::High,
                changes: Vec::new(),
                assumptions: Vec::new(),
                warnings: vec![minimal::unchanged_message(model, stage, &findings)],
                unchanged: true,
            },
            evidence,
            parsed: None,
        });
    }
    let Some((strategy, detection)) = detected else {
        let why: Vec<String> = bloat
            .iter()
            .map(|b| format!("line {}: {}", b.line, b.what))
            .collect();
        return Err(Refusal::new(
            feeding().map(|(ecosystem, _)| ecosystem),
            format!(
                "restage does not recognise what this Dockerfile builds, so it cannot tell artifacts from build tools ({})",
                why.join("; ")
            ),
        ));
    };
    let mut plan = strategy.plan(&cx, &detection)?;
    fixups::apply(doc, model, &mut plan);
    build_shell::keep_in_build_stages(model, &mut plan);
    accounting::note_unaccounted(&cx, &mut plan);
    unique_stage_names(model, &mut plan);
    arg_paths::keep_arg_paths(&cx, &mut plan);
    let user_warnings = user::warnings(options, doc, &plan);
    plan.warnings.extend(user_warnings);
    strategies::root_start::note(&cx, &mut plan);
    strategies::common::warn_low_ports(&cx, &mut plan);
    let rendered = render::render(doc, stage.node, &plan);
    // The output must parse; a plan that does not is a bug, reported as a refusal.
    let parsed = match dockerfile::parse(&rendered.text) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Err(Refusal::new(
                Some(plan.ecosystem),
                format!(
                    "internal error: the converted Dockerfile does not parse (line {}: {e})",
                    e.line()
                ),
            ));
        }
    };
    let unchanged = rendered.text == doc.source;
    Ok(Outcome {
        conversion: Conversion {
            dockerfile: rendered.text,
            ecosystem: plan.ecosystem,
            strategy: plan.strategy.to_string(),
            confidence: plan.confidence,
            changes: rendered.changes,
            assumptions: plan.assumptions,
            warnings: plan.warnings,
            unchanged,
        },
        evidence: detection.evidence,
        parsed: (!unchanged).then_some(parsed),
    })
}

/// Names the planned stages: the last (the image that is built) keeps the
/// source stage's name, so `docker build --target <name>` still builds the
/// image it built before; any other planned stage whose name earlier stages
/// or that one already use is renamed (`builder` → `builder-2`) and the
/// references to it follow.
fn unique_stage_names(model: &Model<'_>, plan: &mut plan::Plan) {
    let mut taken: Vec<String> = model
        .stages
        .iter()
        .rev()
        .skip(1)
        .filter_map(|s| s.name.clone())
        .collect();
    let kept_name = model.stages.last().and_then(|s| s.name.clone());
    if let Some(name) = &kept_name {
        taken.push(name.clone());
    }
    let last = plan.stages.len().saturating_sub(1);
    let mut renames: Vec<(String, String)> = Vec::new();
    for (i, stage) in plan.stages.iter_mut().enumerate() {
        if i == last
            && let Some(name) = &kept_name
        {
            stage.name = name.clone();
            continue;
        }
        if taken.contains(&stage.name) {
            let mut n = 2;
            while taken.contains(&format!("{}-{n}", stage.name)) {
                n += 1;
            }
            let new = format!("{}-{n}", stage.name);
            renames.push((stage.name.clone(), new.clone()));
            stage.name = new;
        }
    }
    if renames.is_empty() {
        return;
    }
    for stage in &mut plan.stages {
        for item in &mut stage.items {
            if let plan::Item::Add { text, .. } | plan::Item::Rewrite { text, .. } = item {
                for (old, new) in &renames {
                    *text = text
                        .replace(&format!("--from={old} "), &format!("--from={new} "))
                        .replace(&format!("from={old},"), &format!("from={new},"));
                }
            }
        }
    }
}

#[cfg(test)]
mod runtime_tests;
#[cfg(test)]
mod setup_tests;
#[cfg(test)]
mod tests;
