//! Findings as compact JSON, written directly: what `POST /api/v1/lint`
//! answers, on every request.
//!
//! The bytes are exactly `serde_json::to_vec(findings)` (a property test
//! holds them to it). serde_json escapes every string, keys included, one
//! byte at a time and writes each piece through its writer; for a lint
//! answer that was a sixth of the request's instructions. Here the keys
//! are literals and a string is checked for bytes to escape in one
//! branch-free pass (which the compiler vectorises) and copied whole when
//! it has none, as nearly every message has.

use super::finding::Finding;
use super::rule::{Fix, Origin};

/// `findings` as a compact JSON array, what `POST /api/v1/lint` answers.
pub fn findings_json(findings: &[Finding]) -> Vec<u8> {
    // About 400 bytes a finding: one allocation for most answers.
    let mut out = Vec::with_capacity(64 + findings.len() * 512);
    out.push(b'[');
    for (i, finding) in findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_finding(&mut out, finding);
    }
    out.push(b']');
    out
}

/// One finding, its fields in declaration order (as serde derives them).
fn write_finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"code\":");
    write_str(out, &f.code);
    out.extend_from_slice(b",\"aliases\":[");
    for (i, alias) in f.aliases.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, alias);
    }
    out.extend_from_slice(b"],\"name\":");
    write_str(out, &f.name);
    out.extend_from_slice(match f.origin {
        Origin::Hadolint => b",\"origin\":\"hadolint\",\"severity\":\"",
        Origin::Buildkit => b",\"origin\":\"buildkit\",\"severity\":\"",
        Origin::Restage => b",\"origin\":\"restage\",\"severity\":\"",
    });
    out.extend_from_slice(f.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\"line\":");
    write_number(out, f.line);
    out.extend_from_slice(b",\"column\":");
    write_number(out, f.column);
    out.extend_from_slice(b",\"end_line\":");
    write_number(out, f.end_line);
    out.extend_from_slice(b",\"end_column\":");
    write_number(out, f.end_column);
    out.extend_from_slice(b",\"message\":");
    write_str(out, &f.message);
    out.extend_from_slice(b",\"fix\":");
    match &f.fix {
        None => out.extend_from_slice(b"null"),
        Some(fix) => write_fix(out, fix),
    }
    out.push(b'}');
}

/// A fix: `replacement` only when there is one (`skip_serializing_if`).
fn write_fix(out: &mut Vec<u8>, fix: &Fix) {
    out.extend_from_slice(b"{\"title\":");
    write_str(out, &fix.title);
    if let Some(replacement) = &fix.replacement {
        out.extend_from_slice(b",\"replacement\":");
        write_str(out, replacement);
    }
    out.push(b'}');
}

fn write_number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Whether JSON needs `byte` escaped: a quote, a backslash or a control
/// character (serde_json escapes these and nothing else, not `/`, DEL or
/// anything outside ASCII).
const fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// A JSON string, quoted and escaped as serde_json does.
fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    // A fold without an early exit, so the check runs 16 or 32 bytes at a
    // time.
    if bytes.iter().fold(false, |any, &b| any | needs_escape(b)) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// The slow path of [`write_str`]: runs between escapes are copied whole.
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !needs_escape(byte) {
            continue;
        }
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        start = i + 1;
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                hex_digit(byte >> 4),
                hex_digit(byte & 0xf),
            ]),
        }
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// The lower-case hex digit of a nibble (serde_json's `\u00XX` case).
const fn hex_digit(nibble: u8) -> u8 {
    match nibble & 0xf {
        n @ 0..=9 => b'0' + n,
        n => b'a' + n - 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rule::Severity;
    use proptest::prelude::*;

    fn finding(message: String, fix: Option<Fix>, aliases: Vec<String>) -> Finding {
        Finding {
            code: "RS001".into(),
            aliases,
            name: "toolchain-in-final-image".into(),
            origin: Origin::Restage,
            severity: Severity::Warning,
            line: 3,
            column: 1,
            end_line: 4,
            end_column: 17,
            message,
            fix,
        }
    }

    #[test]
    fn escapes_as_serde_json_does() {
        for text in [
            "",
            "plain `gcc` text",
            "quote \" and backslash \\ and slash /",
            "controls \u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f} and DEL \u{7f}",
            "non-ASCII é ✓ 𝄞 and \u{2028}",
        ] {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(
                String::from_utf8_lossy(&out),
                serde_json::to_string(text).unwrap_or_default(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_origin_severity_and_fix_shape_matches_serde_json() {
        let mut findings = Vec::new();
        for (origin, severity) in [
            (Origin::Hadolint, Severity::Error),
            (Origin::Buildkit, Severity::Info),
            (Origin::Restage, Severity::Style),
        ] {
            for fix in [
                None,
                Some(Fix {
                    title: "t".into(),
                    replacement: None,
                }),
                Some(Fix {
                    title: "t".into(),
                    replacement: Some("RUN x\n".into()),
                }),
            ] {
                findings.push(Finding {
                    origin,
                    severity,
                    ..finding("m".into(), fix, vec!["A".into(), "B".into()])
                });
            }
        }
        assert_eq!(
            String::from_utf8_lossy(&findings_json(&findings)),
            serde_json::to_string(&findings).unwrap_or_default()
        );
        assert_eq!(findings_json(&[]), b"[]");
    }

    proptest! {
        #[test]
        fn the_bytes_are_serde_jsons(
            message in "\\PC*|[\\x00-\\x7f]*",
            title in proptest::option::of(".*"),
            replacement in proptest::option::of("[\"\\\\\\x00-\\x1f a-z]*"),
            aliases in proptest::collection::vec("[\\x00-\\x7f]{0,8}", 0..3),
            line in any::<usize>(),
        ) {
            let fix = title.map(|title| Fix { title, replacement });
            let findings = vec![
                Finding { line, ..finding(message, fix, aliases) },
                finding(String::new(), None, Vec::new()),
            ];
            prop_assert_eq!(
                findings_json(&findings),
                serde_json::to_vec(&findings).unwrap_or_default()
            );
        }
    }
}
