//! Python (pip, poetry, pipenv, uv): dependencies go into a virtualenv in
//! a builder stage that keeps the compilers and headers; the runtime stage
//! is the slim image of the same Python with the virtualenv, the code and
//! the runtime libraries of any `-dev` package. With `--runtime alpine`, a
//! Debian build moves to Alpine as a whole (see `AlpineBuild`), or is
//! refused: a virtualenv built against glibc does not load on musl.

mod dev_groups;
mod fixes;
mod native;

use super::common::{add, keep, keep_quiet, user_items};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::Instruction;
use crate::model::tools::{Tool, recognise};

/// The strategy.
pub struct Python;

/// Where dependencies are installed.
const VENV: &str = "/opt/venv";

/// Files that declare Python dependencies.
const MANIFESTS: &[&str] = &[
    "requirements*.txt",
    "requirements",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "uv.lock",
    "setup.py",
    "setup.cfg",
    "pdm.lock",
    "constraints*.txt",
];

/// Tools installed with pip that manage the dependencies themselves.
const INSTALLERS: &[&str] = &[
    "poetry",
    "pipenv",
    "uv",
    "pip",
    "pip-tools",
    "setuptools",
    "wheel",
    "pdm",
];

const PYTHON_TOOLS: &[Tool] = &[Tool::Pip, Tool::Pipenv, Tool::Poetry, Tool::Uv];

fn is_manifest(path: &str) -> bool {
    let base = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    MANIFESTS
        .iter()
        .any(|m| crate::convert::context::glob_match(m, base))
}

/// Whether a `RUN` only installs dependency managers (`pip install poetry`).
fn installs_only_tools(instruction: &Instruction) -> bool {
    let Some(run) = &instruction.run else {
        return false;
    };
    let mut saw = false;
    for c in run.commands() {
        if let Some(inv) = recognise(c)
            && inv.tool == Tool::Pip
            && inv.subcommand() == Some("install")
        {
            let ops = inv.operands();
            if ops.is_empty()
                || ops.iter().any(|p| {
                    let name = p.split(['=', '<', '>', '~', '[']).next().unwrap_or(p);
                    !INSTALLERS.contains(&name)
                })
                || inv.has_flag(&["r", "requirement", "e", "editable"])
            {
                return false;
            }
            saw = true;
        }
    }
    saw
}

/// Whether a `RUN` installs the application's Python dependencies.
fn installs_dependencies(instruction: &Instruction) -> bool {
    let facts = classify_run(instruction);
    facts.dependencies.iter().any(|t| PYTHON_TOOLS.contains(t)) && !installs_only_tools(instruction)
}

/// Whether a `RUN` runs Python (after dependencies are installed it can
/// run in the runtime stage: `python manage.py collectstatic`).
fn runs_python(instruction: &Instruction) -> bool {
    instruction.run.as_ref().is_some_and(|r| {
        r.commands().any(|c| {
            let n = c.base_name();
            n.starts_with("python")
                || n == "django-admin"
                || c.args.iter().any(|a| a.ends_with("manage.py"))
        })
    })
}

/// The pip flags a virtualenv makes wrong (`--user`, `--prefix`, `--target`).
fn venv_rewrite(text: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut skip_next = false;
    for w in words {
        if skip_next {
            skip_next = false;
            changed = true;
            continue;
        }
        match w {
            "--user" => changed = true,
            "--prefix" | "--target" | "-t" if !w.contains('=') => {
                skip_next = true;
                changed = true;
            }
            w if w.starts_with("--prefix=") || w.starts_with("--target=") => changed = true,
            w => out.push(w),
        }
    }
    changed.then(|| out.join(" "))
}

impl Strategy for Python {
    fn name(&self) -> &'static str {
        "python-venv"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Python
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let base = ImageText::parse(&match &cx.stage.base {
            crate::model::BaseImage::Image { reference, .. } => reference.clone(),
            _ => String::new(),
        });
        if base.short_name() == "python" {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is Python", cx.stage.base_text),
            );
        }
        for (i, c) in cx.copies() {
            for s in &c.sources {
                if is_manifest(s) {
                    d.add(
                        5,
                        i.start_line,
                        format!("copies the dependency manifest `{s}`"),
                    );
                }
            }
        }
        let mut installs = false;
        for (i, inv) in cx.invocations().into_iter().map(|(i, _, inv)| (i, inv)) {
            if PYTHON_TOOLS.contains(&inv.tool) && !installs {
                installs = true;
                d.add(
                    10,
                    i.start_line,
                    format!("installs dependencies with {}", inv.line.name),
                );
            }
        }
        for i in cx
            .with_keyword(Keyword::Cmd)
            .chain(cx.with_keyword(Keyword::Entrypoint))
        {
            let text = cx.node(i).map(|n| n.args.join(" ")).unwrap_or_default();
            if [
                "python",
                "gunicorn",
                "uvicorn",
                "celery",
                "flask",
                "manage.py",
                "hypercorn",
                "daphne",
            ]
            .iter()
            .any(|w| text.contains(w))
            {
                d.add(5, i.start_line, "runs a Python program");
            }
        }
        (d.score >= 15 && (installs || base.short_name() == "python")).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let raw_base = cx.stage.base_text.clone();
        let resolved = match &cx.stage.base {
            crate::model::BaseImage::Image { reference, .. } => reference.clone(),
            _ => {
                return Err(Refusal::new(
                    Some(Ecosystem::Python),
                    "the stage does not start from a Python image restage can derive a runtime image from",
                ));
            }
        };
        let base = ImageText::parse(&resolved);
        let source_distro = base.distro();
        let raw = ImageText::parse(&raw_base);
        super::common::refuse_unresolved_packages(cx, Some(Ecosystem::Python))?;
        let mut plan = Plan::new(Ecosystem::Python, self.name(), Confidence::High);
        // The runtime image: the slim image of the same Python.
        let (runtime_image, runtime_distro) = match cx.options.runtime {
            RuntimePreference::Scratch => {
                return Err(Refusal::new(
                    Some(Ecosystem::Python),
                    "a Python application needs an interpreter, so it cannot run on `scratch`",
                ));
            }
            RuntimePreference::Distroless => {
                return Err(Refusal::new(
                    Some(Ecosystem::Python),
                    "distroless's python3 image ships Debian's Python 3.13 only; restage keeps the application's own Python version (use --runtime slim)",
                ));
            }
            RuntimePreference::Alpine if !super::common::is_official_image(&base, "python") => {
                return Err(Refusal::new(
                    Some(Ecosystem::Python),
                    format!(
                        "the base image `{resolved}` is not the official Python image, so restage cannot name an Alpine image with the same Python"
                    ),
                ));
            }
            RuntimePreference::Alpine => (alpine_image(&raw), Distro::Alpine),
            RuntimePreference::Auto | RuntimePreference::Slim => {
                if !super::common::is_official_image(&base, "python") {
                    return Err(Refusal::new(
                        Some(Ecosystem::Python),
                        format!(
                            "the base image `{resolved}` is not the official Python image, so restage cannot name a slim image with the same Python"
                        ),
                    ));
                }
                (raw.slim(), source_distro)
            }
        };
        if raw.digest.is_some() {
            plan.assumptions.push(format!("`{raw_base}` is pinned by digest; the runtime image `{runtime_image}` is not — pin it too"));
        }
        // A Debian build moves to Alpine as a whole: what pip compiles links
        // the C library of the image it is built on.
        let to_alpine = runtime_distro == Distro::Alpine && source_distro != Distro::Alpine;
        let alpine = if to_alpine {
            Some(AlpineBuild::plan(cx, &raw, source_distro)?)
        } else {
            None
        };
        if let Some(a) = &alpine {
            plan.assumptions.extend(a.assumptions(&runtime_image));
            plan.confidence = Confidence::Medium;
        } else if runtime_distro == Distro::Alpine {
            plan.warnings.push("Alpine uses musl: packages without musllinux wheels are compiled in the builder, and native libraries must exist on Alpine".into());
        }
        let uses_uv = !cx.uses(Tool::Uv).is_empty();
        let uses_poetry = !cx.uses(Tool::Poetry).is_empty();

        // Builder: everything that installs or builds, with a virtualenv.
        let mut builder = Vec::new();
        let mut venv_done = false;
        let mut notes = Vec::new();
        let mut builder_warnings: Vec<String> = Vec::new();
        let instructions: Vec<&Instruction> = cx.instructions().collect();
        // An image that runs a test runner needs its development groups.
        let keeps_dev_groups = [Keyword::Entrypoint, Keyword::Cmd]
            .into_iter()
            .filter_map(|k| cx.last(k))
            .any(|i| {
                super::common::command_words(cx, i)
                    .0
                    .iter()
                    .any(|w| dev_groups::runs_dev_tool(w))
            });
        let old_poetry = dev_groups::old_poetry(&cx.doc.source);
        let mut dropped_dev_groups = false;
        for i in &instructions {
            let facts = classify_run(i);
            match i.keyword {
                Keyword::Run if facts.setup_only => {}
                Keyword::Run if installs_dependencies(i) => {
                    if !venv_done {
                        venv_done = true;
                        let lines = vec![i.start_line];
                        if let Some(item) = alpine.as_ref().and_then(|a| a.compilers(lines.clone()))
                        {
                            builder.push(item);
                        }
                        builder.push(add(
                            format!("RUN python -m venv {VENV}"),
                            ChangeKind::Add,
                            format!("Dependencies go into a virtualenv at `{VENV}`"),
                            "one directory holds every installed package, so the runtime stage copies just that",
                            lines.clone(),
                        ));
                        let mut env = format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\"");
                        if uses_poetry {
                            env.push_str(" POETRY_VIRTUALENVS_CREATE=false");
                        }
                        if uses_uv {
                            env.push_str(&format!(" UV_PROJECT_ENVIRONMENT={VENV}"));
                        }
                        builder.push(add(
                            env,
                            ChangeKind::Add,
                            "The virtualenv comes first on PATH",
                            "pip, poetry, pipenv and uv then install into it",
                            lines,
                        ));
                    }
                    let text = cx
                        .node(i)
                        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                        .unwrap_or_default();
                    let mut rewritten = venv_rewrite(&text);
                    let venv_flags = rewritten.is_some();
                    let mut dev_change = None;
                    if !keeps_dev_groups
                        && let Some((new, what)) = dev_groups::without_dev_groups(
                            rewritten.as_deref().unwrap_or(&text),
                            old_poetry,
                        )
                    {
                        rewritten = Some(new);
                        dropped_dev_groups = true;
                        dev_change = Some(ChangeSpec::new(
                            ChangeKind::Rewrite,
                            format!("Only the main dependencies are installed ({what})"),
                            "development groups (test runners, linters, type checkers) are not needed to run the application, and the runtime stage receives everything the virtualenv holds",
                            vec![i.start_line],
                        ));
                    }
                    let mut cached = false;
                    if cx.options.cache_mounts && !text.contains("--no-cache-dir") {
                        let base_text = rewritten.clone().unwrap_or_else(|| text.clone());
                        let tools: Vec<Tool> = facts.dependencies.clone();
                        let with = crate::convert::cache::with_cache_mounts(&base_text, &tools);
                        if with != base_text {
                            plan.needs_syntax = true;
                            rewritten = Some(with);
                            cached = true;
                        }
                    }
                    let venv_change = ChangeSpec::new(
                        ChangeKind::Rewrite,
                        "Dependencies install into the virtualenv",
                        "`--user`, `--prefix` and `--target` would install outside it; cache mounts keep downloads out of the layer",
                        vec![i.start_line],
                    );
                    // The dependency groups' change is the step's own when
                    // nothing else was rewritten, else a note beside it.
                    let change = match dev_change {
                        Some(dev) if venv_flags || cached => {
                            notes.push(dev);
                            venv_change
                        }
                        Some(dev) => dev,
                        None => venv_change,
                    };
                    match rewritten {
                        Some(new) => builder.push(Item::Rewrite {
                            node: i.node,
                            text: new,
                            change,
                        }),
                        None => builder.push(keep(
                            i,
                            ChangeKind::Move,
                            "Dependency install runs in the builder stage",
                            "compilers and headers it may need stay out of the runtime image",
                        )),
                    }
                }
                Keyword::Run if facts.system.is_some() => {
                    builder.push(match alpine.as_ref().and_then(|a| a.install_for(i)) {
                        Some(item) => item,
                        None => keep(
                            i,
                            ChangeKind::Move,
                            "System packages are installed in the builder stage",
                            "build tools and headers are only needed to install dependencies",
                        ),
                    });
                }
                Keyword::Run if venv_done && (runs_python(i) || fixes::download(i).is_some()) => {}
                Keyword::Run => {
                    builder.push(keep(
                        i,
                        ChangeKind::Move,
                        "Runs in the builder stage",
                        "it does not install runtime packages",
                    ));
                    if !facts.dependencies.is_empty() || facts.builds {
                        continue;
                    }
                    if let Some(what) = super::common::fetches_files(i) {
                        return Err(Refusal::new(
                            Some(Ecosystem::Python),
                            format!(
                                "line {} fetches files (`{what}`) in a step that is not a dependency install; it would run only in the builder stage and the runtime stage would not get what it downloads",
                                i.start_line
                            ),
                        ));
                    }
                    if !installs_only_tools(i) {
                        builder_warnings.push(format!(
                            "line {}: this RUN now runs in the builder stage; if it creates files the application needs, copy them into the runtime stage",
                            i.start_line
                        ));
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    builder.push(fixes::builder_copy(cx, i).unwrap_or_else(|| keep_quiet(i)));
                }
                Keyword::Workdir | Keyword::Arg | Keyword::Env => {
                    builder.push(keep_quiet(i));
                }
                _ => {}
            }
        }
        super::common::trim_after_last_run(cx, &mut builder);
        if dropped_dev_groups {
            plan.assumptions.push("Development dependency groups are left out of the image; if the application imports one of their packages at run time, move it to the main dependencies.".into());
        }
        // Without a builder stage, every RUN stays in the runtime stage.
        if venv_done && !builder_warnings.is_empty() {
            plan.warnings.extend(builder_warnings);
            plan.confidence = Confidence::Medium;
        }
        if !venv_done {
            // Nothing is installed: the runtime stage alone is the result.
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "No dependencies are installed, so no builder stage is needed",
                "the slim image runs the same code",
                Vec::new(),
            ));
        }

        // Runtime: the slim image, runtime libraries, the virtualenv, the code.
        let mut runtime = Vec::new();
        let mut copied_venv = false;
        let mut packages_done = false;
        let clients = missing_clients(cx, runtime_distro);
        let native = native::needs(cx, runtime_distro);
        // A stage that installs its headers itself says which libraries
        // its dependencies link, and the runtime gets those.
        let installs_headers = instructions.iter().any(|i| {
            classify_run(i).system.is_some_and(|s| {
                s.installed
                    .iter()
                    .any(|p| crate::knowledge::packages::is_dev(p))
            })
        });
        if !native.unseen.is_empty() && !raw.is_small_variant() && !installs_headers {
            let files: Vec<String> = native
                .unseen
                .iter()
                .map(|(line, file)| format!("`{file}` (line {line})"))
                .collect();
            plan.warnings.push(format!(
                "restage did not see {}: the builder image `{raw_base}` has the development libraries that packages built from source link (PostgreSQL, MySQL, ODBC, …), and the runtime image `{runtime_image}` has not their runtime libraries; if a dependency needs one (psycopg2, mysqlclient, pyodbc, python-magic, …), install it in the runtime stage (libpq5, libmariadb3, …), or pass the file (`restage report --manifest`, the API's `manifests`) and restage adds it",
                files.join(", ")
            ));
            plan.confidence = Confidence::Medium;
        }
        let users = ImageUsers::of(
            &runtime_image,
            runtime_image_has_shell(&runtime_image),
            runtime_distro,
        );
        let mut user_kept = false;
        let mut downloads = std::collections::BTreeSet::new();
        for i in &instructions {
            let facts = classify_run(i);
            match i.keyword {
                Keyword::Run if facts.system.is_some() => {
                    if !packages_done {
                        packages_done = true;
                        if let Some(item) = runtime_install(
                            cx,
                            source_distro,
                            runtime_distro,
                            &clients,
                            &native.libraries,
                        ) {
                            runtime.push(item);
                        } else {
                            notes.push(ChangeSpec::new(
                                ChangeKind::Drop,
                                "System packages are not installed in the runtime stage",
                                "they were only needed to build",
                                vec![i.start_line],
                            ));
                        }
                    }
                }
                Keyword::Run if installs_dependencies(i) => {
                    if !copied_venv {
                        copied_venv = true;
                        runtime.push(add(
                            format!("COPY --from=builder {VENV} {VENV}"),
                            ChangeKind::CopyArtifact,
                            "The virtualenv is copied from the builder stage",
                            "it holds every installed dependency, compiled against the same Python",
                            vec![i.start_line],
                        ));
                        runtime.push(add(
                            format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""),
                            ChangeKind::Add,
                            "The virtualenv comes first on PATH",
                            "`python` and installed commands (gunicorn, uvicorn, ...) resolve to it",
                            vec![i.start_line],
                        ));
                    }
                }
                Keyword::Run if facts.setup_only => runtime.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Runtime setup stays in the runtime stage",
                    "users, directories and permissions belong to the final image",
                )),
                Keyword::Run if !venv_done => {
                    if facts.builds {
                        return Err(Refusal::new(
                            Some(Ecosystem::Python),
                            format!(
                                "line {} compiles in the image and no Python dependencies are installed, so restage has no builder stage to move it to and cannot tell what it produces",
                                i.start_line
                            ),
                        ));
                    }
                    runtime.push(keep(
                        i,
                        ChangeKind::Keep,
                        "Runs in the runtime stage",
                        "there is no builder stage: nothing is installed with pip, so the step stays where it was",
                    ));
                }
                Keyword::Run if copied_venv && fixes::download(i).is_some() => {
                    if let Some(kind) = fixes::download(i) {
                        runtime.extend(fixes::download_items(cx, i, kind, &mut downloads));
                    }
                }
                Keyword::Run if copied_venv && runs_python(i) => runtime.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Runs with the installed dependencies in the runtime stage",
                    "it prepares files the application uses",
                )),
                Keyword::Run => {}
                Keyword::Copy | Keyword::Add => {
                    let sources = cx.copy_sources(i);
                    let from_stage =
                        matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some());
                    if !from_stage && !sources.is_empty() && sources.iter().all(|s| is_manifest(s))
                    {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Dependency manifests stay in the builder stage",
                            "the runtime stage gets the installed packages",
                            vec![i.start_line],
                        ));
                    } else {
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::User => {
                    if let Some(CommandKind::User(u)) = i.kind()
                        && !crate::convert::user::is_root(u)
                        && cx.options.user.is_none()
                    {
                        user_kept = true;
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck if !user_kept => {
                    runtime.extend(user_block(cx, users));
                    user_kept = true;
                    runtime.push(fixes::command_item(cx, i, &mut plan.warnings));
                }
                Keyword::Cmd | Keyword::Entrypoint => {
                    runtime.push(fixes::command_item(cx, i, &mut plan.warnings));
                }
                _ => runtime.push(keep_quiet(i)),
            }
        }
        if !user_kept {
            runtime.extend(user_block(cx, users));
        }
        super::common::warn_unknown_dev_packages(cx, source_distro, &mut plan);
        if !packages_done
            && let Some(item) = runtime_install(
                cx,
                source_distro,
                runtime_distro,
                &clients,
                &native.libraries,
            )
        {
            runtime.insert(0, item);
        }
        plan.notes = notes;
        let base_change = ChangeSpec::new(
            ChangeKind::ReplaceBase,
            format!("The runtime stage starts from `{runtime_image}`"),
            {
                let image = if runtime_distro == Distro::Alpine && source_distro != Distro::Alpine {
                    "Alpine"
                } else {
                    "slim"
                };
                let mut why =
                    format!("the {image} image has the same Python without compilers and headers");
                if let Some(sizes) =
                    crate::size::image_sizes::compared_sizes(&resolved, &runtime_image)
                {
                    why.push_str(&format!(" ({sizes})"));
                }
                why
            },
            vec![cx.stage.line],
        );
        if venv_done {
            let (from, from_change) = match &alpine {
                Some(a) => (StageFrom::SourceImage(a.image.clone()), a.base_change(cx)),
                None => (
                    StageFrom::Source,
                    ChangeSpec::new(
                        ChangeKind::RenameStage,
                        "The original stage becomes the builder",
                        "it keeps the full image with compilers to install dependencies",
                        vec![cx.stage.line],
                    ),
                ),
            };
            plan.stages.push(StagePlan {
                name: "builder".into(),
                from,
                from_change: Some(from_change),
                items: builder,
            });
        }
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::SourceImage(runtime_image),
            from_change: Some(base_change),
            items: runtime,
        });
        Ok(plan)
    }
}

/// The runtime stage's user: none when the start command must begin as
/// root, the user the source stage creates when it never switches to one,
/// otherwise [`user_items`]; a user restage creates gets the directories
/// the stage makes.
fn user_block(cx: &ConvertContext<'_>, users: ImageUsers) -> Vec<Item> {
    if let Some((items, _)) = super::common::kept_root(cx) {
        return items;
    }
    if cx.options.user.is_none()
        && let Some((user, line)) = fixes::created_user(cx)
    {
        return vec![fixes::created_user_item(&user, line)];
    }
    user_items(cx, None, users).0
}

/// HTTP clients the container runs (`HEALTHCHECK CMD curl ...`) that the
/// runtime image does not have: the slim images have neither curl nor
/// wget, the Alpine images have BusyBox's wget. Each with its line.
fn missing_clients(cx: &ConvertContext<'_>, runtime: Distro) -> Vec<(&'static str, usize)> {
    let has: &[&str] = if runtime == Distro::Alpine {
        &["wget"]
    } else {
        &[]
    };
    super::jvm_support::missing_clients(cx, has)
}

/// The runtime stage's system-package install: the runtime packages of the
/// source stage's installs and the HTTP clients the container runs.
fn runtime_install(
    cx: &ConvertContext<'_>,
    source: Distro,
    runtime: Distro,
    clients: &[(&'static str, usize)],
    native: &[native::NativeLibrary],
) -> Option<Item> {
    let mut list = super::common::runtime_package_list(cx, source, runtime);
    let mut extra = |package: &str, line: usize, why: String| {
        let l = list.get_or_insert_with(|| super::common::RuntimePackages {
            packages: Vec::new(),
            reason: String::new(),
            lines: Vec::new(),
            unresolved: Vec::new(),
            unmapped: Vec::new(),
        });
        if !l.packages.iter().any(|p| p == package) {
            l.packages.push(package.to_string());
            l.reason = if l.reason.is_empty() {
                why
            } else {
                format!("{}; {why}", l.reason)
            };
            if !l.lines.contains(&line) {
                l.lines.push(line);
            }
        }
    };
    for (client, line) in clients {
        extra(
            client,
            *line,
            format!(
                "line {line} runs `{client}`, which the source image had and the runtime image does not"
            ),
        );
    }
    for lib in native {
        extra(
            &lib.package,
            lib.line,
            format!(
                "`{}` (installed on line {}) needs `{}` at run time",
                lib.dependency, lib.line, lib.package
            ),
        );
    }
    let list = list.filter(|l| !l.packages.is_empty())?;
    Some(add(
        super::common::install_command(runtime, &list.packages, cx.escape()),
        ChangeKind::RuntimeLibrary,
        format!("Runtime packages: {}", list.packages.join(", ")),
        list.reason,
        list.lines,
    ))
}

/// The Alpine image of the same Python (`python:3.12-bookworm` →
/// `python:3.12-alpine`, `python` → `python:alpine`).
fn alpine_image(raw: &ImageText) -> String {
    let tag = raw.tag.clone().unwrap_or_default();
    let version = tag.split('-').next().unwrap_or_default();
    if tag.contains("alpine") {
        raw.with_tag(&tag)
    } else if version.is_empty() || version == "latest" {
        raw.with_tag("alpine")
    } else {
        raw.with_tag(&format!("{version}-alpine"))
    }
}

/// A Debian-based Python build moved to Alpine: the builder starts from
/// the Alpine image of the same Python, so that what pip compiles links
/// musl like the runtime, and its `apt-get` installs become `apk` installs
/// under Alpine names. [`AlpineBuild::plan`] refuses when restage cannot
/// do that faithfully; it never mixes a glibc build with a musl runtime.
struct AlpineBuild {
    /// The builder's image (`python:3.12-alpine`).
    image: String,
    /// The `apk` install replacing each system-package `RUN` (by node).
    installs: Vec<(usize, usize, String)>,
    /// Whether the source image had compilers (the full Debian image) that
    /// the Alpine image lacks.
    add_compilers: bool,
}

impl AlpineBuild {
    /// Plans the move, or refuses: files copied from a glibc stage, a
    /// `RUN` that is more than an apt install, a package without an
    /// Alpine name, or a Debian-only command (`useradd`, `bash`).
    fn plan(cx: &ConvertContext<'_>, raw: &ImageText, source: Distro) -> Result<Self, Refusal> {
        let refuse = |why: String| {
            Err(Refusal::new(
                Some(Ecosystem::Python),
                format!(
                    "{why}; on Alpine (musl) the virtualenv must be built on Alpine too, so restage cannot give this build an Alpine runtime. Use --runtime slim"
                ),
            ))
        };
        if let Some((line, base)) = crate::convert::alpine::glibc_copy(cx) {
            return refuse(format!(
                "line {line} copies files from a stage built on `{base}` (glibc), which restage does not convert: compiled Python packages from there do not load on Alpine"
            ));
        }
        let mut installs = Vec::new();
        for i in cx.instructions().filter(|i| i.keyword == Keyword::Run) {
            if classify_run(i).system.is_some() {
                match crate::convert::alpine::install(cx, i) {
                    Ok(text) => installs.push((i.node, i.start_line, text)),
                    Err(e) => return refuse(e.to_string()),
                }
            } else if let Some(command) = crate::convert::alpine::debian_only_command(i) {
                return refuse(format!(
                    "line {} runs `{command}`, which Alpine does not have (BusyBox has `adduser` and `addgroup`, with other options)",
                    i.start_line
                ));
            }
        }
        if let Some(line) = bash_line(cx) {
            return refuse(format!(
                "line {line} runs bash, which the Alpine image does not have"
            ));
        }
        let list = super::common::runtime_package_list(cx, source, Distro::Alpine);
        if let Some(first) = list.as_ref().and_then(|l| l.unmapped.first()) {
            return refuse(format!(
                "the runtime stage needs the Debian package `{first}`, and restage knows no Alpine package of that name"
            ));
        }
        let compiles = installs.iter().any(|(_, _, t)| {
            t.split_whitespace()
                .any(|w| w == "gcc" || w == "build-base")
        });
        Ok(Self {
            image: alpine_image(raw),
            installs,
            add_compilers: !raw.is_small_variant() && !compiles,
        })
    }

    /// The `apk` install that replaces a system-package `RUN`.
    fn install_for(&self, i: &Instruction) -> Option<Item> {
        let (_, line, text) = self.installs.iter().find(|(n, _, _)| *n == i.node)?;
        Some(Item::Rewrite {
            node: i.node,
            text: text.clone(),
            change: ChangeSpec::new(
                ChangeKind::Rewrite,
                "System packages are installed with apk, under their Alpine names",
                "the builder is Alpine, so that compiled packages link musl like the runtime image",
                vec![*line],
            ),
        })
    }

    /// `apk add build-base` before the first dependency install, when the
    /// source image had compilers and the build installs none.
    fn compilers(&self, lines: Vec<usize>) -> Option<Item> {
        self.add_compilers.then(|| {
            add(
                "RUN apk add --no-cache build-base",
                ChangeKind::Add,
                "The Alpine builder gets a C compiler",
                "the full Debian Python image had gcc and make for packages that compile; the Alpine image has none",
                lines,
            )
        })
    }

    /// Why the builder's `FROM` changed.
    fn base_change(&self, cx: &ConvertContext<'_>) -> ChangeSpec {
        ChangeSpec::new(
            ChangeKind::ReplaceBase,
            format!("The builder starts from `{}`", self.image),
            format!(
                "the runtime is Alpine (musl); packages pip compiles on `{}` (glibc) would not load there",
                cx.stage.base_text
            ),
            vec![cx.stage.line],
        )
    }

    /// What a person should check after the move.
    fn assumptions(&self, runtime: &str) -> Vec<String> {
        let mut out = vec![format!(
            "The build moved from Debian to `{}` so that the virtualenv runs on `{runtime}`: pip installs musllinux wheels or compiles on Alpine; a package without a musllinux wheel may need Alpine headers (`apk add ...-dev`) in the builder",
            self.image
        )];
        if !self.installs.is_empty() {
            out.push("System packages were renamed for Alpine (apt-get → apk); check that the names fit the Alpine release".into());
        }
        out
    }
}

/// The first line that runs bash (a `SHELL`, `CMD`, `ENTRYPOINT`,
/// `HEALTHCHECK` or `RUN` word `bash` or `/bin/bash`).
fn bash_line(cx: &ConvertContext<'_>) -> Option<usize> {
    cx.instructions()
        .find(|i| {
            cx.node(i).is_some_and(|n| {
                n.args.iter().any(|a| {
                    a.split(|c: char| c.is_whitespace() || matches!(c, '"' | '[' | ']' | ',' | ';'))
                        .any(|w| w == "bash" || w.ends_with("/bash"))
                })
            })
        })
        .map(|i| i.start_line)
}

fn runtime_image_has_shell(image: &str) -> bool {
    !image.contains("distroless") && image != "scratch"
}
