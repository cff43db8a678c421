//! BK009: `FROM` uses an undeclared variable (BuildKit's
//! `UndefinedArgInFrom`).
//!
//! ## What it does
//! Reports a variable in a `FROM` image name or `--platform` value that is
//! neither a global `ARG` (declared before the first `FROM`, with or
//! without a default) nor one of BuildKit's platform arguments
//! (`BUILDPLATFORM`, `TARGETARCH`, ...). A near name is suggested.
//!
//! ## Why is this bad?
//! `FROM` only sees global `ARG`s. An undeclared variable expands to the
//! empty string, which usually means a typo (`$BULIDPLATFORM`) or an `ARG`
//! declared inside a stage where `FROM` cannot see it.
//!
//! ## Example
//! ```dockerfile
//! FROM --platform=$BULIDPLATFORM golang:1.22
//! ```
//!
//! ## Notes
//! As in BuildKit, the image name and the platform are checked separately
//! (a variable used in both is reported twice), and a reference with a
//! default (`${TAG:-latest}`) still counts. Suggestions use Levenshtein
//! distance below 3, as BuildKit's `suggest.Search`.
//! <https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/>

use std::collections::BTreeSet;

use super::common::{GlobalScope, suggest};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk009;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK009",
    aliases: &["UndefinedArgInFrom"],
    name: "undefined-arg-in-from",
    title: "FROM command must use declared ARGs",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "`FROM` sees only global ARGs (declared before the first `FROM`) and BuildKit's platform arguments; anything else expands to an empty string, usually a typo. A near name is suggested, as BuildKit does. See <https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/>.",
    bad: "FROM --platform=$BULIDPLATFORM golang:1.22\nRUN go version\n",
    good: "FROM --platform=$BUILDPLATFORM golang:1.22\nRUN go version\n",
};

impl Rule for Bk009 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(scope) = GlobalScope::read(cx) else {
            return;
        };
        let lexer = GlobalScope::lexer(cx);
        let mut names = None;
        for stage in cx.stages() {
            // Only a `$` names a variable.
            let words = std::iter::once(stage.base_text.as_str())
                .chain(stage.platform.as_deref().filter(|p| !p.is_empty()))
                .filter(|w| w.contains('$'));
            for word in words {
                let Ok(expansion) = lexer.process_unsplit(word, scope) else {
                    continue;
                };
                let unknown: BTreeSet<&String> = expansion
                    .unmatched
                    .iter()
                    .filter(|name| !scope.knows(name))
                    .collect();
                for name in unknown {
                    let names = names.get_or_insert_with(|| scope.names());
                    let hint = suggest(name, names.iter().copied());
                    let message = match &hint {
                        Some(s) => {
                            format!("FROM argument '{name}' is not declared (did you mean {s}?)")
                        }
                        None => format!("FROM argument '{name}' is not declared"),
                    };
                    let fix = match &hint {
                        Some(s) => {
                            format!("Use `{s}`, or declare `ARG {name}` before the first FROM")
                        }
                        None => format!("Declare `ARG {name}` before the first FROM"),
                    };
                    out.push(cx.at_stage(stage, message).with_fix(fix));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn undeclared_from_variables_are_reported() {
        // BuildKit's testUndeclaredArg.
        assert_lines(
            &Bk009,
            &[
                ("\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n", &[]),
                (
                    "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "\nARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "\nARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "\nARG DEBUG=\"\"\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
                    &[2],
                ),
                (
                    "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n",
                    &[4],
                ),
                (
                    "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
                    &[3],
                ),
                // A stage ARG is not visible to FROM.
                ("FROM alpine\nARG V=1\nFROM alpine:$V\n", &[3]),
                // Used in both the image and the platform: reported twice.
                ("FROM --platform=$P img:$P\n", &[1, 1]),
                ("FROM ${IMG:-alpine}\n", &[1]),
                ("FROM $TARGETPLATFORM\nFROM alpine:$TARGETARCH\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m = |text: &str| {
            diagnostics(&Bk009, text)
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m("\nFROM --platform=$BULIDPLATFORM scratch\n"),
            ["FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"]
        );
        assert_eq!(
            m("\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n"),
            ["FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)"]
        );
        assert_eq!(
            m("\nARG tag=latest\nFROM busybox:${tag}${version} AS b\n"),
            ["FROM argument 'version' is not declared"]
        );
    }
}
