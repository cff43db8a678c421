//! For people: `file:line:col CODE severity: message`, then the source line
//! with a marker under the reported columns, then the fix.

use super::{FileReport, RenderOptions};
use crate::lint::rule::Severity;

const RESET: &str = "\u{1b}[0m";
const BOLD: &str = "\u{1b}[1m";
const DIM: &str = "\u{1b}[2m";

fn color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\u{1b}[31m",
        Severity::Warning => "\u{1b}[33m",
        Severity::Info => "\u{1b}[36m",
        Severity::Style => "\u{1b}[35m",
    }
}

/// Renders every finding for a terminal.
pub fn render(files: &[FileReport<'_>], options: &RenderOptions) -> String {
    let paint = |code: &'static str, text: &str| {
        if options.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for file in files {
        let lines: Vec<&str> = file.source.map(|s| s.lines().collect()).unwrap_or_default();
        for f in file.findings {
            out.push_str(&format!(
                "{}:{}:{} {} {}: {}\n",
                paint(BOLD, file.path),
                f.line,
                f.column,
                paint(BOLD, &f.code),
                paint(color(f.severity), f.severity.as_str()),
                f.message
            ));
            if let Some(text) = f.line.checked_sub(1).and_then(|i| lines.get(i)) {
                let text = text.trim_end_matches('\r');
                let number = f.line.to_string();
                let gutter = " ".repeat(number.len());
                let width = text.chars().count();
                let start = f.column.saturating_sub(1).min(width);
                let end = if f.end_line == f.line {
                    f.end_column.saturating_sub(1)
                } else {
                    width
                };
                let marks = end.clamp(start + 1, width.max(start + 1)) - start;
                out.push_str(&format!(
                    "  {} {} {}\n",
                    paint(DIM, &number),
                    paint(DIM, "|"),
                    text
                ));
                out.push_str(&format!(
                    "  {} {} {}{}\n",
                    gutter,
                    paint(DIM, "|"),
                    " ".repeat(start),
                    paint(color(f.severity), &"^".repeat(marks))
                ));
            }
            if let Some(fix) = &f.fix {
                out.push_str(&format!("  = fix: {}\n", fix.title));
            }
        }
    }
    out
}
