//! restage: lint Dockerfiles and turn them into lean multi-stage builds.
//!
//! The analysis (`dockerfile`, `model`, `lint`, `convert`, `report`) is
//! pure: no I/O, no globals, no panics on any input. `store` (SQLite) and
//! `web` (the HTTP service) only move its reports around.

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
pub mod parallel;
pub mod report;
pub mod size;
pub mod store;
pub mod web;

pub use report::{AnalysisOptions, InputError, Report, analyze};
