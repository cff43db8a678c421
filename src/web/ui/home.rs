//! `/`: the paste form, its options and manifests, and the latest reports.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::{FormInput, MANIFEST_NAMES, RUNTIMES};
use super::{Layout, render};
use crate::store::{ListQuery, ReportSummary};
use crate::web::auth::tokens_required;
use crate::web::state::AppState;

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    /// What the form shows.
    pub input: FormInput,
    /// Why the last submission was refused.
    pub error: Option<String>,
    /// The Dockerfile line the error is on.
    pub error_line: Option<usize>,
    /// The latest reports (on an open instance).
    pub recent: Vec<ReportSummary>,
    runtimes: &'static [(&'static str, &'static str)],
    manifest_names: &'static [&'static str],
}

impl HomePage {
    /// The page with `input` in the form.
    pub fn new(input: FormInput) -> Self {
        Self {
            layout: Layout::new("Paste a Dockerfile", "new"),
            input,
            error: None,
            error_line: None,
            recent: Vec::new(),
            runtimes: &RUNTIMES,
            manifest_names: &MANIFEST_NAMES,
        }
    }

    fn open_manifests(&self) -> bool {
        !self.input.manifests.is_empty()
    }

    fn runtime_selected(&self, value: &str) -> bool {
        self.input.runtime == value || (self.input.runtime.is_empty() && value == "auto")
    }
}

/// `GET /`.
pub async fn page(State(state): State<AppState>) -> Response {
    let mut page = HomePage::new(FormInput::default());
    if let Ok(false) = tokens_required(&state).await {
        let query = ListQuery {
            limit: 5,
            ..ListQuery::default()
        };
        if let Ok(recent) = state.store().list(&query).await {
            page.recent = recent.items;
        }
    }
    render(StatusCode::OK, &page)
}
