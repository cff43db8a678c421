//! DL3060: `yarn cache clean` missing after `yarn install` was run.
//!
//! ## What it does
//! Reports a `RUN` that installs packages with yarn (`yarn install`, a bare
//! `yarn`, `yarn add`, `yarn global add`) without `yarn cache clean`
//! afterwards in the same `RUN`, when the layer ends up in the produced
//! image.
//!
//! ## Why is this bad?
//! yarn keeps a copy of every package in its cache
//! (`/usr/local/share/.cache/yarn` for root, `~/.cache/yarn` otherwise). In
//! an image the cache is never used again, but it stays in the layer and is
//! often larger than `node_modules`.
//!
//! ## Example
//! ```dockerfile
//! FROM node:22
//! WORKDIR /app
//! COPY package.json yarn.lock ./
//! RUN yarn install --frozen-lockfile
//! ```
//! Use instead:
//! ```dockerfile
//! FROM node:22
//! WORKDIR /app
//! COPY package.json yarn.lock ./
//! RUN yarn install --frozen-lockfile && yarn cache clean
//! ```
//!
//! ## Where restage differs from hadolint
//! - Like hadolint, only layers that ship are reported, but restage decides
//!   that from the stage graph: the final stage, the stages it is built on
//!   and stages copied in whole, plus `ONBUILD` triggers. hadolint also
//!   reports stages that are only the base of a builder stage.
//! - A bare `yarn` (which installs), `yarn add` and `yarn global add` fill
//!   the cache too and are covered.
//! - Removing the cache directory (`rm -rf /usr/local/share/.cache/yarn`)
//!   counts as a cleanup; a cache or tmpfs mount on the yarn cache (a
//!   target ending in `.cache/yarn`, `/usr/local/share/.cache/yarn`, or the
//!   `--cache-folder`/`YARN_CACHE_FOLDER` directory) passes.
//! - The cleanup must follow the last install.

use super::shared_b::{
    Scope, cache_mounted, command_env, deletes, run_invocations, run_ships, shell_runs,
    shipped_stages, unwrap_command,
};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};

/// The rule.
pub struct Dl3060;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3060",
    aliases: &[],
    name: "yarn-cache-clean",
    title: "`yarn cache clean` missing after `yarn install` was run",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "yarn keeps a copy of every package in its cache, which stays in the layer unless the same `RUN` runs `yarn cache clean`. restage reports only layers that ship in the produced image, covers a bare `yarn` and `yarn add`, and accepts removing the cache directory or a cache mount on it.",
    bad: "FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n",
    good: "FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
};

/// Where yarn 1 keeps its cache, for root and for other users.
const CACHES: &[&str] = &["/usr/local/share/.cache/yarn", "/root/.cache/yarn"];

/// `yarn`, `yarn install`, `yarn add`, `yarn global add`.
fn installs(inv: &Invocation<'_>) -> bool {
    if inv.tool != Tool::Yarn {
        return false;
    }
    let p = inv.positional();
    match p.as_slice() {
        [] => !inv.has_flag(&["version", "v", "help", "h"]),
        [first, ..] if matches!(*first, "install" | "add") => true,
        [first, second, ..] => *first == "global" && *second == "add",
        _ => false,
    }
}

fn cleans(command: &SimpleCommand) -> bool {
    let yarn_clean = recognise(command).is_some_and(|inv| {
        let p = inv.positional();
        inv.tool == Tool::Yarn && p.first() == Some(&"cache") && p.get(1) == Some(&"clean")
    });
    let (name, args) = unwrap_command(command);
    let removes_cache = name == "rm"
        && args.iter().any(|a| {
            a.trim_end_matches('*')
                .trim_end_matches('/')
                .ends_with(".cache/yarn")
        });
    yarn_clean || removes_cache || deletes(command, CACHES)
}

impl Rule for Dl3060 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Yarn]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let shipped = shipped_stages(cx);
        for run in shell_runs(cx, true) {
            if !run_ships(&run, &shipped) {
                continue;
            }
            let invs = run_invocations(run.run);
            let Some((index, command, inv)) = invs.iter().rfind(|(_, _, i)| installs(i)) else {
                continue;
            };
            if run.run.commands().skip(index + 1).any(cleans) {
                continue;
            }
            let mut dirs: Vec<String> = CACHES.iter().map(|s| (*s).to_string()).collect();
            dirs.extend(inv.flag_value(&["cache-folder"]).map(str::to_string));
            dirs.extend(
                command_env(command)
                    .iter()
                    .filter(|(k, _)| *k == "YARN_CACHE_FOLDER")
                    .map(|(_, v)| (*v).to_string()),
            );
            dirs.extend(
                Scope::for_run(cx, &run)
                    .value("YARN_CACHE_FOLDER")
                    .map(str::to_string),
            );
            let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
            if cache_mounted(run.run, &dirs, &[".cache/yarn"]) {
                continue;
            }
            let what = match inv.positional().first() {
                Some(&"global") => "yarn global add".to_string(),
                Some(sub) => format!("yarn {sub}"),
                None => "yarn".to_string(),
            };
            out.push(
                cx.at(
                    run.instruction,
                    format!("`yarn cache clean` missing after `{what}` was run: the yarn cache stays in the layer"),
                )
                .with_fix("End the RUN with `&& yarn cache clean`, or mount a cache: `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn ...`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn cache_cleanup() {
        assert_lines(
            &Dl3060,
            &[
                ("FROM a\nRUN yarn install\n", &[2]),
                ("FROM a\nRUN yarn install && yarn cache clean\n", &[]),
                (
                    "FROM a\nRUN yarn install --frozen-lockfile && yarn cache clean --force\n",
                    &[],
                ),
                ("FROM a\nRUN yarn cache clean && yarn install\n", &[2]),
                ("FROM a\nRUN yarn\n", &[2]),
                ("FROM a\nRUN yarn --frozen-lockfile\n", &[2]),
                ("FROM a\nRUN yarn --version && yarn -v\n", &[]),
                ("FROM a\nRUN yarn add left-pad\n", &[2]),
                ("FROM a\nRUN yarn global add serve\n", &[2]),
                ("FROM a\nRUN yarn build\nRUN yarn run test\n", &[]),
                (
                    "FROM a\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn\n",
                    &[],
                ),
                ("FROM a\nRUN yarn install && rm -rf ~/.cache/yarn\n", &[]),
                (
                    "FROM a\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/home/node/.cache/yarn yarn install\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/yc yarn install --cache-folder /yc\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/root/.yarn yarn install\n",
                    &[2],
                ),
                ("FROM a\nONBUILD RUN yarn install\n", &[2]),
                ("FROM a\nRUN <<EOF\nyarn install\nEOF\n", &[2]),
                ("FROM a\nRUN sudo yarn install\n", &[2]),
            ],
        );
    }

    #[test]
    fn only_layers_that_ship() {
        assert_lines(
            &Dl3060,
            &[
                (
                    "FROM a AS b\nRUN yarn install\nFROM d\nCOPY --from=b /x /x\n",
                    &[],
                ),
                ("FROM a AS b\nRUN yarn install\nFROM b\n", &[2]),
                // hadolint reports line 2 (b is the base of c), but c is only
                // copied from: neither layer ships.
                (
                    "FROM a AS b\nRUN yarn install\nFROM b AS c\nRUN yarn install\nFROM d\nCOPY --from=c /x /x\n",
                    &[],
                ),
            ],
        );
    }
}
