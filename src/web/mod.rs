//! The web service: the REST API and the HTML UI over the store, with
//! the layers every request goes through: tracing, metrics, timeouts, a
//! concurrency limit with load shedding, compression, security headers, and
//! `503` while shutting down.

pub mod api;
mod auth;
pub mod config;
pub mod inline_slots;
pub mod input;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod state;
pub mod ui;

use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{BoxError, Router};
use thiserror::Error;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use api::analysis::INLINE_MAX_BYTES;
pub use config::ServeConfig;
pub use state::AppState;

use problem::ApiError;

use crate::store::{Store, StoreError, now_ms};

/// Why the service could not run.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// The Content-Security-Policy of every response: nothing from other
/// hosts, no inline script or style.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn layer_error(err: BoxError) -> ApiError {
    if err.is::<tower::load_shed::error::Overloaded>() {
        ApiError::Overloaded
    } else if err.is::<tower::timeout::error::Elapsed>() {
        ApiError::Timeout
    } else {
        ApiError::Internal(format!("unhandled error: {err}"))
    }
}

/// [`layer_error`] for the forms a browser submits: a page, not a problem
/// body. (An error handler with extractors copies them from every request,
/// so the two kinds of route get one handler each instead.)
async fn ui_layer_error(err: BoxError) -> Response {
    let message = if err.is::<tower::load_shed::error::Overloaded>() {
        "Too many analyses are running. Try again in a moment."
    } else {
        "The request could not be served."
    };
    let status = layer_error(err).await.into_response().status();
    ui::UiError::Status(status, message.to_string()).into_response()
}

async fn shutdown_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.shutting_down() {
        return ApiError::ShuttingDown.into_response();
    }
    next.run(request).await
}

/// `404`: a problem body under `/api/`, where clients are programs; the
/// HTML "Not found" page everywhere else, as for an unknown report or rule,
/// whatever the client accepts.
async fn not_found(
    State(state): State<AppState>,
    method: axum::http::Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound(format!("nothing at `{}`", uri.path())).into_response()
    } else {
        ui::with_session(&state, &method, &uri, &headers, async {
            ui::not_found_page(uri.path())
        })
        .await
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("the request failed unexpectedly; nothing was stored".into()).into_response()
}

/// `405`: the path exists, the method does not. A problem body like every
/// other error; axum adds the `Allow` header.
async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "`{}` does not take {method}; its Allow header lists the methods it takes",
        uri.path()
    ))
}

/// The application with every route and layer.
///
/// Only the layers that need the matched route (the metrics' route label)
/// or the state are `Router::layer`s. The rest wrap the whole router once,
/// as one service: a `Router::layer` boxes every route again, and each
/// request cloned its route through all those boxes. Wrapping once made
/// `/healthz` cost 32 K instructions instead of 47 K, and a lint of the
/// seed file 316 K instead of 334 K (`examples/requests.rs`; BENCHMARKS.md,
/// "One stack of layers, not one per route").
pub fn router(state: AppState) -> Router {
    // One limit for every analysing route: a `Router::layer` makes a
    // service per route, and `concurrency_limit` a semaphore per service.
    let slots = Arc::new(Semaphore::new(state.config().concurrency.max(1)));
    let engine = api::engine_routes()
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(layer_error))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::with_semaphore(Arc::clone(
                    &slots,
                ))),
        )
        .merge(
            ui::engine_routes(&state).layer(
                ServiceBuilder::new()
                    .layer(HandleErrorLayer::new(ui_layer_error))
                    .load_shed()
                    .layer(GlobalConcurrencyLimitLayer::with_semaphore(slots)),
            ),
        );
    let timeout = state.config().request_timeout;
    let routes = Router::new()
        .merge(engine)
        .merge(api::read_routes())
        .merge(ui::read_routes(&state))
        .route("/api/openapi.json", get(openapi::document))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            shutdown_guard,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state);
    // Outermost first.
    let stack = ServiceBuilder::new()
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
        .layer(header_layer(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(CompressionLayer::new())
        .layer(HandleErrorLayer::new(layer_error))
        .timeout(timeout)
        .service(routes);
    Router::new().fallback_service(stack)
}

/// Waits for SIGINT or SIGTERM, then marks the state as shutting down.
async fn shutdown_signal(state: AppState) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
    state.begin_shutdown();
}

/// Deletes reports older than the retention, every hour.
async fn retention_loop(store: Store, retention: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let cutoff = now_ms() - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        match store.prune(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "retention: old reports deleted"),
            Err(e) => tracing::warn!(error = %e, "retention: pruning failed"),
        }
    }
}

/// Serves HTTP/1.1 connections until SIGINT/SIGTERM, then waits for the
/// connections in flight to finish their requests.
///
/// Not `axum::serve`: it sets no timer on hyper's connections, so a client
/// that sends its headers one byte at a time, or opens a connection and
/// sends nothing, holds a task and a file descriptor forever. Here every
/// connection must deliver a request's headers within `header_timeout`
/// (idle keep-alive connections included) or it is closed; the body is
/// covered by the request timeout (`408`).
///
/// At most `max_connections` connections are served at once; one more is
/// answered `503` (`too-many-connections`) and closed, so a flood of
/// connections costs file descriptors for a moment, not memory for ever.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router, state: AppState) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    let header_timeout = state.config().header_timeout;
    let slots = Arc::new(Semaphore::new(state.config().max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let shutdown = shutdown_signal(state);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone().map_request(
            |request: Request<hyper::body::Incoming>| request.map(axum::body::Body::new),
        ));
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Answers a connection over the limit: its first request gets `503` and
/// the connection is closed (within a second if it sends nothing).
async fn refuse(stream: tokio::net::TcpStream) {
    use hyper_util::rt::{TokioIo, TokioTimer};

    metrics::refused_connection();
    let service = hyper::service::service_fn(|_: Request<hyper::body::Incoming>| async {
        let mut response = ApiError::TooManyConnections.into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response.headers_mut().insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        Ok::<_, std::convert::Infallible>(response)
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(1))
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(Duration::from_secs(2), connection).await;
}

/// After a failed `accept`: a client that gave up is nothing; anything else
/// (out of file descriptors) is logged and waited out for a second, as
/// `axum::serve` does, instead of spinning.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Opens the store, listens, serves until SIGINT/SIGTERM, then finishes the
/// requests in flight and closes the database.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let store = Store::open(&config.database_url).await?;
    let metrics = metrics::handle().unwrap_or_else(|| {
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle()
    });
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    tracing::info!(%addr, database = %config.database_url, "restage is listening");
    if let Some(retention) = config.retention {
        tokio::spawn(retention_loop(store.clone(), retention));
    }
    let state = AppState::new(store.clone(), config, metrics);
    accept_loop(listener, router(state.clone()), state).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
