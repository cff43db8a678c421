//! `restage parse`: BuildKit's nodes, typed instructions and resolved build.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use restage::dockerfile::instructions::parse_instructions;
use restage::dockerfile::resolve::{Platform, ResolveOptions, resolve};
use restage::dockerfile::{self, ParseOptions};

use super::input;

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Dump)]
    format: ParseFormat,
    /// Largest accepted input, in bytes.
    #[arg(long, default_value_t = dockerfile::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// A build argument, `NAME=VALUE` (with `--format stages`; repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
    build_args: Vec<(String, String)>,
    /// The stage built (with `--format stages`; default: the last).
    #[arg(long)]
    target: Option<String>,
    /// The target platform (with `--format stages`; default: linux/amd64).
    #[arg(long, value_parser = parse_platform)]
    platform: Option<Platform>,
    /// The Dockerfile to read, or `-` for standard input.
    file: PathBuf,
}

fn parse_build_arg(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    Platform::parse(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ParseFormat {
    /// BuildKit's AST dump, as in its `result` test files.
    Dump,
    /// Nodes as JSON, with lines, flags, heredocs and comments.
    Json,
    /// Typed instructions and the resolved build as JSON: stages, the stage
    /// graph, variable scopes and every expanded field. Files BuildKit would
    /// refuse to build are rejected with its message.
    Stages,
}

/// Runs `restage parse`.
pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let bytes = input::read(&args.file)?;
    let options = ParseOptions {
        max_bytes: args.max_bytes,
    };
    let doc = match dockerfile::parse_bytes(&bytes, &options) {
        Ok(doc) => doc,
        Err(err) => {
            eprintln!("{}: {err}", input::location(&args.file, err.location()));
            return Ok(ExitCode::from(1));
        }
    };
    let out = match args.format {
        ParseFormat::Dump => dockerfile::dump::dump(&doc),
        ParseFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(&dockerfile::export::DocumentJson::new(&doc))?;
            json.push('\n');
            json
        }
        ParseFormat::Stages => match stages_json(&doc, args)? {
            Ok(json) => json,
            Err((at, message)) => {
                eprintln!("{}: {message}", input::location(&args.file, Some(at)));
                return Ok(ExitCode::from(1));
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Typed instructions and the resolved build, or BuildKit's error and
/// where it is.
fn stages_json(
    doc: &dockerfile::Document,
    args: &ParseArgs,
) -> anyhow::Result<Result<String, (dockerfile::Location, String)>> {
    let instructions = match parse_instructions(doc) {
        Ok(i) => i,
        Err(err) => return Ok(Err((err.location, err.to_string()))),
    };
    let options = ResolveOptions {
        build_args: args.build_args.iter().cloned().collect(),
        target_platform: args.platform.clone().unwrap_or_default(),
        target: args.target.clone(),
        ..ResolveOptions::default()
    };
    let resolution = match resolve(doc, &instructions, &options) {
        Ok(r) => r,
        Err(err) => return Ok(Err((err.location, err.to_string()))),
    };
    #[derive(serde::Serialize)]
    struct Stages<'a> {
        instructions: &'a restage::dockerfile::instructions::Instructions,
        resolution: &'a restage::dockerfile::resolve::Resolution,
    }
    let mut json = serde_json::to_string_pretty(&Stages {
        instructions: &instructions,
        resolution: &resolution,
    })?;
    json.push('\n');
    Ok(Ok(json))
}
