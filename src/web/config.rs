//! How the service runs: address, database, limits, tokens, logs.

use std::net::SocketAddr;
use std::time::Duration;

use crate::lint::LintConfig;
use crate::size::Catalog;

/// The service's settings (from flags and environment, see `restage serve`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServeConfig {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The SQLite database (`sqlite://path` or a path).
    pub database_url: String,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Requests analysed at once before new ones get `429`.
    pub concurrency: usize,
    /// Longest a request may take, body included (`408` after it).
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's headers, and longest
    /// an idle connection stays open; the connection is closed after it.
    pub header_timeout: Duration,
    /// Analyses running at once (CPU work, on the blocking pool); `0` is
    /// one per CPU.
    pub analysis_workers: usize,
    /// Connections open at once; a connection over it is answered `503`
    /// and closed.
    pub max_connections: usize,
    /// API tokens from the environment (`RESTAGE_API_TOKENS`); stored
    /// tokens (`restage token create`) count too.
    pub api_tokens: Vec<String>,
    /// Delete reports older than this, checked hourly.
    pub retention: Option<Duration>,
    /// Where SARIF and the UI link rule pages.
    pub public_url: String,
    /// The image catalog: the built-in rows and the team's own
    /// (`[[images]]` of `restage.toml`).
    pub catalog: Catalog,
    /// The team's lint settings (`restage.toml`); a request's own
    /// `ignore` and `trusted_registries` add to them.
    pub lint: LintConfig,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "restage.db".into(),
            max_body_bytes: 256 * 1024,
            concurrency: 64,
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            analysis_workers: 0,
            api_tokens: Vec::new(),
            retention: None,
            public_url: String::new(),
            catalog: Catalog::builtin(),
            lint: LintConfig::default(),
        }
    }
}

impl ServeConfig {
    /// The base URL rule pages live under (`…/rules/`).
    pub fn rules_url(&self) -> String {
        format!("{}/rules/", self.public_url.trim_end_matches('/'))
    }
}
