//! RS005: dependencies are installed after the whole build context is
//! copied.
//!
//! ## What it does
//! Reports a dependency install — `pip install -r`, `uv pip install -r`,
//! `npm ci`/`npm install`, `yarn install`, `pnpm install`, `bundle
//! install`, `composer install`, `go mod download`, `cargo build`/`fetch`,
//! `mvn dependency:go-offline`/`package`/`install`/`verify`, `dotnet
//! restore`, `poetry install`, `uv sync`, `pipenv install`/`sync` — that
//! runs after a `COPY`/`ADD` of the whole build context (`COPY . .`,
//! `COPY ./ /app`, `ADD . /src`, `COPY * ./`) in the same stage or a stage
//! it builds on, when the same package manager did not already install
//! from a manifest copied before it.
//!
//! ## Why is this bad?
//! BuildKit reuses a cached layer only while everything before it is
//! unchanged. After `COPY . .`, any edit to any source file invalidates
//! the install, so every build downloads and installs all dependencies
//! again — minutes per build, and the network and registry load that goes
//! with it. Copying only the manifest (and lock file) first keeps the
//! install cached until the dependencies themselves change.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY . .
//! RUN npm ci --omit=dev
//! CMD ["node", "index.js"]
//! ```
//! Use instead:
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY package.json package-lock.json ./
//! RUN npm ci --omit=dev
//! COPY . .
//! CMD ["node", "index.js"]
//! ```
//!
//! ## Notes
//! - A manifest copied before `COPY . .` but installed only after it is
//!   still reported: the install is what must come before the copy.
//! - A second install by the same manager after `COPY . .` (say `pip
//!   install -r requirements.txt` first, `pip install -r
//!   requirements-extra.txt` later) is not reported: the bulk is cached.
//! - `go mod download`, `cargo build`/`fetch` and Maven runs with a cache
//!   mount on their download cache (`/go/pkg/mod`, the Cargo registry or
//!   `target`, `~/.m2`) are not reported: a re-run reuses the cache and is
//!   cheap.
//! - Installing the project itself (`pip install .`, `go build`, `npm run
//!   build`) needs the source and is not a dependency install.
//! - `ONBUILD COPY . .` followed by `ONBUILD RUN npm install` (the old
//!   `onbuild` images) is reported at the trigger.
//! - Build stages count too: this is about build time, not image size.

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{Instruction, RunInfo};

/// The rule.
pub struct Rs005;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS005",
    aliases: &[],
    name: "dependencies-after-copy-all",
    title: "Dependencies installed after copying the whole build context",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A dependency install (`pip install -r`, `npm ci`, `yarn install`, `pnpm install`, `bundle install`, `composer install`, `go mod download`, `cargo build`, `mvn dependency:go-offline`/`package`, `dotnet restore`, `poetry install`, `uv sync`, `pipenv install`) runs after `COPY . .` (or any copy of the whole context) without an earlier install from a manifest copied first. Every source change then invalidates the cached install and the build downloads everything again. Copy the manifest and lock file, install, then copy the rest. Downloads with a cache mount on their cache (`go mod download`, `cargo`, Maven) are not reported.",
    bad: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"index.js\"]\n",
    good: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
};

/// A kind of dependency install, by manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Install {
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Bundler,
    Composer,
    Go,
    Cargo,
    Maven,
    Dotnet,
    Poetry,
    Uv,
    Pipenv,
}

impl Install {
    /// The manifest files to copy first.
    fn manifests(self) -> &'static str {
        match self {
            Self::Pip => "the requirements file",
            Self::Npm => "package.json and package-lock.json",
            Self::Yarn => "package.json and yarn.lock",
            Self::Pnpm => "package.json and pnpm-lock.yaml",
            Self::Bundler => "Gemfile and Gemfile.lock",
            Self::Composer => "composer.json and composer.lock",
            Self::Go => "go.mod and go.sum",
            Self::Cargo => "Cargo.toml and Cargo.lock (with a stub src/main.rs, or cargo-chef)",
            Self::Maven => "pom.xml (and run `mvn dependency:go-offline`)",
            Self::Dotnet => "the *.csproj/*.sln files",
            Self::Poetry => "pyproject.toml and poetry.lock",
            Self::Uv => "pyproject.toml and uv.lock",
            Self::Pipenv => "Pipfile and Pipfile.lock",
        }
    }

    /// Cache directories whose mount makes a re-run cheap.
    fn cheap_with_mount(self) -> &'static [&'static str] {
        match self {
            Self::Go => &["/go/pkg/mod", "/root/go/pkg/mod"],
            Self::Cargo => &["/usr/local/cargo/registry", "/root/.cargo/registry"],
            Self::Maven => &["/root/.m2", "/root/.m2/repository"],
            _ => &[],
        }
    }
}

/// The dependency install an invocation is, if any.
fn install_of(inv: &Invocation<'_>) -> Option<Install> {
    let positional = inv.positional();
    let sub = positional.first().copied().unwrap_or_default();
    let second = positional.get(1).copied().unwrap_or_default();
    let bare = positional.len() == 1;
    Some(match inv.tool {
        Tool::Pip if sub == "install" && inv.flag_value(&["r", "requirement"]).is_some() => {
            Install::Pip
        }
        Tool::Uv
            if sub == "pip"
                && second == "install"
                && inv.flag_value(&["r", "requirement"]).is_some() =>
        {
            Install::Pip
        }
        Tool::Uv if sub == "sync" => Install::Uv,
        Tool::Npm if sub == "ci" || (matches!(sub, "install" | "i") && bare) => Install::Npm,
        Tool::Yarn
            if sub == "install"
                || (sub.is_empty() && !inv.has_flag(&["version", "v", "help", "h"])) =>
        {
            Install::Yarn
        }
        Tool::Pnpm if matches!(sub, "install" | "i") && bare => Install::Pnpm,
        Tool::Bundle if sub == "install" => Install::Bundler,
        Tool::Composer if matches!(sub, "install" | "i") => Install::Composer,
        Tool::Go if sub == "mod" && second == "download" => Install::Go,
        // `cargo chef cook` builds the dependencies alone (cargo-chef).
        Tool::Cargo if matches!(sub, "build" | "fetch") || (sub == "chef" && second == "cook") => {
            Install::Cargo
        }
        Tool::Maven
            if positional.iter().any(|p| {
                p.starts_with("dependency:") || matches!(*p, "package" | "install" | "verify")
            }) =>
        {
            Install::Maven
        }
        Tool::Dotnet if sub == "restore" => Install::Dotnet,
        Tool::Poetry if sub == "install" => Install::Poetry,
        Tool::Pipenv if matches!(sub, "install" | "sync") => Install::Pipenv,
        _ => return None,
    })
}

/// Whether a `COPY`/`ADD` (not `--from`) copies the whole build context.
fn copies_everything(kind: &CommandKind) -> bool {
    let sources = match kind {
        CommandKind::Copy(c) if c.from.is_none() => &c.sources,
        CommandKind::Add(a) => &a.sources,
        _ => return false,
    };
    sources
        .iter()
        .any(|s| matches!(s.trim_matches('"'), "." | "./" | "*" | "./*" | "./." | "/"))
}

/// The installs of a `RUN`, with whether a cache mount makes them cheap.
fn installs(run: &RunInfo) -> Vec<(Install, String)> {
    let mut out = Vec::new();
    for cmd in run.commands() {
        if let Some(inv) = recognise(cmd)
            && let Some(kind) = install_of(&inv)
        {
            let cheap = kind
                .cheap_with_mount()
                .iter()
                .any(|p| run.has_cache_mount(p))
                || (kind == Install::Cargo
                    && run.mounts.iter().any(|m| {
                        m.target
                            .as_deref()
                            .is_some_and(|t| t.ends_with("/target") || t == "target")
                    }));
            if !cheap {
                out.push((kind, inv.line.line()));
            }
        }
    }
    out
}

/// Walks one sequence of instructions (a stage's lineage, or a stage's
/// `ONBUILD` triggers) and reports the installs of `report` that follow a
/// whole-context copy.
struct Walk {
    copied_all: Option<usize>,
    before: Vec<Install>,
}

impl Walk {
    fn new() -> Self {
        Self {
            copied_all: None,
            before: Vec::new(),
        }
    }

    /// Steps over one instruction; returns what to report for it.
    fn step(
        &mut self,
        kind: Option<&CommandKind>,
        run: Option<&RunInfo>,
        line: usize,
    ) -> Vec<(Install, String, usize)> {
        let mut out = Vec::new();
        if let Some(k) = kind
            && copies_everything(k)
            && self.copied_all.is_none()
        {
            self.copied_all = Some(line);
        }
        if let Some(run) = run.filter(|r| r.posix) {
            for (install, text) in installs(run) {
                match self.copied_all {
                    None => self.before.push(install),
                    Some(at) if !self.before.contains(&install) => {
                        out.push((install, text, at));
                        // One report per manager and stage.
                        self.before.push(install);
                    }
                    Some(_) => {}
                }
            }
        }
        out
    }
}

fn report(
    cx: &LintContext<'_>,
    instruction: &Instruction,
    found: Vec<(Install, String, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    for (install, text, at) in found {
        out.push(
            cx.at(
                instruction,
                format!(
                    "`{text}` runs after the whole build context is copied (line {at}): every source change re-runs the dependency install"
                ),
            )
            .with_fix(format!(
                "Copy {} first, install, then copy the rest of the source",
                install.manifests()
            )),
        );
    }
}

impl Rule for Rs005 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let mut chain = cx.lineage(stage);
            chain.reverse();
            let mut walk = Walk::new();
            for s in &chain {
                let own = s.index == stage.index;
                for i in cx.stage_instructions(s) {
                    let found = walk.step(i.kind(), i.run.as_ref(), i.start_line);
                    if own {
                        report(cx, i, found, out);
                    }
                }
            }
            // ONBUILD triggers run in order at the start of a child build.
            let mut triggers = Walk::new();
            for i in cx.stage_instructions(stage) {
                if let Some(t) = &i.trigger {
                    let found = triggers.step(
                        t.command.as_ref().map(|c| &c.kind),
                        t.run.as_ref(),
                        i.start_line,
                    );
                    report(cx, i, found, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn installs_after_copying_everything() {
        assert_lines(
            &Rs005,
            &[
                ("FROM node:20\nCOPY . .\nRUN npm ci\n", &[3]),
                (
                    "FROM node:20\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
                    &[],
                ),
                // The manifest alone is not enough: the install must come first.
                (
                    "FROM node:20\nCOPY package.json ./\nCOPY . .\nRUN npm install\n",
                    &[4],
                ),
                ("FROM node:20\nCOPY . /app\nRUN npm install express\n", &[]),
                (
                    "FROM python:3.12\nADD . /src\nRUN pip install -r /src/requirements.txt\n",
                    &[3],
                ),
                ("FROM python:3.12\nCOPY . .\nRUN pip install .\n", &[]),
                (
                    "FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install -r requirements-extra.txt\n",
                    &[],
                ),
                (
                    "FROM golang:1.22\nCOPY . .\nRUN go mod download\nRUN go build\n",
                    &[3],
                ),
                (
                    "FROM golang:1.22\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n",
                    &[],
                ),
                ("FROM rust:1\nCOPY . .\nRUN cargo build --release\n", &[3]),
                (
                    "FROM rust:1\nCOPY recipe.json .\nRUN cargo chef cook --release\nCOPY . .\nRUN cargo build --release\n",
                    &[],
                ),
                (
                    "FROM rust:1\nCOPY . .\nRUN --mount=type=cache,target=/app/target cargo build --release\n",
                    &[],
                ),
                (
                    "FROM maven:3\nCOPY . .\nRUN mvn -B package -DskipTests\n",
                    &[3],
                ),
                ("FROM ruby:3.3\nCOPY * ./\nRUN bundle install\n", &[3]),
                (
                    "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet restore\n",
                    &[3],
                ),
                (
                    "FROM python:3.12\nCOPY . .\nRUN poetry install && uv sync\n",
                    &[3, 3],
                ),
                ("FROM node:20\nCOPY src/ ./src\nRUN npm ci\n", &[]),
                // Copies from other stages are not the build context.
                (
                    "FROM node:20 AS a\nFROM node:20\nCOPY --from=a . .\nRUN npm ci\n",
                    &[],
                ),
                // Build stages count; reported once, in the stage that installs.
                (
                    "FROM node:20 AS base\nCOPY . .\nFROM base AS build\nRUN npm ci\nFROM base\nRUN yarn install\n",
                    &[4, 6],
                ),
                // Heredoc.
                ("FROM node:20\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\n", &[3]),
                // ONBUILD.
                (
                    "FROM node:20\nONBUILD COPY . /app\nONBUILD RUN npm install\n",
                    &[3],
                ),
                (
                    "FROM node:20\nONBUILD COPY package.json /app/\nONBUILD RUN npm install\nONBUILD COPY . /app\n",
                    &[],
                ),
                // ARG-defaulted base.
                ("ARG V=20\nFROM node:${V}\nCOPY . .\nRUN npm ci\n", &[4]),
            ],
        );
    }

    #[test]
    fn message_names_the_copy_and_the_manifest() {
        let d = diagnostics(
            &Rs005,
            "FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n",
        );
        let d = d.first().cloned().unwrap_or_else(|| panic!("reported"));
        assert!(
            d.message.contains("`yarn install --frozen-lockfile`") && d.message.contains("line 2"),
            "{}",
            d.message
        );
        assert!(d.fix.is_some_and(|f| f.title.contains("yarn.lock")));
    }
}
