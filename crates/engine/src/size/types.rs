//! What a size estimate returns: byte ranges, their basis, and the per
//! stage and per layer breakdown.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use super::manifests::ManifestError;

/// One megabyte as `docker images` counts it: 10^6 bytes.
pub const MB: f64 = 1_000_000.0;

/// A size in bytes with the range it can honestly be given as:
/// `low_bytes <= estimate_bytes <= high_bytes`, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Range {
    /// The most likely figure.
    pub estimate_bytes: u64,
    /// The smallest plausible figure.
    pub low_bytes: u64,
    /// The largest plausible figure.
    pub high_bytes: u64,
}

impl Range {
    /// Zero bytes, exactly.
    pub const ZERO: Self = Self {
        estimate_bytes: 0,
        low_bytes: 0,
        high_bytes: 0,
    };

    /// A range from three figures in bytes, put in order if they are not.
    pub fn new(low: f64, estimate: f64, high: f64) -> Self {
        let clean = |v: f64| {
            if v.is_finite() && v > 0.0 {
                v.round()
            } else {
                0.0
            }
        };
        let (mut low, mut estimate, mut high) = (clean(low), clean(estimate), clean(high));
        if low > high {
            std::mem::swap(&mut low, &mut high);
        }
        estimate = estimate.clamp(low, high);
        // `as` saturates for floats beyond u64.
        Self {
            estimate_bytes: estimate as u64,
            low_bytes: low as u64,
            high_bytes: high as u64,
        }
    }

    /// An exact figure.
    pub fn exact(bytes: u64) -> Self {
        Self {
            estimate_bytes: bytes,
            low_bytes: bytes,
            high_bytes: bytes,
        }
    }

    /// A range from three figures in MB.
    pub fn mb(low: f64, estimate: f64, high: f64) -> Self {
        Self::new(low * MB, estimate * MB, high * MB)
    }

    /// `estimate` bytes, `spread` (0.3 = 30 %) either side.
    pub fn around(estimate: f64, spread: f64) -> Self {
        let spread = spread.clamp(0.0, 1.0);
        Self::new(
            estimate * (1.0 - spread),
            estimate,
            estimate * (1.0 + spread),
        )
    }

    /// Every figure multiplied by `factor`.
    pub fn scale(self, factor: f64) -> Self {
        self.scale3(factor, factor, factor)
    }

    /// Low, estimate and high multiplied by their own factors.
    pub fn scale3(self, low: f64, estimate: f64, high: f64) -> Self {
        Self::new(
            self.low_bytes as f64 * low,
            self.estimate_bytes as f64 * estimate,
            self.high_bytes as f64 * high,
        )
    }

    /// The range widened by `spread` more on each side (0.15 = low 15 %
    /// lower, high 15 % higher).
    pub fn widen(self, spread: f64) -> Self {
        let s = spread.clamp(0.0, 1.0);
        self.scale3(1.0 - s, 1.0, 1.0 + s)
    }

    /// The compressed size of content of this disk size, given the
    /// disk/pull ratio's range (every ratio at least 1).
    pub fn compress(self, ratio: Ratio) -> Self {
        let (low, est, high) = ratio.ordered();
        Self::new(
            self.low_bytes as f64 / high,
            self.estimate_bytes as f64 / est,
            self.high_bytes as f64 / low,
        )
    }

    /// Whether every figure is 0.
    pub fn is_zero(&self) -> bool {
        self.high_bytes == 0
    }

    /// The range with the low figure 0 (the figure is a guess with no floor).
    pub fn from_zero(self) -> Self {
        Self {
            low_bytes: 0,
            ..self
        }
    }
}

impl Add for Range {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            estimate_bytes: self.estimate_bytes.saturating_add(other.estimate_bytes),
            low_bytes: self.low_bytes.saturating_add(other.low_bytes),
            high_bytes: self.high_bytes.saturating_add(other.high_bytes),
        }
    }
}

impl AddAssign for Range {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Sum for Range {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

/// A disk/pull ratio with its range (`low <= estimate <= high`, all >= 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// Lowest plausible ratio.
    pub low: f64,
    /// Most likely ratio.
    pub estimate: f64,
    /// Highest plausible ratio.
    pub high: f64,
}

impl Ratio {
    /// The three figures, each at least 1, in order.
    pub fn ordered(self) -> (f64, f64, f64) {
        let fix = |v: f64| if v.is_finite() && v >= 1.0 { v } else { 1.0 };
        let mut v = [fix(self.low), fix(self.estimate), fix(self.high)];
        v.sort_by(f64::total_cmp);
        let [a, b, c] = v;
        (a, b, c)
    }
}

/// How far a figure can be trusted (the tags of `shared/spec/image-sizes.md`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum Trust {
    /// Copied from a source as-is.
    S,
    /// Measured directly.
    M,
    /// Derived from source data.
    D,
    /// A third-party page, informal.
    T,
    /// An estimate (ratio or composition reasoning).
    E,
}

impl Trust {
    /// The relative spread either side of a figure with this trust, when a
    /// row gives no range of its own.
    pub fn spread(self) -> f64 {
        match self {
            Self::S | Self::M => 0.04,
            Self::D => 0.10,
            Self::T | Self::E => 0.30,
        }
    }

    /// The weaker of two.
    pub fn weaker(self, other: Self) -> Self {
        self.max(other)
    }

    /// One-letter tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::S => "S",
            Self::M => "M",
            Self::D => "D",
            Self::T => "T",
            Self::E => "E",
        }
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BasisKind {
    /// A row of the image catalog.
    Catalog,
    /// The package size tables.
    Packages,
    /// A dependency manifest passed with the Dockerfile.
    Manifest,
    /// A heuristic for what the file does not say.
    Heuristic,
    /// Another stage of the same file.
    Stage,
    /// Bytes written in the Dockerfile itself (a heredoc).
    Inline,
    /// Nothing: the figure is unknown.
    Unknown,
}

/// The basis of one figure: which table row, manifest or heuristic, with
/// its source, date and trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Basis {
    /// What kind of basis.
    pub kind: BasisKind,
    /// Which row, manifest or heuristic (`python:3.12`, `apt-lists`, `requirements.txt`).
    pub name: String,
    /// Where its figures come from.
    pub source: String,
    /// When the source was read or the estimate made.
    pub date: String,
    /// How far to trust it.
    pub trust: Trust,
}

/// A pair of ranges: unpacked on disk and compressed for the pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sizes {
    /// Unpacked, what `docker images` shows.
    pub disk: Range,
    /// Compressed, what `docker pull` downloads.
    pub pull: Range,
}

impl Add for Sizes {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            disk: self.disk + other.disk,
            pull: self.pull + other.pull,
        }
    }
}

impl AddAssign for Sizes {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Sum for Sizes {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), Add::add)
    }
}

/// What kind of row a layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// The stage's base image (or base stage).
    Base,
    /// A `RUN`.
    Run,
    /// A `COPY`.
    Copy,
    /// An `ADD`.
    Add,
}

impl LayerKind {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::Run => "run",
            Self::Copy => "copy",
            Self::Add => "add",
        }
    }
}

/// One row of a stage: its base image or a layer-creating instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LayerSize {
    /// The instruction's first line (the `FROM` line for the base row).
    pub instruction_line: usize,
    /// What kind of row.
    pub kind: LayerKind,
    /// Unpacked size.
    pub disk: Range,
    /// Compressed size.
    pub pull: Range,
    /// Where the figures come from.
    pub basis: Vec<Basis>,
    /// What the row contains and how it was sized, for a person.
    pub note: String,
    /// Whether part of the row could not be sized (its figures are then a
    /// lower bound).
    pub unknown: bool,
}

/// How a stage relates to the image the Dockerfile builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StageRole {
    /// The last stage: the image.
    Final,
    /// A stage the final stage is built `FROM`, directly or not: its
    /// layers are part of the image (counted through the final stage's
    /// base row).
    Base,
    /// A build stage: only what `COPY --from` takes reaches the image.
    Build,
}

/// One stage with its rows and total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StageSize {
    /// Index in the file.
    pub index: usize,
    /// The stage's name, or `stage N`.
    pub name: String,
    /// The base as resolved (`python:3.12`, `scratch`, the base stage's name).
    pub base: String,
    /// How it relates to the image.
    pub role: StageRole,
    /// Whether its bytes are part of the image (final stage and the
    /// stages it is built `FROM`).
    pub in_image: bool,
    /// The stage's total: base plus layers.
    pub disk: Range,
    /// The stage's total, compressed.
    pub pull: Range,
    /// Whether a part could not be sized (the total is a lower bound).
    pub lower_bound: bool,
    /// The base row first, then one row per `RUN`, `COPY` and `ADD`.
    pub layers: Vec<LayerSize>,
}

/// The size of the image a Dockerfile builds, per stage and layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImageSize {
    /// The image's total unpacked size (its final stage).
    pub disk: Range,
    /// The image's total compressed size.
    pub pull: Range,
    /// Whether a part of the image could not be sized: the totals are then
    /// a lower bound.
    pub lower_bound: bool,
    /// Why, for each part that could not be sized.
    pub unknown: Vec<String>,
    /// Every stage, in file order; build stages are listed but not counted.
    pub stages: Vec<StageSize>,
    /// Manifests that could not be read (the estimate falls back to
    /// heuristics for them).
    pub manifest_errors: Vec<ManifestError>,
    /// The manifests the estimate used.
    pub manifests_used: Vec<String>,
}

/// Before and after a conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SizeComparison {
    /// The original Dockerfile's image.
    pub before: ImageSize,
    /// The converted Dockerfile's image.
    pub after: ImageSize,
    /// How much smaller the image is on disk, in percent of `before`
    /// (negative when it grew), from the two estimates.
    pub saving_percent: f64,
    /// The same for the compressed (pull) size.
    pub pull_saving_percent: f64,
    /// Bytes saved on disk (estimate; 0 when the image grew).
    pub saving_bytes: u64,
    /// Whether either side has parts that could not be sized, so that the
    /// saving is uncertain beyond the ranges.
    pub uncertain: bool,
}
