//! DL3041: specify versions with `dnf install -y <package>-<version>`.
//!
//! ## What it does
//! Reports `dnf` or `microdnf` installing a package without a version, and
//! `dnf module install` of a module without a stream (`nodejs:18`).
//!
//! ## Why is this bad?
//! Without a version, the image gets whatever the repository has on the day
//! of the build: two builds of the same Dockerfile differ, and an update can
//! break the image without any change to the file.
//!
//! ## Example
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd && dnf clean all
//! ```
//! Use instead:
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62 && dnf clean all
//! ```
//!
//! ## Where restage differs from hadolint
//! - A version is `name-VERSION` (the last `-` part starts with a digit) or
//!   `name-VERSION-RELEASE` (the release has a digit), so `java-11-openjdk`
//!   is a name, not `java` pinned to `11-openjdk` as hadolint reads it.
//! - Variables are expanded with the `ARG`/`ENV` values in scope at the
//!   `RUN`; a variable without a known value in the version part counts as
//!   a version only when it is in scope (hadolint also counts a global
//!   `ARG` the stage never declares, which is empty in the `RUN`).
//! - `dnf in` (dnf's short form) is covered; option values (`--setopt
//!   x=y`, `--enablerepo r`) are not taken for packages; groups (`@core`),
//!   paths, URLs and capabilities cannot be pinned and are not reported.

use super::shared_b::{list, rpm_unpinned};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3041;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3041",
    aliases: &[],
    name: "dnf-pin-versions",
    title: "Specify version with `dnf install -y <package>-<version>`",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Unpinned `dnf`/`microdnf install` packages make every build take whatever the repository has that day. A version is `name-VERSION[-RELEASE]`; unlike hadolint, restage does not take names such as `java-11-openjdk` for pinned packages, expands `ARG`/`ENV` values in scope, covers `dnf in`, and does not mistake option values for packages.",
    bad: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
};

impl Rule for Dl3041 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Dnf, Tool::Microdnf]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (run, bad) in rpm_unpinned(cx, &[Tool::Dnf, Tool::Microdnf]) {
            out.push(
                cx.at(
                    run.instruction,
                    format!(
                        "Specify version with `dnf install -y <package>-<version>`: {} not pinned",
                        list(&bad)
                    ),
                )
                .with_fix("Pin each package (`httpd-2.4.62`) and each module stream (`nodejs:18`)"),
            );
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
            &Dl3041,
            &[
                ("FROM a\nRUN dnf install -y tomcat\n", &[2]),
                ("FROM a\nRUN dnf install -y tomcat-9.0.1\n", &[]),
                ("FROM a\nRUN microdnf install -y tomcat\n", &[2]),
                ("FROM a\nRUN microdnf install tomcat-9.0.1-1.el9\n", &[]),
                ("FROM a\nRUN dnf in -y tomcat\n", &[2]),
                ("FROM a\nRUN dnf5 install -y tomcat\n", &[2]),
                ("FROM a\nRUN dnf module install -y tomcat\n", &[2]),
                ("FROM a\nRUN dnf module install -y tomcat:9\n", &[]),
                (
                    "FROM a\nRUN dnf group install -y 'Development Tools'\n",
                    &[],
                ),
                (
                    "FROM a\nRUN dnf install -y --setopt install_weak_deps=0 x-1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN dnf install -y java-17-openjdk-headless\n",
                    &[2],
                ),
                ("FROM a\nRUN notdnf install tomcat\n", &[]),
                ("FROM a\nONBUILD RUN dnf install -y tomcat\n", &[2]),
                ("FROM a\nRUN <<EOF\ndnf install -y tomcat\nEOF\n", &[2]),
                ("FROM a\nARG V\nRUN dnf install -y tomcat-$V\n", &[]),
                ("FROM a\nRUN dnf install -y tomcat-$V\n", &[2]),
            ],
        );
    }
}
