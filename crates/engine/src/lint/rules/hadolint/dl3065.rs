//! DL3065: `FROM --platform=$TARGETPLATFORM` is redundant.
//!
//! ## What it does
//! Reports `FROM --platform=$TARGETPLATFORM` (also `${TARGETPLATFORM}` and
//! `${TARGETPLATFORM:-...}`).
//!
//! ## Why is this bad?
//! A stage is built for the target platform unless told otherwise, so the
//! flag changes nothing and suggests that it does.
//!
//! ## Notes
//! Same check as BuildKit's `RedundantTargetPlatform`, an alias of this
//! rule: the flag's value is exactly one reference to `TARGETPLATFORM`,
//! which always expands to the target platform (a default in
//! `${TARGETPLATFORM:-x}` is never used). Quotes around the value are
//! ignored, as BuildKit's expansion removes them.

use super::shared_b::unquote;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3065;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3065",
    aliases: &["RedundantTargetPlatform"],
    name: "redundant-target-platform",
    title: "Setting `FROM --platform` to predefined `$TARGETPLATFORM` is redundant",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Stages are built for the target platform by default, so `FROM --platform=$TARGETPLATFORM` changes nothing. Same as BuildKit's `RedundantTargetPlatform`.",
    bad: "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
    good: "FROM alpine:3.20\n",
};

/// Whether a `--platform` value is one reference to `TARGETPLATFORM`.
fn is_target_platform(value: &str) -> bool {
    let value = unquote(value);
    if value == "$TARGETPLATFORM" {
        return true;
    }
    let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) else {
        return false;
    };
    match inner.strip_prefix("TARGETPLATFORM") {
        Some("") => true,
        Some(rest) => {
            (rest.starts_with(":-") || rest.starts_with('-')) && !rest.contains(['$', '}'])
        }
        None => false,
    }
}

impl Rule for Dl3065 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let Some(platform) = stage.platform.as_deref() else {
                continue;
            };
            if is_target_platform(platform) {
                out.push(
                    cx.at_stage(
                        stage,
                        format!("Setting platform to predefined {platform} in FROM is redundant as this is the default behavior"),
                    )
                    .with_fix("Remove `--platform` from FROM"),
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
    fn target_platform() {
        assert_lines(
            &Dl3065,
            &[
                ("FROM --platform=$TARGETPLATFORM a\n", &[1]),
                ("FROM --platform=${TARGETPLATFORM} a\n", &[1]),
                ("FROM --platform=${TARGETPLATFORM:-linux/amd64} a\n", &[1]),
                ("FROM --platform=\"$TARGETPLATFORM\" a\n", &[1]),
                ("FROM --platform=$BUILDPLATFORM a\n", &[]),
                ("FROM --platform=linux/amd64 a\n", &[]),
                ("FROM --platform=$TARGETOS/$TARGETARCH a\n", &[]),
                ("FROM --platform=${TARGETPLATFORM:+x} a\n", &[]),
                ("FROM a\n", &[]),
                (
                    "ARG B=alpine:3.20\nFROM --platform=$TARGETPLATFORM ${B}\n",
                    &[2],
                ),
                ("ARG P=linux/arm64\nFROM --platform=$P a\n", &[]),
            ],
        );
    }
}
