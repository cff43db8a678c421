//! `restage serve`: the web service with an embedded SQLite database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use restage::web::{self, ServeConfig};

/// Options of `restage serve` (each also read from the environment).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "RESTAGE_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// SQLite database (a path or `sqlite://path`); created and migrated at start.
    #[arg(long, env = "RESTAGE_DATABASE_URL", default_value = "restage.db")]
    database_url: String,
    /// Largest accepted Dockerfile or request body, in bytes.
    #[arg(long, env = "RESTAGE_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    max_body_bytes: usize,
    /// Analyses at once before new requests get 429.
    #[arg(long, env = "RESTAGE_CONCURRENCY", default_value_t = 64)]
    concurrency: usize,
    /// Longest a request may take (e.g. `30s`).
    #[arg(long, env = "RESTAGE_REQUEST_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    request_timeout: Duration,
    /// Longest a client may take to send a request's headers, and longest
    /// an idle connection stays open (e.g. `10s`); the connection is closed
    /// after it.
    #[arg(long, env = "RESTAGE_HEADER_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    header_timeout: Duration,
    /// Analyses running at once; 0 is one per CPU.
    #[arg(long, env = "RESTAGE_ANALYSIS_WORKERS", default_value_t = 0)]
    analysis_workers: usize,
    /// Connections open at once; one more is answered 503 and closed.
    #[arg(long, env = "RESTAGE_MAX_CONNECTIONS", default_value_t = 1024)]
    max_connections: usize,
    /// API tokens, comma-separated; when any token exists, writes, listing
    /// and deletes need `Authorization: Bearer`.
    #[arg(
        long,
        env = "RESTAGE_API_TOKENS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    api_tokens: Vec<String>,
    /// Delete reports older than this (e.g. `90d`); kept forever if unset.
    #[arg(long, env = "RESTAGE_RETENTION", value_parser = humantime::parse_duration)]
    retention: Option<Duration>,
    /// The public base URL (`https://restage.example.com`): SARIF's links
    /// to rule pages and the report page's permanent link start with it;
    /// without it, SARIF links use the request's `Host`.
    #[arg(long, env = "RESTAGE_PUBLIC_URL", default_value = "")]
    public_url: String,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "RESTAGE_LOG_JSON")]
    log_json: bool,
    /// The team's `restage.toml`: its base images (`[[images]]`) join the
    /// catalog of every size estimate and its lint settings apply to every
    /// request; by default `restage.toml` in the working directory, if any.
    #[arg(short, long, env = "RESTAGE_CONFIG")]
    config: Option<PathBuf>,
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RESTAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Runs the service until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    init_logs(args.log_json);
    let (catalog, lint) = super::team::configuration(args.config.as_deref())?;
    let config = ServeConfig {
        bind: args.bind,
        database_url: args.database_url.clone(),
        max_body_bytes: args.max_body_bytes,
        concurrency: args.concurrency,
        request_timeout: args.request_timeout,
        header_timeout: args.header_timeout,
        max_connections: args.max_connections,
        analysis_workers: args.analysis_workers,
        api_tokens: args
            .api_tokens
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        retention: args.retention,
        public_url: args.public_url.clone(),
        catalog,
        lint,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(web::serve(config))?;
    Ok(ExitCode::SUCCESS)
}
