//! Signing in to a team instance from the browser: when API tokens exist,
//! the history and the paste form need one. `/login` checks a token and
//! keeps it in an `HttpOnly`, `SameSite=Strict` cookie; `/logout` drops it.
//! The paste form can send a token too, to sign in and analyse in one step
//! (`submit.rs`). An open instance (no tokens) has nothing to sign in to.

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

/// The `Set-Cookie` value that keeps `token` in this browser for 30 days
/// (`Secure` when the public URL is `https`), when `token` is one of the
/// instance's tokens; `None` otherwise.
pub async fn sign_in_cookie(state: &AppState, token: &str) -> Result<Option<HeaderValue>, UiError> {
    let token = token.trim();
    if !cookie_safe(token) || !token_accepted(state, token).await.map_err(UiError::from)? {
        return Ok(None);
    }
    let secure = if state.config().public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000{secure}"
    );
    Ok(HeaderValue::from_str(&cookie).ok())
}

/// `GET /login`: the token form on a team instance (with Sign out once
/// signed in); on an open instance, that no token is needed.
pub async fn form(
    params: Result<Query<LoginParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let page = LoginPage {
        layout: Layout::new("Sign in", "login"),
        next: safe_next(&params.next),
        error: None,
    };
    render(StatusCode::OK, &page)
}

/// `POST /login`: checks the token, keeps it in a cookie, goes back. An
/// open instance needs none: it goes back without a cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    Form(params): Form<LoginParams>,
) -> Result<Response, UiError> {
    let next = safe_next(&params.next);
    if !tokens_required(&state).await.map_err(UiError::from)? {
        return Ok(Redirect::to(&next).into_response());
    }
    let Some(cookie) = sign_in_cookie(&state, &params.token).await? else {
        let page = LoginPage {
            layout: Layout::new("Sign in", "login"),
            next,
            error: Some("That token is not valid on this instance.".into()),
        };
        return Ok(render(StatusCode::UNAUTHORIZED, &page));
    };
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
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
