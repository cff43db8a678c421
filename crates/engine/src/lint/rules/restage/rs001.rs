//! RS001: a build toolchain is installed in the final image.
//!
//! ## What it does
//! Reports a `RUN` of the final image (the final stage and the stages it
//! builds on through `FROM <stage>`) that installs a compiler or build tool
//! with apt-get/apt/aptitude, apk, dnf/yum/microdnf or zypper — `gcc`,
//! `g++`, `clang`, `make`, `cmake`, `build-essential`, `build-base`,
//! `golang`, `rustc`/`cargo`, `maven`, `gradle`, a JDK, `dotnet-sdk`,
//! `pkg-config`, `autoconf`/`automake`/`libtool`, `node-gyp`, ... — or
//! puts one in place without a package manager (rustup, a Go release from
//! go.dev), and does not remove it again in the same `RUN`.
//!
//! ## Why is this bad?
//! A compiler is needed to build the application, not to run it. On a
//! Debian 12 base, `build-essential` adds about 358 MB installed and the
//! `gcc` closure alone about 174 MB; every image pull, node and registry
//! pays for it, and a compiler in a production image helps an attacker
//! who gets a shell. Build in a separate stage and `COPY --from` only the
//! artifacts, or — when something has to be compiled in the final image,
//! such as a PHP extension — install the toolchain and remove it in the
//! same `RUN` (a later `RUN` that removes it does not shrink the image:
//! the layer that added it stays).
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
//!  && rm -rf /var/lib/apt/lists/*
//! COPY requirements.txt .
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim AS build
//! RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
//! COPY requirements.txt .
//! RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
//!
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
//!  && rm -rf /var/lib/apt/lists/*
//! COPY --from=build /install /usr/local
//! ```
//!
//! ## Notes
//! - Build stages that are only `COPY --from` sources are not checked: that
//!   is where compilers belong.
//! - A toolchain removed in the same `RUN` is not reported: `apt-get purge`
//!   / `remove` of the packages, `apk del` of the packages or of their
//!   `--virtual` group, `dnf remove`, and the official images' `apt-mark
//!   auto` + `apt-get purge --auto-remove` pattern. Package lists kept in
//!   shell variables (`buildDeps='gcc make'`) or `ENV`/`ARG` are expanded;
//!   lists restage cannot read (`$PHPIZE_DEPS`, set by the base image) are
//!   not guessed.
//! - The base image's own toolchain is RS003's business (SDK images) and
//!   RS012's (full images where a slim variant exists).
//! - `ONBUILD RUN` triggers are not checked: they run in the images built
//!   from this one, typically builder images where compilers belong.
//! - `-dev` header packages are RS002.

use super::support::{Family, FinalRun, final_base, posix_final_runs, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::size::image_sizes::base_has;

/// The rule.
pub struct Rs001;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS001",
    aliases: &[],
    name: "toolchain-in-final-image",
    title: "Build toolchain installed in the final image",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A compiler or build tool (gcc, make, cmake, build-essential, build-base, golang, rustc/cargo, maven, gradle, a JDK, ...) installed in the final image and not removed in the same `RUN`. It is needed to build, not to run: `build-essential` adds about 358 MB on Debian 12 and `gcc` alone about 174 MB (the message says when the base image already has it, as the full `python` and `node` images do), and a compiler helps an attacker who gets a shell. Compile in a build stage and `COPY --from` the artifacts, or remove the toolchain in the same `RUN` (`apt-get purge --auto-remove`, `apk add --virtual .build-deps ... && apk del .build-deps`). Build stages that are only `COPY --from` sources are not checked.",
    bad: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc \\\n && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
    good: "FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
};

impl Rule for Rs001 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !runs_application(cx) {
            return;
        }
        for FinalRun {
            instruction,
            tools,
            downloads,
            ..
        } in posix_final_runs(cx)
        {
            let mut names: Vec<String> = tools.iter().map(|p| format!("`{}`", p.name)).collect();
            names.dedup();
            names.extend(downloads.iter().map(|t| t.to_string()));
            if names.is_empty() {
                continue;
            }
            let via = tools
                .first()
                .map(|p| format!(" with {}", p.tool))
                .unwrap_or_default();
            let mut message = format!(
                "Build toolchain installed in the final image{via}: {}",
                names.join(", ")
            );
            let apt = |name: &str| {
                tools
                    .iter()
                    .any(|p| p.name == name && p.family == Family::Apt)
            };
            let named = ["build-essential", "gcc"].into_iter().find(|n| apt(n));
            if let Some(name) = named {
                let base = final_base(cx).map(|(_, image)| image.to_string());
                match base.filter(|b| base_has(b, name)) {
                    Some(base) => message.push_str(&format!(
                        " (`{name}` is already in `{base}`, so this adds little here; a runtime stage on a slim image leaves it out)"
                    )),
                    None if name == "gcc" => {
                        message.push_str(" (gcc adds about 174 MB on Debian 12)");
                    }
                    None => message.push_str(" (build-essential adds about 358 MB on Debian 12)"),
                }
            }
            let jdk = tools.iter().find(|p| p.name.contains("jdk"));
            let fix = match jdk {
                Some(p) if tools.len() == 1 => format!(
                    "To run Java programs, install a JRE instead of `{}` (e.g. `{}`), or build in a separate stage",
                    p.name,
                    p.name.replace("jdk", "jre")
                ),
                _ => "Compile in a build stage and `COPY --from` only the artifacts, or remove the toolchain in the same RUN (`apt-get purge -y --auto-remove ...`, `apk add --virtual .build-deps ... && apk del .build-deps`)".to_string(),
            };
            out.push(cx.at(instruction, message).with_fix(fix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn toolchains_in_the_final_image() {
        assert_lines(
            &Rs001,
            &[
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y curl\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add --no-cache build-base\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM fedora:40\nRUN dnf install -y gcc-c++ && dnf clean all\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM opensuse/leap:15.6\nRUN zypper -n in cmake\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // Removed in the same RUN.
                (
                    "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install x \\\n && apk del .build-deps\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN set -eux; savedAptMark=\"$(apt-mark showmanual)\"; \\\n apt-get install -y gcc; apt-mark auto '.*' > /dev/null; \\\n apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nENV BUILD_DEPS=\"gcc make\"\nRUN apt-get install -y $BUILD_DEPS && make && apt-get purge -y $BUILD_DEPS\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nENV BUILD_DEPS=\"gcc make\"\nRUN apt-get install -y $BUILD_DEPS\nCMD [\"/app\"]\n",
                    &[3],
                ),
                // Removed in a later RUN: the layer stays.
                (
                    "FROM debian:12\nRUN apt-get install -y gcc\nRUN apt-get purge -y gcc\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // Build stages are not the final image.
                (
                    "FROM debian:12 AS build\nRUN apt-get install -y gcc\nRUN make\nFROM debian:12-slim\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
                    &[],
                ),
                // A stage the final stage builds on is.
                (
                    "FROM debian:12 AS base\nRUN apt-get install -y g++\nFROM base\nCMD [\"x\"]\n",
                    &[2],
                ),
                // Heredoc.
                (
                    "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y clang\nEOF\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // rustup and Go downloads.
                (
                    "FROM debian:12\nRUN curl https://sh.rustup.rs -sSf | sh -s -- -y\nCMD [\"/app\"]\n",
                    &[2],
                ),
                (
                    "FROM debian:12\nRUN curl -fsSL https://go.dev/dl/go1.22.0.linux-amd64.tar.gz | tar -C /usr/local -xz\nCMD [\"/app\"]\n",
                    &[2],
                ),
                // ONBUILD triggers run in child images.
                (
                    "FROM debian:12\nONBUILD RUN apt-get install -y gcc\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Toolchain, CI and development images: no application runs.
                ("FROM debian:12\nRUN apt-get install -y gcc make\n", &[]),
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nCMD [\"bash\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"make\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nCMD [\"python3\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nCMD python3 app.py\n",
                    &[2],
                ),
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make\nEXPOSE 8080\n",
                    &[2],
                ),
                // ARG-defaulted package list.
                (
                    "ARG BASE=debian:12\nFROM ${BASE}\nARG DEPS=\"cmake\"\nRUN apt-get install -y ${DEPS}\nCMD [\"/app\"]\n",
                    &[4],
                ),
            ],
        );
    }

    #[test]
    fn message_names_the_packages() {
        let d = diagnostics(
            &Rs001,
            "FROM debian:12\nRUN apt-get install -y build-essential cmake curl\nEXPOSE 80\n",
        );
        assert_eq!(d.len(), 1);
        let m = d.first().map(|d| d.message.as_str()).unwrap_or_default();
        assert!(
            m.contains("`build-essential`, `cmake`") && m.contains("358 MB"),
            "{m}"
        );
        assert!(!m.contains("curl"), "{m}");
    }
}
