//! `/history`: the team's reports, newest first, with search (name,
//! ecosystem, strategy, rule code) and cursor pagination.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::{Layout, UiError, render, urlencoding};
use crate::convert::Ecosystem;
use crate::store::{ListQuery, ReportSummary, StoreError};
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
}

fn next_link(params: &HistoryParams, cursor: &str) -> String {
    let mut link = format!("/history?cursor={}", urlencoding(cursor));
    if !params.q.is_empty() {
        link.push_str(&format!("&q={}", urlencoding(&params.q)));
    }
    if !params.ecosystem.is_empty() {
        link.push_str(&format!("&ecosystem={}", urlencoding(&params.ecosystem)));
    }
    link
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
    let page = match state.store().list(&query).await {
        Ok(page) => page,
        Err(StoreError::BadCursor(c)) => {
            return Err(UiError::BadRequest(format!(
                "`{c}` is not a page of the history."
            )));
        }
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let view = HistoryPage {
        layout: Layout::new("History", "history"),
        next: page.next_cursor.as_deref().map(|c| next_link(&params, c)),
        first_page: params.cursor.is_empty(),
        q: params.q,
        ecosystem: params.ecosystem,
        ecosystems: Ecosystem::ALL.iter().map(|e| e.name()).collect(),
        items: page.items,
    };
    Ok(render(StatusCode::OK, &view))
}
