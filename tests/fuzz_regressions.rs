//! Every input a fuzz target ever stopped on (`tests/fuzz-regressions/`,
//! named `<target>-<what>-...`) goes through every stage again: parse,
//! model and lint, conversion, size and the whole analysis with its JSON.
//! None may panic, and none may hang: each file gets a minute (the inputs
//! take milliseconds; the one that hung took ten minutes under the fuzzer
//! and would take days with a few more parentheses). A panic restage
//! catches itself (around the shell parser, a dependency) counts too: the
//! fuzzers stop on those, and the guard in front of the parser is what
//! keeps such inputs away from it.

use std::path::PathBuf;
use std::sync::{Mutex, mpsc};
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

/// Every panic's message, caught or not, while the hook is set.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The panics recorded since the last call.
fn take_panics() -> Vec<String> {
    PANICS
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default()
}

#[test]
fn every_input_a_fuzzer_stopped_on_goes_through_every_stage() {
    let files = inputs();
    assert!(!files.is_empty(), "no inputs in tests/fuzz-regressions");
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut panics) = PANICS.lock() {
            panics.push(info.to_string());
        }
    }));
    let mut failures = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (done, outcome) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(every_stage(&bytes));
        });
        match outcome.recv_timeout(HANG) {
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                failures.push(format!("{} still running after {HANG:?}", path.display()));
                break;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
        for panic in take_panics() {
            failures.push(format!("{} panicked: {panic}", path.display()));
        }
    }
    drop(std::panic::take_hook());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
