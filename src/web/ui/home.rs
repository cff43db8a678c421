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
    /// The Dockerfile line at fault: its number and column (from 1, in
    /// characters), filled in with the line's text by
    /// [`HomePage::with_error`].
    pub line: Option<(usize, usize)>,
    /// The line at fault as the page quotes it.
    pub quoted: Option<QuotedLine>,
}

/// A Dockerfile line an error is at, quoted with the character at the
/// error's column marked and a caret under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotedLine {
    /// The line's number.
    pub number: usize,
    /// The column (from 1, in characters).
    pub column: usize,
    /// The text before the column (`…` first when cut).
    pub before: String,
    /// The character at the column (empty past the line's end).
    pub at: String,
    /// The text after it (`…` last when cut).
    pub after: String,
    /// Blanks as wide as `before` (its tabs kept), for the caret.
    pub pad: String,
}

impl QuotedLine {
    /// `line` quoted around `column`: at most [`QUOTED_LINE_CHARS`]
    /// characters, the window moved so that the column is in it.
    pub fn new(number: usize, column: usize, line: &str) -> Self {
        let chars: Vec<char> = line.chars().collect();
        let at = column.saturating_sub(1).min(chars.len());
        // A line that fits is quoted whole; a longer one around the column.
        let (start, end) = match chars.len().checked_sub(QUOTED_LINE_CHARS) {
            Some(last_start) if last_start > 0 => {
                let start = at.saturating_sub(QUOTED_LINE_CHARS / 2).min(last_start);
                (start, start + QUOTED_LINE_CHARS)
            }
            _ => (0, chars.len()),
        };
        let text = |from: usize, to: usize| -> String {
            chars.get(from..to).unwrap_or_default().iter().collect()
        };
        let mut before = if start > 0 {
            "…".to_string()
        } else {
            String::new()
        };
        before.push_str(&text(start, at));
        let mut after = text(at + 1, end);
        if end < chars.len() {
            after.push('…');
        }
        let pad = before
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        Self {
            number,
            column,
            before,
            at: chars.get(at).map(char::to_string).unwrap_or_default(),
            after,
            pad,
        }
    }
}

impl FormError {
    /// An error with a heading and a message, at no line.
    pub fn new(heading: &'static str, message: impl Into<String>) -> Self {
        Self {
            heading,
            message: message.into(),
            line: None,
            quoted: None,
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
        if let Some((number, column)) = error.line {
            let line = input
                .dockerfile
                .lines()
                .nth(number.saturating_sub(1))
                .unwrap_or_default();
            error.quoted = Some(QuotedLine::new(number, column, line));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(q: &QuotedLine) -> (&str, &str, &str, &str) {
        (&q.before, &q.at, &q.after, &q.pad)
    }

    #[test]
    fn a_quoted_line_marks_its_column() {
        let q = QuotedLine::new(3, 5, "RUN <<EOF");
        assert_eq!(parts(&q), ("RUN ", "<", "<EOF", "    "));
        // Characters, not bytes; tabs kept under the line.
        let q = QuotedLine::new(1, 3, "\té<x");
        assert_eq!(parts(&q), ("\té", "<", "x", "\t "));
        // Past the end: nothing to mark, the caret after the text.
        let q = QuotedLine::new(1, 9, "FROM a");
        assert_eq!(parts(&q), ("FROM a", "", "", "      "));
        let q = QuotedLine::new(1, 1, "");
        assert_eq!(parts(&q), ("", "", "", ""));
    }

    proptest::proptest! {
        /// Any line and column: no panic, the caret as wide as the text
        /// before it, and a short line quoted whole.
        #[test]
        fn any_line_and_column_quote(line in ".{0,300}", column in 0usize..400) {
            let q = QuotedLine::new(1, column, &line);
            proptest::prop_assert_eq!(q.pad.chars().count(), q.before.chars().count());
            if line.chars().count() <= QUOTED_LINE_CHARS {
                proptest::prop_assert_eq!(format!("{}{}{}", q.before, q.at, q.after), line);
            }
        }
    }

    #[test]
    fn a_long_line_is_quoted_around_its_column() {
        let line = format!("RUN {}X{}", "a".repeat(500), "b".repeat(500));
        let q = QuotedLine::new(1, 505, &line);
        assert_eq!(q.at, "X");
        assert!(q.before.starts_with('…') && q.after.ends_with('…'));
        assert_eq!(q.before.chars().count(), 1 + QUOTED_LINE_CHARS / 2);
        assert_eq!(
            q.before.chars().count() + 1 + q.after.chars().count(),
            QUOTED_LINE_CHARS + 2
        );
        assert_eq!(q.pad.chars().count(), q.before.chars().count());
        // Near the start, no cut before.
        let q = QuotedLine::new(1, 2, &line);
        assert_eq!((q.before.as_str(), q.at.as_str()), ("R", "U"));
        assert!(q.after.ends_with('…'));
    }
}
