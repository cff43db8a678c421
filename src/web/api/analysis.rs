//! Running the engine off the async runtime (it is CPU work), timed.

use std::sync::Arc;
use std::time::Instant;

use super::super::input::Request;
use super::super::metrics::analysis_time;
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
/// right here (never more at once than the runtime has threads); anything
/// larger runs on the blocking pool, where a long analysis holds no
/// runtime thread. There the slot is held by the work itself: a request that times out while its analysis
/// runs gets its `408`, and the slot stays taken until the analysis really
/// ends, so timed-out work never lets more analyses run than there are
/// CPUs.
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
    let inline = (input_len <= INLINE_MAX_BYTES)
        .then(|| state.inline_slots().try_acquire().ok())
        .flatten();
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

/// Analyses a request into a report.
pub async fn report(state: &AppState, request: Request) -> Result<Report, ApiError> {
    let options = options(state, &request);
    run(state, "report", request.input_len(), move || {
        analyze(&request.dockerfile, &options)
    })
    .await?
    .map_err(ApiError::from)
}
