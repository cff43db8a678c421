//! BuildKit's dispatch semantics without building anything
//! (`frontend/dockerfile/dockerfile2llb`): the stage graph, variable scopes
//! and every field BuildKit expands, with its errors.
//!
//! Global `ARG`s (before the first `FROM`) are visible only to `FROM` and
//! to stages that declare them again; inside a stage, `ARG` and `ENV`
//! values form one environment in order, and each instruction is expanded
//! with the environment as it was before it. This layer runs every stage,
//! as BuildKit's lint mode does.

mod budget;
mod checks;
mod dispatch;
mod error;
mod graph;
mod platform;
mod scope;
mod types;

use std::collections::BTreeMap;

pub use budget::MAX_RESOLVED_BYTES;
pub use error::ResolveError;
pub use platform::{Platform, default_args, default_platform_args};
pub use scope::Scope;
pub use types::{
    ArgSource, Base, Dependency, DependencyKind, Expanded, ExpandedCopy, Resolution, ResolvedArg,
    ResolvedCommand, ResolvedStage, Source,
};

use crate::dockerfile::Document;
use crate::dockerfile::instructions::Instructions;

/// What the build is run with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveOptions {
    /// `--build-arg` values.
    pub build_args: BTreeMap<String, String>,
    /// The platform the build runs on (default `linux/amd64`).
    pub build_platform: Platform,
    /// The platform built for (default `linux/amd64`).
    pub target_platform: Platform,
    /// `--target`: the stage built (default: the last).
    pub target: Option<String>,
}

/// Applies BuildKit's dispatch semantics to parsed instructions.
pub fn resolve(
    doc: &Document,
    instructions: &Instructions,
    options: &ResolveOptions,
) -> Result<Resolution, ResolveError> {
    dispatch::Dispatcher::new(doc, instructions, options).run()
}

/// Like [`resolve`], but returns what was dispatched before an error with
/// the error: the stages and instructions up to the failing one are
/// resolved as BuildKit resolved them before it stopped (the failing stage
/// is included with the instructions before the failure).
pub fn resolve_partial(
    doc: &Document,
    instructions: &Instructions,
    options: &ResolveOptions,
) -> (Resolution, Option<ResolveError>) {
    dispatch::Dispatcher::new(doc, instructions, options).run_partial()
}

#[cfg(test)]
mod tests;
