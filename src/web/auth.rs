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

/// Checks the request's token when the instance requires one.
pub async fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if !tokens_required(state).await? {
        return Ok(());
    }
    let Some(token) = bearer(headers) else {
        return Err(ApiError::Unauthorized);
    };
    let hash = hash_token(token);
    if state.env_token_hashes().contains(&hash) || state.store().token_valid(token).await? {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}
