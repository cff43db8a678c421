use super::*;

fn analyse(text: &str) -> Result<Report, InputError> {
    analyze(text.as_bytes(), &AnalysisOptions::default())
}

#[test]
fn a_report_has_findings_a_conversion_and_a_summary() {
    let report = analyse(
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
    )
    .expect("analyses");
    assert_eq!(report.summary.ecosystem, Some(Ecosystem::Python));
    assert_eq!(report.summary.strategy.as_deref(), Some("python-venv"));
    assert!(report.summary.converted);
    assert!(report.summary.rule_codes.contains(&"DL3042".to_string()));
    assert_eq!(
        report.summary.findings.total(),
        report.findings.len(),
        "the counts add up"
    );
    let conversion = report.conversion.as_ref().expect("converted");
    assert!(conversion.dockerfile.contains("FROM python:3.12-slim"));
    // The JSON shape round-trips (the store keeps reports as JSON).
    let json = serde_json::to_string(&report).expect("serialises");
    let back: Report = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, report);
}

#[test]
fn a_refusal_is_part_of_the_report() {
    let report = analyse("FROM debian:12\nRUN make\n").expect("analyses");
    assert!(report.conversion.is_none());
    assert!(report.refusal.is_some());
    assert!(!report.summary.converted);
    assert!(text::render(&report).contains("Not converted:"));
}

/// A name stored with a newline (before names were checked) cannot add
/// lines to the text report's header.
#[test]
fn the_text_header_is_one_line_whatever_the_name() {
    let mut report = analyse("FROM alpine:3.20\nCMD [\"true\"]\n").expect("analyses");
    report.name = Some("a\nfindings: 0 error\r\tb".into());
    let text = text::render(&report);
    assert!(
        text.starts_with("restage report: a findings: 0 error  b\n"),
        "{text}"
    );
}

#[test]
fn bad_input_says_what_and_where() {
    assert_eq!(analyse(""), Err(InputError::Empty));
    assert_eq!(analyse("# only a comment\n\n"), Err(InputError::Empty));
    assert_eq!(
        analyse("FROM a\nRUN <<EOF\necho\n"),
        Err(InputError::Invalid {
            message: "unterminated heredoc".into(),
            line: 2,
            // The `<<EOF` marker.
            column: 5
        })
    );
    assert!(matches!(
        analyze(b"FROM a\n\xff\n", &AnalysisOptions::default()),
        Err(InputError::Invalid {
            line: 2,
            column: 1,
            ..
        })
    ));
    let options = AnalysisOptions {
        parse: ParseOptions { max_bytes: 8 },
        ..AnalysisOptions::default()
    };
    assert_eq!(
        analyze(b"FROM alpine:3.20\n", &options),
        Err(InputError::TooLarge { size: 17, limit: 8 })
    );
}

#[test]
fn sarif_and_text_render_the_same_findings() {
    let report = analyse("FROM alpine\nWORKDIR app\n").expect("analyses");
    let sarif: serde_json::Value =
        serde_json::from_str(&sarif::render(&report, "https://example.test/rules/"))
            .expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), report.findings.len());
    let text = text::render(&report);
    for f in &report.findings {
        assert!(text.contains(&f.code), "{} missing from\n{text}", f.code);
    }
}

#[test]
fn sizes_before_and_after_and_the_disk_saving() {
    let report = analyse(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/app .\nCMD [\"/bin/app\"]\n",
    )
    .expect("analyses");
    let size = report.size.as_ref().expect("sizes");
    let after = size.after.as_ref().expect("the conversion is sized");
    assert!(size.before.disk.estimate_bytes > 10 * after.disk.estimate_bytes);
    let saving = report.saving_percent().expect("a saving");
    assert!((90.0..100.0).contains(&saving), "{saving}");
    assert_eq!(size.saving_percent, Some(saving));
    assert!(text::render(&report).contains("== Size =="));
    // No conversion: the input is sized, there is no saving.
    let refused = analyse("FROM debian:12\nRUN make\n").expect("analyses");
    let size = refused.size.as_ref().expect("sizes");
    assert!(size.after.is_none() && refused.saving_percent().is_none());
    // An unknown base: no percentage off a lower bound.
    let unknown =
        analyse("FROM mycorp/python:3.12\nRUN pip install flask\nCMD [\"flask\", \"run\"]\n")
            .expect("analyses");
    assert!(unknown.size.as_ref().is_some_and(|s| s.before.lower_bound));
    assert!(unknown.saving_percent().is_none());
}

#[test]
fn manifests_reach_the_estimate() {
    let text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    let plain = analyse(text).expect("analyses");
    let options = AnalysisOptions {
        manifests: [("requirements.txt".to_string(), "torch\n".to_string())].into(),
        ..AnalysisOptions::default()
    };
    let heavy = analyze(text.as_bytes(), &options).expect("analyses");
    let disk = |r: &Report| r.size.as_ref().map_or(0, |s| s.before.disk.estimate_bytes);
    assert!(disk(&heavy) > disk(&plain) + 1_000_000_000);
}

#[test]
fn reports_stored_before_sizes_still_read() {
    let report = analyse("FROM alpine:3.20\nRUN echo hi\n").expect("analyses");
    let mut json: serde_json::Value = serde_json::to_value(&report).expect("serialises");
    json.as_object_mut().expect("an object").remove("size");
    let back: Report = serde_json::from_value(json).expect("deserialises");
    assert!(back.size.is_none());
    assert!(back.saving_percent().is_none());
}

/// The summary (what the text header, the store's filter column and the UI
/// show) names the ecosystem of an already multi-stage build from its
/// builder, with no strategy.
#[test]
fn an_already_multi_stage_go_build_is_go() {
    let report = analyse(
        "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\nFROM scratch\nCOPY --from=builder /app/server /server\nCMD [\"/server\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.summary.ecosystem, Some(Ecosystem::Go));
    assert_eq!(report.summary.strategy, None);
    assert!(!report.summary.converted);
    assert!(text::render(&report).contains("\necosystem: go\n"));
}
