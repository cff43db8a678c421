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

use std::future::Future;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::auth::{cookie_token, token_accepted, tokens_required};
use super::problem::ApiError;
use super::state::AppState;

/// Where the browser stands with a team instance's sign-in: what the
/// navigation offers (Sign in, Sign out, or nothing) and whether the paste
/// form asks for a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Session {
    /// The instance has no API tokens: there is nothing to sign in to.
    #[default]
    Open,
    /// The instance has tokens and the browser holds no valid one.
    SignedOut,
    /// The browser's token cookie holds one of the instance's tokens.
    SignedIn,
}

/// Works out the session of a request: one look at the tokens (and at
/// the cookie's token when there are some). A failing database counts as
/// an open instance here; the routes that need a token still check it.
pub async fn session_of(state: &AppState, headers: &HeaderMap) -> Session {
    match tokens_required(state).await {
        Ok(true) => {}
        Ok(false) | Err(_) => return Session::Open,
    }
    let Some(token) = cookie_token(headers) else {
        return Session::SignedOut;
    };
    match token_accepted(state, token).await {
        Ok(true) => Session::SignedIn,
        Ok(false) | Err(_) => Session::SignedOut,
    }
}

/// What a page's layout knows of the request it answers.
#[derive(Debug, Clone, Default)]
struct Visit {
    session: Session,
    /// Where Sign in comes back to: this page for a `GET`, else `/`.
    here: String,
}

tokio::task_local! {
    /// The visit of the request being answered: set around each UI handler
    /// ([`with_session`], [`session_layer`]) so that [`Layout::new`] can
    /// show the right navigation without every handler passing it down.
    static VISIT: Visit;
}

/// Runs `page` (a UI handler's work) with the request's session known to
/// every [`Layout`] it makes.
pub async fn with_session<F: Future<Output = Response>>(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    page: F,
) -> Response {
    let here = if method == Method::GET {
        uri.path_and_query()
            .map_or_else(|| uri.path().to_string(), ToString::to_string)
    } else {
        "/".to_string()
    };
    let visit = Visit {
        session: session_of(state, headers).await,
        here,
    };
    VISIT.scope(visit, page).await
}

/// The middleware of the UI's routes: [`with_session`] around each (the
/// static files excepted, which need no session).
async fn session_layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let (method, uri, headers) = (
        request.method().clone(),
        request.uri().clone(),
        request.headers().clone(),
    );
    with_session(&state, &method, &uri, &headers, next.run(request)).await
}

/// What every page's layout needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title (before "· restage").
    pub title: String,
    /// Which navigation entry is current (`new`, `history`, `rules`, `api`).
    pub active: &'static str,
    /// The browser's sign-in, for the navigation.
    pub session: Session,
    /// The page Sign in comes back to.
    here: String,
}

impl Layout {
    /// A layout with a title and the current navigation entry (and the
    /// request's session, when it is answered inside [`with_session`]).
    pub fn new(title: impl Into<String>, active: &'static str) -> Self {
        let visit = VISIT.try_with(Visit::clone).unwrap_or_default();
        Self {
            title: title.into(),
            active,
            session: visit.session,
            here: visit.here,
        }
    }

    /// Whether the browser is signed in to a team instance.
    pub fn signed_in(&self) -> bool {
        self.session == Session::SignedIn
    }

    /// Whether a team instance waits for this browser to sign in.
    pub fn signed_out(&self) -> bool {
        self.session == Session::SignedOut
    }

    /// Whether the instance has no tokens.
    pub fn open(&self) -> bool {
        self.session == Session::Open
    }

    /// The navigation's Sign in link: back to this page afterwards.
    pub fn sign_in_href(&self) -> String {
        let here = if self.here.starts_with('/') && !self.here.starts_with("/login") {
            self.here.as_str()
        } else {
            "/"
        };
        format!("/login?next={}", urlencoding(here))
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
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
}

/// Pages that only read.
pub fn read_routes(state: &AppState) -> Router<AppState> {
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
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
}

/// An HTML 404 page for paths outside the API.
pub fn not_found_page(path: &str) -> Response {
    UiError::NotFound(format!("There is no page at {path}.")).into_response()
}
