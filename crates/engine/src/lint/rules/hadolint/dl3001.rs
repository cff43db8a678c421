//! DL3001: a command that makes no sense in an image build.
//!
//! ## What it does
//! Reports a `RUN` that calls `ssh`, `vim`, `shutdown`, `service`, `ps`,
//! `free`, `top`, `kill`, `mount` or `ifconfig`.
//!
//! ## Why is this bad?
//! A build step runs once, without a terminal, an init system or the
//! services of a running machine: interactive programs hang, `service`
//! starts nothing that survives the step, and `ps`/`free`/`top` only show
//! the build container. Their presence usually means a script written for
//! a VM was pasted into the Dockerfile.
//!
//! ## Where restage differs from hadolint
//! - `ifconfig` is reported: hadolint's message lists it but its code does
//!   not check it.
//! - Commands behind wrappers (`sudo service ...`, `env X=1 vim`), inside
//!   `sh -c '...'` and in heredoc scripts (`RUN <<EOF`) are seen.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`, naming the commands.

use super::shared_a::{program_chain, quoted_list, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3001;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3001",
    aliases: &[],
    name: "pointless-command",
    title: "Command makes no sense in a container build",
    severity: Severity::Info,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` and `ifconfig` in `RUN`: a build step has no terminal, no init system and no running services, so these either hang or do nothing useful. Unlike hadolint, restage also checks `ifconfig` (hadolint's message lists it, its code does not), commands behind `sudo`/`env`, and heredoc scripts.",
    bad: "FROM debian:12\nRUN service nginx start\n",
    good: "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
};

/// The commands reported.
const POINTLESS: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl Rule for Dl3001 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let mut found: Vec<&str> = Vec::new();
            for command in run.run.commands() {
                for program in program_chain(command) {
                    if POINTLESS.contains(&program) && !found.contains(&program) {
                        found.push(program);
                    }
                }
            }
            if !found.is_empty() {
                out.push(cx.at(
                    run.instruction,
                    format!(
                        "For some bash commands it makes no sense running them in a Docker container: {}",
                        quoted_list(&found)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn pointless_commands_are_reported() {
        assert_lines(
            &Dl3001,
            &[
                ("FROM a:1\nRUN apt-get install -y procps\n", &[]),
                ("FROM a:1\nRUN service nginx start\n", &[2]),
                ("FROM a:1\nRUN echo ps && ls\n", &[]),
                ("FROM a:1\nRUN sudo -u me vim /etc/x\n", &[2]),
                ("FROM a:1\nRUN ifconfig\n", &[2]),
                ("FROM a:1\nRUN sh -c 'top -b -n 1'\n", &[2]),
                ("FROM a:1\nRUN <<EOF\nset -e\nps aux\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN kill -9 1\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN ssh host\nFROM b\nRUN mount -a\n",
                    &[2, 4],
                ),
                ("FROM a:1\nRUN [\"/usr/bin/free\", \"-m\"]\n", &[2]),
            ],
        );
    }
}
