//! DL3042: avoid the cache directory with `pip install --no-cache-dir`.
//!
//! ## What it does
//! Reports `pip install` (also `pip3`, `python -m pip`, behind `sudo` or
//! `env`) without `--no-cache-dir` when pip's cache would end up in the
//! image.
//!
//! ## Why is this bad?
//! pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an
//! image build the cache is never used again, but it stays in the layer
//! and can be as large as the packages themselves.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! RUN pip install flask==3.0.3
//! ```
//! Use instead:
//! ```dockerfile
//! FROM python:3.12
//! RUN pip install --no-cache-dir flask==3.0.3
//! ```
//!
//! ## Where restage differs from hadolint
//! - The cache is also off when `PIP_NO_CACHE_DIR` is set from an `ENV` in
//!   scope (this stage or a
//!   stage it is built on, with the value as the build sees it), from the
//!   command itself (`PIP_NO_CACHE_DIR=1 pip ...`, `env PIP_NO_CACHE_DIR=1
//!   pip ...`), from an `export` earlier in the same script, or from an
//!   earlier `pip config set global.no-cache-dir true`. hadolint looks for
//!   the text `PIP_NO_CACHE_DIR=` anywhere in the `RUN`, so `echo
//!   PIP_NO_CACHE_DIR=1 && pip install x` passes there.
//! - pip (19.0 and later) turns the cache off for *any* boolean value of
//!   `PIP_NO_CACHE_DIR`, `0`, `false` and `off` included (kept for
//!   backwards compatibility, see pip's `_handle_no_cache_dir`), so those
//!   pass; hadolint reports them.
//! - A cache or tmpfs mount on pip's cache directory passes: any target
//!   ending in `.cache/pip` or `.cache` (hadolint needs `.cache/pip`), or
//!   the directory `PIP_CACHE_DIR` names.
//! - Only layers that end up in the produced image are reported: the final
//!   stage, the stages it is built on, stages copied in whole, and
//!   `ONBUILD` triggers. A builder stage whose packages are picked with
//!   `COPY --from` does not ship its cache.
//! - `uv pip`, `pipx`, `pipenv` and `poetry` are not pip and are not
//!   reported; `pip download`/`pip wheel` are not installs.

use super::shared_a::earlier_in_lineage;
use super::shared_b::{
    Scope, cache_mounted, command_env, exported_before, run_invocations, run_ships, shell_runs,
    shipped_stages, unquote,
};
use crate::dockerfile::Keyword;
use crate::lint::context::{LintContext, RunView};
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Dl3042;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3042",
    aliases: &[],
    name: "pip-no-cache-dir",
    title: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "pip keeps every wheel in `~/.cache/pip`, which stays in the layer. `--no-cache-dir`, `PIP_NO_CACHE_DIR` (ENV in this or a parent stage, inline, exported, or `pip config`) or a cache mount on pip's cache avoid it. Unlike hadolint, restage reads the variable's real value rather than searching the text, accepts a mount on `~/.cache`, and reports only layers that ship in the produced image.",
    bad: "FROM python:3.12\nRUN pip install flask==3.0.3\n",
    good: "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n",
};

/// Whether pip reads `value` as a boolean. pip disables its cache for any
/// boolean value of `PIP_NO_CACHE_DIR` (`false` too, for backwards
/// compatibility); other values make pip fail.
fn pip_bool(value: &str) -> bool {
    matches!(
        unquote(value).trim().to_ascii_lowercase().as_str(),
        "1" | "y" | "yes" | "t" | "true" | "on" | "0" | "n" | "no" | "f" | "false" | "off"
    )
}

/// The `RUN`s (by node, in order) that turn pip's cache off for good with
/// `pip config set global.no-cache-dir true`.
fn cache_configured_off(cx: &LintContext<'_>) -> Vec<usize> {
    cx.with_keyword(Keyword::Run)
        .filter(|i| {
            i.run.as_ref().is_some_and(|r| {
                r.commands().filter_map(recognise).any(|inv| {
                    let p = inv.positional();
                    inv.tool == Tool::Pip
                        && p.first() == Some(&"config")
                        && p.iter()
                            .position(|w| w.ends_with("no-cache-dir"))
                            .and_then(|i| p.get(i + 1))
                            .is_some_and(|v| pip_bool(v))
                })
            })
        })
        .map(|i| i.node)
        .collect()
}

/// Whether an earlier `RUN` of the stage (or of one it builds on) turned
/// pip's cache off with `pip config` (`configured` from
/// [`cache_configured_off`]).
fn configured_off(cx: &LintContext<'_>, run: &RunView<'_>, configured: &[usize]) -> bool {
    !run.onbuild && earlier_in_lineage(cx, run, configured)
}

impl Rule for Dl3042 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Pip]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let shipped = shipped_stages(cx);
        let mut configured = None;
        for run in shell_runs(cx, true) {
            if !run_ships(&run, &shipped) {
                continue;
            }
            let installs: Vec<_> = run_invocations(run.run)
                .into_iter()
                .filter(|(_, _, inv)| {
                    inv.tool == Tool::Pip
                        && inv.subcommand() == Some("install")
                        && !inv.has_flag(&["no-cache-dir"])
                })
                .collect();
            if installs.is_empty() {
                continue;
            }
            let scope = Scope::for_run(cx, &run);
            let env_off = scope.value("PIP_NO_CACHE_DIR").is_some_and(pip_bool);
            let mut cache_dirs: Vec<String> = scope
                .value("PIP_CACHE_DIR")
                .map(|d| unquote(d).to_string())
                .into_iter()
                .collect();
            let mut cached = false;
            for (index, command, _) in &installs {
                let inline = command_env(command);
                let inline_off = inline
                    .iter()
                    .any(|(k, v)| *k == "PIP_NO_CACHE_DIR" && pip_bool(v));
                let exported_off =
                    exported_before(run.run, *index, "PIP_NO_CACHE_DIR").is_some_and(pip_bool);
                cache_dirs.extend(
                    inline
                        .iter()
                        .filter(|(k, _)| *k == "PIP_CACHE_DIR")
                        .map(|(_, v)| v.to_string()),
                );
                cached |= !(env_off || inline_off || exported_off);
            }
            if !cached {
                continue;
            }
            let dirs: Vec<&str> = cache_dirs
                .iter()
                .map(String::as_str)
                .chain(["/root/.cache/pip"])
                .collect();
            if cache_mounted(run.run, &dirs, &[".cache/pip", ".cache"]) || configured_off(
                    cx,
                    &run,
                    configured.get_or_insert_with(|| cache_configured_off(cx)),
                )
            {
                continue;
            }
            out.push(
                cx.at(
                    run.instruction,
                    "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`: pip's cache stays in the layer",
                )
                .with_fix("Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: `RUN --mount=type=cache,target=/root/.cache/pip ...`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn no_cache_dir() {
        assert_lines(
            &Dl3042,
            &[
                ("FROM a\nRUN pip install x==1\n", &[2]),
                ("FROM a\nRUN pip install --no-cache-dir x==1\n", &[]),
                (
                    "FROM a\nRUN pip3 install --no-cache-dir x==1 && pip install -U pip\n",
                    &[2],
                ),
                ("FROM a\nRUN python3 -m pip install x==1\n", &[2]),
                ("FROM a\nRUN sudo pip install x==1\n", &[2]),
                ("FROM a\nRUN pip download x\nRUN pip wheel x\n", &[]),
                (
                    "FROM a\nRUN uv pip install x\nRUN pipx install x\nRUN pipenv install\n",
                    &[],
                ),
                ("FROM a\nONBUILD RUN pip install x==1\n", &[2]),
                ("FROM a\nRUN <<EOF\npip install x==1\nEOF\n", &[2]),
                (
                    "FROM a\nRUN <<EOF\npip install --no-cache-dir x==1\nEOF\n",
                    &[],
                ),
            ],
        );
    }

    #[test]
    fn environment() {
        assert_lines(
            &Dl3042,
            &[
                (
                    "FROM a\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nENV PIP_NO_CACHE_DIR=0\nRUN pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nENV PIP_NO_CACHE_DIR=off\nRUN pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nENV PIP_NO_CACHE_DIR=maybe\nRUN pip install x==1\n",
                    &[3],
                ),
                (
                    "FROM a\nRUN pip install x==1\nENV PIP_NO_CACHE_DIR=1\n",
                    &[2],
                ),
                (
                    "FROM a\nARG OFF=true\nENV PIP_NO_CACHE_DIR=$OFF\nRUN pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a AS b\nENV PIP_NO_CACHE_DIR=true\nFROM b\nRUN pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a AS b\nENV PIP_NO_CACHE_DIR=true\nFROM c\nRUN pip install x==1\n",
                    &[4],
                ),
                ("FROM a\nRUN PIP_NO_CACHE_DIR=1 pip install x==1\n", &[]),
                ("FROM a\nRUN env PIP_NO_CACHE_DIR=1 pip install x==1\n", &[]),
                (
                    "FROM a\nRUN export PIP_NO_CACHE_DIR=1 && pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN echo PIP_NO_CACHE_DIR=1 && pip install x==1\n",
                    &[2],
                ),
                (
                    "FROM a\nRUN pip config set global.no-cache-dir true\nRUN pip install x==1\n",
                    &[],
                ),
            ],
        );
    }

    #[test]
    fn cache_mounts_and_stages() {
        assert_lines(
            &Dl3042,
            &[
                (
                    "FROM a\nRUN --mount=type=cache,target=/root/.cache/pip pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/root/.cache pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nENV PIP_CACHE_DIR=/pipcache\nRUN --mount=type=cache,target=/pipcache pip install x==1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN --mount=type=cache,target=/tmp pip install x==1\n",
                    &[2],
                ),
                (
                    "FROM a AS build\nRUN pip install --prefix=/i x==1\nFROM b\nCOPY --from=build /i /usr/local\n",
                    &[],
                ),
                ("FROM a AS base\nRUN pip install x==1\nFROM base\n", &[2]),
            ],
        );
    }
}
