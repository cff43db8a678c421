//! The model's data.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use super::image::ImageRef;
use super::shell::Script;
use crate::dockerfile::instructions::{Command, CommandKind, Mount};
use crate::dockerfile::resolve::Expanded;
use crate::dockerfile::{Keyword, Location};

/// A Dockerfile as lint rules see it.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    /// The parsed document (nodes, comments, directives).
    pub doc: &'a crate::dockerfile::Document,
    /// One entry per node, same index as `doc.nodes`.
    pub instructions: Vec<Instruction>,
    /// The stages, in order.
    pub stages: Vec<StageModel>,
    /// `ARG`s before the first `FROM`: name and value (default expanded,
    /// `None` when there is none).
    pub meta_args: Vec<(String, Option<String>)>,
    /// What BuildKit would stop on: instruction errors and dispatch errors.
    pub problems: Vec<Problem>,
    /// The width in characters of every source line (`\r` excluded), so
    /// that a finding's end column is found without rescanning the source.
    pub line_widths: Vec<usize>,
}

/// An error BuildKit reports for the file (it would not build).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// BuildKit's message.
    pub message: String,
    /// First line.
    pub start_line: usize,
    /// Last line.
    pub end_line: usize,
    /// What is wrong: the flag, option or argument at fault, else the
    /// instruction's keyword; line 0 for an error of the whole file.
    pub location: Location,
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BaseImage {
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage.
    Stage {
        /// Its index.
        index: usize,
    },
    /// An image. `reference` is the text after `ARG` defaults were
    /// substituted; `image` is that text parsed, when it is a reference.
    Image {
        /// The reference text.
        reference: String,
        /// The parsed reference.
        image: Option<ImageRef>,
    },
}

/// One stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageModel {
    /// Index in the file.
    pub index: usize,
    /// Name (lower case), if any.
    pub name: Option<String>,
    /// Name as written after `AS`.
    pub name_as_written: Option<String>,
    /// Index of the `FROM` node.
    pub node: usize,
    /// The `FROM` line.
    pub line: usize,
    /// The base as written (`${BASE}`, `python:3.12`).
    pub base_text: String,
    /// The base, resolved.
    pub base: BaseImage,
    /// `--platform`, as written.
    pub platform: Option<String>,
    /// `--platform` after expansion, when the build resolved.
    pub platform_resolved: Option<String>,
    /// Variables `FROM` uses that are neither global `ARG`s nor BuildKit's
    /// platform arguments (when the build resolved).
    pub from_undefined: BTreeSet<String>,
    /// Indexes (into [`Model::instructions`]) of the stage's instructions,
    /// `FROM` excluded, in order.
    pub instructions: Vec<usize>,
    /// Whether this is the stage the build produces (the last one).
    pub is_final: bool,
    /// Stages that build on this one or copy from it.
    pub used_by: Vec<usize>,
    /// Whether the final stage depends on it, directly or not.
    pub reaches_final: bool,
    /// The context after its last instruction: what a stage built on it
    /// starts in.
    pub end: Context,
    /// The environment at the end of the stage, when the build resolved
    /// (`ENV` and `ARG` values; base-image variables other than `PATH` unknown).
    pub env: Vec<(String, String)>,
}

/// The state a stage is in before an instruction runs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
///
/// Every instruction holds its context: the values are shared, not copied,
/// so that a long `USER`, `WORKDIR` or `SHELL` before thousands of
/// instructions costs its length once.
pub struct Context {
    /// `USER` in effect, `None` when no `USER` was set in this stage or a
    /// stage it builds on (the base image's user applies).
    pub user: Option<Arc<str>>,
    /// `WORKDIR` in effect (absolute), `None` when none was set.
    pub workdir: Option<Arc<str>>,
    /// `SHELL` in effect, `None` for the default `/bin/sh -c`.
    pub shell: Option<Arc<[String]>>,
}

impl Context {
    /// The shell program (`/bin/sh` by default).
    pub fn shell_program(&self) -> &str {
        self.shell
            .as_ref()
            .and_then(|s| s.first())
            .map_or("/bin/sh", String::as_str)
    }

    /// Whether the shell is a POSIX shell (not PowerShell or cmd).
    pub fn posix_shell(&self) -> bool {
        let program = self.shell_program();
        let base = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(program)
            .to_ascii_lowercase();
        !matches!(base.trim_end_matches(".exe"), "pwsh" | "powershell" | "cmd")
    }
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instruction {
    /// Index of the node in `doc.nodes`.
    pub node: usize,
    /// First line.
    pub start_line: usize,
    /// Last line.
    pub end_line: usize,
    /// The keyword.
    pub keyword: Keyword,
    /// The stage it belongs to (`FROM` belongs to the stage it starts);
    /// `None` before the first `FROM`.
    pub stage: Option<usize>,
    /// The typed command (`None` for `FROM` and for instructions BuildKit rejects).
    pub command: Option<Command>,
    /// BuildKit's error for this instruction, if it rejects it.
    pub error: Option<String>,
    /// The stage's state before the instruction.
    pub context: Context,
    /// For `RUN`: its scripts and mounts.
    pub run: Option<RunInfo>,
    /// For `ONBUILD`: the instruction it registers.
    pub trigger: Option<Trigger>,
    /// Fields after variable expansion, when the build resolved.
    pub expanded: Option<Expanded>,
    /// Variables used but neither set nor declared (BuildKit's `UndefinedVar`).
    pub undefined: BTreeSet<String>,
}

impl Instruction {
    /// The typed command's kind.
    pub fn kind(&self) -> Option<&CommandKind> {
        self.command.as_ref().map(|c| &c.kind)
    }
}

/// The instruction an `ONBUILD` registers, parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trigger {
    /// Its keyword.
    pub keyword: Keyword,
    /// The typed command, when it parses.
    pub command: Option<Command>,
    /// For `ONBUILD RUN`: its scripts.
    pub run: Option<RunInfo>,
}

/// A `RUN`'s scripts and mounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// The command line, then every heredoc body that a shell runs.
    pub scripts: Vec<Script>,
    /// Whether the command is in exec (JSON) form.
    pub exec_form: bool,
    /// Whether the shell in effect is POSIX (scripts of PowerShell or cmd
    /// are still split into commands, but shell rules should skip them).
    pub posix: bool,
    /// `--mount`s, with values expanded when the build resolved.
    pub mounts: Vec<Mount>,
}

impl RunInfo {
    /// Every simple command of every script, in order.
    pub fn commands(&self) -> impl Iterator<Item = &super::shell::SimpleCommand> {
        self.scripts.iter().flat_map(|s| s.commands.iter())
    }

    /// Whether a cache or tmpfs mount covers `path` (the mount target is
    /// `path` or a parent of it).
    pub fn has_cache_mount(&self, path: &str) -> bool {
        use crate::dockerfile::instructions::MountType;
        self.mounts.iter().any(|m| {
            matches!(m.kind, MountType::Cache | MountType::Tmpfs)
                && m.target.as_deref().is_some_and(|t| covers(t, path))
        })
    }
}

/// Whether directory `dir` is `path` or contains it.
pub fn covers(dir: &str, path: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}
