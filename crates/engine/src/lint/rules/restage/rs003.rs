//! RS003: the final image is built on an SDK image.
//!
//! ## What it does
//! Reports the `FROM` the final image starts from (the final stage, or the
//! stage it builds on through `FROM <stage>`) when its base, after `ARG`
//! defaults are substituted, is an SDK or toolchain image, and names the
//! runtime image to use instead:
//!
//! | base | runtime |
//! |---|---|
//! | `golang` (any tag) | `gcr.io/distroless/static-debian12` or `scratch` (CGO off), `distroless/base-debian12` (cgo) |
//! | `rust` (any tag, `-slim` too) | `gcr.io/distroless/cc-debian12` (glibc), `scratch`/`distroless/static` (musl) |
//! | `maven`, `gradle` | `eclipse-temurin:<N>-jre` |
//! | `eclipse-temurin` without `jre` in the tag (its default is the JDK) | `eclipse-temurin:<N>-jre` |
//! | `openjdk`, `amazoncorretto`, `sapmachine` without `jre`; `ibm-semeru-runtimes` `*-jdk*` | a JRE |
//! | `mcr.microsoft.com/dotnet/sdk` (and `dotnet/core/sdk`) | `dotnet/aspnet`, `dotnet/runtime` or `dotnet/runtime-deps`, same tag |
//! | `gcc`, `buildpack-deps`, `haskell` | `debian:<codename>-slim`, `distroless/cc` |
//! | `swift` (not `-slim`) | `swift:<tag>-slim` |
//! | `dart` | `scratch` + the dart image's `/runtime/` |
//!
//! ## Why is this bad?
//! An SDK image carries the compiler, the package cache and the build
//! tools; the program it builds needs none of them. `golang:1.26` is
//! 874 MB on disk where `distroless/static` is 2.1 MB; `rust:1` is
//! 1,601 MB (593 MB to pull) against 23 MB for `distroless/cc`;
//! `eclipse-temurin:21-jdk` is 470 MB against 327 MB for the JRE; the
//! .NET 8 SDK 850 MB against 217 MB for `aspnet`. Docker's own Go guide
//! measures 1.11 GB single-stage against 28.1 MB multi-stage. The message
//! quotes the image's figures and a runtime's from restage's size catalog,
//! rounded as the size tables round them.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /server .
//! CMD ["/server"]
//! ```
//! Use instead:
//! ```dockerfile
//! FROM golang:1.22 AS build
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /server .
//!
//! FROM gcr.io/distroless/static-debian12:nonroot
//! COPY --from=build /server /server
//! CMD ["/server"]
//! ```
//!
//! ## Notes
//! - `node`, `python`, `ruby` and `php` images are not SDKs: they are also
//!   what runs the program. Their full Debian variants are RS012's
//!   business (a slim variant exists).
//! - Only official (Docker Hub `library/`) images and Microsoft's .NET SDK
//!   are recognised; a private image that happens to be called `golang` is
//!   not.
//! - Toolchain, CI and development images are not reported: a final image
//!   that exposes no port and whose command is a shell, a bare interpreter
//!   or a build tool (or none), or whose stage is named `dev`, `test`,
//!   `builder`, ... — the SDK is the point of such an image.

use super::images::sdk;
use super::support::{final_base, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::size::image_sizes::{catalog_sizes, compared_sizes};

/// The rule.
pub struct Rs003;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS003",
    aliases: &[],
    name: "sdk-base-in-final-image",
    title: "The final image is built on an SDK image",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "The final image starts from an SDK or toolchain image (golang, rust, maven, gradle, an eclipse-temurin/openjdk JDK, mcr.microsoft.com/dotnet/sdk, gcc, buildpack-deps, ...), resolved through `ARG` defaults and `FROM <stage>`. The compiler and build caches are dead weight at run time: golang:1.26 is 874 MB on disk against 2.1 MB for distroless/static; eclipse-temurin:21-jdk 470 MB against 327 MB for the JRE; the .NET 8 SDK 850 MB against 217 MB for aspnet (the message quotes restage's size catalog). Build in an SDK stage and copy the artifact onto the runtime image the fix names. `node`, `python`, `ruby` and `php` are not SDKs (see RS012); toolchain/CI/development images are not reported.",
    bad: "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server .\nCMD [\"/server\"]\n",
    good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /server /server\nCMD [\"/server\"]\n",
};

impl Rule for Rs003 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some((stage, image)) = final_base(cx) else {
            return;
        };
        let Some(sdk) = sdk(image) else {
            return;
        };
        if !runs_application(cx) {
            return;
        }
        let mut message = format!("The final image is built on {} image `{image}`", sdk.what);
        let image_text = image.to_string();
        let sizes = match &sdk.compare_with {
            Some(runtime) => compared_sizes(&image_text, runtime),
            None => catalog_sizes(&image_text).map(|s| format!("`{image_text}` is {s}")),
        };
        if let Some(sizes) = sizes {
            message.push_str(&format!(" ({sizes})"));
        }
        out.push(cx.at_stage(stage, message).with_fix(format!(
            "Build in a stage on `{image}` and copy the artifact onto {}",
            sdk.runtime
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn sdk_bases_are_reported() {
        assert_lines(
            &Rs003,
            &[
                ("FROM golang:1.22\nCMD [\"/app\"]\n", &[1]),
                ("FROM golang:1.22-alpine\nEXPOSE 8080\n", &[1]),
                ("FROM rust:1-slim\nCMD [\"/app\"]\n", &[1]),
                (
                    "FROM maven:3.9-eclipse-temurin-21\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[1],
                ),
                (
                    "FROM eclipse-temurin:21\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[1],
                ),
                (
                    "FROM eclipse-temurin:21-jre\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[],
                ),
                (
                    "FROM openjdk:17-jdk-slim\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[1],
                ),
                (
                    "FROM mcr.microsoft.com/dotnet/sdk:8.0\nENTRYPOINT [\"dotnet\", \"App.dll\"]\n",
                    &[1],
                ),
                (
                    "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT [\"dotnet\", \"App.dll\"]\n",
                    &[],
                ),
                // Language images that run programs are not SDKs.
                ("FROM node:20\nCMD [\"node\", \"index.js\"]\n", &[]),
                ("FROM python:3.12\nCMD [\"python\", \"app.py\"]\n", &[]),
                // Multi-stage: only the final image's base counts.
                (
                    "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Through FROM <stage>: reported at the root stage.
                (
                    "FROM golang:1.22 AS base\nRUN go build -o /app\nFROM base\nCMD [\"/app\"]\n",
                    &[1],
                ),
                // ARG-defaulted base.
                ("ARG GO=1.22\nFROM golang:${GO}\nCMD [\"/app\"]\n", &[2]),
                ("ARG IMAGE=golang:1.22\nFROM $IMAGE\nCMD [\"/app\"]\n", &[2]),
                // go run is still an application.
                ("FROM golang:1.22\nCMD [\"go\", \"run\", \".\"]\n", &[1]),
                // Toolchain and development images.
                (
                    "FROM golang:1.22\nRUN go install example.com/tool@v1\n",
                    &[],
                ),
                ("FROM golang:1.22\nCMD [\"bash\"]\n", &[]),
                ("FROM golang:1.22 AS dev\nCMD [\"/app\"]\n", &[]),
            ],
        );
    }

    #[test]
    fn fix_names_the_runtime() {
        let d = diagnostics(
            &Rs003,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0\nEXPOSE 8080\n",
        );
        let fix = d
            .first()
            .and_then(|d| d.fix.clone())
            .map(|f| f.title)
            .unwrap_or_default();
        assert!(fix.contains("mcr.microsoft.com/dotnet/aspnet:8.0"), "{fix}");
        let d = diagnostics(&Rs003, "FROM golang:1.22\nEXPOSE 8080\n");
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        // The catalog's figures, as the size table rounds them; 1.22 is not
        // measured, so its family's figure is "about".
        assert!(
            m.contains("`golang:1.22` is about 874 MB on disk (324 MB to pull)")
                && m.contains("`gcr.io/distroless/static-debian12` is 2.1 MB (1.0 MB)"),
            "{m}"
        );
    }
}
