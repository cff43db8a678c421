//! Text tables of an [`ImageSize`] or a [`SizeComparison`]: per stage and
//! layer, both units labelled, ranges as `180 MB (150–230 MB)`, unknowns
//! marked, then the totals and the saving.
//!
//! MB are 10^6 bytes, as `docker images` prints them.

use std::fmt::Write;

use super::report::SizeReport;
use super::types::{Basis, BasisKind, ImageSize, MB, Range, SizeComparison, StageRole};

/// A size as MB with a precision that does not pretend: `1110`, `24`, `4.2`, `0.35`.
pub fn mb(bytes: u64) -> String {
    let v = bytes as f64 / MB;
    if bytes == 0 {
        "0".into()
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else if v >= 0.01 {
        format!("{v:.2}")
    } else {
        "<0.01".into()
    }
}

/// `1 package`, `3 packages`: a count with its noun, singular or plural.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A range: `180 MB (150–230 MB)`, or `180 MB` when exact.
pub fn range(r: Range) -> String {
    let (lo, est, hi) = (mb(r.low_bytes), mb(r.estimate_bytes), mb(r.high_bytes));
    if lo == hi {
        format!("{est} MB")
    } else {
        format!("{est} MB ({lo}–{hi} MB)")
    }
}

fn basis_text(basis: &[Basis]) -> String {
    let mut parts: Vec<String> = basis
        .iter()
        .take(3)
        .map(|b| {
            let kind = match b.kind {
                BasisKind::Catalog => "catalog",
                BasisKind::Packages => "packages",
                BasisKind::Manifest => "manifest",
                BasisKind::Heuristic => "heuristic",
                BasisKind::Stage => "stage",
                BasisKind::Inline => "inline",
                BasisKind::Unknown => "unknown",
            };
            let mut s = format!("{kind} {}", b.name);
            let mut detail: Vec<&str> = Vec::new();
            if !b.date.is_empty() {
                detail.push(&b.date);
            }
            detail.push(b.trust.tag());
            s.push_str(&format!(" [{}]", detail.join(", ")));
            s
        })
        .collect();
    if basis.len() > 3 {
        parts.push(format!("+{} more", basis.len() - 3));
    }
    parts.join("; ")
}

/// The tables of one image.
pub fn render_text(size: &ImageSize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sizes for linux/amd64. disk = unpacked, as `docker images` shows; pull = compressed, what `docker pull` downloads. MB = 10^6 bytes."
    );
    for stage in &size.stages {
        let role = match stage.role {
            StageRole::Final => "the image",
            StageRole::Base => "part of the image (the final stage builds on it)",
            StageRole::Build => "build stage, not in the image",
        };
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Stage {} `{}` FROM {} — {role}",
            stage.index, stage.name, stage.base
        );
        let _ = writeln!(
            out,
            "  {:>5}  {:<5}  {:<30}  {:<30}  basis",
            "line", "kind", "disk", "pull"
        );
        for layer in &stage.layers {
            let (disk, pull) = if layer.unknown && layer.disk.is_zero() {
                ("unknown".to_string(), "unknown".to_string())
            } else if layer.unknown {
                (
                    format!("≥ {}", range(layer.disk)),
                    format!("≥ {}", range(layer.pull)),
                )
            } else {
                (range(layer.disk), range(layer.pull))
            };
            let _ = writeln!(
                out,
                "  {:>5}  {:<5}  {:<30}  {:<30}  {}",
                layer.instruction_line,
                layer.kind.name(),
                disk,
                pull,
                basis_text(&layer.basis)
            );
            if !layer.note.is_empty() {
                let _ = writeln!(out, "  {:>5}  {:<5}  {}", "", "", layer.note);
            }
        }
        let bound = if stage.lower_bound { "at least " } else { "" };
        let _ = writeln!(
            out,
            "  stage total: disk {bound}{}, pull {bound}{}",
            range(stage.disk),
            range(stage.pull)
        );
    }
    let _ = writeln!(out);
    let bound = if size.lower_bound { "at least " } else { "" };
    let _ = writeln!(
        out,
        "Image total: disk {bound}{}, pull {bound}{}",
        range(size.disk),
        range(size.pull)
    );
    for reason in &size.unknown {
        let _ = writeln!(out, "  unknown: {reason}");
    }
    if size.lower_bound {
        let _ = writeln!(
            out,
            "  The totals are a lower bound: parts of the image could not be sized."
        );
    }
    for e in &size.manifest_errors {
        let _ = writeln!(out, "  manifest not read: {e}");
    }
    if !size.manifests_used.is_empty() {
        let _ = writeln!(out, "  manifests used: {}", size.manifests_used.join(", "));
    }
    out
}

/// The tables before and after a conversion, and the saving.
pub fn render_comparison_text(cmp: &SizeComparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "BEFORE");
    out.push_str(&render_text(&cmp.before));
    let _ = writeln!(out);
    let _ = writeln!(out, "AFTER");
    out.push_str(&render_text(&cmp.after));
    let _ = writeln!(out);
    let verb = |p: f64| if p >= 0.0 { "smaller" } else { "larger" };
    let _ = writeln!(
        out,
        "Saving: disk {} → {}: {:.1} % {}; pull {} → {}: {:.1} % {}",
        range(cmp.before.disk),
        range(cmp.after.disk),
        cmp.saving_percent.abs(),
        verb(cmp.saving_percent),
        range(cmp.before.pull),
        range(cmp.after.pull),
        cmp.pull_saving_percent.abs(),
        verb(cmp.pull_saving_percent),
    );
    if cmp.uncertain {
        let _ = writeln!(
            out,
            "  Uncertain: a side has parts restage could not size (see `unknown` above)."
        );
    }
    out
}

/// The size part of a report: before, after (when there is a conversion)
/// and the saving.
pub fn render_report_text(size: &SizeReport) -> String {
    let mut out = String::new();
    let Some(after) = &size.after else {
        out.push_str(&render_text(&size.before));
        return out;
    };
    let _ = writeln!(out, "BEFORE (the input)");
    out.push_str(&render_text(&size.before));
    let _ = writeln!(out);
    let _ = writeln!(out, "AFTER (the multi-stage Dockerfile)");
    out.push_str(&render_text(after));
    let _ = writeln!(out);
    let verb = |p: f64| if p >= 0.0 { "smaller" } else { "larger" };
    match (size.saving_percent, size.pull_saving_percent) {
        (Some(disk), Some(pull)) => {
            let _ = writeln!(
                out,
                "Saving: disk {} → {}: {:.1} % {}; pull {} → {}: {:.1} % {}",
                range(size.before.disk),
                range(after.disk),
                disk.abs(),
                verb(disk),
                range(size.before.pull),
                range(after.pull),
                pull.abs(),
                verb(pull),
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "Saving: not given: a side has parts restage could not size (see `unknown` above)."
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        assert_eq!(mb(1_110_000_000), "1110");
        assert_eq!(mb(4_240_000), "4.2");
        assert_eq!(mb(350_000), "0.35");
        assert_eq!(range(Range::mb(150.0, 180.0, 230.0)), "180 MB (150–230 MB)");
        assert_eq!(range(Range::exact(2_000_000)), "2.0 MB");
        assert_eq!(mb(4_000), "<0.01");
        assert_eq!(
            (
                count(1, "package", "packages"),
                count(2, "package", "packages")
            ),
            ("1 package".to_string(), "2 packages".to_string())
        );
    }
}
