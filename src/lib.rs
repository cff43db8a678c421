//! restage: lint Dockerfiles and turn them into lean multi-stage builds.
//!
//! The library is pure: no I/O, no globals, no panics on any input. The
//! binary (`restage`) and the web service only move its results around.

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod convert;
pub mod dockerfile;
pub mod knowledge;
pub mod lint;
pub mod model;
pub mod report;

pub use report::{AnalysisOptions, InputError, Report, analyze};
