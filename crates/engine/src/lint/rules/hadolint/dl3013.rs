//! DL3013: pin versions in pip.
//!
//! ## What it does
//! Reports `pip install` (also `pip3`, `python -m pip`) of packages named
//! without a version specifier (`==`, `>=`, `~=`, ...).
//!
//! ## Why is this bad?
//! An unpinned package installs whatever PyPI holds at build time: the same
//! Dockerfile produces different images, and a new release can break the
//! build or the application.
//!
//! ## Where restage differs from hadolint
//! - Each named package is judged on its own. hadolint skips the whole
//!   command when it sees `-r`, `.` or another exempt word, so `pip install
//!   -r requirements.txt flask` passes there although `flask` is unpinned;
//!   restage reports `flask` (the requirements file is fine).
//! - Local projects with extras (`.[dev]`, `./pkg[test]`) are paths, not
//!   unpinned packages.
//! - Package lists in variables are read through their values, from
//!   `ARG`/`ENV` or from a shell variable the same `RUN` sets (`ARG
//!   PKGS="flask requests"` + `pip install $PKGS` reports both). hadolint
//!   reports every `$VAR` word as one unpinned package. A word that is only
//!   a variable restage cannot know (set by the base image, a loop,
//!   `$(...)`, a build argument without default) is not reported; a word
//!   mixing text and an unknown variable is judged by its shape
//!   (`flask==${V}` is pinned).
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! As in hadolint: a constraints file (`-c`) exempts the command; VCS
//! URLs need an `@ref`; local wheels and sdists (`.whl`, `.tar.gz`) and
//! paths are accepted; flag values (`-i URL`, `-e PATH`, `--target DIR`)
//! are not packages. Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{invocations_in, quoted_list, RunVariables, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rules::UniqueList;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3013;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3013",
    aliases: &[],
    name: "pip-pin-versions",
    title: "Pin versions in pip",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `pip install` of packages without a version specifier: each build installs whatever PyPI holds that day. Unlike hadolint, which skips the whole command when it sees `-r` or `.`, restage judges each named package (`pip install -r requirements.txt flask` reports `flask`), treats `.[dev]` as a local path, and reads package lists in `ARG`/`ENV` variables through their values.",
    bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
};

/// VCS schemes pip understands.
const VCS: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];

/// Whether a requirement names a version or a fixed artifact.
fn pinned(package: &str) -> bool {
    let vcs = VCS.iter().any(|p| package.starts_with(p));
    if vcs {
        // `git+https://host/repo.git@v1.0#egg=x`: the ref follows the path.
        let path = package.split('#').next().unwrap_or(package);
        return path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('@'));
    }
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| package.contains(s))
        || [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"]
            .iter()
            .any(|s| package.ends_with(s))
        || package.contains('/')
        || package.starts_with('.')
        || package.starts_with("file:")
}

impl Rule for Dl3013 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Pip]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let invocations = invocations_in(&run, &[Tool::Pip], &["install"]);
            if invocations.is_empty() {
                continue;
            }
            let vars = RunVariables::new(cx, &run);
            let mut unpinned = UniqueList::default();
            for inv in invocations {
                if inv.has_flag(&["c", "constraint"]) {
                    continue;
                }
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
                            "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`: {}",
                            quoted_list(unpinned.items())
                        ),
                    )
                    .with_fix("Add `==<version>` to each package, or list them in a pinned requirements file"),
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
            &Dl3013,
            &[
                (
                    "FROM a:1\nRUN pip install flask==3.0 'requests>=2' x~=1.0\n",
                    &[],
                ),
                ("FROM a:1\nRUN pip install flask\n", &[2]),
                ("FROM a:1\nRUN pip install --upgrade pip\n", &[2]),
                ("FROM a:1\nRUN pip3 install --user -U pip==24.0\n", &[]),
                ("FROM a:1\nRUN python3 -m pip install flask\n", &[2]),
                ("FROM a:1\nRUN /usr/local/bin/pip3.12 install flask\n", &[2]),
                ("FROM a:1\nRUN pip install -r requirements.txt\n", &[]),
                (
                    "FROM a:1\nRUN pip install -r requirements.txt flask\n",
                    &[2],
                ),
                ("FROM a:1\nRUN pip install -c constraints.txt flask\n", &[]),
                (
                    "FROM a:1\nRUN pip install . && pip install -e .[dev]\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN pip install .[dev] ./lib /tmp/x.whl dist/pkg-1.0.tar.gz\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN pip install git+https://github.com/o/r.git@v1.0\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN pip install git+https://github.com/o/r.git\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN pip install -i https://pypi.example/simple flask==1\n",
                    &[],
                ),
                ("FROM a:1\nRUN pip install --target /opt/x flask==1\n", &[]),
                ("FROM a:1\nRUN pip download flask\n", &[]),
                ("FROM a:1\nRUN sudo pip install flask\n", &[2]),
                // Variables.
                ("FROM a:1\nARG PKG=flask\nRUN pip install $PKG\n", &[3]),
                (
                    "FROM a:1\nARG PKG=flask==3.0\nRUN pip install \"$PKG\"\n",
                    &[],
                ),
                ("FROM a:1\nRUN for p in a b; do pip install $p; done\n", &[]),
                // Heredoc and ONBUILD.
                ("FROM a:1\nRUN <<EOF\npip install flask\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN pip install flask\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN pip install x\nFROM b\nRUN pip install y\n",
                    &[2, 4],
                ),
                (
                    "FROM a:1\nRUN pkgs=\"flask requests==2\"; pip install $pkgs\n",
                    &[2],
                ),
                ("FROM a:1\nRUN pip install flask==${FLASK_VERSION}\n", &[]),
            ],
        );
    }
}
