//! Typed instructions: one [`Command`] per non-`FROM` node.

use serde::Serialize;

use super::copy::{AddCommand, CopyCommand};
use super::healthcheck::Healthcheck;
use super::run::RunCommand;
use super::stage::Stage;
use crate::dockerfile::Keyword;

/// What one node is: the start of a build stage (`FROM`) or a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Instruction {
    /// A `FROM`.
    Stage(Stage),
    /// Any other instruction.
    Command(Command),
}

/// A typed instruction and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// Index of its node in [`crate::dockerfile::Document::nodes`].
    pub node: usize,
    /// First line of the instruction (1-based).
    pub start_line: usize,
    /// Last line of the instruction (heredoc bodies included).
    pub end_line: usize,
    /// The instruction itself.
    pub kind: CommandKind,
}

/// The instruction, by keyword.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "instruction", content = "value", rename_all = "lowercase")]
pub enum CommandKind {
    /// `RUN`.
    Run(RunCommand),
    /// `CMD`.
    Cmd(CmdLine),
    /// `ENTRYPOINT` (empty arguments clear it).
    Entrypoint(CmdLine),
    /// `SHELL` (always JSON form, never empty).
    Shell(Vec<String>),
    /// `COPY`.
    Copy(CopyCommand),
    /// `ADD`.
    Add(AddCommand),
    /// `ENV`.
    Env(Vec<KeyValue>),
    /// `LABEL`.
    Label(Vec<KeyValue>),
    /// `ARG`.
    Arg(Vec<ArgDecl>),
    /// `EXPOSE`: the ports as written, sorted as BuildKit sorts them (bytewise).
    Expose(Vec<String>),
    /// `USER`.
    User(String),
    /// `WORKDIR`.
    Workdir(String),
    /// `VOLUME`: each path trimmed of surrounding space.
    Volume(Vec<String>),
    /// `STOPSIGNAL`.
    Stopsignal(String),
    /// `MAINTAINER`.
    Maintainer(String),
    /// `HEALTHCHECK`.
    Healthcheck(Healthcheck),
    /// `ONBUILD`.
    Onbuild(OnbuildCommand),
}

impl CommandKind {
    /// The instruction's keyword.
    pub fn keyword(&self) -> Keyword {
        match self {
            Self::Run(_) => Keyword::Run,
            Self::Cmd(_) => Keyword::Cmd,
            Self::Entrypoint(_) => Keyword::Entrypoint,
            Self::Shell(_) => Keyword::Shell,
            Self::Copy(_) => Keyword::Copy,
            Self::Add(_) => Keyword::Add,
            Self::Env(_) => Keyword::Env,
            Self::Label(_) => Keyword::Label,
            Self::Arg(_) => Keyword::Arg,
            Self::Expose(_) => Keyword::Expose,
            Self::User(_) => Keyword::User,
            Self::Workdir(_) => Keyword::Workdir,
            Self::Volume(_) => Keyword::Volume,
            Self::Stopsignal(_) => Keyword::Stopsignal,
            Self::Maintainer(_) => Keyword::Maintainer,
            Self::Healthcheck(_) => Keyword::Healthcheck,
            Self::Onbuild(_) => Keyword::Onbuild,
        }
    }
}

/// A command line of `RUN`, `CMD` or `ENTRYPOINT` (BuildKit's
/// `ShellDependantCmdLine`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CmdLine {
    /// Exec form: the JSON strings. Shell form: one string, the command text
    /// as written. Empty for `CMD []`, `ENTRYPOINT []` and no arguments.
    pub args: Vec<String>,
    /// Shell form: the stage's shell is prepended at build time.
    pub prepend_shell: bool,
    /// Heredoc bodies (`RUN <<EOF`), in marker order.
    pub files: Vec<InlineFile>,
}

/// A heredoc body handed to `RUN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineFile {
    /// The delimiter (`EOF`).
    pub name: String,
    /// The body as written (leading tabs not yet removed).
    pub data: String,
    /// `<<-`: leading tabs are removed from each line when used.
    pub chomp: bool,
}

/// An `ENV` or `LABEL` pair, as written (quotes kept; expansion is later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Legacy `ENV key value` form, without `=` (BuildKit's `NoDelim`).
    pub no_delim: bool,
}

/// One `ARG` declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgDecl {
    /// The name as written.
    pub key: String,
    /// The default after `=`, as written (`ARG a=` has `Some("")`).
    pub default: Option<String>,
    /// Its description from the comment above (`# NAME does this`).
    pub comment: String,
}

/// `ONBUILD <instruction>`: stored as text, parsed when a child image builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnbuildCommand {
    /// BuildKit's stored trigger: the line without its leading `ONBUILD`,
    /// with `"\n" + body + name` appended per heredoc. Parse it with
    /// [`crate::dockerfile::parse`] and [`super::parse_command`] to get the
    /// trigger as a child build would.
    pub expression: String,
    /// The trigger's keyword, recognised.
    pub trigger: Keyword,
    /// The trigger's keyword as written.
    pub trigger_keyword: String,
}
