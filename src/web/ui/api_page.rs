//! `/api`: how to call the REST API, with curl examples for this instance
//! and the link to the OpenAPI document.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::{Layout, render};
use crate::web::state::AppState;

/// The API page.
#[derive(Template)]
#[template(path = "api.html")]
pub struct ApiPage {
    layout: Layout,
    base: String,
}

/// The base URL examples use: the configured public URL, else this host.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let public = state.config().public_url.trim_end_matches('/');
    if !public.is_empty() {
        return public.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// `GET /api`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let page = ApiPage {
        layout: Layout::new("API", "api"),
        base: base_url(&state, &headers),
    };
    render(StatusCode::OK, &page)
}
