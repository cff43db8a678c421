//! Next.js: the `builder` stage runs `next build`; the `runtime` stage is
//! the slim (or Alpine, as the source) image of the same Node.js, running
//! as `node` with `NODE_ENV=production`.
//!
//! With standalone output (`output: 'standalone'` lives in next.config,
//! which restage cannot read, so the Dockerfile must show it: a
//! `.next/standalone` path, or an `ENV`/`ARG` that names standalone), the
//! runtime stage gets `.next/standalone`, `.next/static` and `public` and
//! runs `node server.js`, as Vercel's with-docker example does: the
//! standalone folder carries only the modules the server uses. Otherwise a
//! `deps` stage installs production dependencies, and the runtime stage
//! gets them with `.next`, `public`, `package.json` and `next.config.*` and
//! runs `next start`.

use super::common::{add, install_command, keep_quiet, user_items};
use super::node_support::{
    Manager, Start, base_name, builder_items, deps_items, env_value, facts, is_node_stage,
    missing_tools, node_evidence, port_flag, refuse, runtime_package_list, script_via_npm,
    source_chown, start, system_runs, workdir_of,
};
use super::{Detection, Strategy};
use crate::convert::context::ConvertContext;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::join_workdir;

/// The strategy.
pub struct Nextjs;

const ECO: Ecosystem = Ecosystem::Nextjs;

/// Static file servers: a Next.js static export served by one is a SPA.
const STATIC: &[&str] = &["serve", "http-server", "nginx", "live-server", "sirv"];

/// What shows Next.js, with the line.
fn next_evidence(cx: &ConvertContext<'_>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        if let Some(run) = &i.run {
            for c in run.commands() {
                let words: Vec<&str> = std::iter::once(c.base_name())
                    .chain(c.args.iter().map(String::as_str))
                    .collect();
                if words
                    .windows(2)
                    .any(|w| w.first() == Some(&"next") && matches!(w.get(1), Some(&"build")))
                {
                    out.push((i.start_line, "runs `next build`".to_string()));
                }
            }
        }
        let text = cx.node(i).map(|n| n.original.clone()).unwrap_or_default();
        match i.keyword {
            Keyword::Copy | Keyword::Add => {
                for s in cx.copy_sources(i) {
                    let b = base_name(&s);
                    if b.starts_with("next.config.") {
                        out.push((i.start_line, format!("copies `{b}`")));
                    }
                }
                if text.contains(".next") {
                    out.push((i.start_line, "copies `.next`".into()));
                }
            }
            Keyword::Env | Keyword::Arg if text.contains("NEXT_") => {
                out.push((i.start_line, "sets a `NEXT_` variable".into()));
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                let words: Vec<&str> = text
                    .split(|c: char| c.is_whitespace() || matches!(c, '"' | '[' | ']' | ','))
                    .filter(|w| !w.is_empty())
                    .collect();
                if words.windows(2).any(|w| {
                    w.first() == Some(&"next") && matches!(w.get(1), Some(&"start" | &"dev"))
                }) {
                    out.push((i.start_line, "starts `next`".into()));
                }
                if text.contains(".next/standalone") {
                    out.push((i.start_line, "starts the standalone server".into()));
                }
            }
            Keyword::Run if text.contains(".next/") => {
                out.push((i.start_line, "works on `.next`".into()))
            }
            _ => {}
        }
    }
    out
}

/// Whether the source shows standalone output.
fn standalone(cx: &ConvertContext<'_>) -> Option<usize> {
    cx.instructions().find_map(|i| {
        let text = cx.node(i).map(|n| n.original.clone()).unwrap_or_default();
        let hit = text.contains(".next/standalone")
            || matches!(i.keyword, Keyword::Env | Keyword::Arg)
                && text.to_ascii_lowercase().contains("standalone");
        hit.then_some(i.start_line)
    })
}

impl Strategy for Nextjs {
    fn name(&self) -> &'static str {
        "nextjs"
    }

    fn ecosystem(&self) -> Ecosystem {
        ECO
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let f = facts(cx);
        if !is_node_stage(cx, &f) {
            return None;
        }
        if let Some(Start::Tool { name, .. }) = start(cx)
            && STATIC.contains(&name.as_str())
        {
            // A static export served as files is a SPA.
            return None;
        }
        let evidence = next_evidence(cx);
        if evidence.is_empty() {
            return None;
        }
        let mut d = node_evidence(cx, &f);
        for (k, (line, fact)) in evidence.into_iter().enumerate() {
            d.add(if k == 0 { 40 } else { 5 }, line, fact);
        }
        if let Some(line) = standalone(cx) {
            d.add(5, line, "standalone output (`.next/standalone`)");
        }
        Some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
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
        let Some(install) = f.main_install().cloned() else {
            return Err(refuse(
                ECO,
                "no dependency install (`npm ci`, `yarn install`, `pnpm install`) was found",
            ));
        };
        if f.installs.len() > 1 {
            return Err(refuse(
                ECO,
                format!(
                    "dependencies are installed by {} `RUN`s, so one production install cannot replace them",
                    f.installs.len()
                ),
            ));
        }
        let mut plan = Plan::new(ECO, self.name(), Confidence::High);
        let st = start(cx);
        let wd = cx.final_workdir().unwrap_or_else(|| "/".into());
        if wd == "/" {
            return Err(refuse(
                ECO,
                "the stage has no WORKDIR, so restage cannot tell the application's directory from the image's",
            ));
        }
        let standalone_line = standalone(cx);
        let custom_server = match &st {
            Some(Start::Node { script, .. }) if standalone_line.is_none() => Some(script.clone()),
            _ => None,
        };
        if let Some(script) = &custom_server {
            return Err(refuse(
                ECO,
                format!(
                    "the container starts `node {script}`, a custom Next.js server: restage cannot tell which files it needs besides `.next` (or, if it is the standalone server, the Dockerfile should show `.next/standalone`)"
                ),
            ));
        }

        // The runtime image.
        let (runtime_image, runtime_distro, distroless) = match cx.options.runtime {
            RuntimePreference::Scratch => {
                return Err(refuse(
                    ECO,
                    "Next.js needs the Node.js runtime, so it cannot run on `scratch`",
                ));
            }
            // The distroless command is `next start` through node: a start
            // command that runs a shell would lose what else its script
            // does (`prisma migrate deploy && …`, `-p $PORT`).
            RuntimePreference::Distroless
                if let Some(start) = super::shell_command::of_stage(cx) =>
            {
                return Err(refuse(
                    ECO,
                    start.refusal("distroless", "use --runtime auto"),
                ));
            }
            RuntimePreference::Distroless => (
                image.distroless().map_err(|e| refuse(ECO, e))?,
                if image.codename() == "trixie" {
                    Distro::Trixie
                } else {
                    Distro::Bookworm
                },
                true,
            ),
            RuntimePreference::Alpine => (image.alpine_variant(), Distro::Alpine, false),
            RuntimePreference::Slim if image.alpine() => (
                image.debian(true),
                if image.codename() == "trixie" {
                    Distro::Trixie
                } else {
                    Distro::Bookworm
                },
                false,
            ),
            RuntimePreference::Auto | RuntimePreference::Slim => (
                image.slim(),
                if image.alpine() {
                    Distro::Alpine
                } else {
                    image.distro
                },
                false,
            ),
        };
        if distroless {
            plan.assumptions
                .push(super::node_support::distroless_note(&runtime_image));
        }
        let family_switch = (runtime_distro == Distro::Alpine) != image.alpine();
        let libc = |alpine: bool| {
            if alpine {
                "Alpine (musl)"
            } else {
                "Debian (glibc)"
            }
        };
        if family_switch && standalone(cx).is_some() {
            return Err(refuse(
                ECO,
                format!(
                    "the standalone output carries the node_modules it traced, installed for {}; the runtime image is {}. Use --runtime {}",
                    libc(image.alpine()),
                    libc(!image.alpine()),
                    if image.alpine() { "alpine" } else { "slim" }
                ),
            ));
        }
        if family_switch && let Some(first) = system_runs(cx).first() {
            return Err(refuse(
                ECO,
                format!(
                    "line {}: system packages are installed with {}'s package manager, and the runtime image is {}; native modules must be built on the runtime's C library. Use --runtime {}",
                    first.start_line,
                    if image.alpine() { "Alpine" } else { "Debian" },
                    libc(!image.alpine()),
                    if image.alpine() { "alpine" } else { "slim" }
                ),
            ));
        }
        let deps_from = if family_switch {
            let img = if runtime_distro == Distro::Alpine {
                image.alpine_variant()
            } else {
                image.debian(false)
            };
            plan.assumptions.push(format!(
                "Production dependencies are installed on `{img}` so that native modules (sharp) match the runtime image's C library; `.next` is JavaScript and moves as it is"
            ));
            StageFrom::Image {
                image: img,
                platform: cx.stage.platform.clone(),
            }
        } else {
            StageFrom::Source
        };
        if image.raw.digest.is_some() {
            plan.assumptions.push(format!(
                "`{}` is pinned by digest; the runtime image `{runtime_image}` is not — pin it too",
                cx.stage.base_text
            ));
        }

        // The port the server listened on.
        let start_args: Vec<String> = match &st {
            Some(Start::Tool { args, .. } | Start::Script { args, .. }) => args.clone(),
            _ => Vec::new(),
        };
        let port = port_flag(&start_args, &["-p", "--port"]);
        let dev = match &st {
            Some(Start::Tool { name, args, .. })
                if name == "next" && args.first().is_some_and(|a| a == "dev") =>
            {
                true
            }
            Some(Start::Script { script, .. }) => script == "dev",
            _ => false,
        };

        // Builder.
        let mut notes = Vec::new();
        let mut append = Vec::new();
        let build_dir = f
            .builds
            .last()
            .map_or_else(|| wd.clone(), |b| workdir_of(b));
        if !f.builds() {
            if !dev {
                return Err(refuse(
                    ECO,
                    "no `next build` (or `npm run build`) was found and the container does not run `next dev`, so restage cannot tell how the application is built",
                ));
            }
            let run = match f.manager {
                Manager::Npm => "npm run build".to_string(),
                m => format!("{} build", m.command()),
            };
            append.push(add(
                format!("RUN {run}"),
                ChangeKind::Add,
                "The production build runs in the builder",
                "the source ran the development server; production serves the output of `next build`",
                vec![st_line(cx)],
            ));
            plan.warnings.push("The source ran `next dev` in the container, which is not meant for production (no optimisation, file watchers). The image now runs the production build with `next start`".into());
            let public: Vec<String> = cx
                .with_keyword(Keyword::Env)
                .filter_map(|i| match i.kind() {
                    Some(CommandKind::Env(p)) => {
                        Some(p.iter().map(|kv| kv.key.clone()).collect::<Vec<_>>())
                    }
                    _ => None,
                })
                .flatten()
                .filter(|k| k.starts_with("NEXT_PUBLIC_"))
                .collect();
            if !public.is_empty() {
                plan.warnings.push(format!(
                    "{} {} inlined into the client bundle by `next build`: setting {} with `docker run -e` no longer changes what the browser gets; pass {} as build arguments",
                    public.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                    if public.len() == 1 { "is" } else { "are" },
                    if public.len() == 1 { "it" } else { "them" },
                    if public.len() == 1 { "it" } else { "them" }
                ));
            }
            plan.assumptions.push("package.json has a `build` script that runs `next build` (create-next-app writes one)".into());
        }
        let std_line = standalone_line;
        if std_line.is_none() {
            append.push(add(
                format!(
                    "RUN rm -rf {}",
                    join_workdir(Some(&build_dir), ".next/cache")
                ),
                ChangeKind::Add,
                "The build cache is removed before `.next` is copied",
                "`.next/cache` only speeds up the next build; `next start` recreates what it needs",
                Vec::new(),
            ));
        }
        let builder = builder_items(cx, &f, std_line.is_none(), &|_| false, append, &mut notes);
        plan.stages.push(StagePlan {
            name: "builder".into(),
            from: StageFrom::Source,
            from_change: Some(ChangeSpec::new(
                ChangeKind::RenameStage,
                "The original stage becomes the builder",
                "it installs every dependency and runs `next build`",
                vec![cx.stage.line],
            )),
            items: builder,
        });
        let mut node_modules = join_workdir(Some(&install.dir), "node_modules");
        if std_line.is_none() {
            let (items, nm) = deps_items(cx, &f, &install, !family_switch, true);
            node_modules = nm;
            plan.stages.push(StagePlan {
                name: "deps".into(),
                from: deps_from,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::AddStage,
                    "A `deps` stage installs production dependencies",
                    "`next start` needs `next`, React and the application's runtime dependencies, not the development ones",
                    vec![install.instruction.start_line],
                )),
                items,
            });
        }

        // Runtime.
        let chown = match (source_chown(cx), distroless) {
            (_, true) => "65532:65532".to_string(),
            (Some(c), false) => c,
            (None, false) => "node:node".to_string(),
        };
        let mut items: Vec<Item> = Vec::new();
        if env_value(cx, "NODE_ENV").is_none() {
            items.push(add(
                "ENV NODE_ENV=production",
                ChangeKind::Add,
                "`NODE_ENV=production`",
                "Next.js and React run in production mode",
                Vec::new(),
            ));
        }
        let mut packages = runtime_package_list(cx, image.distro, runtime_distro, &[]);
        let missing = missing_tools(cx, &image, runtime_distro);
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|(t, _)| t.clone()).collect();
            let pk = packages.get_or_insert_with(|| super::common::RuntimePackages {
                packages: Vec::new(),
                reason: "the container runs them, and the runtime image does not have them".into(),
                lines: Vec::new(),
                unresolved: Vec::new(),
                unmapped: Vec::new(),
            });
            for n in names {
                if !pk.packages.contains(&n) {
                    pk.packages.push(n);
                }
            }
            pk.lines.extend(missing.iter().map(|(_, l)| *l));
        }
        if let Some(pk) = &packages {
            if distroless {
                return Err(refuse(
                    ECO,
                    format!(
                        "the application needs system packages at run time ({}), and distroless images cannot install any; use --runtime slim",
                        pk.packages.join(", ")
                    ),
                ));
            }
            items.push(add(
                install_command(runtime_distro, &pk.packages, cx.escape()),
                ChangeKind::RuntimeLibrary,
                format!("Runtime packages: {}", pk.packages.join(", ")),
                pk.reason.clone(),
                pk.lines.clone(),
            ));
        } else if let Some(first) = system_runs(cx).first() {
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "System packages are not installed in the runtime stage",
                "they were only needed to install or build",
                vec![first.start_line],
            ));
        }
        items.push(add(
            format!("WORKDIR {wd}"),
            ChangeKind::Keep,
            format!("Working directory `{wd}`"),
            "the server runs from the same directory as before",
            Vec::new(),
        ));
        let app = |p: &str| join_workdir(Some(&build_dir), p);
        let rel = |p: &str| {
            let abs = app(p);
            match abs.strip_prefix(&format!("{}/", wd.trim_end_matches('/'))) {
                Some(r) => format!("./{r}"),
                None => abs,
            }
        };
        let build_lines: Vec<usize> = f.builds.iter().map(|b| b.start_line).collect();
        // `public` may not exist; the wildcard lets the copy match nothing.
        let public_known = cx
            .copies()
            .any(|(i, _)| cx.copy_sources(i).iter().any(|s| base_name(s) == "public"));
        let whole = cx.copies().any(|(i, _)| cx.copies_everything(i));
        let public_src = if public_known {
            app("public")
        } else {
            app("publi[c]")
        };
        let public_item = (public_known || whole).then(|| {
            add(
                format!("COPY --from=builder {public_src} {}", rel("public")),
                ChangeKind::CopyArtifact,
                "`public` from the builder",
                if public_known {
                    "Next.js serves these files as they are"
                } else {
                    "Next.js serves these files as they are; the `[c]` wildcard lets the copy succeed when the project has no `public` directory"
                },
                build_lines.clone(),
            )
        });
        if std_line.is_some() {
            if let Some(p) = public_item {
                items.push(p);
            }
            items.push(add(
                format!("COPY --from=builder --chown={chown} {} ./", app(".next/standalone")),
                ChangeKind::CopyArtifact,
                "The standalone server from the builder",
                "`next build` with `output: 'standalone'` traces the server and the modules it uses into `.next/standalone`; no other node_modules are needed",
                build_lines.clone(),
            ));
            items.push(add(
                format!("COPY --from=builder --chown={chown} {} ./.next/static", app(".next/static")),
                ChangeKind::CopyArtifact,
                "`.next/static` from the builder",
                "the standalone folder does not include the static assets; without them pages load without CSS and scripts",
                build_lines.clone(),
            ));
            if build_dir != wd {
                plan.assumptions.push(format!("The standalone server is copied into `{wd}`, the working directory, and runs from there"));
            }
        } else {
            items.push(add(
                format!(
                    "COPY --from=deps {node_modules} {}",
                    if node_modules == format!("{}/node_modules", wd.trim_end_matches('/')) {
                        "./node_modules".into()
                    } else {
                        node_modules.clone()
                    }
                ),
                ChangeKind::CopyArtifact,
                "Production `node_modules` from the `deps` stage",
                "`next start` runs with production dependencies only",
                vec![install.instruction.start_line],
            ));
            items.push(add(
                format!(
                    "COPY --from=deps {} {}",
                    join_workdir(Some(&install.dir), "package.json"),
                    rel("package.json")
                ),
                ChangeKind::CopyArtifact,
                "`package.json` from the `deps` stage",
                "`npm start` and Next.js read it",
                vec![install.instruction.start_line],
            ));
            items.push(add(
                format!("COPY --from=builder {} ./", app("next.config.*")),
                ChangeKind::CopyArtifact,
                "`next.config.*` from the builder",
                "`next start` reads the configuration (rewrites, headers, images); the wildcard matches .js, .mjs and .ts",
                build_lines.clone(),
            ));
            if let Some(p) = public_item {
                items.push(p);
            }
            items.push(add(
                format!("COPY --from=builder --chown={chown} {} {}", app(".next"), rel(".next")),
                ChangeKind::CopyArtifact,
                "The `.next` build output from the builder",
                "it holds the compiled pages and server code; owned by the runtime user because Next.js writes its image and data cache there",
                build_lines.clone(),
            ));
            if super::node_support::prisma(cx) {
                let engines = format!("{node_modules}/.prisma");
                items.push(add(
                    format!("COPY --from=builder {engines} {engines}"),
                    ChangeKind::CopyArtifact,
                    "The generated Prisma client from the builder",
                    "`prisma generate` writes it into node_modules/.prisma, which the production install does not have",
                    build_lines.clone(),
                ));
            }
            plan.assumptions.push("Next.js reads nothing else of the source tree at run time (a custom server, `content/` or other data files would have to be copied too)".into());
            plan.confidence = Confidence::Medium;
        }
        if !public_known && whole {
            plan.assumptions
                .push("`public` is copied when the project has one".into());
        }
        // Runtime behaviour: the source's, then what the server needs.
        let (mut user, _) = if distroless
            && (cx.options.user.is_some() || super::common::kept_root(cx).is_some())
        {
            user_items(cx, Some("nonroot"), ImageUsers::DISTROLESS)
        } else if distroless {
            (
                vec![add(
                    "USER nonroot",
                    ChangeKind::User,
                    "Runs as `nonroot`, not root",
                    "distroless images have the non-root user `nonroot` (uid 65532)",
                    Vec::new(),
                )],
                "nonroot".to_string(),
            )
        } else {
            user_items(cx, Some("node"), ImageUsers::Shell(runtime_distro))
        };
        let mut user_done = false;
        for i in cx.instructions() {
            match i.keyword {
                Keyword::Arg => items.push(keep_quiet(i)),
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                    if i.keyword == Keyword::Healthcheck && distroless {
                        return Err(refuse(
                            ECO,
                            format!(
                                "line {}: the HEALTHCHECK runs a command, and distroless images have no shell, curl or wget; use --runtime slim",
                                i.start_line
                            ),
                        ));
                    }
                    if !user_done {
                        user_done = true;
                        if std_line.is_some() {
                            if env_value(cx, "HOSTNAME").is_none() {
                                items.push(add("ENV HOSTNAME=0.0.0.0", ChangeKind::Add, "`HOSTNAME=0.0.0.0`", "server.js listens on $HOSTNAME, which Docker sets to the container ID; 0.0.0.0 makes it reachable from outside the container", Vec::new()));
                            }
                            if let Some(p) = port
                                && env_value(cx, "PORT").is_none()
                            {
                                items.push(add(
                                    format!("ENV PORT={p}"),
                                    ChangeKind::Add,
                                    format!("`PORT={p}`"),
                                    format!(
                                        "`next start -p {p}` listened there; server.js reads PORT"
                                    ),
                                    Vec::new(),
                                ));
                            }
                        }
                        items.append(&mut user);
                    }
                    if i.keyword == Keyword::Healthcheck {
                        items.push(keep_quiet(i));
                    }
                }
                Keyword::User | Keyword::Workdir => {}
                Keyword::Shell if distroless => {}
                k if super::common::is_runtime_behaviour(k) => items.push(keep_quiet(i)),
                _ => {}
            }
        }
        if !user_done {
            items.append(&mut user);
        }
        // The command.
        let cmd_line = st_line(cx);
        let (words, summary, reason): (Vec<String>, String, String) = if std_line.is_some() {
            (
                if distroless { vec!["server.js".into()] } else { vec!["node".into(), "server.js".into()] },
                "The standalone server starts with `node server.js`".into(),
                "the standalone output has its own server and no `next` CLI; node runs it directly and receives stop signals".into(),
            )
        } else if distroless {
            let mut w = vec![
                "node_modules/next/dist/bin/next".to_string(),
                "start".into(),
            ];
            if let Some(p) = port {
                w.extend(["-p".into(), p.to_string()]);
            }
            (w, "`next start` runs through node".into(), "the distroless Node.js image's entrypoint is `node`, so CMD names the Next.js CLI script".into())
        } else if dev {
            let mut w = vec!["node_modules/.bin/next".to_string(), "start".into()];
            if let Some(p) = port {
                w.extend(["-p".into(), p.to_string()]);
            }
            (
                w,
                "The server starts with `next start`".into(),
                "`next dev` is the development server; `next start` serves the production build"
                    .into(),
            )
        } else {
            (Vec::new(), String::new(), String::new())
        };
        let entry_lines: Vec<usize> = cx
            .with_keyword(Keyword::Entrypoint)
            .map(|i| i.start_line)
            .collect();
        if words.is_empty() {
            // `next start` as the source wrote it; pnpm and Yarn Berry
            // scripts run through npm.
            let rewrites = script_via_npm(cx, &f, &st);
            for i in cx
                .with_keyword(Keyword::Entrypoint)
                .chain(cx.with_keyword(Keyword::Cmd))
            {
                match rewrites.iter().find(|r| r.0 == i.node) {
                    Some((node, text, summary, reason)) => items.push(Item::Rewrite {
                        node: *node,
                        text: text.clone(),
                        change: ChangeSpec::new(
                            ChangeKind::Rewrite,
                            summary.clone(),
                            reason.clone(),
                            vec![i.start_line],
                        ),
                    }),
                    None => items.push(keep_quiet(i)),
                }
            }
            if let Some(Start::Script { script, .. }) = &st {
                plan.assumptions
                    .push(format!("The `{script}` script runs `next start`"));
            }
        } else {
            if !entry_lines.is_empty() {
                notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    "ENTRYPOINT left out",
                    "the server starts directly with CMD",
                    entry_lines,
                ));
            }
            let json = super::common::exec_form(&words).unwrap_or_default();
            items.push(add(
                format!("CMD {json}"),
                ChangeKind::Rewrite,
                summary,
                reason,
                vec![cmd_line],
            ));
        }
        if std_line.is_some() {
            plan.assumptions.push(
                "next.config sets `output: 'standalone'` (the Dockerfile shows `.next/standalone`)"
                    .into(),
            );
        }
        plan.notes = notes;
        plan.needs_syntax |= cx.options.cache_mounts;
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image {
                image: runtime_image.clone(),
                platform: cx.stage.platform.clone(),
            },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{runtime_image}`"),
                if distroless {
                    "distroless Node.js: node and its libraries, no shell or package manager"
                        .to_string()
                } else {
                    "the same Node.js without compilers, headers or development dependencies"
                        .to_string()
                },
                vec![cx.stage.line],
            )),
            items,
        });
        Ok(plan)
    }
}

/// The line of the start command.
fn st_line(cx: &ConvertContext<'_>) -> usize {
    cx.last(Keyword::Cmd)
        .or_else(|| cx.last(Keyword::Entrypoint))
        .map_or(cx.stage.line, |i| i.start_line)
}

#[cfg(test)]
mod tests {
    fn mentions(text: &str, word: &str) -> bool {
        text.contains(word)
    }
    use crate::convert::{ConvertOptions, convert_text};

    fn convert(text: &str) -> Result<(String, String), String> {
        convert_text(text, &ConvertOptions::default())
            .map(|o| (o.conversion.strategy, o.conversion.dockerfile))
            .map_err(|r| r.reason)
    }

    #[test]
    fn standalone_or_not() {
        let standalone = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \".next/standalone/server.js\"]\n";
        let (s, out) = convert(standalone).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, "nextjs");
        assert!(
            mentions(
                &out,
                "COPY --from=builder --chown=node:node /app/.next/standalone ./"
            ),
            "{out}"
        );
        assert!(mentions(&out, "CMD [\"node\", \"server.js\"]"), "{out}");
        assert!(!mentions(&out, "AS deps"), "{out}");
        let plain = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile && yarn build\nCMD [\"yarn\", \"start\"]\nCOPY next.config.js ./\n";
        let (s, out) = convert(plain).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, "nextjs");
        assert!(mentions(&out, "FROM node:20 AS deps"), "{out}");
        assert!(
            mentions(&out, "yarn install --production --frozen-lockfile"),
            "{out}"
        );
        assert!(
            mentions(
                &out,
                "COPY --from=builder --chown=node:node /app/.next ./.next"
            ),
            "{out}"
        );
        // A static export served by `serve` is a SPA.
        let export = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npx next build\nCMD [\"npx\", \"serve\", \"out\"]\n";
        let (s, _) = convert(export).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, "node-spa");
    }

    /// On distroless the command becomes `next start` through node: a
    /// script that also migrates, or reads the port from a variable, would
    /// lose that, so the conversion is refused and names the command.
    #[test]
    fn a_start_script_that_runs_a_shell_is_not_put_on_distroless() {
        let text = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npx next build\nCMD [\"sh\", \"-c\", \"npx prisma migrate deploy && npx next start -p $PORT\"]\n";
        let options = ConvertOptions {
            runtime: crate::convert::RuntimePreference::Distroless,
            ..ConvertOptions::default()
        };
        let refusal = convert_text(text, &options).map(|o| o.conversion.dockerfile);
        assert!(
            refusal.as_ref().is_err_and(|r| r
                .reason
                .starts_with("line 7: the command runs a shell (`sh -c npx prisma migrate deploy")
                && r.reason
                    .ends_with("and distroless has none; use --runtime auto")),
            "{refusal:?}"
        );
        // The default keeps the script on a runtime with a shell.
        let (s, out) = convert(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, "nextjs");
        assert!(
            mentions(&out, "npx prisma migrate deploy && npx next start -p $PORT"),
            "{out}"
        );
    }
}
