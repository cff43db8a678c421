//! DL3032: `yum clean all` missing after a yum command.
//!
//! ## What it does
//! Reports a `RUN` that installs or updates packages with `yum` and does
//! not empty yum's cache afterwards in the same `RUN` (`yum clean all`, or
//! `rm -rf /var/cache/yum`).
//!
//! ## Why is this bad?
//! yum keeps repository metadata (and, with `keepcache`, the downloaded
//! packages) under `/var/cache/yum`. Whatever a `RUN` leaves there is part
//! of its layer for good: removing it in a later `RUN` does not make the
//! image smaller.
//!
//! ## Example
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6
//! ```
//! Use instead:
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6 && yum clean all
//! ```
//!
//! ## Where restage differs from hadolint
//! - Only layers that end up in the produced image are reported: the final
//!   stage, the stages it is built on, stages copied in whole, and
//!   `ONBUILD` triggers. A builder stage whose files are picked with
//!   `COPY --from` does not ship its cache, so hadolint's report there is
//!   noise.
//! - A cache or tmpfs mount on `/var/cache/yum` (or `/var/cache/dnf`, which
//!   `yum` uses on EL8 and later) keeps the cache out of the layer, so the
//!   `RUN` passes.
//! - The cleanup must come after the last install. hadolint 2.15.1 accepts
//!   any `rm -rf` of any path and `yum clean` of anything (`yum clean
//!   metadata` leaves the packages); restage accepts `yum`/`dnf clean all`
//!   or an `rm` of the cache directory (or a parent).
//! - Besides `install`, the commands that fill the cache are covered too:
//!   `update`/`upgrade`, `groupinstall`, `localinstall`, `reinstall`,
//!   `downgrade`, `makecache`, `group install`.
//! - `sudo yum`, `env ... yum` and `/usr/bin/yum` are recognised.

use super::shared_b::{deletes, missing_cleanup, subcommand_words};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};

/// The rule.
pub struct Dl3032;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3032",
    aliases: &[],
    name: "yum-clean-all",
    title: "`yum clean all` missing after yum command",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "yum leaves repository metadata and packages in `/var/cache/yum`; unless the same `RUN` removes them (`yum clean all`), they stay in the layer. Unlike hadolint, restage reports only layers that ship in the produced image (not builder stages used through `COPY --from`), accepts a cache mount on the yum cache, requires the cleanup after the last install, and does not accept an unrelated `rm -rf`.",
    bad: "FROM centos:7\nRUN yum install -y httpd-2.4.6\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

/// Cache directories of yum (EL7) and of yum-as-dnf (EL8+).
const CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf"];

/// Subcommands that download metadata or packages.
const FILLS: &[&str] = &[
    "install",
    "groupinstall",
    "localinstall",
    "reinstall",
    "update",
    "upgrade",
    "downgrade",
    "makecache",
    "group install",
    "groups install",
    "group update",
    "module install",
];

fn fills(inv: &Invocation<'_>) -> Option<String> {
    if inv.tool != Tool::Yum {
        return None;
    }
    let sub = subcommand_words(inv, &["group", "groups", "module"])?;
    FILLS.contains(&sub.as_str()).then(|| format!("yum {sub}"))
}

/// `yum clean all` (or `dnf`'s), or removing the cache directory.
pub(super) fn cleans_yum(command: &SimpleCommand) -> bool {
    let clean_all = recognise(command).is_some_and(|inv| {
        matches!(inv.tool, Tool::Yum | Tool::Dnf | Tool::Microdnf)
            && inv.subcommand() == Some("clean")
            && inv.operands().contains(&"all")
    });
    clean_all || deletes(command, CACHES)
}

impl Rule for Dl3032 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Yum]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (run, what) in missing_cleanup(cx, fills, cleans_yum, CACHES, &[]) {
            out.push(
                cx.at(
                    run.instruction,
                    format!("`yum clean all` missing after `{what}`: the yum cache stays in the layer"),
                )
                .with_fix(
                    "End the RUN with `&& yum clean all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/yum ...`",
                ),
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
            &Dl3032,
            &[
                ("FROM a\nRUN yum install -y x-1\n", &[2]),
                ("FROM a\nRUN yum install -y x-1 && yum clean all\n", &[]),
                (
                    "FROM a\nRUN yum install -y x-1 && rm -rf /var/cache/yum/*\n",
                    &[],
                ),
                (
                    "FROM a\nRUN yum install -y x-1 && rm -rf /var/cache/yum\n",
                    &[],
                ),
                ("FROM a\nRUN yum install -y x-1 && dnf clean all\n", &[]),
                ("FROM a\nRUN yum clean all && yum install -y x-1\n", &[2]),
                ("FROM a\nRUN yum install -y x-1 && rm -rf /tmp\n", &[2]),
                (
                    "FROM a\nRUN yum install -y x-1 && yum clean metadata\n",
                    &[2],
                ),
                ("FROM a\nRUN yum -y update\n", &[2]),
                ("FROM a\nRUN yum remove -y x\n", &[]),
                ("FROM a\nRUN sudo yum install -y x-1\n", &[2]),
                ("FROM a\nRUN notyum install x\n", &[]),
                (
                    "FROM a\nRUN --mount=type=cache,target=/var/cache/yum yum install -y x-1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/var/cache yum install -y x-1\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN yum install -y x-1\n", &[2]),
                ("FROM a\nRUN <<EOF\nyum install -y x-1\nEOF\n", &[2]),
                (
                    "FROM a\nRUN <<EOF\nyum install -y x-1\nyum clean all\nEOF\n",
                    &[],
                ),
            ],
        );
    }

    #[test]
    fn only_layers_that_ship() {
        assert_lines(
            &Dl3032,
            &[
                // A builder used through COPY --from: its cache does not ship.
                (
                    "FROM a AS build\nRUN yum install -y x-1\nFROM b\nCOPY --from=build /x /x\n",
                    &[],
                ),
                // A stage the final stage is built on ships.
                ("FROM a AS base\nRUN yum install -y x-1\nFROM base\n", &[2]),
                // A stage copied in whole ships.
                (
                    "FROM a AS root\nRUN yum install -y x-1\nFROM scratch\nCOPY --from=root / /\n",
                    &[2],
                ),
                // Unused stages do not.
                ("FROM a AS dev\nRUN yum install -y x-1\nFROM b\n", &[]),
            ],
        );
    }
}
