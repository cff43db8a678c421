//! restage's analysis engine: the Dockerfile parser (`dockerfile`), the
//! model of a build (`model`), lint, conversion, size estimates and the
//! report that gathers them. It is pure: no I/O, no globals, no panics on
//! any input. The `restage` crate (service, store, command line) re-exports
//! every module, so `restage::lint` is this crate's `lint`.
//!
//! It is its own crate so that it can be built for speed while the rest of
//! the binary is built for size (the release profile in the workspace's
//! `Cargo.toml`; BENCHMARKS.md, "Size and speed").

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
mod data;
pub mod dockerfile;
pub mod knowledge;
pub mod lint;
pub mod model;
pub mod parallel;
pub mod report;
pub mod size;

pub use report::{AnalysisOptions, InputError, Report, analyze};
