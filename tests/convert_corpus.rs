//! The conversion invariants as properties over every real Dockerfile of
//! the corpus (`../shared/corpus/files/`) and every fixture under
//! `tests/convert/`: converting never panics; a conversion parses with
//! restage's own parser, converts to itself again, adds no error-level
//! lint finding, and its final image has no compiler, no development
//! package and no package-manager cache; a refusal says specifically why;
//! a file left as it is names every finding of restage's size rules.
//! The outcome counts per ecosystem are pinned as a snapshot.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use restage::convert::{ConvertOptions, Outcome, Refusal, RuntimePreference, convert_text};
use restage::lint::{LintConfig, lint_text};

const CORPUS: &str = "../shared/corpus";

/// One Dockerfile and the group it is counted in.
struct Input {
    /// `corpus/<file>` or `fixture/<eco>/<name>`.
    name: String,
    /// The corpus index's ecosystem, or the fixture's directory.
    group: String,
    /// Whether the corpus index says the file has one stage.
    single_stage: bool,
    text: String,
}

/// The corpus's own ecosystem label of each file and whether it has a
/// single stage (`index.tsv`).
fn corpus_labels() -> BTreeMap<String, (String, bool)> {
    let index = std::fs::read_to_string(Path::new(CORPUS).join("index.tsv")).unwrap_or_default();
    index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let file = cols.next()?;
            let eco = cols.nth(3)?;
            let stages = cols.next()?;
            Some((file.to_string(), (eco.to_string(), stages == "1")))
        })
        .collect()
}

fn inputs() -> Vec<Input> {
    let labels = corpus_labels();
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join("files"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        let file = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Not every corpus file is UTF-8 text; those are the parser's business.
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let (group, single_stage) = labels
            .get(&file)
            .cloned()
            .unwrap_or_else(|| ("unlabelled".into(), false));
        out.push(Input {
            group,
            single_stage,
            name: format!("corpus/{file}"),
            text,
        });
    }
    let mut fixtures = Vec::new();
    support::collect(Path::new("tests/convert"), &mut fixtures);
    fixtures.sort();
    for p in fixtures {
        let rel = p.strip_prefix("tests/convert").unwrap_or(&p);
        let group = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&p).expect("fixture");
        out.push(Input {
            name: format!("fixture/{}", rel.to_string_lossy()),
            group,
            single_stage: false,
            text,
        });
    }
    out
}

/// How one conversion went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Converted,
    Refused,
    Minimal,
}

/// Whether a refusal reason tells a person what is wrong: not empty, not a
/// placeholder, a sentence with a subject, and not an internal error.
fn refusal_problem(r: &Refusal) -> Option<String> {
    let reason = r.reason.trim();
    if reason.is_empty() {
        return Some("the refusal has no reason".into());
    }
    if reason.len() < 30 || reason.split_whitespace().count() < 6 {
        return Some(format!("the refusal reason is not specific: {reason:?}"));
    }
    if reason.contains("internal error") {
        return Some(format!("the converter produced a broken file: {reason}"));
    }
    None
}

/// The ecosystem an outcome names (`none` for a refusal without one).
fn ecosystem_of(outcome: &Result<Outcome, Refusal>) -> &'static str {
    match outcome {
        Ok(o) => o.conversion.ecosystem.name(),
        Err(r) => r.ecosystem.map_or("none", |e| e.name()),
    }
}

/// restage's own size rules, whose findings a Dockerfile left as it is
/// must account for.
const SIZE_RULES: &[&str] = &[
    "RS001", "RS002", "RS003", "RS004", "RS006", "RS009", "RS012",
];

/// What is wrong with leaving a Dockerfile as it is: the conversion must
/// not call the image minimal with nothing to change while restage's size
/// rules report something about it; each such finding is named (code and
/// line) in what the conversion says instead.
fn unchanged_problems(text: &str, outcome: &Outcome) -> Vec<String> {
    let said = outcome.conversion.warnings.join("\n");
    lint_text(text, &LintConfig::default())
        .into_iter()
        .filter(|f| SIZE_RULES.contains(&f.code.as_str()))
        .filter(|f| !said.contains(&format!("{} at line {}", f.code, f.line)))
        .map(|f| {
            format!(
                "left as it is ({said}) while {} reports line {}: {}",
                f.code, f.line, f.message
            )
        })
        .collect()
}

/// Converts one input with `options`, checking every property; returns
/// the outcome kind and the problems found.
fn check(
    input: &Input,
    options: &ConvertOptions,
    before: &mut Option<Vec<String>>,
) -> (Option<Kind>, Vec<String>) {
    let (kind, _, problems) = check_named(input, options, before);
    (kind, problems)
}

/// [`check`], with the ecosystem the outcome names.
fn check_named(
    input: &Input,
    options: &ConvertOptions,
    before: &mut Option<Vec<String>>,
) -> (Option<Kind>, &'static str, Vec<String>) {
    let result = catch_unwind(AssertUnwindSafe(|| convert_text(&input.text, options)));
    let outcome: Result<Outcome, Refusal> = match result {
        Ok(o) => o,
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            return (None, "none", vec![format!("converting panics: {msg}")]);
        }
    };
    let ecosystem = ecosystem_of(&outcome);
    match outcome {
        Err(r) => (
            Some(Kind::Refused),
            ecosystem,
            refusal_problem(&r).into_iter().collect(),
        ),
        Ok(o) if o.conversion.unchanged => {
            let mut problems = Vec::new();
            if o.conversion.dockerfile != input.text {
                problems.push("an unchanged conversion differs from the input".into());
            }
            problems.extend(unchanged_problems(&input.text, &o));
            (Some(Kind::Minimal), ecosystem, problems)
        }
        Ok(o) => {
            let c = &o.conversion;
            let before = before.get_or_insert_with(|| support::lint_summary(&input.text).errors);
            let mut problems = catch_unwind(AssertUnwindSafe(|| {
                support::invariant_problems_after(before, c)
            }))
            .unwrap_or_else(|_| vec!["checking the output panics".into()]);
            problems.extend(support::added_text_problems(&input.text, &c.dockerfile));
            if c.changes.is_empty() {
                problems.push("a conversion explains no change".into());
            }
            if !problems.is_empty() {
                problems.push(format!("--- output ---\n{}", c.dockerfile));
            }
            (Some(Kind::Converted), ecosystem, problems)
        }
    }
}

#[derive(Default)]
struct Counts {
    converted: usize,
    refused: usize,
    minimal: usize,
}

impl Counts {
    fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Converted => self.converted += 1,
            Kind::Refused => self.refused += 1,
            Kind::Minimal => self.minimal += 1,
        }
    }
}

fn table(title: &str, rows: &BTreeMap<String, Counts>) -> String {
    let mut out = format!(
        "{title}\n{:<14} {:>9} {:>7} {:>15}\n",
        "ecosystem", "converted", "refused", "already-minimal"
    );
    let mut total = Counts::default();
    for (eco, c) in rows {
        let _ = writeln!(
            out,
            "{eco:<14} {:>9} {:>7} {:>15}",
            c.converted, c.refused, c.minimal
        );
        total.converted += c.converted;
        total.refused += c.refused;
        total.minimal += c.minimal;
    }
    let _ = writeln!(
        out,
        "{:<14} {:>9} {:>7} {:>15}",
        "total", total.converted, total.refused, total.minimal
    );
    out
}

#[test]
fn every_corpus_file_and_fixture_keeps_the_conversion_invariants() {
    let inputs = inputs();
    assert!(
        inputs
            .iter()
            .filter(|i| i.name.starts_with("corpus/"))
            .count()
            >= 500,
        "the corpus must be at {CORPUS}/files beside the checkout"
    );
    let mut failures: Vec<String> = Vec::new();
    let mut corpus: BTreeMap<String, Counts> = BTreeMap::new();
    let mut fixtures: BTreeMap<String, Counts> = BTreeMap::new();
    let mut single: BTreeMap<String, Counts> = BTreeMap::new();
    // Per corpus index ecosystem, how many files restage names each way.
    let mut named: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let default = ConvertOptions::default();
    for input in &inputs {
        let (kind, ecosystem, problems) = check_named(input, &default, &mut None);
        if input.name.starts_with("corpus/") {
            *named
                .entry(input.group.clone())
                .or_default()
                .entry(ecosystem)
                .or_default() += 1;
        }
        if let Some(kind) = kind {
            let rows = if input.name.starts_with("corpus/") {
                &mut corpus
            } else {
                &mut fixtures
            };
            rows.entry(input.group.clone()).or_default().add(kind);
            if input.single_stage {
                single.entry(input.group.clone()).or_default().add(kind);
            }
        }
        for p in problems {
            failures.push(format!("{}: {p}", input.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let mut names = String::from(
        "corpus, the ecosystem restage names (report and store) by the corpus index's\n",
    );
    for (group, counts) in &named {
        let mut counts: Vec<(&&str, &usize)> = counts.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let counts: Vec<String> = counts.iter().map(|(e, n)| format!("{e} {n}")).collect();
        let _ = writeln!(names, "{group:<14} {}", counts.join(", "));
    }
    insta::assert_snapshot!(
        "outcomes_per_ecosystem",
        format!(
            "{}\n{}\n{}\n{}",
            table("corpus, by the corpus index's ecosystem", &corpus),
            table("single-stage corpus files", &single),
            table("fixtures, by directory", &fixtures),
            names
        )
    );
}

/// The other options keep the same properties: each runtime preference
/// (a refusal when it cannot work), a chosen user, cache mounts — over the
/// files that convert with the default options.
#[test]
fn every_option_keeps_the_conversion_invariants() {
    let inputs = inputs();
    let mut failures: Vec<String> = Vec::new();
    let options = [
        ConvertOptions {
            cache_mounts: true,
            ..ConvertOptions::default()
        },
        ConvertOptions {
            runtime: RuntimePreference::Slim,
            ..ConvertOptions::default()
        },
        ConvertOptions {
            runtime: RuntimePreference::Alpine,
            ..ConvertOptions::default()
        },
        ConvertOptions {
            runtime: RuntimePreference::Distroless,
            ..ConvertOptions::default()
        },
        ConvertOptions {
            runtime: RuntimePreference::Scratch,
            ..ConvertOptions::default()
        },
        ConvertOptions {
            user: Some("1234".into()),
            ..ConvertOptions::default()
        },
    ];
    let default = ConvertOptions::default();
    for input in &inputs {
        // Options do not change what is already minimal, nor what no
        // strategy can plan: the files that convert are converted again
        // each other way (this keeps the test within seconds in debug).
        let converts = convert_text(&input.text, &default).is_ok_and(|o| !o.conversion.unchanged);
        if !converts {
            continue;
        }
        let mut before = None;
        for o in &options {
            let (_, problems) = check(input, o, &mut before);
            for p in problems {
                failures.push(format!("{} with {o:?}: {p}", input.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
