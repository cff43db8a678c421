//! `restage convert`: the multi-stage version of a Dockerfile.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use restage::convert::{ConvertOptions, Outcome, RuntimePreference, convert_model_with_manifests};
use restage::dockerfile::{self, ParseOptions};
use restage::model::Model;

use super::input;
use super::manifests::ManifestFlags;

/// Options of `restage convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Output: the Dockerfile, or JSON with the changes and assumptions.
    #[arg(long, value_enum, default_value_t = ConvertFormat::Dockerfile)]
    format: ConvertFormat,
    /// Print the changes and assumptions for a person (on stderr with the
    /// Dockerfile format, so the Dockerfile can still be redirected).
    #[arg(long)]
    explain: bool,
    /// Conversion options.
    #[command(flatten)]
    conversion: ConvertFlags,
    /// Dependency manifests: what they list decides runtime libraries
    /// (`psycopg2` in requirements.txt puts libpq in a Python runtime).
    #[command(flatten)]
    manifests: ManifestFlags,
    /// The Dockerfile, or `-` for standard input.
    file: PathBuf,
}

/// The conversion options, shared by `restage convert` and `restage report`.
#[derive(Debug, clap::Args)]
pub struct ConvertFlags {
    /// Runtime image preference.
    #[arg(long, value_enum, default_value_t = Runtime::Auto)]
    runtime: Runtime,
    /// The user the image runs as (name or uid); default: a non-root user,
    /// or the one the runtime image already has.
    #[arg(long, value_name = "NAME|UID", value_parser = user_arg)]
    user: Option<String>,
    /// Use BuildKit cache mounts for package managers (adds the `# syntax` directive).
    #[arg(long, overrides_with = "no_cache_mounts")]
    cache_mounts: bool,
    /// No cache mounts (the default).
    #[arg(long)]
    no_cache_mounts: bool,
}

impl ConvertFlags {
    /// The options the flags ask for.
    pub fn options(&self) -> ConvertOptions {
        ConvertOptions {
            runtime: match self.runtime {
                Runtime::Auto => RuntimePreference::Auto,
                Runtime::Slim => RuntimePreference::Slim,
                Runtime::Alpine => RuntimePreference::Alpine,
                Runtime::Distroless => RuntimePreference::Distroless,
                Runtime::Scratch => RuntimePreference::Scratch,
            },
            user: self.user.clone(),
            cache_mounts: self.cache_mounts && !self.no_cache_mounts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConvertFormat {
    /// The converted Dockerfile.
    Dockerfile,
    /// `{dockerfile, ecosystem, strategy, confidence, changes, assumptions, warnings, evidence}`.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Runtime {
    Auto,
    Slim,
    Alpine,
    Distroless,
    Scratch,
}

/// A person's account of a conversion.
fn explanation(outcome: &Outcome) -> String {
    let c = &outcome.conversion;
    let mut out = format!(
        "Ecosystem: {} (strategy {}, confidence {:?})\n",
        c.ecosystem.name(),
        c.strategy,
        c.confidence
    );
    if !outcome.evidence.is_empty() {
        out.push_str("\nDetected:\n");
        for e in &outcome.evidence {
            out.push_str(&format!("  line {:>3}: {}\n", e.line, e.fact));
        }
    }
    if !c.changes.is_empty() {
        out.push_str("\nChanges:\n");
        for ch in &c.changes {
            let from = if ch.source_lines.is_empty() {
                String::new()
            } else {
                format!(" (from line {})", join(&ch.source_lines))
            };
            let to = if ch.output_lines.is_empty() {
                String::new()
            } else {
                format!(" → line {}", join(&ch.output_lines))
            };
            out.push_str(&format!(
                "  - {}{from}{to}\n    {}\n",
                ch.summary, ch.reason
            ));
        }
    }
    for (title, list) in [("Assumptions", &c.assumptions), ("Warnings", &c.warnings)] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for a in list {
                out.push_str(&format!("  - {a}\n"));
            }
        }
    }
    out
}

fn join(lines: &[usize]) -> String {
    match (lines.first(), lines.last()) {
        (Some(a), Some(b)) if a != b && lines.len() == b - a + 1 => format!("{a}-{b}"),
        _ => lines
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Runs `restage convert`: exit 0 with the result, 1 when the file does
/// not parse, 2 when it cannot be converted (the reason on stderr).
pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let bytes = input::read(&args.file)?;
    let doc = match dockerfile::parse_bytes(&bytes, &ParseOptions::default()) {
        Ok(doc) => doc,
        Err(err) => {
            eprintln!("{}: {err}", input::location(&args.file, err.location()));
            return Ok(ExitCode::from(1));
        }
    };
    let options = args.conversion.options();
    let (manifests, _) = args.manifests.read(&args.file)?;
    let model = Model::build(&doc);
    let outcome = match convert_model_with_manifests(&doc, &model, &options, &manifests) {
        Ok(o) => o,
        Err(refusal) => {
            eprintln!(
                "restage: cannot convert {}: {refusal}",
                input::display_name(&args.file)
            );
            return Ok(ExitCode::from(2));
        }
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ConvertFormat::Json => {
            let mut json = serde_json::to_string_pretty(&outcome)?;
            json.push('\n');
            stdout.write_all(json.as_bytes())?;
        }
        ConvertFormat::Dockerfile => {
            stdout.write_all(outcome.conversion.dockerfile.as_bytes())?;
            stdout.flush()?;
            if args.explain {
                eprint!("{}", explanation(&outcome));
            }
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--user`: a name or uid, optionally with `:group` ([`check_user`]).
fn user_arg(user: &str) -> Result<String, restage::convert::user::InvalidUser> {
    restage::convert::user::check_user(user).map(|()| user.to_string())
}
