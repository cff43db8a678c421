//! DL3007: using the `latest` tag.
//!
//! ## What it does
//! Reports a `FROM` image tagged `:latest` without a digest.
//!
//! ## Why is this bad?
//! `latest` is whatever was pushed last: the same Dockerfile builds on a
//! different base over time, and a rebuild can break without any change in
//! the repository. Pin a release tag (and a digest for full
//! reproducibility).
//!
//! ## Where restage differs from hadolint
//! hadolint reads the tag as written, so `ARG TAG=latest` + `FROM
//! python:${TAG}` passes. restage substitutes the global `ARG` defaults
//! first and reports it. A variable without a default is skipped unless
//! the `:latest` is written literally (`FROM ${REGISTRY}/gcc:latest`).
//!
//! ## Notes
//! An image with no tag at all is DL3006's business. `latest` with a
//! digest (`img:latest@sha256:...`) is pinned by the digest and passes.

use super::shared_a::literal_tag;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::BaseImage;

/// The rule.
pub struct Dl3007;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3007",
    aliases: &[],
    name: "latest-tag",
    title: "Using latest is prone to errors if the image will ever update",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a `FROM` image tagged `:latest` without a digest: the base changes whenever a new image is pushed. Unlike hadolint, restage substitutes the global `ARG` defaults first, so `ARG TAG=latest` + `FROM python:${TAG}` is reported too.",
    bad: "FROM python:latest\n",
    good: "FROM python:3.12-slim\n",
};

impl Rule for Dl3007 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let (reference, fix) = match &stage.base {
                BaseImage::Image {
                    reference,
                    image: Some(image),
                } if image.tag.as_deref() == Some("latest") && image.digest.is_none() => {
                    let mut pinned = image.clone();
                    pinned.tag = Some("<version>".into());
                    (reference.as_str(), pinned.to_string())
                }
                _ if literal_tag(stage) == Some(Some("latest")) => {
                    let text = stage.base_text.as_str();
                    let name = text.strip_suffix(":latest").unwrap_or(text);
                    (text, format!("{name}:<version>"))
                }
                _ => continue,
            };
            let mut message = format!(
                "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag: `{reference}`"
            );
            if stage.base_text != reference {
                message.push_str(&format!(" (`{}` with the ARG defaults)", stage.base_text));
            }
            out.push(
                cx.at_stage(stage, message)
                    .with_fix(format!("Pin a release tag: `FROM {fix}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn latest_is_reported() {
        assert_lines(
            &Dl3007,
            &[
                ("FROM python:3.12\n", &[]),
                ("FROM python:latest\n", &[1]),
                ("FROM python\n", &[]),
                ("FROM localhost:5000/python:latest AS x\n", &[1]),
                ("FROM python:latest@sha256:abc\n", &[]),
                ("FROM python:3.12 AS latest\nFROM latest\n", &[]),
                // ARG defaults are substituted.
                ("ARG TAG=latest\nFROM python:${TAG}\n", &[2]),
                ("ARG TAG\nFROM python:${TAG}\n", &[]),
                ("ARG REG\nFROM ${REG}/gcc:latest AS x\n", &[2]),
                ("ARG REG\nFROM ${REG}/gcc:12\n", &[]),
                ("ARG IMG=python:latest\nFROM $IMG AS a\nFROM a\n", &[2]),
            ],
        );
    }
}
