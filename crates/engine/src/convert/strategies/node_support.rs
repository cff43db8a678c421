//! What the Node.js strategies (`node-api`, `node-spa`, `nextjs`) share:
//! the package manager and its commands (install, production install,
//! prune, cache mounts), the official `node` image and its variants, what
//! each `RUN` does to `node_modules`, what the container starts, and the
//! `deps` and `builder` stages built from the source stage.

use super::common::{add, is_runtime_behaviour, keep, keep_quiet, trim_after_last_run};
use super::{Detection, Evidence};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item};
use crate::convert::types::{ChangeKind, Ecosystem, Refusal};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{BaseImage, Instruction, join_workdir};

/// Node.js LTS code names, as official image tags use them.
const LTS_NAMES: &[(&str, u32)] = &[
    ("argon", 4),
    ("boron", 6),
    ("carbon", 8),
    ("dubnium", 10),
    ("erbium", 12),
    ("fermium", 14),
    ("gallium", 16),
    ("hydrogen", 18),
    ("iron", 20),
    ("jod", 22),
    ("krypton", 24),
];

/// Debian code names in `node` tags.
const CODENAMES: &[&str] = &["trixie", "bookworm", "bullseye", "buster", "stretch"];

/// A Node.js package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Manager {
    Npm,
    YarnClassic,
    YarnBerry,
    Pnpm,
}

impl Manager {
    /// The command name.
    pub(super) fn command(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::YarnClassic | Self::YarnBerry => "yarn",
            Self::Pnpm => "pnpm",
        }
    }

    /// A name for people (`Yarn (Berry)`).
    pub(super) fn label(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::YarnClassic => "Yarn classic",
            Self::YarnBerry => "Yarn Berry",
            Self::Pnpm => "pnpm",
        }
    }

    /// The cache directory a `RUN --mount=type=cache` should cover (for
    /// root, which runs the builder stages). pnpm's store is
    /// `$PNPM_HOME/store` when `PNPM_HOME` is set, else
    /// `$XDG_DATA_HOME/pnpm/store` (`/root/.local/share/pnpm/store`).
    pub(super) fn cache_target(self, pnpm_home: Option<&str>) -> String {
        match self {
            Self::Npm => "/root/.npm".into(),
            Self::YarnClassic => "/usr/local/share/.cache/yarn".into(),
            Self::YarnBerry => "/root/.yarn/berry/cache".into(),
            Self::Pnpm => match pnpm_home {
                Some(home) if home.starts_with('/') && !home.contains('$') => {
                    format!("{}/store", home.trim_end_matches('/'))
                }
                _ => "/root/.local/share/pnpm/store".into(),
            },
        }
    }

    /// The command that removes development dependencies from an
    /// installed `node_modules`.
    pub(super) fn prune(self, major: Option<u32>) -> String {
        match self {
            Self::Npm => format!("npm prune {}", npm_omit_dev(major)),
            Self::YarnClassic => {
                "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline"
                    .into()
            }
            Self::YarnBerry => "yarn workspaces focus --all --production".into(),
            Self::Pnpm => "pnpm prune --prod".into(),
        }
    }
}

/// npm's flag for production-only installs: `--omit=dev` since npm 7
/// (Node.js 15), `--production` before.
fn npm_omit_dev(major: Option<u32>) -> &'static str {
    match major {
        Some(m) if m < 15 => "--production",
        _ => "--omit=dev",
    }
}

/// The official `node` image of the stage, as written and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NodeImage {
    /// The image as written (variables kept).
    pub raw: ImageText,
    /// The image with `ARG` defaults substituted.
    pub resolved: ImageText,
    /// The Node.js major version, when the tag says.
    pub major: Option<u32>,
    /// The distribution the image is built on.
    pub distro: Distro,
    /// Whether the image is a slim or Alpine variant already.
    pub small: bool,
}

/// The Node.js major version a `node` tag names (`20.11-alpine` → 20,
/// `iron` → 20).
pub(super) fn major_of(tag: Option<&str>) -> Option<u32> {
    let tag = tag?;
    let first = tag.split('-').next().unwrap_or(tag);
    if let Some((_, m)) = LTS_NAMES.iter().find(|(n, _)| *n == first) {
        return Some(*m);
    }
    first.split('.').next()?.parse().ok()
}

/// The version part of a tag (`20.11-bookworm-slim` → `20.11`), empty for
/// tags without one (`bookworm`, `alpine`).
fn version_part(tag: Option<&str>) -> String {
    let Some(tag) = tag else {
        return String::new();
    };
    let first = tag.split('-').next().unwrap_or(tag);
    if first == "slim"
        || first.starts_with("alpine")
        || CODENAMES.contains(&first)
        || first == "latest"
    {
        String::new()
    } else {
        first.to_string()
    }
}

/// The Debian code name of a tag.
fn codename_of(tag: Option<&str>) -> Option<&'static str> {
    let tag = tag?;
    CODENAMES
        .iter()
        .copied()
        .find(|c| tag.split('-').any(|p| p == *c))
}

impl NodeImage {
    /// The stage's base when it is the official `node` image.
    pub(super) fn of(cx: &ConvertContext<'_>) -> Option<Self> {
        let BaseImage::Image { reference, .. } = &cx.stage.base else {
            return None;
        };
        let resolved = ImageText::parse(reference);
        if resolved.short_name() != "node" {
            return None;
        }
        let mut raw = ImageText::parse(&cx.stage.base_text);
        if raw.short_name() != "node" {
            // The name itself is a variable: write the resolved image.
            raw = resolved.clone();
        }
        let major = major_of(resolved.tag.as_deref());
        Some(Self {
            distro: resolved.distro(),
            small: resolved.is_small_variant(),
            raw,
            resolved,
            major,
        })
    }

    /// Whether the image is Alpine (musl).
    pub(super) fn alpine(&self) -> bool {
        self.distro == Distro::Alpine
    }

    /// The slim image of the same Node.js (the same Alpine image for an
    /// Alpine source). Node's tags put `slim` last: `20-bookworm-slim`.
    pub(super) fn slim(&self) -> String {
        let tag = self.raw.tag.as_deref();
        if self.small {
            return self.raw.with_tag(tag.unwrap_or("latest"));
        }
        match tag {
            None | Some("latest") => self.raw.with_tag("slim"),
            Some(t) => self.raw.with_tag(&format!("{t}-slim")),
        }
    }

    /// The Alpine image of the same Node.js version.
    pub(super) fn alpine_variant(&self) -> String {
        if self.alpine() {
            return self
                .raw
                .with_tag(self.raw.tag.as_deref().unwrap_or("alpine"));
        }
        match version_part(self.raw.tag.as_deref()).as_str() {
            "" => self.raw.with_tag("alpine"),
            v => self.raw.with_tag(&format!("{v}-alpine")),
        }
    }

    /// The Debian release of the image (Alpine sources count as bookworm,
    /// what `node` tags without a code name are built on).
    pub(super) fn codename(&self) -> &'static str {
        codename_of(self.resolved.tag.as_deref()).unwrap_or("bookworm")
    }

    /// A Debian `node` image of the same version and release, slim or full.
    pub(super) fn debian(&self, slim: bool) -> String {
        let code = self.codename();
        let v = version_part(self.raw.tag.as_deref());
        let mut tag = if v.is_empty() {
            code.to_string()
        } else {
            format!("{v}-{code}")
        };
        if slim {
            tag.push_str("-slim");
        }
        self.raw.with_tag(&tag)
    }

    /// The distroless Node.js image of the same major version.
    pub(super) fn distroless(&self) -> Result<String, String> {
        let Some(major) = self.major else {
            return Err(format!(
                "the tag of `{}` does not name a Node.js major version, and distroless images are per major version",
                self.resolved
                    .with_tag(self.resolved.tag.as_deref().unwrap_or("latest"))
            ));
        };
        if major % 2 == 1 || major < 18 {
            return Err(format!(
                "distroless ships Node.js images for even (LTS) major versions from 18 only; the application uses Node.js {major}"
            ));
        }
        let debian = if self.codename() == "trixie" { 13 } else { 12 };
        Ok(format!(
            "gcr.io/distroless/nodejs{major}-debian{debian}:nonroot"
        ))
    }
}

/// The assumption a distroless runtime makes.
pub(super) fn distroless_note(image: &str) -> String {
    format!(
        "`{image}` follows the Debian release of the `node` image so that native modules find the same glibc; distroless publishes Node.js images per LTS major and Debian release and retires old ones — check that this one is still published (newer releases are `-debian13`)"
    )
}

/// What one command does to the Node.js project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NodeCommand {
    /// Installs the project's dependencies (`npm ci`, `yarn`, `pnpm i`).
    Install {
        /// The package manager (classic and Berry told apart later).
        manager: Manager,
        /// Whether it installs production dependencies only.
        prod_only: bool,
    },
    /// Installs tools globally (`npm i -g pm2`, `yarn global add serve`).
    Global {
        /// The packages.
        packages: Vec<String>,
    },
    /// Removes development dependencies (`npm prune --production`).
    Prune,
    /// Cleans a package-manager cache.
    CacheClean,
    /// Enables a package manager (`corepack enable`, `npm i -g pnpm`).
    Setup,
    /// Builds (`npm run build`, `tsc`, `ng build`, `next build`).
    Build,
}

/// Commands that compile or bundle JavaScript.
const BUILD_TOOLS: &[&str] = &[
    "tsc",
    "nest",
    "ng",
    "vite",
    "webpack",
    "esbuild",
    "rollup",
    "react-scripts",
    "vue-cli-service",
    "tsup",
    "babel",
    "swc",
    "turbo",
    "nx",
    "parcel",
    "next",
    "nuxt",
    "gulp",
    "grunt",
    "prisma",
    "remix",
    "astro",
    "svelte-kit",
    "ncc",
];

/// Package-manager subcommands that are not scripts.
const NOT_SCRIPTS: &[&str] = &[
    "install",
    "i",
    "ci",
    "add",
    "cache",
    "config",
    "global",
    "set",
    "plugin",
    "policies",
    "prune",
    "store",
    "remove",
    "rm",
    "uninstall",
    "audit",
    "outdated",
    "list",
    "ls",
    "why",
    "info",
    "view",
    "login",
    "whoami",
    "version",
    "--version",
    "-v",
    "init",
    "link",
    "unlink",
    "pack",
    "publish",
    "dedupe",
    "fetch",
    "rebuild",
    "workspaces",
    "env",
    "setup",
    "import",
    "help",
    "doctor",
    "upgrade",
    "update",
    "up",
    "licenses",
    "node",
    "dlx",
    "exec",
    "test",
    "t",
    "lint",
];

/// Scripts that do not build (tests, linters).
fn is_check_script(name: &str) -> bool {
    let base = name.split(':').next().unwrap_or(name);
    matches!(
        base,
        "test" | "lint" | "format" | "check" | "typecheck" | "audit" | "e2e" | "coverage"
    )
}

/// The package names of a global install (scopes and versions removed
/// later by [`package_bins`]).
fn global_packages(inv: &Invocation<'_>) -> Vec<String> {
    let ops = inv.operands();
    let ops: Vec<&str> = if inv.tool == Tool::Yarn {
        ops.into_iter().skip(1).collect()
    } else {
        ops
    };
    ops.into_iter().map(str::to_string).collect()
}

/// Whether the install is global.
fn is_global(inv: &Invocation<'_>) -> bool {
    match inv.tool {
        Tool::Npm => {
            inv.has_flag(&["g", "global"]) || inv.flag_value(&["location"]) == Some("global")
        }
        Tool::Pnpm => inv.has_flag(&["g", "global"]),
        Tool::Yarn => inv.subcommand() == Some("global"),
        _ => false,
    }
}

/// What a command does, when it is a Node.js project command.
pub(super) fn node_command(cmd: &SimpleCommand) -> Option<NodeCommand> {
    let name = cmd.base_name();
    if name == "corepack" {
        return Some(NodeCommand::Setup);
    }
    if name == "npx" || name == "pnpx" {
        let tool = cmd.args.iter().find(|a| !a.starts_with('-'))?;
        let tool = tool.split('@').next().unwrap_or(tool);
        return BUILD_TOOLS.contains(&tool).then_some(NodeCommand::Build);
    }
    if BUILD_TOOLS.contains(&name) {
        // `next start`, `nest start` and `ng serve` do not build.
        let sub = cmd.args.first().map(String::as_str).unwrap_or_default();
        return (!matches!(sub, "start" | "serve" | "dev" | "lint" | "test" | "info"))
            .then_some(NodeCommand::Build);
    }
    let inv = recognise(cmd)?;
    let manager = match inv.tool {
        Tool::Npm => Manager::Npm,
        Tool::Yarn => Manager::YarnClassic,
        Tool::Pnpm => Manager::Pnpm,
        _ => return None,
    };
    let sub = inv.subcommand().unwrap_or_default().to_string();
    let ops = inv.operands();
    if is_global(&inv) {
        let packages = global_packages(&inv);
        let managers_only = packages.iter().all(|p| {
            let n = package_name(p);
            matches!(n, "npm" | "yarn" | "pnpm" | "corepack")
        });
        return Some(if managers_only {
            NodeCommand::Setup
        } else {
            NodeCommand::Global { packages }
        });
    }
    let prod_only = match inv.tool {
        Tool::Npm => {
            inv.flag_value(&["omit"]) == Some("dev")
                || inv
                    .flag_value(&["only"])
                    .is_some_and(|v| v.starts_with("prod"))
                || inv.has_flag(&["production"]) && inv.flag_value(&["production"]) != Some("false")
        }
        Tool::Yarn => {
            inv.has_flag(&["production", "prod"])
                && !matches!(inv.flag_value(&["production"]), Some("false"))
        }
        Tool::Pnpm => {
            inv.has_flag(&["prod", "P", "production"])
                && !matches!(inv.flag_value(&["prod", "production"]), Some("false"))
        }
        _ => false,
    };
    match (inv.tool, sub.as_str()) {
        (
            Tool::Npm,
            "ci" | "install" | "i" | "clean-install" | "install-clean" | "isntall" | "add",
        ) => Some(NodeCommand::Install { manager, prod_only }),
        (Tool::Yarn, "" | "install" | "add") => Some(NodeCommand::Install { manager, prod_only }),
        (Tool::Yarn, "workspaces") if ops.first() == Some(&"focus") => Some(NodeCommand::Install {
            manager: Manager::YarnBerry,
            prod_only,
        }),
        (Tool::Pnpm, "install" | "i" | "add") => Some(NodeCommand::Install { manager, prod_only }),
        (Tool::Npm | Tool::Pnpm, "prune") => Some(NodeCommand::Prune),
        (Tool::Npm | Tool::Yarn, "cache") => Some(NodeCommand::CacheClean),
        (Tool::Pnpm, "store") => Some(NodeCommand::CacheClean),
        (Tool::Yarn, "set" | "plugin" | "config") | (Tool::Npm | Tool::Pnpm, "config") => {
            Some(NodeCommand::Setup)
        }
        (Tool::Npm | Tool::Pnpm, "run" | "run-script" | "rum" | "urn") => {
            let script = ops.first().copied().unwrap_or_default();
            (!is_check_script(script)).then_some(NodeCommand::Build)
        }
        (Tool::Npm | Tool::Pnpm | Tool::Yarn, "exec" | "dlx") => {
            let tool = ops.first().copied().unwrap_or_default();
            BUILD_TOOLS.contains(&tool).then_some(NodeCommand::Build)
        }
        (Tool::Yarn, "run") => {
            let script = ops.first().copied().unwrap_or_default();
            (!is_check_script(script)).then_some(NodeCommand::Build)
        }
        (Tool::Yarn | Tool::Pnpm, s) if !NOT_SCRIPTS.contains(&s) && !is_check_script(s) => {
            if s.starts_with("start") || s == "serve" || s == "dev" || s == "preview" {
                None
            } else {
                Some(NodeCommand::Build)
            }
        }
        _ => None,
    }
}

/// A package name without a version (`@nestjs/cli@10` → `@nestjs/cli`).
pub(super) fn package_name(spec: &str) -> &str {
    match spec.strip_prefix('@') {
        Some(rest) => match rest.find('@') {
            Some(i) => spec.get(..i + 1).unwrap_or(spec),
            None => spec,
        },
        None => spec.split('@').next().unwrap_or(spec),
    }
}

/// The commands a globally installed package provides.
pub(super) fn package_bins(spec: &str) -> Vec<&str> {
    let name = package_name(spec);
    match name {
        "pm2" => vec!["pm2", "pm2-runtime", "pm2-docker", "pm2-dev"],
        "typescript" => vec!["tsc", "tsserver"],
        "@nestjs/cli" => vec!["nest"],
        "@angular/cli" => vec!["ng"],
        "@vue/cli" => vec!["vue"],
        "@vue/cli-service" => vec!["vue-cli-service"],
        n => vec![n.rsplit('/').next().unwrap_or(n)],
    }
}

/// A `RUN` that installs the project's dependencies.
#[derive(Debug, Clone)]
pub(super) struct InstallRun<'a> {
    /// The instruction.
    pub instruction: &'a Instruction,
    /// The install command.
    pub command: &'a SimpleCommand,
    /// The working directory it runs in (after any `cd` in the same `RUN`).
    pub dir: String,
    /// Whether it installs production dependencies only.
    pub prod_only: bool,
}

/// A global install of tools.
#[derive(Debug, Clone)]
pub(super) struct GlobalInstall<'a> {
    /// The instruction.
    pub instruction: &'a Instruction,
    /// The command.
    pub command: &'a SimpleCommand,
    /// The packages.
    pub packages: Vec<String>,
}

/// What the source stage does, as far as Node.js goes.
#[derive(Debug, Clone)]
pub(super) struct NodeFacts<'a> {
    /// The `node` base image, if it is one.
    pub image: Option<NodeImage>,
    /// The package manager.
    pub manager: Manager,
    /// Why restage thinks so.
    pub manager_evidence: Option<Evidence>,
    /// `RUN`s that install the project's dependencies.
    pub installs: Vec<InstallRun<'a>>,
    /// `RUN`s that build.
    pub builds: Vec<&'a Instruction>,
    /// Global tool installs.
    pub globals: Vec<GlobalInstall<'a>>,
    /// `RUN`s that only prune or clean caches.
    pub prune_only: Vec<&'a Instruction>,
    /// Whether a `package.json` or lockfile is copied.
    pub manifests: Vec<(usize, String)>,
}

/// Files that declare Node.js dependencies.
pub(super) const MANIFESTS: &[&str] = &[
    "package.json",
    "package*.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    ".pnpmfile.cjs",
    "bun.lockb",
];

/// The last path component.
pub(super) fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Whether a source path is a dependency manifest or lockfile.
pub(super) fn is_manifest(path: &str) -> bool {
    let b = base_name(path);
    MANIFESTS.contains(&b) || b.starts_with("package") && b.ends_with(".json")
}

/// Where `cd` in a `RUN` takes the commands after it.
fn dir_after_cd(start: &str, cmds: &[&SimpleCommand], upto: usize) -> String {
    let mut dir = start.to_string();
    for c in cmds.iter().take(upto) {
        if c.is("cd")
            && let Some(target) = c.args.first()
        {
            dir = join_workdir(Some(&dir), target);
        }
    }
    dir
}

/// The working directory before an instruction (`/` when none was set).
pub(super) fn workdir_of(i: &Instruction) -> String {
    i.context.workdir.as_deref().unwrap_or("/").to_string()
}

/// Reads the stage.
pub(super) fn facts<'a>(cx: &ConvertContext<'a>) -> NodeFacts<'a> {
    let mut installs = Vec::new();
    let mut builds = Vec::new();
    let mut globals = Vec::new();
    let mut prune_only = Vec::new();
    let mut manager: Option<(Manager, usize, String)> = None;
    let mut berry: Option<(usize, String)> = None;
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        let cmds: Vec<&SimpleCommand> = run.commands().filter(|c| !c.nested).collect();
        let mut only_prune = !cmds.is_empty();
        let mut built = false;
        for (k, c) in cmds.iter().enumerate() {
            let what = node_command(c);
            if !matches!(what, Some(NodeCommand::Prune | NodeCommand::CacheClean)) {
                only_prune = false;
            }
            if c.is("corepack") || c.is("yarn") {
                let words = c.args.join(" ");
                if c.is("yarn") && c.args.first().map(String::as_str) == Some("set")
                    || words.contains("yarn@")
                        && !words.contains("yarn@1")
                        && !words.contains("yarn@classic")
                {
                    berry.get_or_insert((i.start_line, "switches to Yarn 2+".into()));
                }
            }
            if c.is("yarn")
                && ["immutable", "immutable-cache", "check-cache", "mode"]
                    .iter()
                    .any(|f| c.has_flag(&[f]))
            {
                berry.get_or_insert((i.start_line, "uses Yarn 2+ flags (`--immutable`)".into()));
            }
            match what {
                Some(NodeCommand::Install {
                    manager: m,
                    prod_only,
                }) => {
                    manager.get_or_insert((m, i.start_line, c.name.clone()));
                    if m == Manager::YarnBerry {
                        berry.get_or_insert((i.start_line, "runs `yarn workspaces focus`".into()));
                    }
                    installs.push(InstallRun {
                        instruction: i,
                        command: c,
                        dir: dir_after_cd(&workdir_of(i), &cmds, k),
                        prod_only,
                    });
                }
                Some(NodeCommand::Global { packages }) => globals.push(GlobalInstall {
                    instruction: i,
                    command: c,
                    packages,
                }),
                Some(NodeCommand::Build) => built = true,
                _ => {}
            }
        }
        if built {
            builds.push(i);
        }
        if only_prune {
            prune_only.push(i);
        }
    }
    let mut manifests = Vec::new();
    for (i, _) in cx.copies() {
        for s in cx.copy_sources(i) {
            if is_manifest(&s) {
                manifests.push((i.start_line, s));
            }
        }
        if cx.copy_sources(i).iter().any(|s| {
            matches!(base_name(s), ".yarnrc.yml" | ".yarn") || s.contains(".yarn/releases")
        }) {
            berry.get_or_insert((i.start_line, "copies `.yarnrc.yml`/`.yarn`".into()));
        }
    }
    let mut evidence = None;
    let mut chosen = match &manager {
        Some((m, line, name)) => {
            evidence = Some(Evidence {
                line: *line,
                fact: format!("installs dependencies with {name}"),
            });
            *m
        }
        None => {
            // No install: the lockfile decides.
            let lock = manifests.iter().find_map(|(line, s)| match base_name(s) {
                "yarn.lock" => Some((Manager::YarnClassic, *line)),
                "pnpm-lock.yaml" => Some((Manager::Pnpm, *line)),
                _ => None,
            });
            match lock {
                Some((m, line)) => {
                    evidence = Some(Evidence {
                        line,
                        fact: format!("copies the {} lockfile", m.label()),
                    });
                    m
                }
                None => Manager::Npm,
            }
        }
    };
    if chosen == Manager::YarnClassic
        && let Some((line, why)) = berry
    {
        chosen = Manager::YarnBerry;
        evidence = Some(Evidence {
            line,
            fact: format!("Yarn Berry: {why}"),
        });
    }
    NodeFacts {
        image: NodeImage::of(cx),
        manager: chosen,
        manager_evidence: evidence,
        installs,
        builds,
        globals,
        prune_only,
        manifests,
    }
}

impl NodeFacts<'_> {
    /// The local installs in the project's directory (the first one's).
    pub(super) fn main_install(&self) -> Option<&InstallRun<'_>> {
        self.installs.first()
    }

    /// Whether a build step exists.
    pub(super) fn builds(&self) -> bool {
        !self.builds.is_empty()
    }
}

/// Evidence every Node.js strategy starts from: the `node` image, the
/// manifests, the installs. The score is 0 when nothing points at Node.js.
pub(super) fn node_evidence(cx: &ConvertContext<'_>, f: &NodeFacts<'_>) -> Detection {
    let mut d = Detection::default();
    if f.image.is_some() {
        d.add(
            10,
            cx.stage.line,
            format!("base image `{}` is Node.js", cx.stage.base_text),
        );
    } else if let Some((stage, image)) = node_parent(cx) {
        d.add(
            10,
            cx.stage.line,
            format!("builds on the stage `{stage}`, which starts from `{image}`"),
        );
    }
    if let Some((line, s)) = f.manifests.first() {
        d.add(5, *line, format!("copies the dependency manifest `{s}`"));
    }
    if let Some(install) = f.installs.first() {
        d.add(
            10,
            install.instruction.start_line,
            format!(
                "installs dependencies with `{}` on line {}",
                render_command(install.command),
                install.instruction.start_line
            ),
        );
    }
    if let Some(e) = &f.manager_evidence
        && f.manager != Manager::Npm
    {
        d.evidence.push(e.clone());
    }
    if let Some(b) = f.builds.first() {
        d.add(5, b.start_line, "runs a JavaScript build");
    }
    d
}

/// When the stage builds on an earlier stage (`FROM base`) that comes
/// from the `node` image: that stage's name and the image.
pub(super) fn node_parent(cx: &ConvertContext<'_>) -> Option<(String, String)> {
    let BaseImage::Stage { index } = cx.stage.base else {
        return None;
    };
    let parent = cx.model.stages.get(index)?;
    let mut current = parent;
    for _ in 0..cx.model.stages.len() {
        match &current.base {
            BaseImage::Image { reference, .. } => {
                return (ImageText::parse(reference).short_name() == "node").then(|| {
                    (
                        parent
                            .name_as_written
                            .clone()
                            .unwrap_or_else(|| parent.index.to_string()),
                        reference.clone(),
                    )
                });
            }
            BaseImage::Stage { index } => current = cx.model.stages.get(*index)?,
            BaseImage::Scratch => return None,
        }
    }
    None
}

/// Whether the stage is Node.js enough for a Node.js strategy: the `node`
/// image, or a JavaScript install in an image of no other language.
pub(super) fn is_node_stage(cx: &ConvertContext<'_>, f: &NodeFacts<'_>) -> bool {
    if f.image.is_some() || node_parent(cx).is_some() {
        return true;
    }
    let BaseImage::Image { reference, .. } = &cx.stage.base else {
        return false;
    };
    let short = ImageText::parse(reference).short_name().to_string();
    let other_language = [
        "python",
        "golang",
        "rust",
        "ruby",
        "php",
        "openjdk",
        "eclipse-temurin",
        "maven",
        "gradle",
        "sdk",
        "aspnet",
        "perl",
        "elixir",
        "composer",
        "amazoncorretto",
    ]
    .contains(&short.as_str());
    !other_language && !f.installs.is_empty()
}

/// Shell quoting for a word rebuilt from a parsed command (variables keep
/// expanding).
pub(super) fn quote_word(w: &str) -> String {
    if w.is_empty() {
        return "''".into();
    }
    let special = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '|' | '&'
                    | ';'
                    | '<'
                    | '>'
                    | '('
                    | ')'
                    | '\''
                    | '"'
                    | '`'
                    | '*'
                    | '?'
                    | '['
                    | ']'
                    | '#'
                    | '~'
                    | '{'
                    | '}'
                    | '\\'
                    | '!'
            )
    };
    if !w.chars().any(special) {
        return w.to_string();
    }
    if w.contains('$') {
        let mut out = String::from("\"");
        for c in w.chars() {
            if matches!(c, '"' | '\\' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// A command as shell text.
pub(super) fn render_command(c: &SimpleCommand) -> String {
    let mut words: Vec<String> = c
        .assignments
        .iter()
        .map(|(k, v)| format!("{k}={}", quote_word(v)))
        .collect();
    words.push(quote_word(&c.name));
    words.extend(c.args.iter().map(|a| quote_word(a)));
    words.join(" ")
}

/// Flags that only make sense for a full install.
fn is_dev_flag(arg: &str) -> bool {
    matches!(
        arg,
        "--include=dev"
            | "--production=false"
            | "--prod=false"
            | "--dev"
            | "-D"
            | "--also=dev"
            | "--also=development"
    )
}

/// The production-only form of an install command.
pub(super) fn prod_install(c: &SimpleCommand, manager: Manager, major: Option<u32>) -> String {
    let Some(inv) = recognise(c) else {
        return render_command(c);
    };
    let sub = inv.subcommand().unwrap_or_default().to_string();
    // Assignments that select development installs go.
    let assignments: Vec<String> = c
        .assignments
        .iter()
        .filter(|(k, _)| k != "NODE_ENV" && k != "NPM_CONFIG_PRODUCTION")
        .map(|(k, v)| format!("{k}={}", quote_word(v)))
        .collect();
    let mut words: Vec<String> = assignments;
    let args: Vec<String> = inv
        .line
        .args
        .iter()
        .filter(|a| !is_dev_flag(a))
        .map(|a| quote_word(a))
        .collect();
    match manager {
        Manager::YarnBerry => {
            words.push("yarn workspaces focus --all --production".into());
        }
        Manager::YarnClassic => {
            words.push(quote_word(&inv.line.name));
            if sub.is_empty() {
                words.push("install".into());
                words.push("--production".into());
                words.extend(args);
            } else {
                let mut args = args.into_iter();
                // The subcommand first, then the flag.
                for a in args.by_ref() {
                    let done = a == sub;
                    words.push(a);
                    if done {
                        break;
                    }
                }
                words.push("--production".into());
                words.extend(args);
            }
        }
        Manager::Npm | Manager::Pnpm => {
            words.push(quote_word(&inv.line.name));
            let flag = if manager == Manager::Npm {
                npm_omit_dev(major)
            } else {
                "--prod"
            };
            let mut args = args.into_iter();
            for a in args.by_ref() {
                let done = a == sub;
                words.push(a);
                if done {
                    break;
                }
            }
            words.push(flag.into());
            words.extend(args);
        }
    }
    words.join(" ")
}

/// Whether a command after the install is cleanup that belongs with it.
fn is_cleanup(c: &SimpleCommand) -> bool {
    if matches!(node_command(c), Some(NodeCommand::CacheClean)) {
        return true;
    }
    if let Some(inv) = recognise(c) {
        let sub = inv.subcommand().unwrap_or_default();
        return match inv.tool {
            Tool::Apk => sub == "del",
            Tool::AptGet | Tool::Apt => matches!(sub, "purge" | "remove" | "autoremove" | "clean"),
            _ => false,
        };
    }
    c.is("rm")
        && c.args.iter().filter(|a| !a.starts_with('-')).all(|a| {
            a.starts_with("/var/")
                || a.starts_with("/tmp")
                || a.starts_with("/root/")
                || a.starts_with("~/")
                || a.starts_with("$HOME")
        })
}

/// The `deps` stage's install `RUN`: what the source ran before the install
/// in the same `RUN` (system packages, `cd`, corepack), the install in its
/// production form, and the cleanup after it — no build, no prune.
/// Returns the text and where `node_modules` ends up (a `mv` may move it).
pub(super) fn deps_run(
    cx: &ConvertContext<'_>,
    install: &InstallRun<'_>,
    manager: Manager,
    major: Option<u32>,
    prod: bool,
) -> (String, String) {
    let i = install.instruction;
    let cmds: Vec<&SimpleCommand> = i
        .run
        .as_ref()
        .map(|r| r.commands().filter(|c| !c.nested).collect())
        .unwrap_or_default();
    let at = cmds
        .iter()
        .position(|c| std::ptr::eq(*c, install.command))
        .unwrap_or(0);
    let mut node_modules = join_workdir(Some(&install.dir), "node_modules");
    let mut parts: Vec<(usize, bool, String)> = Vec::new();
    let follows = follows_node_env_arg(cx, install, manager);
    for (k, c) in cmds.iter().enumerate() {
        let text = if k == at {
            if prod && !install.prod_only && !follows {
                prod_install(c, manager, major)
            } else {
                render_command(c)
            }
        } else if k < at {
            match node_command(c) {
                Some(NodeCommand::Build | NodeCommand::Prune) => continue,
                _ => render_command(c),
            }
        } else if is_cleanup(c) {
            if cx.options.cache_mounts && matches!(node_command(c), Some(NodeCommand::CacheClean)) {
                continue;
            }
            render_command(c)
        } else if c.is("mv") && c.args.iter().any(|a| base_name(a) == "node_modules") {
            if let Some(dest) = c.args.iter().rfind(|a| !a.starts_with('-')) {
                let dir = dir_after_cd(&workdir_of(i), &cmds, k);
                let dest = join_workdir(Some(&dir), dest);
                node_modules = if base_name(&dest) == "node_modules" {
                    dest
                } else {
                    join_workdir(Some(&dest), "node_modules")
                };
            }
            render_command(c)
        } else {
            continue;
        };
        parts.push((c.pipeline, c.piped, text));
    }
    // Commands of one pipeline are joined with `|`, pipelines with `&&`.
    let mut script = String::new();
    let mut last_pipeline = None;
    for (pipeline, piped, text) in parts {
        if let Some(p) = last_pipeline {
            if p == pipeline && piped {
                script.push_str(" | ");
            } else {
                script.push_str(&format!(" {}\n    && ", cx.escape()));
            }
        }
        script.push_str(&text);
        last_pipeline = Some(pipeline);
    }
    let flags = run_flags(cx, i);
    (format!("RUN {flags}{script}"), node_modules)
}

/// The `--mount`/`--network` flags of a `RUN`, as written, with a space after.
pub(super) fn run_flags(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map(|n| n.flags.iter().map(|f| format!("{f} ")).collect::<String>())
        .unwrap_or_default()
}

/// Adds the package manager's cache mount to a `RUN` text (after the
/// keyword) when `--cache-mounts` is on and the `RUN` has none for it.
pub(super) fn with_manager_cache(cx: &ConvertContext<'_>, text: &str, manager: Manager) -> String {
    let target = manager.cache_target(env_value(cx, "PNPM_HOME").as_deref());
    // A cache cleaned in the same `RUN` would empty the mount every time.
    let cleans = ["npm cache clean", "yarn cache clean", "pnpm store prune"]
        .iter()
        .any(|c| text.contains(c));
    if text.contains(&format!("target={target}")) || cleans {
        return text.to_string();
    }
    match text.split_once(' ') {
        Some((keyword, rest)) => format!("{keyword} --mount=type=cache,target={target} {rest}"),
        None => text.to_string(),
    }
}

/// What a `CMD`/`ENTRYPOINT` pair starts, wrappers removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Start {
    /// `node [flags] script [args]`.
    Node {
        /// Flags before the script.
        flags: Vec<String>,
        /// The script path.
        script: String,
        /// Arguments after it.
        args: Vec<String>,
    },
    /// A package-manager script (`npm start`, `yarn run serve`).
    Script {
        /// The package manager command.
        manager: String,
        /// The script name.
        script: String,
        /// Arguments after it.
        args: Vec<String>,
    },
    /// A command (`pm2-runtime`, `serve`, `next`, `nginx`, `ng`), `npx`
    /// removed.
    Tool {
        /// The command name (base name).
        name: String,
        /// Its arguments.
        args: Vec<String>,
        /// Whether it ran through `npx`.
        npx: bool,
    },
}

/// Wrappers in front of the program.
fn is_wrapper(word: &str) -> bool {
    matches!(
        base_name(word),
        "tini" | "dumb-init" | "docker-entrypoint.sh" | "exec" | "--" | "entrypoint.sh"
    )
}

/// Node flags that take the next word as their value.
const NODE_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "--env-file",
    "--title",
    "--inspect-port",
];

/// The words the container runs: `ENTRYPOINT` then `CMD` (exec form), the
/// shell-form command split on spaces, or what a shell's script runs
/// ([`super::shell_command`]): its program when it runs only one
/// (`sh -c "exec node dist/main.js"`), else the script split on spaces,
/// whose first command is then not taken for the server.
pub(super) fn start_words(cx: &ConvertContext<'_>) -> Vec<String> {
    if let Some(s) = super::shell_command::of_stage(cx).filter(|s| s.exec) {
        if let [p] = s.programs().as_slice() {
            return std::iter::once(p.name.clone())
                .chain(p.args.iter().cloned())
                .collect();
        }
        if !s.script.is_empty() {
            return s.script.split_whitespace().map(str::to_string).collect();
        }
    }
    let entry = cx.last(Keyword::Entrypoint);
    let cmd = cx.last(Keyword::Cmd);
    let mut words = Vec::new();
    for i in [entry, cmd].into_iter().flatten() {
        let (w, shell) = super::common::command_words(cx, i);
        words.extend(w);
        // A shell-form ENTRYPOINT ignores CMD.
        if shell && i.keyword == Keyword::Entrypoint {
            break;
        }
    }
    words
}

/// Reads what starts.
pub(super) fn start(cx: &ConvertContext<'_>) -> Option<Start> {
    let words = start_words(cx);
    let mut rest: &[String] = &words;
    while let Some((first, tail)) = rest.split_first() {
        if is_wrapper(first) || first.starts_with('-') && rest.len() != words.len() {
            rest = tail;
        } else {
            break;
        }
    }
    // Shell operators end the command (`node a.js && ...`).
    let end = rest
        .iter()
        .position(|w| matches!(w.as_str(), "&&" | "||" | ";" | "|"))
        .unwrap_or(rest.len());
    let rest = rest.get(..end).unwrap_or(rest);
    let (first, tail) = rest.split_first()?;
    let name = base_name(first).to_string();
    match name.as_str() {
        "node" | "nodejs" => {
            let mut flags = Vec::new();
            let mut it = tail.iter();
            while let Some(w) = it.next() {
                if w.starts_with('-') {
                    flags.push(w.clone());
                    if NODE_VALUE_FLAGS.contains(&w.as_str())
                        && let Some(v) = it.next()
                    {
                        flags.push(v.clone());
                    }
                    continue;
                }
                return Some(Start::Node {
                    flags,
                    script: w.clone(),
                    args: it.cloned().collect(),
                });
            }
            None
        }
        "npm" | "yarn" | "pnpm" => {
            let mut it = tail.iter().filter(|w| !w.starts_with('-'));
            let first = it.next().cloned().unwrap_or_default();
            let (script, args) = if matches!(first.as_str(), "run" | "run-script") {
                (
                    it.next().cloned().unwrap_or_default(),
                    it.cloned().collect(),
                )
            } else {
                (first, it.cloned().collect())
            };
            Some(Start::Script {
                manager: name,
                script,
                args,
            })
        }
        "npx" | "pnpx" => {
            let mut it = tail.iter().skip_while(|w| w.starts_with('-'));
            let tool = it.next()?;
            Some(Start::Tool {
                name: base_name(package_name(tool)).to_string(),
                args: it.cloned().collect(),
                npx: true,
            })
        }
        _ => Some(Start::Tool {
            name,
            args: tail.to_vec(),
            npx: false,
        }),
    }
}

/// The directory a script runs from, relative to the working directory
/// (`dist/main.js` → `dist`, `/app/build/index.js` in `/app` → `build`).
pub(super) fn top_dir(script: &str, workdir: &str) -> Option<String> {
    let rel = if script.starts_with('/') {
        let wd = workdir.trim_end_matches('/');
        script.strip_prefix(wd)?.strip_prefix('/')?
    } else {
        script.trim_start_matches("./")
    };
    let (dir, _) = rel.split_once('/')?;
    (!dir.is_empty() && dir != ".." && !dir.contains('$')).then(|| dir.to_string())
}

/// Whether the start command runs development tooling that production
/// dependencies lack.
pub(super) fn dev_runner(start: &Option<Start>) -> Option<String> {
    match start {
        Some(Start::Tool { name, .. })
            if matches!(
                name.as_str(),
                "ts-node" | "tsx" | "nodemon" | "babel-node" | "ts-node-dev" | "vite"
            ) =>
        {
            Some(format!("`{name}`"))
        }
        Some(Start::Tool { name, args, .. })
            if name == "nest"
                && args.first().is_some_and(|a| a == "start")
                && !args.iter().any(|a| a == "--prod") =>
        {
            Some("`nest start` (it compiles with the Nest CLI)".into())
        }
        Some(Start::Script {
            manager, script, ..
        }) if script == "dev" || script.starts_with("dev:") || script == "watch" => {
            Some(format!("`{manager} run {script}`"))
        }
        Some(Start::Node { flags, .. })
            if flags.iter().any(|f| {
                f.contains("ts-node") || f.contains("tsx") || f.starts_with("--watch")
            }) =>
        {
            Some("`node` with a TypeScript loader or `--watch`".into())
        }
        _ => None,
    }
}

/// System packages the runtime stage needs: what the source installed
/// that is not build-only, with the runtime library of each `-dev`
/// package; Python and git, which only node-gyp and git dependencies use
/// while installing, are left out.
pub(super) fn runtime_package_list(
    cx: &ConvertContext<'_>,
    source: Distro,
    runtime: Distro,
    skip: &[&str],
) -> Option<super::common::RuntimePackages> {
    let mut list = super::common::runtime_package_list(cx, source, runtime)?;
    const GYP: &[&str] = &[
        "python3",
        "python",
        "python-is-python3",
        "python3-minimal",
        "py3-pip",
        "python3-pip",
        "python3-setuptools",
        "py3-setuptools",
        "python3-distutils",
        "node-gyp",
        "git",
        "openssh-client",
    ];
    list.packages.retain(|p| {
        let name = crate::knowledge::packages::package_name(p);
        !GYP.contains(&name) && !skip.contains(&name)
    });
    if list.packages.is_empty() {
        return None;
    }
    Some(list)
}

/// Which `RUN`s install system packages that the install or build needs.
pub(super) fn system_runs<'a>(cx: &ConvertContext<'a>) -> Vec<&'a Instruction> {
    cx.instructions()
        .filter(|i| i.keyword == Keyword::Run && classify_run(i).system.is_some())
        .collect()
}

/// Commands safe to repeat in a runtime stage: users, directories, permissions.
pub(super) fn is_runtime_setup(i: &Instruction) -> bool {
    let Some(run) = &i.run else { return false };
    classify_run(i).setup_only
        && run.commands().all(|c| {
            matches!(
                c.base_name(),
                "useradd"
                    | "adduser"
                    | "groupadd"
                    | "addgroup"
                    | "usermod"
                    | "mkdir"
                    | "chown"
                    | "chmod"
                    | "chgrp"
                    | "ln"
                    | "true"
                    | "set"
                    | "touch"
                    | ""
            )
        })
}

/// Whether the install takes `NODE_ENV` from a build argument
/// (`ARG NODE_ENV=production` + `ENV NODE_ENV $NODE_ENV` before it) with a
/// manager that leaves development dependencies out when it is
/// `production` (npm, Yarn 1, pnpm): the install is then kept as written,
/// so that the build argument keeps choosing.
pub(super) fn follows_node_env_arg(
    cx: &ConvertContext<'_>,
    install: &InstallRun<'_>,
    manager: Manager,
) -> bool {
    if manager == Manager::YarnBerry {
        return false;
    }
    let mut value: Option<String> = None;
    for i in cx
        .instructions()
        .take_while(|i| !std::ptr::eq(*i, install.instruction))
    {
        if let Some(CommandKind::Env(pairs)) = i.kind() {
            for kv in pairs.iter().filter(|kv| kv.key == "NODE_ENV") {
                value = Some(kv.value.clone());
            }
        }
    }
    value.is_some_and(|v| v.contains('$'))
}

/// The `deps` stage's items: the source stage up to its install, with the
/// install in its production form. `system` says whether system-package
/// `RUN`s are kept (native builds), `prod` whether the install becomes
/// production-only.
pub(super) fn deps_items(
    cx: &ConvertContext<'_>,
    f: &NodeFacts<'_>,
    install: &InstallRun<'_>,
    system: bool,
    prod: bool,
) -> (Vec<Item>, String) {
    let mut items = Vec::new();
    let major = f.image.as_ref().and_then(|im| im.major);
    let mut node_modules = String::new();
    for i in cx.instructions() {
        if std::ptr::eq(i, install.instruction) {
            let (mut text, nm) = deps_run(cx, install, f.manager, major, prod);
            node_modules = nm;
            if cx.options.cache_mounts {
                text = with_manager_cache(cx, &text, f.manager);
            }
            let follows = follows_node_env_arg(cx, install, f.manager);
            let summary = if follows && prod && !install.prod_only {
                "Dependencies follow `NODE_ENV`, as before"
            } else if prod && !install.prod_only {
                "Production dependencies only"
            } else {
                "Dependencies installed"
            };
            let reason = if follows && prod && !install.prod_only {
                "`NODE_ENV` comes from a build argument, and the install leaves development dependencies out when it is `production`; the install is kept as written so that `--build-arg NODE_ENV=development` still installs them".to_string()
            } else if prod && !install.prod_only {
                "the runtime image gets this `node_modules`: without development dependencies (compilers, type definitions, test and lint tools) it is a fraction of the size".to_string()
            } else {
                "the runtime image gets this `node_modules`".to_string()
            };
            items.push(add(
                text,
                ChangeKind::Add,
                summary,
                reason,
                vec![i.start_line],
            ));
            break;
        }
        match i.keyword {
            Keyword::Arg | Keyword::Env | Keyword::Workdir => items.push(keep_quiet(i)),
            Keyword::Copy | Keyword::Add => items.push(keep_quiet(i)),
            Keyword::Run => {
                let facts = classify_run(i);
                if facts.system.is_some() {
                    if system {
                        items.push(keep_quiet(i));
                    }
                    continue;
                }
                let builds = f.builds.iter().any(|b| std::ptr::eq(*b, i));
                if !builds {
                    items.push(keep_quiet(i));
                }
            }
            _ => {}
        }
    }
    (items, node_modules)
}

/// The `builder` stage's items: the source stage without its runtime
/// behaviour and `USER` (builds run as root), cache mounts added to
/// installs when asked, stand-alone prune `RUN`s left out when `drop_prune`.
/// `skip` leaves out more `RUN`s (a web server the runtime image replaces);
/// `append` goes at the end (a build the source did not run).
pub(super) fn builder_items(
    cx: &ConvertContext<'_>,
    f: &NodeFacts<'_>,
    drop_prune: bool,
    skip: &dyn Fn(&Instruction) -> bool,
    append: Vec<Item>,
    notes: &mut Vec<ChangeSpec>,
) -> Vec<Item> {
    let mut items = Vec::new();
    for i in cx.instructions() {
        if is_runtime_behaviour(i.keyword) && i.keyword != Keyword::Env
            || i.keyword == Keyword::User
        {
            continue;
        }
        if i.keyword == Keyword::Run {
            if drop_prune && f.prune_only.iter().any(|p| std::ptr::eq(*p, i)) {
                notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    "Pruning is left out of the builder",
                    "the runtime stage takes production dependencies from the `deps` stage",
                    vec![i.start_line],
                ));
                continue;
            }
            if skip(i) {
                continue;
            }
            let installs = f
                .installs
                .iter()
                .any(|ins| std::ptr::eq(ins.instruction, i));
            if installs && cx.options.cache_mounts {
                let text = cx
                    .node(i)
                    .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                    .unwrap_or_default();
                let with = with_manager_cache(cx, &text, f.manager);
                if with != text {
                    items.push(Item::Rewrite {
                        node: i.node,
                        text: with,
                        change: ChangeSpec::new(
                            ChangeKind::CacheMount,
                            format!("{} downloads go to a cache mount", f.manager.label()),
                            "the package cache survives between builds and stays out of the layer",
                            vec![i.start_line],
                        ),
                    });
                    continue;
                }
            }
            let builds = f.builds.iter().any(|b| std::ptr::eq(*b, i));
            if builds {
                items.push(keep(
                    i,
                    ChangeKind::Move,
                    "The build runs in the builder stage",
                    "development dependencies and build tools stay out of the runtime image",
                ));
                continue;
            }
        }
        items.push(keep_quiet(i));
    }
    items.extend(append);
    trim_after_last_run(cx, &mut items);
    items
}

/// A refusal for the Node.js ecosystems.
pub(super) fn refuse(eco: Ecosystem, reason: impl Into<String>) -> Refusal {
    Refusal::new(Some(eco), reason)
}

/// The `--chown` the source gave the application's files, if any.
pub(super) fn source_chown(cx: &ConvertContext<'_>) -> Option<String> {
    cx.instructions().find_map(|i| match i.kind() {
        Some(CommandKind::Copy(c)) if c.from.is_none() => c.chown.clone(),
        Some(CommandKind::Add(a)) => a.chown.clone(),
        _ => None,
    })
}

/// A port flag's value in a command (`-l 3000`, `--port=8080`,
/// `-l tcp://0.0.0.0:3000`).
pub(super) fn port_flag(args: &[String], names: &[&str]) -> Option<u16> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if let Some((flag, v)) = a.split_once('=') {
            names.contains(&flag).then(|| v.to_string())
        } else if names.contains(&a.as_str()) {
            it.next().cloned()
        } else {
            None
        };
        if let Some(v) = value {
            let digits = v.rsplit(':').next().unwrap_or(&v);
            if let Ok(p) = digits.parse() {
                return Some(p);
            }
        }
    }
    None
}

/// The value of an `ENV` variable set in the stage (last one wins).
pub(super) fn env_value(cx: &ConvertContext<'_>, name: &str) -> Option<String> {
    let mut value = None;
    for i in cx.instructions() {
        if let Some(CommandKind::Env(pairs)) = i.kind() {
            for kv in pairs {
                if kv.key == name {
                    value = Some(kv.value.trim_matches('"').to_string());
                }
            }
        }
    }
    value
}

/// The ports of the stage's `EXPOSE`s.
pub(super) fn exposed(cx: &ConvertContext<'_>) -> Vec<u16> {
    cx.with_keyword(Keyword::Expose)
        .flat_map(|i| match (&i.expanded, i.kind()) {
            (_, Some(CommandKind::Expose(ports))) => ports.clone(),
            _ => Vec::new(),
        })
        .filter_map(|p| p.split('/').next().and_then(|n| n.parse().ok()))
        .collect()
}

/// Commands the container runs (`HEALTHCHECK`, `CMD`, `ENTRYPOINT`) that
/// the source image has and the runtime image lacks (`curl` is in the
/// full `node` image, not in slim or Alpine), as packages to install, with
/// the line that uses each.
pub(super) fn missing_tools(
    cx: &ConvertContext<'_>,
    image: &NodeImage,
    runtime: Distro,
) -> Vec<(String, usize)> {
    let has = |distro: Distro, full: bool, tool: &str| match tool {
        "curl" => full && distro != Distro::Alpine,
        "wget" => full || distro == Distro::Alpine,
        "bash" => distro != Distro::Alpine,
        _ => false,
    };
    let mut out: Vec<(String, usize)> = Vec::new();
    for i in cx.instructions().filter(|i| {
        matches!(
            i.keyword,
            Keyword::Healthcheck | Keyword::Cmd | Keyword::Entrypoint
        )
    }) {
        let text = cx.node(i).map(|n| n.args.join(" ")).unwrap_or_default();
        for tool in ["curl", "wget", "bash"] {
            let used = text
                .split(|c: char| {
                    c.is_whitespace()
                        || matches!(c, '"' | '\'' | '[' | ']' | ',' | ';' | '&' | '|' | '(')
                })
                .any(|w| w == tool || w.ends_with(&format!("/{tool}")));
            if used
                && has(image.distro, !image.small, tool)
                && !has(runtime, false, tool)
                && !out.iter().any(|(t, _)| t == tool)
            {
                out.push((tool.to_string(), i.start_line));
            }
        }
    }
    out
}

/// Whether the build runs `prisma generate`.
pub(super) fn prisma(cx: &ConvertContext<'_>) -> bool {
    cx.instructions().any(prisma_generates)
}

/// The line of a `CMD`/`ENTRYPOINT` that runs the Prisma CLI
/// (`npx prisma migrate deploy && node dist/server.js`).
pub(super) fn prisma_at_start(cx: &ConvertContext<'_>) -> Option<usize> {
    cx.instructions()
        .filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        .find(|i| {
            cx.node(i).is_some_and(|n| {
                n.args.iter().any(|a| {
                    a.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/'))
                        .any(|w| w == "prisma")
                })
            })
        })
        .map(|i| i.start_line)
}

/// The packages Prisma's query engine needs on a slim Debian runtime
/// (`openssl`, which the full `node` image had and `node:*-slim` has not;
/// `ca-certificates` for TLS to the database), with the lines that show the
/// project uses Prisma. `None` unless the project uses Prisma and the
/// runtime is a slim Debian image while the source was not.
pub(super) fn prisma_packages(
    cx: &ConvertContext<'_>,
    image: &NodeImage,
    runtime: Distro,
) -> Option<(Vec<String>, Vec<usize>)> {
    if runtime == Distro::Alpine || image.small || image.distro == Distro::Alpine {
        return None;
    }
    let generate = cx
        .instructions()
        .find(|i| prisma_generates(i))
        .map(|i| i.start_line);
    let lines: Vec<usize> = generate.into_iter().chain(prisma_at_start(cx)).collect();
    (!lines.is_empty()).then(|| {
        (
            vec!["openssl".to_string(), "ca-certificates".to_string()],
            lines,
        )
    })
}

/// Whether a `RUN` runs `prisma generate`.
fn prisma_generates(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().any(|c| {
            (c.is("prisma") || c.args.first().is_some_and(|a| a == "prisma"))
                && c.args.iter().any(|a| a == "generate")
        })
    })
}

/// `CMD`/`ENTRYPOINT` rewrites for a package-manager script the runtime
/// image cannot run: pnpm and Yarn Berry (and Yarn from Node.js 25, whose
/// images ship none) are not in it, npm is and runs the same package.json
/// script. Each is the node index, the new text, a summary and a reason.
pub(super) fn script_via_npm(
    cx: &ConvertContext<'_>,
    f: &NodeFacts<'_>,
    st: &Option<Start>,
) -> Vec<(usize, String, String, String)> {
    let mut out = Vec::new();
    let no_yarn = f.manager == Manager::YarnBerry
        || f.image
            .as_ref()
            .and_then(|im| im.major)
            .is_some_and(|m| m >= 25);
    if let Some(Start::Script { manager, .. }) = st
        && (manager == "pnpm" || manager == "yarn" && no_yarn)
    {
        for i in cx
            .with_keyword(Keyword::Cmd)
            .chain(cx.with_keyword(Keyword::Entrypoint))
        {
            let (words, shell) = super::common::command_words(cx, i);
            let Some(pos) = words.iter().position(|w| w == manager) else {
                continue;
            };
            let mut new = words.clone();
            let rest: Vec<String> = new.split_off(pos + 1);
            new.pop();
            new.push("npm".into());
            let sub = rest.first().cloned().unwrap_or_default();
            let mut rest = rest.into_iter();
            if sub == "run" || sub == "run-script" {
                new.extend(rest.by_ref().take(2));
            } else if sub == "start" {
                new.extend(rest.by_ref().take(1));
            } else {
                new.push("run".into());
                new.extend(rest.by_ref().take(1));
            }
            let args: Vec<String> = rest.collect();
            if !args.is_empty() && args.first().map(String::as_str) != Some("--") {
                new.push("--".into());
            }
            new.extend(args);
            let keyword = if i.keyword == Keyword::Cmd {
                "CMD"
            } else {
                "ENTRYPOINT"
            };
            let text = if shell {
                format!(
                    "{keyword} {}",
                    new.iter()
                        .map(|w| quote_word(w))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                match super::common::exec_form(&new) {
                    Some(j) => format!("{keyword} {j}"),
                    None => continue,
                }
            };
            out.push((
                i.node,
                text,
                format!("`{manager}` became `npm`"),
                format!("{manager} is not in the runtime image (only npm ships with every Node.js image); `npm` runs the same package.json script"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shell::{Script, ScriptKind};

    fn cmd(text: &str) -> SimpleCommand {
        let script = Script::parse(text, ScriptKind::Shell);
        script
            .commands
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no command in {text}"))
    }

    #[test]
    fn majors_and_variants() {
        assert_eq!(major_of(Some("20-alpine")), Some(20));
        assert_eq!(major_of(Some("20.11.1-bookworm-slim")), Some(20));
        assert_eq!(major_of(Some("iron-alpine")), Some(20));
        assert_eq!(major_of(Some("lts")), None);
        assert_eq!(major_of(None), None);
        let image = |raw: &str| NodeImage {
            raw: ImageText::parse(raw),
            resolved: ImageText::parse(raw),
            major: major_of(ImageText::parse(raw).tag.as_deref()),
            distro: ImageText::parse(raw).distro(),
            small: ImageText::parse(raw).is_small_variant(),
        };
        assert_eq!(image("node:20").slim(), "node:20-slim");
        assert_eq!(image("node:20-bookworm").slim(), "node:20-bookworm-slim");
        assert_eq!(image("node:lts").slim(), "node:lts-slim");
        assert_eq!(image("node").slim(), "node:slim");
        assert_eq!(image("node:20-alpine").slim(), "node:20-alpine");
        assert_eq!(image("node:${NODE}").slim(), "node:${NODE}-slim");
        assert_eq!(image("node:20-bookworm").alpine_variant(), "node:20-alpine");
        assert_eq!(image("node:lts").alpine_variant(), "node:lts-alpine");
        assert_eq!(
            image("node:20-alpine3.19").debian(false),
            "node:20-bookworm"
        );
        assert_eq!(image("node:22-trixie").debian(true), "node:22-trixie-slim");
        assert_eq!(
            image("node:22").distroless(),
            Ok("gcr.io/distroless/nodejs22-debian12:nonroot".into())
        );
        assert!(image("node:21").distroless().is_err());
        assert!(image("node:lts").distroless().is_err());
    }

    #[test]
    fn commands() {
        let install = |m, prod_only| {
            Some(NodeCommand::Install {
                manager: m,
                prod_only,
            })
        };
        assert_eq!(node_command(&cmd("npm ci")), install(Manager::Npm, false));
        assert_eq!(
            node_command(&cmd("npm ci --omit=dev")),
            install(Manager::Npm, true)
        );
        assert_eq!(
            node_command(&cmd("npm install --production")),
            install(Manager::Npm, true)
        );
        assert_eq!(
            node_command(&cmd("yarn --frozen-lockfile")),
            install(Manager::YarnClassic, false)
        );
        assert_eq!(
            node_command(&cmd("pnpm i --frozen-lockfile")),
            install(Manager::Pnpm, false)
        );
        assert_eq!(
            node_command(&cmd("npm install -g pm2")),
            Some(NodeCommand::Global {
                packages: vec!["pm2".into()]
            })
        );
        assert_eq!(
            node_command(&cmd("npm i -g pnpm@9")),
            Some(NodeCommand::Setup)
        );
        assert_eq!(
            node_command(&cmd("yarn global add serve")),
            Some(NodeCommand::Global {
                packages: vec!["serve".into()]
            })
        );
        assert_eq!(
            node_command(&cmd("npm run build")),
            Some(NodeCommand::Build)
        );
        assert_eq!(node_command(&cmd("npm run test")), None);
        assert_eq!(node_command(&cmd("yarn build")), Some(NodeCommand::Build));
        assert_eq!(node_command(&cmd("npx tsc -p .")), Some(NodeCommand::Build));
        assert_eq!(node_command(&cmd("tsc")), Some(NodeCommand::Build));
        assert_eq!(node_command(&cmd("next start")), None);
        assert_eq!(
            node_command(&cmd("npm prune --production")),
            Some(NodeCommand::Prune)
        );
        assert_eq!(
            node_command(&cmd("npm cache clean --force")),
            Some(NodeCommand::CacheClean)
        );
        assert_eq!(
            node_command(&cmd("corepack enable")),
            Some(NodeCommand::Setup)
        );
    }

    #[test]
    fn production_installs() {
        let p = |t: &str, m| prod_install(&cmd(t), m, Some(20));
        assert_eq!(p("npm ci", Manager::Npm), "npm ci --omit=dev");
        assert_eq!(
            p("npm ci --include=dev --no-audit", Manager::Npm),
            "npm ci --omit=dev --no-audit"
        );
        assert_eq!(
            prod_install(&cmd("npm install"), Manager::Npm, Some(12)),
            "npm install --production"
        );
        assert_eq!(
            p("yarn --frozen-lockfile", Manager::YarnClassic),
            "yarn install --production --frozen-lockfile"
        );
        assert_eq!(
            p("yarn install --frozen-lockfile", Manager::YarnClassic),
            "yarn install --production --frozen-lockfile"
        );
        assert_eq!(
            p("yarn install --immutable", Manager::YarnBerry),
            "yarn workspaces focus --all --production"
        );
        assert_eq!(
            p("pnpm install --frozen-lockfile", Manager::Pnpm),
            "pnpm install --prod --frozen-lockfile"
        );
        assert_eq!(
            p("NODE_ENV=development npm ci", Manager::Npm),
            "npm ci --omit=dev"
        );
        assert_eq!(Manager::Npm.prune(Some(20)), "npm prune --omit=dev");
    }

    #[test]
    fn words() {
        assert_eq!(quote_word("a b"), "'a b'");
        assert_eq!(quote_word("$X"), "$X");
        assert_eq!(quote_word("${X} y"), "\"${X} y\"");
        assert_eq!(quote_word(""), "''");
        assert_eq!(top_dir("dist/main.js", "/app"), Some("dist".into()));
        assert_eq!(top_dir("./build/index.js", "/app"), Some("build".into()));
        assert_eq!(top_dir("/app/dist/index.js", "/app"), Some("dist".into()));
        assert_eq!(top_dir("server.js", "/app"), None);
        assert_eq!(package_name("@nestjs/cli@10"), "@nestjs/cli");
        assert_eq!(package_name("pm2@5"), "pm2");
        assert_eq!(
            port_flag(&["-l".into(), "tcp://0.0.0.0:3000".into()], &["-l"]),
            Some(3000)
        );
        assert_eq!(port_flag(&["--port=8080".into()], &["--port"]), Some(8080));
    }
}
