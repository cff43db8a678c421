//! `restage report`: the whole analysis of a Dockerfile (lint, convert,
//! size) as text with the size tables, or as the report JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use restage::report::{AnalysisOptions, InputError, analyze, text};
use restage::size::ManifestKind;

use super::convert::ConvertFlags;
use super::input;
use super::manifests::ManifestFlags;

/// Options of `restage report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output: text with the size tables, or the full report as JSON.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Dependency manifests.
    #[command(flatten)]
    manifests: ManifestFlags,
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
                    "{name} is not a manifest restage reads ({}): not used",
                    restage::size::READ_MANIFESTS
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
    let (manifests, given) = args.manifests.read(&args.file)?;
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
        Err(InputError::Invalid {
            message,
            line,
            column,
        }) => {
            let at = restage::dockerfile::Location::point(line, column);
            eprintln!("{}: {message}", input::location(&args.file, Some(at)));
            return Ok(ExitCode::from(1));
        }
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
