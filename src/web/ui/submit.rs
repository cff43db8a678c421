//! `POST /reports` (the paste form) and `POST /r/{id}/rerun`: analyse,
//! store, and answer `303 See Other` to the report's page. Whatever stops
//! the paste form (a Dockerfile that cannot be analysed, a field, an
//! upload that is not a manifest, a sign-in) shows it again with all it
//! was sent and what to do.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::form::FormInput;
use super::home::{FormError, HomePage};
use super::report::RerunChoice;
use super::session::sign_in_cookie;
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

/// The alert's heading when a field is wrong.
const CHECK_THE_FORM: &str = "Check the form.";
/// The alert's heading when the Dockerfile cannot be analysed.
const NOT_ANALYSED: &str = "Could not analyse the Dockerfile.";
/// The alert's heading when there is nothing to analyse.
const EMPTY: &str = "The Dockerfile is empty.";
/// The alert's heading when a team instance needs a token first.
const SIGN_IN: &str = "Sign in to analyse.";

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

/// What became of a submission.
enum Outcome {
    /// Stored: the new report's id.
    Stored(String),
    /// The form again, with what was wrong.
    Again(Box<(FormInput, StatusCode, FormError)>),
}

impl Outcome {
    /// The answer: `303` to the report, or the form again. A browser that
    /// has just signed in with the form gets its cookie either way.
    fn respond(self, cookie: Option<HeaderValue>) -> Response {
        let mut response = match self {
            Self::Stored(id) => Redirect::to(&format!("/r/{id}")).into_response(),
            Self::Again(again) => {
                let (input, status, error) = *again;
                let mut page = HomePage::with_error(input, error);
                if cookie.is_some() {
                    page.signed_in();
                }
                render(status, &page)
            }
        };
        if let Some(cookie) = cookie {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        response
    }
}

/// The form again, with what was wrong.
fn form_again(input: FormInput, status: StatusCode, error: FormError) -> Result<Outcome, UiError> {
    Ok(Outcome::Again(Box::new((input, status, error))))
}

/// What an input error says on the form: its heading, and the line it
/// is at.
fn input_error(e: &InputError) -> FormError {
    match e {
        InputError::Empty => FormError::new(
            EMPTY,
            "It has only comments or blank lines: restage needs at least one instruction (`FROM` first).",
        ),
        InputError::TooLarge { .. } => FormError::new(NOT_ANALYSED, e.to_string()),
        // The quoted line below the message says where.
        InputError::Invalid {
            line,
            column,
            message,
        } => FormError {
            line: Some((*line, *column)),
            ..FormError::new(NOT_ANALYSED, message.clone())
        },
    }
}

async fn analyse_and_store(
    state: &AppState,
    input: FormInput,
    carried: &Inputs,
) -> Result<Outcome, UiError> {
    if let Some(message) = input.refused_message() {
        let error = FormError::new(CHECK_THE_FORM, message);
        return form_again(input, StatusCode::BAD_REQUEST, error);
    }
    let runtime = match input.runtime_preference() {
        Ok(r) => r,
        Err(e) => {
            let error = FormError::new(CHECK_THE_FORM, e);
            return form_again(input, StatusCode::BAD_REQUEST, error);
        }
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
        Err(e) => {
            let error = FormError::new(CHECK_THE_FORM, e);
            return form_again(input, StatusCode::BAD_REQUEST, error);
        }
    };
    if input.dockerfile.trim().is_empty() {
        let error = FormError::new(EMPTY, "Paste a Dockerfile or choose a file first.");
        return form_again(input, StatusCode::BAD_REQUEST, error);
    }
    let request = request(&input, name, runtime, user, carried);
    let inputs = request.inputs();
    let report = match analysis::report(state, request).await {
        Ok(report) => report,
        Err(ApiError::Input(e)) => {
            let status = match e {
                InputError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            return form_again(input, status, input_error(&e));
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
    Ok(Outcome::Stored(stored.id))
}

/// `POST /reports`: the paste form. On a team instance without a session,
/// a token sent with the form signs the browser in and the analysis goes
/// on; without one (or with a wrong one) the form comes back, `401`, with
/// everything it was sent and a field for the token.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut input: FormInput,
) -> Result<Response, UiError> {
    let mut cookie = None;
    if authorize(&state, &headers).await.is_err() {
        let token = std::mem::take(&mut input.token);
        cookie = sign_in_cookie(&state, &token).await?;
        if cookie.is_none() {
            let message = if token.is_empty() {
                "This instance is for a team: enter one of its API tokens below and press Analyse and convert again. Your Dockerfile, options and manifests are kept."
            } else {
                "That token is not valid on this instance: check it and press Analyse and convert again. Your Dockerfile, options and manifests are kept."
            };
            let error = FormError::new(SIGN_IN, message);
            let again = Outcome::Again(Box::new((input, StatusCode::UNAUTHORIZED, error)));
            return Ok(again.respond(None));
        }
    }
    Ok(analyse_and_store(&state, input, &Inputs::default())
        .await?
        .respond(cookie))
}

/// `POST /r/{id}/rerun`: the same Dockerfile (and manifests) with other
/// options, as a new report.
pub async fn rerun(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    options: FormInput,
) -> Result<Response, UiError> {
    // The report keeps its Dockerfile and manifests: after signing in, its
    // page has the form again, with the options chosen here.
    if authorize(&state, &headers).await.is_err() {
        return Err(UiError::SignIn(RerunChoice::page_address(&id, &options)));
    }
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
        ..FormInput::default()
    };
    Ok(analyse_and_store(&state, input, &carried)
        .await?
        .respond(None))
}
