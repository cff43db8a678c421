//! `restage token create`, `restage prune`, `restage healthcheck`: running a
//! team instance.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use restage::store::{Store, now_ms};

/// `restage token ...`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Create an API token; it is printed once and stored hashed.
    Create {
        /// A name to remember it by (`ci`, `alice`).
        #[arg(long, default_value = "token")]
        name: String,
        /// SQLite database.
        #[arg(long, env = "RESTAGE_DATABASE_URL", default_value = "restage.db")]
        database_url: String,
    },
}

/// `restage prune`.
#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Delete reports older than this (`30d`, `12h`).
    #[arg(long, value_parser = humantime::parse_duration)]
    older_than: Duration,
    /// SQLite database.
    #[arg(long, env = "RESTAGE_DATABASE_URL", default_value = "restage.db")]
    database_url: String,
}

/// `restage healthcheck`.
#[derive(Debug, clap::Args)]
pub struct HealthcheckArgs {
    /// The service's address.
    #[arg(long, env = "RESTAGE_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Creates a token.
pub fn token(args: &TokenArgs) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create { name, database_url } = &args.command;
    let token = runtime()?.block_on(async {
        let store = Store::open(database_url).await?;
        let token = store.create_token(name).await;
        store.close().await;
        token
    })?;
    println!("{token}");
    eprintln!("restage: token `{name}` created; it is shown only now.");
    Ok(ExitCode::SUCCESS)
}

/// Deletes old reports.
pub fn prune(args: &PruneArgs) -> anyhow::Result<ExitCode> {
    let cutoff = now_ms() - i64::try_from(args.older_than.as_millis()).unwrap_or(i64::MAX);
    let deleted = runtime()?.block_on(async {
        let store = Store::open(&args.database_url).await?;
        let n = store.prune(cutoff).await;
        store.close().await;
        n
    })?;
    println!("{deleted} report(s) deleted");
    Ok(ExitCode::SUCCESS)
}

/// Asks the running service whether it is ready (`GET /readyz`): for the
/// image's HEALTHCHECK, since `scratch` has no curl. Exit 0 when ready.
pub fn healthcheck(args: &HealthcheckArgs) -> anyhow::Result<ExitCode> {
    let mut addr = args.bind;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::IpAddr::from([127, 0, 0, 1]));
    }
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(3))
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let ready = response.starts_with("HTTP/1.1 200");
    if !ready {
        eprintln!(
            "restage: not ready: {}",
            response.lines().next().unwrap_or("no answer")
        );
    }
    Ok(if ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
