//! Node.js services (npm, Yarn classic and Berry, pnpm): a `builder` stage
//! with every dependency runs the build (TypeScript, Nest, bundlers), a
//! `deps` stage installs production dependencies only, and the `runtime`
//! stage is the slim (or Alpine, as the source) image of the same Node.js
//! with `node_modules` from `deps`, the build output from `builder` and
//! `package.json`, running as the image's `node` user with
//! `NODE_ENV=production`. Without a build step there is no builder. When
//! the build output cannot be told from the start command, the builder
//! prunes development dependencies and the runtime stage takes the whole
//! application directory. Compilers and headers for native modules stay in
//! the install stages; the runtime libraries of `-dev` packages go to the
//! runtime stage. `--runtime distroless` runs on distroless Node.js, whose
//! entrypoint is `node`, so `CMD` becomes the script path.

use super::common::{add, install_command, keep, keep_quiet, user_items};
use super::node_support::{
    GlobalInstall, Manager, NodeFacts, NodeImage, Start, base_name, builder_items, deps_items,
    dev_runner, env_value, facts, is_manifest, is_node_stage, is_runtime_setup, missing_tools,
    node_evidence, package_bins, refuse, render_command, runtime_package_list, script_via_npm,
    source_chown, start, system_runs, top_dir, workdir_of,
};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::{Instruction, join_workdir};

/// The strategy.
pub struct NodeApi;

const ECO: Ecosystem = Ecosystem::Node;

/// Directory names builds write their output to.
const OUTPUT_DIRS: &[&str] = &[
    "dist",
    "build",
    "out",
    "lib",
    "output",
    ".output",
    "dist-server",
    "server-dist",
    ".build",
    "bundle",
];

/// Files and directories only the build reads.
fn is_build_input(path: &str) -> bool {
    let b = base_name(path);
    let globbed = |p: &str| crate::convert::context::glob_match(p, b);
    matches!(
        b,
        "src"
            | "test"
            | "tests"
            | "__tests__"
            | "nest-cli.json"
            | ".yarn"
            | ".pnp.cjs"
            | ".pnp.loader.mjs"
            | ".swcrc"
            | ".babelrc"
            | "turbo.json"
            | "nx.json"
            | ".browserslistrc"
    ) || [
        "tsconfig*.json",
        "*.ts",
        "*.tsx",
        "babel.config.*",
        "webpack.config.*",
        "rollup.config.*",
        "vite.config.*",
        "tsup.config.*",
        "esbuild.*",
        ".eslintrc*",
        "eslint.config.*",
        ".prettierrc*",
        "jest.config.*",
        "vitest.config.*",
        "postcss.config.*",
        "tailwind.config.*",
    ]
    .iter()
    .any(|p| globbed(p))
}

/// How the runtime stage gets the application.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Output {
    /// No build: the source files, as the source copied them.
    Source,
    /// The build writes this directory (absolute).
    Dir(String),
    /// The output is not knowable: the whole application directory,
    /// pruned in the builder.
    WholeApp(String),
}

/// The runtime image.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Runtime {
    image: String,
    distro: Distro,
    distroless: bool,
    why: String,
}

fn choose_runtime(
    cx: &ConvertContext<'_>,
    image: &NodeImage,
) -> Result<Runtime, crate::convert::Refusal> {
    let debian = |code: &str| {
        if code == "trixie" {
            Distro::Trixie
        } else {
            Distro::Bookworm
        }
    };
    Ok(match cx.options.runtime {
        RuntimePreference::Scratch => {
            return Err(refuse(
                ECO,
                "a Node.js application needs the Node.js runtime, so it cannot run on `scratch` (use --runtime distroless for the smallest image)",
            ));
        }
        RuntimePreference::Distroless => Runtime {
            image: image.distroless().map_err(|e| refuse(ECO, e))?,
            distro: debian(image.codename()),
            distroless: true,
            why: "distroless Node.js has node and its libraries only: no shell, no package manager (its entrypoint is `node`)".into(),
        },
        RuntimePreference::Alpine => Runtime {
            image: image.alpine_variant(),
            distro: Distro::Alpine,
            distroless: false,
            why: "the Alpine image of the same Node.js has no compilers or headers".into(),
        },
        RuntimePreference::Slim if image.alpine() => Runtime {
            image: image.debian(true),
            distro: debian(image.codename()),
            distroless: false,
            why: "the Debian slim image of the same Node.js has no compilers or headers".into(),
        },
        RuntimePreference::Auto | RuntimePreference::Slim => {
            let img = image.slim();
            let why = if image.alpine() {
                "the same Alpine image: it has no compilers or headers, and only the artifacts go into it".to_string()
            } else if image.small {
                "the same slim image: only the artifacts go into it".to_string()
            } else {
                "the slim image of the same Node.js has no compilers, headers or Python (about 80 MB compressed instead of about 400 MB for the full `node` image)".to_string()
            };
            Runtime {
                image: img,
                distro: if image.alpine() {
                    Distro::Alpine
                } else {
                    image.distro
                },
                distroless: false,
                why,
            }
        }
    })
}

/// Where the build writes its output, from the start command or the
/// build's flags.
fn output_dir(f: &NodeFacts<'_>, st: &Option<Start>, wd: &str) -> Option<String> {
    let from_start = match st {
        Some(Start::Node { script, .. }) => top_dir(script, wd),
        Some(Start::Tool { name, args, .. }) if name.starts_with("pm2") => args
            .iter()
            .find(|a| {
                !a.starts_with('-')
                    && (a.ends_with(".js") || a.ends_with(".cjs") || a.ends_with(".mjs"))
            })
            .and_then(|s| top_dir(s, wd)),
        _ => None,
    };
    // `tsc --outDir x`, `nest build` (dist).
    let mut from_build = None;
    for b in &f.builds {
        let Some(run) = &b.run else { continue };
        for c in run.commands() {
            let words: Vec<&str> = std::iter::once(c.base_name())
                .chain(c.args.iter().map(String::as_str))
                .collect();
            if let Some(k) = words
                .iter()
                .position(|w| *w == "--outDir" || *w == "--outdir")
                && let Some(v) = words.get(k + 1)
            {
                from_build = top_dir(&format!("{}/x", v.trim_end_matches('/')), wd)
                    .or_else(|| Some(v.trim_start_matches("./").trim_end_matches('/').to_string()));
            }
            if words.windows(2).any(|w| w == ["nest", "build"]) {
                from_build.get_or_insert_with(|| "dist".into());
            }
        }
    }
    let dir = match (from_start, from_build) {
        (Some(s), Some(b)) if s == b => Some(s),
        (Some(_), Some(_)) => None,
        (Some(s), None) if OUTPUT_DIRS.contains(&s.as_str()) => Some(s),
        (None, Some(b)) if !matches!(st, Some(Start::Node { .. })) => Some(b),
        _ => None,
    }?;
    // Files node preloads (`-r ./tracing.js`) must be in the output too.
    if let Some(Start::Node { flags, .. }) = st {
        let mut it = flags.iter();
        while let Some(flag) = it.next() {
            let value = match flag.split_once('=') {
                Some((name, v)) if PRELOAD.contains(&name) => Some(v.to_string()),
                None if PRELOAD.contains(&flag.as_str()) => it.next().cloned(),
                _ => None,
            };
            if let Some(v) = value {
                let local = v.starts_with('.') || v.starts_with('/');
                if local && top_dir(&v, wd).as_deref() != Some(dir.as_str()) {
                    return None;
                }
            }
        }
    }
    Some(dir)
}

/// Node flags that load a file before the script.
const PRELOAD: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
];

/// The application directory of the whole-app copy: the install
/// directory when the working directory is inside it.
fn app_root(wd: &str, install_dir: &str) -> String {
    if wd == install_dir || wd.starts_with(&format!("{}/", install_dir.trim_end_matches('/'))) {
        install_dir.to_string()
    } else {
        wd.to_string()
    }
}

/// A `COPY --from` with an optional `--chown`.
fn copy_from(stage: &str, chown: &Option<String>, src: &str, dest: &str) -> String {
    match chown {
        Some(c) => format!("COPY --from={stage} --chown={c} {src} {dest}"),
        None => format!("COPY --from={stage} {src} {dest}"),
    }
}

/// The destination of a copy of absolute `path`, relative when the
/// current working directory is its parent.
fn dest_for(path: &str, current: &str) -> String {
    let parent = match path.rsplit_once('/') {
        Some(("", _)) => "/",
        Some((p, _)) => p,
        None => "/",
    };
    if parent == current.trim_end_matches('/') || parent == "/" && current == "/" {
        format!("./{}", base_name(path))
    } else {
        path.to_string()
    }
}

impl Strategy for NodeApi {
    fn name(&self) -> &'static str {
        "node-api"
    }

    fn ecosystem(&self) -> Ecosystem {
        ECO
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let f = facts(cx);
        if !is_node_stage(cx, &f) {
            return None;
        }
        let mut d = node_evidence(cx, &f);
        let line = cx
            .last(Keyword::Cmd)
            .or_else(|| cx.last(Keyword::Entrypoint))
            .map_or(cx.stage.line, |i| i.start_line);
        match start(cx) {
            Some(Start::Node { script, .. }) => d.add(5, line, format!("starts `node {script}`")),
            Some(Start::Script {
                manager, script, ..
            }) => {
                d.add(5, line, format!("starts with `{manager} {script}`"));
            }
            Some(Start::Tool { name, .. }) if name.starts_with("pm2") => {
                d.add(5, line, format!("starts with `{name}`"));
            }
            _ => {}
        }
        for i in cx.instructions() {
            if let Some(CommandKind::Copy(c)) = i.kind()
                && let Some(from) = &c.from
            {
                d.add(3, i.start_line, format!("copies from the stage `{from}`"));
                break;
            }
        }
        (d.score >= 15).then_some(d)
    }

    fn plan(
        &self,
        cx: &ConvertContext<'_>,
        _detection: &Detection,
    ) -> Result<Plan, crate::convert::Refusal> {
        let f = facts(cx);
        if let Some((stage, _)) = super::node_support::node_parent(cx) {
            return Err(refuse(
                ECO,
                format!(
                    "the final stage builds on the stage `{stage}` and inherits everything in it; restage converts a final stage that starts from an image (copy the application from `{stage}` into a stage `FROM` the slim `node` image instead)"
                ),
            ));
        }
        let Some(image) = f.image.clone() else {
            return Err(refuse(
                ECO,
                format!(
                    "the stage starts from `{}`, not the official `node` image, so restage cannot name a runtime image with the same Node.js",
                    cx.stage.base_text
                ),
            ));
        };
        let runtime = choose_runtime(cx, &image)?;
        let mut plan = Plan::new(ECO, self.name(), Confidence::High);
        if runtime.distroless {
            plan.assumptions
                .push(super::node_support::distroless_note(&runtime.image));
        }
        if image.raw.digest.is_some() {
            plan.assumptions.push(format!(
                "`{}` is pinned by digest; the runtime image `{}` is not — pin it too",
                cx.stage.base_text, runtime.image
            ));
        }
        if f.installs.is_empty() {
            if f.builds() {
                return Err(refuse(
                    ECO,
                    "the stage builds without installing dependencies (no `npm ci`, `yarn install` or `pnpm install`), so restage cannot tell which `node_modules` the application needs",
                ));
            }
            return swap_base(cx, &runtime, image.alpine(), plan);
        }
        let st = start(cx);
        let wd = cx.final_workdir().unwrap_or_else(|| "/".into());
        let Some(install) = f.main_install().cloned() else {
            return Err(refuse(ECO, "no dependency install was found"));
        };
        let dev = dev_runner(&st);
        let prod = dev.is_none();
        if let Some(tool) = &dev {
            plan.warnings.push(format!(
                "the container starts with {tool}, a development tool; dependencies are installed in full (not production-only) so that it keeps working. Build the application and start it with `node` for a smaller image."
            ));
            plan.confidence = Confidence::Medium;
        }
        let local_installs = f.installs.len();
        // How the application gets into the runtime stage.
        let output = if !f.builds() {
            if local_installs > 1 {
                return Err(refuse(
                    ECO,
                    format!(
                        "dependencies are installed by {local_installs} `RUN`s (lines {}), so one production install cannot replace them",
                        f.installs
                            .iter()
                            .map(|i| i.instruction.start_line.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            Output::Source
        } else {
            match output_dir(&f, &st, &wd) {
                Some(dir) if local_installs == 1 && prod => {
                    Output::Dir(join_workdir(Some(&wd), &dir))
                }
                _ => {
                    let root = app_root(&wd, &install.dir);
                    if root == "/" {
                        return Err(refuse(
                            ECO,
                            "the stage builds in `/` (no WORKDIR), and the start command does not show where the build output is, so restage cannot tell the application's files from the image's",
                        ));
                    }
                    Output::WholeApp(root)
                }
            }
        };
        // Stages whose libc differs from the source's need their own
        // dependency install, on a node image of the runtime's family.
        let family_switch = (runtime.distro == Distro::Alpine) != image.alpine();
        let systems = system_runs(cx);
        if family_switch && !systems.is_empty() {
            return Err(refuse(
                ECO,
                format!(
                    "line {}: system packages are installed with {}'s package manager, and the runtime image is {}; native modules must be built on the runtime's C library. Use --runtime {}",
                    systems.first().map_or(0, |i| i.start_line),
                    if image.alpine() { "Alpine" } else { "Debian" },
                    if runtime.distro == Distro::Alpine {
                        "Alpine (musl)"
                    } else {
                        "Debian (glibc)"
                    },
                    if image.alpine() { "alpine" } else { "slim" },
                ),
            ));
        }
        if family_switch && matches!(output, Output::WholeApp(_)) {
            return Err(refuse(
                ECO,
                "the build output is not knowable, so the runtime stage would take the builder's `node_modules`, which were installed for the source image's C library; use the runtime family of the source image",
            ));
        }
        let deps_from = if family_switch {
            let img = if runtime.distro == Distro::Alpine {
                image.alpine_variant()
            } else {
                image.debian(false)
            };
            plan.assumptions.push(format!(
                "Production dependencies are installed on `{img}` so that native modules match the runtime image's C library"
            ));
            StageFrom::Image {
                image: img,
                platform: cx.stage.platform.clone(),
            }
        } else {
            StageFrom::Source
        };

        let mut notes: Vec<ChangeSpec> = Vec::new();
        let chown = source_chown(cx).map(|c| {
            if runtime.distroless && !c.chars().all(|ch| ch.is_ascii_digit() || ch == ':') {
                "65532:65532".to_string()
            } else {
                c
            }
        });

        // The source's own production install or prune after the build.
        let source_prune = source_prune(cx, &f);
        // Stages.
        let mut stages = Vec::new();
        let last_builder_run = cx
            .instructions()
            .filter(|i| i.keyword == Keyword::Run)
            .last();
        if f.builds() {
            let drop_prune = matches!(output, Output::Dir(_));
            let mut items = builder_items(cx, &f, drop_prune, &|_| false, Vec::new(), &mut notes);
            if matches!(output, Output::WholeApp(_)) && source_prune.is_none() && prod {
                let end_dir = cx.final_workdir().unwrap_or_else(|| "/".into());
                let prune = if install.dir == end_dir {
                    f.manager.prune(image.major)
                } else {
                    format!("cd {} && {}", install.dir, f.manager.prune(image.major))
                };
                items.push(add(
                    format!("RUN {prune}"),
                    ChangeKind::Add,
                    "Development dependencies are pruned after the build",
                    "the runtime stage takes the whole application directory, and development dependencies are not needed to run it",
                    f.builds.iter().map(|b| b.start_line).collect(),
                ));
            }
            stages.push(StagePlan {
                name: "builder".into(),
                from: StageFrom::Source,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::RenameStage,
                    "The original stage becomes the builder",
                    "it installs every dependency, development ones included, and runs the build",
                    vec![cx.stage.line],
                )),
                items,
            });
        }
        let mut node_modules = join_workdir(Some(&install.dir), "node_modules");
        if !matches!(output, Output::WholeApp(_)) {
            let (items, nm) = deps_items(cx, &f, &install, !family_switch, prod);
            node_modules = nm;
            stages.push(StagePlan {
                name: "deps".into(),
                from: deps_from,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::AddStage,
                    if prod { "A `deps` stage installs production dependencies" } else { "A `deps` stage installs the dependencies" },
                    if f.builds() {
                        "it shares its first steps with the builder (BuildKit builds them once) and ends with `node_modules` for the runtime image, without development dependencies"
                    } else {
                        "the install (and any compiler it needs) stays out of the runtime image; only `node_modules` is copied"
                    },
                    vec![install.instruction.start_line],
                )),
                items,
            });
        }

        // Runtime.
        let mut runtime_items: Vec<Item> = Vec::new();
        if env_value(cx, "NODE_ENV").is_none() {
            runtime_items.push(add(
                "ENV NODE_ENV=production",
                ChangeKind::Add,
                "`NODE_ENV=production`",
                "libraries (Express, Nest, React SSR) switch off development behaviour: view caching on, verbose errors off",
                Vec::new(),
            ));
        }
        // System packages the application uses at run time.
        let mut packages = runtime_package_list(cx, image.distro, runtime.distro, &[]);
        super::common::warn_unknown_dev_packages(cx, image.distro, &mut plan);
        let missing = missing_tools(cx, &image, runtime.distro);
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|(t, _)| t.clone()).collect();
            let lines: Vec<usize> = missing.iter().map(|(_, l)| *l).collect();
            let why = format!(
                "{} ran in the source image, which had {}; the runtime image does not",
                names
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if names.len() == 1 { "it" } else { "them" }
            );
            add_packages(&mut packages, names, why, lines, true);
        }
        if let Some((names, lines)) =
            super::node_support::prisma_packages(cx, &image, runtime.distro)
        {
            let why = "Prisma's query engine needs OpenSSL, which the source image had and the slim image has not".to_string();
            add_packages(&mut packages, names, why, lines, !runtime.distroless);
        }
        if prod && let Some(line) = super::node_support::prisma_at_start(cx) {
            plan.warnings.push(format!(
                "line {line}: the start command runs the Prisma CLI; the runtime image has production dependencies only, so `prisma` must be in `dependencies`, not `devDependencies` (otherwise `npx` downloads it at every start, or fails offline)"
            ));
        }
        if let Some(pk) = &packages {
            if runtime.distroless {
                return Err(refuse(
                    ECO,
                    format!(
                        "the application needs system packages at run time ({}), and distroless images cannot install any; use --runtime slim",
                        pk.packages.join(", ")
                    ),
                ));
            }
            runtime_items.push(add(
                install_command(runtime.distro, &pk.packages, cx.escape()),
                ChangeKind::RuntimeLibrary,
                format!("Runtime packages: {}", pk.packages.join(", ")),
                pk.reason.clone(),
                pk.lines.clone(),
            ));
        } else if let Some(first) = system_runs(cx).first() {
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "System packages are not installed in the runtime stage",
                "they were only needed to install or build (node-gyp needs Python, make and a C++ compiler)",
                vec![first.start_line],
            ));
        }
        let dropped = dropped_install_helpers(cx, image.distro);
        if !dropped.is_empty() {
            let one = dropped.len() == 1;
            plan.assumptions.push(format!(
                "{} only {} the dependency install (node-gyp, git dependencies) and {} not in the runtime image; if the application runs {}, install {} there",
                dropped.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                if one { "serves" } else { "serve" },
                if one { "is" } else { "are" },
                if one { "it" } else { "them" },
                if one { "it" } else { "them" },
            ));
        }
        let needed_globals: Vec<&GlobalInstall<'_>> =
            f.globals.iter().filter(|g| global_needed(g, &st)).collect();
        let mut user_done = false;
        let whole_app_at = last_builder_run;
        let last_build = f.builds.last().copied();
        let mut whole_context = false;
        let mut unknown_runs = Vec::new();
        let runtime_shell = !runtime.distroless;
        let (mut user, _) = if runtime.distroless {
            distroless_user(cx)
        } else {
            user_items(cx, Some("node"), ImageUsers::Shell(runtime.distro))
        };
        if runtime_shell {
            volume_dirs(cx, &mut user);
        }
        let mut user = Some(user);
        let cmd_rewrite = start_rewrite(cx, &f, &runtime, &st)?;
        let mut scripts = match &output {
            Output::Source => Vec::new(),
            Output::Dir(dir) => {
                super::common::context_scripts(cx, &|p| within(p, dir) || within(p, &node_modules))
            }
            Output::WholeApp(root) => super::common::context_scripts(cx, &|p| within(p, root)),
        };
        for i in cx.instructions() {
            let current = workdir_of(i);
            match i.keyword {
                Keyword::Workdir | Keyword::Arg => runtime_items.push(keep_quiet(i)),
                Keyword::User => {}
                Keyword::Copy | Keyword::Add => {
                    let from_stage =
                        matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some());
                    if from_stage {
                        runtime_items.push(keep_quiet(i));
                        continue;
                    }
                    let sources = cx.copy_sources(i);
                    let dest = copy_dest(i);
                    let inside_app =
                        |root: &str| dest.starts_with(root.trim_end_matches('/')) && root != "/";
                    match &output {
                        Output::Source => runtime_items.push(copy_keep(cx, i, &runtime)),
                        Output::WholeApp(root) => {
                            let before = whole_app_at.is_some_and(|r| r.start_line > i.start_line);
                            if before && inside_app(root) {
                                if cx.copies_everything(i) {
                                    whole_context = true;
                                }
                                continue;
                            }
                            runtime_items.push(copy_keep(cx, i, &runtime));
                        }
                        Output::Dir(_) => {
                            if cx.copies_everything(i) {
                                whole_context = true;
                                notes.push(ChangeSpec::new(
                                    ChangeKind::Drop,
                                    "The source tree stays in the builder",
                                    "the runtime stage gets the build output, production dependencies and package.json",
                                    vec![i.start_line],
                                ));
                                continue;
                            }
                            if !sources.is_empty()
                                && sources.iter().all(|s| is_manifest(s) || is_build_input(s))
                            {
                                notes.push(ChangeSpec::new(
                                    ChangeKind::Drop,
                                    "Build inputs stay in the builder",
                                    "manifests, sources and build configuration are not read at run time",
                                    vec![i.start_line],
                                ));
                                continue;
                            }
                            runtime_items.push(copy_keep(cx, i, &runtime));
                        }
                    }
                }
                Keyword::Run => {
                    let is_install = std::ptr::eq(install.instruction, i);
                    let is_last_build = last_build.is_some_and(|b| std::ptr::eq(b, i));
                    let facts_i = classify_run(i);
                    if is_install && !matches!(output, Output::WholeApp(_)) {
                        runtime_items.push(add(
                            copy_from(
                                "deps",
                                &chown,
                                &node_modules,
                                &dest_for(&node_modules, &current),
                            ),
                            ChangeKind::CopyArtifact,
                            if prod {
                                "Production `node_modules` from the `deps` stage"
                            } else {
                                "`node_modules` from the `deps` stage"
                            },
                            "installed once, without compilers or caches in the runtime image",
                            vec![i.start_line],
                        ));
                        if matches!(output, Output::Dir(_)) {
                            let pj = join_workdir(Some(&install.dir), "package.json");
                            runtime_items.push(add(
                                copy_from("deps", &chown, &pj, &dest_for(&pj, &current)),
                                ChangeKind::CopyArtifact,
                                "`package.json` from the `deps` stage",
                                "Node.js reads it at run time (`\"type\": \"module\"`, `exports`, `imports`)",
                                vec![i.start_line],
                            ));
                        }
                    }
                    if is_last_build && let Output::Dir(dir) = &output {
                        {
                            runtime_items.push(add(
                                copy_from("builder", &chown, dir, &dest_for(dir, &current)),
                                ChangeKind::CopyArtifact,
                                format!("The build output `{}` from the builder", base_name(dir)),
                                "the compiled application is all the runtime needs of the source tree",
                                f.builds.iter().map(|b| b.start_line).collect(),
                            ));
                            if super::node_support::prisma(cx) {
                                let engines = format!("{node_modules}/.prisma");
                                runtime_items.push(add(
                                    copy_from("builder", &chown, &engines, &dest_for(&engines, &current)),
                                    ChangeKind::CopyArtifact,
                                    "The generated Prisma client from the builder",
                                    "`prisma generate` writes it into node_modules/.prisma, which the production install does not have",
                                    f.builds.iter().map(|b| b.start_line).collect(),
                                ));
                            }
                        }
                    }
                    if whole_app_at.is_some_and(|r| std::ptr::eq(r, i))
                        && let Output::WholeApp(root) = &output
                    {
                        runtime_items.push(add(
                            copy_from("builder", &chown, root, root),
                            ChangeKind::CopyArtifact,
                            format!("The application directory `{root}` from the builder"),
                            "the start command does not show where the build writes its output, so the whole directory is copied, with development dependencies pruned",
                            f.builds.iter().map(|b| b.start_line).collect(),
                        ));
                        if !node_modules.starts_with(&format!("{}/", root.trim_end_matches('/'))) {
                            runtime_items.push(add(
                                copy_from("builder", &chown, &node_modules, &node_modules),
                                ChangeKind::CopyArtifact,
                                "`node_modules` from the builder",
                                "it lies outside the application directory",
                                vec![install.instruction.start_line],
                            ));
                        }
                    }
                    if facts_i.system.is_some() {
                    } else if is_runtime_setup(i) && runtime_shell {
                        place_scripts(
                            &mut scripts,
                            &chown,
                            Some(i.start_line),
                            &current,
                            &mut runtime_items,
                        );
                        runtime_items.push(keep(
                            i,
                            ChangeKind::Keep,
                            "Runtime setup stays in the runtime stage",
                            "users, directories and permissions belong to the final image",
                        ));
                    }
                    for g in needed_globals
                        .iter()
                        .filter(|g| std::ptr::eq(g.instruction, i))
                    {
                        if !runtime_shell {
                            return Err(refuse(
                                ECO,
                                format!(
                                    "line {}: the start command needs the globally installed {}, and distroless images cannot install packages; use --runtime slim",
                                    i.start_line,
                                    g.packages.join(" ")
                                ),
                            ));
                        }
                        let mut text = format!("RUN {}", render_command(g.command));
                        if g.command.is("npm") || g.command.base_name() == "npm" {
                            text.push_str(" \\\n    && npm cache clean --force");
                            if cx.escape() != '\\' {
                                text = text.replace('\\', &cx.escape().to_string());
                            }
                        } else if g.command.is("yarn") {
                            text.push_str(&format!(" {}\n    && yarn cache clean", cx.escape()));
                        }
                        runtime_items.push(add(
                            text,
                            ChangeKind::Keep,
                            format!("{} is installed in the runtime stage", g.packages.join(" ")),
                            "the start command runs it; the cache is cleaned in the same layer",
                            vec![i.start_line],
                        ));
                    }
                    let known = is_install
                        || f.installs.iter().any(|x| std::ptr::eq(x.instruction, i))
                        || f.builds.iter().any(|b| std::ptr::eq(*b, i))
                        || f.prune_only.iter().any(|p| std::ptr::eq(*p, i))
                        || facts_i.system.is_some()
                        || facts_i.setup_only
                        || f.globals.iter().any(|g| std::ptr::eq(g.instruction, i))
                        || is_setup_of_manager(i);
                    if !known {
                        unknown_runs.push(i.start_line);
                    }
                }
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                    place_scripts(&mut scripts, &chown, None, &current, &mut runtime_items);
                    if !user_done {
                        user_done = true;
                        if let Some(u) = user.take() {
                            runtime_items.extend(u);
                        }
                    }
                    match cmd_rewrite.get(&i.node) {
                        Some(Some((text, summary, reason))) => runtime_items.push(Item::Rewrite {
                            node: i.node,
                            text: text.clone(),
                            change: ChangeSpec::new(
                                ChangeKind::Rewrite,
                                summary.clone(),
                                reason.clone(),
                                vec![i.start_line],
                            ),
                        }),
                        Some(None) => notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            format!("`{}` left out", i.keyword.name()),
                            "the distroless Node.js image's entrypoint is `node` itself",
                            vec![i.start_line],
                        )),
                        None => runtime_items.push(keep_quiet(i)),
                    }
                }
                Keyword::Shell if !runtime_shell => notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    "`SHELL` left out",
                    "distroless images have no shell",
                    vec![i.start_line],
                )),
                k if super::common::is_runtime_behaviour(k) => runtime_items.push(keep_quiet(i)),
                _ => {}
            }
        }
        if let Some(u) = user.take() {
            runtime_items.extend(u);
        }
        if whole_context && matches!(output, Output::Dir(_)) {
            plan.assumptions.push(
                "Only the build output, production `node_modules` and `package.json` go into the runtime image. If the application reads other files of the source tree at run time (views, public assets, migrations, `.env` templates), copy them too".to_string(),
            );
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if let Output::WholeApp(root) = &output {
            plan.assumptions.push(format!(
                "The start command does not show where the build writes its output, so the runtime image gets the whole `{root}` from the builder after `{}`. If the build writes to one directory (`dist`), starting with `node dist/<entry>.js` lets restage copy only that",
                source_prune.clone().unwrap_or_else(|| f.manager.prune(image.major))
            ));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if !unknown_runs.is_empty() {
            plan.warnings.push(format!(
                "line(s) {}: these RUNs stay in the install/build stages; if they create files the application needs at run time, copy them into the runtime stage",
                unknown_runs.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
            ));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if let Some(Start::Script {
            manager, script, ..
        }) = &st
        {
            plan.assumptions.push(format!(
                "The container starts with `{manager} {script}`; restage cannot read package.json, so it assumes the `{script}` script runs the built application with `node` and needs no development dependency (ts-node, nest start, nodemon). Starting with `node <entry>.js` directly also lets the process receive stop signals"
            ));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if f.manager == Manager::YarnBerry {
            let focus = match (&output, &source_prune) {
                (Output::WholeApp(_), Some(own)) => format!("the source's own `{own}`"),
                _ => format!(
                    "`{}` (built into Yarn 4; Yarn 2/3 need the workspace-tools plugin)",
                    f.manager.prune(image.major)
                ),
            };
            plan.assumptions.push(format!("Yarn Berry: production dependencies come from {focus}, and `.yarnrc.yml` is taken to set `nodeLinker: node-modules` — Plug'n'Play installs have no node_modules to copy"));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if plan.warnings.is_empty() && plan.assumptions.is_empty() {
            plan.confidence = Confidence::High;
        }
        plan.notes = notes;
        stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image {
                image: runtime.image.clone(),
                platform: cx.stage.platform.clone(),
            },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{}`", runtime.image),
                runtime.why.clone(),
                vec![cx.stage.line],
            )),
            items: runtime_items,
        });
        plan.needs_syntax |= cx.options.cache_mounts;
        plan.stages = stages;
        Ok(plan)
    }
}

/// The source's own production install or prune after its last build
/// (`npm prune --omit=dev`, `yarn workspaces focus --production`), as
/// written.
fn source_prune(cx: &ConvertContext<'_>, f: &NodeFacts<'_>) -> Option<String> {
    cx.instructions()
        .skip_while(|i| !f.builds.last().is_some_and(|b| std::ptr::eq(*b, *i)))
        .filter_map(|i| i.run.as_ref())
        .flat_map(|r| r.commands())
        .find(|c| {
            matches!(
                super::node_support::node_command(c),
                Some(
                    super::node_support::NodeCommand::Prune
                        | super::node_support::NodeCommand::Install {
                            prod_only: true,
                            ..
                        }
                )
            )
        })
        .map(render_command)
}

/// Whether `path` is `dir` or below it.
fn within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.starts_with(&format!("{dir}/"))
}

/// Adds `names` to the runtime stage's package install, with why and the
/// lines that need them; starts the install when there is none and
/// `create` says one can be added.
fn add_packages(
    packages: &mut Option<super::common::RuntimePackages>,
    names: Vec<String>,
    why: String,
    lines: Vec<usize>,
    create: bool,
) {
    match packages {
        Some(pk) => {
            for n in names {
                if !pk.packages.contains(&n) {
                    pk.packages.push(n);
                }
            }
            pk.reason = format!("{}; {why}", pk.reason);
            pk.lines.extend(lines);
        }
        None if create => {
            *packages = Some(super::common::RuntimePackages {
                packages: names,
                reason: why,
                lines,
                unresolved: Vec::new(),
                unmapped: Vec::new(),
            });
        }
        None => {}
    }
}

/// Copies the scripts of the source tree the runtime stage runs or marks
/// executable (`entrypoint.sh`) from the builder: those a `RUN` on `line`
/// names, or all that are left when `line` is `None` (before the start
/// command). Each is placed once.
fn place_scripts(
    scripts: &mut Vec<super::common::ContextScript>,
    chown: &Option<String>,
    line: Option<usize>,
    current: &str,
    items: &mut Vec<Item>,
) {
    for s in super::common::take_scripts(scripts, line) {
        items.push(add(
            copy_from("builder", chown, &s.path, &dest_for(&s.path, current)),
            ChangeKind::CopyArtifact,
            format!("`{}` from the builder", base_name(&s.path)),
            "the runtime stage runs it or makes it executable, and it is not part of the build output",
            s.lines,
        ));
    }
}

/// `VOLUME` directories owned by `node` when restage makes the image run as
/// `node` (Docker would create them owned by root, where `node` cannot write).
fn volume_dirs(cx: &ConvertContext<'_>, user: &mut Vec<Item>) {
    let source_user = cx
        .final_user()
        .filter(|u| !crate::convert::user::is_root(u));
    let volumes = super::common::volume_paths(cx);
    if source_user.is_some()
        || cx.options.user.is_some()
        || volumes.is_empty()
        || super::common::kept_root(cx).is_some()
    {
        return;
    }
    let list = volumes.join(" ");
    user.insert(
        0,
        add(
            format!("RUN mkdir -p {list} && chown node:node {list}"),
            ChangeKind::User,
            "Volume directories owned by `node`",
            "the container now runs as `node`; Docker would create a missing VOLUME directory owned by root",
            cx.with_keyword(Keyword::Volume).map(|i| i.start_line).collect(),
        ),
    );
}

/// Python and git installed only for the dependency install.
fn dropped_install_helpers(cx: &ConvertContext<'_>, distro: Distro) -> Vec<String> {
    let mut out = Vec::new();
    for i in system_runs(cx) {
        if let Some(sys) = classify_run(i).system {
            for p in sys.runtime(distro).0 {
                let name = crate::knowledge::packages::package_name(&p).to_string();
                if matches!(
                    name.as_str(),
                    "python3" | "python" | "python-is-python3" | "git"
                ) && !out.contains(&name)
                {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// Whether a `RUN` only sets a package manager up (`corepack enable`,
/// `npm config set`, `npm i -g pnpm`).
fn is_setup_of_manager(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().all(|c| {
            matches!(
                super::node_support::node_command(c),
                Some(
                    super::node_support::NodeCommand::Setup
                        | super::node_support::NodeCommand::CacheClean
                )
            )
        })
    })
}

/// Whether the start command runs a globally installed package.
fn global_needed(g: &GlobalInstall<'_>, st: &Option<Start>) -> bool {
    let name = match st {
        Some(Start::Tool { name, .. }) => name.clone(),
        _ => return false,
    };
    g.packages
        .iter()
        .any(|p| package_bins(p).contains(&name.as_str()))
}

/// The absolute destination of a `COPY`.
fn copy_dest(i: &Instruction) -> String {
    let dest = match (&i.expanded, i.kind()) {
        (
            Some(
                crate::dockerfile::resolve::Expanded::Copy(c)
                | crate::dockerfile::resolve::Expanded::Add(c),
            ),
            _,
        ) => c.dest.clone(),
        (_, Some(CommandKind::Copy(c))) => c.dest.clone(),
        (_, Some(CommandKind::Add(a))) => a.dest.clone(),
        _ => String::new(),
    };
    join_workdir(Some(&workdir_of(i)), &dest)
}

/// A context `COPY` kept in the runtime stage (its `--chown` to a user
/// distroless has rewritten to `nonroot`'s uid).
fn copy_keep(cx: &ConvertContext<'_>, i: &Instruction, runtime: &Runtime) -> Item {
    let chown = match i.kind() {
        Some(CommandKind::Copy(c)) => c.chown.clone(),
        Some(CommandKind::Add(a)) => a.chown.clone(),
        _ => None,
    };
    match chown {
        Some(c) if runtime.distroless && !c.chars().all(|ch| ch.is_ascii_digit() || ch == ':') => {
            let text = cx
                .node(i)
                .map(|n| {
                    n.text(&cx.doc.source)
                        .trim_end()
                        .replace(&format!("--chown={c}"), "--chown=65532:65532")
                })
                .unwrap_or_default();
            Item::Rewrite {
                node: i.node,
                text,
                change: ChangeSpec::new(
                    ChangeKind::Rewrite,
                    "Files are owned by distroless's `nonroot` (65532)",
                    format!("the user `{c}` does not exist in the distroless image"),
                    vec![i.start_line],
                ),
            }
        }
        _ => keep_quiet(i),
    }
}

/// The user of a distroless runtime: a user asked for as
/// [`crate::convert::user::plan_user`] makes it resolvable (and none when
/// the start command must begin as root); otherwise a numeric source user
/// is kept, anything else becomes `nonroot`.
fn distroless_user(cx: &ConvertContext<'_>) -> (Vec<Item>, String) {
    // A user asked for: one of the image's, or a uid in its place.
    if cx.options.user.is_some() || super::common::kept_root(cx).is_some() {
        return user_items(cx, Some("nonroot"), ImageUsers::DISTROLESS);
    }
    let source = cx
        .final_user()
        .filter(|u| !crate::convert::user::is_root(u));
    let user = match &source {
        Some(u) if u.chars().all(|c| c.is_ascii_digit() || c == ':') => u.clone(),
        _ => "nonroot".into(),
    };
    let lines: Vec<usize> = cx
        .with_keyword(Keyword::User)
        .map(|i| i.start_line)
        .collect();
    let reason = match &source {
        Some(u) if *u != user => format!(
            "the user `{u}` does not exist in the distroless image; `nonroot` (uid 65532) does"
        ),
        _ => "the distroless image has the non-root user `nonroot` (uid 65532)".into(),
    };
    (
        vec![add(
            format!("USER {user}"),
            ChangeKind::User,
            format!("Runs as `{user}`, not root"),
            reason,
            lines,
        )],
        user,
    )
}

/// Rewrites of `CMD`/`ENTRYPOINT`/`HEALTHCHECK` (by node index): `Some(text)`
/// replaces, `None` drops.
type Rewrites = std::collections::HashMap<usize, Option<(String, String, String)>>;

fn start_rewrite(
    cx: &ConvertContext<'_>,
    f: &NodeFacts<'_>,
    runtime: &Runtime,
    st: &Option<Start>,
) -> Result<Rewrites, crate::convert::Refusal> {
    let mut out = Rewrites::new();
    if runtime.distroless {
        if let Some(h) = cx.last(Keyword::Healthcheck)
            && !matches!(h.kind(), Some(CommandKind::Healthcheck(hc)) if matches!(hc.test, crate::dockerfile::instructions::HealthTest::None))
        {
            return Err(refuse(
                ECO,
                format!(
                    "line {}: the HEALTHCHECK runs a command, and distroless images have no shell, curl or wget; use --runtime slim",
                    h.start_line
                ),
            ));
        }
        let entry = cx.last(Keyword::Entrypoint);
        if let Some(e) = entry {
            let (words, _) = super::common::command_words(cx, e);
            if words.len() != 1
                || !matches!(
                    base_name(words.first().map_or("", String::as_str)),
                    "node" | "nodejs"
                )
            {
                return Err(refuse(
                    ECO,
                    format!(
                        "line {}: the ENTRYPOINT runs `{}`, and distroless Node.js can only run node scripts (no shell); use --runtime slim",
                        e.start_line,
                        words.join(" ")
                    ),
                ));
            }
            for i in cx.with_keyword(Keyword::Entrypoint) {
                out.insert(i.node, None);
            }
        }
        let Some(Start::Node {
            flags,
            script,
            args,
        }) = st
        else {
            return Err(refuse(
                ECO,
                "distroless Node.js runs `node <script>`, and the start command is not a `node` script (distroless has no npm or shell); use --runtime slim",
            ));
        };
        let Some(cmd) = cx.last(Keyword::Cmd) else {
            return Err(refuse(ECO, "no CMD was found to run on distroless"));
        };
        let words: Vec<String> = flags
            .iter()
            .chain(std::iter::once(script))
            .chain(args.iter())
            .cloned()
            .collect();
        let Some(json) = super::common::exec_form(&words) else {
            return Err(refuse(
                ECO,
                format!(
                    "line {}: the command uses shell features (`node {}`), and distroless has no shell; use --runtime slim",
                    cmd.start_line,
                    words.join(" ")
                ),
            ));
        };
        for i in cx.with_keyword(Keyword::Cmd) {
            out.insert(i.node, None);
        }
        out.insert(
            cmd.node,
            Some((
                format!("CMD {json}"),
                "`CMD` is the script path".into(),
                "the distroless Node.js image's entrypoint is `node`, so CMD only names the script (and node's flags)".into(),
            )),
        );
        return Ok(out);
    }
    // pnpm and Yarn Berry are not in the runtime image; npm runs the same
    // package.json script.
    for (node, text, summary, reason) in script_via_npm(cx, f, st) {
        out.insert(node, Some((text, summary, reason)));
    }
    Ok(out)
}

/// The earlier stages the final stage copies from: the `COPY --from` line,
/// the stage's name and whether its image is Alpine (musl).
fn copied_stages(cx: &ConvertContext<'_>) -> Vec<(usize, String, bool)> {
    let stages = &cx.model.stages;
    cx.instructions()
        .filter_map(|i| match i.kind() {
            Some(CommandKind::Copy(c)) => c
                .from
                .as_ref()
                .map(|f| (i.start_line, f.to_ascii_lowercase())),
            _ => None,
        })
        .filter_map(|(line, from)| {
            let mut stage = stages.iter().find(|s| {
                s.name.as_deref() == Some(from.as_str()) || s.index.to_string() == from
            })?;
            let name = stage
                .name_as_written
                .clone()
                .unwrap_or_else(|| from.clone());
            for _ in 0..stages.len() {
                match &stage.base {
                    crate::model::BaseImage::Image { reference, .. } => {
                        let alpine = crate::convert::images::ImageText::parse(reference).distro()
                            == Distro::Alpine;
                        return Some((line, name, alpine));
                    }
                    crate::model::BaseImage::Stage { index } => stage = stages.get(*index)?,
                    crate::model::BaseImage::Scratch => return None,
                }
            }
            None
        })
        .collect()
}

/// Already multi-stage input whose final stage only copies from earlier
/// stages: only the base image changes.
fn swap_base(
    cx: &ConvertContext<'_>,
    runtime: &Runtime,
    source_alpine: bool,
    mut plan: Plan,
) -> Result<Plan, crate::convert::Refusal> {
    if runtime.distroless {
        return Err(refuse(
            ECO,
            "restage only replaces the base image of this final stage; choose --runtime slim or alpine",
        ));
    }
    let runtime_alpine = runtime.distro == Distro::Alpine;
    if source_alpine != runtime_alpine
        && let Some((line, stage)) = copied_stages(cx)
            .into_iter()
            .find_map(|(line, stage, alpine)| (alpine != runtime_alpine).then_some((line, stage)))
    {
        let (built, runs, keep) = if runtime_alpine {
            ("Debian (glibc)", "Alpine (musl)", "slim")
        } else {
            ("Alpine (musl)", "Debian (glibc)", "alpine")
        };
        return Err(refuse(
            ECO,
            format!(
                "line {line}: the final stage copies files (`node_modules`) from the stage `{stage}`, which installs them on {built}; native modules built there would not load on the {runs} runtime image. Use --runtime {keep}, or start the earlier stages from the image of the runtime's family"
            ),
        ));
    }
    let copies_from_stage = cx
        .instructions()
        .any(|i| matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some()));
    if !copies_from_stage {
        let findings = crate::convert::minimal::size_findings(cx.model);
        let why: Vec<String> = crate::convert::minimal::bloat(cx.model, cx.stage, &findings)
            .iter()
            .map(|b| format!("line {}: {}", b.line, b.what))
            .collect();
        return Err(refuse(
            ECO,
            format!(
                "no dependency install (`npm ci`, `yarn install`, `pnpm install`) or JavaScript build was recognised, so restage cannot tell the application's files from build tools ({})",
                why.join("; ")
            ),
        ));
    }
    let mut items = Vec::new();
    let mut user_done = false;
    let (user, _) = user_items(cx, Some("node"), ImageUsers::Shell(runtime.distro));
    let mut user = Some(user);
    for i in cx.instructions() {
        if i.keyword == Keyword::Run
            && let Some(sys) = classify_run(i).system
            && !sys.build_only(runtime.distro).is_empty()
        {
            return Err(refuse(
                ECO,
                format!(
                    "line {}: the final stage installs build-only packages ({}); restage cannot tell what they are for",
                    i.start_line,
                    sys.build_only(runtime.distro).join(", ")
                ),
            ));
        }
        match i.keyword {
            Keyword::User => {}
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck if !user_done => {
                user_done = true;
                if let Some(u) = user.take() {
                    items.extend(u);
                }
                items.push(keep_quiet(i));
            }
            _ => items.push(keep_quiet(i)),
        }
    }
    if let Some(u) = user.take() {
        items.extend(u);
    }
    plan.warnings.push("Only the base image of the final stage changed; `node_modules` copied from an earlier stage may still include development dependencies (install them with `--omit=dev` there)".into());
    plan.confidence = Confidence::Medium;
    plan.stages.push(StagePlan {
        name: cx
            .stage
            .name_as_written
            .clone()
            .unwrap_or_else(|| "runtime".into()),
        from: StageFrom::SourceImage(runtime.image.clone()),
        from_change: Some(ChangeSpec::new(
            ChangeKind::ReplaceBase,
            format!("The final stage starts from `{}`", runtime.image),
            format!(
                "{}; the stage only copies artifacts from earlier stages",
                runtime.why
            ),
            vec![cx.stage.line],
        )),
        items,
    });
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use crate::convert::{ConvertOptions, RuntimePreference, convert_text};

    fn run(text: &str, runtime: RuntimePreference) -> Result<(String, String), String> {
        let options = ConvertOptions {
            runtime,
            ..ConvertOptions::default()
        };
        convert_text(text, &options)
            .map(|o| (o.conversion.strategy, o.conversion.dockerfile))
            .map_err(|r| r.reason)
    }

    const TS: &str = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n";

    #[test]
    fn a_shell_command_on_distroless_is_refused_naming_it() {
        let input = format!("{TS}CMD node dist/main.js --port $PORT\n");
        assert_eq!(
            run(&input, RuntimePreference::Distroless).map(|(s, _)| s),
            Err("line 7: the command uses shell features (`node dist/main.js --port $PORT`), and distroless has no shell; use --runtime slim".to_string())
        );
    }

    #[test]
    fn detection_picks_the_ecosystem() {
        let cases: &[(&str, &str)] = &[
            (
                &format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"),
                "node-api",
            ),
            (
                &format!("{TS}CMD [\"npx\", \"serve\", \"-s\", \"dist\"]\n"),
                "node-spa",
            ),
            (
                &format!("{TS}ENV NEXT_TELEMETRY_DISABLED=1\nCMD [\"npm\", \"start\"]\n"),
                "nextjs",
            ),
            // A Python image that bundles assets with npm is still Python.
            (
                "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"gunicorn\", \"app:app\"]\n",
                "python-venv",
            ),
        ];
        for (input, strategy) in cases {
            let (s, out) =
                run(input, RuntimePreference::Auto).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(&s, strategy, "{input}\n{out}");
        }
    }

    #[test]
    fn planning_decisions() {
        let cases: &[(String, RuntimePreference, &str)] = &[
            // The start command names the output: only it is copied.
            (format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"), RuntimePreference::Auto, "COPY --from=builder /app/dist ./dist"),
            (format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"), RuntimePreference::Auto, "RUN npm ci --omit=dev"),
            (format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"), RuntimePreference::Auto, "FROM node:20-slim AS runtime"),
            // `npm start` hides the output: prune and copy the directory.
            (format!("{TS}CMD [\"npm\", \"start\"]\n"), RuntimePreference::Auto, "RUN npm prune --omit=dev"),
            (format!("{TS}CMD [\"npm\", \"start\"]\n"), RuntimePreference::Auto, "COPY --from=builder /app /app"),
            // Distroless: the entrypoint is node, CMD is the script.
            (format!("{TS}CMD node dist/main.js\n"), RuntimePreference::Distroless, "CMD [\"dist/main.js\"]"),
            (format!("{TS}CMD node dist/main.js\n"), RuntimePreference::Distroless, "FROM node:20 AS deps"),
            // Alpine runtime from a Debian source: production deps on Alpine.
            (format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"), RuntimePreference::Alpine, "FROM node:20-alpine AS deps"),
            // pnpm is not in the runtime image.
            ("FROM node:22\nRUN corepack enable\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\nCMD [\"pnpm\", \"start\"]\n".into(), RuntimePreference::Auto, "CMD [\"npm\", \"start\"]"),
            // A development runner keeps every dependency.
            ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npx\", \"ts-node\", \"src/index.ts\"]\n".into(), RuntimePreference::Auto, "RUN npm ci\n"),
            // VOLUME directories are owned by node.
            ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nVOLUME /app/data\nCMD [\"node\", \"index.js\"]\n".into(), RuntimePreference::Auto, "chown node:node /app/data"),
        ];
        for (input, runtime, expected) in cases {
            let (_, out) = run(input, *runtime).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert!(
                out.contains(expected),
                "{input}\nexpected `{expected}` in:\n{out}"
            );
        }
    }

    #[test]
    fn change_log_names_what_is_emitted() {
        let convert = |text: &str| {
            convert_text(text, &ConvertOptions::default())
                .map(|o| o.conversion)
                .map_err(|r| r.reason)
        };
        // The source's own Yarn Berry prune is what the change log names.
        let own = "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN corepack enable && yarn install --immutable\nCOPY . .\nRUN yarn build\nRUN yarn workspaces focus --production\nCMD [\"yarn\", \"start\"]\n";
        let c = convert(own).expect("converts");
        assert!(
            c.dockerfile
                .contains("yarn workspaces focus --production\n"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.assumptions
                .iter()
                .all(|a| !a.contains("--all --production")),
            "{:?}",
            c.assumptions
        );
        // A `# syntax` line added for a heredoc says so.
        let spa = "FROM node:18-alpine\nWORKDIR /app\nCOPY package*.json ./\nCOPY ./src ./src\nCOPY ./public ./public\nRUN npm install && npm install -g serve && npm run build && rm -fr node_modules\nEXPOSE 3000\nCMD [ \"serve\", \"-s\", \"build\" ]\n";
        let c = convert(spa).expect("converts");
        assert!(c.dockerfile.contains("COPY <<"), "{}", c.dockerfile);
        let syntax = c.changes.iter().find(|ch| ch.summary.contains("# syntax"));
        assert!(
            syntax.is_some_and(|ch| ch.reason.contains("Heredocs") && !ch.reason.contains("Cache")),
            "{:?}",
            c.changes
        );
        // A start script from the source tree is copied before its chmod.
        let entry = "FROM node:20\nWORKDIR /usr/src/app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nRUN chmod +x ./entrypoint.sh\nENTRYPOINT [\"./entrypoint.sh\"]\nCMD [\"node\", \"dist/main.js\"]\n";
        let c = convert(entry).expect("converts");
        let runtime = c.dockerfile.split("AS runtime").nth(1).unwrap_or_default();
        let copy = runtime.find("COPY --from=builder /usr/src/app/entrypoint.sh ./entrypoint.sh\n");
        let chmod = runtime.find("RUN chmod +x ./entrypoint.sh");
        assert!(copy.is_some() && copy < chmod, "{}", c.dockerfile);
    }

    #[test]
    fn refusals() {
        let cases: &[(String, RuntimePreference, &str)] = &[
            (format!("{TS}CMD [\"npm\", \"start\"]\n"), RuntimePreference::Distroless, "not a `node` script"),
            (format!("{TS}CMD [\"node\", \"dist/main.js\"]\n"), RuntimePreference::Scratch, "scratch"),
            ("FROM node:21\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n".into(), RuntimePreference::Distroless, "even (LTS)"),
            ("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nodejs npm build-essential\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n".into(), RuntimePreference::Auto, "not the official `node` image"),
            ("FROM node:20-alpine\nRUN apk add --no-cache python3 make g++\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n".into(), RuntimePreference::Slim, "C library"),
            ("FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:20\nWORKDIR /app\nCOPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/main.js\"]\n".into(), RuntimePreference::Alpine, "would not load on the Alpine (musl)"),
        ];
        for (input, runtime, expected) in cases {
            match run(input, *runtime) {
                Ok((s, out)) => panic!("{input}: converted by {s}:\n{out}"),
                Err(e) => assert!(e.contains(expected), "{input}: {e}"),
            }
        }
    }
}
