//! DL3033: specify versions with `yum install -y <package>-<version>`.
//!
//! ## What it does
//! Reports `yum install` of a package without a version, and `yum module
//! install` of a module without a stream (`nodejs:18`).
//!
//! ## Why is this bad?
//! Without a version, the image gets whatever the repository has on the day
//! of the build: two builds of the same Dockerfile differ, and an update can
//! break the image without any change to the file.
//!
//! ## Example
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd && yum clean all
//! ```
//! Use instead:
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6 && yum clean all
//! ```
//!
//! ## Where restage differs from hadolint
//! - A version is `name-VERSION` (the last `-` part starts with a digit) or
//!   `name-VERSION-RELEASE` (the release has a digit). hadolint accepts any
//!   dash followed by something version-like, so `java-11-openjdk` or
//!   `java-1.8.0-openjdk-devel` pass as pinned; they are package names.
//! - Variables are expanded with the `ARG`/`ENV` values in scope at the
//!   `RUN` (`ARG V=1.2` then `httpd-$V` is pinned; `ARG V=` is not). A
//!   variable without a known value in the version part counts as a
//!   version, as in hadolint, but only when it is in scope: a global `ARG`
//!   not declared again in the stage is empty in the `RUN`, and hadolint
//!   counts it.
//! - Values of options (`--enablerepo foo`, `--setopt x=y`) are not taken
//!   for packages; groups (`@core`), paths, URLs and capabilities
//!   (`perl(Foo)`) cannot be pinned and are not reported.
//! - `sudo yum`, `/usr/bin/yum` and `yum` in heredoc scripts are covered.

use super::shared_b::{list, rpm_unpinned};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3033;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3033",
    aliases: &[],
    name: "yum-pin-versions",
    title: "Specify version with `yum install -y <package>-<version>`",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Unpinned `yum install` packages make every build take whatever the repository has that day. A version is `name-VERSION[-RELEASE]`; unlike hadolint, restage does not take names such as `java-11-openjdk` for pinned packages, expands `ARG`/`ENV` values in scope, and does not mistake option values for packages.",
    bad: "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

impl Rule for Dl3033 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Yum]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (run, bad) in rpm_unpinned(cx, &[Tool::Yum]) {
            out.push(
                cx.at(
                    run.instruction,
                    format!(
                        "Specify version with `yum install -y <package>-<version>`: {} not pinned",
                        list(&bad)
                    ),
                )
                .with_fix("Pin each package (`httpd-2.4.6`) and each module stream (`nodejs:18`)"),
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
            &Dl3033,
            &[
                ("FROM a\nRUN yum install -y httpd\n", &[2]),
                ("FROM a\nRUN yum install -y httpd-2.4.6\n", &[]),
                ("FROM a\nRUN yum install -y x-1.2.3-4.el7 y-1.0_rc1\n", &[]),
                ("FROM a\nRUN yum install -y python3-pip\n", &[2]),
                ("FROM a\nRUN yum install -y python3-pip-9.0\n", &[]),
                ("FROM a\nRUN yum install -y java-11-openjdk\n", &[2]),
                (
                    "FROM a\nRUN yum install -y java-1.8.0-openjdk-1.8.0.392\n",
                    &[],
                ),
                (
                    "FROM a\nRUN yum install -y /tmp/x.rpm https://e.com/y.rpm @core\n",
                    &[],
                ),
                ("FROM a\nRUN yum --enablerepo epel install -y x-1\n", &[]),
                ("FROM a\nRUN yum module install -y nodejs\n", &[2]),
                ("FROM a\nRUN yum module install -y nodejs:18\n", &[]),
                ("FROM a\nRUN yum groupinstall -y 'Development Tools'\n", &[]),
                ("FROM a\nRUN sudo yum install -y httpd\n", &[2]),
                ("FROM a\nRUN notyum install httpd\n", &[]),
                ("FROM a\nONBUILD RUN yum install -y httpd\n", &[2]),
                ("FROM a\nRUN <<EOF\nyum install -y httpd\nEOF\n", &[2]),
            ],
        );
    }

    #[test]
    fn variables() {
        assert_lines(
            &Dl3033,
            &[
                ("FROM a\nARG V\nRUN yum install -y x-${V}\n", &[]),
                ("FROM a\nARG V=1.2\nRUN yum install -y x-$V\n", &[]),
                ("FROM a\nARG V=\nRUN yum install -y x-$V\n", &[3]),
                ("FROM a\nRUN yum install -y x-${V}\n", &[2]),
                // A global ARG is not in scope in the stage.
                ("ARG V=1\nFROM a\nRUN yum install -y x-${V}\n", &[3]),
                ("ARG V=1\nFROM a\nARG V\nRUN yum install -y x-${V}\n", &[]),
                (
                    "FROM a AS base\nENV V=1\nFROM base\nRUN yum install -y x-${V}\n",
                    &[],
                ),
                (
                    "FROM a\nARG PKGS=\"x-1 y\"\nRUN yum install -y $PKGS\n",
                    &[3],
                ),
                ("FROM a\nARG PKGS\nRUN yum install -y $PKGS\n", &[]),
                ("FROM a\nRUN V=1 && yum install -y x-$V\n", &[]),
                ("FROM a\nRUN yum install -y kernel-devel-$(uname -r)\n", &[]),
            ],
        );
    }
}
