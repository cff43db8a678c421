//! Signing in to a team instance from the browser: when API tokens exist,
//! the history and the paste form need one. `/login` checks a token and
//! keeps it in an `HttpOnly`, `SameSite=Strict` cookie; `/logout` drops it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Layout, UiError, render};
use crate::web::auth::{TOKEN_COOKIE, token_accepted, tokens_required};
use crate::web::state::AppState;

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    layout: Layout,
    next: String,
    error: Option<String>,
    required: bool,
}

/// `?next=` and the form's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginParams {
    next: String,
    token: String,
}

/// Only a path on this site: no scheme, no host, no `//`.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

fn cookie_safe(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'"' | b'\\'))
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    params: Result<Query<LoginParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let page = LoginPage {
        layout: Layout::new("Sign in", ""),
        next: safe_next(&params.next),
        error: None,
        required: tokens_required(&state).await.unwrap_or(true),
    };
    render(StatusCode::OK, &page)
}

/// `POST /login`: checks the token, keeps it in a cookie, goes back.
pub async fn sign_in(
    State(state): State<AppState>,
    Form(params): Form<LoginParams>,
) -> Result<Response, UiError> {
    let next = safe_next(&params.next);
    let token = params.token.trim();
    let accepted =
        cookie_safe(token) && token_accepted(&state, token).await.map_err(UiError::from)?;
    if !accepted {
        let page = LoginPage {
            layout: Layout::new("Sign in", ""),
            next,
            error: Some("That token is not valid on this instance.".into()),
            required: true,
        };
        return Ok(render(StatusCode::UNAUTHORIZED, &page));
    }
    let secure = if state.config().public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000{secure}"
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// `POST /logout`.
pub async fn sign_out() -> Response {
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("restage_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/history?q=x"), "/history?q=x");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "history",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn tokens_that_would_break_the_cookie_are_refused() {
        assert!(cookie_safe("rst_abc123"));
        for bad in ["", "a b", "a;b", "a,b", "a\"b", "é"] {
            assert!(!cookie_safe(bad), "{bad}");
        }
    }
}
