//! Text tables of an [`ImageSize`] or a [`SizeComparison`]: per stage and
//! layer, both units labelled, ranges as `180 MB (150–230 MB)`, unknowns
//! marked, then the totals and the saving.
//!
//! MB are 10^6 bytes, as `docker images` prints them.

use std::fmt::Write;

use super::report::SizeReport;
use super::types::{Basis, BasisKind, ImageSize, LayerSize, MB, Range, SizeComparison, StageRole};

/// A size in MB, by the one rounding rule every output uses (the text
/// report, the CLI and the web UI): no decimals from 10 MB (`411`), one
/// below 10 MB (`4.2`), two below 1 MB (`0.35`), `<0.01` below that, and
/// from 1,000 MB the thousands grouped with commas (`1,110`, `120,150`):
/// always MB, never GB, so that figures side by side compare at a glance.
pub fn mb(bytes: u64) -> String {
    let v = bytes as f64 / MB;
    if bytes == 0 {
        "0".into()
    } else if v >= 10.0 {
        group_thousands(&format!("{v:.0}"))
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else if v >= 0.01 {
        format!("{v:.2}")
    } else {
        "<0.01".into()
    }
}

/// A count with its thousands grouped as sizes are: `6,000`.
pub fn thousands(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// `digits` (a whole number) with commas between groups of three.
fn group_thousands(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A range in its two parts: the estimate (`180 MB`) and, unless the
/// range is exact, the span (`(150–230 MB)`).
pub fn range_parts(r: Range) -> (String, Option<String>) {
    let (lo, est, hi) = (mb(r.low_bytes), mb(r.estimate_bytes), mb(r.high_bytes));
    let span = (lo != hi).then(|| format!("({lo}–{hi} MB)"));
    (format!("{est} MB"), span)
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
    match range_parts(r) {
        (est, Some(span)) => format!("{est} {span}"),
        (est, None) => est,
    }
}

/// The words before a total that is a lower bound: `at least `, or nothing.
pub fn at_least(lower_bound: bool) -> &'static str {
    if lower_bound { "at least " } else { "" }
}

/// A layer's disk and pull figures as the tables print them: `unknown`
/// when nothing of it could be sized, `≥ 9.7 MB (6.1–14 MB)` when only
/// part of it could (the figure is then a lower bound).
pub fn layer_figures(layer: &LayerSize) -> (String, String) {
    if layer.unknown && layer.disk.is_zero() {
        ("unknown".to_string(), "unknown".to_string())
    } else if layer.unknown {
        (
            format!("≥ {}", range(layer.disk)),
            format!("≥ {}", range(layer.pull)),
        )
    } else {
        (range(layer.disk), range(layer.pull))
    }
}

/// A saving in percent as every output words it: `81.3 % smaller`, or
/// `4.0 % larger` for growth.
pub fn saving(percent: f64) -> String {
    let verb = if percent >= 0.0 { "smaller" } else { "larger" };
    format!("{:.1} % {verb}", percent.abs())
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
            let (disk, pull) = layer_figures(layer);
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
        let bound = at_least(stage.lower_bound);
        let _ = writeln!(
            out,
            "  stage total: disk {bound}{}, pull {bound}{}",
            range(stage.disk),
            range(stage.pull)
        );
    }
    let _ = writeln!(out);
    let bound = at_least(size.lower_bound);
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
    let _ = writeln!(
        out,
        "Saving: disk {} → {}: {}; pull {} → {}: {}",
        range(cmp.before.disk),
        range(cmp.after.disk),
        saving(cmp.saving_percent),
        range(cmp.before.pull),
        range(cmp.after.pull),
        saving(cmp.pull_saving_percent),
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
    match (size.saving_percent, size.pull_saving_percent) {
        (Some(disk), Some(pull)) => {
            let _ = writeln!(
                out,
                "Saving: disk {} → {}: {}; pull {} → {}: {}",
                range(size.before.disk),
                range(after.disk),
                saving(disk),
                range(size.before.pull),
                range(after.pull),
                saving(pull),
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

    #[test]
    fn thousands_are_grouped_and_savings_worded_once() {
        assert_eq!(mb(1_110_000_000), "1,110");
        assert_eq!(mb(120_150_000_000), "120,150");
        assert_eq!(mb(999_400_000), "999");
        assert_eq!(mb(1_234_567_000_000), "1,234,567");
        assert_eq!(
            range(Range::mb(269.0, 10_097.0, 120_150.0)),
            "10,097 MB (269–120,150 MB)"
        );
        assert_eq!(thousands(6_000), "6,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(saving(81.34), "81.3 % smaller");
        assert_eq!(saving(-4.0), "4.0 % larger");
    }
}
