//! The size part of the report page: before → after in the summary band,
//! and per image a table of stages and layers with both units (disk =
//! unpacked, pull = compressed), ranges, bars drawn in SVG (no inline
//! styles: the CSP forbids them), and the basis of every figure.
//!
//! Every figure reads as the text report prints it: the engine's
//! [`range_parts`] and [`mb`] (one rounding rule, always MB, thousands
//! grouped with commas), `at least` before a total that is a lower bound,
//! `≥` before a layer sized only in part, and savings worded by
//! [`saving`] (`81.3 % smaller`).

use std::fmt;

use crate::size::SizeReport;
use crate::size::render::{at_least, mb, range_parts, saving, thousands};
use crate::size::types::{Basis, ImageSize, LayerSize, Range, StageRole, StageSize, Trust};

/// How many layer rows of one stage the page lists; the text report and
/// the JSON have them all.
pub const LAYERS_SHOWN: usize = 50;

/// A size as the page shows it: its bound, its estimate and its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// `at least `, `≥ ` or empty.
    pub bound: &'static str,
    /// `214 MB`, or `unknown`.
    pub estimate: String,
    /// `(94–1,677 MB)`, unless the figure is exact or unknown.
    pub span: Option<String>,
}

impl Figure {
    /// `r` after `bound`.
    pub fn new(r: Range, bound: &'static str) -> Self {
        let (estimate, span) = range_parts(r);
        Self {
            bound,
            estimate,
            span,
        }
    }

    /// A figure nothing is known of.
    fn unknown() -> Self {
        Self {
            bound: "",
            estimate: "unknown".into(),
            span: None,
        }
    }

    /// A total, `at least` one when `lower_bound`.
    fn total(r: Range, lower_bound: bool) -> Self {
        Self::new(r, at_least(lower_bound))
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.bound, self.estimate)?;
        match &self.span {
            Some(span) => write!(f, " {span}"),
            None => Ok(()),
        }
    }
}

/// A layer's disk and pull figures, as the text report's
/// [`crate::size::render::layer_figures`] words them.
fn layer_figures(layer: &LayerSize) -> (Figure, Figure) {
    if layer.unknown && layer.disk.is_zero() {
        return (Figure::unknown(), Figure::unknown());
    }
    let bound = if layer.unknown { "≥ " } else { "" };
    (
        Figure::new(layer.disk, bound),
        Figure::new(layer.pull, bound),
    )
}

/// One source of a figure.
pub struct BasisView {
    /// The row, manifest or heuristic (`python:3.12`).
    pub name: String,
    /// Where its figures come from, with `code` in backticks.
    pub source: String,
    /// When it was read or made.
    pub date: String,
    /// The trust letter, as the text report prints it (`S`, `E`, ...).
    pub trust: &'static str,
    /// What the letter means.
    pub trust_title: &'static str,
}

/// What a trust letter means, for its tooltip and the legend.
pub fn trust_meaning(trust: Trust) -> &'static str {
    match trust {
        Trust::S => "copied from a source as-is",
        Trust::M => "measured directly",
        Trust::D => "derived from source data",
        Trust::T => "from a third-party page, informal",
        Trust::E => "an estimate",
    }
}

/// The legend of the trust letters: `(letter, meaning)`.
pub const TRUST_LEGEND: [(&str, &str); 5] = [
    ("S", "copied from a source"),
    ("M", "measured"),
    ("D", "derived from source data"),
    ("T", "a third-party page"),
    ("E", "an estimate"),
];

fn basis_view(b: &Basis) -> BasisView {
    BasisView {
        name: b.name.clone(),
        source: b.source.clone(),
        date: b.date.clone(),
        trust: b.trust.tag(),
        trust_title: trust_meaning(b.trust),
    }
}

/// One layer row.
pub struct LayerRow {
    /// The instruction's line (0 for a base row).
    pub line: usize,
    /// `base`, `run`, `copy`, `add`.
    pub kind: &'static str,
    /// Disk figure.
    pub disk: Figure,
    /// Pull figure.
    pub pull: Figure,
    /// Bar length in percent of the largest row of the image.
    pub bar: u64,
    /// Where the figures come from.
    pub basis: Vec<BasisView>,
    /// A note (what the layer holds, why unknown).
    pub note: String,
    /// Whether it could not be sized, or only in part.
    pub unknown: bool,
}

/// One stage with its layers.
pub struct StageRows {
    /// Its name.
    pub name: String,
    /// Its base.
    pub base: String,
    /// Whether its bytes are in the image.
    pub in_image: bool,
    /// `final`, `base of the final stage`, `build stage`.
    pub role: &'static str,
    /// Total on disk.
    pub disk: Figure,
    /// Total to pull.
    pub pull: Figure,
    /// The rows shown (at most [`LAYERS_SHOWN`]).
    pub layers: Vec<LayerRow>,
    /// How many rows are not shown.
    pub hidden_layers: usize,
    /// The same, as text: `1,951`.
    pub hidden_layers_text: String,
}

/// One image's table.
pub struct ImageTable {
    /// `Before` or `After`.
    pub title: &'static str,
    /// An anchor id.
    pub anchor: &'static str,
    /// Image total on disk.
    pub disk: Figure,
    /// Image total to pull.
    pub pull: Figure,
    /// Why parts are unknown.
    pub unknown: Vec<String>,
    /// Manifests used.
    pub manifests: Vec<String>,
    /// Manifests given but not read, with why (file and line).
    pub manifest_errors: Vec<String>,
    /// The stages.
    pub stages: Vec<StageRows>,
}

/// Everything the page shows about sizes.
pub struct SizeView {
    /// Before, on disk.
    pub before_disk: Figure,
    /// Before, compressed.
    pub before_pull: Figure,
    /// After, on disk (when converted).
    pub after_disk: Option<Figure>,
    /// After, compressed.
    pub after_pull: Option<Figure>,
    /// The disk saving, `81.3 % smaller` (or `4.0 % larger`).
    pub saving: Option<String>,
    /// Whether the image grew.
    pub grew: bool,
    /// Megabytes saved on disk, `998`.
    pub saving_mb: Option<String>,
    /// Whether a side has parts that could not be sized.
    pub uncertain: bool,
    /// Bar lengths (percent of the larger image) for before and after.
    pub before_bar: u64,
    /// See `before_bar`.
    pub after_bar: u64,
    /// The tables.
    pub tables: Vec<ImageTable>,
}

fn percent(part: u64, whole: u64) -> u64 {
    part.saturating_mul(100)
        .checked_div(whole)
        .map_or(0, |p| p.min(100))
}

fn layer_row(layer: &LayerSize, largest: u64) -> LayerRow {
    let (disk, pull) = layer_figures(layer);
    LayerRow {
        line: layer.instruction_line,
        kind: layer.kind.name(),
        disk,
        pull,
        bar: percent(layer.disk.estimate_bytes, largest),
        basis: layer.basis.iter().map(basis_view).collect(),
        note: layer.note.clone(),
        unknown: layer.unknown,
    }
}

fn stage_rows(s: &StageSize, largest: u64) -> StageRows {
    StageRows {
        name: s.name.clone(),
        base: s.base.clone(),
        in_image: s.in_image,
        role: match s.role {
            StageRole::Final => "final stage",
            StageRole::Base => "base of the final stage",
            StageRole::Build => "build stage (not in the image)",
        },
        disk: Figure::total(s.disk, s.lower_bound),
        pull: Figure::total(s.pull, s.lower_bound),
        layers: s
            .layers
            .iter()
            .take(LAYERS_SHOWN)
            .map(|l| layer_row(l, largest))
            .collect(),
        hidden_layers: s.layers.len().saturating_sub(LAYERS_SHOWN),
        hidden_layers_text: thousands(s.layers.len().saturating_sub(LAYERS_SHOWN) as u64),
    }
}

fn table(title: &'static str, anchor: &'static str, image: &ImageSize) -> ImageTable {
    let largest = image
        .stages
        .iter()
        .flat_map(|s| s.layers.iter())
        .map(|l| l.disk.estimate_bytes)
        .max()
        .unwrap_or(0);
    ImageTable {
        title,
        anchor,
        disk: Figure::total(image.disk, image.lower_bound),
        pull: Figure::total(image.pull, image.lower_bound),
        unknown: image.unknown.clone(),
        manifests: image.manifests_used.clone(),
        manifest_errors: image
            .manifest_errors
            .iter()
            .map(ToString::to_string)
            .collect(),
        stages: image
            .stages
            .iter()
            .map(|s| stage_rows(s, largest))
            .collect(),
    }
}

/// The view of a report's sizes.
pub fn view(size: &SizeReport) -> SizeView {
    let before = size.before.disk.estimate_bytes;
    let after = size.after.as_ref().map(|a| a.disk.estimate_bytes);
    let larger = before.max(after.unwrap_or(0));
    let mut tables = vec![table("Before", "size-before", &size.before)];
    if let Some(a) = &size.after {
        tables.push(table("After", "size-after", a));
    }
    SizeView {
        before_disk: Figure::total(size.before.disk, size.before.lower_bound),
        before_pull: Figure::total(size.before.pull, size.before.lower_bound),
        after_disk: size
            .after
            .as_ref()
            .map(|a| Figure::total(a.disk, a.lower_bound)),
        after_pull: size
            .after
            .as_ref()
            .map(|a| Figure::total(a.pull, a.lower_bound)),
        saving: size.saving_percent.map(saving),
        grew: size.saving_percent.is_some_and(|p| p < 0.0),
        saving_mb: size.saving_bytes.filter(|b| *b > 0).map(mb),
        uncertain: size.uncertain,
        before_bar: percent(before, larger),
        after_bar: after.map_or(0, |a| percent(a, larger)),
        tables,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::render::{self, range};
    use crate::size::types::LayerKind;

    fn layer(disk: Range, unknown: bool) -> LayerSize {
        LayerSize {
            instruction_line: 3,
            kind: LayerKind::Run,
            disk,
            pull: disk.scale(0.5),
            basis: Vec::new(),
            note: String::new(),
            unknown,
        }
    }

    #[test]
    fn layer_figures_read_as_the_text_report_prints_them() {
        for (disk, unknown) in [
            (Range::mb(6.1, 9.7, 14.0), true),
            (Range::ZERO, true),
            (Range::mb(150.0, 1_180.0, 2_300.0), false),
            (Range::exact(2_000_000), false),
        ] {
            let l = layer(disk, unknown);
            let (d, p) = layer_figures(&l);
            assert_eq!((d.to_string(), p.to_string()), render::layer_figures(&l));
        }
        let (d, _) = layer_figures(&layer(Range::mb(6.1, 9.7, 14.0), true));
        assert_eq!(d.to_string(), "≥ 9.7 MB (6.1–14 MB)");
    }

    #[test]
    fn totals_say_when_they_are_a_lower_bound() {
        let r = Range::mb(94.0, 214.0, 1_677.0);
        assert_eq!(
            Figure::total(r, true).to_string(),
            format!("at least {}", range(r))
        );
        assert_eq!(
            Figure::total(r, true).to_string(),
            "at least 214 MB (94–1,677 MB)"
        );
        assert_eq!(Figure::total(r, false).to_string(), range(r));
    }
}
