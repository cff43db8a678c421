//! DL3040: `dnf clean all` missing after a dnf command.
//!
//! ## What it does
//! Reports a `RUN` that installs or updates packages with `dnf` or
//! `microdnf` and does not empty the package cache afterwards in the same
//! `RUN` (`dnf clean all`, or `rm -rf` of the cache directory).
//!
//! ## Why is this bad?
//! dnf keeps repository metadata (often 100 MB and more) and packages under
//! `/var/cache/dnf` (`/var/cache/libdnf5` for dnf5, `/var/cache/yum` for
//! older microdnf). What a `RUN` leaves there is part of its layer for
//! good; removing it in a later `RUN` does not make the image smaller.
//!
//! ## Example
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62
//! ```
//! Use instead:
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62 && dnf clean all
//! ```
//!
//! ## Where restage differs from hadolint
//! - Only layers that end up in the produced image are reported: the final
//!   stage, the stages it is built on, stages copied in whole, and
//!   `ONBUILD` triggers. A builder stage used through `COPY --from` does
//!   not ship its cache.
//! - hadolint 2.15.1 accepts any `rm -rf` (even `rm -rf /tmp`) and any
//!   `dnf clean` (`dnf clean metadata` leaves the packages) after the
//!   install. restage accepts `dnf`/`microdnf`/`yum clean all` or an `rm`
//!   of a cache directory (or a parent), placed after the last install.
//! - A cache or tmpfs mount on `/var/cache/dnf`, `/var/cache/libdnf5`,
//!   `/var/cache/yum` or a parent passes (hadolint only knows the exact
//!   libdnf5 path).
//! - `groupinstall`, `localinstall`, `downgrade`, `distro-sync`,
//!   `makecache` and `group install` fill the cache too and are covered.

use super::dl3032::cleans_yum;
use super::shared_b::{deletes, missing_cleanup, subcommand_words};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool};

/// The rule.
pub struct Dl3040;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3040",
    aliases: &[],
    name: "dnf-clean-all",
    title: "`dnf clean all` missing after dnf command",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "dnf and microdnf leave repository metadata and packages in their cache; unless the same `RUN` removes them (`dnf clean all`), they stay in the layer. Unlike hadolint, restage reports only layers that ship in the produced image, accepts cache mounts on any dnf cache directory, requires the cleanup after the last install, and does not accept an unrelated `rm -rf` or a partial `dnf clean`.",
    bad: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
};

/// Cache directories of dnf 4, dnf5 and microdnf.
const CACHES: &[&str] = &["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"];

/// Subcommands that download metadata or packages.
const FILLS: &[&str] = &[
    "install",
    "in",
    "groupinstall",
    "localinstall",
    "reinstall",
    "upgrade",
    "update",
    "up",
    "downgrade",
    "distro-sync",
    "makecache",
    "group install",
    "groups install",
    "group upgrade",
    "module install",
];

fn fills(inv: &Invocation<'_>) -> Option<String> {
    if !matches!(inv.tool, Tool::Dnf | Tool::Microdnf) {
        return None;
    }
    let sub = subcommand_words(inv, &["group", "groups", "module"])?;
    let name = inv.line.base_name();
    FILLS
        .contains(&sub.as_str())
        .then(|| format!("{name} {sub}"))
}

fn cleans(command: &SimpleCommand) -> bool {
    cleans_yum(command) || deletes(command, CACHES)
}

impl Rule for Dl3040 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Dnf, Tool::Microdnf]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (run, what) in missing_cleanup(cx, fills, cleans, CACHES, &[]) {
            let tool = what.split(' ').next().unwrap_or("dnf");
            out.push(
                cx.at(
                    run.instruction,
                    format!("`{tool} clean all` missing after `{what}`: the package cache stays in the layer"),
                )
                .with_fix(format!(
                    "End the RUN with `&& {tool} clean all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/dnf ...`"
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
    fn cleanup_after_install() {
        assert_lines(
            &Dl3040,
            &[
                ("FROM a\nRUN dnf install -y x-1\n", &[2]),
                ("FROM a\nRUN dnf install -y x-1 && dnf clean all\n", &[]),
                (
                    "FROM a\nRUN microdnf install x-1 && microdnf clean all\n",
                    &[],
                ),
                ("FROM a\nRUN microdnf install x-1\n", &[2]),
                (
                    "FROM a\nRUN dnf install -y x-1 && rm -rf /var/cache/dnf\n",
                    &[],
                ),
                (
                    "FROM a\nRUN dnf install -y x-1 && rm -rf /var/cache/libdnf5*\n",
                    &[],
                ),
                (
                    "FROM a\nRUN dnf install -y x-1 && rm -rf /var/cache/yum/*\n",
                    &[],
                ),
                ("FROM a\nRUN dnf install -y x-1 && rm -rf /tmp\n", &[2]),
                (
                    "FROM a\nRUN dnf install -y x-1 && dnf clean metadata\n",
                    &[2],
                ),
                ("FROM a\nRUN dnf clean all && dnf install -y x-1\n", &[2]),
                ("FROM a\nRUN dnf upgrade -y\n", &[2]),
                (
                    "FROM a\nRUN dnf reinstall -y x\nRUN dnf in -y x\nRUN dnf remove -y x\n",
                    &[2, 3],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y x-1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/var/cache dnf install -y x-1\n",
                    &[],
                ),
                (
                    "FROM a AS build\nRUN dnf install -y x-1\nFROM b\nCOPY --from=build /x /x\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN dnf install -y x-1\n", &[2]),
                ("FROM a\nRUN <<EOF\ndnf install -y x-1\nEOF\n", &[2]),
                ("FROM a\nRUN sudo dnf install -y x-1\n", &[2]),
            ],
        );
    }
}
