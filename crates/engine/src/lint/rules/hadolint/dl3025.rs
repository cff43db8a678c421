//! DL3025: use JSON notation for CMD and ENTRYPOINT arguments.
//!
//! ## What it does
//! Reports `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form
//! (`CMD node server.js`) instead of exec form (`CMD ["node",
//! "server.js"]`).
//!
//! ## Why is this bad?
//! In shell form the program runs as a child of `/bin/sh -c`: the shell is
//! PID 1 and does not forward `SIGTERM`, so `docker stop` waits for the
//! timeout and kills the application without a clean shutdown. A shell-form
//! `ENTRYPOINT` also ignores `CMD` and `docker run` arguments.
//!
//! ## Notes
//! As in hadolint, every shell-form instruction is reported, including in
//! stages with a `SHELL` instruction (BuildKit's `JSONArgsRecommended`
//! skips those). `CMD` or `ENTRYPOINT` without arguments, and `ONBUILD`
//! triggers, are not reported.

use crate::dockerfile::instructions::{CmdLine, CommandKind, HealthTest};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3025;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3025",
    aliases: &[],
    name: "json-cmd-entrypoint",
    title: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` in shell form: the program runs under `/bin/sh -c`, which does not forward signals, so containers stop slowly and uncleanly, and a shell-form `ENTRYPOINT` ignores `CMD` and run arguments.",
    bad: "FROM node:20-slim\nCMD node server.js\n",
    good: "FROM node:20-slim\nCMD [\"node\", \"server.js\"]\n",
};

fn shell_form(cmd: &CmdLine) -> bool {
    cmd.prepend_shell && cmd.args.iter().any(|a| !a.trim().is_empty())
}

impl Rule for Dl3025 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            let keyword = match instruction.kind() {
                Some(CommandKind::Cmd(c)) if shell_form(c) => "CMD",
                Some(CommandKind::Entrypoint(c)) if shell_form(c) => "ENTRYPOINT",
                Some(CommandKind::Healthcheck(h)) if matches!(h.test, HealthTest::CmdShell(_)) => {
                    "HEALTHCHECK CMD"
                }
                _ => continue,
            };
            out.push(
                cx.at(
                    instruction,
                    format!(
                        "Use arguments JSON notation for CMD and ENTRYPOINT arguments: this {keyword} is in shell form"
                    ),
                )
                .with_fix(format!(
                    "Write `{keyword} [\"program\", \"arg\", ...]` (or `[\"sh\", \"-c\", \"...\"]` when shell features are needed)"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn shell_forms_are_reported() {
        assert_lines(
            &Dl3025,
            &[
                ("FROM a:1\nCMD [\"node\", \"s.js\"]\n", &[]),
                ("FROM a:1\nCMD node s.js\n", &[2]),
                ("FROM a:1\nENTRYPOINT /entry.sh\n", &[2]),
                ("FROM a:1\nENTRYPOINT [\"/entry.sh\"]\n", &[]),
                ("FROM a:1\nENTRYPOINT []\n", &[]),
                (
                    "FROM a:1\nHEALTHCHECK CMD curl -f http://localhost/\n",
                    &[2],
                ),
                (
                    "FROM a:1\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n",
                    &[],
                ),
                ("FROM a:1\nHEALTHCHECK NONE\n", &[]),
                ("FROM a:1\nONBUILD CMD node s.js\n", &[]),
                ("FROM a:1 AS b\nCMD x\nFROM b\nCMD y\n", &[2, 4]),
            ],
        );
    }
}
