//! RS012: the final image uses a full Debian-based image where a slim
//! variant exists.
//!
//! ## What it does
//! Reports the `FROM` the final image starts from (the final stage, or the
//! stage it builds on through `FROM <stage>`) when its base, after `ARG`
//! defaults are substituted, is the full Debian variant of an official
//! image that also comes as `-slim`, and names the slim tag:
//!
//! | full | slim |
//! |---|---|
//! | `python:3.12`, `python:3.12-bookworm`, `python` | `python:3.12-slim`, `python:3.12-slim-bookworm`, `python:slim` |
//! | `node:20`, `node:20-bookworm`, `node:lts` | `node:20-slim`, `node:20-bookworm-slim`, `node:lts-slim` |
//! | `ruby:3.3`, `perl:5.40`, `erlang:27`, `elixir:1.17` | the same with `-slim` |
//! | `debian:bookworm`, `debian:12`, `debian:stable` | `debian:bookworm-slim`, `debian:12-slim`, `debian:stable-slim` |
//!
//! ## Why is this bad?
//! The full images are built on `buildpack-deps`: compilers, headers, git,
//! ImageMagick and more, which an application rarely needs at run time.
//! `python:3.12` is 1,110 MB on disk (411 MB to pull) against 119 MB
//! (43 MB) for `python:3.12-slim`; `node:22` is 1,103 MB (408 MB) against
//! 216 MB (80 MB) for `node:22-slim`; `debian:bookworm` 118 MB (48 MB)
//! against 74 MB (28 MB) for `bookworm-slim`. The message quotes both
//! images' figures from restage's size catalog, rounded as the size tables
//! round them (`about` when the catalog has another version's figure).
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! COPY . /app
//! CMD ["python", "/app/main.py"]
//! ```
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY . /app
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! ## Notes
//! - If the build needs the full image's compilers (packages without
//!   wheels), build in a full-image stage and copy the result onto the
//!   slim one — RS009 and `restage convert` do that.
//! - `-alpine` is not suggested: it changes the C library, which breaks
//!   prebuilt native packages; `-slim` keeps glibc and the same Debian
//!   release.
//! - JDK images are SDKs (RS003 suggests the JRE). `php` has no slim
//!   variant (its alternative, `-alpine`, changes the C library), nor do
//!   `ubuntu`, `nginx` or `httpd`, so they are not reported.
//! - Only official images are recognised. Toolchain, CI and development
//!   images are not reported: a final image that exposes no port and
//!   whose command is a shell, a bare interpreter or a build tool (or
//!   none), or whose stage is named `dev`, `test`, `builder`, ...

use super::images::slim_variant;
use super::support::{final_base, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::size::image_sizes::compared_sizes;

/// The rule.
pub struct Rs012;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS012",
    aliases: &[],
    name: "full-base-where-slim-exists",
    title: "The final image uses a full image where a slim variant exists",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "The final image starts from the full Debian variant of an official image that also comes as `-slim` (python, node, ruby, perl, erlang, elixir, debian). The full variants carry compilers, headers and tools an application rarely needs: `python:3.12` is 1,110 MB on disk against 119 MB for `python:3.12-slim`; `node:22` is 1,103 MB against 216 MB for `node:22-slim`. The message names the slim tag and both images' sizes from restage's size catalog. If the build needs the compilers, build in a full-image stage and run on slim.",
    bad: "FROM python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
    good: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
};

impl Rule for Rs012 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some((stage, image)) = final_base(cx) else {
            return;
        };
        let Some(slim) = slim_variant(image) else {
            return;
        };
        if !runs_application(cx) {
            return;
        }
        let mut message = format!(
            "The final image uses the full image `{image}`; `{}` has the same runtime without {}",
            slim.reference, slim.without
        );
        if let Some(sizes) = compared_sizes(&image.to_string(), &slim.reference) {
            message.push_str(&format!(" ({sizes})"));
        }
        out.push(cx.at_stage(stage, message).with_fix(format!(
            "Use `{}`; if the build needs the full image's compilers, build in a separate stage on `{image}`",
            slim.reference
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn full_bases_with_a_slim_variant() {
        assert_lines(
            &Rs012,
            &[
                ("FROM python:3.12\nCMD [\"python\", \"app.py\"]\n", &[1]),
                ("FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n", &[]),
                (
                    "FROM python:3.12-alpine\nCMD [\"python\", \"app.py\"]\n",
                    &[],
                ),
                ("FROM node:20-bookworm\nCMD [\"node\", \"a.js\"]\n", &[1]),
                (
                    "FROM node:20-bookworm-slim\nCMD [\"node\", \"a.js\"]\n",
                    &[],
                ),
                ("FROM ruby:3.3\nCMD [\"ruby\", \"a.rb\"]\n", &[1]),
                ("FROM debian:bookworm\nCMD [\"/app\"]\n", &[1]),
                ("FROM debian:bookworm-slim\nCMD [\"/app\"]\n", &[]),
                ("FROM ubuntu:24.04\nCMD [\"/app\"]\n", &[]),
                ("FROM php:8.3-apache\nEXPOSE 80\n", &[]),
                (
                    "FROM myorg/python:3.12\nCMD [\"python\", \"app.py\"]\n",
                    &[],
                ),
                // Only the final image counts.
                (
                    "FROM python:3.12 AS build\nRUN pip wheel -w /w x\nFROM python:3.12-slim\nCOPY --from=build /w /w\nCMD [\"python\", \"app.py\"]\n",
                    &[],
                ),
                (
                    "FROM node:20 AS base\nFROM base\nCMD [\"node\", \"a.js\"]\n",
                    &[1],
                ),
                // ARG-defaulted base.
                (
                    "ARG PY=3.12\nFROM python:${PY}\nCMD [\"python\", \"app.py\"]\n",
                    &[2],
                ),
                // Toolchain and development images.
                ("FROM python:3.12\nCMD [\"bash\"]\n", &[]),
                ("FROM python:3.12\n", &[]),
            ],
        );
    }

    #[test]
    fn message_names_slim_tag_and_saving() {
        let d = diagnostics(
            &Rs012,
            "FROM python:3.12-bookworm\nCMD [\"python\", \"app.py\"]\n",
        );
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        assert!(
            m.contains("`python:3.12-slim-bookworm` is 119 MB (43 MB)"),
            "{m}"
        );
    }
}
