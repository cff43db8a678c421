//! RS009: a single-stage build carries its build toolchain.
//!
//! ## What it does
//! Reports, once at its `FROM`, a Dockerfile with a single stage that
//! installs or carries a build toolchain or compiles in its only image:
//! - a compiler or build tool installed and kept (RS001's condition);
//! - an SDK base image (RS003's condition);
//! - a compile step: `go build`/`go install`, `cargo build`/`cargo
//!   install`, `mvn package`/`install`/`verify`, `gradle build`/`assemble`/
//!   `bootJar`/`shadowJar`/`installDist`, `npm run build`, `yarn build`,
//!   `pnpm build`, `dotnet publish`/`build`, `make`, `cmake --build`,
//!   `tsc`, `ng build`, `next build`, `vite build`.
//!
//! The message points to `restage convert`, which writes the multi-stage
//! version: a build stage with the toolchain, and a runtime stage that
//! receives only the artifacts.
//!
//! ## Why is this bad?
//! In a single stage, everything the build needed ships with the program:
//! the SDK, compilers, dev dependencies and caches. Multi-stage builds
//! drop it all — Docker's Go guide measures 1.11 GB single-stage against
//! 28.1 MB multi-stage; a Python API with psycopg2 goes from about 1.3 GB
//! to about 200 MB; a React SPA from about 850 MB to 25 MB on
//! `nginx:alpine`.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20
//! WORKDIR /app
//! COPY package*.json ./
//! RUN npm ci
//! COPY . .
//! RUN npm run build
//! CMD ["node", "dist/index.js"]
//! ```
//! Use instead (what `restage convert` produces, in essence):
//! ```dockerfile
//! FROM node:20 AS build
//! WORKDIR /app
//! COPY package*.json ./
//! RUN npm ci
//! COPY . .
//! RUN npm run build
//!
//! FROM node:20-slim
//! WORKDIR /app
//! COPY package*.json ./
//! RUN npm ci --omit=dev
//! COPY --from=build /app/dist ./dist
//! CMD ["node", "dist/index.js"]
//! ```
//!
//! ## Notes
//! - A `RUN` that compiles and removes the toolchain it installed in the
//!   same `RUN` (`apt-get purge`, `apk del .build-deps` — the official
//!   images' pattern) is not counted: its layer is already lean.
//! - Toolchain, CI and development images are not reported: a final image
//!   that exposes no port and whose command is a shell, a bare interpreter
//!   or a build tool (or none), or whose stage is named `dev`, `test`,
//!   `builder`, ...
//! - A JDK alone (an `eclipse-temurin`/`openjdk` JDK base, an
//!   `openjdk-*-jdk` package) with no compile step is left to RS001 and
//!   RS003: running a jar needs a JRE, not a second stage.
//! - `ONBUILD` triggers are not counted: they run in child images.

use super::images::sdk;
use super::support::{FinalRun, final_base, posix_final_runs, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::RunInfo;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Rs009;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS009",
    aliases: &[],
    name: "single-stage-with-toolchain",
    title: "Single-stage build carries its build toolchain",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A Dockerfile with one stage that installs or carries a toolchain (a compiler kept installed, an SDK base image) or compiles (`go build`, `cargo build`, `mvn package`, `gradle build`, `npm run build`, `dotnet publish`, `make`, ...). Everything the build needed ships with the program; a multi-stage build keeps only the artifacts (Docker's Go guide: 1.11 GB single-stage, 28.1 MB multi-stage). `restage convert` writes the multi-stage version. `RUN`s that remove the toolchain they installed, and toolchain/CI/development images, are not counted.",
    bad: "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
    good: "FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/index.js\"]\n",
};

/// The compile step a command is, if any.
fn compiles(cmd: &SimpleCommand) -> Option<String> {
    if let Some(inv) = recognise(cmd) {
        let positional = inv.positional();
        let sub = positional.first().copied().unwrap_or_default();
        let second = positional.get(1).copied().unwrap_or_default();
        let hit = match inv.tool {
            Tool::Go => matches!(sub, "build") || (sub == "install" && !second.contains('@')),
            Tool::Cargo => sub == "build" || (sub == "install" && inv.has_flag(&["path"])),
            Tool::Maven => positional
                .iter()
                .any(|p| matches!(*p, "package" | "install" | "verify")),
            Tool::Gradle => positional.iter().any(|p| {
                matches!(
                    *p,
                    "build"
                        | "assemble"
                        | "bootJar"
                        | "shadowJar"
                        | "installDist"
                        | "jar"
                        | "bootWar"
                        | "war"
                )
            }),
            Tool::Npm | Tool::Pnpm | Tool::Yarn => {
                (sub == "run" && second.starts_with("build")) || sub.starts_with("build")
            }
            Tool::Dotnet => matches!(sub, "publish" | "build"),
            _ => false,
        };
        return hit.then(|| short(&inv.line.line()));
    }
    let base = cmd.base_name();
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    let hit = match base {
        "make" | "gmake" | "ninja" | "tsc" | "gcc" | "g++" | "cc" | "c++" | "clang" | "rustc"
        | "javac" => true,
        "cmake" => args.contains(&"--build"),
        "ng" | "next" | "vite" | "nuxt" | "webpack" => {
            args.first().is_some_and(|a| *a == "build") || base == "webpack"
        }
        "npx" => {
            args.iter().any(|a| matches!(*a, "tsc" | "webpack"))
                || args.windows(2).any(|w| matches!(w, [_, "build"]))
        }
        _ => false,
    };
    hit.then(|| short(&cmd.line()))
}

/// A command cut to its first words.
fn short(line: &str) -> String {
    line.split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a `RUN` removes packages it installed (the compile-and-clean
/// pattern of the official images).
fn cleans_up(run: &RunInfo) -> bool {
    run.commands().any(|c| {
        recognise(c).is_some_and(|inv| {
            let sub = inv.subcommand().unwrap_or_default();
            match inv.tool {
                Tool::AptGet | Tool::Apt | Tool::Aptitude => {
                    matches!(sub, "purge" | "remove" | "autoremove")
                }
                Tool::Apk => sub == "del",
                Tool::Dnf | Tool::Yum | Tool::Microdnf => {
                    matches!(sub, "remove" | "erase" | "autoremove")
                }
                Tool::Zypper => matches!(sub, "remove" | "rm"),
                _ => false,
            }
        })
    })
}

impl Rule for Rs009 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let [stage] = cx.stages() else {
            return;
        };
        if !runs_application(cx) {
            return;
        }
        let mut reasons: Vec<String> = Vec::new();
        if let Some((_, image)) = final_base(cx)
            && let Some(s) = sdk(image)
            && s.what != "a JDK"
        {
            reasons.push(format!("its base `{image}` is {}", s.what));
        }
        let mut tools: Vec<String> = Vec::new();
        let mut steps: Vec<String> = Vec::new();
        for FinalRun {
            run,
            tools: kept,
            downloads,
            ..
        } in posix_final_runs(cx)
        {
            for p in kept {
                if !tools.contains(&p.name) && !p.name.contains("jdk") {
                    tools.push(p.name.clone());
                }
            }
            for &t in downloads {
                if !tools.iter().any(|x| x == t) {
                    tools.push(t.to_string());
                }
            }
            if !cleans_up(run) {
                for c in run.commands() {
                    if let Some(step) = compiles(c)
                        && !steps.contains(&step)
                    {
                        steps.push(step);
                    }
                }
            }
        }
        if !tools.is_empty() {
            let names: Vec<String> = tools.iter().take(4).map(|t| format!("`{t}`")).collect();
            reasons.push(format!("it installs {}", names.join(", ")));
        }
        if !steps.is_empty() {
            let names: Vec<String> = steps.iter().take(3).map(|t| format!("`{t}`")).collect();
            reasons.push(format!("it compiles with {}", names.join(", ")));
        }
        if reasons.is_empty() {
            return;
        }
        out.push(
            cx.at_stage(
                stage,
                format!(
                    "Single-stage build carries its build toolchain: {}",
                    reasons.join("; ")
                ),
            )
            .with_fix(
                "Run `restage convert` to split it into a build stage and a minimal runtime stage that receives only the artifacts",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn single_stage_builds_with_a_toolchain() {
        assert_lines(
            &Rs009,
            &[
                (
                    "FROM golang:1.22\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n",
                    &[1],
                ),
                (
                    "FROM node:20\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
                    &[1],
                ),
                (
                    "FROM node:20\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"index.js\"]\n",
                    &[],
                ),
                (
                    "FROM python:3.12-slim\nRUN apt-get install -y gcc\nCMD [\"python\", \"app.py\"]\n",
                    &[1],
                ),
                ("FROM debian:12\nRUN make\nCMD [\"/app\"]\n", &[1]),
                (
                    "FROM maven:3-eclipse-temurin-21\nCMD [\"java\", \"-jar\", \"app.jar\"]\n",
                    &[1],
                ),
                (
                    "FROM eclipse-temurin:21\nCOPY app.jar /\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[],
                ),
                (
                    "FROM eclipse-temurin:21\nCOPY . .\nRUN ./mvnw package\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
                    &[1],
                ),
                (
                    "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish -c Release -o /out\nENTRYPOINT [\"dotnet\", \"/out/a.dll\"]\n",
                    &[1],
                ),
                // Compile-and-clean in one RUN.
                (
                    "FROM debian:12\nRUN apt-get install -y gcc make && make && make install && apt-get purge -y --auto-remove gcc make\nCMD [\"/usr/local/bin/app\"]\n",
                    &[],
                ),
                // Multi-stage builds are what this rule asks for.
                (
                    "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Heredoc.
                (
                    "FROM rust:1\nRUN <<EOF\ncargo build --release\nEOF\nCMD [\"/app\"]\n",
                    &[1],
                ),
                // ARG-defaulted base.
                ("ARG GO=golang:1.22\nFROM ${GO}\nCMD [\"/app\"]\n", &[2]),
                // Toolchain images; ONBUILD.
                (
                    "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n",
                    &[],
                ),
                ("FROM debian:12\nONBUILD RUN make\nCMD [\"/app\"]\n", &[]),
            ],
        );
    }

    #[test]
    fn message_points_to_convert() {
        let d = diagnostics(
            &Rs009,
            "FROM golang:1.22\nRUN go build -o /app\nEXPOSE 8080\n",
        );
        let d = d.first().cloned().unwrap_or_else(|| panic!("reported"));
        assert!(
            d.message.contains("the Go SDK") && d.message.contains("`go build -o /app`"),
            "{}",
            d.message
        );
        assert!(d.fix.is_some_and(|f| f.title.contains("restage convert")));
    }
}
