//! Single-page applications (React with react-scripts, Vite, Angular, Vue
//! CLI) built with npm, Yarn or pnpm and served by `serve`, `http-server`,
//! nginx installed in the image, or a development server: the `builder`
//! stage runs the production build, and the `runtime` stage is nginx with
//! the build output in its document root and nothing of Node.js.
//!
//! nginx listens on the port the application served before, so published
//! ports keep working. restage writes the server block (with the SPA
//! fallback, `try_files $uri $uri/ /index.html`) as a heredoc unless the
//! source copies its own nginx configuration, which is kept. With restage's
//! configuration on a port from 1024 the image is
//! `nginxinc/nginx-unprivileged` (nginx runs as uid 101 throughout); a
//! port below 1024 or the source's own configuration (written for the
//! stock image's paths and user) keeps the stock `nginx` image, whose
//! master process binds the port as root and whose workers run as `nginx`.

use super::common::{add, keep, keep_quiet};
use super::node_support::{
    NodeFacts, Start, base_name, builder_items, env_value, exposed, facts, is_node_stage,
    node_evidence, port_flag, refuse, start, workdir_of,
};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::model::{Instruction, join_workdir};

/// The strategy.
pub struct NodeSpa;

const ECO: Ecosystem = Ecosystem::NodeSpa;

/// Where nginx images serve files from.
const HTML: &str = "/usr/share/nginx/html";

/// Static file servers from npm.
const STATIC_SERVERS: &[&str] = &[
    "serve",
    "http-server",
    "live-server",
    "lite-server",
    "static-server",
    "sirv",
    "sirv-cli",
];

/// The SPA tooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framework {
    /// Create React App (`react-scripts`).
    Cra,
    /// Vite.
    Vite,
    /// Angular CLI.
    Angular,
    /// Vue CLI (`vue-cli-service`).
    VueCli,
}

impl Framework {
    fn label(self) -> &'static str {
        match self {
            Self::Cra => "Create React App",
            Self::Vite => "Vite",
            Self::Angular => "Angular",
            Self::VueCli => "Vue CLI",
        }
    }

    /// The build output directory by default.
    fn output(self) -> &'static str {
        match self {
            Self::Cra => "build",
            Self::Vite | Self::VueCli => "dist",
            Self::Angular => "dist/*/browser",
        }
    }

    /// The development server's port by default.
    fn dev_port(self) -> u16 {
        match self {
            Self::Cra => 3000,
            Self::Vite => 5173,
            Self::Angular => 4200,
            Self::VueCli => 8080,
        }
    }
}

/// How the source served the application.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Serving {
    /// A static file server from npm, with the directory it serves
    /// (relative to the working directory) and whether it falls back to
    /// `index.html`.
    Static {
        server: String,
        dir: Option<String>,
        port: u16,
        fallback: bool,
    },
    /// nginx installed in the image.
    Nginx,
    /// `vite preview` (serves the build).
    Preview { port: u16 },
    /// A development server.
    Dev { what: String, port: u16 },
}

/// Every word of the stage that can name SPA tooling, with its line.
fn words(cx: &ConvertContext<'_>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        if let Some(run) = &i.run {
            for c in run.commands() {
                out.push((i.start_line, c.base_name().to_string()));
                out.extend(c.args.iter().map(|a| (i.start_line, a.clone())));
            }
        }
        match i.kind() {
            Some(CommandKind::Copy(_) | CommandKind::Add(_)) => {
                out.extend(
                    cx.copy_sources(i)
                        .into_iter()
                        .map(|s| (i.start_line, base_name(&s).to_string())),
                );
            }
            Some(CommandKind::Env(pairs)) => {
                out.extend(pairs.iter().map(|kv| (i.start_line, kv.key.clone())))
            }
            Some(CommandKind::Arg(decls)) => {
                out.extend(decls.iter().map(|d| (i.start_line, d.key.clone())))
            }
            Some(CommandKind::Cmd(c) | CommandKind::Entrypoint(c)) => {
                out.extend(c.args.iter().flat_map(|a| {
                    a.split_whitespace()
                        .map(|w| (i.start_line, w.to_string()))
                        .collect::<Vec<_>>()
                }));
            }
            _ => {}
        }
    }
    out
}

/// The framework, with the line and word that showed it.
fn framework(cx: &ConvertContext<'_>) -> Option<(Framework, usize, String)> {
    for (line, w) in words(cx) {
        let w2 = package_of(&w);
        let fw = match w2 {
            "react-scripts" => Some(Framework::Cra),
            "@angular/cli" | "ng" | "angular.json" => Some(Framework::Angular),
            "vite" | "@vitejs/plugin-react" => Some(Framework::Vite),
            "vue-cli-service" | "@vue/cli" | "@vue/cli-service" | "vue.config.js" => {
                Some(Framework::VueCli)
            }
            w if w.starts_with("vite.config.") => Some(Framework::Vite),
            w if w.starts_with("REACT_APP_") => Some(Framework::Cra),
            w if w.starts_with("VITE_") => Some(Framework::Vite),
            w if w.starts_with("VUE_APP_") => Some(Framework::VueCli),
            w if w.starts_with("NG_APP_") => Some(Framework::Angular),
            _ => None,
        };
        if let Some(fw) = fw {
            return Some((fw, line, w));
        }
    }
    None
}

/// A package spec without its version.
fn package_of(w: &str) -> &str {
    super::node_support::package_name(w)
}

/// The change-log entry for a `RUN` that set up the Node.js image to
/// serve the files (installed nginx or a static server, or copied the
/// build into the web root): the nginx runtime image does that itself.
fn web_server_note(i: &Instruction, nginx: bool) -> ChangeSpec {
    let (summary, reason) = if nginx {
        (
            "nginx's install is left out",
            "the runtime stage is the nginx image, which has nginx",
        )
    } else {
        (
            "The static file server's setup is left out",
            "nginx serves the build output, which the runtime stage copies into its document root from the builder",
        )
    };
    ChangeSpec::new(ChangeKind::Drop, summary, reason, vec![i.start_line])
}
/// Whether nginx is installed by a `RUN` of the stage.
fn installs_nginx(i: &Instruction) -> bool {
    classify_run(i).system.is_some_and(|s| {
        s.installed.iter().any(|p| {
            crate::knowledge::packages::package_name(p) == "nginx" || p.starts_with("nginx-")
        })
    })
}

/// How the source serves the application.
fn serving(cx: &ConvertContext<'_>, fw: Option<Framework>) -> Option<Serving> {
    let st = start(cx)?;
    let env_port = env_value(cx, "PORT").and_then(|p| p.parse().ok());
    let one_exposed = || {
        let ports = exposed(cx);
        (ports.len() == 1).then(|| ports.first().copied()).flatten()
    };
    match st {
        Start::Tool { name, args, .. } if STATIC_SERVERS.contains(&name.as_str()) => {
            let value_flags: &[&str] = if name == "serve" {
                &[
                    "-l",
                    "--listen",
                    "-p",
                    "--port",
                    "-c",
                    "--config",
                    "--ssl-cert",
                    "--ssl-key",
                    "--ssl-pass",
                ]
            } else {
                &[
                    "-p",
                    "--port",
                    "-a",
                    "-c",
                    "-e",
                    "--ext",
                    "-P",
                    "--proxy",
                    "-K",
                    "--key",
                    "-C",
                    "--cert",
                    "-t",
                    "--timeout",
                    "--host",
                ]
            };
            let mut dir = None;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a.starts_with('-') {
                    if value_flags.contains(&a.as_str()) {
                        it.next();
                    }
                    continue;
                }
                dir.get_or_insert_with(|| a.clone());
            }
            let (flags, default): (&[&str], u16) = match name.as_str() {
                "serve" => (&["-l", "--listen", "-p", "--port"], 3000),
                "http-server" => (&["-p", "--port"], 8080),
                _ => (&["-p", "--port"], 8080),
            };
            let port = port_flag(&args, flags).or(env_port).unwrap_or(default);
            let fallback = args
                .iter()
                .any(|a| a == "-s" || a == "--single" || a.starts_with("--proxy") || a == "-P");
            Some(Serving::Static {
                server: name,
                dir,
                port,
                fallback,
            })
        }
        Start::Tool { name, .. } if name == "nginx" => Some(Serving::Nginx),
        Start::Tool { name, args, .. }
            if name == "vite" && args.first().is_some_and(|a| a == "preview") =>
        {
            Some(Serving::Preview {
                port: port_flag(&args, &["--port"]).unwrap_or(4173),
            })
        }
        Start::Tool { name, args, .. }
            if name == "vite"
                && args
                    .first()
                    .is_none_or(|a| a == "dev" || a == "serve" || a.starts_with('-')) =>
        {
            Some(Serving::Dev {
                what: "`vite` (the development server)".into(),
                port: port_flag(&args, &["--port"]).unwrap_or(5173),
            })
        }
        Start::Tool { name, args, .. }
            if name == "ng" && args.first().is_some_and(|a| a == "serve" || a == "s") =>
        {
            Some(Serving::Dev {
                what: "`ng serve` (the development server)".into(),
                port: port_flag(&args, &["--port"]).unwrap_or(4200),
            })
        }
        Start::Tool { name, args, .. }
            if name == "react-scripts" && args.first().is_some_and(|a| a == "start") =>
        {
            Some(Serving::Dev {
                what: "`react-scripts start` (the development server)".into(),
                port: env_port.unwrap_or(3000),
            })
        }
        Start::Tool { name, args, .. }
            if name == "vue-cli-service" && args.first().is_some_and(|a| a == "serve") =>
        {
            Some(Serving::Dev {
                what: "`vue-cli-service serve` (the development server)".into(),
                port: port_flag(&args, &["--port"]).unwrap_or(8080),
            })
        }
        Start::Script {
            manager,
            script,
            args,
        } => {
            let fw = fw?;
            match script.as_str() {
                "preview" if fw == Framework::Vite => Some(Serving::Preview {
                    port: port_flag(&args, &["--port"])
                        .or_else(one_exposed)
                        .unwrap_or(4173),
                }),
                "start" | "dev" | "serve" | "develop" => Some(Serving::Dev {
                    what: format!(
                        "`{manager} {}{script}` ({}'s development server)",
                        if script == "start" { "" } else { "run " },
                        fw.label()
                    ),
                    port: port_flag(&args, &["--port"])
                        .or(if fw == Framework::Cra { env_port } else { None })
                        .or_else(one_exposed)
                        .unwrap_or(fw.dev_port()),
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `cp`/`mv` of the build output into a web root: the output (absolute)
/// and the web root, with the instruction.
fn copied_to_web_root<'a>(cx: &ConvertContext<'a>) -> Option<(String, String, &'a Instruction)> {
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        let mut dir = workdir_of(i);
        for c in run.commands() {
            if c.is("cd")
                && let Some(t) = c.args.first()
            {
                dir = join_workdir(Some(&dir), t);
            }
            if !(c.is("cp") || c.is("mv") || c.is("rsync")) {
                continue;
            }
            let operands: Vec<&String> = c.args.iter().filter(|a| !a.starts_with('-')).collect();
            let (Some(dest), Some(src)) = (operands.last(), operands.first()) else {
                continue;
            };
            if operands.len() < 2 {
                continue;
            }
            let dest = join_workdir(Some(&dir), dest);
            if dest.starts_with(HTML)
                || dest.starts_with("/var/www")
                || dest.starts_with("/usr/share/nginx")
            {
                let src = src
                    .trim_end_matches("/*")
                    .trim_end_matches("/.")
                    .trim_end_matches('/');
                return Some((
                    join_workdir(Some(&dir), src),
                    dest.trim_end_matches('/').to_string(),
                    i,
                ));
            }
        }
    }
    None
}

/// A `COPY` of the source's own nginx configuration.
fn nginx_config<'a>(cx: &ConvertContext<'a>) -> Option<&'a Instruction> {
    cx.copies()
        .find(|(i, c)| {
            let dest = join_workdir(Some(&workdir_of(i)), &c.dest);
            dest.starts_with("/etc/nginx")
                || c.sources.iter().any(|s| {
                    let b = base_name(s);
                    b == "nginx.conf" || b.starts_with("nginx") && b.ends_with(".conf")
                })
        })
        .map(|(i, _)| i)
}

/// The `ng build`/`vite build`/`vue-cli-service build` output flag.
fn output_flag(f: &NodeFacts<'_>) -> Option<String> {
    for b in &f.builds {
        let Some(run) = &b.run else { continue };
        for c in run.commands() {
            let v = port_flag_str(
                &c.args,
                &["--output-path", "--outDir", "--outdir", "--dest"],
            );
            if v.is_some() {
                return v;
            }
        }
    }
    None
}

/// A flag's string value (`--flag v`, `--flag=v`).
fn port_flag_str(args: &[String], names: &[&str]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some((flag, v)) = a.split_once('=') {
            if names.contains(&flag) {
                return Some(v.to_string());
            }
        } else if names.contains(&a.as_str()) {
            return it.next().cloned();
        }
    }
    None
}

impl Strategy for NodeSpa {
    fn name(&self) -> &'static str {
        "node-spa"
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
        let base = d.score;
        let fw = framework(cx);
        let line = cx
            .last(Keyword::Cmd)
            .or_else(|| cx.last(Keyword::Entrypoint))
            .map_or(cx.stage.line, |i| i.start_line);
        if let Some((fw, l, w)) = &fw {
            d.add(10, *l, format!("{} (`{w}`)", fw.label()));
        }
        match serving(cx, fw.as_ref().map(|(f, _, _)| *f)) {
            Some(Serving::Static { server, dir, .. }) => d.add(
                30,
                line,
                format!(
                    "serves static files with `{server}`{}",
                    dir.map(|d| format!(" from `{d}`")).unwrap_or_default()
                ),
            ),
            Some(Serving::Nginx) => {
                if let Some(i) = cx.instructions().find(|i| installs_nginx(i)) {
                    d.add(30, i.start_line, "installs nginx and runs it");
                } else {
                    d.add(20, line, "runs nginx");
                }
            }
            Some(Serving::Preview { .. }) => {
                d.add(25, line, "serves the build with `vite preview`")
            }
            Some(Serving::Dev { what, .. }) => d.add(25, line, format!("runs {what}")),
            None => {}
        }
        if copied_to_web_root(cx).is_some() {
            d.add(10, line, "copies the build into a web root");
        }
        (d.score >= base + 20 && base >= 10).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let f = facts(cx);
        let fw = framework(cx).map(|(f, _, _)| f);
        let serving = serving(cx, fw).ok_or_else(|| {
            refuse(ECO, "the container does not start a web server or development server restage recognises, so it cannot tell how the application is served")
        })?;
        let mut plan = Plan::new(ECO, self.name(), Confidence::High);
        let wd = cx.final_workdir().unwrap_or_else(|| "/".into());
        let manager = f.manager;
        let build_dir = f
            .builds
            .last()
            .map_or_else(|| wd.clone(), |b| workdir_of(b));

        // The build: the source's, or the production build the
        // development server stood for.
        let mut append = Vec::new();
        if !f.builds() {
            match &serving {
                Serving::Dev { .. } | Serving::Preview { .. } => {
                    if f.installs.is_empty() {
                        return Err(refuse(
                            ECO,
                            "no dependency install was found, so the build cannot run",
                        ));
                    }
                    let run = match manager {
                        super::node_support::Manager::Npm => "npm run build".to_string(),
                        m => format!("{} build", m.command()),
                    };
                    let line = cx
                        .last(Keyword::Cmd)
                        .or_else(|| cx.last(Keyword::Entrypoint))
                        .map_or(cx.stage.line, |i| i.start_line);
                    append.push(add(
                        format!("RUN {run}"),
                        ChangeKind::Add,
                        "The production build runs in the builder",
                        "the source served the application from a development server; nginx serves the optimised build instead",
                        vec![line],
                    ));
                    plan.assumptions.push(format!(
                        "package.json has a `build` script ({} projects have one: `{}`) that writes the production build",
                        fw.map_or("generated", Framework::label),
                        match fw {
                            Some(Framework::Cra) => "react-scripts build",
                            Some(Framework::Vite) | None => "vite build",
                            Some(Framework::Angular) => "ng build",
                            Some(Framework::VueCli) => "vue-cli-service build",
                        }
                    ));
                }
                _ => {
                    return Err(refuse(
                        ECO,
                        "nothing is built in the image (no `npm run build`, `ng build`, `vite build`); the files it serves come from the build context, so there is no build output to move",
                    ));
                }
            }
        }
        if let Serving::Dev { what, .. } = &serving {
            plan.warnings.push(format!(
                "The source ran {what} in the container, which is not meant for production (unminified code, file watchers, development tooling). The image now serves the production build with nginx"
            ));
            let baked: Vec<String> = cx
                .with_keyword(Keyword::Env)
                .filter_map(|i| match i.kind() {
                    Some(CommandKind::Env(p)) => {
                        Some(p.iter().map(|kv| kv.key.clone()).collect::<Vec<_>>())
                    }
                    _ => None,
                })
                .flatten()
                .filter(|k| {
                    ["REACT_APP_", "VITE_", "VUE_APP_", "NG_APP_"]
                        .iter()
                        .any(|p| k.starts_with(p))
                })
                .collect();
            if !baked.is_empty() {
                plan.warnings.push(format!(
                    "{} {} compiled into the bundle by the build: setting {} with `docker run -e` no longer has any effect; pass {} as build arguments instead",
                    baked.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                    if baked.len() == 1 { "is" } else { "are" },
                    if baked.len() == 1 { "it" } else { "them" },
                    if baked.len() == 1 { "it" } else { "them" }
                ));
            }
        }

        // Where the build writes its files.
        let web_root_copy = copied_to_web_root(cx);
        let config = nginx_config(cx);
        let (output, how) = if let Some((src, _, _)) = &web_root_copy {
            (
                src.clone(),
                "the build output is copied into the web root".to_string(),
            )
        } else if let Serving::Static {
            dir: Some(dir),
            server,
            ..
        } = &serving
        {
            (
                join_workdir(Some(&wd), dir),
                format!("`{server}` serves it"),
            )
        } else if let Some(flag) = output_flag(&f) {
            (
                join_workdir(Some(&build_dir), &flag),
                "the build's output flag names it".into(),
            )
        } else if let Some(fw) = fw {
            if fw == Framework::Angular {
                plan.assumptions.push("Angular 17+ (the application builder) writes the build to `dist/<project>/browser`; with the older browser builder it is `dist/<project>` — then copy that directory instead".into());
                plan.confidence = Confidence::Medium;
            }
            if matches!(serving, Serving::Static { dir: None, .. }) {
                plan.assumptions.push(format!(
                    "the static server served {}'s default build directory `{}`",
                    fw.label(),
                    fw.output()
                ));
            }
            (
                join_workdir(Some(&build_dir), fw.output()),
                format!("{}'s default build directory", fw.label()),
            )
        } else if let Serving::Preview { .. } = serving {
            plan.assumptions
                .push("`preview` is taken to be Vite's, which serves `dist`".into());
            (
                join_workdir(Some(&build_dir), "dist"),
                "`vite preview` serves it".into(),
            )
        } else {
            return Err(refuse(
                ECO,
                "restage cannot tell where the build writes its files: the start command does not name a directory and no SPA framework (react-scripts, Vite, Angular, Vue CLI) was recognised",
            ));
        };
        if output == "/" || output == wd {
            return Err(refuse(
                ECO,
                "the files served are the whole working directory, not a build output; restage cannot tell the site from the sources",
            ));
        }

        // The runtime image and its port.
        let port = match &serving {
            Serving::Static { port, .. }
            | Serving::Preview { port }
            | Serving::Dev { port, .. } => *port,
            Serving::Nginx => 80,
        };
        let fallback = match &serving {
            Serving::Static { fallback, .. } => *fallback,
            Serving::Nginx => false,
            Serving::Preview { .. } | Serving::Dev { .. } => true,
        };
        let stock = config.is_some() || port < 1024;
        // nginx's port and user are chosen together: the stock image below
        // 1024 (its master starts as root), nginx-unprivileged above.
        plan.ports_checked = true;
        let debian = cx.options.runtime == RuntimePreference::Slim;
        let image = match (cx.options.runtime, stock, debian) {
            (RuntimePreference::Distroless | RuntimePreference::Scratch, _, _) => {
                return Err(refuse(
                    ECO,
                    "a single-page application needs a web server to serve its files; restage uses nginx (choose --runtime auto, alpine or slim)",
                ));
            }
            (_, true, false) => "nginx:stable-alpine",
            (_, true, true) => "nginx:stable",
            (_, false, false) => "nginxinc/nginx-unprivileged:stable-alpine",
            (_, false, true) => "nginxinc/nginx-unprivileged:stable",
        };
        let why_image = if let Some(c) = config {
            format!(
                "nginx serves the static build; the stock image because line {}'s nginx configuration is written for its paths and user (nginx-unprivileged would need `pid /tmp/nginx.pid` and a port from 1024). Node.js is not in the image",
                c.start_line
            )
        } else if stock {
            format!(
                "nginx serves the static build; the stock image because port {port} is below 1024, which its master process binds as root (workers run as `nginx`). Node.js is not in the image"
            )
        } else {
            format!(
                "nginx serves the static build and runs as the unprivileged user `nginx` (uid 101) throughout, listening on port {port} as the application did. Node.js is not in the image"
            )
        };

        // Builder.
        let mut notes = Vec::new();
        // A build `RUN` that also copies into the web root needs that
        // directory, so nginx's install stays then.
        let cp_in_build = web_root_copy.as_ref().is_some_and(|(_, _, cp)| {
            f.builds.iter().any(|b| std::ptr::eq(*b, *cp))
                || f.installs.iter().any(|x| std::ptr::eq(x.instruction, *cp))
        });
        let skip = |i: &Instruction| -> bool {
            if installs_nginx(i) && !cp_in_build {
                return classify_run(i).system.is_some_and(|s| {
                    s.installed.iter().all(|p| {
                        let n = crate::knowledge::packages::package_name(p);
                        n.starts_with("nginx")
                            || matches!(n, "curl" | "wget" | "gettext-base" | "supervisor")
                    })
                });
            }
            if let Some((_, _, cp)) = &web_root_copy
                && std::ptr::eq(*cp, i)
                && !f.builds.iter().any(|b| std::ptr::eq(*b, i))
                && !f.installs.iter().any(|x| std::ptr::eq(x.instruction, i))
            {
                return true;
            }
            // Global installs of a static server only.
            f.globals.iter().any(|g| std::ptr::eq(g.instruction, i))
                && i.run.as_ref().is_some_and(|r| {
                    r.commands().all(|c| {
                        matches!(super::node_support::node_command(c), Some(super::node_support::NodeCommand::Global { ref packages }) if packages.iter().all(|p| STATIC_SERVERS.contains(&super::node_support::package_name(p))))
                    })
                })
        };
        let builder = builder_items(cx, &f, false, &skip, append, &mut notes);
        for i in cx
            .instructions()
            .filter(|i| i.keyword == Keyword::Run && skip(i))
        {
            notes.push(web_server_note(i, installs_nginx(i)));
        }
        plan.stages.push(StagePlan {
            name: "builder".into(),
            from: StageFrom::Source,
            from_change: Some(ChangeSpec::new(
                ChangeKind::RenameStage,
                "The original stage becomes the builder",
                "Node.js, the dependencies and the sources are only needed to build the static files",
                vec![cx.stage.line],
            )),
            items: builder,
        });

        // Runtime.
        let mut items: Vec<Item> = Vec::new();
        let html = match (&web_root_copy, config) {
            (Some((_, root, _)), Some(_)) => root.clone(),
            _ => HTML.to_string(),
        };
        match config {
            Some(c) => {
                let text = cx
                    .node(c)
                    .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                    .unwrap_or_default();
                let debian_site = text.contains("/etc/nginx/sites-available")
                    || text.contains("/etc/nginx/sites-enabled");
                if debian_site {
                    let dest_start = text.rfind(' ').map_or(text.len(), |p| p + 1);
                    let new = format!(
                        "{}/etc/nginx/conf.d/default.conf",
                        text.get(..dest_start).unwrap_or(&text)
                    );
                    items.push(Item::Rewrite {
                        node: c.node,
                        text: new,
                        change: ChangeSpec::new(
                            ChangeKind::Rewrite,
                            "The nginx site goes to `conf.d/default.conf`",
                            "the nginx image reads `/etc/nginx/conf.d/*.conf` (Debian's package reads `sites-enabled`), and this replaces its default server",
                            vec![c.start_line],
                        ),
                    });
                    plan.assumptions.push("The nginx configuration was written for Debian's nginx package: check its `root`, `user` and `include` lines against the nginx image (document root `/usr/share/nginx/html`, user `nginx`)".into());
                    plan.confidence = plan.confidence.min(Confidence::Medium);
                } else {
                    items.push(keep(
                        c,
                        ChangeKind::Keep,
                        "The nginx configuration is kept",
                        "it defines how the site is served (routing, headers, proxies)",
                    ));
                }
                if web_root_copy.is_none() {
                    plan.assumptions.push(format!("The kept nginx configuration serves `{HTML}`, where the build output now is"));
                    plan.confidence = plan.confidence.min(Confidence::Medium);
                }
            }
            None => {
                let listen = "try_files $uri $uri/ /index.html;";
                let text = format!(
                    "COPY <<'EOF' /etc/nginx/conf.d/default.conf\nserver {{\n    listen {port};\n    server_name _;\n    root {HTML};\n    index index.html;\n\n    location / {{\n        {listen}\n    }}\n}}\nEOF"
                );
                let reason = if fallback {
                    format!(
                        "nginx listens on port {port}, as the application did, and answers every client-side route with index.html, as the SPA server did"
                    )
                } else {
                    format!(
                        "nginx listens on port {port}, as the application did; client-side routes fall back to index.html (the source's server answered deep links with 404)"
                    )
                };
                items.push(add(
                    text,
                    ChangeKind::Add,
                    format!("nginx server on port {port} with the SPA fallback"),
                    reason,
                    Vec::new(),
                ));
                plan.needs_syntax = true;
            }
        }
        let out_lines: Vec<usize> = f.builds.iter().map(|b| b.start_line).collect();
        items.push(add(
            format!("COPY --from=builder {output} {html}/"),
            ChangeKind::CopyArtifact,
            format!(
                "The build output `{}` is the document root",
                base_name(&output)
            ),
            format!("only the static files are served ({how})"),
            out_lines,
        ));
        // Runtime behaviour that still means something for nginx.
        let mut kept_texts = Vec::new();
        let mut runtime_behaviour = Vec::new();
        let mut dropped = Vec::new();
        for i in cx.instructions() {
            match i.keyword {
                Keyword::Label | Keyword::Expose | Keyword::Volume => {
                    kept_texts.push(cx.node(i).map(|n| n.original.clone()).unwrap_or_default());
                    runtime_behaviour.push(keep_quiet(i));
                }
                Keyword::Healthcheck => {
                    let text = cx.node(i).map(|n| n.original.clone()).unwrap_or_default();
                    if text.contains("curl") || text.contains("wget") || text.contains("NONE") {
                        kept_texts.push(text);
                        runtime_behaviour.push(keep(
                            i,
                            ChangeKind::Keep,
                            "The health check is kept",
                            "nginx answers on the same port; the nginx image has curl and wget",
                        ));
                    } else {
                        plan.warnings.push(format!("line {}: the HEALTHCHECK runs a program of the Node.js image and is left out; check nginx with `curl -f http://localhost:{port}/`", i.start_line));
                        dropped.push(i.start_line);
                    }
                }
                Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Env
                | Keyword::Stopsignal
                | Keyword::Shell
                | Keyword::User
                | Keyword::Onbuild => {
                    dropped.push(i.start_line);
                }
                _ => {}
            }
        }
        if !dropped.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for i in cx
                .instructions()
                .filter(|i| dropped.contains(&i.start_line))
            {
                let n = i.keyword.name();
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                format!("The Node.js runtime settings are left out ({})", names.join(", ")),
                "the nginx image starts nginx in the foreground with its own stop signal; the environment of the Node.js process does not apply to static files",
                dropped,
            ));
        }
        for i in cx.with_keyword(Keyword::Arg) {
            let names: Vec<String> = cx
                .node(i)
                .map(|n| {
                    n.args
                        .iter()
                        .map(|a| a.split('=').next().unwrap_or(a).to_string())
                        .collect()
                })
                .unwrap_or_default();
            if names.iter().any(|n| {
                kept_texts
                    .iter()
                    .any(|t| t.contains(&format!("${n}")) || t.contains(&format!("${{{n}")))
            }) {
                items.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Build argument kept for the runtime stage",
                    "runtime instructions use it",
                ));
            }
        }
        items.extend(runtime_behaviour);
        if exposed(cx).is_empty() && cx.with_keyword(Keyword::Expose).next().is_none() {
            items.push(add(
                format!("EXPOSE {port}"),
                ChangeKind::Add,
                format!("`EXPOSE {port}`"),
                "the port nginx listens on, as the application did",
                Vec::new(),
            ));
        } else if !exposed(cx).is_empty() && !exposed(cx).contains(&port) {
            plan.warnings.push(format!("nginx listens on port {port}, where the application listened; the source's EXPOSE names another port"));
        }
        if let Some(u) = &cx.options.user {
            if stock {
                plan.warnings.push(format!(
                    "the stock nginx image starts as root and switches its workers to `nginx` itself; `--user {u}` is not applied"
                ));
            } else {
                items.push(add(
                    format!("USER {u}"),
                    ChangeKind::User,
                    crate::convert::user::runs_as(u),
                    "the user asked for this user; nginx-unprivileged runs under any uid",
                    Vec::new(),
                ));
            }
        } else if !stock {
            items.push(add(
                "USER nginx",
                ChangeKind::User,
                "Runs as `nginx` (uid 101), not root",
                "nginx-unprivileged already runs as this user; stated so that the image says it",
                Vec::new(),
            ));
        } else {
            plan.assumptions.push("The stock nginx image starts its master process as root (to bind the port and read the configuration) and runs the worker processes that serve requests as the unprivileged `nginx` user".into());
            if plan.confidence == Confidence::High {
                plan.confidence = Confidence::Medium;
            }
        }
        plan.notes = notes;
        plan.needs_syntax |= cx.options.cache_mounts;
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image {
                image: image.to_string(),
                platform: None,
            },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{image}`"),
                why_image,
                vec![cx.stage.line],
            )),
            items,
        });
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::{ConvertOptions, convert_text};

    fn convert(text: &str) -> Result<String, String> {
        convert_text(text, &ConvertOptions::default())
            .map(|o| format!("{}\n{}", o.conversion.strategy, o.conversion.dockerfile))
            .map_err(|r| r.reason)
    }

    #[test]
    fn serving_and_output_directories() {
        let cases: &[(&str, &str)] = &[
            (
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"build\", \"-l\", \"5000\"]\n",
                "COPY --from=builder /app/build /usr/share/nginx/html/",
            ),
            (
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"build\", \"-l\", \"5000\"]\n",
                "listen 5000;",
            ),
            (
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npx\", \"ng\", \"serve\", \"--host\", \"0.0.0.0\"]\n",
                "COPY --from=builder /app/dist/*/browser /usr/share/nginx/html/",
            ),
            (
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn && yarn build --outDir public_html\nCMD [\"yarn\", \"preview\"]\nENV VITE_API=x\n",
                "/app/public_html",
            ),
            (
                "FROM node:18\nRUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build && cp -r dist/* /var/www/html/\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
                "FROM nginx:stable-alpine AS runtime",
            ),
        ];
        for (input, expected) in cases {
            let out = convert(input).unwrap_or_else(|e| panic!("{input}: refused: {e}"));
            assert!(out.starts_with("node-spa"), "{input}\n{out}");
            assert!(
                out.contains(expected),
                "{input}\nexpected {expected} in\n{out}"
            );
        }
    }

    #[test]
    fn refusals() {
        // Nothing is built: the site comes from the context.
        let r = convert(
            "FROM node:20\nWORKDIR /app\nCOPY site ./site\nRUN npm i -g serve\nCMD [\"serve\", \"-s\", \"site\"]\n",
        );
        assert!(
            r.as_ref().is_err_and(|e| e.contains("nothing is built")),
            "{r:?}"
        );
        let r = convert_text(
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"dist\"]\n",
            &ConvertOptions {
                runtime: crate::convert::RuntimePreference::Distroless,
                ..ConvertOptions::default()
            },
        );
        assert!(r.is_err());
    }
}
