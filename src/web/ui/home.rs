//! `/`: the paste form, its options and manifests, and the latest reports.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::{FormInput, RUNTIMES};
use super::{Layout, Session, render};
use crate::store::{ListQuery, ReportSummary};
use crate::web::auth::tokens_required;
use crate::web::state::AppState;

/// Why the form came back, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// What happened, in a few words: the alert's heading and the page's
    /// title.
    pub heading: &'static str,
    /// What to do about it; `code` in backticks shows as code.
    pub message: String,
    /// The Dockerfile line at fault: its number and text.
    pub line: Option<(usize, String)>,
}

impl FormError {
    /// An error with a heading and a message, at no line.
    pub fn new(heading: &'static str, message: impl Into<String>) -> Self {
        Self {
            heading,
            message: message.into(),
            line: None,
        }
    }
}

/// The longest part of an offending line the error quotes, in characters.
const QUOTED_LINE_CHARS: usize = 200;

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    /// What the form shows.
    pub input: FormInput,
    /// Why the last submission was refused.
    pub error: Option<FormError>,
    /// The latest reports (on an open instance, or signed in).
    pub recent: Vec<ReportSummary>,
    runtimes: &'static [(&'static str, &'static str)],
}

impl HomePage {
    /// The page with `input` in the form.
    pub fn new(input: FormInput) -> Self {
        Self {
            layout: Layout::new("Paste a Dockerfile", "new"),
            input,
            error: None,
            recent: Vec::new(),
            runtimes: &RUNTIMES,
        }
    }

    /// The page with `input` and what was wrong with it: the title says so,
    /// and an error at a line quotes that line.
    pub fn with_error(input: FormInput, mut error: FormError) -> Self {
        if let Some((number, text)) = &mut error.line
            && text.is_empty()
        {
            let line = input
                .dockerfile
                .lines()
                .nth(number.saturating_sub(1))
                .unwrap_or_default();
            let mut quoted: String = line.chars().take(QUOTED_LINE_CHARS).collect();
            if quoted.len() < line.len() {
                quoted.push('…');
            }
            *text = quoted;
        }
        let mut page = Self::new(input);
        page.layout.title = error.heading.trim_end_matches('.').to_string();
        page.error = Some(error);
        page
    }

    /// Shows the page to a browser that signed in with this very request
    /// (the paste form's token): no token field, Sign out.
    pub fn signed_in(&mut self) {
        self.layout.session = Session::SignedIn;
    }

    /// Whether the instance wants a token this browser has not given: the
    /// form says so and asks for one.
    fn sign_in_needed(&self) -> bool {
        self.layout.signed_out()
    }

    /// The error's message in parts: (is code, text).
    fn error_parts(&self) -> Vec<(bool, &str)> {
        let Some(error) = &self.error else {
            return Vec::new();
        };
        error
            .message
            .split('`')
            .enumerate()
            .map(|(i, part)| (i % 2 == 1, part))
            .filter(|(_, part)| !part.is_empty())
            .collect()
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
    // The latest reports, for whoever may see the history: anyone on an
    // open instance, a signed-in browser on a team instance.
    if page.layout.signed_in() || matches!(tokens_required(&state).await, Ok(false)) {
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
