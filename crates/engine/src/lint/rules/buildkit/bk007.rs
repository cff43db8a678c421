//! BK007: JSON arguments recommended for `CMD` and `ENTRYPOINT` (BuildKit's
//! `JSONArgsRecommended`).
//!
//! ## What it does
//! Reports `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`)
//! when no `SHELL` instruction is in effect in the stage or a stage it
//! builds on.
//!
//! ## Why is this bad?
//! In shell form the command runs as `/bin/sh -c "..."`: the shell is PID 1
//! and does not forward `SIGTERM`, so `docker stop` waits for its timeout
//! and then kills the process without a clean shutdown.
//!
//! ## Example
//! ```dockerfile
//! CMD node server.js
//! ```
//! Use instead:
//! ```dockerfile
//! CMD ["node", "server.js"]
//! ```
//!
//! ## Where restage differs from BuildKit
//! BuildKit also stays silent when the base image's configuration sets a
//! `SHELL`; restage does not read image configurations and assumes the base
//! image sets none (official images do not). `RUN` is never reported, as in
//! BuildKit. An `ONBUILD CMD` is not reported: it runs in another build.
//!
//! ## Notes
//! Overlaps hadolint's DL3025, which reports shell-form `CMD`/`ENTRYPOINT`
//! regardless of `SHELL`; both stay, as they differ in that detail.
//! <https://docs.docker.com/go/dockerfile/rule/json-args-recommended/>

use super::common::keyword_as_written;
use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk007;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK007",
    aliases: &["JSONArgsRecommended"],
    name: "json-args-recommended",
    title: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "In shell form the command runs under `/bin/sh -c`, which does not forward signals, so `docker stop` cannot stop the process cleanly. Not reported when a `SHELL` instruction is in effect; restage assumes base images set no `SHELL` (it does not read image configurations). Overlaps hadolint's DL3025. See <https://docs.docker.com/go/dockerfile/rule/json-args-recommended/>.",
    bad: "FROM node:20\nCMD node server.js\n",
    good: "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
};

impl Rule for Bk007 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            for instruction in cx.stage_instructions(stage) {
                let line = match instruction.kind() {
                    Some(CommandKind::Cmd(line) | CommandKind::Entrypoint(line)) => line,
                    _ => continue,
                };
                if !line.prepend_shell || instruction.context.shell.is_some() {
                    continue;
                }
                let keyword = keyword_as_written(cx, instruction);
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "JSON arguments recommended for {keyword} to prevent unintended behavior related to OS signals"
                        ),
                    )
                    .with_fix(exec_form_hint(instruction.keyword.name(), &line.args.join(" "))),
                );
            }
        }
    }
}

/// The exec form of a simple command, or a generic hint when the command
/// needs a shell (quotes, pipes, variables, ...).
fn exec_form_hint(keyword: &str, command: &str) -> String {
    let plain = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "./-_=:,@+%".contains(c))
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    if !words.is_empty() && words.iter().all(|w| plain(w)) {
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        format!("Use the exec form: `{keyword} [{}]`", quoted.join(", "))
    } else {
        format!(
            "Use the exec form (`{keyword} [\"executable\", \"arg\"]`), or `exec` the process from a script"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn shell_form_without_shell_is_reported() {
        // BuildKit's testJSONArgsRecommended.
        assert_lines(
            &Bk007,
            &[
                ("\nFROM scratch\nCMD mycommand\n", &[3]),
                ("\nFROM scratch\nENTRYPOINT mycommand\n", &[3]),
                (
                    "\nFROM scratch\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\n",
                    &[],
                ),
                (
                    "\nFROM scratch\nSHELL [\"/usr/bin/customshell\"]\nENTRYPOINT mycommand\n",
                    &[],
                ),
                (
                    "\nFROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nCMD mycommand\n",
                    &[],
                ),
                (
                    "\nFROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nENTRYPOINT mycommand\n",
                    &[],
                ),
                // SHELL after the CMD does not help; a sibling stage's SHELL neither.
                ("FROM a\nCMD x\nSHELL [\"/bin/bash\", \"-c\"]\n", &[2]),
                (
                    "FROM a AS b\nSHELL [\"/bin/bash\", \"-c\"]\nFROM a\nCMD x\n",
                    &[4],
                ),
                ("FROM a\nCMD [\"x\"]\nENTRYPOINT [\"y\"]\n", &[]),
                ("FROM a\nRUN x\n", &[]),
                ("FROM a\nONBUILD CMD x\n", &[]),
                ("ARG V=1\nFROM a:${V}\nCMD x \\\n  y\n", &[3]),
            ],
        );
    }

    #[test]
    fn message_names_the_instruction_as_written() {
        let d = diagnostics(&Bk007, "FROM a\ncmd x\n");
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some(
                "JSON arguments recommended for cmd to prevent unintended behavior related to OS signals"
            )
        );
    }
}
