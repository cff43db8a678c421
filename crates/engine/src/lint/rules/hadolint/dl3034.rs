//! DL3034: non-interactive switch missing from a `zypper` command.
//!
//! ## What it does
//! Reports `zypper` commands that ask for confirmation (`install`,
//! `remove`, `update`, `patch`, ...) run without `-n`/`--non-interactive`
//! or `-y`/`--no-confirm`.
//!
//! ## Why is this bad?
//! A build has no terminal to answer zypper's questions: zypper reads end
//! of input and aborts, and the build fails (or, with some versions,
//! hangs).
//!
//! ## Example
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper install httpd=2.4.58
//! ```
//! Use instead:
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper --non-interactive install httpd=2.4.58
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint checks `install`, `in`, `remove`, `rm`, `source-install`, `si`
//! and `patch`. `update`/`up` and `dist-upgrade`/`dup` ask the same
//! question and are reported too. `sudo zypper` and `/usr/bin/zypper` are
//! recognised.

use super::shared_b::invocations;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3034;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3034",
    aliases: &[],
    name: "zypper-non-interactive",
    title: "Non-interactive switch missing from `zypper` command",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "A build cannot answer zypper's confirmation prompt, so `zypper install` without `-n`/`--non-interactive` (or `-y`) fails the build. Besides hadolint's subcommands, restage also covers `update` and `dist-upgrade`, which prompt the same way.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4.58\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install httpd=2.4.58\n",
};

/// Subcommands that ask for confirmation.
const PROMPTS: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
    "update",
    "up",
    "dist-upgrade",
    "dup",
];

impl Rule for Dl3034 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Zypper]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for (view, inv) in invocations(cx, Tool::Zypper, true) {
            let Some(sub) = inv.subcommand() else {
                continue;
            };
            if !PROMPTS.contains(&sub) || inv.has_flag(&["n", "non-interactive", "y", "no-confirm"])
            {
                continue;
            }
            let key = (view.run.instruction.node, view.run.onbuild);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(
                cx.at(
                    view.run.instruction,
                    format!(
                        "Non-interactive switch missing from `zypper` command: `zypper {sub}` will wait for an answer"
                    ),
                )
                .with_fix(format!("Use `zypper --non-interactive {sub} ...`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn prompting_commands() {
        assert_lines(
            &Dl3034,
            &[
                ("FROM a\nRUN zypper install httpd=1\n", &[2]),
                ("FROM a\nRUN zypper -n install httpd=1\n", &[]),
                ("FROM a\nRUN zypper --non-interactive in httpd=1\n", &[]),
                ("FROM a\nRUN zypper install -y httpd=1\n", &[]),
                ("FROM a\nRUN zypper in --no-confirm httpd=1\n", &[]),
                (
                    "FROM a\nRUN zypper rm x\nRUN zypper patch\nRUN zypper si x\n",
                    &[2, 3, 4],
                ),
                ("FROM a\nRUN zypper up\n", &[2]),
                ("FROM a\nRUN zypper ref && zypper lr\n", &[]),
                (
                    "FROM a\nRUN zypper install a=1 && zypper install b=1\n",
                    &[2],
                ),
                ("FROM a\nRUN sudo zypper install httpd=1\n", &[2]),
                ("FROM a\nONBUILD RUN zypper install httpd=1\n", &[2]),
                ("FROM a\nRUN <<EOF\nzypper install httpd=1\nEOF\n", &[2]),
            ],
        );
    }
}
