//! DL4006: set the `SHELL` option `-o pipefail` before `RUN` with a pipe.
//!
//! ## What it does
//! Reports a `RUN` with a pipeline (`curl ... | tar x`) run by a shell
//! without `pipefail`.
//!
//! ## Why is this bad?
//! A pipeline's exit status is the status of its last command. Without
//! `pipefail`, `curl -fsSL $URL | tar xz` succeeds when the download fails
//! (tar happily extracts nothing), and the build goes on with a broken
//! image.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt
//! ```
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! SHELL ["/bin/bash", "-o", "pipefail", "-c"]
//! RUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt
//! ```
//!
//! ## Where restage differs from hadolint
//! - The shell in effect is the `SHELL` of the stage *or of the stage it is
//!   built on* (`FROM <stage>` inherits it); hadolint forgets `SHELL` at
//!   every `FROM`.
//! - The shell is recognised by name, with or without a path
//!   (`/usr/local/bin/bash`, `bash`; v2.15.1 needs the exact `/bin/bash`
//!   form), and `-o pipefail` may be combined (`-eo pipefail`). Besides
//!   `bash`, `zsh` and `ash`, a `sh`, `dash`, `ksh` or `mksh` given `-o
//!   pipefail` counts: a shell that does not know the option makes every
//!   `RUN` fail, so a build that works has `pipefail`.
//! - `set -o pipefail` (or `set -euo pipefail`) earlier in the same script
//!   turns it on for the pipes after it; hadolint still reports the `RUN`.
//!   With `/bin/sh` being `dash` older than 0.5.12, `set -o pipefail; a |
//!   b` goes on without it; chain it with `&&` so the build stops instead.
//! - Heredoc scripts (`RUN <<EOF`) and the scripts of `sh -c '...'` /
//!   `bash -c '...'` are read, each with the shell that runs it: a pipe in
//!   `RUN sh -c 'curl x | tar x'` is reported, one in `RUN bash -o
//!   pipefail -c '...'` is not. hadolint sees the pipes of exec-form `sh
//!   -c` strings but not of shell-form ones.
//! - Pipes in command substitutions (`x=$(curl ... | jq .v)`) are
//!   reported like other pipes, as hadolint does; a `|` in quotes or in
//!   arithmetic (`$((a | b))`) is not a pipe.
//! - A non-POSIX `SHELL` (PowerShell, cmd, also by Windows path such as
//!   `C:\Program Files\PowerShell\pwsh.exe`) turns the check off, as in
//!   hadolint.

use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::RunInfo;
use crate::model::shell::{ScriptKind, shell_c_script};

/// The rule.
pub struct Dl4006;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4006",
    aliases: &[],
    name: "pipefail",
    title: "Set the SHELL option -o pipefail before RUN with a pipe in it",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Without `pipefail`, a pipeline succeeds when any command but the last fails, so `curl ... | tar x` hides a failed download. Unlike hadolint, restage follows `SHELL` through `FROM <stage>`, recognises the shell by name at any path, accepts `set -o pipefail` earlier in the script, and reads heredoc and `sh -c` scripts with the shell that runs them.",
    bad: "FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\n",
    good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\n",
};

/// POSIX shells that know `-o pipefail` (or fail without it).
fn is_shell(program: &str) -> bool {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    matches!(
        base,
        "bash" | "zsh" | "ash" | "sh" | "dash" | "ksh" | "mksh" | "busybox"
    )
}

/// Whether shell options turn `pipefail` on (`-o pipefail`, `-eo
/// pipefail`; a later `+o pipefail` turns it off again).
fn sets_pipefail<S: AsRef<str>>(args: &[S]) -> Option<bool> {
    let mut state = None;
    let mut it = args.iter().map(AsRef::as_ref).peekable();
    while let Some(a) = it.next() {
        let on = a.starts_with('-');
        let cluster = a.strip_prefix('-').or_else(|| a.strip_prefix('+'));
        if let Some(cluster) = cluster
            && !cluster.starts_with('-')
            && cluster.contains('o')
            && it.peek() == Some(&"pipefail")
        {
            state = Some(on);
            it.next();
        }
    }
    state
}

/// Whether a `SHELL` (program and flags) runs with `pipefail`.
fn shell_has_pipefail(shell: &[String]) -> bool {
    match shell.split_first() {
        Some((program, rest)) => is_shell(program) && sets_pipefail(rest) == Some(true),
        None => false,
    }
}

/// A frame of [`substitution_pipe`]'s scan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `$(...)`, with whether a `"` is open inside it.
    Command { quoted: bool },
    /// `$((...))`: `|` is arithmetic.
    Arithmetic,
    /// A plain `(` inside one of the others.
    Paren,
}

/// Whether a word has a pipe inside a command substitution (`$(a | b)` or
/// `` `a | b` ``), outside quotes and arithmetic.
///
/// The model lists the commands of a script but not those run by its
/// command substitutions, so their pipes are found by scanning the words.
fn substitution_pipe(word: &str) -> bool {
    // Only a `|` returns true below; most words have none.
    if !word.contains('|') {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    let mut stack: Vec<Frame> = Vec::new();
    let (mut single, mut backtick) = (false, false);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        let quoted = matches!(
            stack.iter().rev().find(|f| **f != Frame::Paren),
            Some(Frame::Command { quoted: true })
        );
        match c {
            '\\' if !single => i += 1,
            '\'' if !quoted => single = !single,
            _ if single => {}
            '"' => {
                if let Some(Frame::Command { quoted }) =
                    stack.iter_mut().rev().find(|f| **f != Frame::Paren)
                {
                    *quoted = !*quoted;
                }
            }
            '$' if next == Some('(') && chars.get(i + 2) == Some(&'(') => {
                stack.push(Frame::Arithmetic);
                i += 2;
            }
            '$' if next == Some('(') => {
                stack.push(Frame::Command { quoted: false });
                i += 1;
            }
            '(' if !stack.is_empty() && !quoted => stack.push(Frame::Paren),
            ')' if !quoted => {
                // `))` closes an arithmetic expansion.
                let popped = stack.pop();
                i += usize::from(popped == Some(Frame::Arithmetic));
            }
            '`' => backtick = !backtick,
            '|' if !quoted
                && next != Some('|')
                && i.checked_sub(1).and_then(|p| chars.get(p)) != Some(&'|') =>
            {
                let inner = stack.iter().rev().find(|f| **f != Frame::Paren);
                if matches!(inner, Some(Frame::Command { .. })) || (backtick && inner.is_none()) {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Where the first pipe run without `pipefail` is, if any: the first
/// command of its pipeline, or the command whose word holds a command
/// substitution with a pipe.
fn unprotected_pipe(run: &RunInfo, shell: &[String]) -> Option<String> {
    let line = run.scripts.first();
    for (n, script) in run.scripts.iter().enumerate() {
        let mut on = match script.kind {
            ScriptKind::Shell => shell_has_pipefail(shell),
            ScriptKind::Exec => false,
            // `RUN <<EOF`: the shell runs the body; otherwise a shell of
            // the command line reads it from its input.
            ScriptKind::Heredoc if n == 0 => shell_has_pipefail(shell),
            ScriptKind::Heredoc => line.is_some_and(|l| {
                l.commands
                    .iter()
                    .any(|c| !c.nested && is_shell(&c.name) && sets_pipefail(&c.args) == Some(true))
            }),
        };
        let mut nested_on = false;
        for c in &script.commands {
            if c.base_name() == "set" {
                if let Some(state) = sets_pipefail(&c.args) {
                    if c.nested {
                        nested_on = state;
                    } else {
                        on = state;
                    }
                }
                continue;
            }
            let protected = if c.nested { nested_on } else { on };
            if !protected {
                if c.piped {
                    return Some(format!("a failure of `{}` before `|` is ignored", c.name));
                }
                let words = std::iter::once(&c.name)
                    .chain(&c.args)
                    .chain(c.assignments.iter().map(|(_, v)| v));
                if words.into_iter().any(|w| substitution_pipe(w)) {
                    let shown = if c.name.is_empty() {
                        c.assignments
                            .first()
                            .map_or(String::new(), |(k, _)| format!("{k}=..."))
                    } else {
                        c.name.clone()
                    };
                    return Some(format!(
                        "the pipe in a command substitution of `{shown}` hides failures"
                    ));
                }
            }
            if shell_c_script(c).is_some() {
                nested_on = is_shell(&c.name) && sets_pipefail(&c.args) == Some(true);
            }
        }
    }
    None
}

impl Rule for Dl4006 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let default = vec!["/bin/sh".to_string(), "-c".to_string()];
        for run in cx.runs(false) {
            if !run.run.posix && !run.run.exec_form {
                continue;
            }
            let shell = run.instruction.context.shell.as_deref().unwrap_or(&default);
            let Some(why) = unprotected_pipe(run.run, shell) else {
                continue;
            };
            out.push(
                cx.at(
                    run.instruction,
                    format!("Set the SHELL option -o pipefail before RUN with a pipe in it: {why}"),
                )
                .with_fix("Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (on Alpine `[\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`), or start the script with `set -o pipefail &&`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn shell_form() {
        assert_lines(
            &Dl4006,
            &[
                ("FROM a\nRUN a | b\n", &[2]),
                ("FROM a\nRUN a && b\n", &[]),
                (
                    "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                (
                    "FROM a\nSHELL [\"/usr/local/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                (
                    "FROM a\nSHELL [\"bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                (
                    "FROM a\nSHELL [\"/bin/ash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                ("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a | b\n", &[3]),
                (
                    "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"errexit\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                ("FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n", &[]),
                ("FROM a\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN a | b\n", &[]),
                (
                    "FROM a\nSHELL [\"C:\\\\Program Files\\\\PowerShell\\\\pwsh.exe\", \"-c\"]\nRUN a | b\n",
                    &[],
                ),
                // Reset at FROM, inherited through FROM <stage>.
                (
                    "FROM a AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM c\nRUN a | b\n",
                    &[4],
                ),
                (
                    "FROM a AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b\nRUN a | b\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN a | b\n", &[]),
            ],
        );
    }

    #[test]
    fn set_pipefail_in_the_script() {
        assert_lines(
            &Dl4006,
            &[
                ("FROM a\nRUN set -o pipefail && a | b\n", &[]),
                ("FROM a\nRUN set -euxo pipefail; a | b\n", &[]),
                ("FROM a\nRUN a | b && set -o pipefail\n", &[2]),
                (
                    "FROM a\nRUN set -o pipefail; set +o pipefail; a | b\n",
                    &[2],
                ),
            ],
        );
    }

    #[test]
    fn heredocs_and_nested_shells() {
        assert_lines(
            &Dl4006,
            &[
                ("FROM a\nRUN <<EOF\na | b\nEOF\n", &[2]),
                ("FROM a\nRUN <<EOF\nset -o pipefail\na | b\nEOF\n", &[]),
                (
                    "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\na | b\nEOF\n",
                    &[],
                ),
                ("FROM a\nRUN bash -o pipefail <<EOF\na | b\nEOF\n", &[]),
                ("FROM a\nRUN bash <<EOF\na | b\nEOF\n", &[2]),
                ("FROM a\nRUN sh -c 'a | b'\n", &[2]),
                ("FROM a\nRUN bash -o pipefail -c 'a | b'\n", &[]),
                ("FROM a\nRUN [\"sh\", \"-c\", \"a | b\"]\n", &[2]),
                (
                    "FROM a\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"a | b\"]\n",
                    &[],
                ),
                ("FROM a\nRUN [\"a\", \"|\", \"b\"]\n", &[]),
                ("FROM a\nRUN x=\"$(a | b)\" && echo $x\n", &[2]),
                ("FROM a\nRUN test $(a | wc -l) -eq 6\n", &[2]),
                ("FROM a\nRUN echo `a | b`\n", &[2]),
                ("FROM a\nRUN set -o pipefail; x=$(a | b)\n", &[]),
                (
                    "FROM a\nRUN echo $((1 | 2)) \"$(echo 'a|b')\" 'x|y' \"$(a || b)\"\n",
                    &[],
                ),
            ],
        );
    }
}
