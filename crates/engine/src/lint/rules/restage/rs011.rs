//! RS011: the final image's base image floats.
//!
//! ## What it does
//! Reports the `FROM` the final image starts from (the final stage, or the
//! stage it builds on through `FROM <stage>`) when its base, after `ARG`
//! defaults are substituted, is not pinned by digest and its tag floats:
//! - no tag, or `latest`;
//! - a release channel or rolling tag: `lts`, `current`, `stable`, `edge`,
//!   `rolling`, `mainline`, `testing`, `unstable`, `sid`, `nightly`, `rc`,
//!   `beta`, `main`, `master`, ... (`node:lts`, `alpine:edge`,
//!   `nginx:stable-alpine`);
//! - a major-only version (`python:3`, `node:20`, `golang:1`,
//!   `python:3-slim`, `alpine:3`, `traefik:v2`);
//! - a variant with no version at all (`node:alpine`, `python:slim`,
//!   `node:hydrogen`).
//!
//! ## Why is this bad?
//! The final image is what runs in production. With a floating base, the
//! same Dockerfile built next month gives a different image — a new minor
//! version of the language, a new Alpine release with different package
//! versions — so a rebuild for an unrelated change can break production,
//! and an incident cannot be reproduced from the Dockerfile. Pin the minor
//! version (`python:3.12-slim`), or the exact version and a digest
//! (`python:3.12.4-slim@sha256:…`) and let a bot such as Renovate or
//! Dependabot update it.
//!
//! ## Where restage differs from hadolint
//! hadolint's DL3006 (no tag) and DL3007 (`latest`) look at every stage as
//! written; a `FROM $BASE` is exempt. RS011 judges only the final image, by
//! its `ARG`-resolved reference, and also catches major-only and channel
//! tags. While DL3006/DL3007 are enabled, RS011 leaves them the untagged and
//! `latest` cases they see (a reference written without variables), so
//! one problem gives one finding.
//!
//! ## Notes
//! - Distribution releases are stable lines, not floating tags:
//!   `debian:12`, `debian:bookworm`, `ubuntu:24.04`, `rockylinux:9`,
//!   `centos:7`, `fedora:40`, `amazonlinux:2023`, `ubi9`, ... (`alpine:3`
//!   is reported: each Alpine 3.x release changes package versions).
//! - Images whose major version is itself the release line, updated with
//!   patches only, are not reported for a major-only tag: the Java images
//!   (`eclipse-temurin:21-jre`, `openjdk`, `amazoncorretto`, `sapmachine`,
//!   `ibm-semeru-runtimes`, distroless `java21`), `postgres:16`, `gcc:13`,
//!   and Microsoft's images (`mcr.microsoft.com/dotnet/aspnet:8.0`).
//! - Build stages are not reported: their base only affects the build.

use super::images::floating_tag;
use super::support::{enabled, final_base};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Rs011;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS011",
    aliases: &[],
    name: "floating-final-base",
    title: "The final image's base image floats",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "The final image's base (resolved through `ARG` defaults and `FROM <stage>`) is untagged, `latest`, a channel (`lts`, `stable`, `edge`, ...), a major-only tag (`python:3`, `node:20`, `alpine:3`) or a variant without a version (`node:alpine`), and not pinned by digest, so rebuilding the same Dockerfile gives a different production image. Pin the minor version or a digest. Distribution releases (`debian:12`, `ubuntu:24.04`) and images whose major is the release line (Java, `postgres:16`, .NET) are not reported. The untagged and `latest` cases that hadolint's DL3006/DL3007 see are left to them while they are enabled.",
    bad: "FROM python:3-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
    good: "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
};

impl Rule for Rs011 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some((stage, image)) = final_base(cx) else {
            return;
        };
        if image.digest.is_some() {
            return;
        }
        // hadolint reads the reference as written; it cannot see through
        // variables.
        let written_plainly = !stage.base_text.contains('$');
        let why = match image.tag.as_deref() {
            None => {
                if written_plainly && enabled(cx, "DL3006") {
                    return;
                }
                "it has no tag, so it is `latest`, which moves to every new release"
            }
            Some("latest") => {
                if written_plainly && enabled(cx, "DL3007") {
                    return;
                }
                "`latest` moves to every new release"
            }
            Some(_) => match floating_tag(image) {
                Some(why) => why,
                None => return,
            },
        };
        out.push(
            cx.at_stage(
                stage,
                format!("The final image's base `{image}` floats: {why}"),
            )
            .with_fix(format!(
                "Pin a minor or exact version of `{}` (and optionally a digest, `@sha256:...`), and update it deliberately",
                image.path
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics_with};

    #[test]
    fn floating_bases() {
        assert_lines(
            &Rs011,
            &[
                ("FROM python:3\n", &[1]),
                ("FROM python:3.12\n", &[]),
                ("FROM node:lts-alpine\n", &[1]),
                ("FROM node:20-slim\n", &[1]),
                ("FROM node:20.11-slim\n", &[]),
                ("FROM alpine:edge\n", &[1]),
                ("FROM alpine:3\n", &[1]),
                ("FROM alpine:3.20\n", &[]),
                ("FROM debian:bookworm-slim\n", &[]),
                ("FROM ubuntu:24.04\n", &[]),
                ("FROM eclipse-temurin:21-jre\n", &[]),
                ("FROM python:3@sha256:abc\n", &[]),
                ("FROM node:alpine\n", &[1]),
                ("FROM scratch\n", &[]),
                // Only the final image counts.
                (
                    "FROM golang:1 AS build\nFROM alpine:3.20\nCOPY --from=build /a /a\n",
                    &[],
                ),
                ("FROM python:3 AS base\nFROM base\n", &[1]),
                // ARG-resolved references, which hadolint cannot see.
                ("ARG PY=3\nFROM python:${PY}-slim\n", &[2]),
                ("ARG BASE=node\nFROM ${BASE}\n", &[2]),
                ("ARG BASE=node:latest\nFROM $BASE\n", &[2]),
            ],
        );
    }

    #[test]
    fn untagged_and_latest_are_hadolint_s_while_it_is_on() {
        let off = LintConfig {
            ignored: vec!["DL3006".into(), "DL3007".into()],
            ..LintConfig::default()
        };
        let lines = |text: &str, config: &LintConfig| -> Vec<usize> {
            diagnostics_with(&Rs011, text, config)
                .iter()
                .map(|d| d.line)
                .collect()
        };
        assert_eq!(lines("FROM node\n", &off), [1]);
        assert_eq!(lines("FROM node:latest\n", &off), [1]);
        let on = LintConfig::default();
        if crate::lint::registry::find("DL3006").is_some() {
            assert!(lines("FROM node\n", &on).is_empty());
        }
        if crate::lint::registry::find("DL3007").is_some() {
            assert!(lines("FROM node:latest\n", &on).is_empty());
        }
    }
}
