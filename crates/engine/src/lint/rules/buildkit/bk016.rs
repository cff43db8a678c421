//! BK016: the default global `ARG` values give an invalid base image
//! (BuildKit's `InvalidDefaultArgInFrom`).
//!
//! ## What it does
//! Expands each `FROM` image with only the default values of the global
//! `ARG`s (as if no `--build-arg` were given) and reports it when the
//! result is empty or not a valid image reference, e.g. `ARG TAG` with no
//! default and `FROM busybox:${TAG}` (`busybox:` is invalid).
//!
//! ## Why is this bad?
//! The Dockerfile only builds when the right build arguments are passed;
//! a plain `docker build .` fails. A default makes it build as written.
//!
//! ## Example
//! ```dockerfile
//! ARG TAG
//! FROM busybox:${TAG}
//! ```
//! Use instead:
//! ```dockerfile
//! ARG TAG=stable
//! FROM busybox:${TAG}
//! ```
//!
//! ## Notes
//! The reference is validated as Docker's `reference.ParseNormalizedNamed`
//! does: an optional registry host (with port), lower-case repository path
//! components, a tag of at most 128 word characters, dots and dashes, and
//! a `sha256`/`sha384`/`sha512` digest. As in BuildKit, the whole check
//! stops when a global `ARG` default or an image does not expand, and a
//! stage name is validated like an image (so `FROM Builder` is reported).
//! <https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/>

use super::common::GlobalScope;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk016;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK016",
    aliases: &["InvalidDefaultArgInFrom"],
    name: "invalid-default-arg-in-from",
    title: "Default value for global ARG results in an empty or invalid base image name",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "With the default values of the global ARGs the base image is empty or invalid, so a plain `docker build .` fails; give the ARG a default. The reference is validated as Docker's `ParseNormalizedNamed` does. See <https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/>.",
    bad: "ARG TAG\nFROM busybox:${TAG}\n",
    good: "ARG TAG=stable\nFROM busybox:${TAG}\n",
};

impl Rule for Bk016 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(scope) = GlobalScope::read(cx) else {
            return;
        };
        let lexer = GlobalScope::lexer(cx);
        for stage in cx.stages() {
            let Ok(name) = lexer.process_word(&stage.base_text, scope) else {
                return;
            };
            if !is_valid_reference(&name) {
                out.push(
                    cx.at_stage(
                        stage,
                        format!(
                            "Default value for ARG {} results in empty or invalid base image name",
                            stage.base_text
                        ),
                    )
                    .with_fix(
                        "Give the global ARG a default value that makes a valid image reference",
                    ),
                );
            }
        }
    }
}

/// Docker's `reference.ParseNormalizedNamed(text)` succeeds.
pub(crate) fn is_valid_reference(text: &str) -> bool {
    plain_docker_hub_name(text) || parses_normalized(text)
}

/// The common shape that is certainly valid, checked without building the
/// normalised name: Docker Hub path components in lower case and an
/// optional tag (`alpine`, `python:3.12-slim`, `bitnami/redis:7`). `false`
/// only means "not this shape".
fn plain_docker_hub_name(text: &str) -> bool {
    let (path, tag) = match text.split_once(':') {
        Some((path, tag)) => (path, Some(tag)),
        None => (text, None),
    };
    // No registry host (a first component with a dot, or `localhost`), no
    // digest, not an image ID, and the name `docker.io/library/` + path
    // within 255 characters.
    let first = path.split('/').next().unwrap_or_default();
    let registry = first.contains('.') || first == "localhost";
    let image_id = text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    !path.is_empty()
        && !registry
        && !image_id
        && "docker.io/library/".len() + path.len() <= 255
        && path.split('/').all(is_path_component)
        && tag.is_none_or(is_tag)
}

/// `reference.ParseNormalizedNamed` in full.
fn parses_normalized(text: &str) -> bool {
    // A bare 64-character hex string is an image ID, not a name.
    if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return false;
    }
    // splitDockerDomain.
    let (mut domain, mut remainder) = match text.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first != crate::dockerfile::gotext::to_lower(first) =>
        {
            (first, rest.to_string())
        }
        _ => ("docker.io", text.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io";
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    let remote = remainder.split(':').next().unwrap_or_default();
    if remote != crate::dockerfile::gotext::to_lower(remote) {
        return false;
    }
    parse_reference(&format!("{domain}/{remainder}"))
}

/// `reference.Parse`: `name[:tag][@digest]` with the name at most 255
/// characters and the digest one go-digest accepts.
fn parse_reference(text: &str) -> bool {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    if let Some(digest) = digest
        && !is_digest(digest)
    {
        return false;
    }
    // The tag follows the last `:` after the last `/`.
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(slash..).and_then(|tail| tail.find(':')) {
        Some(colon) => (
            rest.get(..slash + colon).unwrap_or_default(),
            rest.get(slash + colon + 1..),
        ),
        None => (rest, None),
    };
    if let Some(tag) = tag
        && !is_tag(tag)
    {
        return false;
    }
    name.len() <= 255 && is_name(name)
}

/// `[domain/]component(/component)*`.
fn is_name(name: &str) -> bool {
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1
        && let Some(first) = parts.first()
        && is_domain(first)
        && !parts.iter().skip(1).any(|p| !is_path_component(p))
    {
        parts.remove(0);
        return !parts.is_empty();
    }
    parts.iter().all(|p| is_path_component(p))
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_path_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().copied().is_some_and(alnum) || !bytes.last().copied().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if alnum(b) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or a run of `-`.
        let start = i;
        while i < bytes.len() && !bytes.get(i).copied().is_some_and(alnum) {
            i += 1;
        }
        let sep = part.get(start..i).unwrap_or_default();
        let ok =
            matches!(sep, "." | "_" | "__") || (!sep.is_empty() && sep.bytes().all(|c| c == b'-'));
        if !ok {
            return false;
        }
    }
    true
}

/// `host[:port]` where host is a domain name or a bracketed IPv6 address.
fn is_domain(domain: &str) -> bool {
    let (host, port) = if domain.starts_with('[') {
        match domain.find(']') {
            Some(end) => (
                domain.get(..=end).unwrap_or_default(),
                domain.get(end + 1..).unwrap_or_default(),
            ),
            None => return false,
        }
    } else {
        match domain.find(':') {
            Some(colon) => (
                domain.get(..colon).unwrap_or_default(),
                domain.get(colon..).unwrap_or_default(),
            ),
            None => (domain, ""),
        }
    };
    if !port.is_empty() {
        let Some(digits) = port.strip_prefix(':') else {
            return false;
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
                && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        })
}

/// `[\w][\w.-]{0,127}` (ASCII word characters).
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    tag.len() <= 128
        && tag.bytes().next().is_some_and(word)
        && tag.bytes().all(|b| word(b) || b == b'.' || b == b'-')
}

/// A digest go-digest parses: `sha256:` + 64, `sha384:` + 96 or
/// `sha512:` + 128 lower-case hex digits.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    proptest::proptest! {
        /// What the shortcut accepts, the full parse accepts too.
        #[test]
        fn the_shortcut_accepts_only_valid_names(text in "[a-f0-9]{64}|[a-fA-F0-9._:/@-]{0,70}|[a-z0-9._:/-]{0,12}|l[ao]calhost(:5000)?/[a-z]{1,3}") {
            if plain_docker_hub_name(&text) {
                proptest::prop_assert!(parses_normalized(&text), "{}", text);
            }
        }
    }

    #[test]
    fn references_are_validated_as_docker_does() {
        let sha = "a".repeat(64);
        for ok in [
            "busybox",
            "busybox:latest",
            "scratch",
            "library/busybox",
            "docker.io/library/busybox:1.36",
            "ghcr.io/owner/repo:v1.2.3",
            "localhost:5000/app",
            "my-registry.example.com:443/team/app_x__y:tag",
            "[::1]:5000/app",
            "gcr.io/distroless/static-debian12:nonroot",
            "a---b",
            "Registry.Example.com/app",
            "UPPER/app",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        assert!(is_valid_reference(&format!("alpine@sha256:{sha}")));
        assert!(is_valid_reference(&format!("alpine:3@sha256:{sha}")));
        for bad in [
            "",
            "busybox:",
            "Busybox",
            "busy box",
            ":latest",
            "a/",
            "a//b",
            "-a",
            "a.-b",
            "alpine@sha256:abc",
            "alpine@md5:d41d8cd98f00b204e9800998ecf8427e",
            "host:port/app",
            "alpine:-tag",
            "app/UPPER",
        ] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
        assert!(!is_valid_reference(&sha));
        assert!(!is_valid_reference(&format!("alpine:{}", "t".repeat(129))));
    }

    #[test]
    fn invalid_defaults_are_reported() {
        // BuildKit's testInvalidDefaultArgInFrom.
        assert_lines(
            &Bk016,
            &[
                ("\nARG VERSION\nFROM busybox:$VERSION\n", &[3]),
                ("\nARG IMAGE\nFROM $IMAGE\n", &[3]),
                ("\nARG SFX=\"box:\"\nFROM busy${SFX}\n", &[3]),
                ("\nARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n", &[]),
                (
                    "\nARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
                    &[],
                ),
                (
                    "\n\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t",
                    &[],
                ),
                ("FROM alpine AS build\nFROM build\n", &[]),
                ("FROM alpine AS build\nFROM Build\n", &[2]),
                ("FROM $UNDECLARED\n", &[1]),
                ("ARG A=alpine\nARG B=$A:3\nFROM $B\n", &[]),
            ],
        );
    }

    #[test]
    fn message_shows_the_image_as_written() {
        let d = diagnostics(&Bk016, "\nARG VERSION\nFROM busybox:$VERSION\n");
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some(
                "Default value for ARG busybox:$VERSION results in empty or invalid base image name"
            )
        );
    }
}
