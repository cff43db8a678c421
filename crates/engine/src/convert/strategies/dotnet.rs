//! .NET: the source stage (the SDK image) becomes the builder, which
//! restores and runs `dotnet publish` into one directory; the runtime stage
//! is `mcr.microsoft.com/dotnet/aspnet` for web applications, `runtime` for
//! console and worker applications, or `runtime-deps` for self-contained
//! and native AOT builds — same version and OS family as the SDK — and
//! receives only the publish directory. `dotnet build` + `dotnet run` (a
//! development loop that compiles at every start) becomes a publish. The
//! SDK image carries compilers, MSBuild, NuGet caches and the sources, none
//! of which a published application uses.

use super::common::{add, exec_form, is_runtime_behaviour, keep, keep_quiet, trim_after_last_run};
use super::jvm_support::{
    absolute, base_name, drop_unused_workdirs, entry_commands, flag_value, insert_before_command,
    insert_before_user, item_is, items_workdir, missing_clients, node_text, only_creates_users,
    parent_stage, positional, replace_token, runs_shell, runtime_packages, runtime_platform,
    runtime_user, switches_user_before, with_mounts, without_exec,
};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::{ConvertContext, glob_match};
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::Instruction;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};

/// The strategy.
pub struct Dotnet;

const ECO: Option<Ecosystem> = Some(Ecosystem::Dotnet);

/// Where restage publishes when the source names no output directory.
const PUBLISH_DIR: &str = "/app/publish";

/// Files restore reads before the sources.
const PROJECT_FILES: &[&str] = &[
    "*.csproj",
    "*.fsproj",
    "*.vbproj",
    "*.sln",
    "*.slnx",
    "*.slnf",
    "*.dcproj",
    "*.props",
    "*.targets",
    "nuget.config",
    "NuGet.config",
    "NuGet.Config",
    "global.json",
    "packages.lock.json",
    "dotnet-tools.json",
];

/// `dotnet` options whose value is the next word.
const VALUE_FLAGS: &[&str] = &[
    "c",
    "configuration",
    "o",
    "output",
    "r",
    "runtime",
    "f",
    "framework",
    "s",
    "source",
    "a",
    "arch",
    "os",
    "v",
    "verbosity",
    "p",
    "property",
    "project",
    "launch-profile",
    "lp",
    "version-suffix",
    "packages",
    "configfile",
];

/// Project name words that say a project is a web application.
const WEB_WORDS: &[&str] = &[
    "web", "api", "apis", "webapi", "mvc", "blazor", "server", "gateway", "grpc", "razor", "site",
    "portal", "identity", "bff", "signalr", "hub", "frontend", "backend",
];

fn is_project_file(name: &str) -> bool {
    PROJECT_FILES.iter().any(|p| glob_match(p, name))
}

/// The SDK image, split so the runtime image can be named from it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SdkImage {
    /// The repository without its last component (`mcr.microsoft.com/dotnet`).
    prefix: String,
    /// The version as written (`8.0`, `${DOTNET_VERSION}`, `latest`).
    version: String,
    /// The OS suffix (`-alpine`, `-bookworm-slim`, `-noble`, or empty).
    suffix: String,
    /// The major version after `ARG` defaults (unknown for `latest`).
    major: Option<u32>,
    /// Whether it is an Alpine image.
    alpine: bool,
}

/// Splits `8.0.100-bookworm-slim` into the runtime version (`8.0`) and the
/// OS suffix (`-bookworm-slim`, without `-aot`).
fn split_tag(tag: &str) -> (String, String) {
    let (version, rest) = match tag.find('-') {
        Some(i) if !tag.starts_with('$') || tag.get(..i).is_some_and(|v| v.ends_with('}')) => (
            tag.get(..i).unwrap_or(tag),
            tag.get(i..).unwrap_or_default(),
        ),
        _ => (tag, ""),
    };
    let version = if version.starts_with(|c: char| c.is_ascii_digit()) {
        version.split('.').take(2).collect::<Vec<_>>().join(".")
    } else {
        version.to_string()
    };
    let suffix = rest.replace("-aot", "");
    (version, suffix)
}

fn sdk_image(raw: &ImageText, resolved: &ImageText) -> Option<SdkImage> {
    let is_sdk = |t: &ImageText| t.short_name() == "sdk" && t.name.contains("dotnet");
    if !is_sdk(resolved) {
        return None;
    }
    let prefix = raw
        .name
        .strip_suffix("/sdk")
        .unwrap_or("mcr.microsoft.com/dotnet")
        .to_string();
    let (version, suffix) = split_tag(raw.tag.as_deref().unwrap_or("latest"));
    let (resolved_version, _) = split_tag(resolved.tag.as_deref().unwrap_or("latest"));
    let major = resolved_version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok());
    Some(SdkImage {
        prefix,
        version,
        suffix,
        major,
        alpine: resolved.distro() == Distro::Alpine,
    })
}

/// How the container starts.
#[derive(Debug, Clone)]
enum Entry<'a> {
    /// `dotnet <path>.dll ...`.
    Dll {
        instruction: &'a Instruction,
        /// The path as written.
        written: String,
    },
    /// `dotnet run ...` (or `dotnet watch run`).
    Run {
        instruction: &'a Instruction,
        command: SimpleCommand,
    },
    /// The application host (`./App`).
    AppHost {
        instruction: &'a Instruction,
        written: String,
    },
    /// Something else (a script).
    Other {
        instruction: &'a Instruction,
        program: String,
    },
    /// No `CMD` or `ENTRYPOINT`.
    Nothing,
}

fn find_entry<'a>(cx: &ConvertContext<'a>) -> Entry<'a> {
    let mut other: Option<Entry<'a>> = None;
    for instruction in [cx.last(Keyword::Entrypoint), cx.last(Keyword::Cmd)]
        .into_iter()
        .flatten()
    {
        for c in entry_commands(cx, instruction)
            .iter()
            .filter_map(without_exec)
        {
            if c.base_name() == "dotnet" {
                let sub = c.args.first().map(String::as_str).unwrap_or_default();
                if sub == "run" || (sub == "watch" && c.args.iter().any(|a| a == "run")) {
                    return Entry::Run {
                        instruction,
                        command: c.clone(),
                    };
                }
                if let Some(dll) = c.args.iter().find(|a| a.ends_with(".dll")) {
                    return Entry::Dll {
                        instruction,
                        written: dll.clone(),
                    };
                }
                continue;
            }
            let name = c.name.clone();
            if other.is_none() && !matches!(c.base_name(), "sh" | "bash" | "ash" | "dash" | "") {
                let looks_like_host = !name.contains('.') && (name.contains('/'));
                other = Some(if looks_like_host {
                    Entry::AppHost {
                        instruction,
                        written: name,
                    }
                } else {
                    Entry::Other {
                        instruction,
                        program: name,
                    }
                });
            }
        }
    }
    other.unwrap_or(Entry::Nothing)
}

/// One `dotnet` command of a `RUN`.
#[derive(Debug, Clone)]
struct DotnetRun<'a> {
    instruction: &'a Instruction,
    /// `restore`, `build`, `publish`, `test`, ...
    sub: String,
    /// Its arguments after the subcommand.
    args: Vec<String>,
}

impl DotnetRun<'_> {
    /// The project or solution argument.
    fn project(&self) -> Option<String> {
        positional(&self.args, VALUE_FLAGS).into_iter().next()
    }

    /// The output directory (absolute).
    fn output(&self) -> Option<String> {
        flag_value(&self.args, &["o"], &["output"])
            .map(|o| absolute(self.instruction.context.workdir.as_deref(), &o))
    }

    /// Whether it publishes self-contained (or native AOT).
    fn self_contained(&self) -> bool {
        let mut it = self.args.iter().peekable();
        while let Some(a) = it.next() {
            let lower = a.to_ascii_lowercase();
            if lower == "--self-contained" || lower == "--sc" {
                let next = it.peek().map(|n| n.to_ascii_lowercase());
                if next.as_deref() != Some("false") {
                    return true;
                }
            }
            if lower == "--self-contained=true"
                || lower.contains("selfcontained=true")
                || lower.contains("publishaot=true")
            {
                return true;
            }
        }
        false
    }
}

fn dotnet_runs<'a>(cx: &ConvertContext<'a>) -> Vec<DotnetRun<'a>> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        for c in run.commands() {
            let Some(inv) = recognise(c).filter(|inv| inv.tool == Tool::Dotnet) else {
                continue;
            };
            let mut args = inv.line.args.iter();
            let Some(sub) = args.next() else { continue };
            out.push(DotnetRun {
                instruction: i,
                sub: sub.clone(),
                args: args.cloned().collect(),
            });
        }
    }
    out
}

/// The project name of a project path (`src/Api/Api.csproj` → `Api`,
/// `src/Api` → `Api`); `None` for a solution.
fn project_name(path: &str) -> Option<(String, bool)> {
    let b = base_name(path);
    if b.ends_with(".sln")
        || b.ends_with(".slnx")
        || b.ends_with(".slnf")
        || b.is_empty()
        || b == "."
    {
        return None;
    }
    for ext in [".csproj", ".fsproj", ".vbproj"] {
        if let Some(name) = b.strip_suffix(ext) {
            return Some((name.to_string(), true));
        }
    }
    if b.contains('$') || b.contains('*') {
        return None;
    }
    Some((b.to_string(), false))
}

/// The application's assembly name, with the evidence for it.
fn assembly_name(
    cx: &ConvertContext<'_>,
    entry: &Entry<'_>,
    build: Option<&DotnetRun<'_>>,
) -> Option<(String, String, bool)> {
    match entry {
        Entry::Dll {
            instruction,
            written,
        } => {
            let name = base_name(written).trim_end_matches(".dll").to_string();
            if !name.contains('$') {
                return Some((
                    name,
                    format!("line {} starts `{written}`", instruction.start_line),
                    true,
                ));
            }
        }
        Entry::AppHost {
            instruction,
            written,
        } => {
            let name = base_name(written).to_string();
            return Some((
                name,
                format!("line {} starts `{written}`", instruction.start_line),
                true,
            ));
        }
        Entry::Run {
            instruction,
            command,
        } => {
            if let Some(p) = flag_value(&command.args, &["p"], &["project"])
                && let Some((name, exact)) = project_name(&p)
            {
                return Some((
                    name,
                    format!("line {} runs the project `{p}`", instruction.start_line),
                    exact,
                ));
            }
        }
        _ => {}
    }
    if let Some(b) = build
        && let Some(p) = b.project()
        && let Some((name, exact)) = project_name(&p)
    {
        return Some((
            name,
            format!("line {} builds the project `{p}`", b.instruction.start_line),
            exact,
        ));
    }
    // Exactly one project file copied by name.
    let mut names: Vec<String> = Vec::new();
    for (_, c) in cx.copies() {
        for s in &c.sources {
            if let Some((name, true)) = project_name(s)
                && !name.contains('*')
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
    }
    // The project in the directory the build runs in.
    let dir = build
        .and_then(|b| b.instruction.context.workdir.as_deref().map(str::to_string))
        .or_else(|| cx.final_workdir());
    if let Some(dir) = dir {
        let here = base_name(&dir).to_string();
        if names.contains(&here) {
            return Some((
                here.clone(),
                format!("the build runs in `{dir}`, the directory of the copied `{here}` project"),
                false,
            ));
        }
    }
    if let [only] = names.as_slice() {
        return Some((
            only.clone(),
            format!("`{only}` is the only project file copied"),
            false,
        ));
    }
    None
}

/// Whether the application is a web application, with the evidence.
fn web_evidence(cx: &ConvertContext<'_>, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        match i.kind() {
            Some(CommandKind::Env(pairs)) => {
                for kv in pairs.iter().filter(|kv| kv.key.starts_with("ASPNETCORE_")) {
                    out.push(format!("line {} sets `{}`", i.start_line, kv.key));
                }
            }
            Some(CommandKind::Expose(ports)) => {
                out.push(format!(
                    "line {} exposes {}",
                    i.start_line,
                    ports.join(", ")
                ));
            }
            _ => {}
        }
        if matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint)
            && node_text(cx, i).contains("--urls")
        {
            out.push(format!("line {} passes `--urls`", i.start_line));
        }
        if i.keyword == Keyword::Healthcheck && node_text(cx, i).contains("http") {
            out.push(format!("line {} checks health over HTTP", i.start_line));
        }
    }
    let words: Vec<String> = name
        .split(['.', '-', '_'])
        .map(str::to_ascii_lowercase)
        .collect();
    let lower = name.to_ascii_lowercase();
    if words.iter().any(|w| WEB_WORDS.contains(&w.as_str()))
        || lower.ends_with("api")
        || lower.ends_with("web")
    {
        out.push(format!("the project name `{name}` names a web application"));
    }
    out
}

/// The runtime image.
struct Runtime {
    image: String,
    shell: bool,
    distro: Distro,
    /// The image's own non-root user (`$APP_UID`, .NET 8+).
    image_user: Option<&'static str>,
    alpine: bool,
    reason: String,
}

fn runtime_image(
    cx: &ConvertContext<'_>,
    sdk: &SdkImage,
    kind: &str,
    plan: &mut Plan,
) -> Result<Runtime, Refusal> {
    let modern = sdk.major.is_none_or(|m| m >= 8);
    let version = &sdk.version;
    let unpinned = !version.starts_with(|c: char| c.is_ascii_digit() || c == '$');
    let (suffix, why) = match cx.options.runtime {
        RuntimePreference::Scratch => {
            return Err(Refusal::new(
                ECO,
                "a .NET application needs the C library, ICU and OpenSSL (even self-contained or AOT), so it cannot run on `scratch`; use --runtime distroless (chiseled) or alpine",
            ));
        }
        RuntimePreference::Distroless => {
            if !modern {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "chiseled (distroless) .NET images exist for .NET 8 and later; this build uses .NET {version}"
                    ),
                ));
            }
            if unpinned {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "the SDK image tag `{version}` names no version, so restage cannot name a chiseled image; pin the version"
                    ),
                ));
            }
            if sdk.alpine {
                plan.warnings.push("the build ran on Alpine (musl); chiseled images are Ubuntu (glibc): a self-contained or RID-specific publish for musl will not run there".into());
            }
            (
                "-noble-chiseled-extra".to_string(),
                "the chiseled Ubuntu image: no shell, no package manager; the `-extra` variant keeps ICU and time zone data, which the SDK image had, so culture-aware formatting and time zones behave as before (plain `-noble-chiseled` is smaller and runs in globalization-invariant mode)",
            )
        }
        RuntimePreference::Alpine => {
            if unpinned {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "the SDK image tag `{version}` names no version, so restage cannot name an Alpine image; pin the version"
                    ),
                ));
            }
            if !sdk.alpine {
                plan.warnings.push("Alpine uses musl: a self-contained or RID-specific (`-r linux-x64`) publish and native NuGet dependencies must target `linux-musl`".into());
            }
            (
                "-alpine".to_string(),
                "the Alpine variant of the same .NET version",
            )
        }
        RuntimePreference::Slim => {
            let s = if sdk.alpine {
                String::new()
            } else {
                sdk.suffix.clone()
            };
            (s, "the Debian/Ubuntu variant of the same .NET version")
        }
        RuntimePreference::Auto => (
            sdk.suffix.clone(),
            "the same .NET version on the same OS as the SDK image",
        ),
    };
    let tag = if unpinned && suffix.is_empty() {
        version.clone()
    } else {
        format!("{version}{suffix}")
    };
    let image = format!("{}/{kind}:{tag}", sdk.prefix);
    let alpine = tag.contains("alpine");
    let chiseled = tag.contains("chiseled");
    let what = match kind {
        "aspnet" => "the ASP.NET Core runtime",
        "runtime" => "the .NET runtime",
        _ => "only the native dependencies of a self-contained application",
    };
    Ok(Runtime {
        image,
        shell: !chiseled,
        distro: if alpine {
            Distro::Alpine
        } else {
            Distro::Bookworm
        },
        image_user: modern.then_some("$APP_UID"),
        alpine,
        reason: format!("{what}, without the SDK (compilers, MSBuild, NuGet): {why}"),
    })
}

/// How the builder produces the publish directory.
#[derive(Debug, Clone)]
enum Publishing<'a> {
    /// The source publishes (its `RUN`, the `-o` it adds when missing).
    Publish(DotnetRun<'a>, Option<String>),
    /// The source only builds: its `dotnet build` becomes `dotnet publish`.
    FromBuild(DotnetRun<'a>, String),
    /// Nothing builds (`CMD dotnet run`): a publish is added.
    Added(String),
    /// Nothing is built in this stage.
    None,
}

impl Strategy for Dotnet {
    fn name(&self) -> &'static str {
        "dotnet"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Dotnet
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let mut sdk = false;
        if let Some((reference, parent)) = parent_stage(cx) {
            let image = ImageText::parse(&reference);
            if image.short_name() == "sdk" && image.name.contains("dotnet") {
                sdk = true;
                d.add(
                    10,
                    cx.stage.line,
                    format!(
                        "builds on the stage `{parent}`, whose image `{reference}` is the .NET SDK"
                    ),
                );
            }
        }
        if let crate::model::BaseImage::Image { reference, .. } = &cx.stage.base {
            let image = ImageText::parse(reference);
            if image.short_name() == "sdk" && image.name.contains("dotnet") {
                sdk = true;
                d.add(
                    10,
                    cx.stage.line,
                    format!("base image `{}` is the .NET SDK", cx.stage.base_text),
                );
            }
        }
        let mut projects = 0;
        for (i, c) in cx.copies() {
            for s in &c.sources {
                if is_project_file(base_name(s)) && projects < 2 {
                    projects += 1;
                    d.add(5, i.start_line, format!("copies the project file `{s}`"));
                }
            }
        }
        let mut builds = false;
        for r in dotnet_runs(cx) {
            if matches!(r.sub.as_str(), "restore" | "build" | "publish") && !builds {
                builds = true;
                d.add(
                    10,
                    r.instruction.start_line,
                    format!("runs `dotnet {}`", r.sub),
                );
            }
        }
        match find_entry(cx) {
            Entry::Dll {
                instruction,
                written,
            } => {
                d.add(
                    5,
                    instruction.start_line,
                    format!("starts `dotnet {written}`"),
                );
            }
            Entry::Run { instruction, .. } => {
                builds = true;
                d.add(
                    10,
                    instruction.start_line,
                    "runs the project with `dotnet run`",
                );
            }
            _ => {}
        }
        (d.score >= 15 && (builds || sdk)).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let resolved_text = match &cx.stage.base {
            crate::model::BaseImage::Image { reference, .. } => reference.clone(),
            _ => {
                let parent = parent_stage(cx)
                    .map(|(_, name)| format!("`{name}`"))
                    .unwrap_or_else(|| "an earlier stage".into());
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "the final stage builds on {parent}, so it inherits the SDK; restage converts a final stage that starts from an image. Start it from `mcr.microsoft.com/dotnet/aspnet` (or `runtime`) and copy the publish directory with `COPY --from=...`"
                    ),
                ));
            }
        };
        let resolved = ImageText::parse(&resolved_text);
        let raw = ImageText::parse(&cx.stage.base_text);
        let tag = resolved.tag.as_deref().unwrap_or_default();
        if tag.contains("nanoserver")
            || tag.contains("windowsservercore")
            || resolved.name.contains("framework")
        {
            return Err(Refusal::new(
                ECO,
                "Windows container images (.NET Framework, Nano Server) are not supported",
            ));
        }
        let Some(sdk) = sdk_image(&raw, &resolved) else {
            return Err(Refusal::new(
                ECO,
                format!(
                    "the base image `{}` is not the .NET SDK image (`mcr.microsoft.com/dotnet/sdk`), so restage cannot name the matching runtime image",
                    cx.stage.base_text
                ),
            ));
        };
        let mut plan = Plan::new(Ecosystem::Dotnet, self.name(), Confidence::High);
        let entry = find_entry(cx);
        let runs = dotnet_runs(cx);
        let publish = runs.iter().rfind(|r| r.sub == "publish").cloned();
        let build_run = runs.iter().rfind(|r| r.sub == "build").cloned();
        let build = match (&publish, &build_run, &entry) {
            (Some(p), _, _) => {
                let added = p.output().is_none().then(|| PUBLISH_DIR.to_string());
                Publishing::Publish(p.clone(), added)
            }
            (None, Some(b), Entry::Run { .. } | Entry::Dll { .. } | Entry::AppHost { .. }) => {
                Publishing::FromBuild(b.clone(), b.output().unwrap_or_else(|| PUBLISH_DIR.into()))
            }
            (None, None, Entry::Run { command, .. }) => Publishing::Added(added_publish(command)),
            _ => Publishing::None,
        };
        let publish_run: Option<&DotnetRun<'_>> = match &build {
            Publishing::Publish(r, _) | Publishing::FromBuild(r, _) => Some(r),
            _ => None,
        };
        if matches!(build, Publishing::None)
            && !runs.iter().any(|r| r.sub == "publish" || r.sub == "build")
            && runs.iter().any(|r| r.sub == "restore")
        {
            return Err(Refusal::new(
                ECO,
                "the stage restores packages but neither builds nor publishes, so restage cannot tell what the application is",
            ));
        }
        let self_contained = publish_run.is_some_and(DotnetRun::self_contained);
        // The publish directory in the builder and the runtime stage.
        let (publish_dir, runtime_dir) = match &build {
            Publishing::Publish(r, None) => {
                let d = r.output().unwrap_or_else(|| PUBLISH_DIR.into());
                (d.clone(), d)
            }
            Publishing::FromBuild(_, out) if out != PUBLISH_DIR => (out.clone(), out.clone()),
            Publishing::Publish(_, Some(_)) | Publishing::FromBuild(..) | Publishing::Added(_) => {
                (PUBLISH_DIR.to_string(), "/app".to_string())
            }
            Publishing::None => {
                let d = cx.final_workdir().unwrap_or_else(|| "/app".into());
                (d.clone(), d)
            }
        };
        let building = !matches!(build, Publishing::None);
        let (name, name_evidence, exact) = match assembly_name(cx, &entry, publish_run) {
            Some(n) => n,
            None if !building => ("".into(), String::new(), true),
            None => {
                return Err(Refusal::new(
                    ECO,
                    "restage cannot tell the application's assembly name (no `dotnet <App>.dll` in CMD/ENTRYPOINT, and the build names no single project), so it cannot write the start command",
                ));
            }
        };
        if !exact && !name.is_empty() {
            plan.assumptions.push(format!("The assembly is taken to be `{name}.dll` ({name_evidence}); if the project sets a different `AssemblyName`, change the start command."));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        // Which runtime image.
        let web = web_evidence(cx, &name);
        let kind = if self_contained {
            "runtime-deps"
        } else if !web.is_empty() {
            "aspnet"
        } else {
            "runtime"
        };
        if !self_contained {
            if web.is_empty() {
                plan.assumptions.push("No sign of a web application (no `ASPNETCORE_*` variable, no EXPOSE, no web-like project name), so the runtime is `dotnet/runtime`. If the project uses `Microsoft.NET.Sdk.Web` (ASP.NET Core), use `dotnet/aspnet` instead: `runtime` lacks the ASP.NET Core framework and the application would not start.".into());
                plan.confidence = plan.confidence.min(Confidence::Medium);
            } else {
                let strong = web
                    .iter()
                    .any(|w| w.contains("ASPNETCORE_") || w.contains("--urls"));
                plan.assumptions.push(format!("The application is taken to be an ASP.NET Core application ({}), so the runtime is `dotnet/aspnet`; a console or worker application would also run on the smaller `dotnet/runtime`.", web.join("; ")));
                if !strong {
                    plan.confidence = plan.confidence.min(Confidence::Medium);
                }
            }
        }
        let runtime = runtime_image(cx, &sdk, kind, &mut plan)?;
        if self_contained && runtime.alpine != sdk.alpine {
            return Err(Refusal::new(
                ECO,
                format!(
                    "the application is published self-contained for {} and would not run on {}; keep the C library of the SDK image (use --runtime auto)",
                    if sdk.alpine { "musl (Alpine)" } else { "glibc" },
                    if runtime.alpine {
                        "Alpine (musl)"
                    } else {
                        "a glibc image"
                    }
                ),
            ));
        }
        if raw.digest.is_some() {
            plan.assumptions.push(format!(
                "`{}` is pinned by digest; the runtime image `{}` is not — pin it too",
                cx.stage.base_text, runtime.image
            ));
        }

        // The start command.
        let mut new_command: Option<(usize, String, ChangeSpec)> = None;
        let mut rewrites: Vec<(String, String)> = Vec::new();
        let host = format!("./{name}");
        let dll = format!("{name}.dll");
        match &entry {
            Entry::Run {
                instruction,
                command,
            } => {
                let (app_args, warnings) = run_arguments(command);
                for w in warnings {
                    plan.warnings
                        .push(format!("line {}: {w}", instruction.start_line));
                }
                let first: Vec<String> = if self_contained {
                    vec![host.clone()]
                } else {
                    vec!["dotnet".into(), dll.clone()]
                };
                let words: Vec<String> = first.into_iter().chain(app_args).collect();
                let keyword = instruction.keyword.name();
                let Some(json) = exec_form(&words) else {
                    return Err(Refusal::new(
                        ECO,
                        format!(
                            "line {}: the application arguments use shell features restage cannot carry into an exec-form command",
                            instruction.start_line
                        ),
                    ));
                };
                new_command = Some((
                    instruction.node,
                    format!("{keyword} {json}"),
                    ChangeSpec::new(
                        ChangeKind::Rewrite,
                        format!(
                            "The published `{}` starts instead of `dotnet run`",
                            if self_contained {
                                host.as_str()
                            } else {
                                dll.as_str()
                            }
                        ),
                        "`dotnet run` restores, compiles and starts the project at every start and needs the SDK and the sources; the published application starts directly",
                        vec![instruction.start_line],
                    ),
                ));
                if !command.args.iter().any(|a| a == "--no-launch-profile") {
                    plan.warnings.push(format!("line {}: `dotnet run` applied the launch profile of `Properties/launchSettings.json` (environment, URLs); the published application does not read it — set `ASPNETCORE_ENVIRONMENT`/`ASPNETCORE_URLS` if you relied on it", instruction.start_line));
                }
            }
            Entry::Dll {
                instruction,
                written,
            } if building => {
                let workdir = instruction.context.workdir.as_deref();
                let abs = absolute(workdir, written);
                let expected = format!("{}/{dll}", runtime_dir.trim_end_matches('/'));
                let target = if self_contained {
                    host.clone()
                } else {
                    dll.clone()
                };
                if self_contained
                    || abs != expected
                    || (!written.starts_with('/') && workdir != Some(runtime_dir.as_str()))
                {
                    if self_contained {
                        // runtime-deps has no `dotnet` host: the application host starts.
                        new_command = Some((
                            instruction.node,
                            format!("{} [\"{host}\"]", instruction.keyword.name()),
                            ChangeSpec::new(
                                ChangeKind::Rewrite,
                                format!("The application host `{host}` starts"),
                                "a self-contained publish runs on `runtime-deps`, which has no `dotnet` host",
                                vec![instruction.start_line],
                            ),
                        ));
                    } else if abs != expected || !written.starts_with('/') {
                        rewrites.push((written.clone(), target));
                    }
                }
            }
            Entry::AppHost {
                instruction,
                written,
            } if building => {
                let abs = absolute(instruction.context.workdir.as_deref(), written);
                let expected = format!("{}/{name}", runtime_dir.trim_end_matches('/'));
                if abs != expected {
                    rewrites.push((written.clone(), host.clone()));
                }
            }
            Entry::Other {
                instruction,
                program,
            } if building => {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "line {}: the container starts `{program}`, and restage cannot see what it runs or which files it needs",
                        instruction.start_line
                    ),
                ));
            }
            Entry::Nothing if building => {
                return Err(Refusal::new(
                    ECO,
                    "there is no CMD or ENTRYPOINT, so restage cannot tell how the application starts",
                ));
            }
            _ => {}
        }

        // Builder.
        let targets = nuget_targets(cx);
        let restore_step = restore_step(cx, &runs, publish_run, &entry);
        let first_dotnet = runs.first().map(|r| r.instruction.node);
        let is_build_run = |i: &Instruction| -> bool {
            if i.keyword != Keyword::Run {
                return false;
            }
            if runs.iter().any(|r| std::ptr::eq(r.instruction, i)) {
                return true;
            }
            first_dotnet.is_some_and(|f| i.node > f)
                && (node_text(cx, i).contains(&publish_dir)
                    || super::jvm_support::mentions(cx, i, &["bin", "obj", "/root/.nuget"]))
        };
        let last_build = cx
            .instructions()
            .filter(|i| is_build_run(i))
            .map(|i| i.node)
            .last();
        let mut builder: Vec<Item> = Vec::new();
        let builder_switches_user = switches_user_before(cx, last_build)
            || super::jvm_support::chowns_to_name_before(cx, last_build);
        for i in cx.instructions() {
            if is_runtime_behaviour(i.keyword)
                && !matches!(i.keyword, Keyword::Env | Keyword::Shell)
            {
                continue;
            }
            if let Some((node, text)) = &restore_step
                && *node == i.node
            {
                let text = if cx.options.cache_mounts {
                    plan.needs_syntax = true;
                    with_mounts(text, &targets)
                } else {
                    text.clone()
                };
                builder.push(add(text, ChangeKind::Add, "Packages are restored in their own layer", "the project files are copied before the sources, so this layer is rebuilt only when they change, not at every code change", vec![i.start_line]));
            }
            if i.keyword != Keyword::Run {
                builder.push(keep_quiet(i));
                continue;
            }
            if last_build.is_some_and(|l| i.node > l) {
                continue;
            }
            if only_creates_users(i) && !builder_switches_user {
                continue;
            }
            let dotnet_run = runs.iter().any(|r| std::ptr::eq(r.instruction, i));
            let mut text = node_text(cx, i);
            let mut rewritten = false;
            let mut summary = "The build runs in the builder stage".to_string();
            let mut reason = "the SDK stays out of the runtime image".to_string();
            match &build {
                Publishing::Publish(r, Some(dir)) if std::ptr::eq(r.instruction, i) => {
                    text = add_output(&text, "publish", dir);
                    rewritten = true;
                    summary = format!("The publish writes to `{dir}`");
                    reason = "a fixed output directory lets the runtime stage copy it".into();
                }
                Publishing::FromBuild(r, out) if std::ptr::eq(r.instruction, i) => {
                    text = build_to_publish(&text, r, out);
                    rewritten = true;
                    summary = format!("`dotnet build` became `dotnet publish` to `{out}`");
                    reason = "the build output is for development; a publish has everything the application needs at run time (content files, `wwwroot`, trimmed dependencies) in one directory".into();
                }
                _ => {}
            }
            if cx.options.cache_mounts && dotnet_run {
                let with = with_mounts(&text, &targets);
                if with != text {
                    text = with;
                    plan.needs_syntax = true;
                    if !rewritten {
                        summary = "NuGet packages go to a cache mount".into();
                        reason =
                            "packages are downloaded once per machine and stay out of the layers"
                                .into();
                    }
                    rewritten = true;
                }
            }
            if rewritten {
                builder.push(Item::Rewrite {
                    node: i.node,
                    text,
                    change: ChangeSpec::new(
                        if summary.starts_with("NuGet") {
                            ChangeKind::CacheMount
                        } else {
                            ChangeKind::Rewrite
                        },
                        summary,
                        reason,
                        vec![i.start_line],
                    ),
                });
            } else if dotnet_run {
                builder.push(keep(
                    i,
                    ChangeKind::Move,
                    "The build runs in the builder stage",
                    "the SDK stays out of the runtime image",
                ));
            } else {
                builder.push(keep_quiet(i));
            }
        }
        if let Publishing::Added(text) = &build {
            let text = if cx.options.cache_mounts {
                plan.needs_syntax = true;
                with_mounts(text, &targets)
            } else {
                text.clone()
            };
            builder.push(add(text, ChangeKind::Add, format!("The application is published once to `{PUBLISH_DIR}`"), "`dotnet run` compiles at every start and needs the SDK at run time; a Release publish is what production runs (`dotnet run` used the Debug configuration)", entry_line(&entry)));
        }
        trim_after_last_run(cx, &mut builder);
        if let Publishing::FromBuild(r, _) = &build
            && flag_value(&r.args, &["c"], &["configuration"]).is_none()
        {
            plan.warnings.push(format!("line {}: `dotnet build` used the Debug configuration; the publish uses Release (optimised, no debug-only code paths)", r.instruction.start_line));
        }

        // Runtime.
        let source_distro = resolved.distro();
        let mut packages = runtime_packages(
            cx,
            source_distro,
            runtime.distro,
            &|p| {
                p.starts_with("dotnet")
                    || p.starts_with("aspnetcore")
                    || p == "powershell"
                    || p == "clang"
                    || p == "lld"
            },
            Ecosystem::Dotnet,
        )?;
        let clients: &[&str] = match (runtime.shell, runtime.alpine) {
            (false, _) => &[],
            (true, true) => &["wget"],
            (true, false) => &[],
        };
        for (client, line) in missing_clients(cx, clients) {
            packages.push(client, format!("line {line} runs `{client}`, which the SDK image had and the runtime image does not"), Some(line));
        }
        let invariant_set = cx.stage.env.iter().any(|(k, v)| {
            k == "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"
                && matches!(v.as_str(), "1" | "true" | "True")
        });
        let mut icu_env: Option<Item> = None;
        if runtime.alpine && !invariant_set && building {
            for p in ["icu-libs", "icu-data-full", "tzdata"] {
                packages.push(p, "the SDK image had ICU and time zone data, the Alpine runtime image runs in globalization-invariant mode without them; they keep culture-aware formatting and time zones working as before (drop them and the ENV if the application does not need them: about 35 MB)".into(), None);
            }
            icu_env = Some(add(
                "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false",
                ChangeKind::Add,
                "Globalization uses ICU, as in the SDK image",
                "the Alpine runtime image sets `DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true`",
                Vec::new(),
            ));
        }
        if !runtime.shell && !packages.names.is_empty() {
            return Err(Refusal::new(
                ECO,
                format!(
                    "the runtime stage needs system packages ({}: {}), and chiseled images have no package manager (use --runtime auto)",
                    packages.names.join(", "),
                    packages.reasons.join("; ")
                ),
            ));
        }
        let mut items: Vec<Item> = Vec::new();
        let mut notes: Vec<ChangeSpec> = Vec::new();
        let mut kept_runs: Vec<&Instruction> = Vec::new();
        let mut packages_placed = false;
        let mut artifacts_placed = false;
        let artifact_items = |items: &mut Vec<Item>| {
            items.push(add(format!("WORKDIR {runtime_dir}"), ChangeKind::Keep, format!("The application runs from `{runtime_dir}`"), "ASP.NET Core's content root is the working directory: `appsettings.json` and `wwwroot` are read from the publish directory", Vec::new()));
            items.push(add(format!("COPY --from=builder {publish_dir} ."), ChangeKind::CopyArtifact, format!("Only the publish directory `{publish_dir}` is copied"), "it holds the application, its dependencies and content files; the SDK, the sources and the NuGet cache stay in the builder", entry_line(&entry)));
        };
        let copies_to_keep: Vec<&Instruction> = cx
            .instructions()
            .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
            .filter(|i| !building || runtime_copy(cx, i, &entry))
            .collect();
        for i in cx.instructions() {
            match i.keyword {
                Keyword::Run => {
                    if is_build_run(i) {
                        if Some(i.node) == last_build
                            && !artifacts_placed
                            && !matches!(build, Publishing::Added(_))
                        {
                            artifact_items(&mut items);
                            artifacts_placed = true;
                        }
                        continue;
                    }
                    let facts = classify_run(i);
                    if facts.system.is_some() {
                        if !packages_placed {
                            packages_placed = true;
                            if let Some(item) = packages.item(cx, runtime.distro) {
                                items.push(item);
                            } else {
                                notes.push(ChangeSpec::new(
                                    ChangeKind::Drop,
                                    "System packages are not installed in the runtime stage",
                                    "they were only needed to build",
                                    vec![i.start_line],
                                ));
                            }
                        }
                        continue;
                    }
                    let before_build = last_build.is_some_and(|l| i.node < l);
                    if facts.setup_only || !before_build || !building {
                        if !runtime.shell {
                            return Err(Refusal::new(
                                ECO,
                                format!(
                                    "line {}: this RUN must also run in the runtime stage, and chiseled images have no shell (use --runtime auto)",
                                    i.start_line
                                ),
                            ));
                        }
                        kept_runs.push(i);
                        items.push(keep(
                            i,
                            ChangeKind::Keep,
                            "Runtime setup stays in the runtime stage",
                            "users, directories and permissions belong to the final image",
                        ));
                    } else {
                        plan.warnings.push(format!("line {}: this RUN now runs only in the builder stage; if it creates files the application needs at run time, copy them into the runtime stage", i.start_line));
                        plan.confidence = plan.confidence.min(Confidence::Medium);
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    if copies_to_keep.iter().any(|k| std::ptr::eq(*k, i)) {
                        items.push(keep_quiet(i));
                    } else {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Sources and project files stay in the builder stage",
                            "the runtime stage gets the publish directory only",
                            vec![i.start_line],
                        ));
                    }
                }
                Keyword::Arg => {}
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck | Keyword::Env => {
                    if let Some((node, text, change)) = &new_command
                        && *node == i.node
                    {
                        items.push(Item::Rewrite {
                            node: i.node,
                            text: text.clone(),
                            change: change.clone(),
                        });
                        continue;
                    }
                    let text = node_text(cx, i);
                    let mut out = text.clone();
                    for (old, new) in &rewrites {
                        if let Some(t) = replace_token(&out, old, new) {
                            out = t;
                        }
                    }
                    if out != text {
                        items.push(Item::Rewrite { node: i.node, text: out, change: ChangeSpec::new(ChangeKind::Rewrite, format!("`{}` points at the published application", i.keyword.name()), format!("the publish directory is the working directory `{runtime_dir}` of the runtime stage"), vec![i.start_line]) });
                    } else {
                        items.push(keep_quiet(i));
                    }
                }
                _ => items.push(keep_quiet(i)),
            }
        }
        if !packages_placed && let Some(item) = packages.item(cx, runtime.distro) {
            items.insert(0, item);
        }
        if let Some(env) = icu_env {
            let at = items
                .iter()
                .position(|it| matches!(it, Item::Add { text, .. } if text.contains("icu-libs")))
                .map_or(0, |p| p + 1);
            items.insert(at, env);
        }
        if building && !artifacts_placed {
            let mut copies = Vec::new();
            artifact_items(&mut copies);
            insert_before_command(cx, &mut items, copies);
        }
        // The user: .NET 8+ images have `app` (uid 1654, `$APP_UID`).
        let known: &[&str] = if runtime.image_user.is_some() {
            &["app", "$APP_UID", "1654"]
        } else {
            &[]
        };
        let user = runtime_user(
            cx,
            runtime.image_user,
            known,
            &kept_runs,
            ImageUsers::of(&runtime.image, runtime.shell, runtime.distro),
        );
        if !user.keep_source {
            items.retain(|item| !item_is(cx, item, &[Keyword::User]));
            for i in cx.with_keyword(Keyword::User) {
                notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    "The source's `USER` is replaced",
                    "the runtime stage gets its own non-root user",
                    vec![i.start_line],
                ));
            }
        }
        if let Some(create) = user.create_source.clone() {
            insert_before_user(cx, &mut items, create);
        }
        let mut before_command = user.before_command.clone();
        if runtime.image_user.is_some() && user.user == "$APP_UID" {
            for item in &mut before_command {
                if let Item::Add { change, .. } = item {
                    change.reason = "the .NET 8+ images have the non-root user `app` (uid 1654, in `$APP_UID`); a numeric user also satisfies Kubernetes' runAsNonRoot".into();
                }
            }
        }
        insert_before_command(cx, &mut items, before_command);
        if !runtime.shell {
            chiseled_commands(cx, &mut items)?;
        }
        for line in drop_unused_workdirs(cx, &mut items, false) {
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "A build `WORKDIR` is left out",
                "nothing in the runtime stage uses that directory",
                vec![line],
            ));
        }
        // The application must run from the publish directory.
        if building {
            let last_workdir = items_workdir(cx, &items);
            if last_workdir.as_deref() != Some(runtime_dir.as_str()) {
                insert_before_command(
                    cx,
                    &mut items,
                    vec![add(
                        format!("WORKDIR {runtime_dir}"),
                        ChangeKind::Keep,
                        format!("The application runs from `{runtime_dir}`"),
                        "ASP.NET Core's content root is the working directory",
                        Vec::new(),
                    )],
                );
            }
        }
        // Ports.
        port_warnings(cx, &sdk, &mut plan);
        plan.ports_checked = true;
        // Build arguments used by the runtime instructions come first.
        let texts: Vec<String> = items
            .iter()
            .map(|item| match item {
                Item::Keep { node, .. } => cx
                    .doc
                    .nodes
                    .get(*node)
                    .map(|n| n.original.clone())
                    .unwrap_or_default(),
                Item::Rewrite { text, .. } | Item::Add { text, .. } => text.clone(),
                _ => String::new(),
            })
            .collect();
        let mut all: Vec<Item> = Vec::new();
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
                texts
                    .iter()
                    .any(|t| t.contains(&format!("${n}")) || t.contains(&format!("${{{n}")))
            }) {
                all.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Build argument kept for the runtime stage",
                    "runtime instructions use it",
                ));
            }
        }
        all.extend(items);
        if !crate::convert::user::is_root(&user.user) {
            plan.assumptions.push(format!("The application runs as `{}`, not root: files it writes must go to a directory that user can write (a volume, `/tmp`).", user.user));
        }
        plan.notes.extend(notes);
        if building {
            plan.stages.push(StagePlan {
                name: "builder".into(),
                from: StageFrom::Source,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::RenameStage,
                    "The original stage becomes the builder",
                    "it keeps the SDK to restore, compile and publish",
                    vec![cx.stage.line],
                )),
                items: builder,
            });
        } else {
            plan.notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "Nothing is built in this stage, so no builder stage is needed",
                "the runtime image runs the same files",
                Vec::new(),
            ));
        }
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image {
                image: runtime.image.clone(),
                platform: runtime_platform(cx),
            },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{}`", runtime.image),
                runtime.reason.clone(),
                vec![cx.stage.line],
            )),
            items: all,
        });
        Ok(plan)
    }
}

fn entry_line(entry: &Entry<'_>) -> Vec<usize> {
    match entry {
        Entry::Dll { instruction, .. }
        | Entry::Run { instruction, .. }
        | Entry::AppHost { instruction, .. }
        | Entry::Other { instruction, .. } => vec![instruction.start_line],
        Entry::Nothing => Vec::new(),
    }
}

/// The `RUN` that publishes what `dotnet run` ran.
fn added_publish(command: &SimpleCommand) -> String {
    let mut words = vec!["dotnet".to_string(), "publish".to_string()];
    if let Some(p) = flag_value(&command.args, &["p"], &["project"]) {
        words.push(p);
    }
    match flag_value(&command.args, &["c"], &["configuration"]) {
        Some(c) => words.extend(["-c".to_string(), c]),
        None => words.extend(["-c".to_string(), "Release".to_string()]),
    }
    for (short, long) in [("f", "framework"), ("r", "runtime")] {
        if let Some(v) = flag_value(&command.args, &[short], &[long]) {
            words.push(format!("--{long}"));
            words.push(v);
        }
    }
    words.extend(["-o".to_string(), PUBLISH_DIR.to_string()]);
    format!("RUN {}", words.join(" "))
}

/// The application arguments of `dotnet run` (after `--`, or unknown
/// options it forwards), and warnings about options that do not carry over.
fn run_arguments(command: &SimpleCommand) -> (Vec<String>, Vec<String>) {
    let mut args = Vec::new();
    let mut warnings = Vec::new();
    let mut it = command
        .args
        .iter()
        .skip_while(|a| a.as_str() != "run")
        .skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--" => {
                args.extend(it.by_ref().cloned());
                break;
            }
            "--project" | "-p" | "-c" | "--configuration" | "-f" | "--framework" | "-r"
            | "--runtime" | "-a" | "--arch" | "--os" | "-v" | "--verbosity" => {
                it.next();
            }
            "--launch-profile" | "-lp" => {
                if let Some(p) = it.next() {
                    warnings.push(format!("the launch profile `{p}` of `launchSettings.json` is not applied to the published application"));
                }
            }
            "--urls" => {
                args.push(a.clone());
                if let Some(v) = it.next() {
                    args.push(v.clone());
                }
            }
            a if a.starts_with("--project=")
                || a.starts_with("--configuration=")
                || a.starts_with("-p:")
                || a.starts_with("/p:")
                || a.starts_with("--property") => {}
            "--no-build"
            | "--no-restore"
            | "--no-launch-profile"
            | "--no-dependencies"
            | "--force"
            | "--interactive" => {}
            a => args.push(a.to_string()),
        }
    }
    (args, warnings)
}

/// `dotnet publish` with an output directory added.
fn add_output(text: &str, sub: &str, dir: &str) -> String {
    if let Some(t) = replace_first(
        text,
        &format!("dotnet {sub}"),
        &format!("dotnet {sub} -o {dir}"),
    ) {
        return t;
    }
    replace_first(
        text,
        &format!("\"{sub}\""),
        &format!("\"{sub}\", \"-o\", \"{dir}\""),
    )
    .unwrap_or_else(|| text.to_string())
}

fn replace_first(text: &str, old: &str, new: &str) -> Option<String> {
    text.contains(old).then(|| text.replacen(old, new, 1))
}

/// `dotnet build` turned into `dotnet publish` (with `-c Release` when no
/// configuration is given, and the output directory when none is given).
fn build_to_publish(text: &str, run: &DotnetRun<'_>, out: &str) -> String {
    let mut extra = String::new();
    if flag_value(&run.args, &["c"], &["configuration"]).is_none() {
        extra.push_str(" -c Release");
    }
    if run.output().is_none() {
        extra.push_str(&format!(" -o {out}"));
    }
    if let Some(t) = replace_first(text, "dotnet build", &format!("dotnet publish{extra}")) {
        return t;
    }
    let json_extra: String = extra
        .split_whitespace()
        .map(|w| format!(", \"{w}\""))
        .collect();
    replace_first(text, "\"build\"", &format!("\"publish\"{json_extra}"))
        .unwrap_or_else(|| text.to_string())
}

/// Cache mount targets for NuGet.
fn nuget_targets(cx: &ConvertContext<'_>) -> Vec<String> {
    let path = cx
        .stage
        .env
        .iter()
        .find(|(k, _)| k == "NUGET_PACKAGES")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "/root/.nuget/packages".into());
    vec![path]
}

/// `dotnet restore` after the project files, when the source copies them
/// before the sources without restoring: (the node to add it before, the
/// instruction).
fn restore_step(
    cx: &ConvertContext<'_>,
    runs: &[DotnetRun<'_>],
    publish: Option<&DotnetRun<'_>>,
    entry: &Entry<'_>,
) -> Option<(usize, String)> {
    let (anchor, project, extra) = match (publish, entry) {
        (Some(p), _) => {
            let mut extra = Vec::new();
            for (short, long) in [("r", "runtime"), ("a", "arch")] {
                if let Some(v) = flag_value(&p.args, &[short], &[long]) {
                    extra.push(format!("-{short} {v}"));
                }
            }
            if let Some(v) = flag_value(&p.args, &[], &["os"]) {
                extra.push(format!("--os {v}"));
            }
            (p.instruction, p.project(), extra)
        }
        (
            None,
            Entry::Run {
                instruction,
                command,
            },
        ) => (
            *instruction,
            flag_value(&command.args, &["p"], &["project"]),
            Vec::new(),
        ),
        _ => return None,
    };
    let mut copied: Vec<String> = Vec::new();
    let mut seen_project = false;
    for i in cx.instructions() {
        if i.node >= anchor.node && anchor.keyword == Keyword::Run {
            return None;
        }
        match i.keyword {
            Keyword::Copy | Keyword::Add => {
                if matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some()) {
                    continue;
                }
                let sources = cx.copy_sources(i);
                if !sources.is_empty() && sources.iter().all(|s| is_project_file(base_name(s))) {
                    seen_project = true;
                    copied.extend(sources.iter().cloned());
                } else if seen_project {
                    if i.context.workdir != anchor.context.workdir {
                        return None;
                    }
                    let arg = match &project {
                        Some(p) => {
                            let b = base_name(p);
                            if !copied
                                .iter()
                                .any(|c| base_name(c) == b || glob_match(base_name(c), b))
                                && (b.contains(".csproj")
                                    || b.contains(".sln")
                                    || b.contains(".fsproj"))
                            {
                                return None;
                            }
                            if !b.contains('.') {
                                return None;
                            }
                            format!(" {p}")
                        }
                        None => String::new(),
                    };
                    let extra = if extra.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", extra.join(" "))
                    };
                    return Some((i.node, format!("RUN dotnet restore{arg}{extra}")));
                } else {
                    return None;
                }
            }
            Keyword::Run
                if runs
                    .iter()
                    .any(|r| std::ptr::eq(r.instruction, i) && r.sub == "restore") =>
            {
                return None;
            }
            _ => {}
        }
    }
    None
}

/// Whether a context `COPY`/`ADD` goes to the runtime stage too: files the
/// application reads at run time that are not part of the project.
fn runtime_copy(cx: &ConvertContext<'_>, i: &Instruction, entry: &Entry<'_>) -> bool {
    if matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some()) {
        return true;
    }
    if cx.copies_everything(i) {
        return false;
    }
    let sources = cx.copy_sources(i);
    if sources.iter().any(|s| s.contains("://")) {
        return true;
    }
    if sources.iter().any(|s| is_project_file(base_name(s))) {
        return false;
    }
    let dest = super::jvm_support::copy_destination(i).unwrap_or_default();
    let referenced = match entry {
        Entry::Other { instruction, .. }
        | Entry::Dll { instruction, .. }
        | Entry::AppHost { instruction, .. }
        | Entry::Run { instruction, .. } => {
            let d = dest.trim_end_matches('/');
            !d.is_empty() && d != "/" && node_text(cx, instruction).contains(d)
        }
        Entry::Nothing => false,
    };
    const EXTENSIONS: &[&str] = &[".sh", ".pfx", ".crt", ".pem", ".cer"];
    referenced
        || sources.iter().all(|s| {
            EXTENSIONS.iter().any(|e| base_name(s).ends_with(e))
                || matches!(base_name(s), "certs" | "certificates" | "https")
        })
}

/// Chiseled images have no shell: commands must be in exec form, and a
/// health check that runs a command cannot work.
fn chiseled_commands(cx: &ConvertContext<'_>, items: &mut [Item]) -> Result<(), Refusal> {
    for item in items.iter_mut() {
        let (node, text) = match item {
            Item::Keep { node, .. } => (
                *node,
                cx.doc
                    .nodes
                    .get(*node)
                    .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                    .unwrap_or_default(),
            ),
            Item::Rewrite { node, text, .. } => (*node, text.clone()),
            _ => continue,
        };
        let Some(n) = cx.doc.nodes.get(node) else {
            continue;
        };
        match n.kind {
            Keyword::Healthcheck if !text.to_ascii_uppercase().contains("NONE") => {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "line {}: the HEALTHCHECK runs a command, and chiseled images have no shell or HTTP client (use --runtime auto)",
                        n.start_line
                    ),
                ));
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                let reparsed = crate::dockerfile::parse(&format!("FROM scratch\n{text}\n")).ok();
                let Some(parsed) = reparsed.as_ref().and_then(|d| d.nodes.get(1)) else {
                    continue;
                };
                if parsed.json {
                    if runs_shell(&parsed.args) {
                        return Err(Refusal::new(
                            ECO,
                            format!(
                                "line {}: the command runs a shell (`{}`), and chiseled images have none; use --runtime auto",
                                n.start_line,
                                parsed.args.join(" ")
                            ),
                        ));
                    }
                    continue;
                }
                let words = crate::model::shell::shell_form_words(&parsed.args);
                let Some(json) = exec_form(&words) else {
                    return Err(Refusal::new(
                        ECO,
                        format!(
                            "line {}: the command uses shell features (`{}`), and chiseled images have no shell; use --runtime auto",
                            n.start_line,
                            words.join(" ")
                        ),
                    ));
                };
                *item = Item::Rewrite {
                    node,
                    text: format!("{} {json}", n.kind.name()),
                    change: ChangeSpec::new(
                        ChangeKind::Rewrite,
                        "The command is in exec form",
                        "chiseled images have no shell to run a shell-form command",
                        vec![n.start_line],
                    ),
                };
            }
            _ => {}
        }
    }
    Ok(())
}

/// Warnings about the port the application listens on.
fn port_warnings(cx: &ConvertContext<'_>, sdk: &SdkImage, plan: &mut Plan) {
    let env_port = cx.stage.env.iter().find_map(|(k, v)| match k.as_str() {
        "ASPNETCORE_HTTP_PORTS" => Some(v.split([',', ';']).next().unwrap_or(v).trim().to_string()),
        "ASPNETCORE_URLS" => v
            .rsplit(':')
            .next()
            .map(|p| p.trim_end_matches('/').to_string()),
        _ => None,
    });
    let exposed: Vec<String> = cx
        .with_keyword(Keyword::Expose)
        .filter_map(|i| match i.kind() {
            Some(CommandKind::Expose(p)) => Some(p.clone()),
            _ => None,
        })
        .flatten()
        .map(|p| p.split('/').next().unwrap_or(&p).to_string())
        .collect();
    let modern = sdk.major.is_none_or(|m| m >= 8);
    let listening = match (&env_port, modern) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some("8080".to_string()),
        (None, false) => Some("80".to_string()),
    };
    let Some(port) = listening else { return };
    if env_port.is_none()
        && modern
        && exposed.iter().any(|p| p == "80")
        && !exposed.iter().any(|p| p == "8080")
    {
        plan.warnings.push("the file EXPOSEs port 80, but .NET 8+ images listen on 8080 (`ASPNETCORE_HTTP_PORTS=8080`, in the SDK image as in the runtime image), so the application listened on 8080 before and still does. restage keeps that behaviour rather than setting port 80, which a non-root user may not bind outside Docker; update EXPOSE and the port mappings to 8080.".into());
    }
    if let Ok(n) = port.parse::<u32>()
        && n < 1024
        && (env_port.is_some() || !modern)
    {
        plan.warnings.push(format!("the application listens on port {n} and now runs as a non-root user: Docker (20.10+) allows that (`net.ipv4.ip_unprivileged_port_start=0`), Kubernetes and other runtimes do not unless configured; prefer a port above 1023 (`ASPNETCORE_HTTP_PORTS=8080`)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    /// A command that runs a shell through `env`, or whose script is the
    /// `CMD` of `ENTRYPOINT ["/bin/sh", "-c"]`, is read inside the script:
    /// it converts under `auto` with the command as written, and a
    /// chiseled image (no shell) is refused with the line and command.
    #[test]
    fn a_shell_command_keeps_a_runtime_with_a_shell() {
        let head = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Api/Api.csproj -c Release -o /out\n";
        let cases = [
            (
                "CMD [\"/usr/bin/env\", \"bash\", \"-c\", \"exec dotnet /out/Api.dll --urls http://0.0.0.0:$PORT\"]",
                "line 5: the command runs a shell (`/usr/bin/env bash -c exec dotnet /out/Api.dll --urls http://0.0.0.0:$PORT`), and chiseled images have none",
            ),
            (
                "ENTRYPOINT [\"/bin/sh\", \"-ec\"]\nCMD [\"dotnet /out/Api.dll --urls http://0.0.0.0:$PORT\"]",
                "line 5: the command runs a shell (`/bin/sh -ec`), and chiseled images have none",
            ),
        ];
        for (command, refusal) in cases {
            let text = format!("{head}{command}\n");
            let auto = convert_text(&text, &ConvertOptions::default())
                .unwrap_or_else(|r| panic!("{command}: {r}"));
            let out = auto.conversion.dockerfile;
            assert!(
                out.contains("FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS runtime"),
                "{out}"
            );
            assert!(out.contains(command), "{out}");
            let options = ConvertOptions {
                runtime: RuntimePreference::Distroless,
                ..ConvertOptions::default()
            };
            let got = convert_text(&text, &options);
            assert!(
                got.as_ref().is_err_and(|r| r.reason.contains(refusal)),
                "{command}: {:?}",
                got.map(|o| o.conversion.dockerfile)
            );
        }
    }

    /// On chiseled images a shell-form command whose only shell syntax is
    /// quoting becomes exec form; one with a variable is refused, naming it.
    #[test]
    fn shell_form_on_chiseled_images() {
        let head = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\nWORKDIR /app\n";
        let options = ConvertOptions {
            runtime: RuntimePreference::Distroless,
            ..ConvertOptions::default()
        };
        let quoted = format!("{head}CMD dotnet Api.dll --urls \"http://+:8080\"\n");
        let out = convert_text(&quoted, &options)
            .map(|o| o.conversion.dockerfile)
            .unwrap_or_else(|r| panic!("{r}"));
        assert!(
            out.contains("CMD [\"dotnet\", \"Api.dll\", \"--urls\", \"http://+:8080\"]"),
            "{out}"
        );
        let variable = format!("{head}CMD dotnet Api.dll --urls http://+:$PORT\n");
        assert_eq!(
            convert_text(&variable, &options).map(|o| o.conversion.dockerfile).map_err(|r| r.reason),
            Err("line 6: the command uses shell features (`dotnet Api.dll --urls http://+:$PORT`), and chiseled images have no shell; use --runtime auto".to_string())
        );
    }

    #[test]
    fn tags_split_into_version_and_os() {
        let s = |t: &str| split_tag(t);
        assert_eq!(s("8.0"), ("8.0".into(), String::new()));
        assert_eq!(
            s("8.0.100-bookworm-slim"),
            ("8.0".into(), "-bookworm-slim".into())
        );
        assert_eq!(s("9.0-alpine3.21"), ("9.0".into(), "-alpine3.21".into()));
        assert_eq!(s("10.0-noble-aot"), ("10.0".into(), "-noble".into()));
        assert_eq!(
            s("${DOTNET_VERSION}"),
            ("${DOTNET_VERSION}".into(), String::new())
        );
        assert_eq!(
            s("${DOTNET_VERSION}-alpine"),
            ("${DOTNET_VERSION}".into(), "-alpine".into())
        );
        assert_eq!(
            project_name("src/Api/Api.csproj"),
            Some(("Api".into(), true))
        );
        assert_eq!(project_name("src/Web"), Some(("Web".into(), false)));
        assert_eq!(project_name("App.sln"), None);
    }

    fn convert(text: &str, options: &ConvertOptions) -> Result<String, String> {
        convert_text(text, options)
            .map(|o| o.conversion.dockerfile)
            .map_err(|r| r.reason)
    }

    #[test]
    fn planning_decisions() {
        let auto = ConvertOptions::default();
        let distroless = ConvertOptions {
            runtime: RuntimePreference::Distroless,
            ..ConvertOptions::default()
        };
        let web = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY Api.csproj .\nCOPY . .\nRUN dotnet publish Api.csproj -c Release -o /app\nWORKDIR /app\nEXPOSE 8080\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";
        let out = convert(web, &auto).unwrap_or_default();
        assert!(
            out.contains("RUN dotnet restore Api.csproj\nCOPY . ."),
            "{out}"
        );
        assert!(
            out.contains("FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS runtime"),
            "{out}"
        );
        assert!(out.contains("COPY --from=builder /app ."), "{out}");
        assert!(out.contains("USER $APP_UID"), "{out}");
        assert!(
            out.contains("ENTRYPOINT [\"dotnet\", \"Api.dll\"]"),
            "{out}"
        );
        let out = convert(web, &distroless).unwrap_or_default();
        assert!(out.contains("aspnet:8.0-noble-chiseled-extra"), "{out}");
        // A console app without web evidence runs on `runtime`.
        let console = "FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Worker/Worker.csproj -c Release -o /out\nENTRYPOINT [\"dotnet\", \"/out/Worker.dll\"]\n";
        let out = convert(console, &auto).unwrap_or_default();
        assert!(
            out.contains("FROM mcr.microsoft.com/dotnet/runtime:8.0-alpine AS runtime"),
            "{out}"
        );
        assert!(out.contains("icu-libs"), "{out}");
        // dotnet run becomes a publish.
        let run = "FROM mcr.microsoft.com/dotnet/sdk:6.0\nWORKDIR /app\nCOPY . .\nCMD dotnet run --project src/Shop.Web/Shop.Web.csproj\n";
        let out = convert(run, &auto).unwrap_or_default();
        assert!(
            out.contains(
                "RUN dotnet publish src/Shop.Web/Shop.Web.csproj -c Release -o /app/publish"
            ),
            "{out}"
        );
        assert!(out.contains("CMD [\"dotnet\", \"Shop.Web.dll\"]"), "{out}");
        assert!(
            out.contains("FROM mcr.microsoft.com/dotnet/aspnet:6.0 AS runtime"),
            "{out}"
        );
        assert!(out.contains("useradd"), "{out}");
        // Unknown assembly: refused.
        let unknown = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet publish -c Release -o /app\nENTRYPOINT [\"/app/start.sh\"]\n";
        assert!(convert(unknown, &auto).is_err());
    }
}
