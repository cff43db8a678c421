//! DL3059: multiple consecutive `RUN` instructions.
//!
//! ## What it does
//! Reports a `RUN` that directly follows another `RUN` with the same flags
//! (`--mount`, `--network`, `--security`, `--device`) when both run a
//! single command. Comments and blank lines between them do not break the
//! sequence; any other instruction does.
//!
//! ## Why is this bad?
//! Each `RUN` makes a layer. Two one-command `RUN`s in a row can usually be
//! one, which makes the image smaller (files deleted by the second are not
//! kept by the first) and the build faster.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN mkdir -p /app/data
//! RUN chown 1000 /app/data
//! ```
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! RUN mkdir -p /app/data && chown 1000 /app/data
//! ```
//!
//! ## Where restage differs from hadolint
//! - A `RUN` that already chains commands (`&&`, `;`, `|`, `if`, a heredoc
//!   script of several commands, `sh -c '...'` with several) was written
//!   that way on purpose and is never part of a reported pair. hadolint
//!   counts commands coarsely and ends up with the same result in most
//!   cases.
//! - A command substitution does not make a second command: `RUN echo
//!   "$(date)" > /v` is one command (hadolint counts `date`), and so is
//!   `RUN sh -c 'one command'`.
//! - The flags are compared as BuildKit reads them, so `--network=default`
//!   equals no `--network`.
//! - `RUN`s of a PowerShell or cmd `SHELL` are not counted: restage does
//!   not know how many commands they hold (hadolint splits them as if they
//!   were POSIX shell).

use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::{CommandKind, RunCommand};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::Instruction;
use crate::model::shell::Script;

/// The rule.
pub struct Dl3059;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3059",
    aliases: &[],
    name: "consecutive-run",
    title: "Multiple consecutive `RUN` instructions",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Two `RUN`s in a row, each one command, with the same flags, make two layers where one would do. `RUN`s that already chain commands were split on purpose and are not reported; comments between `RUN`s do not break the sequence.",
    bad: "FROM debian:12\nRUN mkdir -p /app/data\nRUN chown 1000 /app/data\n",
    good: "FROM debian:12\nRUN mkdir -p /app/data && chown 1000 /app/data\n",
};

/// Whether a script is one simple command. `sh -c 'one command'` counts
/// as one; `sh -c 'a && b'`, lists, pipes and compound commands do not.
fn is_single(script: &Script) -> bool {
    if script.single_command {
        return true;
    }
    let top = script.commands.iter().filter(|c| !c.nested).count();
    let nested = script.commands.len() - top;
    script.parse_error.is_none()
        && script.pipelines == 1
        && !script.has_pipe
        && top == 1
        && nested == 1
}

/// A `RUN` of one simple command, with its typed flags. `RUN`s of
/// PowerShell or cmd are not counted: their commands are not known.
fn single_run(instruction: &Instruction) -> Option<&RunCommand> {
    let Some(CommandKind::Run(run)) = instruction.kind() else {
        return None;
    };
    let info = instruction.run.as_ref()?;
    if !info.posix && !info.exec_form {
        return None;
    }
    let single = matches!(info.scripts.as_slice(), [script] if is_single(script));
    single.then_some(run)
}

/// Whether two `RUN`s have the same flags.
fn same_flags(a: &RunCommand, b: &RunCommand) -> bool {
    let mounts = |r: &RunCommand| r.mounts.iter().map(|m| m.raw.clone()).collect::<Vec<_>>();
    mounts(a) == mounts(b)
        && a.network == b.network
        && a.security == b.security
        && a.devices == b.devices
}

impl Rule for Dl3059 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut previous: Option<(&Instruction, &RunCommand)> = None;
        for instruction in cx.instructions() {
            let current = if instruction.keyword == Keyword::Run {
                single_run(instruction)
            } else {
                None
            };
            if let (Some(run), Some((before, prev))) = (current, previous)
                && same_flags(prev, run)
            {
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "Multiple consecutive `RUN` instructions (with line {}). Consider consolidation",
                            before.start_line
                        ),
                    )
                    .with_fix("Join it to the previous RUN with `&&`"),
                );
            }
            previous = current.map(|r| (instruction, r));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn consecutive_single_commands() {
        assert_lines(
            &Dl3059,
            &[
                ("FROM a\nRUN a\nRUN b\n", &[3]),
                ("FROM a\nRUN a\nRUN b\nRUN c\n", &[3, 4]),
                ("FROM a\nRUN a\n# note\n\nRUN b\n", &[5]),
                ("FROM a\nRUN a && b\nRUN c\n", &[]),
                ("FROM a\nRUN a\nRUN b; c\n", &[]),
                ("FROM a\nRUN a | b\nRUN c\n", &[]),
                ("FROM a\nRUN a\nENV X=1\nRUN b\n", &[]),
                ("FROM a\nRUN a\nFROM b\nRUN c\n", &[]),
                ("FROM a\nRUN [\"a\"]\nRUN [\"b\"]\n", &[3]),
                ("FROM a\nRUN --mount=type=cache,target=/x a\nRUN b\n", &[]),
                (
                    "FROM a\nRUN --mount=type=cache,target=/x a\nRUN --mount=type=cache,target=/x b\n",
                    &[3],
                ),
                ("FROM a\nRUN --network=none a\nRUN b\n", &[]),
                ("FROM a\nRUN --network=default a\nRUN b\n", &[3]),
                ("FROM a\nRUN <<EOF\na\nb\nEOF\nRUN c\n", &[]),
                ("FROM a\nRUN <<EOF\na\nEOF\nRUN c\n", &[5]),
                ("FROM a\nRUN sh -c 'a && b'\nRUN c\n", &[]),
                ("FROM a\nRUN bash -c 'source x'\nRUN c\n", &[3]),
                ("FROM a\nRUN echo \"$(date)\" > /v\nRUN c\n", &[3]),
                ("FROM a\nRUN for i in a; do sh -c x; done\nRUN c\n", &[]),
                ("FROM a\nRUN if a; then b; fi\nRUN c\n", &[]),
                (
                    "FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN Write-Host a\nRUN Write-Host b\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN a\nONBUILD RUN b\n", &[]),
            ],
        );
    }
}
