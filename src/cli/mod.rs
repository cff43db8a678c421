//! Command-line interface: argument parsing and the subcommands.

mod convert;
mod input;
mod lint;
mod parse;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Parse(parse::ParseArgs),
    /// Lint Dockerfiles: hadolint's rules, BuildKit's checks, restage's own.
    Lint(lint::LintArgs),
    /// Convert a Dockerfile into a multi-stage build with a minimal runtime stage.
    Convert(convert::ConvertArgs),
}

/// Runs the command line and returns the process exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Convert(args) => convert::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("restage: {err:#}");
            ExitCode::from(2)
        }
    }
}
