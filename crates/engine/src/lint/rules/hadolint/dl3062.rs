//! DL3062: pin versions in `go install`, `go get` and `go run`.
//!
//! ## What it does
//! Reports `go install`, `go get` and `go run` of a remote package without
//! `@version`, or with a moving version (`@latest`, `@upgrade`, `@patch`,
//! `@master`, `@main`, `@HEAD`).
//!
//! ## Why is this bad?
//! Without a version, Go fetches whatever the module's latest release (or
//! branch head) is on the day of the build, so two builds of the same
//! Dockerfile differ.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.23
//! RUN go install golang.org/x/tools/gopls
//! ```
//! Use instead:
//! ```dockerfile
//! FROM golang:1.23
//! RUN go install golang.org/x/tools/gopls@v0.16.2
//! ```
//!
//! ## Where restage differs from hadolint
//! - Only remote packages (the first path element has a dot, like
//!   `github.com/...`) can take a version. hadolint also reports local
//!   files (`go run main.go`), standard-library or module-local paths
//!   (`go install cmd/app`) and the values of options (`-tags netgo`).
//! - For `go run`, only the package is checked; the words after it are the
//!   program's arguments.
//! - Branch names that move (`@master`, `@main`, `@HEAD`) and the queries
//!   `@upgrade`/`@patch` are as unpinned as `@latest`; `@none` removes a
//!   requirement and is not reported (hadolint reports it).
//! - Variables are expanded with the `ARG`/`ENV` values in scope; a
//!   package hidden in a variable without a known value is not reported.

use super::shared_b::{Scope, invocations, script_assigned, var_refs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::Instruction;
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3062;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3062",
    aliases: &[],
    name: "go-pin-versions",
    title: "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`go install`/`get`/`run` of a remote package without `@version` (or with `@latest`, a branch) fetches whatever is newest on the day of the build. Unlike hadolint, restage checks only remote package paths, so local files (`go run main.go`), module-local paths and option values are not reported.",
    bad: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls\n",
    good: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2\n",
};

/// Versions that move.
const MOVING: &[&str] = &["", "latest", "upgrade", "patch", "master", "main", "HEAD"];

/// Why a package argument is unpinned, if it is.
fn unpinned(word: &str) -> Option<String> {
    let (path, version) = match word.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (word, None),
    };
    let remote = path
        .split('/')
        .next()
        .is_some_and(|first| first.contains('.'))
        && !path.ends_with(".go")
        && !path.starts_with('.')
        && !path.starts_with('/');
    if !remote {
        return None;
    }
    match version {
        None => Some(format!("`{word}` has no version")),
        Some(v) if MOVING.contains(&v) => Some(format!("`{word}` does not pin a version")),
        Some(_) => None,
    }
}

impl Rule for Dl3062 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Go]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        let mut found: Vec<(&Instruction, bool, Vec<String>)> = Vec::new();
        for (view, inv) in invocations(cx, Tool::Go, true) {
            let sub = match inv.subcommand() {
                Some(s @ ("install" | "get" | "run")) => s,
                _ => continue,
            };
            let operands = inv.operands();
            let packages: Vec<&str> = if sub == "run" {
                operands.into_iter().take(1).collect()
            } else {
                operands
            };
            let mut problems = Vec::new();
            for word in packages {
                let words = if word.contains('$') {
                    let refs = var_refs(word, escape);
                    let scope = Scope::for_run(cx, &view.run);
                    let assigned = script_assigned(view.run.run);
                    if refs.iter().any(|r| assigned.contains(r)) {
                        continue;
                    }
                    match scope.expand(word, escape) {
                        Some(w) => w,
                        None => continue,
                    }
                } else {
                    vec![word.to_string()]
                };
                problems.extend(words.iter().filter_map(|w| unpinned(w)));
            }
            if problems.is_empty() {
                continue;
            }
            let (instruction, onbuild) = (view.run.instruction, view.run.onbuild);
            match found
                .iter_mut()
                .find(|(i, o, _)| i.node == instruction.node && *o == onbuild)
            {
                Some((_, _, list)) => list.extend(problems),
                None => found.push((instruction, onbuild, problems)),
            }
        }
        for (instruction, _, problems) in found {
            out.push(
                cx.at(
                    instruction,
                    format!(
                        "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`: {}",
                        problems.join(", ")
                    ),
                )
                .with_fix("Add a fixed version, e.g. `@v1.2.3`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn versions() {
        assert_lines(
            &Dl3062,
            &[
                ("FROM a\nRUN go install github.com/x/y@v1.2.3\n", &[]),
                ("FROM a\nRUN go install github.com/x/y\n", &[2]),
                ("FROM a\nRUN go install github.com/x/y@latest\n", &[2]),
                ("FROM a\nRUN go install github.com/x/y@master\n", &[2]),
                ("FROM a\nRUN go get -u github.com/x/y\n", &[2]),
                ("FROM a\nRUN go get github.com/x/y@none\n", &[]),
                ("FROM a\nRUN go run github.com/x/y@v1 --flag arg\n", &[]),
                ("FROM a\nRUN go run github.com/x/y --flag arg\n", &[2]),
                ("FROM a\nRUN go run main.go\n", &[]),
                ("FROM a\nRUN go run ./cmd/app\n", &[]),
                ("FROM a\nRUN go install .\nRUN go install ./...\n", &[]),
                ("FROM a\nRUN go install cmd/app\n", &[]),
                (
                    "FROM a\nRUN go install -tags netgo github.com/x/y@v1\n",
                    &[],
                ),
                (
                    "FROM a\nRUN go install -ldflags '-s -w' github.com/x/y@v1\n",
                    &[],
                ),
                ("FROM a\nRUN go build ./...\nRUN go mod download\n", &[]),
                ("FROM a\nRUN go install github.com/x/y@${V}\n", &[]),
                (
                    "FROM a\nARG V=latest\nRUN go install github.com/x/y@${V}\n",
                    &[3],
                ),
                ("FROM a\nARG PKG\nRUN go install $PKG\n", &[]),
                (
                    "FROM a\nRUN go install github.com/a/b github.com/c/d@v1\n",
                    &[2],
                ),
                ("FROM a\nONBUILD RUN go install github.com/x/y\n", &[2]),
                ("FROM a\nRUN <<EOF\ngo install github.com/x/y\nEOF\n", &[2]),
            ],
        );
    }
}
