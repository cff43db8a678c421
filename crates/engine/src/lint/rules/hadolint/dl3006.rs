//! DL3006: always tag the version of an image explicitly.
//!
//! ## What it does
//! Reports a `FROM` whose image has neither a tag nor a digest.
//!
//! ## Why is this bad?
//! An untagged image means `:latest`, which moves: the same Dockerfile
//! builds on a different base tomorrow, and a rebuild can break or change
//! behaviour without any change in the repository.
//!
//! ## Where restage differs from hadolint
//! hadolint exempts every image that starts with `$`. restage judges the
//! base after the global `ARG` defaults are substituted, so `ARG
//! BASE=ubuntu` + `FROM $BASE` is reported, while `ARG TAG=22.04` + `FROM
//! ubuntu:$TAG` is not. A base whose variable has no default (`ARG BASE` +
//! `FROM $BASE`) is skipped: the value comes from the build command. When
//! such a variable only supplies the registry or the path
//! (`FROM ${REGISTRY}/python`), the missing tag is still reported.
//!
//! ## Notes
//! `scratch` and earlier stage names are not images and are never
//! reported.

use super::shared_a::literal_tag;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::BaseImage;

/// The rule.
pub struct Dl3006;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3006",
    aliases: &[],
    name: "untagged-image",
    title: "Always tag the version of an image explicitly",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a `FROM` image with neither tag nor digest: it means `:latest`, which moves, so rebuilds change silently. Unlike hadolint, which skips every image starting with `$`, restage substitutes the global `ARG` defaults first (`ARG BASE=ubuntu` + `FROM $BASE` is reported); a variable without a default is skipped.",
    bad: "FROM ubuntu\nRUN echo hi\n",
    good: "FROM ubuntu:24.04\nRUN echo hi\n",
};

impl Rule for Dl3006 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let reference = match &stage.base {
                BaseImage::Image {
                    reference,
                    image: Some(image),
                } if image.tag.is_none() && image.digest.is_none() => reference.as_str(),
                _ if literal_tag(stage) == Some(None) => stage.base_text.as_str(),
                _ => continue,
            };
            let mut message =
                format!("Always tag the version of an image explicitly: `{reference}` has no tag");
            if stage.base_text != reference {
                message.push_str(&format!(" (`{}` with the ARG defaults)", stage.base_text));
            }
            out.push(
                cx.at_stage(stage, message)
                    .with_fix(format!("Pin a version: `FROM {reference}:<version>`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn untagged_images_are_reported() {
        assert_lines(
            &Dl3006,
            &[
                ("FROM ubuntu:24.04\n", &[]),
                ("FROM ubuntu\n", &[1]),
                ("FROM ghcr.io/o/app\n", &[1]),
                ("FROM localhost:5000/app\n", &[1]),
                ("FROM ubuntu@sha256:abc\n", &[]),
                ("FROM scratch\n", &[]),
                ("FROM ubuntu:24.04 AS base\nFROM base\n", &[]),
                ("FROM ubuntu AS base\nFROM base\n", &[1]),
                // ARG defaults are substituted.
                ("ARG BASE=ubuntu\nFROM $BASE\n", &[2]),
                ("ARG BASE=ubuntu:24.04\nFROM ${BASE}\n", &[]),
                ("ARG TAG=24.04\nFROM ubuntu:${TAG}\n", &[]),
                ("ARG BASE\nFROM $BASE\n", &[]),
                // A variable without default elsewhere than in the tag.
                ("ARG REG\nFROM ${REG}/python\n", &[2]),
                ("ARG REG\nFROM ${REG}/python:3.12\n", &[]),
                ("ARG IMG\nFROM ${IMG}:3.12\n", &[]),
                ("ARG TAG\nFROM python:${TAG}\n", &[]),
                ("ARG BASE=scratch\nFROM $BASE\n", &[]),
            ],
        );
    }
}
