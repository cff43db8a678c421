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
    /// The public base URL: SARIF's rule links and the report page's
    /// permanent link start with it (see [`ServeConfig::base_url`] when it
    /// is empty).
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
    /// This service's absolute address for a request that was sent to
    /// `host` (its `Host` header): the public URL when one is configured;
    /// else `http://` and `host` when it is a host name or IP address with
    /// an optional port and nothing else; else the address the service
    /// listens on. No trailing `/`.
    pub fn base_url(&self, host: Option<&str>) -> String {
        let public = self.public_url.trim_end_matches('/');
        if !public.is_empty() {
            return public.to_string();
        }
        match host.filter(|h| is_host_and_port(h)) {
            Some(host) => format!("http://{host}"),
            None => format!("http://{}", self.bind),
        }
    }

    /// The absolute base URL rule pages live under (`…/rules/`), for a
    /// request sent to `host` ([`ServeConfig::base_url`]).
    pub fn rules_url(&self, host: Option<&str>) -> String {
        format!("{}/rules/", self.base_url(host))
    }
}

/// Whether `text` is a `Host` header restage copies into links: a DNS
/// name or an IPv4 address, or a bracketed IPv6 address, then optionally
/// `:` and a port. Anything else (a path, user information, quotes, spaces)
/// is not.
fn is_host_and_port(text: &str) -> bool {
    // (the host name, `None` for an IPv6 address; the port, without `:`)
    let (name, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let Some((inside, after)) = rest.split_once(']') else {
                return false;
            };
            let address = !inside.is_empty()
                && inside
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            let port = match after {
                "" => None,
                after => match after.strip_prefix(':') {
                    Some(port) => Some(port),
                    None => return false,
                },
            };
            if !address {
                return false;
            }
            (None, port)
        }
        None => match text.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(text), None),
        },
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = name.is_none_or(|name| {
        (1..=253).contains(&name.len())
            && name.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    });
    name_ok && port_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_use_the_public_url_else_a_plain_host_else_the_bind_address() {
        let config = ServeConfig::default();
        for (host, base) in [
            (
                Some("restage.internal:8080"),
                "http://restage.internal:8080",
            ),
            (Some("localhost"), "http://localhost"),
            (Some("10.0.0.7:80"), "http://10.0.0.7:80"),
            (Some("[::1]:8080"), "http://[::1]:8080"),
            (None, "http://127.0.0.1:8080"),
            (Some(""), "http://127.0.0.1:8080"),
            (Some("evil.example/x"), "http://127.0.0.1:8080"),
            (Some("user@evil.example"), "http://127.0.0.1:8080"),
            (Some("a b"), "http://127.0.0.1:8080"),
            (Some("host:80:80"), "http://127.0.0.1:8080"),
            (Some("host:"), "http://127.0.0.1:8080"),
            (Some("host..x"), "http://127.0.0.1:8080"),
            (Some("[::1"), "http://127.0.0.1:8080"),
            (Some("[zz]"), "http://127.0.0.1:8080"),
            (Some("\"<a>\""), "http://127.0.0.1:8080"),
        ] {
            assert_eq!(config.base_url(host), base, "{host:?}");
        }
        let public = ServeConfig {
            public_url: "https://restage.example.com/".into(),
            ..ServeConfig::default()
        };
        assert_eq!(
            public.rules_url(Some("other:1")),
            "https://restage.example.com/rules/"
        );
    }
}
