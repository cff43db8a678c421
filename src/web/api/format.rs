//! Which representation a client asked for: `?format=` first, then the
//! `Accept` header, JSON by default.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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
    let wanted = match format {
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

/// A value as an `application/json` response, serialised straight into
/// one `Vec`. axum's `Json` writes through `BytesMut`'s `io::Write`, one
/// call per token, which costs lint's findings more than their escaping.
pub fn json_response<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| ApiError::Internal(format!("a response does not serialise: {e}")))?;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
