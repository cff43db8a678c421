//! Size estimates: per stage and per layer, before and after a conversion,
//! each figure a range with its basis (a catalog row with its source and
//! date, the package tables, a manifest, or a named heuristic).
//!
//! Two units, always labelled: **disk** (unpacked, what `docker images`
//! shows) and **pull** (compressed, what `docker pull` downloads), both in
//! bytes; rendered in MB of 10^6 bytes as `docker images` prints them.
//!
//! - [`estimate`] sizes the image a [`Model`](crate::model::Model)
//!   builds: the final stage and the stages it is built `FROM`. Build
//!   stages are listed with their sizes but not counted: only what
//!   `COPY --from` takes from them reaches the image.
//! - [`compare`] sizes two Dockerfiles (before and after a conversion)
//!   and gives the saving in percent of the disk size.
//! - Rows: the base image first, then one row per `RUN`, `COPY` and `ADD`.
//!   Metadata instructions (`WORKDIR`, `ENV`, `USER`, `EXPOSE`, ...) add no
//!   files and have no row.
//! - Ranges add up: the total's low is the sum of the lows, its high the
//!   sum of the highs, its estimate the sum of the estimates.
//! - An image the catalog does not know is *unknown*, with the reason; it
//!   counts 0 and the totals are flagged as a lower bound.
//!
//! Knowledge is data (`data/images.toml`, `data/debian-packages.toml`,
//! `data/package-sizes.toml`, `data/heuristics.toml`), each row with a
//! source, a date and a trust tag. A team adds its own base images with
//! [`Catalog::with_config`] (`[[images]]` rows of `restage.toml`; see
//! [`config`]).
//! - [`size_report`] is what a [`Report`](crate::report::Report) carries:
//!   the input's image, the converted one's and the saving.

pub mod catalog;
pub mod config;
mod deps;
mod env;
mod estimate;
pub mod heuristics;
pub mod image_sizes;
pub(crate) mod ledger;
pub mod manifests;
pub mod normalise;
pub mod packages;
pub mod render;
pub mod report;
mod run;
pub mod types;

pub use catalog::{Catalog, CatalogError, ImageEntry, Lookup};
pub use estimate::{SizeOptions, compare, comparison, estimate};
pub use manifests::{Manifest, ManifestError, ManifestKind, Manifests, READ_MANIFESTS};
pub use render::{render_comparison_text, render_report_text, render_text};
pub use report::{SizeReport, UNITS, size_report};
pub use types::{
    Basis, BasisKind, ImageSize, LayerKind, LayerSize, MB, Range, SizeComparison, Sizes, StageRole,
    StageSize, Trust,
};

use crate::dockerfile;
use crate::model::Model;

/// Why Dockerfile text could not be sized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub enum SizeError {
    /// The text does not parse.
    #[error("the Dockerfile does not parse: line {line}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// BuildKit's message.
        message: String,
    },
}

fn parse(text: &str) -> Result<dockerfile::Document, SizeError> {
    dockerfile::parse(text).map_err(|e| SizeError::Parse {
        line: e.line(),
        message: e.to_string(),
    })
}

/// Estimates the image of Dockerfile text.
pub fn estimate_text(text: &str, options: &SizeOptions) -> Result<ImageSize, SizeError> {
    let doc = parse(text)?;
    let model = Model::build(&doc);
    Ok(estimate(&model, options))
}

/// Compares the images of two Dockerfile texts (before and after).
pub fn compare_text(
    before: &str,
    after: &str,
    options: &SizeOptions,
) -> Result<SizeComparison, SizeError> {
    let before_doc = parse(before)?;
    let after_doc = parse(after)?;
    let before = Model::build(&before_doc);
    let after = Model::build(&after_doc);
    Ok(compare(&before, &after, options))
}

#[cfg(test)]
mod tests;
