//! `restage report`: the whole analysis of a Dockerfile (lint, convert,
//! size) as text with the size tables, or as the report JSON.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use restage::report::{AnalysisOptions, analyze, text};
use restage::size::ManifestKind;

use super::convert::ConvertFlags;
use super::input;

/// Options of `restage report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output: text with the size tables, or the full report as JSON.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// A dependency manifest for the size estimate (requirements.txt,
    /// pyproject.toml, poetry.lock, package.json, go.mod, Cargo.toml,
    /// pom.xml, Gemfile, composer.json); repeatable.
    #[arg(long = "manifest", value_name = "PATH")]
    manifests: Vec<PathBuf>,
    /// Do not read the manifests beside the Dockerfile (those given with
    /// `--manifest` are still read).
    #[arg(long)]
    no_manifests: bool,
    /// `restage.toml` with the team's base images (`[[images]]`) and lint
    /// settings, or a `.hadolint.yaml`; by default what `restage lint`
    /// reads (`restage.toml`, then `.hadolint.yaml`, then hadolint's user
    /// configuration), with hadolint's environment variables.
    #[arg(short = 'c', long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Conversion options.
    #[command(flatten)]
    conversion: ConvertFlags,
    /// The Dockerfile, or `-` for standard input.
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Summary, findings, the multi-stage Dockerfile and the size tables.
    Text,
    /// The report JSON (the API's shape).
    Json,
}

/// Manifests beside the Dockerfile (and pip's `requirements/` directory),
/// named by their path relative to the Dockerfile's directory.
fn beside(dockerfile: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if dockerfile.as_os_str() == "-" {
        return Ok(out);
    }
    let dir = match dockerfile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let places = [
        (dir.clone(), String::new()),
        (dir.join("requirements"), "requirements/".to_string()),
    ];
    for (sub, prefix) in places {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let key = format!("{prefix}{name}");
            if ManifestKind::detect(&key).is_none() {
                continue;
            }
            let path = sub.join(&name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            out.insert(key, text);
        }
    }
    Ok(out)
}

/// What to say of each manifest given with `--manifest` that the estimate
/// did not use: a file restage does not read as a manifest, or one the
/// Dockerfile does not refer to (by its path or its name), which the JSON
/// would only show as missing from `manifests_used`.
fn unused_manifests(given: &[String], report: &restage::report::Report) -> Vec<String> {
    let used = |name: &str| {
        report.size.as_ref().is_some_and(|size| {
            std::iter::once(&size.before)
                .chain(size.after.as_ref())
                .any(|image| image.manifests_used.iter().any(|m| m == name))
        })
    };
    let unreadable = |name: &str| {
        report
            .size
            .as_ref()
            .is_some_and(|size| size.before.manifest_errors.iter().any(|e| e.file == name))
    };
    given
        .iter()
        .filter(|name| !used(name) && !unreadable(name))
        .map(|name| {
            if ManifestKind::detect(name).is_none() {
                format!(
                    "{name} is not a manifest restage reads (requirements*.txt, pyproject.toml, poetry.lock, package.json, go.mod, Cargo.toml, pom.xml, Gemfile, composer.json): not used"
                )
            } else {
                format!(
                    "{name} is not used: the Dockerfile does not refer to it by its path or its name"
                )
            }
        })
        .collect()
}

/// Runs `restage report`: exit 0 with the report, 1 when the file does not
/// parse (where, on stderr), 2 when a file cannot be read.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let bytes = input::read(&args.file)?;
    // The team's catalog from `restage.toml`; the lint settings exactly as
    // `restage lint` finds them (`.hadolint.yaml`, `HADOLINT_*`), so both
    // commands report the same findings.
    let catalog = match args.config.as_deref() {
        Some(yaml) if yaml.extension().is_none_or(|e| e != "toml") => {
            restage::size::Catalog::builtin()
        }
        explicit => super::team::configuration(explicit)?.0,
    };
    let lint =
        super::lint::file_and_environment(args.config.as_deref()).map_err(anyhow::Error::msg)?;
    let mut manifests = if args.no_manifests {
        BTreeMap::new()
    } else {
        beside(&args.file)?
    };
    let mut given = Vec::with_capacity(args.manifests.len());
    for path in &args.manifests {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.to_string_lossy().trim_start_matches("./").to_string();
        given.push(name.clone());
        manifests.insert(name, text);
    }
    let options = AnalysisOptions {
        name: Some(input::display_name(&args.file)),
        lint,
        convert: args.conversion.options(),
        manifests,
        catalog,
        ..AnalysisOptions::default()
    };
    let report = match analyze(&bytes, &options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("{}: {err}", input::display_name(&args.file));
            return Ok(ExitCode::from(1));
        }
    };
    for warning in unused_manifests(&given, &report) {
        eprintln!("warning: {warning}");
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ReportFormat::Text => stdout.write_all(text::render(&report).as_bytes())?,
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report)?;
            json.push('\n');
            stdout.write_all(json.as_bytes())?;
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
