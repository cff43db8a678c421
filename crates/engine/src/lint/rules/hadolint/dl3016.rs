//! DL3016: pin versions in npm.
//!
//! ## What it does
//! Reports `npm install` (also `npm i`, `npm add`) of packages named
//! without a version (`pkg@1.2.3`, `@scope/pkg@^1`).
//!
//! ## Why is this bad?
//! An unpinned package installs whatever the registry holds at build time,
//! so rebuilds differ and a new release can break the image. (A bare `npm
//! install` in a project directory is fine: the lockfile pins it.)
//!
//! ## Where restage differs from hadolint
//! - `npm i` and `npm add`, npm's aliases of `install`, are checked;
//!   hadolint only knows `install`.
//! - `@latest` (and `@next`) name a moving tag, not a version: `npm install
//!   -g npm@latest` is reported, where hadolint accepts any `@`.
//! - `.` and `..` are local folders, not unpinned packages.
//! - Package lists in variables are read through their values, from
//!   `ARG`/`ENV` or from a shell variable the same `RUN` sets (`ARG
//!   PKGS="express lodash"` + `npm install $PKGS` reports both). hadolint
//!   reports every `$VAR` word as one unpinned package. A word that is only
//!   a variable restage cannot know (set by the base image, a loop,
//!   `$(...)`, a build argument without default) is not reported; a word
//!   mixing text and an unknown variable is judged by its shape
//!   (`express@${V}` is pinned).
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! As in hadolint, git URLs need a `#ref`; tarballs (`.tgz`, `.tar.gz`,
//! `.tar`), URLs and local paths are accepted; the values of `--registry`,
//! `--loglevel`, `--prefix` and similar flags are not packages. Applies to
//! `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{invocations_in, quoted_list, RunVariables, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rules::UniqueList;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3016;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3016",
    aliases: &[],
    name: "npm-pin-versions",
    title: "Pin versions in npm",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `npm install <package>` without `@<version>`: the registry's current release is installed, so rebuilds differ. A bare `npm install` (lockfile) is fine. Unlike hadolint, restage also checks `npm i`/`npm add`, treats `@latest`/`@next` as unpinned, and reads package lists in `ARG`/`ENV` variables through their values.",
    bad: "FROM node:20-slim\nRUN npm install -g typescript\n",
    good: "FROM node:20-slim\nRUN npm install -g typescript@5.6.3\n",
};

/// Whether a package spec names a version or a fixed artifact.
fn pinned(package: &str) -> bool {
    const GIT: &[&str] = &[
        "git://",
        "git+ssh://",
        "git+http://",
        "git+https://",
        "github:",
    ];
    if GIT.iter().any(|p| package.starts_with(p)) {
        return package.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|s| package.ends_with(s))
        || ["/", "./", "../", "~/", "file:", "http://", "https://"]
            .iter()
            .any(|p| package.starts_with(p))
        || package == "."
        || package == ".."
    {
        return true;
    }
    // Drop the scope of `@scope/name@version`.
    let name = match package.strip_prefix('@') {
        Some(rest) => rest.split_once('/').map_or("", |(_, n)| n),
        None => package,
    };
    match name.split_once('@') {
        Some((_, version)) => !version.is_empty() && !matches!(version, "latest" | "next"),
        None => false,
    }
}

impl Rule for Dl3016 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Npm]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let invocations = invocations_in(&run, &[Tool::Npm], &["install", "i", "add"]);
            if invocations.is_empty() {
                continue;
            }
            let vars = RunVariables::new(cx, &run);
            let mut unpinned = UniqueList::default();
            for inv in invocations {
                for operand in inv.operands() {
                    for package in vars.expand(operand).unwrap_or_default() {
                        if !pinned(&package) {
                            unpinned.push(package);
                        }
                    }
                }
            }
            if !unpinned.is_empty() {
                out.push(
                    cx.at(
                        run.instruction,
                        format!(
                            "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`: {}",
                            quoted_list(unpinned.items())
                        ),
                    )
                    .with_fix("Add `@<version>` to each package"),
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
    fn unpinned_packages_are_reported() {
        assert_lines(
            &Dl3016,
            &[
                ("FROM a:1\nRUN npm install\n", &[]),
                ("FROM a:1\nRUN npm ci --omit=dev\n", &[]),
                ("FROM a:1\nRUN npm install express\n", &[2]),
                (
                    "FROM a:1\nRUN npm install express@4.19.2 @scope/x@1.0.0\n",
                    &[],
                ),
                ("FROM a:1\nRUN npm install @scope/x\n", &[2]),
                ("FROM a:1\nRUN npm i -g express\n", &[2]),
                ("FROM a:1\nRUN npm add express\n", &[2]),
                ("FROM a:1\nRUN npm install -g npm@latest\n", &[2]),
                (
                    "FROM a:1\nRUN npm install . ./lib ../x /opt/y x.tgz https://e.com/x.tgz\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN npm install git+https://github.com/o/r.git#v1.0\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN npm install git+https://github.com/o/r.git\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN npm install --registry https://r.example express@1\n",
                    &[],
                ),
                ("FROM a:1\nRUN npm run build\n", &[]),
                ("FROM a:1\nARG V=4.19.2\nRUN npm install express@$V\n", &[]),
                ("FROM a:1\nRUN <<EOF\nnpm install -g pnpm\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN npm install express\n", &[2]),
                ("FROM a:1 AS b\nRUN npm i x\nFROM b\nRUN npm i y\n", &[2, 4]),
            ],
        );
    }
}
