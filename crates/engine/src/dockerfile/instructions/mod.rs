//! Typed instructions (BuildKit's `frontend/dockerfile/instructions`).
//!
//! The second of BuildKit's three layers: every node of a
//! [`Document`] becomes a typed [`Command`] (or a [`Stage`] for `FROM`),
//! with BuildKit's arity, flag and stage-structure checks and its exact
//! error messages. Nothing is expanded here: flag values, paths and
//! key/values are kept as written for the expansion layer.

mod cmdline;
mod command;
mod copy;
mod csv;
mod device;
mod duration;
mod error;
mod flags;
mod goconv;
mod gofloat;
mod healthcheck;
mod kv;
mod mount;
mod onbuild;
mod parse;
mod request;
mod run;
mod simple;
mod stage;
mod suggest;
mod units;

pub use command::{
    ArgDecl, CmdLine, Command, CommandKind, InlineFile, Instruction, KeyValue, OnbuildCommand,
};
pub use copy::{AddCommand, CopyCommand, SourceContent};
pub use device::{Device, parse_device};
pub use duration::parse_duration;
pub use error::InstructionError;
pub use healthcheck::{HealthTest, Healthcheck};
pub use mount::{
    Mount, MountSpec, MountType, Sharing, check_mount, parse_mount, parse_mount_field,
};
pub use run::{NetworkMode, RunCommand, SecurityMode};
pub use stage::{Instructions, Stage};
pub use units::ram_in_bytes;

use crate::dockerfile::{Document, Node};

/// BuildKit's `instructions.Parse`: all nodes, grouped into stages.
///
/// `ARG`s before the first `FROM` are meta args; any other instruction there
/// is `no build stage in current context`. The first error stops parsing.
pub fn parse_instructions(doc: &Document) -> Result<Instructions, InstructionError> {
    let mut out = Instructions::default();
    for (index, node) in doc.nodes.iter().enumerate() {
        match parse::parse_node(node, index)? {
            Instruction::Stage(mut stage) => {
                stage.index = out.stages.len();
                out.stages.push(stage);
            }
            Instruction::Command(command) => match out.stages.last_mut() {
                Some(stage) => stage.commands.push(command),
                None if matches!(command.kind, CommandKind::Arg(_)) => {
                    out.meta_args.push(command);
                }
                None => return Err(InstructionError::no_stage(node)),
            },
        }
    }
    Ok(out)
}

/// BuildKit's `ParseInstruction` for one node (also how `ONBUILD` triggers
/// are read in a child build). The result's node index is 0 and a stage's
/// index is 0; [`parse_instructions`] fills in the real ones.
pub fn parse_command(node: &Node) -> Result<Instruction, InstructionError> {
    parse::parse_node(node, 0)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;
