//! DL3019: use the `--no-cache` switch with apk add.
//!
//! ## What it does
//! Reports `apk add` without `--no-cache`.
//!
//! ## Why is this bad?
//! Without `--no-cache`, apk stores the repository indexes in
//! `/var/cache/apk`, and they stay in the layer. `--no-cache` fetches a
//! fresh index and keeps nothing, which also makes `apk update` and
//! `--update` unnecessary.
//!
//! ## Where restage differs from hadolint
//! - A `RUN` that removes `/var/cache/apk` (`rm -rf /var/cache/apk/*`)
//!   after its last `apk add` leaves no cache in the layer, and is not
//!   reported.
//! - `apk add --no-network` fetches nothing, so it caches nothing either.
//! - Any cache or tmpfs mount covering `/var/cache/apk` exempts the `RUN`,
//!   as in hadolint.
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{deletes, invocations_in, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Dl3019;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3019",
    aliases: &[],
    name: "apk-no-cache",
    title: "Use the `--no-cache` switch with apk add",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apk add` without `--no-cache`: the package indexes stay in `/var/cache/apk` in the layer. A cache or tmpfs mount on `/var/cache/apk` exempts the `RUN`; unlike hadolint, so does removing `/var/cache/apk` after the last `apk add` in the same `RUN`.",
    bad: "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
};

const CACHE: &str = "/var/cache/apk";

impl Rule for Dl3019 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Apk]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let cached = invocations_in(&run, &[Tool::Apk], &["add"])
                .iter()
                .any(|inv| !inv.has_flag(&["no-cache", "no-network"]));
            if !cached || run.run.has_cache_mount(CACHE) {
                continue;
            }
            let commands: Vec<_> = run.run.commands().collect();
            let last_add = commands.iter().rposition(|c| {
                recognise(c)
                    .is_some_and(|inv| inv.tool == Tool::Apk && inv.subcommand() == Some("add"))
            });
            if last_add.is_some_and(|i| commands.iter().skip(i + 1).any(|c| deletes(c, CACHE))) {
                continue;
            }
            out.push(
                cx.at(
                    run.instruction,
                    "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
                )
                .with_fix("Use `apk add --no-cache`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn cached_installs_are_reported() {
        assert_lines(
            &Dl3019,
            &[
                ("FROM a:1\nRUN apk add --no-cache curl\n", &[]),
                ("FROM a:1\nRUN apk --no-cache add curl\n", &[]),
                ("FROM a:1\nRUN apk add curl\n", &[2]),
                ("FROM a:1\nRUN apk add --update curl\n", &[2]),
                ("FROM a:1\nRUN apk update\n", &[]),
                (
                    "FROM a:1\nRUN apk add --no-network --virtual .rundeps so:libc.so\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN scanelf x | xargs -rt apk add --virtual .rundeps\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN rm -rf /var/cache/apk/* && apk add curl\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN --mount=type=cache,target=/var/cache apk add curl\n",
                    &[],
                ),
                ("FROM a:1\nRUN sudo apk add curl\n", &[2]),
                ("FROM a:1\nRUN <<EOF\napk add curl\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN apk add curl\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN apk add x\nFROM b\nRUN apk add y\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
