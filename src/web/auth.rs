//! API tokens of a team instance: when any token exists (in
//! `RESTAGE_API_TOKENS` or stored with `restage token create`), writes,
//! listing and deletes need `Authorization: Bearer <token>`. A report stays
//! readable by its unguessable id.

use axum::http::{HeaderMap, header};

use super::problem::ApiError;
use super::state::AppState;
use crate::store::hash_token;

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether the instance requires tokens at all.
pub async fn tokens_required(state: &AppState) -> Result<bool, ApiError> {
    Ok(!state.env_token_hashes().is_empty() || state.store().has_tokens().await?)
}

/// Whether `token` is one of the instance's tokens.
pub async fn token_accepted(state: &AppState, token: &str) -> Result<bool, ApiError> {
    let hash = hash_token(token);
    Ok(state.env_token_hashes().contains(&hash) || state.store().token_valid(token).await?)
}

/// The token a browser keeps in the `restage_token` cookie (set by the
/// UI's sign-in page), if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|t| !t.is_empty())
}

/// The cookie the UI keeps the token in.
pub const TOKEN_COOKIE: &str = "restage_token";

/// Checks the request's token when the instance requires one: the bearer
/// token, or for the UI the token cookie.
pub async fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if !tokens_required(state).await? {
        return Ok(());
    }
    let Some(token) = bearer(headers).or_else(|| cookie_token(headers)) else {
        return Err(ApiError::Unauthorized);
    };
    if token_accepted(state, token).await? {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}
