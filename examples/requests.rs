//! A driver for counting what one request costs in the service itself:
//! sends requests through `restage::web::router` in-process, on one
//! thread, with no network, and prints the time per request.
//!
//! `cargo build --profile profiling --example requests`, then
//! `target/profiling/examples/requests healthz|lint N [FILE]` (`lint`
//! posts FILE, default the seed Python file, to `/api/v1/lint`). Under
//! `valgrind --tool=callgrind`, one request's instructions are the
//! inclusive cost of the router's top-level `Oneshot::poll`
//! (`callgrind_annotate --inclusive=yes`) over N. (Not the difference of
//! two runs' totals: start-up calibrates a clock in a loop whose length
//! under valgrind varies by millions of instructions.)

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kind = args.first().map_or("lint", String::as_str).to_owned();
    let rounds: usize = args.get(1).map_or(Ok(1000), |s| s.parse())?;
    let file = std::fs::read_to_string(
        args.get(2)
            .map_or("tests/convert/seed/python-api.Dockerfile", String::as_str),
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let dir = std::env::temp_dir().join(format!("restage-requests-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let store = restage::store::Store::open(&dir.join("restage.db").to_string_lossy()).await?;
        let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle();
        let app = restage::web::router(restage::web::AppState::new(
            store,
            restage::web::ServeConfig::default(),
            metrics,
        ));
        let start = std::time::Instant::now();
        let mut bytes = 0usize;
        for _ in 0..rounds {
            let request = match kind.as_str() {
                "healthz" => Request::get("/healthz").body(Body::empty())?,
                "lint" => Request::post("/api/v1/lint")
                    .header("content-type", "text/plain")
                    .body(Body::from(file.clone()))?,
                other => return Err(format!("unknown request {other}: healthz or lint").into()),
            };
            let response = app.clone().oneshot(request).await?;
            bytes += axum::body::to_bytes(response.into_body(), 1 << 20)
                .await?
                .len();
        }
        println!(
            "{kind}: {rounds} requests in {:?}, {:.1} µs each ({bytes} bytes)",
            start.elapsed(),
            start.elapsed().as_secs_f64() * 1e6 / rounds.max(1) as f64
        );
        std::fs::remove_dir_all(&dir)?;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
