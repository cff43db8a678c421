//! DL3036: `zypper clean` missing after zypper use.
//!
//! ## What it does
//! Reports a `RUN` that installs or updates packages with `zypper` and does
//! not empty zypper's cache afterwards in the same `RUN` (`zypper clean`,
//! `zypper cc`, or `rm -rf /var/cache/zypp`).
//!
//! ## Why is this bad?
//! zypper keeps repository metadata (and possibly packages) under
//! `/var/cache/zypp`. What a `RUN` leaves there is part of its layer for
//! good; removing it in a later `RUN` does not make the image smaller.
//!
//! ## Example
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper -n install httpd=2.4.58
//! ```
//! Use instead:
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper -n install httpd=2.4.58 && zypper clean --all
//! ```
//!
//! ## Where restage differs from hadolint
//! - Only layers that end up in the produced image are reported: the final
//!   stage, the stages it is built on, stages copied in whole, and
//!   `ONBUILD` triggers. A builder stage used through `COPY --from` does
//!   not ship its cache.
//! - `rm -rf /var/cache/zypp` counts as a cleanup (hadolint only accepts
//!   `zypper clean`), and a cache mount on `/var/cache/zypp` or a parent
//!   passes.
//! - The cleanup must follow the last install, not just the first one.
//! - Besides `install`, the commands that download metadata or packages are
//!   covered: `update`, `dist-upgrade`, `patch`, `source-install`,
//!   `refresh`.

use super::shared_b::{deletes, missing_cleanup};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};

/// The rule.
pub struct Dl3036;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3036",
    aliases: &[],
    name: "zypper-clean",
    title: "`zypper clean` missing after zypper use",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "zypper leaves repository metadata in `/var/cache/zypp`; unless the same `RUN` removes it (`zypper clean`), it stays in the layer. Unlike hadolint, restage reports only layers that ship in the produced image, accepts `rm -rf /var/cache/zypp` and cache mounts, and requires the cleanup after the last install.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.58\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.58 && zypper clean --all\n",
};

/// zypper's cache directory.
const CACHES: &[&str] = &["/var/cache/zypp"];

/// Subcommands that download metadata or packages.
const FILLS: &[&str] = &[
    "install",
    "in",
    "update",
    "up",
    "dist-upgrade",
    "dup",
    "patch",
    "source-install",
    "si",
    "refresh",
    "ref",
];

fn fills(inv: &Invocation<'_>) -> Option<String> {
    let sub = inv.subcommand()?;
    (inv.tool == Tool::Zypper && FILLS.contains(&sub)).then(|| format!("zypper {sub}"))
}

fn cleans(command: &SimpleCommand) -> bool {
    recognise(command).is_some_and(|inv| {
        inv.tool == Tool::Zypper && matches!(inv.subcommand(), Some("clean" | "cc"))
    }) || deletes(command, CACHES)
}

impl Rule for Dl3036 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Zypper]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (run, what) in missing_cleanup(cx, fills, cleans, CACHES, &[]) {
            out.push(
                cx.at(
                    run.instruction,
                    format!("`zypper clean` missing after `{what}`: the zypper cache stays in the layer"),
                )
                .with_fix(
                    "End the RUN with `&& zypper clean --all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/zypp ...`",
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
            &Dl3036,
            &[
                ("FROM a\nRUN zypper -n install x=1\n", &[2]),
                ("FROM a\nRUN zypper -n install x=1 && zypper clean\n", &[]),
                ("FROM a\nRUN zypper -n in x=1 && zypper cc -a\n", &[]),
                (
                    "FROM a\nRUN zypper -n in x=1 && rm -rf /var/cache/zypp/*\n",
                    &[],
                ),
                ("FROM a\nRUN zypper clean && zypper -n in x=1\n", &[2]),
                ("FROM a\nRUN zypper -n up\n", &[2]),
                ("FROM a\nRUN zypper -n rm x\n", &[]),
                (
                    "FROM a\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in x=1\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN zypper -n in x=1\n", &[2]),
                ("FROM a\nRUN <<EOF\nzypper -n in x=1\nEOF\n", &[2]),
                (
                    "FROM a AS build\nRUN zypper -n in x=1\nFROM b\nCOPY --from=build /x /x\n",
                    &[],
                ),
                ("FROM a AS base\nRUN zypper -n in x=1\nFROM base\n", &[2]),
            ],
        );
    }
}
