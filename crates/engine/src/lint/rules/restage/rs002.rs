//! RS002: development headers are installed in the final image.
//!
//! ## What it does
//! Reports a `RUN` of the final image (the final stage and the stages it
//! builds on through `FROM <stage>`) that installs `-dev` (Debian, Alpine)
//! or `-devel` (Fedora, RHEL, openSUSE) packages, or kernel headers, and
//! does not remove them in the same `RUN`. The fix names the runtime
//! library to install instead when restage knows it (`libpq-dev` →
//! `libpq5`, `libssl-dev` → `libssl3`, `postgresql-dev` → `libpq`,
//! `python3-dev` → nothing, ...).
//!
//! ## Why is this bad?
//! Header packages are needed to compile against a library; a program that
//! was already compiled only needs the shared library. The `-dev` package
//! pulls in the runtime library too, plus headers, static archives and the
//! `-dev` packages of every dependency: measured on Debian 12, `libpq-dev`
//! is 23.0 MB installed against 10.5 MB for `libpq5`,
//! `default-libmysqlclient-dev` 35.3 MB against 0.6 MB for `libmariadb3`,
//! `libxml2-dev` + `libxslt1-dev` 112.8 MB against 39.4 MB, and
//! `libvips-dev` 567 MB against 222 MB.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev \
//!  && rm -rf /var/lib/apt/lists/*
//! ```
//! Use instead (build the extension in a build stage, see RS001):
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
//!  && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! ## Notes
//! - Build stages that are only `COPY --from` sources are not checked.
//! - Headers removed in the same `RUN` are not reported (`apt-get purge`,
//!   `apk del` of a `--virtual` group, the `apt-mark auto` + `apt-get purge
//!   --auto-remove` pattern of the official images).
//! - Toolchain, CI and development images are not checked: a final image
//!   that exposes no port and whose command is a shell, a bare interpreter
//!   or a build tool (or none), or whose stage is named `dev`, `test`,
//!   `builder`, ..., is where people compile their own code.
//! - Compilers (`gcc`, `build-essential`, a JDK's `java-*-openjdk-devel`)
//!   are RS001.
//! - `ONBUILD RUN` triggers are not checked: they run in child images.

use std::fmt::Write as _;

use super::packages::{dev_size_note, runtime_for};
use super::support::{FinalRun, Package, final_base, posix_final_runs, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::lint::rules::quoted_list;
use crate::size::image_sizes::base_has;

/// The rule.
pub struct Rs002;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS002",
    aliases: &[],
    name: "dev-headers-in-final-image",
    title: "Development headers installed in the final image",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A `-dev`/`-devel` package (libpq-dev, python3-dev, libssl-dev, openssl-devel, ...) installed in the final image and not removed in the same `RUN`. Headers are only needed to compile; the compiled program needs the runtime library, which is much smaller (Debian 12: libpq-dev 23.0 MB vs libpq5 10.5 MB, default-libmysqlclient-dev 35.3 MB vs libmariadb3 0.6 MB, libvips-dev 567 MB vs libvips42 222 MB). The message says when the base image already has the headers (the full `python` and `node` images, built on buildpack-deps, do). The fix names the runtime package where restage knows it. Build stages and toolchain/CI/development images are not checked.",
    bad: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq-dev \\\n && rm -rf /var/lib/apt/lists/*\nCOPY --from=ghcr.io/example/wheels:1 /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCMD [\"python\", \"app.py\"]\n",
    good: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n && rm -rf /var/lib/apt/lists/*\nCOPY --from=ghcr.io/example/wheels:1 /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCMD [\"python\", \"app.py\"]\n",
};

impl Rule for Rs002 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !runs_application(cx) {
            return;
        }
        for FinalRun {
            instruction,
            headers,
            ..
        } in posix_final_runs(cx)
        {
            let mut headers: Vec<&Package> = headers.iter().collect();
            headers.dedup_by(|a, b| a.name == b.name);
            let Some(first) = headers.first() else {
                continue;
            };
            let mut message = format!(
                "Development headers installed in the final image with {}: ",
                first.tool
            );
            message.push_str(&quoted_list(headers.iter().map(|p| &p.name)));
            // Headers the base image already has (the full `python` and
            // `node` images have libpq-dev) add nothing to it.
            let base = final_base(cx).map(|(_, image)| image.to_string());
            let in_base: Vec<&str> = match &base {
                Some(b) => headers
                    .iter()
                    .filter(|p| base_has(b, &p.name))
                    .map(|p| p.name.as_str())
                    .collect(),
                None => Vec::new(),
            };
            if let Some(b) = base.as_deref().filter(|_| in_base.len() == headers.len()) {
                let _ = write!(
                    message,
                    " (already in `{b}`, so this adds little here; a runtime stage on a slim image leaves them out)"
                );
            } else if let Some(note) = headers
                .iter()
                .filter(|p| !in_base.contains(&p.name.as_str()))
                .find_map(|p| dev_size_note(p.family, &p.name))
            {
                let _ = write!(message, " ({note})");
            }
            // Each header's runtime package, none needed, or unknown.
            let (mut replaced, mut nothing, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
            for p in &headers {
                match runtime_for(p.family, &p.name) {
                    Some("") => nothing.push(p.name.as_str()),
                    Some(r) => replaced.push(format!("`{}` → `{r}`", p.name)),
                    None => unknown.push(p.name.as_str()),
                }
            }
            let mut parts: Vec<String> = Vec::new();
            if !replaced.is_empty() {
                parts.push(format!(
                    "install the runtime libraries instead: {}",
                    replaced.join(", ")
                ));
            }
            if !nothing.is_empty() {
                parts.push(format!("{} need no runtime package", quoted_list(&nothing)));
            }
            if !unknown.is_empty() {
                parts.push(format!(
                    "for {} install the library package without `-dev` (usually with a version suffix, e.g. `libfoo1`)",
                    quoted_list(&unknown)
                ));
            }
            let fix = format!(
                "Compile in a build stage; in the final image {}",
                parts.join("; ")
            );
            out.push(cx.at(instruction, message).with_fix(fix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn headers_in_the_final_image() {
        assert_lines(
            &Rs002,
            &[
                (
                    "FROM debian:12\nRUN apt-get install -y libpq-dev\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y libpq5\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add --no-cache postgresql-dev\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM fedora:40\nRUN dnf install -y openssl-devel\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // Compilers are RS001's.
                (
                    "FROM debian:12\nRUN apt-get install -y gcc\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM fedora:40\nRUN dnf install -y java-17-openjdk-devel\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Removed in the same RUN.
                (
                    "FROM alpine:3.20\nRUN apk add --virtual .deps musl-dev libffi-dev && pip install cffi && apk del .deps\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Build stages.
                (
                    "FROM debian:12 AS build\nRUN apt-get install -y libssl-dev\nFROM debian:12-slim\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12 AS base\nRUN apt-get install -y libssl-dev\nFROM base\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // Heredoc, ONBUILD, development images.
                (
                    "FROM debian:12\nRUN <<EOF\napt-get install -y zlib1g-dev\nEOF\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM debian:12\nONBUILD RUN apt-get install -y libpq-dev\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y libpq-dev\nCMD [\"bash\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12 AS dev\nRUN apt-get install -y libpq-dev\nCMD [\"/app\"]\n",
                    &[],
                ),
                // ARG-defaulted base.
                (
                    "ARG B=debian:12\nFROM $B\nRUN apt-get install -y libxml2-dev\nEXPOSE 80\n",
                    &[3],
                ),
            ],
        );
    }

    /// The full `python` image is built on buildpack-deps, which has
    /// libpq-dev: the message says so rather than quote what it adds.
    #[test]
    fn headers_the_base_image_has_are_said_to_add_little() {
        let d = diagnostics(
            &Rs002,
            "FROM python:3.12\nRUN apt-get install -y libpq-dev zlib1g-dev\nCMD [\"python\", \"app.py\"]\n",
        );
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        assert!(
            m.contains("(already in `python:3.12`, so this adds little here") && !m.contains("MB"),
            "{m}"
        );
        // On slim the same headers are new, and their size is named.
        let d = diagnostics(
            &Rs002,
            "FROM python:3.12-slim\nRUN apt-get install -y libpq-dev\nCMD [\"python\", \"app.py\"]\n",
        );
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        assert!(m.contains("23.0 MB") && !m.contains("already in"), "{m}");
    }

    #[test]
    fn fix_names_runtime_libraries() {
        let d = diagnostics(
            &Rs002,
            "FROM debian:12\nRUN apt-get install -y libpq-dev python3-dev libfoo-dev\nCMD [\"/app\"]\n",
        );
        let d = d.first().cloned().unwrap_or_else(|| panic!("reported"));
        assert!(d.message.contains("23.0 MB"), "{}", d.message);
        let fix = d.fix.map(|f| f.title).unwrap_or_default();
        assert!(fix.contains("`libpq-dev` → `libpq5`"), "{fix}");
        assert!(
            fix.contains("`python3-dev` need no runtime package"),
            "{fix}"
        );
        assert!(fix.contains("`libfoo-dev`"), "{fix}");
    }
}
