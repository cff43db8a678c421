//! The size part of a [`Report`](crate::report::Report): the image the
//! input builds, the image the converted Dockerfile builds (when there is
//! one) and the saving between them.

use serde::{Deserialize, Serialize};

use super::estimate::{SizeOptions, comparison, estimate};
use super::types::ImageSize;
use crate::model::Model;

/// What the figures of a [`SizeReport`] are, for readers of the JSON.
pub const UNITS: &str = "bytes, linux/amd64; disk = unpacked, what `docker images` shows; pull = compressed, what `docker pull` downloads";

/// Sizes before and after a conversion, as a report carries them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SizeReport {
    /// What the figures are: [`UNITS`].
    pub units: String,
    /// The image the input Dockerfile builds.
    pub before: ImageSize,
    /// The image the converted Dockerfile builds, when restage made one
    /// that differs from the input.
    pub after: Option<ImageSize>,
    /// How much smaller the image is on disk, in percent of `before`
    /// (negative when it grew), from the two estimates; none without a
    /// conversion or when a side has parts that could not be sized.
    pub saving_percent: Option<f64>,
    /// The same for the compressed (pull) size.
    pub pull_saving_percent: Option<f64>,
    /// Bytes saved on disk (estimate; 0 when the image grew).
    pub saving_bytes: Option<u64>,
    /// Whether a side has parts restage could not size.
    pub uncertain: bool,
}

/// Sizes the input (`before`) and, when given, the converted Dockerfile.
pub fn size_report(
    before: &Model<'_>,
    after: Option<&Model<'_>>,
    options: &SizeOptions,
) -> SizeReport {
    let before = estimate(before, options);
    let Some(after) = after else {
        return SizeReport {
            units: UNITS.to_string(),
            uncertain: before.lower_bound,
            before,
            after: None,
            saving_percent: None,
            pull_saving_percent: None,
            saving_bytes: None,
        };
    };
    let cmp = comparison(before, estimate(after, options));
    let known = !cmp.uncertain;
    SizeReport {
        units: UNITS.to_string(),
        saving_percent: known.then_some(cmp.saving_percent),
        pull_saving_percent: known.then_some(cmp.pull_saving_percent),
        saving_bytes: known.then_some(cmp.saving_bytes),
        uncertain: cmp.uncertain,
        before: cmp.before,
        after: Some(cmp.after),
    }
}
