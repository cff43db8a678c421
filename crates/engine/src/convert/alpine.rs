//! Moving a Debian-based build to Alpine: Alpine names for Debian
//! packages, the `apk` install that replaces an `apt-get` install, and the
//! Debian commands BusyBox does not have.
//!
//! Alpine links musl, not glibc, so nothing built on Debian runs there
//! reliably: a strategy that offers an Alpine runtime for a Debian source
//! builds on Alpine too, with these names, or refuses and says why.

use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::dockerfile::instructions::CommandKind;
use std::sync::LazyLock;

use crate::knowledge::packages::{Distro, Library, library_for, package_name};
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction};

/// The rows of the runtime-library table, for lookups by runtime name.
#[derive(Debug, Default, serde::Deserialize)]
struct Libraries {
    library: Vec<Library>,
}

/// The table of `data/runtime-libraries.toml` (empty if it does not parse:
/// `knowledge::packages` tests that it does).
static LIBRARIES: LazyLock<Vec<Library>> = LazyLock::new(|| {
    toml::from_str::<Libraries>(&crate::data::RUNTIME_LIBRARIES)
        .map(|t| t.library)
        .unwrap_or_default()
});

/// Debian packages that are not `-dev` libraries of the runtime-library
/// table, with their Alpine 3.20 names (a build tool can need two).
const NAMES: &[(&str, &[&str])] = &[
    ("build-essential", &["build-base"]),
    ("gcc", &["gcc", "musl-dev"]),
    ("g++", &["g++", "musl-dev"]),
    ("cpp", &["gcc"]),
    ("libc6-dev", &["musl-dev"]),
    ("libc-dev", &["musl-dev"]),
    ("linux-libc-dev", &["linux-headers"]),
    ("make", &["make"]),
    ("cmake", &["cmake"]),
    ("ninja-build", &["samurai"]),
    ("autoconf", &["autoconf"]),
    ("automake", &["automake"]),
    ("libtool", &["libtool"]),
    ("pkg-config", &["pkgconf"]),
    ("pkgconf", &["pkgconf"]),
    ("bison", &["bison"]),
    ("flex", &["flex"]),
    ("patch", &["patch"]),
    ("python3-dev", &["python3-dev"]),
    ("git", &["git"]),
    ("curl", &["curl"]),
    ("wget", &["wget"]),
    ("ca-certificates", &["ca-certificates"]),
    ("tzdata", &["tzdata"]),
    ("gettext", &["gettext"]),
    ("bash", &["bash"]),
    ("openssl", &["openssl"]),
    ("unzip", &["unzip"]),
    ("zip", &["zip"]),
    ("xz-utils", &["xz"]),
    ("bzip2", &["bzip2"]),
    ("gnupg", &["gnupg"]),
    ("file", &["file"]),
    ("jq", &["jq"]),
    ("rsync", &["rsync"]),
    ("tini", &["tini"]),
    ("dumb-init", &["dumb-init"]),
    ("ffmpeg", &["ffmpeg"]),
    ("imagemagick", &["imagemagick"]),
    ("fontconfig", &["fontconfig"]),
    ("postgresql-client", &["postgresql-client"]),
    ("default-mysql-client", &["mysql-client"]),
    ("mariadb-client", &["mariadb-client"]),
    ("sqlite3", &["sqlite"]),
    ("netcat-openbsd", &["netcat-openbsd"]),
    ("procps", &["procps"]),
    ("libmagic1", &["libmagic"]),
    ("libgdk-pixbuf-2.0-0", &["gdk-pixbuf"]),
    ("liblcms2-2", &["lcms2"]),
    ("libopenjp2-7", &["openjpeg"]),
    ("libtiff6", &["tiff"]),
];

/// Alpine names for a Debian package, when restage knows them: `-dev`
/// packages and runtime libraries from the runtime-library table, build
/// tools and common programs from [`NAMES`]. A version pin cannot carry
/// over and is dropped.
pub fn package(debian: &str) -> Option<Vec<String>> {
    let name = package_name(debian);
    if let Some((_, alpine)) = NAMES.iter().find(|(d, _)| *d == name) {
        return Some(alpine.iter().map(|p| (*p).to_string()).collect());
    }
    if let Some(lib) = library_for(name, Distro::Bookworm) {
        let dev = if lib.alpine.iter().any(|p| p == name) {
            name.to_string()
        } else {
            lib.alpine.first()?.clone()
        };
        return Some(vec![dev]);
    }
    runtime_library(name)
}

/// The Alpine runtime packages of a Debian runtime library (`libpq5` →
/// `libpq`), from the runtime-library table.
fn runtime_library(debian: &str) -> Option<Vec<String>> {
    LIBRARIES
        .iter()
        .find(|l| l.runtime.iter().chain(&l.trixie).any(|p| p == debian))
        .map(|l| l.alpine_runtime.clone())
}

/// Why a Debian `RUN` cannot become an Alpine one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Untranslatable {
    /// The `RUN` does more than install packages with apt.
    #[error("line {line} runs `{command}` besides installing packages")]
    OtherCommand {
        /// The line of the `RUN`.
        line: usize,
        /// The command restage does not translate.
        command: String,
    },
    /// A package has no Alpine name restage knows.
    #[error("line {line} installs `{package}`, which has no Alpine package restage knows")]
    UnknownPackage {
        /// The line of the `RUN`.
        line: usize,
        /// The Debian package.
        package: String,
    },
    /// The `RUN` is in a form restage does not rewrite.
    #[error("line {line} is an exec-form, heredoc or --mount RUN, which restage does not rewrite")]
    Form {
        /// The line of the `RUN`.
        line: usize,
    },
}

/// The `RUN apk add --no-cache ...` that replaces a `RUN` installing Debian
/// packages, when that `RUN` does nothing else (`apt-get update`,
/// `install`, `clean` and removing the apt lists).
pub fn install(cx: &ConvertContext<'_>, i: &Instruction) -> Result<String, Untranslatable> {
    let line = i.start_line;
    let Some(run) = &i.run else {
        return Err(Untranslatable::Form { line });
    };
    let heredoc = cx.node(i).is_some_and(|n| !n.heredocs.is_empty());
    if run.exec_form || heredoc || !run.mounts.is_empty() {
        return Err(Untranslatable::Form { line });
    }
    let mut packages: Vec<String> = Vec::new();
    for c in run.commands() {
        match recognise(c).filter(|inv| matches!(inv.tool, Tool::AptGet | Tool::Apt)) {
            Some(inv) if inv.subcommand() == Some("install") => {
                for p in inv.operands().into_iter().filter(|o| !o.starts_with("`#")) {
                    let names = package(p).ok_or_else(|| Untranslatable::UnknownPackage {
                        line,
                        package: p.to_string(),
                    })?;
                    for n in names {
                        if !packages.contains(&n) {
                            packages.push(n);
                        }
                    }
                }
            }
            Some(inv) if matches!(inv.subcommand(), Some("update" | "clean")) => {}
            _ if is_apt_cleanup(c) => {}
            _ => {
                return Err(Untranslatable::OtherCommand {
                    line,
                    command: c.base_name().to_string(),
                });
            }
        }
    }
    Ok(format!("RUN apk add --no-cache {}", packages.join(" ")))
}

/// `rm -rf /var/lib/apt/lists/*` and the like, or a no-op (`true`, `set -e`).
fn is_apt_cleanup(c: &crate::model::shell::SimpleCommand) -> bool {
    match c.base_name() {
        "rm" => c
            .args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .all(|a| a.starts_with("/var/lib/apt/") || a.starts_with("/var/cache/apt/")),
        "true" | "set" | "" => true,
        _ => false,
    }
}

/// Commands of Debian's `passwd` and `dpkg` tools that BusyBox (Alpine)
/// does not have under these names.
const DEBIAN_ONLY: &[&str] = &[
    "useradd", "groupadd", "usermod", "userdel", "groupmod", "groupdel", "apt-get", "apt", "dpkg",
    "bash",
];

/// The first command of a `RUN` that Alpine does not have (`useradd`:
/// BusyBox has `adduser`/`addgroup` with other flags).
pub fn debian_only_command(i: &Instruction) -> Option<String> {
    let run = i.run.as_ref()?;
    run.commands()
        .map(|c| c.base_name())
        .find(|n| DEBIAN_ONLY.contains(n))
        .map(str::to_string)
}

/// Images whose stages build files that do not depend on the C library
/// (a front end's JavaScript and CSS).
const PORTABLE_BUILDERS: &[&str] = &["node"];

/// A stage of the file that the source stage copies files from
/// (`COPY --from=<stage>`) and that was not built on Alpine: what it built
/// (Python packages with C extensions, binaries) links glibc. A `node`
/// stage is taken to build a front end's static files. Returns the `COPY`
/// line and the stage's base as written.
pub fn glibc_copy(cx: &ConvertContext<'_>) -> Option<(usize, String)> {
    cx.instructions().find_map(|i| {
        let Some(CommandKind::Copy(c)) = i.kind() else {
            return None;
        };
        let base = stage_base(cx, c.from.as_deref()?)?;
        let image = ImageText::parse(&base);
        let glibc =
            image.distro() != Distro::Alpine && !PORTABLE_BUILDERS.contains(&image.short_name());
        glibc.then_some((i.start_line, base))
    })
}

/// The image a stage of the file (by name or index) starts from, following
/// stages built on stages; `None` for an image that is not a stage.
fn stage_base(cx: &ConvertContext<'_>, from: &str) -> Option<String> {
    let stages = &cx.model.stages;
    let wanted = from.to_ascii_lowercase();
    let mut index = from
        .parse::<usize>()
        .ok()
        .filter(|&n| n < cx.stage.index)
        .or_else(|| {
            stages
                .iter()
                .take(cx.stage.index)
                .position(|s| s.name.as_deref() == Some(wanted.as_str()))
        })?;
    for _ in 0..stages.len() {
        match &stages.get(index)?.base {
            BaseImage::Stage { index: next } => index = *next,
            BaseImage::Image { reference, .. } => return Some(reference.clone()),
            BaseImage::Scratch => return None,
        }
    }
    None
}
