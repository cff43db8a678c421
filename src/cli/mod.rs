//! Command-line interface: argument parsing and the subcommands.

mod admin;
mod convert;
mod input;
mod lint;
mod manifests;
mod parse;
mod report;
mod serve;
mod team;

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
    /// The whole analysis: lint findings, the multi-stage Dockerfile and the
    /// image sizes before and after (manifests beside the Dockerfile refine them).
    Report(report::ReportArgs),
    /// Run the web service (HTML UI and REST API) with an embedded SQLite database.
    Serve(serve::ServeArgs),
    /// Manage API tokens of a team instance.
    Token(admin::TokenArgs),
    /// Delete old reports from the database.
    Prune(admin::PruneArgs),
    /// Check that a running service is ready (exit 0), for container health checks.
    Healthcheck(admin::HealthcheckArgs),
}

/// Runs the command line and returns the process exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Token(args) => admin::token(&args),
        Command::Prune(args) => admin::prune(&args),
        Command::Healthcheck(args) => admin::healthcheck(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("restage: {err:#}");
            ExitCode::from(2)
        }
    }
}
