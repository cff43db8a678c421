//! Errors as `application/problem+json` (RFC 9457), one stable `type` per
//! kind, with the line and column of a Dockerfile error.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::report::InputError;
use crate::store::StoreError;

/// Where problem types are documented.
pub const PROBLEM_BASE: &str = "https://restage.dev/problems/";

/// The body of an error response.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (stable).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The Dockerfile line, for problems in the Dockerfile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The Dockerfile column, for problems in the Dockerfile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// The Dockerfile cannot be analysed.
    Input(InputError),
    /// The body is not JSON.
    MalformedJson(String),
    /// Valid JSON with wrong fields.
    InvalidRequest(String),
    /// Neither JSON nor text.
    UnsupportedMediaType(String),
    /// Over the body limit.
    TooLarge(usize),
    /// A bad query parameter.
    BadQuery(String),
    /// 406: the `Accept` header allows none of the route's representations.
    NotAcceptable(String),
    /// No such thing.
    NotFound(String),
    /// 405: the path exists, the method does not (`Allow` lists those that do).
    MethodNotAllowed(String),
    /// A token is needed or wrong.
    Unauthorized,
    /// The service is shutting down.
    ShuttingDown,
    /// Too many requests at once.
    Overloaded,
    /// Too many connections open at once.
    TooManyConnections,
    /// A dependency (the database) does not answer.
    Unavailable(String),
    /// The request took too long.
    Timeout,
    /// restage cannot convert this Dockerfile (asked for the Dockerfile),
    /// with the line and column at fault when there are.
    NotConvertible(String, Option<usize>, Option<usize>),
    /// Our fault.
    Internal(String),
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        Self::Input(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadCursor(c) => {
                Self::BadQuery(format!("`{c}` is not a cursor this service handed out"))
            }
            other => {
                tracing::error!(error = %other, "store failure");
                Self::Internal("the report store failed; nothing was changed".into())
            }
        }
    }
}

impl ApiError {
    /// The problem this error is.
    pub fn problem(&self) -> Problem {
        let (status, kind, title, detail, line, column) = match self {
            Self::Input(InputError::Empty) => (
                StatusCode::BAD_REQUEST,
                "empty-dockerfile",
                "Empty Dockerfile",
                "the Dockerfile has no instructions".to_string(),
                None,
                None,
            ),
            Self::Input(InputError::TooLarge { size, limit }) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
                format!("the Dockerfile is {size} bytes, over the limit of {limit} bytes"),
                None,
                None,
            ),
            Self::Input(InputError::Invalid {
                message,
                line,
                column,
            }) => (
                StatusCode::BAD_REQUEST,
                "invalid-dockerfile",
                "Invalid Dockerfile",
                format!("line {line}, column {column}: {message}"),
                Some(*line),
                Some(*column),
            ),
            Self::MalformedJson(d) => (
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                d.clone(),
                None,
                None,
            ),
            Self::InvalidRequest(d) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-request",
                "Invalid request",
                d.clone(),
                None,
                None,
            ),
            Self::UnsupportedMediaType(d) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                d.clone(),
                None,
                None,
            ),
            Self::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
                format!("the request body is over the limit of {limit} bytes"),
                None,
                None,
            ),
            Self::BadQuery(d) => (
                StatusCode::BAD_REQUEST,
                "bad-query",
                "Bad query parameter",
                d.clone(),
                None,
                None,
            ),
            Self::NotAcceptable(d) => (
                StatusCode::NOT_ACCEPTABLE,
                "not-acceptable",
                "Not acceptable",
                d.clone(),
                None,
                None,
            ),
            Self::NotFound(d) => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                d.clone(),
                None,
                None,
            ),
            Self::MethodNotAllowed(d) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                d.clone(),
                None,
                None,
            ),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                "this instance needs an API token: send `Authorization: Bearer <token>`".into(),
                None,
                None,
            ),
            Self::ShuttingDown => (
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting-down",
                "Shutting down",
                "the service is shutting down; retry in a moment".into(),
                None,
                None,
            ),
            Self::Overloaded => (
                StatusCode::TOO_MANY_REQUESTS,
                "overloaded",
                "Too many requests",
                "too many analyses are running; retry in a moment".into(),
                None,
                None,
            ),
            Self::TooManyConnections => (
                StatusCode::SERVICE_UNAVAILABLE,
                "too-many-connections",
                "Too many connections",
                "the service has as many connections open as it takes; retry in a moment".into(),
                None,
                None,
            ),
            Self::Unavailable(d) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Unavailable",
                d.clone(),
                None,
                None,
            ),
            Self::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "Request timeout",
                "the request took too long".into(),
                None,
                None,
            ),
            Self::NotConvertible(d, line, column) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "not-convertible",
                "Cannot convert",
                d.clone(),
                *line,
                line.map(|_| column.unwrap_or(1)),
            ),
            Self::Internal(d) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                d.clone(),
                None,
                None,
            ),
        };
        Problem {
            kind: format!("{PROBLEM_BASE}{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            line,
            column,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(
            self,
            Self::Overloaded | Self::ShuttingDown | Self::TooManyConnections
        ) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if matches!(self, Self::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"restage\""),
            );
        }
        response
    }
}
