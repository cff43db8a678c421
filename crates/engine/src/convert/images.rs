//! Image names as written (variables included): tags, variants, the
//! distribution they are built on, and their slim counterparts.

use crate::knowledge::packages::Distro;

/// Debian codenames that appear in official image tags.
const CODENAMES: &[&str] = &["trixie", "bookworm", "bullseye", "buster"];

/// `name[:tag][@digest]` split from raw image text (`python:${PY}-slim`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageText {
    /// Everything before the tag (`docker.io/library/python`).
    pub name: String,
    /// The tag, if any.
    pub tag: Option<String>,
    /// The digest, if any.
    pub digest: Option<String>,
}

impl ImageText {
    /// Splits raw image text.
    pub fn parse(raw: &str) -> Self {
        let (rest, digest) = match raw.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (raw, None),
        };
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        match rest.get(slash..).and_then(|t| t.find(':')) {
            Some(colon) => Self {
                name: rest.get(..slash + colon).unwrap_or(rest).to_string(),
                tag: rest.get(slash + colon + 1..).map(str::to_string),
                digest,
            },
            None => Self {
                name: rest.to_string(),
                tag: None,
                digest,
            },
        }
    }

    /// The last path component of the name (`python`).
    pub fn short_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// `name:tag` (no digest).
    pub fn with_tag(&self, tag: &str) -> String {
        format!("{}:{tag}", self.name)
    }

    /// Whether the tag names a slim or Alpine variant already.
    pub fn is_small_variant(&self) -> bool {
        self.tag
            .as_deref()
            .is_some_and(|t| t.contains("slim") || t.contains("alpine"))
    }

    /// The Debian codename in the tag.
    pub fn codename(&self) -> Option<&'static str> {
        let tag = self.tag.as_deref()?;
        CODENAMES
            .iter()
            .copied()
            .find(|c| tag.split('-').any(|part| part == *c))
    }

    /// The distribution the image is built on, when the tag says or the
    /// image family is known (official images without a codename are
    /// Debian 13 in 2026, except `node`, which is still Debian 12).
    pub fn distro(&self) -> Distro {
        let tag = self.tag.as_deref().unwrap_or_default();
        let short = self.short_name();
        if tag.contains("alpine") || short == "alpine" {
            return Distro::Alpine;
        }
        if matches!(
            short,
            "ubi"
                | "ubi-minimal"
                | "fedora"
                | "centos"
                | "rockylinux"
                | "almalinux"
                | "amazonlinux"
        ) || short.starts_with("ubi")
        {
            return Distro::Rhel;
        }
        match self.codename() {
            Some("trixie") => Distro::Trixie,
            Some(_) => Distro::Bookworm,
            None if short == "node" || short == "ubuntu" => Distro::Bookworm,
            None if short == "debian" => match tag {
                t if t.starts_with("12") || t.starts_with("bookworm") => Distro::Bookworm,
                _ => Distro::Trixie,
            },
            None => Distro::Trixie,
        }
    }

    /// The slim variant of an official Debian-based image: `python:3.12` →
    /// `python:3.12-slim`, `python:3.12-bookworm` → `python:3.12-slim-bookworm`,
    /// `node:20` → `node:20-slim`; variables in the tag are kept. A digest
    /// pin cannot carry over and is dropped. Already small variants stay.
    pub fn slim(&self) -> String {
        if self.is_small_variant() {
            return match &self.digest {
                Some(d) => format!(
                    "{}@{d}",
                    self.with_tag(self.tag.as_deref().unwrap_or("latest"))
                ),
                None => self.with_tag(self.tag.as_deref().unwrap_or("latest")),
            };
        }
        let tag = self.tag.as_deref().unwrap_or("latest");
        if tag == "latest" {
            return self.with_tag("slim");
        }
        match self.codename() {
            Some(code) => {
                let base = tag.strip_suffix(&format!("-{code}")).unwrap_or(tag);
                self.with_tag(&format!("{base}-slim-{code}"))
            }
            None => self.with_tag(&format!("{tag}-slim")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slim_variants() {
        let slim = |s: &str| ImageText::parse(s).slim();
        assert_eq!(slim("python:3.12"), "python:3.12-slim");
        assert_eq!(slim("python:3.12-bookworm"), "python:3.12-slim-bookworm");
        assert_eq!(slim("python:${PY_VERSION}"), "python:${PY_VERSION}-slim");
        assert_eq!(slim("python"), "python:slim");
        assert_eq!(slim("node:20-alpine"), "node:20-alpine");
        assert_eq!(
            slim("docker.io/library/ruby:3.3@sha256:abc"),
            "docker.io/library/ruby:3.3-slim"
        );
        assert_eq!(
            slim("localhost:5000/python:3.12"),
            "localhost:5000/python:3.12-slim"
        );
    }

    #[test]
    fn distros() {
        let d = |s: &str| ImageText::parse(s).distro();
        assert_eq!(d("python:3.12"), Distro::Trixie);
        assert_eq!(d("python:3.12-slim-bookworm"), Distro::Bookworm);
        assert_eq!(d("node:20"), Distro::Bookworm);
        assert_eq!(d("python:3.12-alpine3.20"), Distro::Alpine);
        assert_eq!(
            d("registry.access.redhat.com/ubi9/ubi-minimal"),
            Distro::Rhel
        );
        assert_eq!(
            ImageText::parse("golang:1.22-bookworm").codename(),
            Some("bookworm")
        );
    }
}
