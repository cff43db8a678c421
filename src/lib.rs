//! restage: lint Dockerfiles and turn them into lean multi-stage builds.
//!
//! The analysis (`dockerfile`, `model`, `lint`, `convert`, `size`,
//! `report`) lives in the `restage-engine` crate and is re-exported here:
//! it is pure, no I/O, no globals, no panics on any input. `store` (SQLite)
//! and `web` (the HTTP service) only move its reports around.

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

pub mod allocator;
pub mod store;
pub mod web;

pub use restage_engine::{convert, dockerfile, knowledge, lint, model, parallel, report, size};

pub use report::{AnalysisOptions, InputError, Report, analyze};
