//! `POST /reports` (the paste form) and `POST /r/{id}/rerun`: analyse,
//! store, and answer `303 See Other` to the report's page. A Dockerfile
//! that cannot be analysed shows the form again with the error and where.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::form::FormInput;
use super::home::HomePage;
use super::{UiError, render};
use crate::convert::RuntimePreference;
use crate::report::InputError;
use crate::report::redact::Secrets;
use crate::store::Inputs;
use crate::web::api::analysis;
use crate::web::auth::authorize;
use crate::web::input::{Request, RequestOptions, name_choice, user_choice};
use crate::web::problem::ApiError;
use crate::web::state::AppState;

/// The request the form makes; `carried` are the lint settings of the
/// report it runs again (none for a new paste).
fn request(
    input: &FormInput,
    name: Option<String>,
    runtime: RuntimePreference,
    user: Option<String>,
    carried: &Inputs,
) -> Request {
    Request {
        dockerfile: input.dockerfile.clone().into_bytes(),
        name,
        options: RequestOptions {
            runtime,
            user,
            cache_mounts: input.cache_mounts,
            ignore: carried.ignore.clone(),
            trusted_registries: carried.trusted_registries.clone(),
            ..RequestOptions::default()
        },
        manifests: input.manifests.clone(),
    }
}

/// The form again, with what was wrong.
fn form_again(
    input: FormInput,
    status: StatusCode,
    error: String,
    line: Option<usize>,
) -> Response {
    let mut page = HomePage::new(input);
    page.error = Some(error);
    page.error_line = line;
    render(status, &page)
}

async fn analyse_and_store(
    state: &AppState,
    headers: &HeaderMap,
    input: FormInput,
    carried: &Inputs,
    next: &str,
) -> Result<Response, UiError> {
    if authorize(state, headers).await.is_err() {
        return Err(UiError::SignIn(next.to_string()));
    }
    let runtime = match input.runtime_preference() {
        Ok(r) => r,
        Err(e) => return Ok(form_again(input, StatusCode::BAD_REQUEST, e, None)),
    };
    // The name and the user, each checked as the API checks them.
    let checked = name_choice(input.name.clone())
        .map_err(|e| e.to_string())
        .and_then(|name| {
            let user = user_choice(input.user.clone()).map_err(|e| e.to_string())?;
            Ok((name, user))
        });
    let (name, user) = match checked {
        Ok(checked) => checked,
        Err(e) => return Ok(form_again(input, StatusCode::BAD_REQUEST, e, None)),
    };
    if input.dockerfile.trim().is_empty() {
        return Ok(form_again(
            input,
            StatusCode::BAD_REQUEST,
            "Paste a Dockerfile or choose a file first.".into(),
            None,
        ));
    }
    let request = request(&input, name, runtime, user, carried);
    let inputs = request.inputs();
    let report = match analysis::report(state, request).await {
        Ok(report) => report,
        Err(ApiError::Input(e)) => {
            let line = match &e {
                InputError::Invalid { line, .. } => Some(*line),
                _ => None,
            };
            let status = match e {
                InputError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            return Ok(form_again(input, status, e.to_string(), line));
        }
        Err(other) => return Err(other.into()),
    };
    // Reports made in the browser are always stored with secrets masked.
    let stored = state
        .store()
        .insert(&report, &inputs, Secrets::Mask)
        .await
        .map_err(|e| UiError::from(ApiError::from(e)))?;
    metrics::counter!("restage_reports_created_total").increment(1);
    Ok(Redirect::to(&format!("/r/{}", stored.id)).into_response())
}

/// `POST /reports`: the paste form.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    input: FormInput,
) -> Result<Response, UiError> {
    analyse_and_store(&state, &headers, input, &Inputs::default(), "/").await
}

/// `POST /r/{id}/rerun`: the same Dockerfile (and manifests) with other
/// options, as a new report.
pub async fn rerun(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    options: FormInput,
) -> Result<Response, UiError> {
    let stored = state
        .store()
        .get(&id)
        .await
        .map_err(|e| UiError::from(ApiError::from(e)))?
        .ok_or_else(|| UiError::NotFound(format!("There is no report {id}.")))?;
    let report = stored
        .report()
        .map_err(|e| UiError::from(ApiError::from(e)))?;
    // The manifests and lint settings it was made with; only the options
    // on the form change.
    let carried = state
        .store()
        .inputs(&id)
        .await
        .map_err(|e| UiError::from(ApiError::from(e)))?
        .unwrap_or_default();
    let input = FormInput {
        dockerfile: report.dockerfile,
        name: report.name.unwrap_or_default(),
        runtime: options.runtime,
        user: options.user,
        cache_mounts: options.cache_mounts,
        manifests: carried.manifests.clone(),
    };
    analyse_and_store(&state, &headers, input, &carried, &format!("/r/{id}")).await
}
