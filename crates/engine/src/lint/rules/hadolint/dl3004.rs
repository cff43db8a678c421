//! DL3004: do not use sudo.
//!
//! ## What it does
//! Reports a `RUN` that calls `sudo`.
//!
//! ## Why is this bad?
//! Build steps run as the current `USER`; `sudo` adds a setuid binary and
//! its configuration to the image, prompts or fails without a terminal,
//! and changes the environment in ways that are hard to predict. Switch
//! with `USER root` for the steps that need it, and use `gosu` or
//! `su-exec` when an entrypoint must drop privileges.
//!
//! ## Where restage differs from hadolint
//! `sudo` behind other wrappers (`env X=1 sudo ...`), in `sh -c '...'`
//! strings and in heredoc scripts (`RUN <<EOF`) is seen too.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too.

use super::shared_a::{program_chain, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3004;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3004",
    aliases: &[],
    name: "no-sudo",
    title: "Do not use sudo",
    severity: Severity::Error,
    category: Category::Security,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `sudo` in `RUN`. It needs a setuid binary and configuration in the image, prompts or fails without a terminal, and alters the environment unpredictably; use `USER root` for the steps that need it and `gosu`/`su-exec` to drop privileges at run time. restage also sees `sudo` behind `env`, in `sh -c` strings and in heredoc scripts.",
    bad: "FROM debian:12\nUSER app\nRUN sudo apt-get update\n",
    good: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n",
};

impl Rule for Dl3004 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            if run
                .run
                .commands()
                .any(|c| program_chain(c).contains(&"sudo"))
            {
                out.push(
                    cx.at(
                        run.instruction,
                        "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
                    )
                    .with_fix("Use `USER root` before the steps that need root, then switch back"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn sudo_is_reported() {
        assert_lines(
            &Dl3004,
            &[
                ("FROM a:1\nRUN apt-get update\n", &[]),
                ("FROM a:1\nRUN sudo apt-get update\n", &[2]),
                ("FROM a:1\nRUN apt-get install -y sudo\n", &[]),
                ("FROM a:1\nRUN env A=1 /usr/bin/sudo -E make\n", &[2]),
                ("FROM a:1\nRUN <<EOF\nsudo make install\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN sudo make\n", &[2]),
                ("FROM a:1 AS b\nRUN sudo x\nFROM b\nRUN sudo y\n", &[2, 4]),
            ],
        );
    }
}
