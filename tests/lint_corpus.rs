//! Every rule over the 599 corpus files: no crash, and the number of
//! findings per rule is pinned (a snapshot), so any change in what a rule
//! reports on real Dockerfiles is seen in review.

use std::collections::BTreeMap;
use std::fs;

use restage::lint::{LintConfig, LintContext, lint_text, registry};
use restage::model::Model;

const CORPUS: &str = "../shared/corpus/files";

/// Every rule on, with the configuration its examples assume.
fn everything_on() -> LintConfig {
    let mut config = LintConfig {
        trusted_registries: vec![
            "docker.io".into(),
            "gcr.io".into(),
            "mcr.microsoft.com".into(),
        ],
        strict_labels: false,
        ..LintConfig::default()
    };
    for meta in registry::catalogue() {
        config
            .overrides
            .push((meta.code.to_string(), meta.severity));
    }
    config
}

#[test]
fn every_rule_runs_on_every_corpus_file() {
    let mut names: Vec<_> = fs::read_dir(CORPUS)
        .expect("corpus beside the checkout")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 599);
    let config = everything_on();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        let text = fs::read_to_string(format!("{CORPUS}/{name}")).expect("UTF-8 corpus file");
        for finding in lint_text(&text, &config) {
            assert!(
                finding.line >= 1 && finding.end_line >= finding.line,
                "{name}: {finding:?}"
            );
            assert!(!finding.message.is_empty(), "{name}: {finding:?}");
            *counts.entry(finding.code).or_default() += 1;
        }
    }
    insta::assert_json_snapshot!("corpus_findings_per_rule", counts);
}

/// The engine skips a rule that names tools in a file that runs none of
/// them (`Rule::tools`): run anyway, such a rule must find nothing there,
/// on any corpus file.
#[test]
fn rules_skipped_for_their_tools_would_find_nothing() {
    let config = everything_on();
    let (mut skipped, mut files) = (0, 0);
    for entry in fs::read_dir(CORPUS).expect("corpus beside the checkout") {
        let path = entry.expect("corpus entry").path();
        let text = fs::read_to_string(&path).expect("UTF-8 corpus file");
        let Ok(doc) = restage::dockerfile::parse(&text) else {
            continue;
        };
        files += 1;
        let model = Model::build(&doc);
        let cx = LintContext::new(&model, &config);
        for rule in registry::all() {
            if rule.tools().is_empty() || cx.runs_any(rule.tools()) {
                continue;
            }
            skipped += 1;
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            assert!(
                out.is_empty(),
                "{} skipped on {} but finds {out:?}",
                rule.meta().code,
                path.display()
            );
        }
    }
    // Most files run only some of the tools: the test checks something.
    assert!(
        files > 590 && skipped > 10 * files,
        "{skipped} skips over {files} files"
    );
}
