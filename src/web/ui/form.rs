//! Reading the paste form: `multipart/form-data` (with file uploads) or
//! `application/x-www-form-urlencoded`, into the fields of an analysis.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;

use super::UiError;
use crate::convert::RuntimePreference;
use crate::size::ManifestKind;

/// The manifest files the form offers, in the order it shows them.
pub const MANIFEST_NAMES: [&str; 12] = [
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "uv.lock",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "Gemfile",
    "composer.json",
];

/// The manifest names the form accepts, as its messages list them: the
/// fields it shows, with `requirements*.txt` for pip's requirement files of
/// any name (`requirements-dev.txt`), as the command line reads them.
pub const ACCEPTED_MANIFESTS: &str = crate::size::READ_MANIFESTS;

/// The name a manifest is kept under when the form sends `name` (a file
/// name, or a field's `manifest:NAME`): one of [`MANIFEST_NAMES`] (in its
/// spelling, whatever the case sent), or another file name the size
/// estimate reads as a manifest (`requirements-dev.txt`); `None` for
/// anything else, paths included.
pub fn manifest_name(name: &str) -> Option<String> {
    if let Some(known) = MANIFEST_NAMES.iter().find(|n| n.eq_ignore_ascii_case(name)) {
        return Some((*known).to_string());
    }
    let plain =
        !name.is_empty() && !name.contains(['/', '\\']) && !name.chars().any(char::is_control);
    (plain && ManifestKind::detect(name).is_some()).then(|| name.to_string())
}

/// Lines as the file has them: a browser sends a text area's lines with
/// CRLF (HTML's form encoding), so a pasted Dockerfile or manifest gets
/// its LF back.
fn lf(text: String) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

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
    /// An API token sent with the form, to sign in and analyse in one step
    /// on a team instance (never shown again).
    pub token: String,
    /// Uploaded files that are not manifests restage reads, by name: the
    /// form comes back with everything else and says so.
    pub refused_manifests: Vec<String>,
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

    /// The manifest fields the form shows: the usual ones, then any other
    /// manifest it was sent (an uploaded `requirements-dev.txt`).
    pub fn manifest_fields(&self) -> Vec<&str> {
        let mut fields: Vec<&str> = MANIFEST_NAMES.to_vec();
        fields.extend(
            self.manifests
                .keys()
                .map(String::as_str)
                .filter(|name| !MANIFEST_NAMES.contains(name)),
        );
        fields
    }

    /// Why the uploaded manifests were refused, naming them and the names
    /// accepted; `None` when none was.
    pub fn refused_message(&self) -> Option<String> {
        let (last, others) = self.refused_manifests.split_last()?;
        let names = if others.is_empty() {
            format!("`{last}` is not a manifest")
        } else {
            let others: Vec<String> = others.iter().map(|n| format!("`{n}`")).collect();
            format!("{} and `{last}` are not manifests", others.join(", "))
        };
        Some(format!(
            "{names} restage reads: upload {ACCEPTED_MANIFESTS} (or leave them out). Everything else you sent is below."
        ))
    }

    fn set(&mut self, field: &str, value: String, file_name: Option<&str>) -> Result<(), UiError> {
        match field {
            "dockerfile" => {
                if self.dockerfile.is_empty() {
                    self.dockerfile = lf(value);
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
            "token" => self.token = value.trim().to_string(),
            "manifest_files" => {
                let Some(file) = file_name.filter(|f| !f.is_empty()) else {
                    return Ok(());
                };
                let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
                match manifest_name(base) {
                    Some(known) => {
                        if !value.trim().is_empty() {
                            self.manifests.insert(known, value);
                        }
                    }
                    None => self.refused_manifests.push(base.to_string()),
                }
            }
            other => {
                if let Some(name) = other.strip_prefix("manifest:")
                    && let Some(known) = manifest_name(name)
                    && !value.trim().is_empty()
                {
                    self.manifests.entry(known).or_insert_with(|| lf(value));
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
    fn unknown_manifests_are_refused_by_name_and_runtimes_are_errors() {
        let mut input = FormInput::default();
        for file in ["notes.md", "dir/package-lock.json"] {
            input
                .set("manifest_files", "x".into(), Some(file))
                .expect("read on");
        }
        assert_eq!(input.refused_manifests, ["notes.md", "package-lock.json"]);
        let message = input.refused_message().expect("a message");
        assert!(
            message.starts_with("`notes.md` and `package-lock.json` are not manifests"),
            "{message}"
        );
        assert!(message.contains("requirements*.txt"), "{message}");
        input.runtime = "windows".into();
        assert!(input.runtime_preference().is_err());
    }

    #[test]
    fn requirement_files_of_any_name_are_manifests() {
        assert_eq!(
            manifest_name("requirements-dev.txt").as_deref(),
            Some("requirements-dev.txt")
        );
        assert_eq!(manifest_name("cargo.toml").as_deref(), Some("Cargo.toml"));
        assert_eq!(
            manifest_name("pipfile.lock").as_deref(),
            Some("Pipfile.lock")
        );
        for not in [
            "go.sum",
            "Cargo.lock",
            "Gemfile.lock",
            "package-lock.json",
            "a/requirements.txt",
            "",
        ] {
            assert_eq!(manifest_name(not), None, "{not}");
        }
        let mut input = FormInput::default();
        input
            .set("manifest:requirements-dev.txt", "pytest\r\n".into(), None)
            .expect("ok");
        input
            .set("dockerfile", "FROM a\r\nRUN b\r\n".into(), None)
            .expect("ok");
        assert_eq!(input.manifest("requirements-dev.txt"), "pytest\n");
        assert_eq!(input.dockerfile, "FROM a\nRUN b\n");
        assert_eq!(
            input.manifest_fields().last(),
            Some(&"requirements-dev.txt")
        );
    }
}
