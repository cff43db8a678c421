//! DL3029: do not use --platform with FROM.
//!
//! ## What it does
//! Reports `FROM --platform=<platform>` with a fixed platform.
//!
//! ## Why is this bad?
//! A fixed platform pins the stage to one architecture: a multi-platform
//! build (`docker buildx build --platform linux/amd64,linux/arm64`) then
//! produces images whose binaries do not run on the requested platform,
//! or emulates the stage slowly. Leave the platform to the build, or
//! derive it from BuildKit's platform arguments
//! (`--platform=$BUILDPLATFORM` for cross-compiling builder stages).
//!
//! ## Where restage differs from hadolint
//! - Any of BuildKit's automatic platform arguments is accepted
//!   (`$BUILDPLATFORM`, `$TARGETPLATFORM`, `$BUILDOS/$BUILDARCH`,
//!   `${TARGETOS}/${TARGETARCH}`, ...); hadolint only accepts
//!   `BUILDPLATFORM` and `TARGETPLATFORM`.
//! - A platform from a global `ARG` is judged by its default: `ARG
//!   PLATFORM=linux/amd64` + `--platform=$PLATFORM` is reported, while an
//!   `ARG` without default is a build-time choice and is not.
//! - As BuildKit's `FromPlatformFlagConstDisallowed` does, a stage whose
//!   name mentions the platform's OS or architecture (`AS build-arm64`) is
//!   deliberately per-platform and is not reported.
//!
//! ## Notes
//! `--platform=$TARGETPLATFORM` is redundant but harmless here; DL3065
//! reports it.

use crate::dockerfile::shell::Lexer;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3029;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3029",
    aliases: &[],
    name: "from-platform-flag",
    title: "Do not use --platform flag with FROM",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `FROM --platform=<fixed platform>`: it pins the stage to one architecture and breaks multi-platform builds. Unlike hadolint, restage accepts every BuildKit platform argument (`$BUILDPLATFORM`, `${TARGETOS}/${TARGETARCH}`, ...), judges a global `ARG` by its default (no default: not reported), and, like BuildKit, accepts a stage named after its platform (`AS build-arm64`).",
    bad: "FROM --platform=linux/amd64 golang:1.23 AS build\n",
    good: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n",
};

/// BuildKit's automatic platform arguments.
const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

impl Rule for Dl3029 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let defaults: Vec<(String, String)> = cx
            .model
            .meta_args
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .collect();
        for stage in cx.stages() {
            let Some(written) = stage.platform.as_deref().filter(|p| !p.is_empty()) else {
                continue;
            };
            if PLATFORM_ARGS.iter().any(|a| written.contains(a)) {
                continue;
            }
            let value = if written.contains('$') {
                match Lexer::new(cx.model.doc.escape).process_unsplit(written, &defaults) {
                    Ok(e) if e.unmatched.is_empty() && !e.result.is_empty() => e.result,
                    _ => continue,
                }
            } else {
                written.to_string()
            };
            let name = stage.name.as_deref().unwrap_or_default();
            let mut parts = value.split('/').filter(|p| !p.is_empty());
            if !name.is_empty() && parts.any(|p| name.contains(&p.to_ascii_lowercase())) {
                continue;
            }
            let mut message =
                format!("Do not use --platform flag with FROM: `{value}` is a fixed platform");
            if value != written {
                message.push_str(&format!(" (`{written}` with the ARG defaults)"));
            }
            out.push(cx.at_stage(stage, message).with_fix(
                "Remove `--platform`, or use `--platform=$BUILDPLATFORM` for a stage that cross-compiles",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn fixed_platforms_are_reported() {
        assert_lines(
            &Dl3029,
            &[
                ("FROM a:1\n", &[]),
                ("FROM --platform=linux/amd64 a:1\n", &[1]),
                ("FROM --platform=$BUILDPLATFORM a:1\n", &[]),
                ("FROM --platform=${TARGETPLATFORM} a:1\n", &[]),
                ("FROM --platform=$BUILDOS/$BUILDARCH a:1\n", &[]),
                ("FROM --platform=${TARGETOS}/${TARGETARCH} a:1\n", &[]),
                ("ARG P=linux/arm64\nFROM --platform=$P a:1\n", &[2]),
                ("ARG P\nFROM --platform=$P a:1\n", &[]),
                ("FROM --platform=linux/arm64 a:1 AS build-arm64\n", &[]),
                ("FROM --platform=linux/arm64 a:1 AS build\n", &[1]),
            ],
        );
    }
}
