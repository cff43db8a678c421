//! What every handler shares: the store, the settings, the metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::Semaphore;

use super::config::ServeConfig;
use super::inline_slots::InlineSlots;
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
    analysis_slots: Arc<Semaphore>,
    inline_slots: InlineSlots,
}

impl AppState {
    /// State over an open store.
    pub fn new(store: Store, config: ServeConfig, metrics: PrometheusHandle) -> Self {
        let env_tokens = config.api_tokens.iter().map(|t| hash_token(t)).collect();
        let workers = analysis_workers(config.analysis_workers);
        Self {
            inner: Arc::new(Inner {
                store,
                config,
                env_tokens,
                metrics,
                shutting_down: AtomicBool::new(false),
                analysis_slots: Arc::new(Semaphore::new(workers)),
                inline_slots: InlineSlots::new(cpus()),
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

    /// One permit per analysis that may run at once (one per CPU unless
    /// configured): the
    /// analysis is CPU work, so more at once only adds threads and memory.
    /// A permit is held until the analysis ends, even when its request has
    /// already timed out.
    pub fn analysis_slots(&self) -> &Arc<Semaphore> {
        &self.inner.analysis_slots
    }

    /// One slot per runtime thread (one per CPU): a small input's
    /// analysis runs on the runtime thread that claims one instead of on
    /// the blocking pool, so configuring more analysis workers than CPUs
    /// never puts more analyses than that on the runtime's threads, and
    /// none goes there while one there is stuck.
    pub fn inline_slots(&self) -> &InlineSlots {
        &self.inner.inline_slots
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

/// How many analyses run at once: as configured, or the CPUs this process
/// may use.
fn analysis_workers(configured: usize) -> usize {
    match configured {
        0 => cpus(),
        n => n,
    }
}

/// The CPUs this process may use: the runtime's thread count too.
fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}
