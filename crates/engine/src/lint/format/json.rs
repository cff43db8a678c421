//! A JSON array of findings with the file they are in.

use serde::Serialize;

use super::FileReport;
use crate::lint::rule::{Fix, Severity};

#[derive(Serialize)]
struct Item<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'a str,
    aliases: &'a [String],
    name: &'a str,
    severity: Severity,
    message: &'a str,
    fix: Option<&'a Fix>,
}

/// Renders `[{file, line, column, end_line, end_column, code, aliases, name, severity, message, fix}]`.
pub fn render(files: &[FileReport<'_>]) -> String {
    let items: Vec<Item<'_>> = files
        .iter()
        .flat_map(|file| {
            file.findings.iter().map(move |f| Item {
                file: file.path,
                line: f.line,
                column: f.column,
                end_line: f.end_line,
                end_column: f.end_column,
                code: &f.code,
                aliases: &f.aliases,
                name: &f.name,
                severity: f.severity,
                message: &f.message,
                fix: f.fix.as_ref(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
