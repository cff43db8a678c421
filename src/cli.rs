//! Command-line interface: argument parsing and the subcommands.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use restage::dockerfile::{self, ParseError, ParseOptions};

/// Lint Dockerfiles and turn them into lean multi-stage builds.
#[derive(Debug, Parser)]
#[command(name = "restage", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse a Dockerfile exactly as BuildKit does and print its nodes.
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
struct ParseArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Dump)]
    format: ParseFormat,
    /// Largest accepted input, in bytes.
    #[arg(long, default_value_t = dockerfile::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// The Dockerfile to read, or `-` for standard input.
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ParseFormat {
    /// BuildKit's AST dump, as in its `result` test files.
    Dump,
    /// Nodes as JSON, with lines, flags, heredocs and comments.
    Json,
}

/// Runs the command line and returns the process exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("restage: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Reads a file, or standard input for `-`.
fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(bytes)
}

fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// `FILE:LINE: message`, the way BuildKit reports a parse error.
fn report_parse_error(path: &Path, err: &ParseError) {
    eprintln!("{}:{}: {}", display_name(path), err.line(), err);
}

fn parse(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let bytes = read_input(&args.file)?;
    let options = ParseOptions {
        max_bytes: args.max_bytes,
    };
    let doc = match dockerfile::parse_bytes(&bytes, &options) {
        Ok(doc) => doc,
        Err(err) => {
            report_parse_error(&args.file, &err);
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
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
