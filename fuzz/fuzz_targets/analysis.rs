//! Fuzzes the whole analysis as the service runs it: lint, convert, size,
//! redaction (as the store writes it and as a report), and every output
//! (JSON round trip, SARIF, text). No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::report::{AnalysisOptions, Report, analyze, redact, sarif, text};

fuzz_target!(|data: &[u8]| {
    let Ok(report) = analyze(data, &AnalysisOptions::default()) else {
        return;
    };
    // What the store writes: masked in one pass, and still a report.
    let (stored, _) = redact::redacted_json(&report).expect("a report serialises masked");
    let _: Report = serde_json::from_str(&stored).expect("the masked JSON reads back");
    let (report, _) = redact::redact(report);
    let json = serde_json::to_string(&report).expect("a report serialises");
    let back: Report = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back.findings, report.findings);
    let _ = sarif::render(&report, "https://restage.example/rules/");
    let _ = text::render(&report);
});
