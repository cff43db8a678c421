//! Reading the paste form: `multipart/form-data` (with file uploads) or
//! `application/x-www-form-urlencoded`, into the fields of an analysis.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;

use super::UiError;
use crate::convert::RuntimePreference;

/// The manifest files the form offers, in the order it shows them.
pub const MANIFEST_NAMES: [&str; 9] = [
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "Gemfile",
    "composer.json",
];

/// The runtime choices the form offers: (value, label).
pub const RUNTIMES: [(&str, &str); 5] = [
    ("auto", "Automatic (the strategy's best choice)"),
    ("slim", "Debian slim"),
    ("alpine", "Alpine"),
    ("distroless", "Distroless"),
    ("scratch", "scratch (static binaries only)"),
];

/// What the form sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormInput {
    /// The Dockerfile (from the paste area, or the uploaded file).
    pub dockerfile: String,
    /// The report's name.
    pub name: String,
    /// The runtime preference, as the form's value.
    pub runtime: String,
    /// The non-root user to run as.
    pub user: String,
    /// Whether to add BuildKit cache mounts.
    pub cache_mounts: bool,
    /// Manifests by file name (non-empty only).
    pub manifests: BTreeMap<String, String>,
}

impl FormInput {
    /// The runtime preference, or an error naming the allowed values.
    pub fn runtime_preference(&self) -> Result<RuntimePreference, String> {
        match self.runtime.as_str() {
            "" | "auto" => Ok(RuntimePreference::Auto),
            "slim" => Ok(RuntimePreference::Slim),
            "alpine" => Ok(RuntimePreference::Alpine),
            "distroless" => Ok(RuntimePreference::Distroless),
            "scratch" => Ok(RuntimePreference::Scratch),
            other => Err(format!(
                "unknown runtime `{other}`: choose auto, slim, alpine, distroless or scratch"
            )),
        }
    }

    /// The manifest text the form shows for `name`.
    pub fn manifest(&self, name: &str) -> &str {
        self.manifests.get(name).map_or("", String::as_str)
    }

    fn set(&mut self, field: &str, value: String, file_name: Option<&str>) -> Result<(), UiError> {
        match field {
            "dockerfile" => {
                if self.dockerfile.is_empty() {
                    self.dockerfile = value;
                }
            }
            "dockerfile_file" => {
                if !value.is_empty() {
                    // An uploaded file wins over the paste area; its name
                    // names the report unless a name was given.
                    self.dockerfile = value;
                    if self.name.is_empty()
                        && let Some(file) = file_name.filter(|f| !f.is_empty())
                    {
                        self.name = file.to_string();
                    }
                }
            }
            "name" => {
                if !value.trim().is_empty() {
                    self.name = value.trim().to_string();
                }
            }
            "runtime" => self.runtime = value,
            "user" => self.user = value.trim().to_string(),
            "cache_mounts" => self.cache_mounts = !value.is_empty() && value != "false",
            "manifest_files" => {
                let Some(file) = file_name.filter(|f| !f.is_empty()) else {
                    return Ok(());
                };
                let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
                let Some(known) = MANIFEST_NAMES.iter().find(|n| **n == base) else {
                    return Err(UiError::BadRequest(format!(
                        "`{base}` is not a manifest restage reads; upload one of: {}",
                        MANIFEST_NAMES.join(", ")
                    )));
                };
                if !value.trim().is_empty() {
                    self.manifests.insert((*known).to_string(), value);
                }
            }
            other => {
                if let Some(name) = other.strip_prefix("manifest:")
                    && let Some(known) = MANIFEST_NAMES.iter().find(|n| **n == name)
                    && !value.trim().is_empty()
                {
                    self.manifests.entry((*known).to_string()).or_insert(value);
                }
            }
        }
        Ok(())
    }
}

fn text(bytes: &[u8], what: &str) -> Result<String, UiError> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        UiError::BadRequest(format!(
            "{what} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

impl<S: Send + Sync> FromRequest<S> for FormInput {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut input = FormInput::default();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, state)
                .await
                .map_err(|e| UiError::BadRequest(e.body_text()))?;
            loop {
                let field = match multipart.next_field().await {
                    Ok(Some(field)) => field,
                    Ok(None) => break,
                    Err(e) => return Err(form_error(e.status(), e.body_text())),
                };
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| form_error(e.status(), e.body_text()))?;
                let what = file_name.as_deref().unwrap_or(&name).to_string();
                input.set(
                    &name,
                    text(&bytes, &format!("`{what}`"))?,
                    file_name.as_deref(),
                )?;
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|e| form_error(e.status(), e.body_text()))?;
            for (name, value) in pairs {
                input.set(&name, value, None)?;
            }
        } else {
            return Err(UiError::Status(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the form must be sent as multipart/form-data or application/x-www-form-urlencoded"
                    .into(),
            ));
        }
        Ok(input)
    }
}

fn form_error(status: axum::http::StatusCode, message: String) -> UiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        UiError::Status(
            status,
            "The form is over the size limit: paste a smaller Dockerfile or fewer manifests."
                .into(),
        )
    } else {
        UiError::BadRequest(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_fill_the_input() {
        let mut input = FormInput::default();
        for (k, v, f) in [
            ("dockerfile", "FROM a\n", None),
            ("name", "  web  ", None),
            ("runtime", "alpine", None),
            ("cache_mounts", "on", None),
            ("manifest:requirements.txt", "flask\n", None),
            ("manifest:package.json", "  ", None),
            ("manifest:evil.sh", "x", None),
            ("manifest_files", "module x\n", Some("dir/go.mod")),
            ("dockerfile_file", "", Some("ignored")),
        ] {
            input.set(k, v.to_string(), f).expect("accepted");
        }
        assert_eq!(input.dockerfile, "FROM a\n");
        assert_eq!(input.name, "web");
        assert!(input.cache_mounts);
        assert_eq!(input.runtime_preference(), Ok(RuntimePreference::Alpine));
        assert_eq!(
            input.manifests.keys().collect::<Vec<_>>(),
            vec!["go.mod", "requirements.txt"]
        );
    }

    #[test]
    fn an_uploaded_file_wins_and_names_the_report() {
        let mut input = FormInput::default();
        input
            .set("dockerfile", "FROM pasted\n".into(), None)
            .expect("ok");
        input
            .set(
                "dockerfile_file",
                "FROM uploaded\n".into(),
                Some("api.Dockerfile"),
            )
            .expect("ok");
        assert_eq!(input.dockerfile, "FROM uploaded\n");
        assert_eq!(input.name, "api.Dockerfile");
    }

    #[test]
    fn unknown_manifests_and_runtimes_are_errors() {
        let mut input = FormInput::default();
        assert!(matches!(
            input.set("manifest_files", "x".into(), Some("notes.md")),
            Err(UiError::BadRequest(m)) if m.contains("notes.md")
        ));
        input.runtime = "windows".into();
        assert!(input.runtime_preference().is_err());
    }
}
