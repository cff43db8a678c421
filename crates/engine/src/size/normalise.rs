//! Image references normalised to catalog keys: `name` (registry mirrors
//! and Docker Hub's `library/` dropped), `version`, `variant` and `distro`
//! taken apart from the tag.
//!
//! `python:3.12.4-slim-bookworm`, `docker.io/library/python:3.12-slim` and
//! `public.ecr.aws/docker/library/python:3.12-slim@sha256:…` are all
//! `python`, version `3.12…`, variant `slim`.

use serde::Serialize;

use crate::model::image::ImageRef;

/// A reference taken apart for the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NormalisedImage {
    /// The reference as given.
    pub reference: String,
    /// Catalog name: `python`, `nginxinc/nginx-unprivileged`,
    /// `gcr.io/distroless/static`, `mcr.microsoft.com/dotnet/aspnet`.
    pub name: String,
    /// The tag (`latest` when none is written).
    pub tag: String,
    /// The tag's version part (`3.12.4`, `22`, `bookworm` for Debian,
    /// `debian12` for distroless), `latest` when the tag has none.
    pub version: String,
    /// What is left of the tag: `slim`, `alpine`, `jre-alpine`, `nonroot`,
    /// empty for the default variant.
    pub variant: String,
    /// The distribution named in the tag (`bookworm`, `alpine3.20`, `noble`).
    pub distro: Option<String>,
    /// The digest, when pinned.
    pub digest: Option<String>,
}

/// Why a reference cannot be looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unnormalised {
    /// The reference as given.
    pub reference: String,
    /// Why, for a person.
    pub reason: String,
}

/// Registries that serve Docker Hub's images under the same names.
const HUB_HOSTS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
    "mirror.gcr.io",
];

/// Debian and Ubuntu codenames that appear in tags.
const CODENAMES: &[&str] = &[
    "trixie", "bookworm", "bullseye", "buster", "stretch", "forky", "sid", "noble", "jammy",
    "focal", "bionic", "xenial", "oracular", "plucky", "questing", "resolute",
];

/// Tags that stand for a version.
const VERSION_WORDS: &[&str] = &[
    "latest",
    "stable",
    "mainline",
    "lts",
    "current",
    "edge",
    "rolling",
    "devel",
    "oldstable",
    "oldoldstable",
    "testing",
    "unstable",
];

/// Node.js LTS codenames and their major version.
const NODE_CODENAMES: &[(&str, &str)] = &[
    ("argon", "4"),
    ("boron", "6"),
    ("carbon", "8"),
    ("dubnium", "10"),
    ("erbium", "12"),
    ("fermium", "14"),
    ("gallium", "16"),
    ("hydrogen", "18"),
    ("iron", "20"),
    ("jod", "22"),
    ("krypton", "24"),
];

/// Images whose tag is a distribution release (`debian:bookworm`).
const DISTRO_IMAGES: &[&str] = &["debian", "ubuntu", "buildpack-deps"];

/// Names that stand for another catalog name.
const NAME_ALIASES: &[(&str, &str)] = &[
    ("redhat/ubi9", "registry.access.redhat.com/ubi9/ubi"),
    (
        "redhat/ubi9-minimal",
        "registry.access.redhat.com/ubi9/ubi-minimal",
    ),
    (
        "registry.access.redhat.com/ubi9",
        "registry.access.redhat.com/ubi9/ubi",
    ),
    ("redhat/ubi8", "registry.access.redhat.com/ubi9/ubi"),
    (
        "redhat/ubi8-minimal",
        "registry.access.redhat.com/ubi9/ubi-minimal",
    ),
    (
        "registry.access.redhat.com/ubi8/ubi",
        "registry.access.redhat.com/ubi9/ubi",
    ),
    (
        "registry.access.redhat.com/ubi8",
        "registry.access.redhat.com/ubi9/ubi",
    ),
    (
        "registry.access.redhat.com/ubi8/ubi-minimal",
        "registry.access.redhat.com/ubi9/ubi-minimal",
    ),
];

/// The catalog name of a reference (`docker.io/library/python` → `python`),
/// the registry host kept for registries other than Docker Hub and its mirrors.
pub fn catalog_name(image: &ImageRef) -> String {
    let registry = image
        .registry
        .as_deref()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let path = image.path.as_str();
    let hub_path = if registry.is_empty() || HUB_HOSTS.contains(&registry.as_str()) {
        Some(path)
    } else if registry == "public.ecr.aws" {
        path.strip_prefix("docker/library/")
    } else {
        None
    };
    let name = match hub_path {
        Some(p) => p.strip_prefix("library/").unwrap_or(p).to_string(),
        None => format!("{registry}/{path}"),
    };
    NAME_ALIASES
        .iter()
        .find(|(from, _)| *from == name)
        .map_or(name, |(_, to)| (*to).to_string())
}

/// Normalises an image reference (`scratch` is not an image: the caller
/// handles it).
pub fn normalise(reference: &str) -> Result<NormalisedImage, Unnormalised> {
    let unknown = |reason: String| Unnormalised {
        reference: reference.to_string(),
        reason,
    };
    let Some(image) = ImageRef::parse(reference) else {
        return Err(unknown(if reference.contains('$') {
            format!(
                "`{reference}` is not resolved: a build argument without a default; pass it with --build-arg or give the ARG a default"
            )
        } else {
            format!("`{reference}` is not an image reference")
        }));
    };
    let mut name = catalog_name(&image);
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("mcr.microsoft.com/windows")
        || lower.contains("/windows/")
        || lower.contains("nanoserver")
        || lower.contains("servercore")
    {
        return Err(unknown(format!(
            "`{reference}` is a Windows image; the catalog covers linux/amd64 images only"
        )));
    }
    let tag = match (&image.tag, &image.digest) {
        (Some(t), _) => t.clone(),
        (None, Some(_)) => {
            return Err(unknown(format!(
                "`{reference}` is pinned by digest only, so the catalog cannot tell which tag it is; write the tag too (`{}:<tag>@<digest>`)",
                image.path
            )));
        }
        (None, None) => "latest".to_string(),
    };
    let tag_lower = tag.to_ascii_lowercase();
    if ["windowsservercore", "nanoserver", "ltsc20", "windows"]
        .iter()
        .any(|w| tag_lower.contains(w))
    {
        return Err(unknown(format!(
            "`{reference}` is a Windows image; the catalog covers linux/amd64 images only"
        )));
    }
    // Distroless: `static-debian12` is `static`, version `debian12`; the
    // tag is the variant.
    if name.starts_with("gcr.io/distroless/") {
        let (base, version) = match name.rsplit_once('-') {
            Some((b, v)) if v.starts_with("debian") => (b.to_string(), v.to_string()),
            _ => (name.clone(), "latest".to_string()),
        };
        name = base;
        let variant = if tag_lower == "latest" {
            String::new()
        } else {
            tag_lower.clone()
        };
        return Ok(NormalisedImage {
            reference: reference.to_string(),
            name,
            tag,
            version,
            variant,
            distro: None,
            digest: image.digest.clone(),
        });
    }
    let (version, variant, distro) = split_tag(&name, &tag_lower);
    Ok(NormalisedImage {
        reference: reference.to_string(),
        name,
        tag,
        version,
        variant,
        distro,
        digest: image.digest.clone(),
    })
}

/// Whether a tag part is a version: `3.12.4`, `21.0.4_7`, `1.22rc1`, `v1.2`.
fn is_version(token: &str) -> bool {
    let t = token.strip_prefix('v').unwrap_or(token);
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+'))
}

/// Splits a tag into version, variant and distribution.
fn split_tag(name: &str, tag: &str) -> (String, String, Option<String>) {
    let short = name.rsplit('/').next().unwrap_or(name);
    let mut tokens: Vec<&str> = tag.split('-').filter(|t| !t.is_empty()).collect();
    let mut version = String::from("latest");
    let mut distro: Option<String> = None;
    if let Some(first) = tokens.first().copied() {
        let node_lts = NODE_CODENAMES.iter().find(|(c, _)| *c == first);
        if is_version(first) || VERSION_WORDS.contains(&first) {
            version = first.to_string();
            tokens.remove(0);
        } else if short == "node"
            && let Some((_, major)) = node_lts
        {
            version = (*major).to_string();
            tokens.remove(0);
        } else if DISTRO_IMAGES.contains(&short) && CODENAMES.contains(&first) {
            version = first.to_string();
            distro = Some(first.to_string());
            tokens.remove(0);
        }
    }
    let mut variant: Vec<String> = Vec::new();
    for token in tokens {
        if CODENAMES.contains(&token) {
            distro = Some(token.to_string());
        } else if let Some(rest) = token.strip_prefix("alpine") {
            if rest.is_empty() || is_version(rest) {
                // `alpine3.20` names a release; a bare `alpine` does not.
                if !rest.is_empty() {
                    distro = Some(token.to_string());
                }
                variant.push("alpine".into());
            } else {
                variant.push(token.to_string());
            }
        } else if token.chars().all(|c| c.is_ascii_digit() || c == '.') {
            // A second version (`maven:3-eclipse-temurin-21`, a date stamp).
        } else if let Some(rest) = token
            .strip_prefix("jdk")
            .or_else(|| token.strip_prefix("jre"))
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit())
        {
            variant.push(token.get(..3).unwrap_or(token).to_string());
        } else if token.starts_with("ubi") {
            distro = Some(token.to_string());
        } else {
            variant.push(token.to_string());
        }
    }
    (version, variant.join("-"), distro)
}

/// Whether `version` is `pattern` or a more precise version of it
/// (`3.12` matches `3.12` and `3.12.4`, not `3.1`); words match exactly.
/// `=1` matches the version `1` only (a floating tag such as `rust:1`, not
/// `rust:1.80`); a pattern with `*` is a glob (`1.8*` matches `1.80` and
/// `1.85.1`).
pub fn version_matches(pattern: &str, version: &str) -> bool {
    let version = version.strip_prefix('v').unwrap_or(version);
    if let Some(exact) = pattern.strip_prefix('=') {
        return version == exact;
    }
    if pattern.contains('*') {
        return glob_matches(pattern, version);
    }
    version == pattern
        || version
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with(['.', '_', '+']))
}

/// `*` and `?` glob matching (for team catalog rows).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with one star backtrack point.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (String, String, String, Option<String>) {
        let n = normalise(r).unwrap_or_else(|e| panic!("{r}: {}", e.reason));
        (n.name, n.version, n.variant, n.distro)
    }

    #[test]
    fn tags_split() {
        let p = |r: &str| {
            let (n, v, var, d) = parts(r);
            format!("{n} {v} [{var}] {}", d.unwrap_or_default())
        };
        assert_eq!(
            p("python:3.12.4-slim-bookworm"),
            "python 3.12.4 [slim] bookworm"
        );
        assert_eq!(p("docker.io/library/python:3.12"), "python 3.12 [] ");
        assert_eq!(p("node:20-alpine3.19"), "node 20 [alpine] alpine3.19");
        assert_eq!(p("node:iron-slim"), "node 20 [slim] ");
        assert_eq!(
            p("maven:3.9.6-eclipse-temurin-21-alpine"),
            "maven 3.9.6 [eclipse-temurin-alpine] "
        );
        assert_eq!(p("gradle:jdk21"), "gradle latest [jdk] ");
        assert_eq!(p("nginx:stable-alpine-slim"), "nginx stable [alpine-slim] ");
        assert_eq!(p("debian:bookworm-slim"), "debian bookworm [slim] bookworm");
        assert_eq!(
            p("gcr.io/distroless/static-debian12:nonroot"),
            "gcr.io/distroless/static debian12 [nonroot] "
        );
        assert_eq!(
            p("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled"),
            "mcr.microsoft.com/dotnet/aspnet 8.0 [chiseled] jammy"
        );
    }

    #[test]
    fn versions_and_globs() {
        assert!(version_matches("3.12", "3.12.4"));
        assert!(!version_matches("3.1", "3.12"));
        assert!(version_matches("=1", "1") && !version_matches("=1", "1.80"));
        assert!(version_matches("1.8*", "1.80") && version_matches("1.8*", "1.85.1"));
        assert!(!version_matches("1.8*", "1.9"));
        assert!(version_matches("21", "21.0.4_7"));
        assert!(glob_matches("1.*", "1.4-slim"));
        assert!(glob_matches("*", "anything"));
        assert!(!glob_matches("1.*", "2.0"));
        assert!(glob_matches("a?c*", "abcdef"));
    }
}
