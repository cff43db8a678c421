//! BuildKit's own parser test files: every dump byte-identical, every
//! negative case rejected, line numbers as BuildKit reports them.

use std::fs;
use std::path::Path;

use restage::dockerfile::{self, ParseError, dump::dump};

const BUILDKIT: &str = "../shared/conformance/buildkit";

#[test]
fn every_official_test_file_dumps_byte_identically() {
    let dir = Path::new(BUILDKIT).join("testfiles");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .expect("conformance files are beside the checkout")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for case in entries {
        count += 1;
        let input = fs::read(case.join("Dockerfile")).expect("Dockerfile");
        let expected = fs::read_to_string(case.join("result")).expect("result");
        match dockerfile::parse_bytes(&input, &Default::default()) {
            Ok(doc) => {
                let got = dump(&doc);
                if got != expected {
                    failures.push(format!(
                        "{}:\n--- expected\n{expected}--- got\n{got}",
                        case.display()
                    ));
                }
                assert_eq!(
                    doc.print().as_bytes(),
                    input.as_slice(),
                    "{}",
                    case.display()
                );
            }
            Err(err) => failures.push(format!("{}: {err}", case.display())),
        }
    }
    assert_eq!(count, 33, "BuildKit ships 33 test files");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_negative_case_is_rejected_with_buildkit_s_reason() {
    let cases = [
        ("empty_dockerfile", "file with no instructions", 0),
        ("env_no_value", "ENV must have two arguments", 3),
        ("only_comments", "file with no instructions", 3),
        (
            "shykes-nested-json",
            "when using JSON array syntax, arrays must be comprised of strings only",
            1,
        ),
    ];
    for (name, message, line) in cases {
        let path = Path::new(BUILDKIT)
            .join("testfiles-negative")
            .join(name)
            .join("Dockerfile");
        let input = fs::read(&path).expect("negative case");
        match dockerfile::parse_bytes(&input, &Default::default()) {
            Ok(_) => panic!("{name} must be rejected"),
            Err(err) => {
                assert_eq!(err.to_string(), message, "{name}");
                assert_eq!(err.line(), line, "{name}");
                assert!(matches!(err, ParseError::Syntax { .. }), "{name}");
            }
        }
    }
}

#[test]
fn line_numbers_match_buildkit_s_line_case() {
    let input = fs::read(Path::new(BUILDKIT).join("testfile-line/Dockerfile")).expect("line case");
    let doc = dockerfile::parse_bytes(&input, &Default::default()).expect("parses");
    let lines: Vec<_> = doc
        .nodes
        .iter()
        .map(|n| (n.start_line, n.end_line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
    assert_eq!(doc.warnings.len(), 1, "the blank lines inside RUN warn");
    assert_eq!(doc.warnings[0].end_line, 31);
}
