//! The size part of the report page: before → after in the summary band,
//! and per image a table of stages and layers with both units (disk =
//! unpacked, pull = compressed), ranges, bars drawn in SVG (no inline
//! styles: the CSP forbids them), and the basis of every figure.

use crate::size::SizeReport;
use crate::size::render::{mb, range};
use crate::size::types::{Basis, ImageSize, LayerSize, Range, StageRole};

/// One layer row.
pub struct LayerRow {
    /// The instruction's line (0 for a base row).
    pub line: usize,
    /// `base`, `run`, `copy`, `add`.
    pub kind: &'static str,
    /// Disk range, as text.
    pub disk: String,
    /// Pull range, as text.
    pub pull: String,
    /// Bar length in percent of the largest row of the image.
    pub bar: u64,
    /// Where the figure comes from.
    pub basis: String,
    /// A note (what the layer holds, why unknown).
    pub note: String,
    /// Whether it could not be sized.
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
    /// Totals.
    pub disk: String,
    /// Totals compressed.
    pub pull: String,
    /// The rows.
    pub layers: Vec<LayerRow>,
}

/// One image's table.
pub struct ImageTable {
    /// `Before` or `After`.
    pub title: &'static str,
    /// An anchor id.
    pub anchor: &'static str,
    /// Image total on disk.
    pub disk: String,
    /// Image total to pull.
    pub pull: String,
    /// Whether the totals are a lower bound.
    pub lower_bound: bool,
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
    pub before_disk: String,
    /// Before, compressed.
    pub before_pull: String,
    /// After, on disk (when converted).
    pub after_disk: Option<String>,
    /// After, compressed.
    pub after_pull: Option<String>,
    /// The disk saving, `85%` (or growth, `-3%`).
    pub saving: Option<String>,
    /// Megabytes saved on disk.
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

fn basis_text(basis: &[Basis]) -> String {
    basis
        .iter()
        .map(|b| {
            if b.source.is_empty() {
                b.name.clone()
            } else if b.date.is_empty() {
                format!("{} ({})", b.name, b.source)
            } else {
                format!("{} ({}, {})", b.name, b.source, b.date)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn percent(part: u64, whole: u64) -> u64 {
    part.saturating_mul(100)
        .checked_div(whole)
        .map_or(0, |p| p.min(100))
}

fn layer_row(layer: &LayerSize, largest: u64) -> LayerRow {
    LayerRow {
        line: layer.instruction_line,
        kind: layer.kind.name(),
        disk: if layer.unknown {
            "unknown".into()
        } else {
            range(layer.disk)
        },
        pull: if layer.unknown {
            "unknown".into()
        } else {
            range(layer.pull)
        },
        bar: percent(layer.disk.estimate_bytes, largest),
        basis: basis_text(&layer.basis),
        note: layer.note.clone(),
        unknown: layer.unknown,
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
        disk: range(image.disk),
        pull: range(image.pull),
        lower_bound: image.lower_bound,
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
            .map(|s| StageRows {
                name: s.name.clone(),
                base: s.base.clone(),
                in_image: s.in_image,
                role: match s.role {
                    StageRole::Final => "final stage",
                    StageRole::Base => "base of the final stage",
                    StageRole::Build => "build stage (not in the image)",
                },
                disk: range(s.disk),
                pull: range(s.pull),
                layers: s.layers.iter().map(|l| layer_row(l, largest)).collect(),
            })
            .collect(),
    }
}

fn estimate(r: Range) -> u64 {
    r.estimate_bytes
}

/// The view of a report's sizes.
pub fn view(size: &SizeReport) -> SizeView {
    let before = estimate(size.before.disk);
    let after = size.after.as_ref().map(|a| estimate(a.disk));
    let larger = before.max(after.unwrap_or(0));
    let mut tables = vec![table("Before", "size-before", &size.before)];
    if let Some(a) = &size.after {
        tables.push(table("After", "size-after", a));
    }
    SizeView {
        before_disk: range(size.before.disk),
        before_pull: range(size.before.pull),
        after_disk: size.after.as_ref().map(|a| range(a.disk)),
        after_pull: size.after.as_ref().map(|a| range(a.pull)),
        saving: size.saving_percent.map(|p| format!("{p:.0}%")),
        saving_mb: size.saving_bytes.filter(|b| *b > 0).map(mb),
        uncertain: size.uncertain,
        before_bar: percent(before, larger),
        after_bar: after.map_or(0, |a| percent(a, larger)),
        tables,
    }
}
