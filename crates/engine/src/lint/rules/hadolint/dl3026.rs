//! DL3026: use only an allowed registry.
//!
//! ## What it does
//! With trusted registries configured (`trustedRegistries`), reports images
//! from any other registry: `FROM` bases, `COPY --from=<image>` and `RUN
//! --mount from=<image>`. An image without a registry comes from
//! `docker.io`. Does nothing when no trusted registry is configured.
//!
//! ## Why is this bad?
//! Organisations restrict where images come from to control supply-chain
//! risk (scanned mirrors, signed images, rate limits). An image pulled
//! from elsewhere bypasses that.
//!
//! ## Where restage differs from hadolint
//! - Bases are judged after the global `ARG` defaults are substituted
//!   (`ARG REG=ghcr.io` + `FROM $REG/app:1` is checked against `ghcr.io`);
//!   a base whose variable has no default is skipped.
//! - Docker Hub's other names (`index.docker.io`, `registry-1.docker.io`,
//!   `hub.docker.com`) are the same registry as `docker.io`, on both sides.
//! - Registry names are compared case-insensitively.
//!
//! ## Notes
//! Patterns: an exact name, `*` (anything), `*.example.com` (any subdomain)
//! and `prefix*`. `scratch` and stages of the file are not images.

use super::shared_a::{FromSource, from_references, from_source};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::BaseImage;
use crate::model::image::ImageRef;

/// The rule.
pub struct Dl3026;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3026",
    aliases: &[],
    name: "trusted-registry",
    title: "Use only an allowed registry in the FROM image",
    severity: Severity::Error,
    category: Category::Security,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "With `trustedRegistries` configured, reports images from other registries in `FROM`, `COPY --from` and `RUN --mount from=` (no registry means `docker.io`; patterns `*`, `*.example.com`, `prefix*`). Unlike hadolint, restage substitutes global `ARG` defaults in `FROM` and treats Docker Hub's alternative host names as `docker.io`.",
    bad: "FROM quay.io/prometheus/busybox:latest\n",
    good: "FROM busybox:1.36\n",
};

/// Docker Hub under its other names.
fn canonical(registry: &str) -> String {
    let lower = registry.to_ascii_lowercase();
    match lower.as_str() {
        "index.docker.io"
        | "registry-1.docker.io"
        | "registry.hub.docker.com"
        | "hub.docker.com" => "docker.io".to_string(),
        _ => lower,
    }
}

/// Whether `registry` matches a trusted-registry pattern.
fn matches(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return registry.ends_with(suffix) && registry.len() > suffix.len();
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return registry.starts_with(prefix);
    }
    canonical(&pattern) == registry
}

impl Rule for Dl3026 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let trusted = &cx.config.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        let untrusted = |image: &ImageRef| -> Option<String> {
            let registry = canonical(image.registry_or_default());
            (!trusted.iter().any(|p| matches(p, &registry))).then_some(registry)
        };
        let allowed = trusted.join(", ");
        for stage in cx.stages() {
            if let BaseImage::Image {
                reference,
                image: Some(image),
            } = &stage.base
                && let Some(registry) = untrusted(image)
            {
                out.push(
                    cx.at_stage(
                        stage,
                        format!(
                            "Use only an allowed registry in the FROM image: `{reference}` comes from `{registry}`, not one of {allowed}"
                        ),
                    )
                    .with_fix("Use the image from a trusted registry (or a mirror there)"),
                );
            }
        }
        for (instruction, value, is_copy) in from_references(cx) {
            if value.contains('$') || !matches!(from_source(cx, value, is_copy), FromSource::Image)
            {
                continue;
            }
            let Some(image) = ImageRef::parse(value) else {
                continue;
            };
            if let Some(registry) = untrusted(&image) {
                let what = if is_copy {
                    "COPY --from"
                } else {
                    "RUN --mount from="
                };
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "Use only an allowed registry in the {what} image: `{value}` comes from `{registry}`, not one of {allowed}"
                        ),
                    )
                    .with_fix("Use the image from a trusted registry (or a mirror there)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics_with};

    fn lines_with(trusted: &[&str], text: &str) -> Vec<usize> {
        let config = LintConfig {
            trusted_registries: trusted.iter().map(|s| s.to_string()).collect(),
            ..LintConfig::default()
        };
        diagnostics_with(&Dl3026, text, &config)
            .iter()
            .map(|d| d.line)
            .collect()
    }

    #[test]
    fn untrusted_images_are_reported() {
        // The example configuration trusts docker.io.
        assert_lines(
            &Dl3026,
            &[
                ("FROM python:3.12\n", &[]),
                ("FROM docker.io/library/python:3.12\n", &[]),
                ("FROM index.docker.io/library/python:3.12\n", &[]),
                ("FROM ghcr.io/o/app:1\n", &[1]),
                ("FROM scratch\n", &[]),
                ("FROM ghcr.io/o/app:1 AS b\nFROM b\n", &[1]),
                ("ARG REG=ghcr.io\nFROM $REG/o/app:1\n", &[2]),
                ("ARG BASE\nFROM $BASE\n", &[]),
                (
                    "FROM python:3.12 AS b\nFROM python:3.12\nCOPY --from=b /x /x\n",
                    &[],
                ),
                ("FROM python:3.12\nCOPY --from=quay.io/o/x:1 /x /x\n", &[2]),
                ("FROM python:3.12\nCOPY --from=nginx:1 /x /x\n", &[]),
                (
                    "FROM python:3.12\nRUN --mount=type=bind,from=gcr.io/o/x:1,target=/s make\n",
                    &[2],
                ),
            ],
        );
    }

    #[test]
    fn patterns() {
        let text = "FROM a.example.com/x:1\nFROM example.com/y:1\nFROM registry.local:5000/z:1\nFROM python:3\n";
        assert_eq!(lines_with(&[], text), Vec::<usize>::new());
        assert_eq!(lines_with(&["*"], text), Vec::<usize>::new());
        assert_eq!(lines_with(&["*.example.com"], text), [2, 3, 4]);
        assert_eq!(lines_with(&["registry.*", "docker.io"], text), [1, 2]);
        assert_eq!(lines_with(&["hub.docker.com"], text), [1, 2, 3]);
        assert_eq!(lines_with(&["Example.com", "a.example.com"], text), [3, 4]);
    }
}
