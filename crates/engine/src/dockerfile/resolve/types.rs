//! What resolving a build yields: expanded values, scopes and the stage graph.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::dockerfile::instructions::Mount;

/// A build with BuildKit's dispatch semantics applied (all stages, as
/// BuildKit's lint mode does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// The global scope `FROM` lines see: platform arguments and the meta
    /// `ARG`s with their values.
    pub global_args: Vec<(String, String)>,
    /// Each meta `ARG` declaration (before the first `FROM`).
    pub meta_args: Vec<ResolvedArg>,
    /// One entry per stage, in order.
    pub stages: Vec<ResolvedStage>,
}

/// One `ARG` name with the value it ends up with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedArg {
    /// The name.
    pub name: String,
    /// Its value: build argument, expanded default, or inherited global.
    pub value: Option<String>,
    /// Where the value came from.
    pub source: ArgSource,
    /// The `ARG` line.
    pub line: usize,
}

/// Where an `ARG`'s value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArgSource {
    /// A build argument given for the build.
    BuildArg,
    /// The default written in the Dockerfile, expanded.
    Default,
    /// Inherited from the global scope (a meta `ARG` or a platform argument).
    Global,
    /// No value at all.
    Unset,
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Base {
    /// `FROM scratch`: nothing.
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference, as expanded.
    Image(String),
}

/// Something a stage takes files from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Source {
    /// A stage of this Dockerfile, by index.
    Stage(usize),
    /// An image (or named build context) that is not a stage.
    Image(String),
}

/// How a stage uses another stage or image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencyKind {
    /// `COPY --from=...`.
    CopyFrom,
    /// `RUN --mount=from=...`.
    MountFrom,
}

/// An edge of the stage graph (besides `FROM`, which is [`ResolvedStage::base`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// `COPY --from` or `RUN --mount from=`.
    pub kind: DependencyKind,
    /// The stage or image used.
    pub source: Source,
    /// The reference as written.
    pub reference: String,
    /// Index of the command in the stage's commands.
    pub command: usize,
    /// The command's line.
    pub line: usize,
}

/// One stage after dispatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedStage {
    /// Index in the file.
    pub index: usize,
    /// BuildKit's name for the stage in messages: its name, `stage-N`, or
    /// empty for a single-stage build.
    pub display_name: String,
    /// The base, resolved.
    pub base: Base,
    /// The base reference after expansion.
    pub base_name: String,
    /// `--platform` after expansion.
    pub platform: Option<String>,
    /// Variables in `FROM` that the global scope does not define.
    pub from_unmatched: BTreeSet<String>,
    /// Commands registered with `ONBUILD` in the base stage, run first.
    pub onbuild: Vec<ResolvedCommand>,
    /// One entry per command of the stage, same order.
    pub commands: Vec<ResolvedCommand>,
    /// Every `ARG` declared in the stage, with its value.
    pub args: Vec<ResolvedArg>,
    /// The environment at the end of the stage (`ENV`s and `ARG` values,
    /// inherited from a base stage). Variables from a base image's config
    /// are not known and not included, except `PATH`.
    pub env: Vec<(String, String)>,
    /// Stages and images used by `COPY --from` and `RUN --mount`
    /// (`command` indexes [`ResolvedStage::commands`]).
    pub dependencies: Vec<Dependency>,
    /// The same for the `ONBUILD` triggers (`command` indexes
    /// [`ResolvedStage::onbuild`]).
    pub onbuild_dependencies: Vec<Dependency>,
}

/// One command's expanded fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedCommand {
    /// The command's first line.
    pub line: usize,
    /// Its fields after expansion.
    pub expanded: Expanded,
    /// Variables it uses that are neither set nor declared `ARG`s
    /// (BuildKit's `UndefinedVar` input).
    pub unmatched: BTreeSet<String>,
}

/// The expanded fields of a command, by instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "instruction", rename_all = "lowercase")]
pub enum Expanded {
    /// Nothing of this instruction is expanded (`CMD`, `ENTRYPOINT`,
    /// `SHELL`, `HEALTHCHECK`, `MAINTAINER`, `ONBUILD`).
    None,
    /// `RUN`: only `--mount` values.
    Run {
        /// Each `--mount`, expanded and checked.
        mounts: Vec<Mount>,
    },
    /// `ENV` keys and values.
    Env {
        /// Pairs in order.
        vars: Vec<(String, String)>,
    },
    /// `LABEL` keys and values.
    Label {
        /// Pairs in order.
        labels: Vec<(String, String)>,
    },
    /// `ARG` values (names are not expanded).
    Arg {
        /// The declarations with their values.
        args: Vec<ResolvedArg>,
    },
    /// `COPY`: sources, destination, `--chown`, `--chmod`, heredoc bodies.
    Copy(ExpandedCopy),
    /// `ADD`: as `COPY`, plus `--checksum`.
    Add(ExpandedCopy),
    /// `WORKDIR`.
    Workdir {
        /// The path.
        path: String,
    },
    /// `USER`.
    User {
        /// `user[:group]`.
        user: String,
    },
    /// `STOPSIGNAL`.
    Stopsignal {
        /// The signal.
        signal: String,
    },
    /// `VOLUME`.
    Volume {
        /// Each path.
        paths: Vec<String>,
    },
    /// `EXPOSE`, with word splitting.
    Expose {
        /// Each port spec.
        ports: Vec<String>,
    },
}

/// Expanded fields of `COPY` and `ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpandedCopy {
    /// Source paths or URLs.
    pub sources: Vec<String>,
    /// Heredoc files: name and body (expanded when the delimiter was unquoted).
    pub contents: Vec<(String, String)>,
    /// Destination.
    pub dest: String,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `ADD --checksum`.
    pub checksum: Option<String>,
}
