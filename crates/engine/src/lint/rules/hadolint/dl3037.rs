//! DL3037: specify versions with `zypper install -y <package>=<version>`.
//!
//! ## What it does
//! Reports `zypper install` of a package without a version constraint
//! (`=`, `>=`, `>`, `<=`, `<`).
//!
//! ## Why is this bad?
//! Without a version, the image gets whatever the repository has on the day
//! of the build: two builds of the same Dockerfile differ, and an update can
//! break the image without any change to the file.
//!
//! ## Example
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper -n install httpd && zypper clean
//! ```
//! Use instead:
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper -n install 'httpd=2.4.58' && zypper clean
//! ```
//!
//! ## Where restage differs from hadolint
//! - Values of options (`--root /x`, `--from repo`) are not taken for
//!   packages, and `-t pattern`/`-t patch`/`-t product` installs (which
//!   cannot be pinned) are skipped.
//! - Paths, URLs and capabilities (`perl(Foo)`) are not reported.
//! - Variables are expanded with the `ARG`/`ENV` values in scope; a whole
//!   argument that is a variable without a known value is skipped.
//! - `sudo zypper` and `/usr/bin/zypper` are recognised.

use std::collections::BTreeSet;

use super::shared_b::run_invocations;
use super::shared_b::{
    Scope, list, not_a_package_name, package_words, script_assigned, shell_runs,
};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3037;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3037",
    aliases: &[],
    name: "zypper-pin-versions",
    title: "Specify version with `zypper install -y <package>=<version>`",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Unpinned `zypper install` packages make every build take whatever the repository has that day. Unlike hadolint, restage skips option values (`--root /x`) and pattern installs (`-t pattern`), and expands `ARG`/`ENV` values in scope.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd && zypper clean\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install 'httpd=2.4.58' && zypper clean\n",
};

impl Rule for Dl3037 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Zypper]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        for run in shell_runs(cx, true) {
            // Worked out for the first `zypper install` of this RUN.
            let mut assigned: Option<BTreeSet<String>> = None;
            let mut scope: Option<Scope> = None;
            let mut bad = crate::lint::rules::UniqueList::default();
            for (_, _, inv) in run_invocations(run.run) {
                if inv.tool != Tool::Zypper
                    || !matches!(inv.subcommand(), Some("install" | "in"))
                    || inv
                        .flag_value(&["t", "type"])
                        .is_some_and(|t| t != "package")
                {
                    continue;
                }
                let scope = scope.get_or_insert_with(|| Scope::for_run(cx, &run));
                let assigned = assigned.get_or_insert_with(|| script_assigned(run.run));
                for arg in inv.operands() {
                    let Some(words) = package_words(arg, scope, assigned, escape) else {
                        continue;
                    };
                    for word in words {
                        let pinned = word.contains(['=', '<', '>']) || not_a_package_name(&word);
                        if !pinned {
                            bad.push(word);
                        }
                    }
                }
            }
            if !bad.is_empty() {
                out.push(
                    cx.at(
                        run.instruction,
                        format!(
                            "Specify version with `zypper install -y <package>=<version>`: {} not pinned",
                            list(bad.items())
                        ),
                    )
                    .with_fix("Pin each package, e.g. `'httpd=2.4.58'` (quoted, so that `<`/`>` are not redirections)"),
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
    fn packages_need_versions() {
        assert_lines(
            &Dl3037,
            &[
                ("FROM a\nRUN zypper -n install httpd\n", &[2]),
                ("FROM a\nRUN zypper -n install httpd=2.4\n", &[]),
                ("FROM a\nRUN zypper -n in 'httpd>=2.4' 'x<3'\n", &[]),
                // Unquoted, `>` is a redirection: nothing pins httpd.
                ("FROM a\nRUN zypper -n in httpd>2\n", &[2]),
                ("FROM a\nRUN zypper -n in /tmp/x.rpm\n", &[]),
                ("FROM a\nRUN zypper --root /x -n install httpd=1\n", &[]),
                (
                    "FROM a\nRUN zypper -n install -t pattern devel_basis\n",
                    &[],
                ),
                ("FROM a\nRUN zypper -n install -t package httpd\n", &[2]),
                ("FROM a\nARG V=1\nRUN zypper -n in httpd=$V\n", &[]),
                ("FROM a\nARG P\nRUN zypper -n in $P\n", &[]),
                ("FROM a\nRUN sudo zypper -n in httpd\n", &[2]),
                ("FROM a\nONBUILD RUN zypper -n in httpd\n", &[2]),
                ("FROM a\nRUN <<EOF\nzypper -n in httpd\nEOF\n", &[2]),
            ],
        );
    }
}
