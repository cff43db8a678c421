//! Lint configuration: `.hadolint.yaml`, `restage.toml` and flags, merged
//! the way hadolint merges them (lists concatenate, the last scalar wins).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::rule::{RuleMeta, Severity};

/// The type a label must have under a label schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    /// Any non-empty text.
    Text,
    /// A URL.
    Url,
    /// A semantic version.
    Semver,
    /// A 7- or 40-character git hash.
    Hash,
    /// An RFC 3339 timestamp.
    Rfc3339,
    /// An SPDX license identifier.
    Spdx,
    /// An e-mail address.
    Email,
}

impl LabelType {
    /// Parses a type name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "text" => Self::Text,
            "url" => Self::Url,
            "semver" => Self::Semver,
            "hash" => Self::Hash,
            "rfc3339" => Self::Rfc3339,
            "spdx" => Self::Spdx,
            "email" => Self::Email,
            _ => return None,
        })
    }
}

/// When `restage lint` exits non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    /// Fail on findings of this severity or a more severe one.
    At(Severity),
    /// Fail on any finding (hadolint's `none`/`ignore`).
    Any,
}

impl Default for Threshold {
    /// hadolint's default: `info`.
    fn default() -> Self {
        Self::At(Severity::Info)
    }
}

impl Threshold {
    /// Parses `error`, `warning`, `info`, `style`, `ignore` or `none`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ignore" | "none" => Some(Self::Any),
            other => Severity::parse(other).map(Self::At),
        }
    }

    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Self::At(limit) => severity <= limit,
            Self::Any => true,
        }
    }
}

/// The configuration in effect for a lint run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// Codes (or aliases, or names) never reported.
    pub ignored: Vec<String>,
    /// Severity changes, in order; a later one wins. Setting a severity
    /// also enables a rule that is off by default.
    pub overrides: Vec<(String, Severity)>,
    /// Registries images may come from (turns on DL3026).
    pub trusted_registries: Vec<String>,
    /// Required labels and their types (turns on the label rules).
    pub label_schema: BTreeMap<String, LabelType>,
    /// Report labels not in the schema.
    pub strict_labels: bool,
    /// When to exit non-zero.
    pub failure_threshold: Threshold,
    /// Always exit zero.
    pub no_fail: bool,
    /// Disregard `# hadolint ignore=` style pragmas.
    pub disable_ignore_pragma: bool,
    /// No colour in terminal output.
    pub no_color: bool,
    /// The output format a file or `HADOLINT_FORMAT` names (`format:`), as
    /// written; the command line checks it, and its `--format` wins.
    pub format: Option<String>,
}

/// A configuration file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong, with the line when known.
    pub message: String,
}

/// The keys of `.hadolint.yaml` (and of `restage.toml`, which uses the same
/// names).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, rename = "override")]
    overrides: Overrides,
    #[serde(default, alias = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(default, alias = "labelSchema")]
    label_schema: BTreeMap<String, String>,
    #[serde(alias = "strictLabels")]
    strict_labels: Option<bool>,
    #[serde(alias = "failureThreshold")]
    failure_threshold: Option<String>,
    #[serde(alias = "noFail")]
    no_fail: Option<bool>,
    #[serde(alias = "noColor")]
    no_color: Option<bool>,
    #[serde(alias = "disableIgnorePragma")]
    disable_ignore_pragma: Option<bool>,
    // `[[images]]`: the team's base images for size estimates, read by
    // `size::Catalog::with_config`.
    #[serde(default)]
    images: Option<serde::de::IgnoredAny>,
    format: Option<String>,
    // Accepted for compatibility, not used by restage.
    verbose: Option<bool>,
    formats: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    #[serde(default)]
    error: Vec<String>,
    #[serde(default)]
    warning: Vec<String>,
    #[serde(default)]
    info: Vec<String>,
    #[serde(default)]
    style: Vec<String>,
}

impl LintConfig {
    /// Reads `.hadolint.yaml` text.
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, ConfigError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let parsed: FileConfig = serde_yaml_ng::from_str(text).map_err(|e| ConfigError {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        Self::from_file(file, parsed)
    }

    /// Reads `restage.toml` text.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, ConfigError> {
        let parsed: FileConfig = toml::from_str(text).map_err(|e| ConfigError {
            file: file.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        Self::from_file(file, parsed)
    }

    fn from_file(file: &str, parsed: FileConfig) -> Result<Self, ConfigError> {
        let err = |message: String| ConfigError {
            file: file.to_string(),
            message,
        };
        let mut label_schema = BTreeMap::new();
        for (label, kind) in parsed.label_schema {
            let kind = LabelType::parse(&kind).ok_or_else(|| {
                err(format!(
                    "label-schema: unknown type {kind:?} for label {label:?} (expected text, url, semver, hash, rfc3339, spdx or email)"
                ))
            })?;
            label_schema.insert(label, kind);
        }
        let failure_threshold = match parsed.failure_threshold {
            Some(t) => Threshold::parse(&t).ok_or_else(|| {
                err(format!(
                    "failure-threshold: unknown value {t:?} (expected error, warning, info, style, ignore or none)"
                ))
            })?,
            None => Threshold::default(),
        };
        let o = parsed.overrides;
        let overrides = [
            (o.error, Severity::Error),
            (o.warning, Severity::Warning),
            (o.info, Severity::Info),
            (o.style, Severity::Style),
        ]
        .into_iter()
        .flat_map(|(codes, s)| codes.into_iter().map(move |c| (c, s)))
        .collect();
        let _ = (parsed.verbose, parsed.formats, parsed.images);
        Ok(Self {
            ignored: parsed.ignored,
            overrides,
            trusted_registries: parsed.trusted_registries,
            label_schema,
            strict_labels: parsed.strict_labels.unwrap_or(false),
            failure_threshold,
            no_fail: parsed.no_fail.unwrap_or(false),
            disable_ignore_pragma: parsed.disable_ignore_pragma.unwrap_or(false),
            no_color: parsed.no_color.unwrap_or(false),
            format: parsed.format,
        })
    }

    /// Applies `later` on top: lists concatenate, scalars are replaced when
    /// `later` sets them (its booleans are ORed; its threshold wins when
    /// `threshold_set`).
    pub fn merge(&mut self, later: Self, threshold_set: bool) {
        self.ignored.extend(later.ignored);
        self.overrides.extend(later.overrides);
        self.trusted_registries.extend(later.trusted_registries);
        self.label_schema.extend(later.label_schema);
        self.strict_labels |= later.strict_labels;
        self.no_fail |= later.no_fail;
        self.disable_ignore_pragma |= later.disable_ignore_pragma;
        self.no_color |= later.no_color;
        if threshold_set {
            self.failure_threshold = later.failure_threshold;
        }
        if later.format.is_some() {
            self.format = later.format;
        }
    }

    /// The severity a rule reports with, `None` when it is off.
    pub fn severity_for(&self, meta: &RuleMeta) -> Option<Severity> {
        if self.ignored.iter().any(|c| meta.matches(c)) {
            return None;
        }
        match self.overrides.iter().rev().find(|(c, _)| meta.matches(c)) {
            Some((_, severity)) => Some(*severity),
            None if meta.enabled_by_default || self.enables(meta) => Some(meta.severity),
            None => None,
        }
    }

    /// Rules turned on by settings rather than by name.
    pub(crate) fn enables(&self, meta: &RuleMeta) -> bool {
        match meta.code {
            "DL3026" => !self.trusted_registries.is_empty(),
            "DL3049" | "DL3051" | "DL3052" | "DL3053" | "DL3054" | "DL3055" | "DL3056"
            | "DL3058" => !self.label_schema.is_empty(),
            "DL3050" => self.strict_labels,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hadolint_yaml_is_read() {
        let yaml = "ignored:\n  - DL3008\noverride:\n  error: [DL3001]\n  info:\n    - DL3057\ntrustedRegistries: [docker.io, \"*.gcr.io\"]\nlabel-schema:\n  maintainer: email\n  build-date: rfc3339\nstrict-labels: true\nfailure-threshold: warning\n";
        let c = LintConfig::from_yaml(".hadolint.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.ignored, ["DL3008"]);
        assert_eq!(
            c.overrides,
            [
                ("DL3001".to_string(), Severity::Error),
                ("DL3057".to_string(), Severity::Info)
            ]
        );
        assert_eq!(c.trusted_registries, ["docker.io", "*.gcr.io"]);
        assert_eq!(c.label_schema.get("maintainer"), Some(&LabelType::Email));
        assert!(c.strict_labels);
        assert_eq!(c.failure_threshold, Threshold::At(Severity::Warning));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = LintConfig::from_yaml("x.yaml", "ignored: DL3008\n")
            .expect_err("a string is not a list");
        assert!(
            e.to_string().starts_with("x.yaml: ignored: invalid type"),
            "{e}"
        );
        let e = LintConfig::from_yaml("x.yaml", "failure-threshold: high\n")
            .expect_err("unknown threshold");
        assert!(e.message.contains("unknown value \"high\""), "{e}");
        let e = LintConfig::from_toml("restage.toml", "ignord = []\n").expect_err("unknown key");
        assert!(e.message.contains("unknown field `ignord`"), "{e}");
        let c = LintConfig::from_toml("restage.toml", "ignored = [\"DL3008\"]\nno-fail = true\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.no_fail);
        // The team's base images share the file; lint leaves them alone.
        let c = LintConfig::from_toml(
            "restage.toml",
            "ignored = [\"DL3006\"]\n[[images]]\nname = \"corp/base\"\ntag = \"*\"\ndisk_mb = 100\nsource = \"CI\"\ndate = \"2026-10-01\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.ignored, ["DL3006"]);
    }

    #[test]
    fn thresholds() {
        assert!(Threshold::At(Severity::Info).fails(Severity::Warning));
        assert!(!Threshold::At(Severity::Info).fails(Severity::Style));
        assert!(!Threshold::At(Severity::Error).fails(Severity::Warning));
        assert!(Threshold::Any.fails(Severity::Style));
    }
}
