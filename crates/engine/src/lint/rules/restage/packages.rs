//! What system packages are: build toolchains, development headers, and
//! the runtime library that replaces a `-dev` package (after the table in
//! the ecosystem playbook, Debian 12 and Alpine columns).

use super::support::{Env, Family, Package, ShellVars, kept_packages};
use crate::model::RunInfo;
use crate::model::shell::SimpleCommand;

/// Compilers and build tools, by exact package name (every family): a
/// `match`, which compiles to comparisons by length and bytes instead of a
/// scan of a list.
fn named_toolchain(name: &str) -> bool {
    matches!(
        name,
        // C and C++
        "gcc"
            | "g++"
            | "c++"
            | "cc"
            | "gcc-c++"
            | "clang"
            | "clang++"
            | "build-essential"
            | "build-base"
            | "alpine-sdk"
            | "development tools"
            | "@development-tools"
            | "@development"
            | "make"
            | "cmake"
            | "ninja-build"
            | "ninja"
            | "samurai"
            | "meson"
            | "autoconf"
            | "automake"
            | "libtool"
            | "bison"
            | "flex"
            | "ccache"
            | "gfortran"
            | "gcc-gfortran"
            | "pkg-config"
            | "pkgconf"
            | "pkgconfig"
            | "dpkg-dev"
            | "nasm"
            | "yasm"
        // Go, Rust
            | "golang"
            | "golang-go"
            | "go"
            | "rustc"
            | "cargo"
            | "rust"
        // JVM
            | "maven"
            | "gradle"
            | "ant"
            | "default-jdk"
            | "default-jdk-headless"
        // .NET
            | "dotnet-sdk"
        // Node native addons
            | "node-gyp"
    )
}

/// Whether a package is a compiler or build tool.
pub(super) fn is_toolchain(name: &str) -> bool {
    if named_toolchain(name) {
        return true;
    }
    let versioned = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    // gcc-12, g++-12, clang-16, golang-1.21, openjdk17 (apk)
    if [
        "gcc-", "g++-", "clang-", "golang-", "gcc", "clang", "openjdk",
    ]
    .iter()
    .any(|p| versioned(p))
    {
        return true;
    }
    // golang-1.21-go, openjdk-17-jdk(-headless), openjdk17-jdk,
    // java-17-openjdk-devel, temurin-21-jdk, dotnet-sdk-8.0
    (name.starts_with("golang-") && name.ends_with("-go"))
        || name.ends_with("-jdk")
        || name.ends_with("-jdk-headless")
        || (name.starts_with("java-") && name.ends_with("-openjdk-devel"))
        || name.starts_with("dotnet-sdk-")
}

/// Whether a package only carries headers and static libraries for
/// compiling against a library (`-dev`, `-devel`, `linux-headers`), and is
/// not itself a toolchain.
pub(super) fn is_dev_headers(name: &str) -> bool {
    (name.ends_with("-dev")
        || name.ends_with("-devel")
        || name == "linux-headers"
        || name.starts_with("linux-headers-"))
        && !is_toolchain(name)
}

/// What to install instead of a `-dev` package at run time: `Some("")`
/// when nothing is needed (the headers of libc, the kernel, Python), `None`
/// when restage does not know.
pub(super) fn runtime_for(family: Family, dev: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match family {
        Family::Apt => &[
            ("libpq-dev", "libpq5"),
            ("default-libmysqlclient-dev", "libmariadb3"),
            ("libmariadb-dev", "libmariadb3"),
            ("libmariadb-dev-compat", "libmariadb3"),
            ("libjpeg62-turbo-dev", "libjpeg62-turbo"),
            ("libjpeg-dev", "libjpeg62-turbo"),
            ("zlib1g-dev", "zlib1g"),
            ("libpng-dev", "libpng16-16"),
            ("libwebp-dev", "libwebp7"),
            ("libfreetype-dev", "libfreetype6"),
            ("libfreetype6-dev", "libfreetype6"),
            ("libxml2-dev", "libxml2"),
            ("libxslt1-dev", "libxslt1.1"),
            ("libxslt-dev", "libxslt1.1"),
            ("libffi-dev", "libffi8"),
            ("libssl-dev", "libssl3"),
            ("libyaml-dev", "libyaml-0-2"),
            ("libsqlite3-dev", "libsqlite3-0"),
            ("libcairo2-dev", "libcairo2"),
            ("libvips-dev", "libvips42"),
            ("libmagickwand-dev", "imagemagick"),
            ("libicu-dev", "libicu72"),
            ("libzip-dev", "libzip4"),
            ("libgmp-dev", "libgmp10"),
            ("libcurl4-openssl-dev", "libcurl4"),
            ("libgeos-dev", "libgeos-c1v5"),
            ("libgdal-dev", "libgdal32"),
            ("python3-dev", ""),
            ("python-dev", ""),
            ("python3-all-dev", ""),
            ("libc6-dev", ""),
            ("libc-dev", ""),
            ("linux-libc-dev", ""),
        ],
        Family::Apk => &[
            ("postgresql-dev", "libpq"),
            ("libpq-dev", "libpq"),
            ("mariadb-dev", "mariadb-connector-c"),
            ("mariadb-connector-c-dev", "mariadb-connector-c"),
            ("jpeg-dev", "libjpeg-turbo"),
            ("libjpeg-turbo-dev", "libjpeg-turbo"),
            ("zlib-dev", "zlib"),
            ("libpng-dev", "libpng"),
            ("libwebp-dev", "libwebp"),
            ("freetype-dev", "freetype"),
            ("libxml2-dev", "libxml2"),
            ("libxslt-dev", "libxslt"),
            ("libffi-dev", "libffi"),
            ("openssl-dev", "libssl3"),
            ("libressl-dev", "libressl"),
            ("yaml-dev", "yaml"),
            ("sqlite-dev", "sqlite-libs"),
            ("cairo-dev", "cairo"),
            ("vips-dev", "vips"),
            ("imagemagick-dev", "imagemagick-libs"),
            ("icu-dev", "icu-libs"),
            ("libzip-dev", "libzip"),
            ("gmp-dev", "gmp"),
            ("curl-dev", "libcurl"),
            ("geos-dev", "geos"),
            ("gdal-dev", "gdal"),
            ("python3-dev", ""),
            ("musl-dev", ""),
            ("libc-dev", ""),
            ("linux-headers", ""),
        ],
        Family::Rpm | Family::Zypper => &[
            ("python3-devel", ""),
            ("python-devel", ""),
            ("glibc-devel", ""),
            ("kernel-headers", ""),
            ("openssl-devel", "openssl-libs"),
            ("libpq-devel", "libpq"),
            ("postgresql-devel", "libpq"),
        ],
    };
    if let Some((_, runtime)) = table.iter().find(|(d, _)| *d == dev) {
        return Some(runtime);
    }
    if dev.starts_with("linux-headers") {
        return Some("");
    }
    // An interpreter's headers (`php8.2-dev`, `ruby3.1-dev`,
    // `python3.11-dev`): the interpreter itself is already installed.
    if ["php", "ruby", "python", "perl", "lua"].iter().any(|i| {
        dev.strip_prefix(i).is_some_and(|v| {
            v.strip_suffix("-dev")
                .or_else(|| v.strip_suffix("-devel"))
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        })
    }) {
        return Some("");
    }
    None
}

/// Measured installed sizes (Debian 12) for the message: `-dev` closure
/// against its runtime closure (image-sizes.md §2).
pub(super) fn dev_size_note(family: Family, dev: &str) -> Option<&'static str> {
    if family != Family::Apt {
        return None;
    }
    Some(match dev {
        "libpq-dev" => "23.0 MB installed vs 10.5 MB for libpq5",
        "default-libmysqlclient-dev" => "35.3 MB installed vs 0.6 MB for libmariadb3",
        "libxml2-dev" | "libxslt1-dev" => {
            "libxml2-dev + libxslt1-dev: 112.8 MB installed vs 39.4 MB for the runtime libraries"
        }
        "libjpeg62-turbo-dev" | "zlib1g-dev" => {
            "libjpeg62-turbo-dev + zlib1g-dev: 23.4 MB installed vs 0.7 MB for libjpeg62-turbo"
        }
        "libcairo2-dev" => "214.6 MB installed vs 73.4 MB for libcairo2",
        "libvips-dev" => "567 MB installed vs 222 MB for libvips42",
        _ => return None,
    })
}

/// A toolchain a `RUN` puts in place without a package manager: rustup, or
/// a Go release downloaded from go.dev. `None` when the same `RUN` removes
/// it again (`rustup self uninstall`, `rm -rf /usr/local/go`).
pub(super) fn downloaded_toolchains(run: &RunInfo, env: &Env<'_>) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut vars = ShellVars::new(env);
    for cmd in run.commands() {
        let words =
            || std::iter::once(cmd.name.as_str()).chain(cmd.args.iter().map(String::as_str));
        if cmd.is("rustup") && cmd.args.iter().any(|a| a == "uninstall") {
            found.retain(|t| *t != "rustup (Rust toolchain)");
        } else if cmd.is("rustup")
            || words().any(|w| w.contains("sh.rustup.rs") || w.contains("rustup-init"))
        {
            push_unique(&mut found, "rustup (Rust toolchain)");
        }
        if is_go_download(cmd) {
            push_unique(&mut found, "Go toolchain (go.dev download)");
        }
        if cmd.is("rm")
            && cmd
                .positional(&[])
                .iter()
                .any(|a| super::support::path_covers(a, "/usr/local/go", Some(&vars)))
        {
            found.retain(|t| *t != "Go toolchain (go.dev download)");
        }
        vars.step(cmd);
    }
    found
}

fn push_unique(found: &mut Vec<&'static str>, item: &'static str) {
    if !found.contains(&item) {
        found.push(item);
    }
}

fn is_go_download(cmd: &SimpleCommand) -> bool {
    (cmd.is("curl") || cmd.is("wget"))
        && cmd.args.iter().any(|a| {
            ["go.dev/dl/go", "golang.org/dl/go", "dl.google.com/go/go"]
                .iter()
                .any(|u| a.contains(u))
        })
}

/// The packages of a `RUN` that stay installed, split into toolchains and
/// development headers.
pub(super) fn classify(run: &RunInfo, env: &Env<'_>) -> (Vec<Package>, Vec<Package>) {
    let (mut tools, mut headers) = (Vec::new(), Vec::new());
    for package in kept_packages(run, env) {
        if is_toolchain(&package.name) {
            tools.push(package);
        } else if is_dev_headers(&package.name) {
            headers.push(package);
        }
    }
    (tools, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchains_and_headers() {
        for t in [
            "gcc",
            "gcc-12",
            "g++-13",
            "clang-16",
            "make",
            "build-essential",
            "golang-1.21-go",
            "openjdk-17-jdk-headless",
            "openjdk17",
            "java-17-openjdk-devel",
            "dotnet-sdk-8.0",
        ] {
            assert!(is_toolchain(t), "{t}");
        }
        for t in [
            "gcc-12-base",
            "libgcc-s1",
            "openjdk-17-jre",
            "openjdk17-jre",
            "golang-src",
            "makedepend",
            "curl",
        ] {
            assert!(!is_toolchain(t), "{t}");
        }
        assert!(is_dev_headers("libpq-dev"));
        assert!(is_dev_headers("openssl-devel"));
        assert!(is_dev_headers("linux-headers"));
        assert!(!is_dev_headers("java-17-openjdk-devel"));
        assert!(!is_dev_headers("libpq5"));
        assert_eq!(runtime_for(Family::Apt, "libpq-dev"), Some("libpq5"));
        assert_eq!(runtime_for(Family::Apk, "musl-dev"), Some(""));
        assert_eq!(runtime_for(Family::Apt, "libfoo-dev"), None);
    }
}
