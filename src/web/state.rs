//! What every handler shares: the store, the settings, the metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use metrics_exporter_prometheus::PrometheusHandle;

use super::config::ServeConfig;
use crate::store::{Store, hash_token};

/// The application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: ServeConfig,
    env_tokens: Vec<String>,
    metrics: PrometheusHandle,
    shutting_down: AtomicBool,
}

impl AppState {
    /// State over an open store.
    pub fn new(store: Store, config: ServeConfig, metrics: PrometheusHandle) -> Self {
        let env_tokens = config.api_tokens.iter().map(|t| hash_token(t)).collect();
        Self {
            inner: Arc::new(Inner {
                store,
                config,
                env_tokens,
                metrics,
                shutting_down: AtomicBool::new(false),
            }),
        }
    }

    /// The report store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The settings.
    pub fn config(&self) -> &ServeConfig {
        &self.inner.config
    }

    /// The Prometheus renderer.
    pub fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }

    /// Hashes of the tokens given in the environment.
    pub fn env_token_hashes(&self) -> &[String] {
        &self.inner.env_tokens
    }

    /// Marks the service as shutting down: new requests get `503`.
    pub fn begin_shutdown(&self) {
        self.inner.shutting_down.store(true, Ordering::SeqCst);
    }

    /// Whether the service is shutting down.
    pub fn shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::SeqCst)
    }
}
