//! GitLab Code Quality: a JSON array of Code Climate issues.

use serde::Serialize;

use super::FileReport;
use crate::lint::rule::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: &'a str,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// hadolint's mapping of severities to Code Climate's.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "blocker",
        Severity::Warning => "major",
        Severity::Info => "info",
        Severity::Style => "minor",
    }
}

/// A stable fingerprint: FNV-1a (64 bit) over path, code, line and message.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Renders the issues.
pub fn render(files: &[FileReport<'_>]) -> String {
    let issues: Vec<Issue<'_>> = files
        .iter()
        .flat_map(|file| {
            file.findings.iter().map(move |f| Issue {
                kind: "issue",
                check_name: &f.code,
                description: &f.message,
                categories: ["Bug Risk"],
                severity: severity(f.severity),
                fingerprint: fingerprint(&[file.path, &f.code, &f.line.to_string(), &f.message]),
                location: Location {
                    path: file.path,
                    lines: Lines {
                        begin: f.line,
                        end: f.end_line,
                    },
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
