//! Every input a fuzz target ever stopped on (`tests/fuzz-regressions/`,
//! named `<target>-<what>-...`) goes through every stage again: parse,
//! model and lint, conversion, size and the whole analysis with its JSON.
//! None may panic, and none may hang: each file gets a minute (the inputs
//! take milliseconds; the one that hung took ten minutes under the fuzzer
//! and would take days with a few more parentheses).

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use restage::convert::{ConvertOptions, convert_text};
use restage::lint::{LintConfig, lint_text};
use restage::report::{AnalysisOptions, analyze};
use restage::size::{SizeOptions, estimate_text};

/// Far above what any input needs; only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

fn inputs() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Every stage over `bytes`; the number of findings, to use the results.
fn every_stage(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let mut seen = lint_text(&text, &LintConfig::default()).len();
    if let Ok(outcome) = convert_text(&text, &ConvertOptions::default()) {
        seen += outcome.conversion.dockerfile.len();
    }
    if let Ok(size) = estimate_text(&text, &SizeOptions::default()) {
        seen += size.stages.len();
    }
    if let Ok(report) = analyze(bytes, &AnalysisOptions::default()) {
        seen += serde_json::to_vec(&report).map_or(0, |json| json.len());
    }
    seen
}

#[test]
fn every_input_a_fuzzer_stopped_on_goes_through_every_stage() {
    let files = inputs();
    assert!(!files.is_empty(), "no inputs in tests/fuzz-regressions");
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (done, outcome) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(every_stage(&bytes));
        });
        match outcome.recv_timeout(HANG) {
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{} still running after {HANG:?}", path.display())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{} panicked", path.display())
            }
        }
    }
}
