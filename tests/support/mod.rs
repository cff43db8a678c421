//! Shared test helpers: fixture discovery and conversion invariants.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use restage::convert::{Conversion, ConvertOptions, convert_text};
use restage::lint::{LintConfig, Severity, lint_text};

/// Every `*.Dockerfile` under `dir`.
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "Dockerfile") {
            out.push(p);
        }
    }
}

/// What every successful conversion must satisfy: the output parses,
/// converting it again changes nothing, it has no error-level lint
/// finding the input did not have, and its final stage installs no
/// compiler or development package and keeps no package-manager cache.
pub fn check_invariants(name: &str, input: &str, c: &Conversion) {
    let problems = invariant_problems(input, c);
    assert!(
        problems.is_empty(),
        "{name}: {}\n{}",
        problems.join("\n"),
        c.dockerfile
    );
}

/// The invariants of [`check_invariants`], as a list of problems (empty
/// when the conversion keeps them all).
pub fn invariant_problems(input: &str, c: &Conversion) -> Vec<String> {
    invariant_problems_after(&lint_summary(input).errors, c)
}

/// [`invariant_problems`] with the input's error-level codes already known
/// (`before`), so that a caller converting one input several ways lints
/// it once.
pub fn invariant_problems_after(before: &[String], c: &Conversion) -> Vec<String> {
    let mut problems = Vec::new();
    let doc = match restage::dockerfile::parse(&c.dockerfile) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("the output does not parse: {e}")],
    };
    match convert_text(&c.dockerfile, &ConvertOptions::default()) {
        Err(r) => problems.push(format!("converting the output again is refused: {r}")),
        Ok(again) if !again.conversion.unchanged => problems.push(format!(
            "converting the output again changes it:\n{}",
            again.conversion.dockerfile
        )),
        Ok(_) => {}
    }
    let after = lint_summary(&c.dockerfile);
    let new: Vec<&String> = after
        .errors
        .iter()
        .filter(|code| !before.contains(code))
        .collect();
    if !new.is_empty() {
        problems.push(format!("the output has new error-level findings {new:?}"));
    }
    problems.extend(after.final_image);
    let model = restage::model::Model::build(&doc);
    if let Some(stage) = model.stages.last() {
        let findings = restage::convert::minimal::size_findings(&model);
        let bloat = restage::convert::minimal::bloat(&model, stage, &findings);
        if !bloat.is_empty() {
            problems.push(format!("the final stage is not minimal: {bloat:?}"));
        }
    }
    problems
}

/// Codes of hadolint rules that report a subset of RS004's caches; they
/// are turned off so that RS004 reports every cache itself (none of them
/// is error-level).
const CACHE_RULES: &[&str] = &[
    "DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3040", "DL3036",
];

/// What one lint run says about a Dockerfile.
pub struct LintSummary {
    /// Codes of error-level findings.
    pub errors: Vec<String>,
    /// What the final image carries that it should not, as restage's own
    /// rules see it: a compiler or build tool (RS001), development headers
    /// (RS002), or a package manager's cache (RS004).
    pub final_image: Vec<String>,
}

/// Lints a Dockerfile once for the invariants.
pub fn lint_summary(text: &str) -> LintSummary {
    let config = LintConfig {
        ignored: CACHE_RULES.iter().map(|c| (*c).to_string()).collect(),
        ..LintConfig::default()
    };
    let findings = lint_text(text, &config);
    LintSummary {
        errors: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.clone())
            .collect(),
        final_image: findings
            .iter()
            .filter(|f| matches!(f.code.as_str(), "RS001" | "RS002" | "RS004"))
            .map(|f| format!("{} line {}: {}", f.code, f.line, f.message))
            .collect(),
    }
}

/// Images with `-slim` variants among the Docker Official Images.
const SLIM_IMAGES: &[&str] = &[
    "python", "node", "ruby", "debian", "rust", "perl", "openjdk",
];

/// Whether `name` is the Docker Official Image `official`.
fn is_official(name: &str, official: &str) -> bool {
    name == official
        || name
            .strip_suffix(official)
            .is_some_and(|p| p == "library/" || p.ends_with("/library/"))
}

/// Sanity checks of what a conversion added (not what the input already
/// had): a base image with a `-slim` tag must be an official image that
/// has slim variants; a package install must not use a shell variable that
/// the stage does not declare (`apk add $runDeps` after the `RUN` that set
/// it was left behind); a Windows base image is never converted.
pub fn added_text_problems(input: &str, output: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(doc) = restage::dockerfile::parse(output) else {
        return problems;
    };
    let model = restage::model::Model::build(&doc);
    let windows = |t: &str| {
        let t = t.to_ascii_lowercase();
        t.contains("windows") || t.contains("nanoserver") || t.contains("servercore")
    };
    for stage in &model.stages {
        if windows(&stage.base_text) {
            problems.push(format!(
                "a stage starts from the Windows image `{}`",
                stage.base_text
            ));
        }
        let from_line = doc
            .nodes
            .get(stage.node)
            .map(|n| n.text(&doc.source).to_string())
            .unwrap_or_default();
        if !input.contains(from_line.trim()) {
            let image = restage::convert::images::ImageText::parse(&stage.base_text);
            let slim_tag = image.tag.as_deref().is_some_and(|t| t.contains("slim"));
            if slim_tag && !SLIM_IMAGES.iter().any(|o| is_official(&image.name, o)) {
                problems.push(format!(
                    "the new base image `{}` has no slim variant",
                    stage.base_text
                ));
            }
        }
        let declared = |name: &str| {
            stage.env.iter().any(|(k, _)| k == name)
                || model.meta_args.iter().any(|(k, _)| k == name)
                || stage.instructions.iter().any(|&i| {
                    model.instructions.get(i).is_some_and(|ins| {
                        ins.keyword == restage::dockerfile::Keyword::Arg
                            && doc.nodes.get(ins.node).is_some_and(|n| {
                                n.args
                                    .iter()
                                    .any(|a| a.split('=').next().unwrap_or(a) == name)
                            })
                    })
                })
                || name == "PHPIZE_DEPS"
        };
        for &i in &stage.instructions {
            let Some(ins) = model.instructions.get(i) else {
                continue;
            };
            let Some(node) = doc.nodes.get(ins.node) else {
                continue;
            };
            if ins.keyword != restage::dockerfile::Keyword::Run
                || input.contains(node.text(&doc.source).trim())
            {
                continue;
            }
            let Some(system) = restage::convert::classify::classify_run(ins).system else {
                continue;
            };
            for p in &system.installed {
                let mut rest = p.as_str();
                while let Some(at) = rest.find('$') {
                    let after = rest.get(at + 1..).unwrap_or_default();
                    let after = after.strip_prefix('{').unwrap_or(after);
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    rest = after.get(name.len()..).unwrap_or_default();
                    if !declared(&name) {
                        problems.push(format!(
                            "line {}: a new package install uses `{p}`, but the stage declares no `{name}`",
                            ins.start_line
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Writes `input` to a spawned process's standard input and closes it. A
/// run refused for its arguments exits without reading its input, so a
/// closed pipe is no error.
pub fn feed_stdin(child: &mut std::process::Child, input: &[u8]) {
    use std::io::Write;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    if let Err(e) = stdin.write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
}

/// The `restage` binary the process tests run: `RESTAGE_TEST_BIN` when it
/// is set (scripts/test points it at the release musl build, the binary the
/// image ships), else the one Cargo built for this test run.
pub fn restage_bin() -> PathBuf {
    std::env::var_os("RESTAGE_TEST_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_restage")),
        PathBuf::from,
    )
}
