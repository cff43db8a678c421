//! Ruby (bundler: Rails, Sinatra, Rack, plain scripts): the source stage
//! becomes the `builder`, which keeps the compilers and headers that gems
//! with native extensions need, installs the gems (in Bundler's deployment
//! mode without development and test gems when that is safe), precompiles
//! Rails assets and bootsnap, and drops Bundler's download cache. The
//! `runtime` stage is the slim (or, for an Alpine source, Alpine) image of
//! the same Ruby with the runtime libraries of the `-dev` packages, the
//! installed gems (`/usr/local/bundle`, or the `BUNDLE_PATH` in use) and
//! the application directory from the builder (precompiled assets
//! included, `node_modules` left behind), running as a non-root user:
//! Rails' own `rails` (uid 1000, owning only `db log storage tmp`, as in the
//! Rails 7.1+ Dockerfile), otherwise a created `appuser`. Node.js and Yarn
//! for jsbundling stay in the builder. Ruby installed from a distribution's
//! packages (Debian, Ubuntu, Alpine) works the same way, with the gems
//! kept in `GEM_HOME=/usr/local/bundle` so that there is one directory to
//! copy.

use super::common::{add, install_command, is_runtime_behaviour, keep, keep_quiet, user_items};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::knowledge::packages::{Distro, package_name};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction, covers, join_workdir};

/// The strategy.
pub struct Ruby;

const ECO: Ecosystem = Ecosystem::Ruby;

/// Where the official `ruby` images install gems (`GEM_HOME`, `BUNDLE_APP_CONFIG`).
const GEM_HOME: &str = "/usr/local/bundle";

/// The directories a Rails application writes to at run time (the Rails
/// 7.1+ Dockerfile gives exactly these to its `rails` user).
const RAILS_WRITABLE: &[&str] = &["db", "log", "storage", "tmp"];

/// Packages that only serve the build of a Ruby application: git for
/// gems from git sources (Bundler checks them out into the bundle path).
const BUILD_ONLY_PACKAGES: &[&str] = &["git", "git-core"];

/// Node.js packages, needed only to build assets (jsbundling, Webpacker).
const NODE_PACKAGES: &[&str] = &["nodejs", "npm", "yarn", "yarnpkg"];

fn refuse(reason: impl Into<String>) -> Refusal {
    Refusal::new(Some(ECO), reason)
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn workdir_before(i: &Instruction) -> Option<String> {
    i.context.workdir.as_deref().map(str::to_string)
}

fn node_text(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
        .unwrap_or_default()
}

/// The image the stage starts from, as written and resolved.
struct Source {
    /// The text of the `FROM` (variables kept).
    raw: ImageText,
    /// The reference with `ARG` defaults substituted.
    resolved: ImageText,
    /// The official `ruby` image (gems in `/usr/local/bundle`).
    official: bool,
    /// The distribution of the image.
    distro: Distro,
}

fn source(cx: &ConvertContext<'_>) -> Option<Source> {
    let BaseImage::Image { reference, .. } = &cx.stage.base else {
        return None;
    };
    let resolved = ImageText::parse(reference);
    let raw = ImageText::parse(&cx.stage.base_text);
    Some(Source {
        official: super::common::is_official_image(&resolved, "ruby"),
        distro: resolved.distro(),
        raw,
        resolved,
    })
}

/// Whether a distribution package is Ruby itself.
fn is_ruby_package(p: &str) -> bool {
    let name = package_name(p);
    name == "ruby"
        || name == "ruby-full"
        || name == "ruby-bundler"
        || name == "bundler"
        || name
            .strip_prefix("ruby")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Ruby packages installed from the distribution, with their lines.
fn ruby_packages(cx: &ConvertContext<'_>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for i in cx.with_keyword(Keyword::Run) {
        if let Some(system) = classify_run(i).system {
            for p in &system.installed {
                // A Ruby removed again in the same RUN only served the build
                // (the official images build Ruby with a system Ruby).
                if is_ruby_package(p) && !system.removed.iter().any(|r| r == package_name(p)) {
                    out.push((i.start_line, p.clone()));
                }
            }
        }
    }
    out
}

/// Ruby built or installed outside the package manager (rbenv, ruby-build,
/// ruby-install, RVM, asdf, mise, or compiled with `make`): a runtime image
/// would not have it.
fn ruby_from_elsewhere(cx: &ConvertContext<'_>) -> Option<usize> {
    if env_of(cx, "RUBY_DOWNLOAD_URL").is_some() || env_of(cx, "RUBY_DOWNLOAD_SHA256").is_some() {
        return cx.with_keyword(Keyword::Env).next().map(|i| i.start_line);
    }
    for (i, c) in cx.commands() {
        let name = c.base_name();
        if matches!(name, "make" | "configure") || c.name.ends_with("/configure") {
            return Some(i.start_line);
        }
        let line = c.line();
        if matches!(
            name,
            "rbenv" | "ruby-build" | "ruby-install" | "rvm" | "asdf" | "mise" | "chruby"
        ) || line.contains("rvm.io")
            || line.contains("cache.ruby-lang.org")
        {
            return Some(i.start_line);
        }
    }
    None
}

/// Whether a command installs gems with Bundler (`bundle`, `bundle install`).
fn is_bundle_install(c: &SimpleCommand) -> bool {
    recognise(c).is_some_and(|inv| {
        inv.tool == Tool::Bundle
            && match inv.subcommand() {
                Some(sub) => sub == "install",
                // A bare `bundle` installs; `bundle --version` does not.
                None => !inv.has_flag(&["v", "version", "h", "help"]),
            }
    })
}

/// Whether a command installs gems with `gem install`/`gem update`.
fn is_gem_install(c: &SimpleCommand) -> bool {
    recognise(c).is_some_and(|inv| {
        inv.tool == Tool::Gem && matches!(inv.subcommand(), Some("install" | "update"))
    })
}

/// Whether a command runs Rails' asset precompilation.
fn is_precompile(c: &SimpleCommand) -> bool {
    c.args
        .iter()
        .any(|a| a == "assets:precompile" || a == "webpacker:compile" || a == "shakapacker:compile")
}

/// Whether a command precompiles bootsnap's cache.
fn is_bootsnap(c: &SimpleCommand) -> bool {
    c.is("bootsnap") || c.args.iter().any(|a| a == "bootsnap")
}

/// Whether a command runs a Node.js tool (install or build).
fn is_node_command(c: &SimpleCommand) -> bool {
    matches!(
        c.base_name(),
        "node" | "npm" | "npx" | "yarn" | "yarnpkg" | "pnpm" | "corepack" | "bun"
    )
}

/// Whether a command builds JavaScript or CSS assets.
fn is_asset_build(c: &SimpleCommand) -> bool {
    is_precompile(c)
        || c.args
            .iter()
            .any(|a| matches!(a.as_str(), "javascript:build" | "css:build"))
        || (is_node_command(c)
            && c.args
                .iter()
                .any(|a| matches!(a.as_str(), "build" | "build:css" | "run")))
}

/// How Bundler is configured in the stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct BundleConfig {
    /// Deployment mode (`BUNDLE_DEPLOYMENT`, `--deployment`, `config deployment`).
    deployment: bool,
    /// Frozen lockfile (`BUNDLE_FROZEN`, `config frozen`).
    frozen: bool,
    /// Where gems go (`BUNDLE_PATH`, `config path`, `--path`).
    path: Option<String>,
    /// Whether `BUNDLE_PATH` is an `ENV` of the stage.
    path_env: bool,
    /// Groups left out (`BUNDLE_WITHOUT`, `config without`, `--without`).
    without: Option<String>,
}

fn truthy(v: &str) -> bool {
    !matches!(
        v.trim_matches(['"', '\'']),
        "" | "0" | "false" | "no" | "nil"
    )
}

fn env_of(cx: &ConvertContext<'_>, name: &str) -> Option<String> {
    cx.stage
        .env
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn bundle_config(cx: &ConvertContext<'_>) -> BundleConfig {
    let mut cfg = BundleConfig::default();
    if let Some(v) = env_of(cx, "BUNDLE_DEPLOYMENT") {
        cfg.deployment = truthy(&v);
    }
    if let Some(v) = env_of(cx, "BUNDLE_FROZEN") {
        cfg.frozen = truthy(&v);
    }
    if let Some(v) = env_of(cx, "BUNDLE_PATH").filter(|v| !v.is_empty()) {
        cfg.path = Some(v);
        cfg.path_env = true;
    }
    if let Some(v) = env_of(cx, "BUNDLE_WITHOUT").filter(|v| !v.is_empty()) {
        cfg.without = Some(v);
    }
    for (_, c) in cx.commands() {
        let Some(inv) = recognise(c).filter(|inv| inv.tool == Tool::Bundle) else {
            continue;
        };
        let positional = inv.positional();
        match positional.first().copied() {
            Some("config") => {
                let mut rest = positional.iter().skip(1).copied();
                let mut key = rest.next();
                if key == Some("set") {
                    key = rest.next();
                }
                let value: Vec<&str> = rest.collect();
                let value = value.join(" ");
                match key {
                    Some("deployment") => cfg.deployment = truthy(&value),
                    Some("frozen") => cfg.frozen = truthy(&value),
                    Some("path") if !value.is_empty() => cfg.path = Some(value),
                    Some("without") if !value.is_empty() => cfg.without = Some(value),
                    _ => {}
                }
            }
            None | Some("install") => {
                if inv.has_flag(&["deployment"]) {
                    cfg.deployment = true;
                }
                if inv.has_flag(&["frozen"]) {
                    cfg.frozen = true;
                }
                if let Some(p) = inv.flag_value(&["path"]) {
                    cfg.path = Some(p.to_string());
                }
                if let Some(w) = inv.flag_value(&["without"]) {
                    cfg.without = Some(w.to_string());
                }
            }
            _ => {}
        }
    }
    cfg
}

/// What the stage does, as far as the conversion cares.
struct Facts<'a> {
    /// `RUN`s that install gems (`bundle install`, `gem install`).
    installs: Vec<&'a Instruction>,
    /// Whether any `RUN` runs `bundle install`.
    bundles: bool,
    /// `RUN`s that precompile assets or bootsnap.
    precompiles: Vec<&'a Instruction>,
    /// Whether assets are built in the stage (the runtime needs no Node.js).
    assets_built: bool,
    /// Whether Node.js tools install packages in the stage.
    node_installs: bool,
    /// Whether the application is Rails.
    rails: bool,
}

fn facts<'a>(cx: &ConvertContext<'a>) -> Facts<'a> {
    let mut f = Facts {
        installs: Vec::new(),
        bundles: false,
        precompiles: Vec::new(),
        assets_built: false,
        node_installs: false,
        rails: false,
    };
    for i in cx.with_keyword(Keyword::Run) {
        let Some(run) = &i.run else { continue };
        let mut installs = false;
        let mut precompiles = false;
        for c in run.commands() {
            if is_bundle_install(c) {
                f.bundles = true;
                installs = true;
            }
            if is_gem_install(c) && !c.args.iter().any(|a| a == "--system") {
                installs = true;
            }
            if is_precompile(c) || is_bootsnap(c) {
                precompiles = true;
            }
            if is_precompile(c) {
                f.rails = true;
            }
            if is_asset_build(c) {
                f.assets_built = true;
            }
            if is_node_command(c)
                && c.args
                    .first()
                    .is_some_and(|a| matches!(a.as_str(), "install" | "ci" | "i" | "add"))
                || (c.base_name() == "yarn" && c.args.is_empty())
            {
                f.node_installs = true;
            }
            if c.is("rails") || c.name.ends_with("bin/rails") || c.args.iter().any(|a| a == "rails")
            {
                f.rails = true;
            }
        }
        if installs {
            f.installs.push(i);
        }
        if precompiles {
            f.precompiles.push(i);
        }
    }
    if env_of(cx, "RAILS_ENV").is_some() || cx.copied(&["config.ru"]) && cx.copied(&["bin"]) {
        f.rails = true;
    }
    for i in cx
        .with_keyword(Keyword::Cmd)
        .chain(cx.with_keyword(Keyword::Entrypoint))
    {
        let text = cx.node(i).map(|n| n.args.join(" ")).unwrap_or_default();
        if text.contains("rails") || text.contains("docker-entrypoint") && text.contains("bin/") {
            f.rails = true;
        }
    }
    f
}

/// The words the container starts with: `ENTRYPOINT` then `CMD`.
fn start_words(cx: &ConvertContext<'_>) -> (Vec<String>, Vec<String>) {
    let words = |k: Keyword| {
        cx.last(k)
            .map(|i| super::common::command_words(cx, i).0)
            .unwrap_or_default()
    };
    (words(Keyword::Entrypoint), words(Keyword::Cmd))
}

/// Whether a command word runs through Bundler (`bundle exec`, or an
/// application binstub such as `bin/rails`, which loads `bundler/setup`).
fn runs_through_bundler(word: &str) -> bool {
    let base = base_name(word);
    base == "bundle"
        || base == "bundler"
        || word.starts_with("bin/")
        || word.starts_with("./bin/")
        || word.contains("/bin/") && !word.starts_with("/usr/") && !word.starts_with("/bin/")
}

/// The application directory: where the whole build context is copied,
/// else the final working directory.
fn app_dir(cx: &ConvertContext<'_>) -> Option<String> {
    for (i, copy) in cx.copies() {
        if cx.copies_everything(i) {
            let dest = match &i.expanded {
                Some(Expanded::Copy(c)) => c.dest.clone(),
                _ => copy.dest.clone(),
            };
            let dir = join_workdir(workdir_before(i).as_deref(), &dest);
            return Some(dir.trim_end_matches('/').to_string()).filter(|d| !d.is_empty());
        }
    }
    cx.final_workdir().filter(|d| d != "/")
}

/// The absolute destination of a context `COPY`.
fn copy_dest(i: &Instruction) -> Option<String> {
    let dest = match (&i.expanded, i.kind()) {
        (Some(Expanded::Copy(c) | Expanded::Add(c)), _) => c.dest.clone(),
        (_, Some(CommandKind::Copy(c))) => c.dest.clone(),
        (_, Some(CommandKind::Add(a))) => a.dest.clone(),
        _ => return None,
    };
    Some(join_workdir(workdir_before(i).as_deref(), &dest))
}

/// Whether an instruction is a `COPY`/`ADD` from the build context (or a
/// remote source), not from a stage or image.
fn is_context_copy(i: &Instruction) -> bool {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c.from.is_none(),
        Some(CommandKind::Add(_)) => true,
        _ => false,
    }
}

/// The `--from` of a `COPY`.
fn copy_from(i: &Instruction) -> Option<&str> {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c.from.as_deref(),
        _ => None,
    }
}

/// The `--chown` of a `COPY`/`ADD`.
fn copy_chown(i: &Instruction) -> Option<&str> {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c.chown.as_deref(),
        Some(CommandKind::Add(a)) => a.chown.as_deref(),
        _ => None,
    }
}

/// Whether the `RUN` sets up a package repository or Node.js (only the
/// builder needs those).
fn is_repo_setup(c: &SimpleCommand) -> bool {
    let line = c.line();
    line.contains("nodesource")
        || line.contains("dl.yarnpkg.com")
        || line.contains("sources.list")
        || c.is("add-apt-repository")
        || line.contains("/etc/apt/keyrings")
        || line.contains("apt-key")
}

/// Commands a `RUN` with system packages may also run without the runtime
/// stage needing them (package managers, cleanup, repository setup).
fn is_package_chore(c: &SimpleCommand) -> bool {
    let name = c.base_name();
    recognise(c).is_some_and(|inv| {
        inv.tool.is_package_manager() || inv.tool == Tool::Curl || inv.tool == Tool::Wget
    }) || matches!(
        name,
        "rm" | "set"
            | "true"
            | "apt-mark"
            | "gpg"
            | "tee"
            | "echo"
            | "mkdir"
            | "chmod"
            | "bash"
            | "sh"
            | "update-ca-certificates"
    ) || c.name.is_empty()
        || is_repo_setup(c)
}

/// The `ENV` instruction with Bundler settings to add, and what it sets.
struct BundlerEnv {
    text: String,
    summary: String,
    reason: String,
}

/// Decides Bundler's deployment settings: deployment mode (frozen lockfile,
/// gems in `BUNDLE_PATH`) and `BUNDLE_WITHOUT`, added only when the
/// application keeps working with them.
fn bundler_env(
    cx: &ConvertContext<'_>,
    cfg: &BundleConfig,
    f: &Facts<'_>,
    plan: &mut Plan,
) -> Option<BundlerEnv> {
    if !f.bundles {
        return None;
    }
    let mut pairs: Vec<String> = Vec::new();
    let mut why: Vec<&str> = Vec::new();
    let (entry, cmd) = start_words(cx);
    let first_words: Vec<&String> = entry.first().into_iter().chain(cmd.first()).collect();
    let through_bundler =
        !first_words.is_empty() && first_words.iter().all(|w| runs_through_bundler(w));
    let lock_copied = cx.copied(&["Gemfile.lock", "Gemfile*", "Gemfile.*"])
        || (f.rails && cx.copies().any(|(i, _)| cx.copies_everything(i)));
    if !cfg.deployment && !cfg.frozen && cfg.path.is_none() {
        if through_bundler && lock_copied {
            pairs.push("BUNDLE_DEPLOYMENT=\"1\"".into());
            pairs.push(format!("BUNDLE_PATH=\"{GEM_HOME}\""));
            why.push("deployment mode installs exactly the versions in Gemfile.lock and fails if it is out of date");
        } else if through_bundler {
            plan.assumptions.push("Bundler's deployment mode was not turned on because no Gemfile.lock is visibly copied before `bundle install`; with a lockfile, `BUNDLE_DEPLOYMENT=1` makes the install reproducible.".into());
        } else {
            plan.assumptions.push("Bundler's deployment mode was not turned on: the container starts a gem's command directly (not through `bundle exec` or a `bin/` binstub), and deployment mode installs gems under `BUNDLE_PATH`, where that command would no longer be on PATH.".into());
        }
    }
    let production = ["RAILS_ENV", "RACK_ENV", "APP_ENV"].iter().any(|k| {
        env_of(cx, k).is_some_and(|v| matches!(v.trim_matches('"'), "production" | "staging"))
    });
    let runs_tests = cmd.iter().chain(entry.iter()).any(|w| {
        matches!(
            base_name(w),
            "rspec" | "test" | "guard" | "minitest" | "cucumber" | "rubocop"
        )
    });
    if cfg.without.is_none() {
        if production && !runs_tests {
            pairs.push("BUNDLE_WITHOUT=\"development:test\"".into());
            why.push("the application runs in production, so development and test gems are not installed");
        } else if f.rails {
            plan.assumptions.push("Development and test gems are still installed: the container does not run with RAILS_ENV=production, and Rails loads the development group otherwise. Set RAILS_ENV=production and BUNDLE_WITHOUT=development:test for a smaller image.".into());
        }
    }
    if pairs.is_empty() {
        return None;
    }
    Some(BundlerEnv {
        text: format!("ENV {}", pairs.join(" \\\n    ")),
        summary: format!("Bundler settings: {}", pairs.join(", ")),
        reason: format!(
            "{} (the settings of the official Rails Dockerfile); the runtime stage sets them too, so that Bundler finds the same gems",
            why.join("; ")
        ),
    })
}

/// Where the installed gems are: directories to copy from the builder.
fn gem_dirs(cfg: &BundleConfig, added_deployment: bool, app: Option<&str>) -> Vec<String> {
    let mut dirs = vec![GEM_HOME.to_string()];
    let path = if added_deployment {
        Some(GEM_HOME.to_string())
    } else {
        cfg.path.clone()
    };
    if let Some(p) = path
        && p.starts_with('/')
        && !covers(GEM_HOME, &p)
        && !app.is_some_and(|a| covers(a, &p))
    {
        dirs.push(p.trim_end_matches('/').to_string());
    }
    dirs
}

/// The cleanup Rails' Dockerfile runs after `bundle install`: Bundler's
/// download cache and the `.git` of gems from git sources.
fn bundle_cleanup(cfg: &BundleConfig, added_deployment: bool, cache_mounted: bool) -> String {
    let path = match (&cfg.path, added_deployment) {
        (_, true) => Some("\"${BUNDLE_PATH}\"".to_string()),
        (Some(_), _) if cfg.path_env => Some("\"${BUNDLE_PATH}\"".to_string()),
        (Some(p), _) => Some(p.clone()),
        (None, _) if cfg.deployment => Some("vendor/bundle".to_string()),
        (None, _) => None,
    };
    match path {
        Some(p) => format!("rm -rf ~/.bundle/ {p}/ruby/*/cache {p}/ruby/*/bundler/gems/*/.git"),
        None if cache_mounted => format!("rm -rf ~/.bundle/ {GEM_HOME}/bundler/gems/*/.git"),
        None => format!("rm -rf ~/.bundle/ {GEM_HOME}/cache {GEM_HOME}/bundler/gems/*/.git"),
    }
}

/// `SECRET_KEY_BASE_DUMMY=1` before the command that runs
/// `assets:precompile`, when nothing in the stage provides a secret.
fn with_dummy_secret(cx: &ConvertContext<'_>, i: &Instruction, text: &str) -> Option<String> {
    if text.contains("SECRET_KEY_BASE") {
        return None;
    }
    let secret_given = cx.instructions().any(|j| {
        matches!(j.keyword, Keyword::Arg | Keyword::Env)
            && cx.node(j).is_some_and(|n| {
                n.original.contains("SECRET_KEY_BASE") || n.original.contains("RAILS_MASTER_KEY")
            })
    });
    if secret_given || cx.node(i).is_some_and(|n| !n.heredocs.is_empty()) {
        return None;
    }
    let run = i.run.as_ref()?;
    let c = run.commands().find(|c| is_precompile(c))?;
    let at = text.find("assets:precompile")?;
    let start = text.get(..at)?.rfind(c.name.as_str())?;
    let before = text.get(..start)?.chars().last();
    if !before.is_some_and(|ch| ch.is_whitespace() || matches!(ch, ';' | '&' | '|' | '(')) {
        return None;
    }
    let mut out = text.to_string();
    out.insert_str(start, "SECRET_KEY_BASE_DUMMY=1 ");
    Some(out)
}

impl Strategy for Ruby {
    fn name(&self) -> &'static str {
        "ruby-bundler"
    }

    fn ecosystem(&self) -> Ecosystem {
        ECO
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let src = source(cx);
        let official = src.as_ref().is_some_and(|s| s.official);
        if official {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is Ruby", cx.stage.base_text),
            );
        }
        if let Some((line, p)) = ruby_packages(cx).first() {
            d.add(
                5,
                *line,
                format!("installs Ruby from the distribution (`{p}`)"),
            );
        }
        for (i, c) in cx.copies() {
            if let Some(s) = c.sources.iter().find(|s| {
                let b = base_name(s);
                b.starts_with("Gemfile") || b.ends_with(".gemspec")
            }) {
                d.add(5, i.start_line, format!("copies the Gemfile (`{s}`)"));
                break;
            }
        }
        let mut bundles = false;
        for (i, c) in cx.commands() {
            if is_bundle_install(c) && !bundles {
                bundles = true;
                d.add(
                    10,
                    i.start_line,
                    format!(
                        "installs gems with `bundle install` on line {}",
                        i.start_line
                    ),
                );
            }
        }
        if let Some((i, _)) = cx.commands().into_iter().find(|(_, c)| is_precompile(c)) {
            d.add(5, i.start_line, "precompiles Rails assets");
        }
        for i in cx
            .with_keyword(Keyword::Cmd)
            .chain(cx.with_keyword(Keyword::Entrypoint))
        {
            let text = cx.node(i).map(|n| n.args.join(" ")).unwrap_or_default();
            if [
                "rails",
                "puma",
                "rackup",
                "unicorn",
                "bundle exec",
                "sidekiq",
                "ruby ",
                "thrust",
                "\"ruby\"",
                "foreman",
            ]
            .iter()
            .any(|w| text.contains(w))
                || text.trim() == "ruby"
            {
                d.add(5, i.start_line, "runs a Ruby program");
                break;
            }
        }
        let from_packages = !ruby_packages(cx).is_empty();
        ((official || (bundles && from_packages)) && d.score >= 10).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        if let Some(i) = cx.with_keyword(Keyword::Onbuild).next() {
            return Err(refuse(format!(
                "line {}: the image is a base for other builds (ONBUILD); its build steps run in the images built from it, so there is nothing to move into a builder stage here",
                i.start_line
            )));
        }
        let Some(src) = source(cx) else {
            return Err(refuse(match &cx.stage.base {
                BaseImage::Stage { .. } => format!(
                    "the final stage builds on the stage `{}` and inherits everything in it; restage converts a final stage that starts from an image (copy the gems and the application from `{}` into a stage `FROM` the slim `ruby` image instead)",
                    cx.stage.base_text, cx.stage.base_text
                ),
                _ => "the stage does not start from a Ruby image".to_string(),
            }));
        };
        let ruby_pkgs = ruby_packages(cx);
        if !src.official {
            if let Some(line) = ruby_from_elsewhere(cx) {
                return Err(refuse(format!(
                    "line {line}: Ruby (or something the application needs) is built from source or installed outside the package manager, so a fresh runtime image would not have it; start from the official `ruby` image"
                )));
            }
            if ruby_pkgs.is_empty() {
                return Err(refuse(format!(
                    "the base image `{}` is not the official Ruby image and Ruby is not installed from its packages, so restage cannot tell where Ruby and the gems live",
                    cx.stage.base_text
                )));
            }
            if !matches!(src.resolved.short_name(), "debian" | "ubuntu" | "alpine") {
                return Err(refuse(format!(
                    "the base image `{}` is not the official Ruby image or Debian, Ubuntu or Alpine, so restage cannot name a runtime image with the same Ruby",
                    cx.stage.base_text
                )));
            }
        }
        super::common::refuse_unresolved_packages(cx, Some(ECO))?;
        let alpine = src.distro == Distro::Alpine;
        let mut plan = Plan::new(ECO, self.name(), Confidence::High);
        let (runtime_image, runtime_distro, image_reason) = match cx.options.runtime {
            RuntimePreference::Scratch | RuntimePreference::Distroless => {
                return Err(refuse(
                    "a Ruby application needs the Ruby interpreter and a shell-capable image; there is no distroless or scratch image with Ruby (use --runtime slim or alpine)",
                ));
            }
            RuntimePreference::Alpine if !alpine => {
                return Err(refuse(
                    "gems with native extensions are compiled against glibc in this builder and would not load on Alpine (musl); start the build from the `-alpine` image to get an Alpine runtime",
                ));
            }
            RuntimePreference::Slim if alpine => {
                return Err(refuse(
                    "gems with native extensions are compiled against musl in this Alpine builder and would not load on Debian slim (glibc); start the build from the Debian image to get a slim runtime",
                ));
            }
            _ if alpine && !src.official => (
                src.raw.with_tag(src.raw.tag.as_deref().unwrap_or("latest")),
                Distro::Alpine,
                "the same Alpine image, with Ruby installed from the same packages: gems with native extensions were built against musl in the builder".to_string(),
            ),
            _ if alpine => (
                src.raw.slim(),
                Distro::Alpine,
                "the same Alpine image: gems with native extensions were built against musl in the builder".to_string(),
            ),
            _ if src.official => (
                src.raw.slim(),
                src.distro,
                format!(
                    "{} has the same Ruby without compilers and development headers (the full image is built on buildpack-deps, about 1 GB)",
                    src.raw.slim()
                ),
            ),
            _ if src.resolved.short_name() == "debian" => (
                src.raw.slim(),
                src.distro,
                "the slim Debian image of the same release, with Ruby installed from the same packages".to_string(),
            ),
            _ => (
                src.raw.with_tag(src.raw.tag.as_deref().unwrap_or("latest")),
                src.distro,
                "the same distribution image, with Ruby installed from the same packages (Ubuntu has no slim variant)".to_string(),
            ),
        };
        if src.raw.digest.is_some() {
            plan.assumptions.push(format!(
                "`{}` is pinned by digest; the runtime image `{runtime_image}` is not — pin it too",
                cx.stage.base_text
            ));
        }
        let f = facts(cx);
        let cfg = bundle_config(cx);
        let app = app_dir(cx);
        let distro_gem_home = !src.official && !f.installs.is_empty();

        // Builder steps: every RUN that is not pure runtime setup; setup
        // before the last build step stays too, in case the build needs it.
        let runs: Vec<&Instruction> = cx.with_keyword(Keyword::Run).collect();
        let last_build = runs
            .iter()
            .rposition(|i| !classify_run(i).setup_only)
            .and_then(|p| runs.get(p))
            .map(|i| i.node);
        let last_build_line = last_build
            .and_then(|n| cx.instructions().find(|i| i.node == n))
            .map_or(0, |i| i.start_line);
        let in_builder = |i: &Instruction| i.start_line <= last_build_line;
        let has_builder = last_build.is_some();
        let precompile_lines: Vec<usize> = f.precompiles.iter().map(|i| i.start_line).collect();

        // Context files copied into the application directory before the
        // last build step: the runtime takes the directory from the builder.
        let app_copies: Vec<&Instruction> = cx
            .instructions()
            .filter(|i| {
                is_context_copy(i)
                    && in_builder(i)
                    && has_builder
                    && app
                        .as_deref()
                        .zip(copy_dest(i))
                        .is_some_and(|(a, d)| covers(a, &d))
            })
            .collect();
        if app.is_none() && (!precompile_lines.is_empty() || f.assets_built) {
            return Err(refuse(
                "assets are built, but the application directory is unknown (no WORKDIR and no `COPY . <dir>`), so restage cannot tell what to copy into the runtime stage",
            ));
        }
        let added_env = bundler_env(cx, &cfg, &f, &mut plan);
        let added_deployment = added_env
            .as_ref()
            .is_some_and(|e| e.text.contains("BUNDLE_DEPLOYMENT"));
        let relative_gems = (cfg.deployment && cfg.path.is_none())
            || cfg.path.as_deref().is_some_and(|p| !p.starts_with('/'));
        let copy_app = !app_copies.is_empty() || (relative_gems && !f.installs.is_empty());

        let mut builder: Vec<Item> = Vec::new();
        let mut env_added_builder = false;
        let mut gem_home_added = false;
        let cache_mounts = cx.options.cache_mounts;
        let cache_bundle =
            cache_mounts && cfg.path.is_none() && !added_deployment && !cfg.deployment;
        for i in cx.instructions() {
            if !in_builder(i) || !has_builder {
                break;
            }
            if (is_runtime_behaviour(i.keyword)
                && !matches!(i.keyword, Keyword::Env | Keyword::Shell))
                || i.keyword == Keyword::Onbuild
            {
                continue;
            }
            if i.keyword != Keyword::Run {
                builder.push(keep_quiet(i));
                continue;
            }
            let is_install = f.installs.iter().any(|j| std::ptr::eq(*j, i));
            if is_install && distro_gem_home && !gem_home_added {
                gem_home_added = true;
                builder.push(add(
                    format!("ENV GEM_HOME={GEM_HOME} PATH=\"{GEM_HOME}/bin:$PATH\""),
                    ChangeKind::Add,
                    format!("Gems are installed into `{GEM_HOME}`"),
                    "one directory holds every installed gem and its executables, so the runtime stage copies just that (the official ruby images use the same GEM_HOME)",
                    vec![i.start_line],
                ));
            }
            let bundles_here = i
                .run
                .as_ref()
                .is_some_and(|r| r.commands().any(is_bundle_install));
            if bundles_here
                && !env_added_builder
                && let Some(env) = &added_env
            {
                env_added_builder = true;
                builder.push(add(
                    env.text.clone(),
                    ChangeKind::Add,
                    env.summary.clone(),
                    env.reason.clone(),
                    vec![i.start_line],
                ));
            }
            let text = node_text(cx, i);
            let heredoc = cx.node(i).is_some_and(|n| !n.heredocs.is_empty());
            let exec_form = i.run.as_ref().is_some_and(|r| r.exec_form);
            let mut new_text = text.clone();
            let mut why: Vec<&str> = Vec::new();
            if bundles_here && !heredoc && !exec_form && !text.contains("/cache") {
                let cleanup = bundle_cleanup(&cfg, added_deployment, cache_bundle);
                new_text = format!("{new_text} && \\\n    {cleanup}");
                why.push("Bundler's downloaded .gem files and the .git of git-sourced gems are not needed to run (as in the official Rails Dockerfile)");
            }
            if f.precompiles.iter().any(|j| std::ptr::eq(*j, i))
                && let Some(t) = with_dummy_secret(cx, i, &new_text)
            {
                new_text = t;
                why.push("SECRET_KEY_BASE_DUMMY=1 lets Rails 7.1+ precompile assets without the real credentials, which must not be baked into the image");
            }
            if cache_mounts && !heredoc && !exec_form {
                let mut tools: Vec<Tool> = Vec::new();
                if bundles_here && cache_bundle {
                    tools.push(Tool::Bundle);
                }
                for t in classify_run(i).dependencies {
                    if matches!(t, Tool::Npm | Tool::Yarn | Tool::Pnpm) && !tools.contains(&t) {
                        tools.push(t);
                    }
                }
                let with = crate::convert::cache::with_cache_mounts(&new_text, &tools);
                if with != new_text {
                    new_text = with;
                    plan.needs_syntax = true;
                    why.push("a BuildKit cache mount keeps downloads between builds and out of the layer");
                }
            }
            if new_text != text {
                builder.push(Item::Rewrite {
                    node: i.node,
                    text: new_text,
                    change: ChangeSpec::new(
                        ChangeKind::Rewrite,
                        if bundles_here {
                            "Gems are installed in the builder, without Bundler's caches"
                        } else {
                            "Assets are precompiled in the builder"
                        },
                        why.join("; "),
                        vec![i.start_line],
                    ),
                });
            } else if is_install || f.precompiles.iter().any(|j| std::ptr::eq(*j, i)) {
                builder.push(keep(
                    i,
                    ChangeKind::Move,
                    if is_install {
                        "Gems are installed in the builder stage"
                    } else {
                        "Assets are precompiled in the builder stage"
                    },
                    "compilers, headers and Node.js it may need stay out of the runtime image",
                ));
            } else {
                builder.push(keep_quiet(i));
            }
            if Some(i.node) == last_build && f.node_installs && f.assets_built && copy_app {
                builder.push(add(
                    "RUN rm -rf node_modules",
                    ChangeKind::Add,
                    "`node_modules` is removed after the assets are built",
                    "the precompiled assets are in `public/`; the JavaScript packages are only needed to build them (as in the official Rails Dockerfile)",
                    precompile_lines.clone(),
                ));
            }
        }
        super::common::trim_after_last_run(cx, &mut builder);

        // Runtime packages: what the source installed minus build-only
        // packages, plus the runtime libraries of -dev packages.
        let node_at_runtime = {
            let (entry, cmd) = start_words(cx);
            entry
                .iter()
                .chain(cmd.iter())
                .any(|w| matches!(base_name(w), "node" | "npm" | "yarn" | "npx"))
        };
        let drop_node = f.assets_built && !node_at_runtime;
        let runtime_pkgs = runtime_packages(cx, &src, runtime_distro, drop_node, &mut plan);

        // Runtime stage.
        let mut runtime: Vec<Item> = Vec::new();
        let mut notes: Vec<ChangeSpec> = Vec::new();
        let mut artifacts_done = false;
        let mut packages_done = false;
        let source_user = cx
            .final_user()
            .filter(|u| !crate::convert::user::is_root(u))
            .is_some();
        let gem_dirs = if f.installs.is_empty() {
            Vec::new()
        } else {
            gem_dirs(&cfg, added_deployment, app.as_deref())
        };
        let app_chown = app_copies
            .iter()
            .find_map(|i| copy_chown(i))
            .map(str::to_string);
        let install_lines: Vec<usize> = f.installs.iter().map(|i| i.start_line).collect();
        let artifacts = |runtime: &mut Vec<Item>| {
            if distro_gem_home {
                runtime.push(add(
                    format!("ENV GEM_HOME={GEM_HOME} PATH=\"{GEM_HOME}/bin:$PATH\""),
                    ChangeKind::Add,
                    format!("Ruby finds the gems in `{GEM_HOME}`"),
                    "the gems were installed there in the builder",
                    install_lines.clone(),
                ));
            }
            if let Some(env) = &added_env {
                runtime.push(add(
                    env.text.clone(),
                    ChangeKind::Add,
                    env.summary.clone(),
                    "Bundler must see the same settings at run time to find the installed gems",
                    install_lines.clone(),
                ));
            }
            for dir in &gem_dirs {
                runtime.push(add(
                    format!("COPY --from=builder {dir} {dir}"),
                    ChangeKind::CopyArtifact,
                    format!("The installed gems (`{dir}`) are copied from the builder"),
                    "they include native extensions compiled in the builder against the same Ruby; Bundler's configuration is there too",
                    install_lines.clone(),
                ));
            }
            if copy_app && let Some(a) = &app {
                let chown = app_chown
                    .as_deref()
                    .map(|c| format!("--chown={c} "))
                    .unwrap_or_default();
                let mut lines: Vec<usize> = app_copies.iter().map(|i| i.start_line).collect();
                lines.extend(precompile_lines.iter().copied());
                runtime.push(add(
                    format!("COPY --from=builder {chown}{a} {a}"),
                    ChangeKind::CopyArtifact,
                    format!("The application directory `{a}` is copied from the builder"),
                    if precompile_lines.is_empty() {
                        "it holds the application as the build left it".to_string()
                    } else {
                        "it holds the application with its precompiled assets and bootsnap cache"
                            .to_string()
                    },
                    lines,
                ));
            }
        };
        let keep_source_user = source_user && cx.options.user.is_none();
        let rails_user = f.rails && cx.options.user.is_none() && !source_user;
        let mut user_done = keep_source_user;
        for i in cx.instructions() {
            let facts_i = classify_run(i);
            match i.keyword {
                Keyword::Run if facts_i.system.is_some() => {
                    let installs_here = f.installs.iter().any(|j| std::ptr::eq(*j, i));
                    if !packages_done {
                        packages_done = true;
                        match &runtime_pkgs {
                            Some(item) => runtime.push(item.clone()),
                            None => notes.push(ChangeSpec::new(
                                ChangeKind::Drop,
                                "System packages are not installed in the runtime stage",
                                "they were only needed to build",
                                vec![i.start_line],
                            )),
                        }
                    }
                    if let Some(run) = &i.run {
                        let extra: Vec<String> = run
                            .commands()
                            .filter(|c| !is_package_chore(c) && !is_build_command(c))
                            .map(|c| format!("`{}`", c.base_name()))
                            .collect();
                        if !extra.is_empty() && in_builder(i) {
                            plan.warnings.push(format!(
                                "line {}: this RUN also runs {}; it now runs only in the builder stage — if it prepares something the application needs at run time, repeat it in the runtime stage",
                                i.start_line,
                                extra.join(", ")
                            ));
                            plan.confidence = plan.confidence.min(Confidence::Medium);
                        }
                    }
                    if installs_here && !artifacts_done {
                        artifacts_done = true;
                        artifacts(&mut runtime);
                    }
                }
                Keyword::Run if f.installs.iter().any(|j| std::ptr::eq(*j, i)) => {
                    if !artifacts_done {
                        artifacts_done = true;
                        artifacts(&mut runtime);
                    }
                }
                Keyword::Run if facts_i.setup_only => runtime.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Runtime setup stays in the runtime stage",
                    "users, directories and permissions belong to the final image",
                )),
                Keyword::Run if updates_rubygems_only(i) => runtime.push(keep(
                    i,
                    ChangeKind::Keep,
                    "RubyGems is updated in the runtime stage too",
                    "`gem update --system` changes Ruby's own files, outside the gem directory copied from the builder",
                )),
                Keyword::Run => {
                    if !is_known_build_step(i)
                        && let Some(what) = super::common::fetches_files(i)
                    {
                        return Err(refuse(format!(
                            "line {} fetches files (`{what}`) in a step that is not a gem install or asset build; it would run only in the builder stage and the runtime stage would not get what it downloads",
                            i.start_line
                        )));
                    }
                    if !is_known_build_step(i) {
                        plan.warnings.push(format!(
                            "line {}: this RUN now runs only in the builder stage; if it creates files the application needs outside {}, copy them into the runtime stage",
                            i.start_line,
                            match (&app, gem_dirs.first()) {
                                (Some(a), Some(g)) => format!("`{a}` and `{g}`"),
                                (Some(a), None) => format!("`{a}`"),
                                (None, Some(g)) => format!("`{g}`"),
                                (None, None) => "the copied directories".to_string(),
                            }
                        ));
                        plan.confidence = plan.confidence.min(Confidence::Medium);
                    }
                }
                Keyword::Copy | Keyword::Add if is_context_copy(i) => {
                    if app_copies.iter().any(|j| std::ptr::eq(*j, i)) {
                        if !artifacts_done {
                            artifacts_done = true;
                            artifacts(&mut runtime);
                        } else {
                            notes.push(ChangeSpec::new(
                                ChangeKind::Drop,
                                "Already in the application directory copied from the builder",
                                "the builder copied these files before building",
                                vec![i.start_line],
                            ));
                        }
                    } else {
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::Copy => {
                    let from = copy_from(i).unwrap_or_default();
                    if drop_node && ImageText::parse(from).short_name() == "node" {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Node.js stays in the builder stage",
                            "it is only needed to build the assets",
                            vec![i.start_line],
                        ));
                    } else {
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::User => {
                    if keep_source_user {
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck if !user_done =>
                {
                    user_done = true;
                    runtime.extend(runtime_user(cx, rails_user, runtime_distro, app.as_deref(), src.official));
                    runtime.push(keep_quiet(i));
                }
                Keyword::Onbuild => {}
                _ => runtime.push(keep_quiet(i)),
            }
        }
        if !artifacts_done && (!gem_dirs.is_empty() || copy_app) {
            artifacts(&mut runtime);
        }
        if !user_done {
            runtime.extend(runtime_user(
                cx,
                rails_user,
                runtime_distro,
                app.as_deref(),
                src.official,
            ));
        }
        if src.official && !alpine && !src.resolved.is_small_variant() {
            plan.assumptions
                .push(implicit_libraries_note(cx, runtime_pkgs.as_ref()));
        }
        if src.raw.tag.as_deref().is_none_or(|t| t == "latest") {
            plan.assumptions.push("The base image has no version tag; pin the Ruby version so that the builder and the runtime image always match.".into());
        }
        plan.notes = notes;
        if has_builder {
            plan.stages.push(StagePlan {
                name: "builder".into(),
                from: StageFrom::Source,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::RenameStage,
                    "The original stage becomes the builder",
                    "it keeps the compilers and headers that gems with native extensions need, and Node.js for assets",
                    vec![cx.stage.line],
                )),
                items: builder,
            });
        } else {
            plan.notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "Nothing is installed or built, so no builder stage is needed",
                "the smaller image runs the same code",
                Vec::new(),
            ));
        }
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::SourceImage(runtime_image.clone()),
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{runtime_image}`"),
                image_reason,
                vec![cx.stage.line],
            )),
            items: runtime,
        });
        Ok(plan)
    }
}

/// Whether a `RUN` only updates RubyGems itself.
fn updates_rubygems_only(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        let mut saw = false;
        for c in r.commands() {
            if c.is("gem") && c.args.iter().any(|a| a == "--system") {
                saw = true;
            } else if !(c.is("set") || (c.is("gem") && c.args.iter().any(|a| a == "bundler"))) {
                return false;
            }
        }
        saw
    })
}

/// Whether a command is a build step whose results land in the copied
/// directories (gems, assets, bootsnap, Node.js packages, Bundler config).
fn is_build_command(c: &SimpleCommand) -> bool {
    is_bundle_install(c)
        || is_gem_install(c)
        || is_precompile(c)
        || is_bootsnap(c)
        || is_node_command(c)
        || c.is("bundle")
        || c.is("rake")
        || c.is("rails")
        || c.name.ends_with("bin/rails")
        || c.name.ends_with("bin/rake")
}

/// Whether a `RUN` is a build step whose results land in the copied
/// directories (gems, assets, bootsnap, Node.js packages, Bundler config).
fn is_known_build_step(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().all(|c| {
            is_bundle_install(c)
                || is_gem_install(c)
                || is_precompile(c)
                || is_bootsnap(c)
                || is_node_command(c)
                || is_repo_setup(c)
                || c.is("bundle")
                || c.is("rake")
                || c.is("rails")
                || c.name.ends_with("bin/rails")
                || c.name.ends_with("bin/rake")
                || matches!(
                    c.base_name(),
                    "rm" | "set" | "cd" | "true" | "mkdir" | "chmod" | "cp" | "mv" | "echo" | ""
                )
        })
    })
}

/// The runtime `RUN` that installs system packages.
fn runtime_packages(
    cx: &ConvertContext<'_>,
    src: &Source,
    runtime: Distro,
    drop_node: bool,
    plan: &mut Plan,
) -> Option<Item> {
    let needed = super::common::runtime_package_list(cx, src.distro, runtime);
    super::common::warn_unknown_dev_packages(cx, src.distro, plan);
    let mut packages: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    if let Some(n) = &needed {
        for p in &n.packages {
            let name = package_name(p);
            if BUILD_ONLY_PACKAGES.contains(&name) || (drop_node && NODE_PACKAGES.contains(&name)) {
                dropped.push(name.to_string());
                continue;
            }
            let p = if name == "ruby-full" {
                "ruby".to_string()
            } else {
                p.clone()
            };
            if !packages.contains(&p) {
                packages.push(p);
            }
        }
    }
    // Evidence of a database client the full image had headers for.
    let database_url = env_of(cx, "DATABASE_URL").unwrap_or_default();
    let implicit: Vec<(&str, &str)> = if src.official && !src.resolved.is_small_variant() {
        let mut v = Vec::new();
        if database_url.starts_with("postgres") {
            v.push(("libpq-dev", "DATABASE_URL is PostgreSQL (pg gem)"));
        }
        if database_url.starts_with("mysql") {
            v.push((
                "default-libmysqlclient-dev",
                "DATABASE_URL is MySQL (mysql2 gem)",
            ));
        }
        v
    } else {
        Vec::new()
    };
    let mut extra_reason: Vec<String> = Vec::new();
    for (dev, why) in implicit {
        if let Some(libs) = crate::knowledge::packages::runtime_for(dev, runtime) {
            for l in libs {
                if !packages.contains(l) {
                    packages.push(l.clone());
                    extra_reason.push(format!("{l}: {why}"));
                }
            }
        }
    }
    if packages.is_empty() {
        return None;
    }
    let repo_setup = cx.commands().into_iter().find(|(_, c)| {
        is_repo_setup(c) && !c.line().contains("nodesource") && !c.line().contains("yarnpkg")
    });
    if let Some((i, _)) = repo_setup {
        plan.warnings.push(format!(
            "line {}: the build adds a package repository; the runtime stage installs {} from the default repositories — if one of them comes from that repository, add the repository to the runtime stage as well",
            i.start_line,
            packages.join(", ")
        ));
    }
    let mut reason = needed.as_ref().map_or_else(
        || "these libraries are used at run time".to_string(),
        |n| n.reason.clone(),
    );
    if !dropped.is_empty() {
        let mut why: Vec<&str> = Vec::new();
        if dropped
            .iter()
            .any(|d| BUILD_ONLY_PACKAGES.contains(&d.as_str()))
        {
            why.push("git checks out gems from git sources into the bundle");
        }
        if dropped.iter().any(|d| NODE_PACKAGES.contains(&d.as_str())) {
            why.push("Node.js builds the assets");
        }
        reason.push_str(&format!(
            "; {} {} only needed to build ({})",
            dropped.join(", "),
            if dropped.len() == 1 { "is" } else { "are" },
            why.join("; ")
        ));
    }
    if !extra_reason.is_empty() {
        reason.push_str(&format!(
            "; added from the evidence: {}",
            extra_reason.join(", ")
        ));
    }
    Some(add(
        install_command(runtime, &packages, cx.escape()),
        ChangeKind::RuntimeLibrary,
        format!("Runtime packages: {}", packages.join(", ")),
        reason,
        needed.map(|n| n.lines).unwrap_or_default(),
    ))
}

/// The note on libraries the full `ruby` image provides implicitly.
fn implicit_libraries_note(cx: &ConvertContext<'_>, packages: Option<&Item>) -> String {
    let _ = cx;
    let installed = match packages {
        Some(Item::Add { text, .. }) => text.clone(),
        _ => String::new(),
    };
    let mut missing: Vec<&str> = Vec::new();
    for (lib, gem) in [
        ("libpq5", "pg"),
        ("libmariadb3", "mysql2"),
        ("libvips42", "ruby-vips"),
        ("imagemagick", "rmagick/mini_magick"),
    ] {
        if !installed.contains(lib.trim_end_matches(char::is_numeric)) {
            missing.push(gem);
        }
    }
    format!(
        "The full `ruby` image (buildpack-deps) ships the development files of PostgreSQL, MySQL/MariaDB, SQLite, libxml2, ImageMagick and more, so gems may have compiled against libraries the slim image lacks. If the Gemfile has {} (or another gem that links a system library), add its runtime package to the runtime stage (libpq5, libmariadb3, libvips42, imagemagick).",
        missing.join(", ")
    )
}

/// The non-root user of the runtime stage: Rails' own `rails` (uid 1000,
/// owning only the directories Rails writes to), or the common user items.
fn runtime_user(
    cx: &ConvertContext<'_>,
    rails: bool,
    distro: Distro,
    app: Option<&str>,
    official: bool,
) -> Vec<Item> {
    if !rails || super::common::kept_root(cx).is_some() {
        return user_items(cx, None, ImageUsers::Shell(distro)).0;
    }
    let esc = cx.escape();
    let uid = if official { "1000" } else { "10001" };
    let workdir = cx.final_workdir();
    let dirs: Vec<String> = RAILS_WRITABLE
        .iter()
        .map(|d| match (app, workdir.as_deref()) {
            (Some(a), Some(w)) if a == w => (*d).to_string(),
            (Some(a), _) => format!("{a}/{d}"),
            _ => (*d).to_string(),
        })
        .chain(super::common::volume_paths(cx))
        .collect();
    let list = dirs.join(" ");
    let create = match distro {
        Distro::Alpine => format!(
            "RUN addgroup -S -g {uid} rails && {esc}\n    adduser -S -D -u {uid} -G rails -h /home/rails -s /bin/sh rails && {esc}\n    mkdir -p {list} && {esc}\n    chown -R rails:rails {list}"
        ),
        _ => format!(
            "RUN groupadd --system --gid {uid} rails && {esc}\n    useradd rails --uid {uid} --gid {uid} --create-home --shell /bin/bash && {esc}\n    mkdir -p {list} && {esc}\n    chown -R rails:rails {list}"
        ),
    };
    let lines: Vec<usize> = cx
        .with_keyword(Keyword::User)
        .map(|i| i.start_line)
        .collect();
    vec![
        add(
            create,
            ChangeKind::User,
            format!(
                "Created the user `rails` (uid {uid}), owning only {}",
                RAILS_WRITABLE.join(", ")
            ),
            "the Rails 7.1+ Dockerfile runs as `rails` (uid 1000) and gives it only the directories Rails writes to (database files, logs, Active Storage, caches and pids); the code stays read-only",
            lines.clone(),
        ),
        add(
            format!("USER {uid}:{uid}"),
            ChangeKind::User,
            "Runs as `rails`, not root",
            "a numeric user lets Kubernetes' runAsNonRoot verify it",
            lines,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    fn convert(text: &str) -> Result<String, String> {
        convert_text(text, &ConvertOptions::default())
            .map(|o| format!("{}\n{}", o.conversion.strategy, o.conversion.dockerfile))
            .map_err(|r| r.reason)
    }

    #[test]
    fn detects_ruby_and_not_node() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nRUN yarn install && yarn build\nCMD [\"bin/rails\", \"server\"]\n",
                Some("ruby-bundler"),
            ),
            (
                "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y ruby-full build-essential\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]\n",
                Some("ruby-bundler"),
            ),
        ];
        for (input, want) in cases {
            let got = convert(input);
            let strategy = got
                .as_ref()
                .ok()
                .and_then(|t| t.lines().next().map(str::to_string));
            assert_eq!(strategy.as_deref(), *want, "{input}\n{got:?}");
        }
    }

    #[test]
    fn bundle_config_is_read() {
        let text = "FROM ruby:3.3\nENV BUNDLE_PATH=/gems\nRUN bundle config set --local without 'development test' && bundle config set deployment true\n";
        let doc = crate::dockerfile::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let model = crate::model::Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        let cfg = bundle_config(&cx);
        assert!(cfg.deployment);
        assert_eq!(cfg.path.as_deref(), Some("/gems"));
        assert!(cfg.path_env);
        assert_eq!(cfg.without.as_deref(), Some("development test"));
        assert_eq!(
            gem_dirs(&cfg, false, Some("/app")),
            ["/usr/local/bundle", "/gems"]
        );
        assert_eq!(
            bundle_cleanup(&cfg, false, false),
            "rm -rf ~/.bundle/ \"${BUNDLE_PATH}\"/ruby/*/cache \"${BUNDLE_PATH}\"/ruby/*/bundler/gems/*/.git"
        );
    }

    #[test]
    fn planning_decisions() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            // Binstub start with a lockfile: deployment mode is turned on.
            (
                "FROM ruby:3.3\nENV RAILS_ENV=production\nWORKDIR /rails\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nRUN bundle exec rails assets:precompile\nCMD [\"./bin/rails\", \"server\"]\n",
                &[
                    "BUNDLE_DEPLOYMENT=\"1\"",
                    "BUNDLE_WITHOUT=\"development:test\"",
                    "SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile",
                    "FROM ruby:3.3-slim AS runtime",
                    "COPY --from=builder /usr/local/bundle /usr/local/bundle",
                    "COPY --from=builder /rails /rails",
                    "USER 1000:1000",
                ],
                &["COPY . .\nCMD"],
            ),
            // A bare gem command: no deployment mode (it would move the binstub).
            (
                "FROM ruby:3.2\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nCMD [\"rackup\", \"-o\", \"0.0.0.0\"]\n",
                &[
                    "rm -rf ~/.bundle/ /usr/local/bundle/cache",
                    "COPY . .",
                    "USER appuser",
                ],
                &["BUNDLE_DEPLOYMENT"],
            ),
        ];
        for (input, want, not) in cases {
            let out = convert(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            for w in *want {
                assert!(out.contains(w), "{w} missing in\n{out}");
            }
            for n in *not {
                assert!(!out.contains(n), "{n} present in\n{out}");
            }
        }
    }

    #[test]
    fn refusals() {
        let cases: &[(&str, &str)] = &[
            (
                "FROM ruby:2.4\nRUN mkdir -p /usr/src/app\nWORKDIR /usr/src/app\nONBUILD RUN bundle install\n",
                "ONBUILD",
            ),
            (
                "FROM ruby:3.3-alpine\nRUN apk add --no-cache build-base\nCOPY . /app\nWORKDIR /app\nRUN bundle install\nCMD [\"ruby\", \"app.rb\"]\n",
                "__slim__",
            ),
        ];
        for (input, want) in cases {
            if *want == "__slim__" {
                let options = ConvertOptions {
                    runtime: RuntimePreference::Slim,
                    ..ConvertOptions::default()
                };
                let r = convert_text(input, &options)
                    .err()
                    .map(|r| r.reason)
                    .unwrap_or_default();
                assert!(r.contains("musl"), "{r}");
            } else {
                let r = convert(input).err().unwrap_or_default();
                assert!(r.contains(want), "{input}: {r}");
            }
        }
    }
}
