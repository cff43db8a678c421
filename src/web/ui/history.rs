//! `/history`: the team's reports, newest first, with search (name,
//! ecosystem, strategy, rule code) and cursor pagination, older and newer.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::{Layout, UiError, render, urlencoding};
use crate::convert::Ecosystem;
use crate::store::{ListQuery, ReportSummary, StoreError, UNKNOWN_ECOSYSTEM};
use crate::web::auth::authorize;
use crate::web::problem::ApiError;
use crate::web::state::AppState;

/// Reports per page.
pub const PAGE_SIZE: u32 = 20;

/// The query string of the history page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryParams {
    q: String,
    ecosystem: String,
    cursor: String,
}

/// The history page.
#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryPage {
    layout: Layout,
    q: String,
    ecosystem: String,
    ecosystems: Vec<&'static str>,
    items: Vec<ReportSummary>,
    first_page: bool,
    next: Option<String>,
    /// The page of newer reports (on every page but the first).
    newer: Option<String>,
}

/// The history with the same search, from `cursor` (the first page
/// without one).
fn page_link(params: &HistoryParams, cursor: Option<&str>) -> String {
    let mut query = Vec::new();
    if let Some(cursor) = cursor {
        query.push(format!("cursor={}", urlencoding(cursor)));
    }
    if !params.q.is_empty() {
        query.push(format!("q={}", urlencoding(&params.q)));
    }
    if !params.ecosystem.is_empty() {
        query.push(format!("ecosystem={}", urlencoding(&params.ecosystem)));
    }
    if query.is_empty() {
        "/history".to_string()
    } else {
        format!("/history?{}", query.join("&"))
    }
}

/// `GET /history`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<HistoryParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, UiError> {
    if authorize(&state, &headers).await.is_err() {
        return Err(UiError::SignIn("/history".into()));
    }
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let query = ListQuery {
        limit: PAGE_SIZE,
        cursor: (!params.cursor.is_empty()).then(|| params.cursor.clone()),
        q: (!params.q.trim().is_empty()).then(|| params.q.trim().to_string()),
        ecosystem: (!params.ecosystem.is_empty()).then(|| params.ecosystem.clone()),
    };
    let bad_cursor = |e: StoreError| -> UiError {
        match e {
            StoreError::BadCursor(c) => {
                UiError::BadRequest(format!("`{c}` is not a page of the history."))
            }
            e => ApiError::from(e).into(),
        }
    };
    let page = state.store().list(&query).await.map_err(bad_cursor)?;
    let newer = if params.cursor.is_empty() {
        None
    } else {
        let cursor = state
            .store()
            .newer_cursor(&query)
            .await
            .map_err(bad_cursor)?;
        Some(page_link(&params, cursor.as_deref()))
    };
    let mut ecosystems: Vec<&'static str> = Ecosystem::ALL.iter().map(|e| e.name()).collect();
    ecosystems.push(UNKNOWN_ECOSYSTEM);
    let view = HistoryPage {
        layout: Layout::new("History", "history"),
        next: page
            .next_cursor
            .as_deref()
            .map(|c| page_link(&params, Some(c))),
        newer,
        first_page: params.cursor.is_empty(),
        q: params.q,
        ecosystem: params.ecosystem,
        ecosystems,
        items: page.items,
    };
    Ok(render(StatusCode::OK, &view))
}
