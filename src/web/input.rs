//! Reading an analysis request: a JSON body, or the raw Dockerfile as text
//! with options in the query string (`curl --data-binary @Dockerfile`),
//! within the body limit.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{HeaderMap, header};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::problem::ApiError;
use crate::convert::user::{InvalidUser, check_user};
use crate::convert::{ConvertOptions, RuntimePreference};
use crate::lint::LintConfig;

/// `POST` body in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    /// The Dockerfile text (at least one instruction).
    #[schema(min_length = 1)]
    pub dockerfile: String,
    /// A name for the report (a path, a service): one line of at most 200
    /// characters.
    #[serde(default, deserialize_with = "name_option")]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// Analysis options.
    #[serde(default)]
    pub options: RequestOptions,
    /// Files next to the Dockerfile that decide its dependencies, by name
    /// (`requirements.txt`, `package.json`, …).
    #[serde(default)]
    pub manifests: BTreeMap<String, String>,
}

/// Options of an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RequestOptions {
    /// Runtime image preference for the conversion.
    pub runtime: RuntimePreference,
    /// The user the converted image runs as: a name or uid, optionally
    /// with `:group`; empty or absent lets restage pick.
    #[serde(deserialize_with = "user_option")]
    #[schema(
        pattern = "^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?)?$"
    )]
    pub user: Option<String>,
    /// Use BuildKit cache mounts in the conversion.
    pub cache_mounts: bool,
    /// Rules to switch off (codes or names).
    pub ignore: Vec<String>,
    /// Registries `FROM` may pull from (DL3026).
    pub trusted_registries: Vec<String>,
    /// Mask recognised secrets (tokens, passwords, private keys) in a
    /// stored report; on unless set to `false`.
    pub redact: bool,
}

impl Default for RequestOptions {
    fn default() -> Self {
        Self {
            runtime: RuntimePreference::default(),
            user: None,
            cache_mounts: false,
            ignore: Vec::new(),
            trusted_registries: Vec::new(),
            redact: true,
        }
    }
}

/// Options in the query string, for a text body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, default)]
pub struct TextParams {
    /// A name for the report: one line of at most 200 characters.
    #[serde(deserialize_with = "name_option")]
    #[param(max_length = 200)]
    pub name: Option<String>,
    /// Runtime image preference: auto, slim, alpine, distroless, scratch;
    /// empty is auto.
    #[serde(deserialize_with = "choice_option")]
    #[param(value_type = Option<String>, pattern = "^(auto|slim|alpine|distroless|scratch)?$")]
    pub runtime: Option<RuntimePreference>,
    /// The user the converted image runs as: a name or uid, optionally
    /// with `:group`; empty or absent lets restage pick.
    #[serde(deserialize_with = "user_option")]
    #[param(
        pattern = "^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?)?$"
    )]
    pub user: Option<String>,
    /// Use BuildKit cache mounts: `true` or `false` (empty: false).
    #[serde(deserialize_with = "flag_option")]
    #[param(value_type = Option<String>, pattern = "^(true|false)?$")]
    pub cache_mounts: Option<bool>,
    /// Rules to switch off, comma-separated.
    pub ignore: Option<String>,
    /// Mask recognised secrets in a stored report: `true` or `false`
    /// (empty: true).
    #[serde(deserialize_with = "flag_option")]
    #[param(value_type = Option<String>, pattern = "^(true|false)?$")]
    pub redact: Option<bool>,
    /// Output format of the answer; which ones depends on the route, so
    /// each route documents its own.
    #[param(ignore)]
    pub format: Option<String>,
}

/// A query value naming a choice (`runtime=slim`); sent empty, as forms
/// and scripts send unset fields, it is not given.
fn choice_option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::IntoDeserializer;
    match Option::<String>::deserialize(d)? {
        Some(value) if !value.is_empty() => {
            let value: serde::de::value::StringDeserializer<D::Error> = value.into_deserializer();
            T::deserialize(value).map(Some)
        }
        _ => Ok(None),
    }
}

/// A query flag, `true` or `false`; sent empty, it is not given.
fn flag_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(D::Error::custom(format!(
            "`{other}` is not a flag: send true or false"
        ))),
    }
}

/// The longest report name accepted, in characters (the paste form's
/// `maxlength`).
pub const MAX_NAME_CHARS: usize = 200;

/// A report name that cannot be one: it is shown as one line everywhere
/// (history, page titles, SARIF, the text report's header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidName {
    /// Over [`MAX_NAME_CHARS`].
    #[error("the name has {0} characters; at most {MAX_NAME_CHARS} are accepted")]
    TooLong(usize),
    /// A newline, tab or other control character.
    #[error("the name contains a control character (such as a newline); a name is one line")]
    ControlCharacter,
}

/// A name as given (a JSON string, a query value, a form field), without
/// the spaces around it (any white space but control characters, which
/// stay an error): empty or blank (an unset field, or only spaces) is
/// none; over [`MAX_NAME_CHARS`] characters or with a control character is
/// an error, which says what is accepted.
pub fn name_choice(name: String) -> Result<Option<String>, InvalidName> {
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() && !c.is_control());
    if trimmed.is_empty() {
        return Ok(None);
    }
    let name = if trimmed.len() == name.len() {
        name
    } else {
        trimmed.to_string()
    };
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(InvalidName::TooLong(chars));
    }
    if name.chars().any(char::is_control) {
        return Err(InvalidName::ControlCharacter);
    }
    Ok(Some(name))
}

/// [`name_choice`] for a deserialised field.
fn name_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(name) => name_choice(name).map_err(D::Error::custom),
        None => Ok(None),
    }
}

/// A user option as given (a JSON string, a query value, a form field):
/// empty (an unset field) is none, anything but a name or id is an error
/// ([`check_user`]), which says what is accepted.
pub fn user_choice(user: String) -> Result<Option<String>, InvalidUser> {
    if user.is_empty() {
        return Ok(None);
    }
    check_user(&user)?;
    Ok(Some(user))
}

/// [`user_choice`] for a deserialised field.
fn user_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(user) => user_choice(user).map_err(D::Error::custom),
        None => Ok(None),
    }
}

/// A request ready for the engine: the Dockerfile as bytes (checked for
/// UTF-8 by the parser, which says where it is not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The Dockerfile.
    pub dockerfile: Vec<u8>,
    /// Its name.
    pub name: Option<String>,
    /// Options.
    pub options: RequestOptions,
    /// Manifests by file name.
    pub manifests: BTreeMap<String, String>,
}

impl Request {
    /// What the store keeps beside the report so that it can be analysed
    /// again: the lint settings and manifests.
    pub fn inputs(&self) -> crate::store::Inputs {
        crate::store::Inputs {
            ignore: self.options.ignore.clone(),
            trusted_registries: self.options.trusted_registries.clone(),
            manifests: self.manifests.clone(),
        }
    }

    /// The bytes to analyse: the Dockerfile and every manifest.
    pub fn input_len(&self) -> usize {
        self.manifests
            .values()
            .fold(self.dockerfile.len(), |n, m| n.saturating_add(m.len()))
    }

    /// The conversion options.
    pub fn convert_options(&self) -> ConvertOptions {
        ConvertOptions {
            runtime: self.options.runtime,
            user: self.options.user.clone(),
            cache_mounts: self.options.cache_mounts,
        }
    }

    /// The lint configuration: the team's settings with the request's
    /// ignored rules and trusted registries added.
    pub fn lint_config(&self, team: &LintConfig) -> LintConfig {
        let mut config = team.clone();
        config.ignored.extend(self.options.ignore.iter().cloned());
        config
            .trusted_registries
            .extend(self.options.trusted_registries.iter().cloned());
        config
    }
}

/// Body kinds the API reads.
enum Kind {
    Json,
    Text,
}

fn kind(headers: &HeaderMap) -> Result<Kind, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(Kind::Text);
    };
    let text = value.to_str().unwrap_or_default();
    let essence = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(Kind::Json),
        // curl --data-binary sends the form type unless told otherwise.
        "text/plain"
        | "text/x-dockerfile"
        | "application/octet-stream"
        | "application/x-www-form-urlencoded" => Ok(Kind::Text),
        _ => Err(ApiError::UnsupportedMediaType(format!(
            "`{text}` is not accepted: send JSON (`application/json`) or the Dockerfile as `text/plain`"
        ))),
    }
}

/// Reads the body within `limit` bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| ApiError::TooLarge(limit))
}

/// Reads an analysis request.
pub async fn read_request(
    headers: &HeaderMap,
    params: TextParams,
    body: Body,
    limit: usize,
) -> Result<Request, ApiError> {
    let kind = kind(headers)?;
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && len > limit
    {
        return Err(ApiError::TooLarge(limit));
    }
    let bytes = read_body(body, limit).await?;
    match kind {
        Kind::Json => {
            let req: AnalyzeRequest = serde_json::from_slice(&bytes).map_err(|e| {
                use serde_json::error::Category;
                match e.classify() {
                    Category::Data => ApiError::InvalidRequest(e.to_string()),
                    // serde_json reports a wrong type where an enum is
                    // expected (`"runtime": null`) as a syntax error: valid
                    // JSON is a 422 all the same.
                    Category::Syntax
                        if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() =>
                    {
                        ApiError::InvalidRequest(e.to_string())
                    }
                    Category::Syntax | Category::Eof | Category::Io => {
                        ApiError::MalformedJson(e.to_string())
                    }
                }
            })?;
            Ok(Request {
                dockerfile: req.dockerfile.into_bytes(),
                name: req.name,
                options: req.options,
                manifests: req.manifests,
            })
        }
        Kind::Text => Ok(Request {
            dockerfile: bytes,
            name: params.name,
            options: RequestOptions {
                runtime: params.runtime.unwrap_or_default(),
                user: params.user,
                cache_mounts: params.cache_mounts.unwrap_or(false),
                ignore: params
                    .ignore
                    .map(|s| {
                        s.split(',')
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                trusted_registries: Vec::new(),
                redact: params.redact.unwrap_or(true),
            },
            manifests: BTreeMap::new(),
        }),
    }
}
