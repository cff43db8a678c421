//! The semantic model every lint rule reads, built once per file: stages
//! and how they depend on each other, resolved `ARG`/`ENV` values, the
//! user, workdir and shell in effect at each instruction, and every `RUN`
//! parsed as shell into simple commands.

mod build;
pub mod image;
pub mod shell;
pub mod tools;
mod types;

pub use build::join_workdir;
pub use types::{
    BaseImage, Context, Instruction, Model, Problem, RunInfo, StageModel, Trigger, covers,
};

#[cfg(test)]
mod tests;
