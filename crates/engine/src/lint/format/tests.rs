use super::*;
use crate::lint::config::LintConfig;
use crate::lint::lint_text;

const SOURCE: &str = "FROM ubuntu\nRUN apt-get install curl <x> \"&\"\nWORKDIR app\n";

fn findings() -> Vec<Finding> {
    lint_text(SOURCE, &LintConfig::default())
}

fn rendered(format: Format) -> String {
    let findings = findings();
    let files = [FileReport {
        path: "Dockerfile",
        source: Some(SOURCE),
        findings: &findings,
    }];
    render(format, &files, &RenderOptions::default())
}

#[test]
fn names_round_trip() {
    for (format, name) in Format::ALL {
        assert_eq!(Format::parse(name), Some(format));
        assert_eq!(format.name(), name);
    }
    assert_eq!(Format::parse("xml"), None);
}

#[test]
fn tty_quotes_the_line_with_a_marker() {
    let out = rendered(Format::Tty);
    assert!(out.contains("Dockerfile:3:1 DL3000 error: Use absolute WORKDIR: `app` is relative\n  3 | WORKDIR app\n    | ^^^^^^^^^^^\n  = fix: "), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour unless asked");
}

#[test]
fn json_is_an_array_with_positions() {
    let out: serde_json::Value = serde_json::from_str(&rendered(Format::Json)).unwrap_or_default();
    let first = out
        .as_array()
        .and_then(|a| a.iter().find(|x| x["code"] == "DL3000"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(first["file"], "Dockerfile");
    assert_eq!(
        (
            first["line"].as_u64(),
            first["column"].as_u64(),
            first["end_column"].as_u64()
        ),
        (Some(3), Some(1), Some(12))
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["name"], "absolute-workdir");
    assert!(first["fix"]["title"].is_string());
}

#[test]
fn sarif_is_valid_against_the_schema() {
    // The published schema's `language` pattern has a stray `]`, which is
    // not a valid regular expression; validate with it corrected.
    let text = include_str!("../../../../../tests/data/sarif-schema-2.1.0.json").replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert!(schema.get("definitions").is_some(), "schema loads");
    let log: serde_json::Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap_or_default();
    let validator =
        jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("schema compiles: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    let rule = rules
        .as_array()
        .and_then(|r| r.iter().find(|x| x["id"] == "DL3000"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(rule["helpUri"], "https://restage.dev/rules/DL3000");
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("WORKDIR /app"))
    );
}

#[test]
fn xml_formats_escape_and_parse_shapes() {
    let checkstyle = rendered(Format::Checkstyle);
    assert!(
        checkstyle.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">"
        )
    );
    assert!(checkstyle.contains("<error line=\"3\" column=\"1\" severity=\"error\" message=\"Use absolute WORKDIR: `app` is relative\" source=\"DL3000\"/>"), "{checkstyle}");
    let junit = rendered(Format::Junit);
    assert!(
        junit.contains("<testcase name=\"DL3000\" classname=\"Dockerfile:3\">"),
        "{junit}"
    );
    assert_eq!(xml::escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
}

#[test]
fn gnu_and_codeclimate() {
    let gnu = rendered(Format::Gnu);
    assert!(
        gnu.contains("restage:Dockerfile:3:1: DL3000 error: Use absolute WORKDIR"),
        "{gnu}"
    );
    let cc: serde_json::Value =
        serde_json::from_str(&rendered(Format::GitlabCodeclimate)).unwrap_or_default();
    let issue = cc
        .as_array()
        .and_then(|a| a.iter().find(|x| x["check_name"] == "DL3000"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(issue["severity"], "blocker");
    assert_eq!(issue["location"]["lines"]["begin"], 3);
    assert_eq!(issue["fingerprint"].as_str().map(str::len), Some(16));
    let again: serde_json::Value =
        serde_json::from_str(&rendered(Format::GitlabCodeclimate)).unwrap_or_default();
    assert_eq!(cc, again, "fingerprints are stable");
}

/// SARIF's `artifactLocation.uri` is a URI reference: a report named
/// `my service/Dockerfile` or with a newline in its name must not break it.
/// `informationUri` must be absolute, so a relative rules address leaves
/// it out rather than writing `""`.
#[test]
fn sarif_uris_are_uri_references() {
    let findings = findings();
    let uri_of = |path: &str, rules_url: &str| {
        let files = [FileReport {
            path,
            source: Some(SOURCE),
            findings: &findings,
        }];
        let options = RenderOptions {
            rules_url: rules_url.into(),
            ..RenderOptions::default()
        };
        let log: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &files, &options)).unwrap_or_default();
        (
            log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"]
                .clone(),
            log["runs"][0]["tool"]["driver"].get("informationUri").cloned(),
        )
    };
    let (uri, home) = uri_of("my service/Dockerfile", "https://restage.dev/rules/");
    assert_eq!(uri, "my%20service/Dockerfile");
    assert_eq!(home, Some(serde_json::json!("https://restage.dev")));
    assert_eq!(uri_of("a\nb#c?d%é", "/rules/").0, "a%0Ab%23c%3Fd%25%C3%A9");
    assert_eq!(uri_of(r"C:\x\Dockerfile", "/rules/").0, "C:/x/Dockerfile");
    assert_eq!(uri_of("src/Dockerfile", "/rules/").1, None);
}
