//! The semantic model every lint rule reads, built once per file: stages
//! and how they depend on each other, resolved `ARG`/`ENV` values, the
//! user, workdir and shell in effect at each instruction, and every `RUN`
//! parsed as shell into simple commands.

mod build;
pub mod image;
pub mod shell;
pub mod tools;
mod types;

pub use build::{MAX_WORKDIR_BYTES, MAX_WORKDIR_BYTES_IN_ALL, join_workdir};
pub use types::{
    BaseImage, Context, Instruction, Model, Problem, RunInfo, StageModel, Trigger, covers,
};

/// The text after the last `/` (`/usr/bin/pip3` → `pip3`, `bitnami/redis`
/// → `redis`), or all of it. A byte loop from the end: the names are
/// short and rules ask for them dozens of times a file, where a string
/// searcher costs more than the scan.
pub(crate) fn last_segment(path: &str) -> &str {
    match path.bytes().rposition(|b| b == b'/') {
        Some(slash) => path.get(slash + 1..).unwrap_or_default(),
        None => path,
    }
}

#[cfg(test)]
mod tests;
