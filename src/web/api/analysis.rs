//! Running the engine off the async runtime (it is CPU work), timed.

use std::sync::Arc;
use std::time::Instant;

use super::super::inline_slots::{InlineClaim, Refusal, STUCK_AFTER};
use super::super::input::Request;
use super::super::metrics::{analysis_moved_off_runtime, analysis_time};
use super::super::problem::ApiError;
use super::super::state::AppState;
use crate::dockerfile::ParseOptions;
use crate::report::{AnalysisOptions, Report, analyze};

/// The analysis options for a request.
pub fn options(state: &AppState, request: &Request) -> AnalysisOptions {
    AnalysisOptions {
        name: request.name.clone(),
        lint: request.lint_config(&state.config().lint),
        convert: request.convert_options(),
        parse: ParseOptions {
            max_bytes: state.config().max_body_bytes,
        },
        manifests: request.manifests.clone(),
        catalog: state.config().catalog.clone(),
    }
}

/// Inputs up to this size are analysed on the runtime thread itself:
/// their analysis takes about a millisecond (22 ms at worst over ten
/// thousand fuzzed inputs), and handing it to the blocking pool and back
/// costs a lint request a quarter of its CPU time (BENCHMARKS.md).
pub const INLINE_MAX_BYTES: usize = 8 * 1024;

/// Runs `work` once an analysis slot is free, and records how long it took.
///
/// Work on an input of `input_len` bytes up to [`INLINE_MAX_BYTES`] runs
/// right here (never more at once than the runtime has threads, and not
/// while an analysis here has run for longer than
/// [`STUCK_AFTER`](super::super::inline_slots::STUCK_AFTER)); anything else
/// runs on the blocking pool, where a long analysis holds no runtime
/// thread. There the slot is held by the work itself: a request that
/// times out while its analysis runs gets its `408`, and the slot stays
/// taken until the analysis really ends, so timed-out work never lets
/// more analyses run than there are CPUs.
pub async fn run<T: Send + 'static>(
    state: &AppState,
    kind: &'static str,
    input_len: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let slot = Arc::clone(state.analysis_slots())
        .acquire_owned()
        .await
        .map_err(|_| ApiError::ShuttingDown)?;
    let start = Instant::now();
    let inline = claim_inline(state, input_len, start);
    let out = match inline {
        Some(_inline) => {
            let out = work();
            drop(slot);
            out
        }
        None => tokio::task::spawn_blocking(move || {
            let out = work();
            drop(slot);
            out
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the analysis failed: {e}")))?,
    };
    analysis_time(kind, start.elapsed().as_secs_f64());
    Ok(out)
}

/// A runtime thread's slot for an analysis of `input_len` bytes starting
/// at `start`, or `None` when it goes to the blocking pool: a large input,
/// every slot taken, or an analysis stuck in one.
fn claim_inline(state: &AppState, input_len: usize, start: Instant) -> Option<InlineClaim<'_>> {
    if input_len > INLINE_MAX_BYTES {
        return None;
    }
    match state.inline_slots().try_claim(start) {
        Ok(claim) => Some(claim),
        Err(Refusal::Busy) => None,
        Err(Refusal::Stuck { running_for, first }) => {
            if first {
                tracing::warn!(
                    running_ms = running_for.as_millis(),
                    limit_ms = STUCK_AFTER.as_millis(),
                    "an analysis has been running on a runtime thread for too long; \
                     analyses go to the blocking pool until it ends"
                );
            }
            analysis_moved_off_runtime();
            None
        }
    }
}

/// Analyses a request into a report.
pub async fn report(state: &AppState, request: Request) -> Result<Report, ApiError> {
    let options = options(state, &request);
    run(state, "report", request.input_len(), move || {
        analyze(&request.dockerfile, &options)
    })
    .await?
    .map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::store::Store;
    use crate::web::ServeConfig;

    async fn state(name: &str) -> AppState {
        let dir =
            std::env::temp_dir().join(format!("restage-analysis-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = Store::open(&dir.join("restage.db").to_string_lossy())
            .await
            .expect("store opens");
        let metrics = crate::web::metrics::handle().unwrap_or_else(|| {
            metrics_exporter_prometheus::PrometheusBuilder::new()
                .build_recorder()
                .handle()
        });
        AppState::new(store, ServeConfig::default(), metrics)
    }

    /// Two analyses stuck one after the other (a user retrying a request
    /// that hangs) must not take both runtime threads: the second goes to
    /// the blocking pool, and other work is still served at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stuck_analysis_keeps_the_next_off_the_runtime_threads() {
        let state = state("stuck").await;
        let stuck = |state: AppState| {
            tokio::spawn(async move {
                run(&state, "lint", 10, || {
                    std::thread::sleep(Duration::from_millis(1500))
                })
                .await
            })
        };
        // The test's own thread is no runtime thread: it waits with the
        // thread's sleep, as a timer needs a free runtime thread to fire.
        let first = stuck(state.clone());
        std::thread::sleep(STUCK_AFTER * 2);
        let second = stuck(state.clone());
        std::thread::sleep(Duration::from_millis(100));

        // A task spawned now needs a free runtime thread to run.
        let spawned = Instant::now();
        let waited = tokio::spawn(async move { spawned.elapsed() })
            .await
            .expect("the probe runs");
        assert!(
            waited < Duration::from_millis(500),
            "a runtime thread should be free while two analyses are stuck; the probe waited {waited:?}"
        );
        assert!(first.await.is_ok_and(|r| r.is_ok()));
        assert!(second.await.is_ok_and(|r| r.is_ok()));
    }
}
