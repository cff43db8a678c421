//! DL3022: COPY --from should reference a previously defined FROM alias.
//!
//! ## What it does
//! Reports a `COPY --from` (or `RUN --mount from=`) whose value is a bare
//! name that is no stage of the file, a stage defined later, or a stage
//! index that does not exist.
//!
//! ## Why is this bad?
//! BuildKit takes a `--from` that names no stage for an image and tries to
//! pull it from Docker Hub: a typo in a stage name (`--from=buidler`)
//! becomes a confusing pull error, or worse, silently copies from an
//! unrelated public image with that name.
//!
//! ## Where restage differs from hadolint
//! - A value that cannot be a stage name because it contains `/`, `:` or
//!   `@` (`gcr.io/distroless/base`, `nginx:1.27`, `img@sha256:...`) is an
//!   explicit image and is not reported; hadolint only accepts a `:`.
//! - Stage names are compared case-insensitively, as BuildKit does
//!   (`--from=Build` finds `AS build`).
//! - A reference to a stage defined later, or a stage index past the last
//!   stage, is reported with that reason.
//! - `RUN --mount from=` is checked too: the same lookup applies.
//!
//! ## Notes
//! A reference to the stage itself is DL3023's. `--from` values are not
//! expanded by BuildKit, so `$VAR` values are left to BuildKit's own
//! error. `ONBUILD` triggers are not checked, as in hadolint.

use super::shared_a::{FromSource, from_references, from_source};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3022;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3022",
    aliases: &[],
    name: "copy-from-unknown-stage",
    title: "COPY --from should reference a previously defined FROM alias",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `COPY --from=<name>` where the name is no earlier stage: BuildKit then pulls an image of that name, so a typo in a stage name becomes a pull error or copies from an unrelated public image. Unlike hadolint, restage accepts values that can only be images (containing `/`, `:` or `@`), compares stage names case-insensitively as BuildKit does, and checks `RUN --mount from=` too.",
    bad: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidl /app /app\n",
    good: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
};

impl Rule for Dl3022 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, value, is_copy) in from_references(cx) {
            let Some(current) = instruction.stage else {
                continue;
            };
            if value.contains('$') {
                continue;
            }
            let what = if is_copy {
                "`COPY --from`"
            } else {
                "`RUN --mount from=`"
            };
            let problem = match from_source(cx, value, is_copy) {
                FromSource::Stage(stage) if stage.index > current => {
                    format!("`{value}` is a stage defined later in the file")
                }
                FromSource::Stage(_) => continue,
                FromSource::BadIndex => format!("there is no stage with index {value}"),
                FromSource::Image if value.contains(['/', ':', '@']) => continue,
                FromSource::Image => format!(
                    "no stage is named `{value}`, so BuildKit will pull the image `{value}`"
                ),
            };
            out.push(
                cx.at(
                    instruction,
                    format!("{what} should reference a previously defined `FROM` alias: {problem}"),
                )
                .with_fix(
                    "Name an earlier stage (`FROM ... AS <name>`), or write the image with its tag",
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
    fn unknown_sources_are_reported() {
        assert_lines(
            &Dl3022,
            &[
                (
                    "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n",
                    &[],
                ),
                (
                    "FROM a:1 AS build\nFROM b:1\nCOPY --from=Build /x /x\n",
                    &[],
                ),
                ("FROM a:1 AS build\nFROM b:1\nCOPY --from=0 /x /x\n", &[]),
                (
                    "FROM a:1 AS build\nFROM b:1\nCOPY --from=buidl /x /x\n",
                    &[3],
                ),
                ("FROM a:1\nCOPY --from=nginx:1.27 /x /x\n", &[]),
                ("FROM a:1\nCOPY --from=gcr.io/distroless/base /x /x\n", &[]),
                ("FROM a:1\nCOPY --from=img@sha256:abc /x /x\n", &[]),
                ("FROM a:1\nCOPY --from=nginx /x /x\n", &[2]),
                ("FROM a:1\nCOPY --from=5 /x /x\n", &[2]),
                (
                    "FROM a:1\nCOPY --from=later /x /x\nFROM b:1 AS later\n",
                    &[2],
                ),
                ("FROM a:1 AS self\nCOPY --from=self /x /x\n", &[]),
                (
                    "FROM a:1 AS build\nFROM b:1\nRUN --mount=from=build,target=/src make\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN --mount=type=bind,from=buidl,target=/src make\n",
                    &[2],
                ),
                ("FROM a:1\nCOPY /x /x\n", &[]),
            ],
        );
    }
}
