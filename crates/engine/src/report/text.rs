//! A report as plain text for a terminal or `curl`: the summary, the
//! findings with their source lines, the converted Dockerfile and why, and
//! the size tables (before and after, per stage and layer, disk and pull,
//! each figure with its basis).

use std::fmt::Write;

use super::Report;
use crate::lint::format::{self, FileReport, Format, RenderOptions};
use crate::size::SizeReport;
use crate::size::render::{at_least, mb, range, render_report_text, saving};

/// The report as text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let name = report.name.as_deref().unwrap_or("Dockerfile");
    let s = &report.summary;
    // One line whatever the name holds: a newline in it would forge lines.
    let one_line: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "restage report: {one_line}");
    let ecosystem = s.ecosystem.map_or("unknown", |e| e.name());
    let _ = writeln!(
        out,
        "ecosystem: {ecosystem}{}",
        s.strategy
            .as_deref()
            .map(|st| format!(" (strategy {st})"))
            .unwrap_or_default()
    );
    let c = s.findings;
    let _ = writeln!(
        out,
        "findings: {} error, {} warning, {} info, {} style",
        c.error, c.warning, c.info, c.style
    );
    if let Some(line) = report.size.as_ref().and_then(size_headline) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    if report.findings.is_empty() {
        out.push_str("== Findings ==\nNone.\n\n");
    } else {
        out.push_str("== Findings ==\n");
        let files = [FileReport {
            path: name,
            source: Some(&report.dockerfile),
            findings: &report.findings,
        }];
        out.push_str(&format::render(
            Format::Tty,
            &files,
            &RenderOptions::default(),
        ));
        out.push('\n');
    }
    match (&report.conversion, &report.refusal) {
        (Some(conv), _) if conv.unchanged => {
            out.push_str("== Multi-stage ==\n");
            for w in &conv.warnings {
                let _ = writeln!(out, "{w}");
            }
        }
        (Some(conv), _) => {
            let _ = writeln!(
                out,
                "== Multi-stage Dockerfile (confidence {:?}) ==",
                conv.confidence
            );
            out.push_str(&conv.dockerfile);
            if !conv.dockerfile.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("\n== Changes ==\n");
            for ch in &conv.changes {
                let from = if ch.source_lines.is_empty() {
                    String::new()
                } else {
                    format!(" (line {})", join(&ch.source_lines))
                };
                let _ = writeln!(out, "- {}{from}: {}", ch.summary, ch.reason);
            }
            if !conv.assumptions.is_empty() {
                out.push_str("\n== Assumptions ==\n");
                for a in &conv.assumptions {
                    let _ = writeln!(out, "- {a}");
                }
            }
            if !conv.warnings.is_empty() {
                out.push_str("\n== Warnings ==\n");
                for w in &conv.warnings {
                    let _ = writeln!(out, "- {w}");
                }
            }
        }
        (None, Some(refusal)) => {
            let _ = writeln!(out, "== Multi-stage ==\nNot converted: {}", refusal.reason);
        }
        (None, None) => {}
    }
    if let Some(size) = &report.size {
        out.push_str("\n== Size ==\n");
        out.push_str(&render_report_text(size));
    }
    out
}

/// `size: disk 1,248 MB → 236 MB (81.1 % smaller), pull 481 MB → 79 MB`.
fn size_headline(size: &SizeReport) -> Option<String> {
    let before = &size.before;
    let Some(after) = &size.after else {
        return Some(format!(
            "size: disk {}{}, pull {}{}",
            at_least(before.lower_bound),
            range(before.disk),
            at_least(before.lower_bound),
            range(before.pull)
        ));
    };
    let change = size
        .saving_percent
        .map(|p| format!(" ({})", saving(p)))
        .unwrap_or_default();
    Some(format!(
        "size: disk {}{} → {}{}{change}, pull {}{} → {}{}",
        at_least(before.lower_bound),
        mb(before.disk.estimate_bytes) + " MB",
        at_least(after.lower_bound),
        mb(after.disk.estimate_bytes) + " MB",
        at_least(before.lower_bound),
        mb(before.pull.estimate_bytes) + " MB",
        at_least(after.lower_bound),
        mb(after.pull.estimate_bytes) + " MB",
    ))
}

fn join(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
