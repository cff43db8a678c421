//! `restage lint`: a drop-in for hadolint (same flags, formats and exit
//! codes) running hadolint's rules, BuildKit's checks and restage's own.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use restage::dockerfile::{self, ParseOptions};
use restage::lint::config::{LabelType, LintConfig, Threshold};
use restage::lint::format::{FileReport, Format, RenderOptions, render};
use restage::lint::{Finding, Severity, lint, parse_error_finding};
use restage::model::Model;

use super::input;

/// Options of `restage lint` (hadolint's names).
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Output format: tty (default), json, sarif, gitlab_codeclimate,
    /// checkstyle, gnu, junit; else `HADOLINT_FORMAT`, else the
    /// configuration file's `format`.
    #[arg(short = 'f', long, value_parser = parse_format)]
    format: Option<Format>,
    /// Exit non-zero when a finding is at least this severe: error, warning,
    /// info (default), style, or none/ignore (fail on any finding).
    #[arg(short = 't', long, value_parser = parse_threshold)]
    failure_threshold: Option<Threshold>,
    /// Always exit zero.
    #[arg(long)]
    no_fail: bool,
    /// Do not report this rule (code, alias or name; repeatable).
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,
    /// Report this rule as an error (also enables rules that are off by default).
    #[arg(long, value_name = "CODE")]
    error: Vec<String>,
    /// Report this rule as a warning.
    #[arg(long, value_name = "CODE")]
    warning: Vec<String>,
    /// Report this rule as info.
    #[arg(long, value_name = "CODE")]
    info: Vec<String>,
    /// Report this rule as style.
    #[arg(long, value_name = "CODE")]
    style: Vec<String>,
    /// Allow images only from this registry (repeatable; enables DL3026).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    trusted_registries: Vec<String>,
    /// Require a label of a type: LABEL:text|url|semver|hash|rfc3339|spdx|email.
    #[arg(long = "require-label", value_name = "LABEL:FORMAT", value_parser = parse_label)]
    require_labels: Vec<(String, LabelType)>,
    /// Report labels that are not in the label schema.
    #[arg(long)]
    strict_labels: bool,
    /// Disregard `# hadolint ignore=...` pragmas.
    #[arg(long)]
    disable_ignore_pragma: bool,
    /// Configuration file (`.hadolint.yaml` or `restage.toml`); by default
    /// `restage.toml`, then `.hadolint.yaml` in the working directory, then
    /// hadolint's user configuration.
    #[arg(short = 'c', long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// No colours.
    #[arg(long)]
    no_color: bool,
    /// The path to show in reports instead of the file's.
    #[arg(long, value_name = "PATH")]
    file_path_in_report: Option<String>,
    /// Dockerfiles to lint, or `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        let names: Vec<_> = Format::ALL.iter().map(|(_, n)| *n).collect();
        format!(
            "unknown format {s:?} (expected one of {})",
            names.join(", ")
        )
    })
}

fn parse_threshold(s: &str) -> Result<Threshold, String> {
    Threshold::parse(s).ok_or_else(|| {
        format!("unknown threshold {s:?} (expected error, warning, info, style, none or ignore)")
    })
}

fn parse_label(s: &str) -> Result<(String, LabelType), String> {
    let (label, kind) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("expected LABEL:FORMAT, got {s:?}"))?;
    let kind = LabelType::parse(kind).ok_or_else(|| format!("unknown label format {kind:?}"))?;
    Ok((label.to_string(), kind))
}

/// The configuration file to read, if any.
fn config_file(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let mut candidates: Vec<PathBuf> = vec![
        "restage.toml".into(),
        ".hadolint.yaml".into(),
        ".hadolint.yml".into(),
    ];
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME") {
        let xdg = PathBuf::from(xdg);
        candidates.push(xdg.join("hadolint.yaml"));
        candidates.push(xdg.join("hadolint.yml"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        for p in [
            ".config/hadolint.yaml",
            ".config/hadolint.yml",
            ".hadolint/hadolint.yaml",
            ".hadolint/config.yaml",
            ".hadolint.yaml",
            ".hadolint.yml",
        ] {
            candidates.push(home.join(p));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// hadolint's truthy environment values.
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| {
        matches!(
            v.to_ascii_lowercase().as_str(),
            "1" | "y" | "yes" | "on" | "true"
        )
    })
}

fn env_list(name: &str) -> Vec<String> {
    std::env::var(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Defaults, then the configuration file, then the environment, then flags.
fn configuration(args: &LintArgs) -> Result<LintConfig, String> {
    let mut config = file_and_environment(args.config.as_deref())?;
    let mut flags = LintConfig {
        ignored: args.ignore.clone(),
        trusted_registries: args.trusted_registries.clone(),
        label_schema: args.require_labels.iter().cloned().collect(),
        strict_labels: args.strict_labels,
        no_fail: args.no_fail,
        disable_ignore_pragma: args.disable_ignore_pragma,
        no_color: args.no_color,
        failure_threshold: args.failure_threshold.unwrap_or_default(),
        ..LintConfig::default()
    };
    for (codes, severity) in [
        (&args.error, Severity::Error),
        (&args.warning, Severity::Warning),
        (&args.info, Severity::Info),
        (&args.style, Severity::Style),
    ] {
        flags
            .overrides
            .extend(codes.iter().map(|c| (c.clone(), severity)));
    }
    config.merge(flags, args.failure_threshold.is_some());
    Ok(config)
}

/// The lint settings of the configuration file (`explicit`, else the first
/// of `restage.toml`, `.hadolint.yaml` and hadolint's user files that
/// exists) with hadolint's environment variables on top: what `restage
/// lint` starts from before its flags, and all `restage report` reads.
pub(super) fn file_and_environment(explicit: Option<&Path>) -> Result<LintConfig, String> {
    let mut config = LintConfig::default();
    if let Some(path) = config_file(explicit) {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.display().to_string();
        let file = if path.extension().is_some_and(|e| e == "toml") {
            LintConfig::from_toml(&name, &text)
        } else {
            LintConfig::from_yaml(&name, &text)
        }
        .map_err(|e| e.to_string())?;
        config = file;
    }
    let mut env = LintConfig {
        ignored: env_list("HADOLINT_IGNORE"),
        trusted_registries: env_list("HADOLINT_TRUSTED_REGISTRIES"),
        strict_labels: env_flag("HADOLINT_STRICT_LABELS"),
        no_fail: env_flag("HADOLINT_NOFAIL"),
        disable_ignore_pragma: env_flag("HADOLINT_DISABLE_IGNORE_PRAGMA"),
        no_color: std::env::var_os("NO_COLOR").is_some(),
        format: std::env::var("HADOLINT_FORMAT")
            .ok()
            .filter(|f| !f.trim().is_empty()),
        ..LintConfig::default()
    };
    for (var, severity) in [
        ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
        ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
        ("HADOLINT_OVERRIDE_INFO", Severity::Info),
        ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
    ] {
        env.overrides
            .extend(env_list(var).into_iter().map(|c| (c, severity)));
    }
    let env_threshold = std::env::var("HADOLINT_FAILURE_THRESHOLD")
        .ok()
        .and_then(|t| Threshold::parse(&t));
    if let Some(t) = env_threshold {
        env.failure_threshold = t;
    }
    config.merge(env, env_threshold.is_some());
    Ok(config)
}

/// The output format: `--format`, else the one the environment or the
/// configuration file names, else tty.
fn output_format(args: &LintArgs, config: &LintConfig) -> Result<Format, String> {
    match (args.format, config.format.as_deref()) {
        (Some(f), _) => Ok(f),
        (None, Some(name)) => parse_format(name)
            .map_err(|e| format!("`format` of HADOLINT_FORMAT or the configuration file: {e}")),
        (None, None) => Ok(Format::Tty),
    }
}

/// One linted file.
struct Linted {
    path: String,
    source: Option<String>,
    findings: Vec<Finding>,
}

fn lint_file(path: &Path, shown: &str, config: &LintConfig) -> Result<Linted, String> {
    let bytes = input::read(path).map_err(|e| format!("{e:#}"))?;
    let (source, findings) = match dockerfile::parse_bytes(&bytes, &ParseOptions::default()) {
        Ok(doc) => {
            let findings = lint(&Model::build(&doc), config);
            (Some(doc.source), findings)
        }
        Err(err) => (
            // Text BuildKit rejects is still shown under the error's caret.
            matches!(err, dockerfile::ParseError::Syntax { .. })
                .then(|| String::from_utf8(bytes).ok())
                .flatten(),
            parse_error_finding(&err, config).into_iter().collect(),
        ),
    };
    Ok(Linted {
        path: shown.to_string(),
        source,
        findings,
    })
}

/// Runs `restage lint`: exit 0 when nothing fails the threshold, 1 when
/// something does or a file cannot be read (hadolint's codes).
pub fn run(args: &LintArgs) -> anyhow::Result<ExitCode> {
    let (config, format) =
        match configuration(args).and_then(|c| output_format(args, &c).map(|f| (c, f))) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("restage: {message}");
                return Ok(ExitCode::from(1));
            }
        };
    let shown: Vec<(&Path, String)> = args
        .files
        .iter()
        .map(|path| {
            let shown = args.file_path_in_report.clone().unwrap_or_else(|| {
                if path.as_os_str() == "-" {
                    "-".to_string()
                } else {
                    path.display().to_string()
                }
            });
            (path.as_path(), shown)
        })
        .collect();
    // Files are linted side by side and reported in the order given.
    let results =
        restage::parallel::map_ordered(&shown, |(path, shown)| lint_file(path, shown, &config));
    let mut linted = Vec::new();
    let mut failed_to_read = false;
    for result in results {
        match result {
            Ok(l) => linted.push(l),
            Err(message) => {
                eprintln!("restage: {message}");
                failed_to_read = true;
            }
        }
    }
    let files: Vec<FileReport<'_>> = linted
        .iter()
        .map(|l| FileReport {
            path: &l.path,
            source: l.source.as_deref(),
            findings: &l.findings,
        })
        .collect();
    let options = RenderOptions {
        color: format == Format::Tty && !config.no_color && std::io::stdout().is_terminal(),
        ..RenderOptions::default()
    };
    let out = render(format, &files, &options);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    let fails = linted
        .iter()
        .flat_map(|l| &l.findings)
        .any(|f| config.failure_threshold.fails(f.severity) || f.code == "DL1000");
    Ok(if failed_to_read || (fails && !config.no_fail) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
