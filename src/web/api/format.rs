//! Which representation a client asked for: `?format=` first, then the
//! `Accept` header, JSON by default.

use axum::http::{HeaderMap, header};

use crate::web::problem::ApiError;

/// A representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `application/json`.
    Json,
    /// `application/sarif+json`.
    Sarif,
    /// `text/plain` for people.
    Text,
    /// The converted Dockerfile as `text/plain`.
    Dockerfile,
}

/// The representation for a request; `allowed` lists what the route has.
pub fn negotiate(
    headers: &HeaderMap,
    format: Option<&str>,
    allowed: &[Output],
) -> Result<Output, ApiError> {
    // `?format=` (a form's or a script's unset field) asks for nothing.
    let wanted = match format.filter(|f| !f.is_empty()) {
        Some(f) => match f {
            "json" => Output::Json,
            "sarif" => Output::Sarif,
            "text" => Output::Text,
            "dockerfile" => Output::Dockerfile,
            other => {
                return Err(ApiError::BadQuery(format!(
                    "format `{other}` is not one of {}",
                    names(allowed)
                )));
            }
        },
        None => {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            if accept.contains("application/sarif+json") {
                Output::Sarif
            } else if accept.contains("application/json") || !accept.contains("text/plain") {
                Output::Json
            } else if allowed.contains(&Output::Dockerfile) && !allowed.contains(&Output::Text) {
                Output::Dockerfile
            } else {
                Output::Text
            }
        }
    };
    if allowed.contains(&wanted) {
        Ok(wanted)
    } else {
        Err(ApiError::BadQuery(format!(
            "this resource is available as {}",
            names(allowed)
        )))
    }
}

fn names(allowed: &[Output]) -> String {
    allowed
        .iter()
        .map(|o| match o {
            Output::Json => "`json`",
            Output::Sarif => "`sarif`",
            Output::Text => "`text`",
            Output::Dockerfile => "`dockerfile`",
        })
        .collect::<Vec<_>>()
        .join(", ")
}
