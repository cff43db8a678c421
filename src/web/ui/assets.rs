//! `/static/{file}`: the stylesheet, the script and the icon, compiled into
//! the binary. Only these names exist; anything else is 404.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (name, content type, bytes) of every asset.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "restage.css",
        "text/css; charset=utf-8",
        include_str!("../../../static/restage.css"),
    ),
    (
        "restage.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/restage.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../../static/favicon.svg"),
    ),
];

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some((_, content_type, body)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return super::not_found_page(&format!("/static/{file}"));
    };
    let mut response = (StatusCode::OK, *body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
