//! The HTML UI: paste a Dockerfile, read the report, browse the history
//! and the rules. Server-rendered askama templates (`templates/`), assets
//! embedded in the binary (`static/`); everything works without
//! JavaScript, and everything a user pasted is escaped by the templates.

mod api_page;
mod assets;
pub mod diff;
mod form;
pub mod highlight;
mod history;
mod home;
pub mod inline;
mod markdown;
mod report;
mod rules;
mod session;
pub mod sizes;
mod submit;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::problem::ApiError;
use super::state::AppState;

/// What every page's layout needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title (before "· restage").
    pub title: String,
    /// Which navigation entry is current (`new`, `history`, `rules`, `api`).
    pub active: &'static str,
}

impl Layout {
    /// A layout with a title and the current navigation entry.
    pub fn new(title: impl Into<String>, active: &'static str) -> Self {
        Self {
            title: title.into(),
            active,
        }
    }
}

/// A page that could not be shown, as an HTML error page.
#[derive(Debug)]
pub enum UiError {
    /// Nothing there.
    NotFound(String),
    /// The request was wrong.
    BadRequest(String),
    /// A sign-in is needed first; carries where to go back to.
    SignIn(String),
    /// The service failed, or refused (status and message).
    Status(StatusCode, String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: String,
    message: String,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            Self::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m),
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m),
            Self::SignIn(next) => {
                let target = format!("/login?next={}", urlencoding(&next));
                return Redirect::to(&target).into_response();
            }
            Self::Status(status, m) => (status, status.canonical_reason().unwrap_or("Error"), m),
        };
        let page = ErrorPage {
            layout: Layout::new(heading, ""),
            status: status.as_u16(),
            heading: heading.to_string(),
            message,
        };
        render(status, &page)
    }
}

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound(m) => Self::NotFound(m),
            ApiError::Unauthorized => Self::SignIn("/".into()),
            other => {
                let problem = other.problem();
                let status = StatusCode::from_u16(problem.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                Self::Status(status, problem.detail)
            }
        }
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn urlencoding(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Renders a template as an HTML response with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// Extra room a form needs beyond the Dockerfile limit (manifests, fields).
pub const FORM_EXTRA_BYTES: usize = 1024 * 1024;

/// Pages that run the engine (limited in concurrency by the caller).
pub fn engine_routes(state: &AppState) -> Router<AppState> {
    let limit = state
        .config()
        .max_body_bytes
        .saturating_mul(2)
        .saturating_add(FORM_EXTRA_BYTES);
    Router::new()
        .route("/reports", post(submit::create))
        .route("/r/{id}/rerun", post(submit::rerun))
        .layer(DefaultBodyLimit::max(limit))
}

/// Pages that only read.
pub fn read_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/r/{id}", get(report::page))
        .route("/r/{id}/Dockerfile", get(report::download))
        .route("/history", get(history::page))
        .route("/rules", get(rules::index))
        .route("/rules/{code}", get(rules::page))
        .route("/api", get(api_page::page))
        .route("/login", get(session::form).post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/static/{file}", get(assets::serve))
}

/// An HTML 404 page for paths outside the API.
pub fn not_found_page(path: &str) -> Response {
    UiError::NotFound(format!("There is no page at {path}.")).into_response()
}
