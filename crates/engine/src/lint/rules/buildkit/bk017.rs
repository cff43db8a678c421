//! BK017: `FROM --platform` with a constant value (BuildKit's
//! `FromPlatformFlagConstDisallowed`).
//!
//! ## What it does
//! Reports `FROM --platform=linux/amd64 ...`: a platform written as a
//! constant rather than with a variable such as `$BUILDPLATFORM`, unless
//! the stage name contains the platform's OS or architecture
//! (`AS build-amd64`), which shows the pinning is deliberate.
//!
//! ## Why is this bad?
//! A constant platform pins the stage to one platform: a multi-platform
//! build (`--platform linux/amd64,linux/arm64`) still builds it for
//! `linux/amd64`, and on other hosts it runs under emulation. Use
//! `$BUILDPLATFORM` for build stages, or leave the flag out.
//!
//! ## Example
//! ```dockerfile
//! FROM --platform=linux/amd64 golang:1.22 AS build
//! ```
//! Use instead:
//! ```dockerfile
//! FROM --platform=$BUILDPLATFORM golang:1.22 AS build
//! ```
//!
//! ## Notes
//! As in BuildKit, a value that is not a valid platform is left to the
//! build error, and the message shows the value after quote removal.
//! <https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/>

use super::common::GlobalScope;
use crate::dockerfile::gotext::quote;
use crate::dockerfile::resolve::Platform;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk017;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK017",
    aliases: &["FromPlatformFlagConstDisallowed"],
    name: "from-platform-flag-const-disallowed",
    title: "FROM --platform flag should not use a constant value",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "A constant `--platform` pins the stage to one platform even in a multi-platform build; use `$BUILDPLATFORM` or leave it out. Not reported when the stage name contains the platform's OS or architecture (`AS build-amd64`), as in BuildKit. See <https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/>.",
    bad: "FROM --platform=linux/amd64 golang:1.22 AS build\nRUN go version\n",
    good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go version\n",
};

impl Rule for Bk017 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(scope) = GlobalScope::read(cx) else {
            return;
        };
        let lexer = GlobalScope::lexer(cx);
        for stage in cx.stages() {
            let Some(platform) = stage.platform.as_deref().filter(|p| !p.is_empty()) else {
                continue;
            };
            let Ok(expansion) = lexer.process_unsplit(platform, scope) else {
                continue;
            };
            if !expansion.matched.is_empty() || !expansion.unmatched.is_empty() {
                continue;
            }
            let Ok(parsed) = Platform::parse(&expansion.result) else {
                continue;
            };
            let name = stage.name.as_deref().unwrap_or_default();
            if name.contains(parsed.os.as_str()) || name.contains(parsed.architecture.as_str()) {
                continue;
            }
            out.push(
                cx.at_stage(
                    stage,
                    format!(
                        "FROM --platform flag should not use constant value {}",
                        quote(&expansion.result)
                    ),
                )
                .with_fix("Use `--platform=$BUILDPLATFORM` for a build stage, or remove the flag"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn constant_platforms_are_reported() {
        assert_lines(
            &Bk017,
            &[
                // BuildKit's testFromPlatformFlagConstDisallowed.
                ("\nFROM --platform=linux/amd64 scratch\n", &[2]),
                (
                    "\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
                    &[],
                ),
                ("\nFROM --platform=linux/amd64 scratch AS linux\n", &[]),
                ("FROM --platform=$BUILDPLATFORM golang AS build\n", &[]),
                ("ARG P=linux/arm64\nFROM --platform=$P alpine\n", &[]),
                (
                    "FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine\n",
                    &[],
                ),
                ("FROM --platform=linux/toaster alpine\n", &[]),
                ("FROM --platform=linux/arm64 alpine AS Build-ARM64\n", &[]),
                (
                    "FROM --platform=linux/arm64 alpine AS build\nFROM alpine\n",
                    &[1],
                ),
                ("FROM alpine\n", &[]),
            ],
        );
    }

    #[test]
    fn message_is_buildkit_s() {
        let d = diagnostics(&Bk017, "FROM --platform=\"linux/amd64\" scratch\n");
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some("FROM --platform flag should not use constant value \"linux/amd64\"")
        );
    }
}
