//! PHP (composer; Laravel, Symfony, WordPress-style and plain PHP apps on
//! the official `php` images: `-apache`, `-fpm`, `-cli`, Debian or Alpine).
//!
//! Composer runs in a `builder` stage started from the source image
//! itself, so that it sees the same PHP version and the same extensions
//! (its platform check and scripts such as Laravel's `package:discover`
//! behave exactly as before); it installs without development packages
//! and with an optimized autoloader. Asset builds (npm, Vite) and console
//! cache warm-ups run there too. The `runtime` stage starts from the same
//! `php` image — the extensions must be compiled against the PHP of the
//! image that runs them, so `docker-php-ext-install`, `pecl install` and
//! `install-php-extensions` stay in it — but their build dependencies are
//! installed and removed in the same `RUN`, with the runtime library of
//! each `-dev` package (from the data table) installed to stay. Git,
//! unzip, Node.js and Composer itself stay in the builder. The runtime
//! stage gets the application directory (with `vendor/` and built assets)
//! from the builder and runs as `www-data`, the user the official images
//! already run PHP workers as.

use super::common::{add, keep, keep_quiet};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::{ImageUsers, is_root, plan_user, runs_as};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::{CommandKind, MountType};
use crate::dockerfile::resolve::Expanded;
use crate::knowledge::packages::{Distro, is_dev, is_toolchain, package_name, runtime_for};
use crate::model::shell::{Script, ScriptKind, SimpleCommand};
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction, covers, join_workdir};

/// The strategy.
pub struct Php;

const ECO: Ecosystem = Ecosystem::Php;

/// The user the official `php` images run PHP as (uid 33 on Debian, 82 on Alpine).
const WWW_DATA: &str = "www-data";

/// Packages only Composer needs (to fetch sources and unpack dists).
const COMPOSER_HELPERS: &[&str] = &["git", "unzip", "p7zip", "p7zip-full", "7zip", "subversion"];

/// Node.js packages, needed only to build assets.
const NODE_PACKAGES: &[&str] = &["nodejs", "npm", "yarn", "yarnpkg"];

/// Commands that build PHP extensions against the image's PHP.
const EXTENSION_TOOLS: &[&str] = &[
    "docker-php-ext-configure",
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-source",
    "pecl",
    "pickle",
    "install-php-extensions",
];

/// Node.js tools.
const NODE_TOOLS: &[&str] = &[
    "node", "npm", "npx", "yarn", "yarnpkg", "pnpm", "corepack", "bun",
];

/// Commands that compile from source (a runtime stage must not).
const COMPILERS: &[&str] = &[
    "make",
    "cmake",
    "phpize",
    "configure",
    "gcc",
    "g++",
    "cc",
    "ninja",
];

/// Directories whose contents are caches a rebuilt `RUN` removes itself.
const CACHE_PATHS: &[&str] = &[
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/var/cache/apk",
    "/tmp",
    "/var/tmp",
    "/tmp/pear",
    "/usr/src/php",
    "~/.pearrc",
    "/root/.pearrc",
];

/// Shell words that start control flow, which a `RUN` restage rebuilds
/// must not have (its commands are reordered).
const CONTROL: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{",
    "}", "(", "!", "function", "select",
];

fn refuse(reason: impl Into<String>) -> Refusal {
    Refusal::new(Some(ECO), reason)
}

/// The top-level parts of a shell script joined by `&&`, `;` or newlines,
/// as written (quotes, redirections and `||` kept). `None` when the script
/// has control flow, subshells, background jobs or unbalanced quotes:
/// its parts cannot be moved around safely.
pub(crate) fn segments(text: &str) -> Option<Vec<String>> {
    #[derive(PartialEq, Eq, Clone, Copy)]
    enum Ctx {
        Double,
        Paren,
        Brace,
        Backtick,
    }
    let mut stack: Vec<Ctx> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        let t = cur.trim();
        if !t.is_empty() {
            out.push(t.to_string());
        }
        cur.clear();
    };
    while let Some(c) = chars.next() {
        let top = stack.last().copied();
        match c {
            '\\' => {
                match chars.next() {
                    Some('\n') => cur.push(' '),
                    Some(n) => {
                        cur.push('\\');
                        cur.push(n);
                    }
                    None => cur.push('\\'),
                }
                continue;
            }
            '\'' if top != Some(Ctx::Double) => {
                cur.push(c);
                let mut closed = false;
                for n in chars.by_ref() {
                    cur.push(n);
                    if n == '\'' {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return None;
                }
                continue;
            }
            '"' => {
                if top == Some(Ctx::Double) {
                    stack.pop();
                } else {
                    stack.push(Ctx::Double);
                }
            }
            '`' => {
                if top == Some(Ctx::Backtick) {
                    stack.pop();
                } else {
                    stack.push(Ctx::Backtick);
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                cur.push('$');
                cur.push('(');
                chars.next();
                stack.push(Ctx::Paren);
                continue;
            }
            '$' if chars.peek() == Some(&'{') => {
                cur.push('$');
                cur.push('{');
                chars.next();
                stack.push(Ctx::Brace);
                continue;
            }
            '(' if top.is_some() && top != Some(Ctx::Double) => stack.push(Ctx::Paren),
            '(' if top.is_none() => return None,
            ')' if top == Some(Ctx::Paren) => {
                stack.pop();
            }
            '}' if top == Some(Ctx::Brace) => {
                stack.pop();
            }
            '#' if top.is_none() && (cur.is_empty() || cur.ends_with(char::is_whitespace)) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
                flush(&mut cur, &mut out);
                continue;
            }
            '&' if top.is_none() => {
                if chars.peek() == Some(&'&') {
                    chars.next();
                    flush(&mut cur, &mut out);
                    continue;
                }
                if !(cur.ends_with('>') || cur.ends_with('<')) {
                    return None;
                }
            }
            '|' if top.is_none() && chars.peek() == Some(&'|') => {
                cur.push_str("||");
                chars.next();
                continue;
            }
            ';' | '\n' if top.is_none() => {
                flush(&mut cur, &mut out);
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !stack.is_empty() {
        return None;
    }
    flush(&mut cur, &mut out);
    let controlled = out.iter().any(|s| {
        let first = s.split_whitespace().next().unwrap_or_default();
        CONTROL.contains(&first) || first.ends_with("()")
    });
    (!controlled).then_some(out)
}

/// What one part of a `RUN` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A system package manager (`apt-get`, `apk`, ...).
    Packages,
    /// Removes caches only (`rm -rf /var/lib/apt/lists/*`).
    Cleanup,
    /// Changes nothing (`set -eux`, `true`).
    Noop,
    /// Builds or enables a PHP extension.
    Extension,
    /// Installs Composer itself (the installer, `composer.phar`).
    ComposerSetup,
    /// Runs Composer for the application (`install`, `dump-autoload`, ...).
    Composer,
    /// Runs Node.js tools (asset builds).
    Node,
    /// Adds the Node.js or Yarn package repository.
    NodeRepo,
    /// Adds another package repository or key.
    Repo,
    /// `apt-mark`: the official images' auto-removal idiom.
    AptMark,
    /// Runs the application's console (`php artisan`, `bin/console`).
    Console,
    /// Compiles from source (`phpize`, `make`).
    Compile,
    /// Anything else.
    Other,
}

/// Whether a command runs Composer (`composer`, `php composer.phar`).
fn composer_words(c: &SimpleCommand) -> Option<Vec<&str>> {
    if recognise(c).is_some_and(|inv| inv.tool == Tool::Composer) {
        return Some(c.args.iter().map(String::as_str).collect());
    }
    if c.base_name().starts_with("php")
        && let Some((first, rest)) = c.args.split_first()
        && (first.ends_with("composer.phar") || first.ends_with("/composer"))
    {
        return Some(rest.iter().map(String::as_str).collect());
    }
    None
}

/// Composer subcommands that install or generate the application's files.
fn composer_builds(args: &[&str]) -> bool {
    let sub = args.iter().find(|a| !a.starts_with('-')).copied();
    matches!(
        sub,
        Some(
            "install"
                | "i"
                | "update"
                | "u"
                | "upgrade"
                | "require"
                | "dump-autoload"
                | "dumpautoload"
                | "run-script"
                | "run"
                | "create-project"
                | "remove"
                | "reinstall"
        )
    )
}

/// Whether a command runs the application's console.
fn is_console(c: &SimpleCommand) -> bool {
    let script = if c.base_name().starts_with("php") {
        c.args.first().map(String::as_str).unwrap_or_default()
    } else {
        c.name.as_str()
    };
    script == "artisan"
        || script.ends_with("/artisan")
        || script.ends_with("bin/console")
        || script.ends_with("bin/magento")
}

fn role_of(text: &str) -> Role {
    let script = Script::parse(text, ScriptKind::Shell);
    let cmds = &script.commands;
    let lower = text.to_ascii_lowercase();
    if lower.contains("getcomposer.org")
        || lower.contains("composer-setup")
        || cmds.iter().any(|c| {
            composer_words(c).is_some_and(|a| {
                a.first().is_some_and(|s| {
                    matches!(*s, "self-update" | "selfupdate" | "--version" | "-V")
                })
            })
        })
        || (cmds
            .iter()
            .any(|c| c.is("mv") || c.is("chmod") || c.is("ln") || c.is("cp"))
            && cmds.iter().any(|c| {
                c.args
                    .iter()
                    .any(|a| a.ends_with("composer.phar") || a.ends_with("/composer"))
            }))
    {
        return Role::ComposerSetup;
    }
    if cmds
        .iter()
        .any(|c| composer_words(c).is_some_and(|a| composer_builds(&a)))
    {
        return Role::Composer;
    }
    if lower.contains("nodesource") || lower.contains("yarnpkg.com") {
        return Role::NodeRepo;
    }
    if cmds.iter().any(|c| NODE_TOOLS.contains(&c.base_name())) {
        return Role::Node;
    }
    if cmds.iter().any(is_console) {
        return Role::Console;
    }
    if cmds.iter().any(|c| c.is("apt-mark") || c.is("dpkg-query")) {
        return Role::AptMark;
    }
    if lower.contains("sources.list")
        || lower.contains("add-apt-repository")
        || lower.contains("apt-key")
        || lower.contains("/etc/apt/")
        || lower.contains("/etc/apk/repositories")
        || lower.contains("--dearmor")
    {
        return Role::Repo;
    }
    if cmds
        .iter()
        .any(|c| EXTENSION_TOOLS.contains(&c.base_name()))
    {
        return Role::Extension;
    }
    if cmds.iter().any(|c| {
        COMPILERS.contains(&c.base_name())
            || c.name == "./configure"
            || c.name.ends_with("/configure")
    }) {
        return Role::Compile;
    }
    let Some(first) = cmds.first() else {
        return if script.parse_error.is_none() && text.contains('=') {
            Role::Other
        } else {
            Role::Noop
        };
    };
    if recognise(first).is_some_and(|inv| {
        matches!(
            inv.tool,
            Tool::AptGet
                | Tool::Apt
                | Tool::Aptitude
                | Tool::Apk
                | Tool::Dnf
                | Tool::Yum
                | Tool::Microdnf
                | Tool::Zypper
        )
    }) {
        return Role::Packages;
    }
    if cmds.len() == 1 && matches!(first.base_name(), "set" | "true" | ":") {
        return Role::Noop;
    }
    if cmds.len() == 1
        && first.is("rm")
        && first.args.iter().any(|a| !a.starts_with('-'))
        && first
            .args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .all(|a| is_cache_path(a))
    {
        return Role::Cleanup;
    }
    Role::Other
}

fn is_cache_path(path: &str) -> bool {
    let p = path.trim_end_matches("/*").trim_end_matches('*');
    CACHE_PATHS
        .iter()
        .any(|c| p == *c || p.strip_prefix(c).is_some_and(|r| r.starts_with('/')))
        || (p.starts_with("/tmp/") || p.starts_with("/var/tmp/"))
}

/// Whether a part of a script only touches files under `app` (the
/// application directory copied from the builder), `/tmp` or `/dev`:
/// absolute paths, `~` and `cd` targets are checked, relative paths are
/// relative to `workdir`.
fn app_local(text: &str, app: &str, workdir: Option<&str>) -> bool {
    let here = workdir.unwrap_or("/");
    if !covers(app, here) {
        // Relative paths would point outside the application directory.
        let script = Script::parse(text, ScriptKind::Shell);
        let relative = script.commands.iter().any(|c| {
            c.args
                .iter()
                .any(|a| !a.starts_with('-') && !a.starts_with('/') && !a.is_empty())
        });
        if relative {
            return false;
        }
    }
    text.split(|c: char| c.is_whitespace() || matches!(c, '>' | '<' | '"' | '\'' | '=' | ':'))
        .filter(|t| !t.is_empty())
        .all(|t| {
            if t.starts_with('~') || t.starts_with("$HOME") {
                return false;
            }
            if !t.starts_with('/') {
                return true;
            }
            covers(app, t)
                || t.starts_with("/tmp")
                || t.starts_with("/dev/")
                || t == "/dev"
                || t.starts_with("/proc/")
        })
}

/// A `RUN` of the source stage, read for the conversion.
struct RunPlan<'a> {
    instruction: &'a Instruction,
    /// Its top-level parts and their roles, when it can be split.
    parts: Option<Vec<(String, Role)>>,
    /// Whether it installs system packages.
    packages: bool,
    /// Whether it removes, in the same `RUN`, every build-only package it
    /// installs (`apk del .build-deps`, `apt-get purge`).
    self_cleaning: bool,
    /// Whether it builds or enables PHP extensions.
    extensions: bool,
    /// Whether it is a build step whose results land in the application
    /// directory (Composer, Node.js, the console).
    builds: bool,
}

impl RunPlan<'_> {
    fn has(&self, role: Role) -> bool {
        self.parts
            .as_ref()
            .is_some_and(|p| p.iter().any(|(_, r)| *r == role))
    }
}

fn read_run<'a>(cx: &ConvertContext<'a>, i: &'a Instruction, distro: Distro) -> RunPlan<'a> {
    let facts = classify_run(i);
    let run = i.run.as_ref();
    let heredoc_files = cx.node(i).is_some_and(|n| !n.heredocs.is_empty());
    let parts = run.and_then(|r| {
        if r.exec_form || !r.posix {
            return None;
        }
        let script = r.scripts.first()?;
        if r.scripts.len() != 1
            || script.parse_error.is_some()
            || (heredoc_files && script.kind != ScriptKind::Heredoc)
        {
            return None;
        }
        segments(&script.text).map(|segs| {
            segs.into_iter()
                .map(|s| {
                    let role = role_of(&s);
                    (s, role)
                })
                .collect::<Vec<_>>()
        })
    });
    let commands: Vec<&SimpleCommand> = run.map(|r| r.commands().collect()).unwrap_or_default();
    let extensions = commands
        .iter()
        .any(|c| EXTENSION_TOOLS.contains(&c.base_name()));
    let builds = commands.iter().any(|c| {
        composer_words(c).is_some_and(|a| composer_builds(&a) && !a.contains(&"global"))
            || NODE_TOOLS.contains(&c.base_name())
            || is_console(c)
    });
    let (packages, self_cleaning) = match &facts.system {
        Some(system) => {
            let kept_build = system
                .build_only(distro)
                .into_iter()
                .any(|p| !system.removed.iter().any(|r| r == package_name(p)));
            (true, !system.removed.is_empty() && !kept_build)
        }
        None => (false, false),
    };
    RunPlan {
        instruction: i,
        parts,
        packages,
        self_cleaning,
        extensions,
        builds,
    }
}

/// The source image.
struct Source {
    raw: ImageText,
    resolved: ImageText,
    distro: Distro,
    alpine: bool,
    /// The Debian release when it is older than the library table knows
    /// (`bullseye` for `php:7.4`).
    old_release: Option<&'static str>,
}

/// The Debian release an official `php` tag is built on: the codename in
/// the tag, else the release its PHP version last shipped on (8.1 and
/// later are on Debian 13 since August 2025, 8.0 ended on Debian 12, 7.3
/// and 7.4 on Debian 11, older ones on Debian 10 or 9).
fn php_release(tag: &str) -> (Distro, Option<&'static str>) {
    for (code, old) in [
        ("trixie", None),
        ("bookworm", None),
        ("bullseye", Some("bullseye")),
        ("buster", Some("buster")),
        ("stretch", Some("stretch")),
        ("jessie", Some("jessie")),
    ] {
        if tag.split('-').any(|p| p == code) {
            let distro = if code == "trixie" {
                Distro::Trixie
            } else {
                Distro::Bookworm
            };
            return (distro, old);
        }
    }
    let mut nums = tag.split(['-', '.']).map_while(|p| p.parse::<u32>().ok());
    match (nums.next(), nums.next()) {
        (Some(major), minor) if major >= 9 || (major == 8 && minor.unwrap_or(1) >= 1) => {
            (Distro::Trixie, None)
        }
        (Some(8), Some(0)) => (Distro::Bookworm, None),
        (Some(7), Some(minor)) if minor >= 3 => (Distro::Bookworm, Some("bullseye")),
        (Some(7), _) => (Distro::Bookworm, Some("buster")),
        (Some(_), _) => (Distro::Bookworm, Some("stretch")),
        (None, _) => (Distro::Trixie, None),
    }
}

fn source(cx: &ConvertContext<'_>) -> Option<Source> {
    let BaseImage::Image { reference, .. } = &cx.stage.base else {
        return None;
    };
    let resolved = ImageText::parse(reference);
    let (distro, old_release) = match resolved.distro() {
        Distro::Bookworm | Distro::Trixie if super::common::is_official_image(&resolved, "php") => {
            php_release(resolved.tag.as_deref().unwrap_or("latest"))
        }
        d => (d, None),
    };
    Some(Source {
        raw: ImageText::parse(&cx.stage.base_text),
        alpine: distro == Distro::Alpine,
        distro,
        old_release,
        resolved,
    })
}

/// Whether a distribution package is PHP itself (`php8.3-fpm`, `php83-ctype`).
fn is_php_package(p: &str) -> bool {
    let name = package_name(p);
    name == "php"
        || name.starts_with("php-")
        || name
            .strip_prefix("php")
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
}

/// How the container starts, as words (`ENTRYPOINT` then `CMD`).
fn start_words(cx: &ConvertContext<'_>) -> Vec<String> {
    let mut words = Vec::new();
    for k in [Keyword::Entrypoint, Keyword::Cmd] {
        if let Some(i) = cx.last(k) {
            words.extend(super::common::command_words(cx, i).0);
        }
    }
    words
}

/// The kind of server the image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Apache,
    Fpm,
    /// FrankenPHP, RoadRunner, Swoole/Octane, a plain `php` script...
    Cli,
}

fn server(cx: &ConvertContext<'_>, src: &Source) -> Server {
    let words = start_words(cx).join(" ");
    if words.contains("apache2") || words.contains("httpd") {
        return Server::Apache;
    }
    if words.contains("php-fpm") {
        return Server::Fpm;
    }
    if words.is_empty() || words.contains("docker-php-entrypoint") {
        let tag = src.resolved.tag.as_deref().unwrap_or_default();
        if tag.contains("apache") {
            return Server::Apache;
        }
        if tag.contains("fpm") {
            return Server::Fpm;
        }
    }
    Server::Cli
}

/// Whether the container runs a development server or the tests.
fn runs_development(cx: &ConvertContext<'_>) -> Option<String> {
    let words = start_words(cx);
    let text = words.join(" ");
    if text.contains("artisan serve")
        || text.contains("server:start")
        || text.contains("server:run")
        || words.iter().any(|w| w == "-S")
        || text.contains("phpunit")
        || text.contains("pest")
    {
        return Some(format!("the container starts `{text}`"));
    }
    for k in ["APP_ENV", "APP_DEBUG"] {
        if let Some((_, v)) = cx.stage.env.iter().rev().find(|(n, _)| n == k) {
            let v = v.trim_matches(['"', '\'']).to_ascii_lowercase();
            if (k == "APP_ENV" && matches!(v.as_str(), "local" | "dev" | "development" | "test"))
                || (k == "APP_DEBUG" && matches!(v.as_str(), "1" | "true"))
            {
                return Some(format!("{k}={v}"));
            }
        }
    }
    None
}

/// The directories a PHP framework writes to at run time (relative to the
/// application): Laravel's `storage` and `bootstrap/cache`, Symfony's `var`.
fn writable_dirs(cx: &ConvertContext<'_>) -> Vec<&'static str> {
    let mut words: Vec<String> = start_words(cx);
    for (_, c) in cx.commands() {
        words.push(c.name.clone());
        words.extend(c.args.iter().cloned());
    }
    if words
        .iter()
        .any(|w| w == "artisan" || w.ends_with("/artisan"))
    {
        vec!["storage", "bootstrap/cache"]
    } else if words.iter().any(|w| w.ends_with("bin/console")) {
        vec!["var"]
    } else {
        Vec::new()
    }
}

/// The directory a command of a `RUN` runs in: the `WORKDIR`, changed by
/// `cd` before it, or Composer's `--working-dir`.
fn build_dir(i: &Instruction) -> Option<String> {
    let mut dir = i.context.workdir.as_deref().map(str::to_string);
    for c in i.run.as_ref()?.commands() {
        if c.is("cd")
            && let Some(target) = c.args.iter().find(|a| !a.starts_with('-'))
        {
            if target.contains('$') || target.starts_with('~') {
                return None;
            }
            dir = Some(join_workdir(dir.as_deref(), target));
            continue;
        }
        if let Some(args) = composer_words(c)
            && composer_builds(&args)
        {
            let flag = c
                .flag_value(&["d", "working-dir"])
                .map(str::to_string)
                .or_else(|| {
                    args.iter()
                        .position(|a| *a == "-d" || *a == "--working-dir")
                        .and_then(|p| args.get(p + 1).map(|s| (*s).to_string()))
                });
            if let Some(d) = flag {
                return Some(join_workdir(dir.as_deref(), &d));
            }
            return dir;
        }
        if NODE_TOOLS.contains(&c.base_name()) || is_console(c) {
            return dir;
        }
    }
    dir
}

/// The absolute destination of a context `COPY`/`ADD`.
fn copy_dest(i: &Instruction) -> Option<String> {
    let dest = match (&i.expanded, i.kind()) {
        (Some(Expanded::Copy(c) | Expanded::Add(c)), _) => c.dest.clone(),
        (_, Some(CommandKind::Copy(c))) => c.dest.clone(),
        (_, Some(CommandKind::Add(a))) => a.dest.clone(),
        _ => return None,
    };
    Some(join_workdir(i.context.workdir.as_deref(), &dest))
}

fn is_context_copy(i: &Instruction) -> bool {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c.from.is_none(),
        Some(CommandKind::Add(_)) => true,
        _ => false,
    }
}

fn copy_chown(i: &Instruction) -> Option<&str> {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c.chown.as_deref(),
        Some(CommandKind::Add(a)) => a.chown.as_deref(),
        _ => None,
    }
}

/// Whether a `COPY --from` brings in Composer's binary.
fn copies_composer(cx: &ConvertContext<'_>, i: &Instruction) -> bool {
    match i.kind() {
        Some(CommandKind::Copy(c)) if c.from.is_some() => cx.copy_sources(i).iter().any(|s| {
            let b = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
            b == "composer" || b == "composer.phar"
        }),
        _ => false,
    }
}

/// Whether a `COPY --from` brings in Node.js from a `node` image.
fn copies_node(i: &Instruction) -> bool {
    match i.kind() {
        Some(CommandKind::Copy(c)) => c
            .from
            .as_deref()
            .is_some_and(|f| ImageText::parse(f).short_name() == "node"),
        _ => false,
    }
}

fn node_text(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
        .unwrap_or_default()
}

/// The system packages of the rebuilt extension `RUN`.
#[derive(Debug, Default)]
struct Packages {
    /// Packages the runtime keeps, as written, then runtime libraries.
    runtime: Vec<String>,
    /// `-dev` → runtime library notes.
    mapped: Vec<String>,
    /// Build-only packages (headers, compilers), installed and removed.
    build: Vec<String>,
    /// Packages left out of the runtime stage, with why.
    dropped: Vec<(String, &'static str)>,
}

fn push_unique(list: &mut Vec<String>, p: String) {
    if !list.contains(&p) {
        list.push(p);
    }
}

/// Expands `$NAME`/`${NAME}` package words from the stage's `ENV`s.
fn expand_word(cx: &ConvertContext<'_>, word: &str) -> Option<Vec<String>> {
    let name = word
        .strip_prefix("${")
        .and_then(|w| w.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'))?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let value = cx
        .stage
        .env
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())?;
    Some(value.split_whitespace().map(str::to_string).collect())
}

fn is_phpize_deps(word: &str) -> bool {
    matches!(word, "$PHPIZE_DEPS" | "${PHPIZE_DEPS}")
}

/// Sorts the packages of the rebuilt `RUN`s into runtime, build-only and
/// dropped ones.
fn sort_packages(
    cx: &ConvertContext<'_>,
    runs: &[&RunPlan<'_>],
    distro: Distro,
    old_release: Option<&str>,
    drop_helpers: bool,
    drop_node: bool,
) -> Result<Packages, Refusal> {
    let mut out = Packages::default();
    for r in runs {
        let Some(system) = classify_run(r.instruction).system else {
            continue;
        };
        let line = r.instruction.start_line;
        for written in &system.installed {
            let words: Vec<String> = if is_phpize_deps(written) {
                vec![written.clone()]
            } else if written.contains('$') {
                expand_word(cx, written).ok_or_else(|| {
                    refuse(format!(
                        "line {line} installs `{written}`, a variable whose value restage cannot see, so it cannot tell build packages from the ones PHP needs at run time"
                    ))
                })?
            } else {
                vec![written.clone()]
            };
            for p in words {
                let name = package_name(&p).to_string();
                if system.removed.iter().any(|r| *r == name || *r == p) {
                    continue;
                }
                if is_phpize_deps(&p) {
                    // On Debian the image keeps $PHPIZE_DEPS installed; on
                    // Alpine they join the removed build dependencies.
                    if distro == Distro::Alpine {
                        push_unique(&mut out.build, p);
                    }
                    continue;
                }
                if is_dev(&p) {
                    if let Some(release) = old_release {
                        return Err(refuse(format!(
                            "line {line} installs `{name}` on `{}`, which is built on Debian {release}; restage's runtime-library table covers Debian 12 and 13 only, so it cannot name the library the extension needs once the headers are removed (move to a supported PHP version, or keep this image single-stage)",
                            cx.stage.base_text
                        )));
                    }
                    let Some(libs) = runtime_for(&p, distro) else {
                        return Err(refuse(format!(
                            "line {line} installs `{name}`, and restage knows no runtime library for it: an extension built against it would not load once the headers are removed (install its runtime package next to it, or use install-php-extensions, which keeps what it needs)"
                        )));
                    };
                    out.mapped.push(format!("{name} → {}", libs.join(" ")));
                    for l in libs {
                        push_unique(&mut out.runtime, l.clone());
                    }
                    push_unique(&mut out.build, name);
                    continue;
                }
                if is_toolchain(&p, distro) {
                    push_unique(&mut out.build, name);
                    continue;
                }
                if drop_helpers && COMPOSER_HELPERS.contains(&name.as_str()) {
                    if !out.dropped.iter().any(|(d, _)| *d == name) {
                        out.dropped.push((name, "Composer"));
                    }
                    continue;
                }
                if drop_node && NODE_PACKAGES.contains(&name.as_str()) {
                    if !out.dropped.iter().any(|(d, _)| *d == name) {
                        out.dropped.push((name, "the asset build"));
                    }
                    continue;
                }
                push_unique(&mut out.runtime, p);
            }
        }
    }
    // Runtime libraries first, then the packages kept as written: keep
    // the order stable and unique.
    Ok(out)
}

/// The rebuilt `RUN` of the runtime stage: runtime packages, build
/// dependencies, the extension commands, then the build dependencies
/// removed in the same layer.
fn rebuilt_run(
    packages: &Packages,
    parts: &[String],
    distro: Distro,
    pecl: bool,
    recommends: bool,
    escape: char,
) -> String {
    let mut steps: Vec<String> = Vec::new();
    let compiles = !parts.is_empty();
    let build = compiles && !packages.build.is_empty();
    match distro {
        Distro::Alpine => {
            if !packages.runtime.is_empty() {
                steps.push(format!("apk add --no-cache {}", packages.runtime.join(" ")));
            }
            if build {
                steps.push(format!(
                    "apk add --no-cache --virtual .build-deps {}",
                    packages.build.join(" ")
                ));
            }
            steps.extend(parts.iter().cloned());
            if build {
                steps.push("apk del --no-network .build-deps".into());
            }
            if pecl {
                steps.push("rm -rf /tmp/pear".into());
            }
        }
        _ => {
            let flag = if recommends {
                ""
            } else {
                " --no-install-recommends"
            };
            let installs = !packages.runtime.is_empty() || build;
            if installs {
                steps.push("apt-get update".into());
            }
            if !packages.runtime.is_empty() {
                steps.push(format!(
                    "apt-get install -y{flag} {}",
                    packages.runtime.join(" ")
                ));
            }
            if build {
                steps.push(format!(
                    "apt-get install -y --no-install-recommends {}",
                    packages.build.join(" ")
                ));
            }
            steps.extend(parts.iter().cloned());
            if build {
                steps.push(format!(
                    "apt-get purge -y --auto-remove {}",
                    packages.build.join(" ")
                ));
            }
            let mut clean: Vec<&str> = Vec::new();
            if installs {
                clean.push("/var/lib/apt/lists/*");
            }
            if pecl {
                clean.push("/tmp/pear");
            }
            if !clean.is_empty() {
                steps.push(format!("rm -rf {}", clean.join(" ")));
            }
        }
    }
    let sep = format!(" {escape}\n    && ");
    format!("RUN {}", steps.join(&sep))
}

/// Adds flags to each `composer install` of a `RUN`'s text.
fn composer_flags(text: &str, flags: &[&str]) -> Option<String> {
    if flags.is_empty() {
        return None;
    }
    let re =
        regex::Regex::new(r"\bcomposer(?:\.phar)?(?:\s+-{1,2}[A-Za-z-]+(?:=\S+)?)*\s+install\b")
            .ok()?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    let mut changed = false;
    for m in re.find_iter(text) {
        out.push_str(text.get(last..m.end())?);
        for f in flags {
            out.push(' ');
            out.push_str(f);
        }
        last = m.end();
        changed = true;
    }
    out.push_str(text.get(last..)?);
    changed.then_some(out)
}

impl Strategy for Php {
    fn name(&self) -> &'static str {
        "php-composer"
    }

    fn ecosystem(&self) -> Ecosystem {
        ECO
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let src = source(cx);
        let official = src
            .as_ref()
            .is_some_and(|s| super::common::is_official_image(&s.resolved, "php"));
        if official {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is PHP", cx.stage.base_text),
            );
        }
        let mut php_packages = false;
        for i in cx.with_keyword(Keyword::Run) {
            if let Some(system) = classify_run(i).system
                && let Some(p) = system.installed.iter().find(|p| is_php_package(p))
            {
                php_packages = true;
                d.add(
                    5,
                    i.start_line,
                    format!("installs PHP from the distribution (`{p}`)"),
                );
                break;
            }
        }
        for (i, c) in cx.copies() {
            if let Some(s) = c.sources.iter().find(|s| {
                let b = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
                b == "composer.json" || b == "composer.lock" || b == "composer.*"
            }) {
                d.add(5, i.start_line, format!("copies `{s}`"));
                break;
            }
        }
        if let Some(i) = cx.instructions().find(|i| copies_composer(cx, i)) {
            d.add(5, i.start_line, "copies the Composer binary");
        }
        let mut composer = false;
        let mut extensions = false;
        for (i, c) in cx.commands() {
            if !composer
                && let Some(args) = composer_words(c)
                && composer_builds(&args)
            {
                composer = true;
                d.add(
                    10,
                    i.start_line,
                    format!("runs `composer {}`", args.join(" ").trim()),
                );
            }
            if !extensions && EXTENSION_TOOLS.contains(&c.base_name()) {
                extensions = true;
                d.add(
                    5,
                    i.start_line,
                    format!("builds PHP extensions with `{}`", c.base_name()),
                );
            }
        }
        let start = start_words(cx).join(" ");
        if [
            "php",
            "apache2-foreground",
            "artisan",
            "frankenphp",
            "rr serve",
        ]
        .iter()
        .any(|w| start.contains(w))
        {
            let line = cx
                .last(Keyword::Cmd)
                .or_else(|| cx.last(Keyword::Entrypoint))
                .map_or(cx.stage.line, |i| i.start_line);
            d.add(5, line, format!("starts `{start}`"));
        }
        ((official || composer || php_packages) && d.score >= 5).then_some(d)
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
                    "the final stage builds on the stage `{}` and inherits everything in it; restage converts a final stage that starts from an image (copy the application from `{}` into a stage `FROM` the `php` image instead)",
                    cx.stage.base_text, cx.stage.base_text
                ),
                _ => "the final stage does not start from an image restage can read".to_string(),
            }));
        };
        if !super::common::is_official_image(&src.resolved, "php") {
            let from_packages = cx
                .with_keyword(Keyword::Run)
                .filter_map(|i| classify_run(i).system.map(|s| (i.start_line, s)))
                .find_map(|(l, s)| {
                    s.installed
                        .iter()
                        .find(|p| is_php_package(p))
                        .map(|p| (l, p.clone()))
                });
            return Err(refuse(match from_packages {
                Some((line, p)) => format!(
                    "PHP comes from the distribution's packages (`{p}` on line {line}) on `{}`, not from the official `php` image; restage converts builds on the official image, where extensions are compiled with docker-php-ext-install and Composer can run in a builder with the same PHP",
                    cx.stage.base_text
                ),
                None => format!(
                    "the base image `{}` is not the official `php` image, so restage cannot tell how PHP and its extensions are installed in it",
                    cx.stage.base_text
                ),
            }));
        }
        if cx
            .instructions()
            .next()
            .is_some_and(|i| !i.context.posix_shell())
            || cx.with_keyword(Keyword::Shell).next().is_some_and(|i| {
                !i.context.posix_shell()
                    || matches!(i.kind(), Some(CommandKind::Shell(s)) if s.first().is_some_and(|p| p.contains("pwsh") || p.contains("powershell")))
            })
        {
            return Err(refuse(
                "the stage runs its commands with a shell that is not POSIX; restage rebuilds the extension step as a POSIX shell command",
            ));
        }
        let mut plan = Plan::new(ECO, self.name(), Confidence::High);
        match cx.options.runtime {
            RuntimePreference::Scratch | RuntimePreference::Distroless => {
                return Err(refuse(
                    "a PHP application needs the PHP interpreter, its extensions and a web server or PHP-FPM; there is no distroless or scratch PHP image (use --runtime auto)",
                ));
            }
            RuntimePreference::Alpine if !src.alpine => {
                return Err(refuse(
                    "the build installs Debian packages and compiles extensions against the Debian `php` image; start from the `-alpine` php image to get an Alpine runtime (the Apache variant has no Alpine image)",
                ));
            }
            RuntimePreference::Slim if src.alpine => {
                return Err(refuse(
                    "the build installs Alpine packages; restage keeps the runtime on the source's `php` image, so it cannot switch this build to Debian",
                ));
            }
            RuntimePreference::Slim => plan.assumptions.push(format!(
                "The official `php` images have no `-slim` variant: the runtime stage keeps `{}`, the Debian image the extensions are compiled for.",
                cx.stage.base_text
            )),
            RuntimePreference::Auto | RuntimePreference::Alpine => {}
        }
        let distro = src.distro;
        let instructions: Vec<&Instruction> = cx.instructions().collect();
        let runs: Vec<RunPlan<'_>> = instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Run)
            .map(|i| read_run(cx, i, distro))
            .collect();
        let run_of = |i: &Instruction| runs.iter().find(|r| std::ptr::eq(r.instruction, i));
        let start = start_words(cx);
        let start_text = start.join(" ");
        let node_at_runtime = start
            .iter()
            .any(|w| NODE_TOOLS.contains(&w.rsplit('/').next().unwrap_or(w)));

        // Build steps: Composer, Node.js, the console. The builder keeps
        // everything up to the last of them.
        let last_build = runs.iter().rposition(|r| r.builds);
        let last_build_line = last_build
            .and_then(|p| runs.get(p))
            .map_or(0, |r| r.instruction.start_line);
        let has_builder = last_build.is_some();
        let in_builder = |i: &Instruction| has_builder && i.start_line <= last_build_line;
        let first_build = runs.iter().find(|r| r.builds);
        let app = match first_build {
            Some(r) => {
                let dir = build_dir(r.instruction).ok_or_else(|| {
                    refuse(format!(
                        "line {}: the build runs in a directory restage cannot tell (a `cd` to a variable), so it does not know which directory to copy into the runtime stage",
                        r.instruction.start_line
                    ))
                })?;
                let dir = dir.trim_end_matches('/').to_string();
                if dir.is_empty() {
                    return Err(refuse(format!(
                        "line {}: Composer (or the asset build) runs in `/`, the root of the image; restage copies the application directory into the runtime stage and will not copy the whole filesystem — set a WORKDIR for the application",
                        r.instruction.start_line
                    )));
                }
                Some(dir)
            }
            None => None,
        };
        let uses_node_for_build =
            runs.iter()
                .any(|r| r.has(Role::Node) || r.has(Role::NodeRepo))
                || runs.iter().any(|r| {
                    r.builds
                        && r.instruction.run.as_ref().is_some_and(|x| {
                            x.commands().any(|c| NODE_TOOLS.contains(&c.base_name()))
                        })
                });
        let drop_node = uses_node_for_build && !node_at_runtime;

        // Everything the runtime stage keeps must not need Composer, git
        // or Node.js, or they stay.
        let runtime_runs: Vec<&RunPlan<'_>> = runs.iter().filter(|r| !r.builds).collect();
        let composer_at_runtime = start_text.contains("composer")
            || runtime_runs.iter().any(|r| {
                r.instruction
                    .run
                    .as_ref()
                    .is_some_and(|x| x.commands().any(|c| composer_words(c).is_some()))
                    && !r.has(Role::ComposerSetup)
            });
        let helpers_at_runtime = runtime_runs.iter().any(|r| {
            r.instruction.run.as_ref().is_some_and(|x| {
                x.commands()
                    .any(|c| COMPOSER_HELPERS.contains(&c.base_name()))
            })
        }) || COMPOSER_HELPERS
            .iter()
            .any(|h| start.first().is_some_and(|w| w == h));
        let drop_helpers = has_builder && !composer_at_runtime && !helpers_at_runtime;

        // The package and extension RUNs rebuilt for the runtime stage: every
        // RUN that installs packages and leaves build-only ones or helpers
        // behind, and the extension builds after the first of them.
        let first_dirty = runs.iter().position(|r| r.packages && !r.self_cleaning);
        let rebuilt: Vec<&RunPlan<'_>> = match first_dirty {
            None => Vec::new(),
            Some(first) => runs
                .iter()
                .enumerate()
                .filter(|(n, r)| !r.self_cleaning && (r.packages || (*n > first && r.extensions)))
                .map(|(_, r)| r)
                .collect(),
        };
        for r in &rebuilt {
            let line = r.instruction.start_line;
            let Some(parts) = &r.parts else {
                return Err(refuse(format!(
                    "line {line} installs packages for PHP in a RUN restage cannot split into its commands (control flow, subshells, an exec-form or non-POSIX RUN); restage rebuilds that step so that its build dependencies are removed in the same layer"
                )));
            };
            if r.instruction.run.as_ref().is_some_and(|x| {
                x.mounts
                    .iter()
                    .any(|m| !matches!(m.kind, MountType::Cache | MountType::Tmpfs))
            }) {
                return Err(refuse(format!(
                    "line {line} mounts secrets or files into the package step; restage rebuilds that step and cannot carry the mounts over safely"
                )));
            }
            for (text, role) in parts {
                match role {
                    Role::Compile => {
                        return Err(refuse(format!(
                            "line {line} compiles from source (`{text}`); restage keeps extension builds in the runtime stage only through docker-php-ext-install, pecl or install-php-extensions, which clean up after themselves"
                        )));
                    }
                    Role::AptMark => {
                        return Err(refuse(format!(
                            "line {line} uses `apt-mark` to decide which packages stay; restage rebuilds that step with its own package lists and cannot combine the two"
                        )));
                    }
                    Role::Repo => {
                        return Err(refuse(format!(
                            "line {line} adds a package repository (`{text}`); restage cannot tell which packages come from it, so it cannot rebuild the package step for the runtime stage"
                        )));
                    }
                    Role::NodeRepo if !drop_node => {
                        return Err(refuse(format!(
                            "line {line} adds the Node.js repository and the container runs Node.js; restage cannot rebuild that package step"
                        )));
                    }
                    _ => {}
                }
            }
        }
        // A RUN kept in the runtime stage must not compile.
        for r in &runs {
            if rebuilt
                .iter()
                .any(|x| std::ptr::eq(x.instruction, r.instruction))
                || r.builds
            {
                continue;
            }
            let compiles = r.instruction.run.as_ref().is_some_and(|x| {
                x.commands()
                    .any(|c| COMPILERS.contains(&c.base_name()) || c.name.ends_with("/configure"))
            });
            if compiles {
                return Err(refuse(format!(
                    "line {} compiles from source in the image (`make`/`phpize`); restage keeps extension builds in the runtime stage only through docker-php-ext-install, pecl or install-php-extensions",
                    r.instruction.start_line
                )));
            }
        }

        let packages = sort_packages(
            cx,
            &rebuilt,
            distro,
            src.old_release,
            drop_helpers,
            drop_node,
        )?;
        let recommends = rebuilt.iter().any(|r| {
            r.instruction.run.as_ref().is_some_and(|x| {
                x.commands().any(|c| {
                    recognise(c).is_some_and(|inv| {
                        matches!(inv.tool, Tool::AptGet | Tool::Apt)
                            && inv.subcommand() == Some("install")
                            && !inv.has_flag(&["no-install-recommends"])
                    })
                })
            })
        });
        // The parts of the rebuilt RUNs that run again in the runtime stage.
        let mut parts: Vec<String> = Vec::new();
        let mut pecl = false;
        for r in &rebuilt {
            let Some(rparts) = &r.parts else { continue };
            let covered = in_builder(r.instruction);
            for (text, role) in rparts {
                let keep_part = match role {
                    Role::Extension => true,
                    Role::Other => {
                        !(covered
                            && app.as_deref().is_some_and(|a| {
                                app_local(text, a, r.instruction.context.workdir.as_deref())
                            }))
                    }
                    Role::ComposerSetup => composer_at_runtime,
                    Role::Node | Role::NodeRepo => !drop_node && !r.builds,
                    Role::Packages
                    | Role::Cleanup
                    | Role::Noop
                    | Role::Composer
                    | Role::Console
                    | Role::Repo
                    | Role::AptMark
                    | Role::Compile => false,
                };
                if keep_part {
                    if text.contains("pecl") {
                        pecl = true;
                    }
                    parts.push(text.clone());
                }
            }
        }
        let upgrade: Vec<String> = rebuilt
            .iter()
            .filter_map(|r| r.parts.as_ref())
            .flatten()
            .filter(|(t, role)| {
                *role == Role::Packages && (t.contains(" upgrade") || t.contains(" dist-upgrade"))
            })
            .map(|(t, _)| t.clone())
            .collect();
        if !upgrade.is_empty() {
            plan.assumptions.push(format!(
                "The runtime stage no longer upgrades the image's packages (`{}`); rebuild on a newer `php` image instead (DL3005)",
                upgrade.join("`, `")
            ));
        }
        let ext_parts = parts.iter().any(|p| role_of(p) == Role::Extension);
        let rebuilt_text = if rebuilt.is_empty() {
            None
        } else if packages.runtime.is_empty() && packages.build.is_empty() && parts.is_empty() {
            Some(None)
        } else {
            Some(Some(rebuilt_run(
                &Packages {
                    runtime: packages.runtime.clone(),
                    mapped: packages.mapped.clone(),
                    build: if ext_parts {
                        packages.build.clone()
                    } else {
                        Vec::new()
                    },
                    dropped: Vec::new(),
                },
                &parts,
                distro,
                pecl,
                recommends,
                cx.escape(),
            )))
        };
        let rebuilt_at = rebuilt.last().map(|r| r.instruction.node);

        // Context copies into the application directory before the last
        // build step: the runtime stage takes the directory from the builder.
        let app_copies: Vec<&Instruction> = match &app {
            Some(a) => instructions
                .iter()
                .copied()
                .filter(|i| {
                    is_context_copy(i)
                        && in_builder(i)
                        && copy_dest(i).is_some_and(|d| covers(a, &d))
                })
                .collect(),
            None => Vec::new(),
        };
        let first_app_copy_line = app_copies.first().map(|i| i.start_line);
        // RUNs of the builder that the runtime stage would repeat on the
        // copied application directory: only idempotent ones may run twice.
        for r in &runs {
            let i = r.instruction;
            if r.builds
                || rebuilt.iter().any(|x| std::ptr::eq(x.instruction, i))
                || !in_builder(i)
                || first_app_copy_line.is_none_or(|l| i.start_line < l)
            {
                continue;
            }
            let Some(a) = &app else { continue };
            if let Some(parts) = &r.parts {
                let moves = parts.iter().any(|(t, _)| {
                    let s = Script::parse(t, ScriptKind::Shell);
                    s.commands.iter().any(|c| {
                        (c.is("mv") || (c.is("sed") && c.has_flag(&["i", "in-place"])))
                            && c.args
                                .iter()
                                .filter(|x| !x.starts_with('-'))
                                .any(|x| covers(a, &join_workdir(i.context.workdir.as_deref(), x)))
                    }) || t.contains(">>")
                });
                if moves
                    && !parts
                        .iter()
                        .all(|(t, _)| app_local(t, a, i.context.workdir.as_deref()))
                {
                    return Err(refuse(format!(
                        "line {} changes files in the application directory and outside it; it would run in the builder and again in the runtime stage on the copied directory, where moving or editing the files a second time fails or differs",
                        i.start_line
                    )));
                }
            }
        }

        // A console command (queue worker, scheduler) that ran as root now
        // runs as www-data: the directories the framework writes to must be
        // its own.
        let srv = server(cx, &src);
        let will_add_user =
            cx.options.user.is_none() && cx.final_user().filter(|u| !is_root(u)).is_none();
        let already_owned = runs.iter().any(|r| {
            r.instruction.run.as_ref().is_some_and(|x| {
                x.commands()
                    .any(|c| c.is("chown") && c.args.iter().any(|a| a.contains(WWW_DATA)))
            })
        });
        let cli_writable = srv == Server::Cli
            && (will_add_user || cx.options.user.is_some())
            && !already_owned
            && !writable_dirs(cx).is_empty();
        // Who owns them: www-data, the uid asked for, a user every image
        // of the family has (`nobody`), or the uid restage gives a user it
        // creates (the builder does not have that name).
        let owner = match cx.options.user.as_deref() {
            None | Some(WWW_DATA) => format!("{WWW_DATA}:{WWW_DATA}"),
            Some(u) if u.chars().all(|c| c.is_ascii_digit() || c == ':') => u.to_string(),
            Some(u) => {
                let name = u.split(':').next().unwrap_or(u);
                if ImageUsers::Shell(distro).has_user(name) {
                    name.to_string()
                } else {
                    crate::convert::user::DEFAULT_UID.to_string()
                }
            }
        };

        // The builder: the source stage up to its last build step.
        let production = runs_development(cx);
        let mut builder: Vec<Item> = Vec::new();
        let mut added_no_dev = false;
        let mut kept_dev = false;
        let mut cache_env_added = false;
        let cache_dir = cx
            .stage
            .env
            .iter()
            .rev()
            .find(|(k, _)| k == "COMPOSER_CACHE_DIR")
            .map(|(_, v)| v.clone())
            .or_else(|| {
                cx.stage
                    .env
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "COMPOSER_HOME")
                    .map(|(_, v)| format!("{}/cache", v.trim_end_matches('/')))
            });
        if has_builder {
            for i in &instructions {
                if !in_builder(i) {
                    break;
                }
                match i.keyword {
                    Keyword::Run => {}
                    k if super::common::is_runtime_behaviour(k)
                        && !matches!(k, Keyword::Env | Keyword::Shell) =>
                    {
                        continue;
                    }
                    _ => {
                        builder.push(keep_quiet(i));
                        continue;
                    }
                }
                let Some(r) = run_of(i) else { continue };
                let text = node_text(cx, i);
                let mut new_text = text.clone();
                let mut why: Vec<String> = Vec::new();
                let heredoc = cx.node(i).is_some_and(|n| !n.heredocs.is_empty());
                let installs = i.run.as_ref().is_some_and(|x| {
                    x.commands().any(|c| {
                        composer_words(c).is_some_and(|a| {
                            a.iter()
                                .find(|w| !w.starts_with('-'))
                                .is_some_and(|s| matches!(*s, "install" | "i"))
                        })
                    })
                });
                if installs && !heredoc {
                    let mut flags: Vec<&str> = Vec::new();
                    let has = |names: &[&str]| {
                        i.run.as_ref().is_some_and(|x| {
                            x.commands().any(|c| {
                                composer_words(c).is_some()
                                    && (c.has_flag(names)
                                        || c.args
                                            .iter()
                                            .any(|a| names.iter().any(|n| a == &format!("--{n}"))))
                            })
                        })
                    };
                    if production.is_some() && !has(&["no-dev"]) {
                        kept_dev = true;
                    }
                    if production.is_none() && !has(&["no-dev"]) && !has(&["dev"]) {
                        flags.push("--no-dev");
                        why.push("`--no-dev` leaves the development packages (PHPUnit, debug bars, fakers) out of the production image".into());
                    }
                    if !has(&[
                        "o",
                        "optimize-autoloader",
                        "a",
                        "classmap-authoritative",
                        "no-autoloader",
                    ]) {
                        flags.push("--optimize-autoloader");
                        why.push("`--optimize-autoloader` writes a class map, so the autoloader does not search the filesystem on every request".into());
                    }
                    if !has(&["n", "no-interaction"]) {
                        flags.push("--no-interaction");
                        why.push("`--no-interaction` makes a build that needs an answer fail instead of hang".into());
                    }
                    if let Some(t) = composer_flags(&new_text, &flags) {
                        new_text = t;
                        added_no_dev |= flags.contains(&"--no-dev");
                    }
                }
                let heredoc_or_exec = heredoc || i.run.as_ref().is_some_and(|x| x.exec_form);
                if cx.options.cache_mounts && !heredoc_or_exec {
                    let mut tools: Vec<Tool> = Vec::new();
                    if installs {
                        let target = cache_dir.clone().unwrap_or_else(|| "/tmp/cache".into());
                        if cache_dir.is_none() && !cache_env_added {
                            cache_env_added = true;
                            builder.push(add(
                                "ENV COMPOSER_CACHE_DIR=/tmp/cache",
                                ChangeKind::CacheMount,
                                "Composer's cache is at `/tmp/cache`",
                                "the cache mount below keeps downloaded packages between builds (the `composer` image uses the same directory)",
                                vec![i.start_line],
                            ));
                        }
                        if !target.contains('$') && !new_text.contains(&format!("target={target}"))
                        {
                            new_text = new_text.replacen(
                                "RUN ",
                                &format!("RUN --mount=type=cache,target={target} "),
                                1,
                            );
                            why.push("a BuildKit cache mount keeps Composer's downloads between builds and out of the layer".into());
                        }
                    }
                    for t in classify_run(i).dependencies {
                        if matches!(t, Tool::Npm | Tool::Yarn | Tool::Pnpm) && !tools.contains(&t) {
                            tools.push(t);
                        }
                    }
                    let with = crate::convert::cache::with_cache_mounts(&new_text, &tools);
                    if with != new_text {
                        new_text = with;
                        why.push("a BuildKit cache mount keeps the Node.js package downloads between builds".into());
                    }
                    if new_text != text {
                        plan.needs_syntax = true;
                    }
                }
                if new_text != text {
                    builder.push(Item::Rewrite {
                        node: i.node,
                        text: new_text,
                        change: ChangeSpec::new(
                            ChangeKind::Rewrite,
                            "Composer installs the production dependencies in the builder stage",
                            why.join("; "),
                            vec![i.start_line],
                        ),
                    });
                } else if r.builds {
                    builder.push(keep(
                        i,
                        ChangeKind::Move,
                        "Runs in the builder stage",
                        "its results are in the application directory the runtime stage copies",
                    ));
                } else {
                    builder.push(keep_quiet(i));
                }
            }
            if cli_writable && let Some(a) = &app {
                let dirs: Vec<String> = writable_dirs(cx)
                    .iter()
                    .map(|d| format!("{a}/{d}"))
                    .collect();
                if !dirs.is_empty() {
                    let list = dirs.join(" ");
                    builder.push(add(
                        format!(
                            "RUN mkdir -p {list} {esc}\n    && chown -R {owner} {list}",
                            esc = cx.escape()
                        ),
                        ChangeKind::User,
                        format!("`{}` belongs to `{owner}`", dirs.join("`, `")),
                        "the container now runs the console as a non-root user instead of root, and the framework writes its logs and caches there; the ownership carries over with the copy (COPY --from keeps it), and the code itself stays read-only",
                        Vec::new(),
                    ));
                }
            }
            if drop_node
                && let Some(a) = &app
                && runs.iter().any(|r| {
                    r.builds
                        && r.instruction.run.as_ref().is_some_and(|x| {
                            x.commands().any(|c| NODE_TOOLS.contains(&c.base_name()))
                        })
                })
            {
                builder.push(add(
                    format!("RUN rm -rf {a}/node_modules"),
                    ChangeKind::Add,
                    "`node_modules` is removed after the assets are built",
                    "the built assets are in the application directory; the JavaScript packages are only needed to build them",
                    Vec::new(),
                ));
            }
        }
        if kept_dev {
            plan.assumptions.push(format!(
                "Composer still installs the development packages: {}, which may need them.",
                production.clone().unwrap_or_default()
            ));
        } else if added_no_dev {
            plan.assumptions.push("Composer installs without `require-dev` packages; if the application loads one at run time (a service provider registered by hand, a debug tool), move it to `require`.".into());
        }

        // The runtime stage: the same php image.
        let mut runtime: Vec<Item> = Vec::new();
        let mut notes: Vec<ChangeSpec> = Vec::new();
        let mut app_copied = false;
        let app_chown = app_copies
            .iter()
            .find_map(|i| copy_chown(i))
            .map(str::to_string);
        let rebuilt_lines: Vec<usize> = rebuilt.iter().map(|r| r.instruction.start_line).collect();
        for i in &instructions {
            match i.keyword {
                Keyword::Run => {
                    let Some(r) = run_of(i) else { continue };
                    if rebuilt.iter().any(|x| std::ptr::eq(x.instruction, *i)) {
                        if Some(i.node) != rebuilt_at {
                            notes.push(ChangeSpec::new(
                                ChangeKind::Move,
                                "Merged into the rebuilt package and extension step of the runtime stage",
                                "build dependencies must be installed and removed in the same RUN to stay out of the image",
                                vec![i.start_line],
                            ));
                            continue;
                        }
                        match &rebuilt_text {
                            Some(Some(text)) => {
                                let mut reason = String::from(
                                    "extensions are compiled against the PHP of the image that runs them, so they are built here; their headers and compilers are installed and removed in the same RUN, so they never reach a layer",
                                );
                                if !packages.mapped.is_empty() {
                                    reason.push_str(&format!(
                                        "; the runtime libraries stay ({})",
                                        packages.mapped.join(", ")
                                    ));
                                }
                                if !packages.dropped.is_empty() {
                                    let names: Vec<String> = packages
                                        .dropped
                                        .iter()
                                        .map(|(n, why)| format!("{n} (only {why} needs it)"))
                                        .collect();
                                    reason.push_str(&format!("; left out: {}", names.join(", ")));
                                }
                                runtime.push(Item::Rewrite {
                                    node: i.node,
                                    text: text.clone(),
                                    change: ChangeSpec::new(
                                        if packages.mapped.is_empty() {
                                            ChangeKind::Rewrite
                                        } else {
                                            ChangeKind::RuntimeLibrary
                                        },
                                        "PHP extensions are built with their build dependencies removed in the same step",
                                        reason,
                                        rebuilt_lines.clone(),
                                    ),
                                });
                            }
                            _ => notes.push(ChangeSpec::new(
                                ChangeKind::Drop,
                                "System packages are not installed in the runtime stage",
                                "they were only needed by Composer or the asset build",
                                rebuilt_lines.clone(),
                            )),
                        }
                        continue;
                    }
                    if r.builds {
                        // Its results come with the application directory;
                        // what it does outside that directory must not be lost.
                        if let (Some(parts), Some(a)) = (&r.parts, &app) {
                            let lost: Vec<&str> = parts
                                .iter()
                                .filter(|(t, role)| {
                                    matches!(role, Role::Other | Role::Extension | Role::Packages)
                                        && !app_local(t, a, i.context.workdir.as_deref())
                                })
                                .map(|(t, _)| t.as_str())
                                .collect();
                            if !lost.is_empty() {
                                return Err(refuse(format!(
                                    "line {} also runs `{}` with the build; that changes files outside the application directory `{a}`, which the runtime stage would not get from the builder (split it into its own RUN)",
                                    i.start_line,
                                    lost.join("`, `")
                                )));
                            }
                        } else if r.parts.is_none() {
                            let other = i.run.as_ref().is_some_and(|x| {
                                x.commands().any(|c| {
                                    composer_words(c).is_none()
                                        && !NODE_TOOLS.contains(&c.base_name())
                                        && !is_console(c)
                                        && !matches!(
                                            c.base_name(),
                                            "cd" | "set"
                                                | "true"
                                                | "rm"
                                                | "mkdir"
                                                | "chown"
                                                | "chmod"
                                                | "echo"
                                                | "test"
                                                | "["
                                        )
                                })
                            });
                            if other {
                                return Err(refuse(format!(
                                    "line {} mixes the build with shell control flow restage cannot split between the builder and the runtime stage",
                                    i.start_line
                                )));
                            }
                        }
                        notes.push(ChangeSpec::new(
                            ChangeKind::Move,
                            "Runs in the builder stage only",
                            "its results are in the application directory copied from the builder",
                            vec![i.start_line],
                        ));
                        continue;
                    }
                    if !composer_at_runtime
                        && r.has(Role::ComposerSetup)
                        && r.parts.as_ref().is_some_and(|p| {
                            p.iter().all(|(_, role)| {
                                matches!(role, Role::ComposerSetup | Role::Noop | Role::Cleanup)
                            })
                        })
                    {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Composer stays in the builder stage",
                            "the runtime stage gets the installed `vendor/` directory and does not run Composer",
                            vec![i.start_line],
                        ));
                        continue;
                    }
                    // Builder RUNs after the application was copied that only
                    // touch the application directory: their effect is copied.
                    if let (Some(a), Some(first)) = (&app, first_app_copy_line)
                        && in_builder(i)
                        && i.start_line > first
                        && r.parts.as_ref().is_some_and(|p| {
                            p.iter()
                                .all(|(t, _)| app_local(t, a, i.context.workdir.as_deref()))
                        })
                    {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Move,
                            "Runs in the builder stage only",
                            "it only changes the application directory, which is copied from the builder with its result",
                            vec![i.start_line],
                        ));
                        continue;
                    }
                    runtime.push(keep_quiet(i));
                }
                Keyword::Copy | Keyword::Add if is_context_copy(i) => {
                    if app_copies.iter().any(|j| std::ptr::eq(*j, *i)) {
                        if app_copied {
                            notes.push(ChangeSpec::new(
                                ChangeKind::Drop,
                                "Already in the application directory copied from the builder",
                                "the builder copied these files before building",
                                vec![i.start_line],
                            ));
                            continue;
                        }
                        app_copied = true;
                        let a = app.clone().unwrap_or_default();
                        let chown = app_chown
                            .as_deref()
                            .map(|c| format!("--chown={c} "))
                            .unwrap_or_default();
                        let lines: Vec<usize> = app_copies.iter().map(|j| j.start_line).collect();
                        runtime.push(add(
                            format!("COPY --from=builder {chown}{a} {a}"),
                            ChangeKind::CopyArtifact,
                            format!("The application directory `{a}` is copied from the builder"),
                            "it holds the code with `vendor/` installed by Composer (and any built assets and caches)",
                            lines,
                        ));
                    } else {
                        runtime.push(keep_quiet(i));
                    }
                }
                Keyword::Copy if copies_composer(cx, i) && !composer_at_runtime => {
                    notes.push(ChangeSpec::new(
                        ChangeKind::Drop,
                        "Composer stays in the builder stage",
                        "the runtime stage gets the installed `vendor/` directory and does not run Composer",
                        vec![i.start_line],
                    ));
                }
                Keyword::Copy if copies_node(i) && drop_node => {
                    notes.push(ChangeSpec::new(
                        ChangeKind::Drop,
                        "Node.js stays in the builder stage",
                        "it is only needed to build the assets",
                        vec![i.start_line],
                    ));
                }
                Keyword::Onbuild => {}
                _ => runtime.push(keep_quiet(i)),
            }
        }
        if app.is_some() && !app_copied {
            let a = app.clone().unwrap_or_default();
            // Nothing was copied from the context into the directory before
            // the build: the build created it (`composer create-project`).
            let at = runtime
                .iter()
                .rposition(|item| is_run_or_copy(cx, item))
                .map_or(runtime.len(), |p| p + 1);
            runtime.insert(
                at,
                add(
                    format!("COPY --from=builder {a} {a}"),
                    ChangeKind::CopyArtifact,
                    format!("The application directory `{a}` is copied from the builder"),
                    "the build created it there",
                    vec![last_build_line],
                ),
            );
        }

        // The user: www-data, which the official images have.
        let source_user = cx.final_user().filter(|u| !is_root(u));
        let mut created_user = false;
        // Apache of the official php images runs as www-data (they give it
        // its run and log directories); other programs that must start as
        // root keep root.
        let keeps_root = super::root_start::keeps_root(cx)
            .is_some_and(|r| r.kind != super::root_start::RootKind::Apache);
        if (source_user.is_none() || cx.options.user.is_some()) && !keeps_root {
            let up = plan_user(cx.options, Some(WWW_DATA), ImageUsers::Shell(distro));
            let lines: Vec<usize> = cx
                .with_keyword(Keyword::User)
                .map(|i| i.start_line)
                .collect();
            let at = user_position(cx, &runtime);
            let mut items = Vec::new();
            let summary = up.create_summary();
            if let Some(create) = up.create {
                items.push(add(
                    create,
                    ChangeKind::User,
                    summary,
                    up.reason.clone(),
                    lines.clone(),
                ));
            }
            let reason = if up.user == WWW_DATA && cx.options.user.is_none() {
                match srv {
                    Server::Apache | Server::Fpm => "the official php images already run the PHP workers as www-data (uid 33 on Debian, 82 on Alpine) and give it the server's run and log directories; now the master process does not run as root either".to_string(),
                    Server::Cli => "a container should not run as root; the official php images have the user www-data (uid 33 on Debian, 82 on Alpine)".to_string(),
                }
            } else {
                up.reason.clone()
            };
            items.push(add(
                format!("USER {}", up.user),
                ChangeKind::User,
                runs_as(&up.user),
                reason,
                lines,
            ));
            created_user = true;
            for (n, item) in items.into_iter().enumerate() {
                runtime.insert((at + n).min(runtime.len()), item);
            }
            if srv == Server::Apache && cx.options.user.is_none() {
                plan.ports_checked = true;
                plan.warnings.push("Apache now starts as www-data and still listens on port 80: Docker lets unprivileged processes bind ports below 1024 inside a container (since Docker 20.10), but other runtimes (Kubernetes without net.ipv4.ip_unprivileged_port_start=0) do not — there, make Apache listen on 8080 (ports.conf and the virtual host)".into());
            }
        }
        if created_user && srv == Server::Cli && cx.options.user.is_none() && !cli_writable {
            plan.warnings.push(format!(
                "`{}` ran as root before and now runs as www-data: directories it writes to (Laravel's storage/ and bootstrap/cache, Symfony's var/, uploads) must be owned by www-data",
                if start_text.is_empty() { "the container".to_string() } else { start_text.clone() }
            ));
            plan.confidence = Confidence::Medium;
        }
        if !packages.dropped.is_empty() {
            let names: Vec<&str> = packages.dropped.iter().map(|(n, _)| n.as_str()).collect();
            plan.assumptions.push(format!(
                "Left out of the runtime stage: {} (needed only to build); if the application shells out to them at run time, add them back",
                names.join(", ")
            ));
        }
        if src.raw.tag.as_deref().is_none_or(|t| t == "latest") {
            plan.assumptions.push("The base image has no version tag; pin the PHP version so that the builder and the runtime stage always get the same PHP.".into());
        }
        plan.notes = notes;
        if has_builder {
            plan.stages.push(StagePlan {
                name: "builder".into(),
                from: StageFrom::Source,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::RenameStage,
                    "The original stage becomes the builder",
                    "Composer runs with the same PHP version and the same extensions as the runtime, so its platform check and scripts behave as before; git, unzip, Node.js and Composer stay here",
                    vec![cx.stage.line],
                )),
                items: builder,
            });
        }
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Source,
            from_change: Some(ChangeSpec::new(
                ChangeKind::AddStage,
                format!("The runtime stage starts from `{}` again", cx.stage.base_text),
                "PHP extensions must match the PHP that loads them, so the runtime keeps the same official image; it gets the application from the builder and no build tools",
                vec![cx.stage.line],
            )),
            items: runtime,
        });
        Ok(plan)
    }
}

/// Where the added `USER` goes: after the last `RUN`/`COPY`/`ADD` (they
/// may need root) and the `WORKDIR`, `ENV`, `ARG` and `LABEL` lines that
/// follow it, before what describes how the container runs.
fn user_position(cx: &ConvertContext<'_>, items: &[Item]) -> usize {
    let mut at = items
        .iter()
        .rposition(|item| is_run_or_copy(cx, item))
        .map_or(0, |p| p + 1);
    while let Some(Item::Keep { node, .. } | Item::Rewrite { node, .. }) = items.get(at) {
        let setup = cx.doc.nodes.get(*node).is_some_and(|n| {
            matches!(
                n.kind,
                Keyword::Workdir | Keyword::Env | Keyword::Arg | Keyword::Label
            )
        });
        if !setup {
            break;
        }
        at += 1;
    }
    at.min(items.len())
}

/// Whether a planned item is a `RUN`, `COPY`, `ADD` or `USER` (steps that
/// must come before the `USER` the conversion adds).
fn is_run_or_copy(cx: &ConvertContext<'_>, item: &Item) -> bool {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => cx
            .doc
            .nodes
            .get(*node)
            .is_some_and(|n| matches!(n.kind, Keyword::Run | Keyword::Copy | Keyword::Add)),
        Item::Add { text, .. } => {
            let t = text.trim_start().to_ascii_uppercase();
            t.starts_with("RUN") || t.starts_with("COPY") || t.starts_with("ADD")
        }
        Item::Comment(_) | Item::Blank => false,
    }
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
    fn segments_split_at_the_top_level_only() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("a && b; c", Some(&["a", "b", "c"])),
            (
                "docker-php-ext-install -j\"$(nproc)\" gd && echo 'a && b' > /x.ini",
                Some(&[
                    "docker-php-ext-install -j\"$(nproc)\" gd",
                    "echo 'a && b' > /x.ini",
                ]),
            ),
            ("x 2>&1 && y || true", Some(&["x 2>&1", "y || true"])),
            (
                "ldd \"$(php -r 'echo ini_get(\"extension_dir\");')\"/*.so | sort",
                Some(&["ldd \"$(php -r 'echo ini_get(\"extension_dir\");')\"/*.so | sort"]),
            ),
            ("if [ -f x ]; then y; fi", None),
            ("a & b", None),
            ("(cd x && make)", None),
            ("echo 'unbalanced", None),
        ];
        for (text, want) in cases {
            let got = segments(text);
            let want: Option<Vec<String>> =
                want.map(|w| w.iter().map(|s| (*s).to_string()).collect());
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn roles() {
        let cases: &[(&str, Role)] = &[
            ("apt-get install -y libzip-dev", Role::Packages),
            ("rm -rf /var/lib/apt/lists/*", Role::Cleanup),
            ("docker-php-ext-install -j$(nproc) zip", Role::Extension),
            ("yes '' | pecl install imagick", Role::Extension),
            (
                "curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer",
                Role::ComposerSetup,
            ),
            ("composer install --no-scripts", Role::Composer),
            ("php composer.phar install", Role::Composer),
            ("npm ci", Role::Node),
            ("php artisan config:cache", Role::Console),
            ("a2enmod rewrite", Role::Other),
            ("cd /tmp/ext && phpize && ./configure", Role::Compile),
            ("set -eux", Role::Noop),
        ];
        for (text, want) in cases {
            assert_eq!(role_of(text), *want, "{text}");
        }
    }

    #[test]
    fn detection_picks_php() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "FROM php:8.3-fpm\nRUN apt-get update && apt-get install -y libzip-dev && docker-php-ext-install zip\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www/html\nCOPY . .\nRUN composer install\nCMD [\"php-fpm\"]\n",
                Some("php-composer"),
            ),
            // A PHP image that builds assets with npm is still PHP.
            (
                "FROM php:8.3-apache\nRUN apt-get update && apt-get install -y nodejs npm libpng-dev && docker-php-ext-install gd\nWORKDIR /var/www/html\nCOPY . .\nRUN npm ci && npm run build\n",
                Some("php-composer"),
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
    fn planning_decisions() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            // Laravel on php-fpm: composer in the builder, extensions rebuilt.
            (
                "FROM php:8.3-fpm-bookworm\nRUN apt-get update && apt-get install -y git unzip libzip-dev libicu-dev \\\n    && docker-php-ext-install zip intl pdo_mysql\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www/html\nCOPY . .\nRUN composer install\nCMD [\"php-fpm\"]\n",
                &[
                    "FROM php:8.3-fpm-bookworm AS builder",
                    "composer install --no-dev --optimize-autoloader --no-interaction",
                    "FROM php:8.3-fpm-bookworm AS runtime",
                    "apt-get install -y libzip4 libicu72",
                    "apt-get install -y --no-install-recommends libzip-dev libicu-dev",
                    "docker-php-ext-install zip intl pdo_mysql",
                    "apt-get purge -y --auto-remove libzip-dev libicu-dev",
                    "COPY --from=builder /var/www/html /var/www/html",
                    "USER www-data",
                ],
                &[
                    "git unzip libzip4",
                    "COPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www/html\nCOPY --from=builder",
                ],
            ),
            // A development server keeps the development packages.
            (
                "FROM php:8.3-cli\nRUN apt-get update && apt-get install -y libzip-dev && docker-php-ext-install zip\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"artisan\", \"serve\", \"--host=0.0.0.0\"]\n",
                &[
                    "RUN composer install --optimize-autoloader --no-interaction",
                    "chown -R www-data:www-data /app/storage /app/bootstrap/cache",
                ],
                &["--no-dev"],
            ),
            // Alpine: a virtual group for the headers, runtime libraries kept.
            (
                "FROM php:8.2-fpm-alpine\nRUN apk add --no-cache $PHPIZE_DEPS libpng-dev && docker-php-ext-install gd && pecl install redis && docker-php-ext-enable redis\nCOPY . /var/www/html\n",
                &[
                    "apk add --no-cache libpng",
                    "apk add --no-cache --virtual .build-deps $PHPIZE_DEPS libpng-dev",
                    "apk del --no-network .build-deps",
                    "rm -rf /tmp/pear",
                ],
                &["AS builder"],
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
                "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y php8.1-cli php8.1-dev git\nCOPY . /app\nWORKDIR /app\nRUN composer install\n",
                "distribution's packages",
            ),
            (
                "FROM php:8.3-cli\nRUN apt-get update && apt-get install -y libfoo-dev && docker-php-ext-install zip\nCMD [\"php\", \"app.php\"]\n",
                "no runtime library",
            ),
            (
                "FROM php:8.3-cli\nRUN apt-get update && apt-get install -y libzip-dev && if true; then docker-php-ext-install zip; fi\n",
                "cannot split",
            ),
            (
                "FROM php:8.3-cli\nRUN apt-get update && apt-get install -y libzip-dev\nRUN cd /tmp/x && phpize && ./configure && make && make install\n",
                "compiles from source",
            ),
        ];
        for (input, want) in cases {
            let r = convert(input).err().unwrap_or_default();
            assert!(r.contains(want), "{input}: {r}");
        }
    }
}
