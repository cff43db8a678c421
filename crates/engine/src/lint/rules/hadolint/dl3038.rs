//! DL3038: use the `-y` switch to avoid manual input with `dnf`.
//!
//! ## What it does
//! Reports `dnf` commands that ask for confirmation (`install`, `remove`,
//! `upgrade`, `group install`, ...) run without `-y`/`--assumeyes`.
//!
//! ## Why is this bad?
//! A build has no terminal to answer dnf's `Is this ok [y/N]` question:
//! dnf reads end of input, takes it as "no" and the build fails.
//!
//! ## Example
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install httpd-2.4.62 && dnf clean all
//! ```
//! Use instead:
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62 && dnf clean all
//! ```
//!
//! ## Where restage differs from hadolint
//! - `microdnf` is not reported: it never asks (its `-y` is accepted and
//!   does nothing), so hadolint's report for it is a false alarm.
//! - Every dnf command that asks is covered, not only `install`,
//!   `groupinstall` and `localinstall`: `in`, `reinstall`, `remove`,
//!   `upgrade`/`update`, `downgrade`, `distro-sync`, `autoremove`, and the
//!   `group`/`module` forms. `--setopt=assumeyes=True` counts as `-y`.
//! - `sudo dnf`, `/usr/bin/dnf` and `dnf5` are recognised.

use super::shared_b::{invocations, subcommand_words};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3038;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3038",
    aliases: &[],
    name: "dnf-assume-yes",
    title: "Use the `-y` switch to avoid manual input `dnf install -y <package>`",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "A build cannot answer dnf's confirmation prompt, so `dnf install` without `-y` fails. Unlike hadolint, restage does not report `microdnf` (it never asks) and covers every dnf command that asks (`remove`, `upgrade`, `group install`, ...).",
    bad: "FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
};

/// Subcommands that ask for confirmation.
const PROMPTS: &[&str] = &[
    "install",
    "in",
    "groupinstall",
    "localinstall",
    "reinstall",
    "remove",
    "erase",
    "rm",
    "upgrade",
    "update",
    "up",
    "downgrade",
    "distro-sync",
    "autoremove",
    "group install",
    "group remove",
    "group upgrade",
    "groups install",
    "module install",
    "module enable",
    "module remove",
    "module reset",
];

impl Rule for Dl3038 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Dnf]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for (view, inv) in invocations(cx, Tool::Dnf, true) {
            let Some(sub) = subcommand_words(&inv, &["group", "groups", "module"]) else {
                continue;
            };
            let assumeyes = inv.has_flag(&["y", "assumeyes"])
                || inv
                    .line
                    .args
                    .iter()
                    .any(|a| a.trim_start_matches("--setopt=").starts_with("assumeyes="));
            if !PROMPTS.contains(&sub.as_str()) || assumeyes {
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
                        "Use the -y switch to avoid manual input: `dnf {sub}` asks for confirmation and the build cannot answer"
                    ),
                )
                .with_fix(format!("Use `dnf {sub} -y ...`")),
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
            &Dl3038,
            &[
                ("FROM a\nRUN dnf install x-1\n", &[2]),
                ("FROM a\nRUN dnf install -y x-1\n", &[]),
                ("FROM a\nRUN dnf -y install x-1\n", &[]),
                ("FROM a\nRUN dnf install --assumeyes x-1\n", &[]),
                ("FROM a\nRUN dnf --setopt=assumeyes=True install x-1\n", &[]),
                ("FROM a\nRUN dnf groupinstall 'Dev Tools'\n", &[2]),
                ("FROM a\nRUN dnf group install 'Dev Tools'\n", &[2]),
                ("FROM a\nRUN dnf remove x\n", &[2]),
                ("FROM a\nRUN dnf makecache && dnf list installed\n", &[]),
                ("FROM a\nRUN microdnf install x-1\n", &[]),
                ("FROM a\nRUN dnf5 install x-1\n", &[2]),
                ("FROM a\nRUN sudo dnf install x-1\n", &[2]),
                ("FROM a\nRUN notdnf install x\n", &[]),
                ("FROM a\nONBUILD RUN dnf install x-1\n", &[2]),
                ("FROM a\nRUN <<EOF\ndnf install x-1\nEOF\n", &[2]),
            ],
        );
    }
}
