//! What a conversion returns.

use serde::{Deserialize, Serialize};

/// The language or stack a Dockerfile builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Ecosystem {
    Python,
    Node,
    NodeSpa,
    Nextjs,
    Go,
    Rust,
    Java,
    Dotnet,
    Ruby,
    Php,
    Cpp,
    Generic,
}

impl Ecosystem {
    /// Every ecosystem, in the order lists show them.
    pub const ALL: [Ecosystem; 12] = [
        Self::Python,
        Self::Node,
        Self::NodeSpa,
        Self::Nextjs,
        Self::Go,
        Self::Rust,
        Self::Java,
        Self::Dotnet,
        Self::Ruby,
        Self::Php,
        Self::Cpp,
        Self::Generic,
    ];

    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Python => "python",
            Self::Node => "node",
            Self::NodeSpa => "node-spa",
            Self::Nextjs => "nextjs",
            Self::Go => "go",
            Self::Rust => "rust",
            Self::Java => "java",
            Self::Dotnet => "dotnet",
            Self::Ruby => "ruby",
            Self::Php => "php",
            Self::Cpp => "cpp",
            Self::Generic => "generic",
        }
    }
}

/// How sure restage is that the conversion behaves like the input.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Assumptions were needed that a person should check.
    Low,
    /// A common pattern with a few assumptions.
    Medium,
    /// A well-known pattern restage understands fully.
    High,
}

/// What kind of change a conversion made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new stage.
    AddStage,
    /// The source stage became a builder stage.
    RenameStage,
    /// A different base image.
    ReplaceBase,
    /// An instruction moved to another stage.
    Move,
    /// An instruction kept in the runtime stage.
    Keep,
    /// An instruction rewritten.
    Rewrite,
    /// A new instruction.
    Add,
    /// An instruction left out of the runtime stage.
    Drop,
    /// An artifact copied from a builder stage.
    CopyArtifact,
    /// A development package replaced by its runtime library.
    RuntimeLibrary,
    /// A non-root user.
    User,
    /// A BuildKit cache mount.
    CacheMount,
    /// The `# syntax` directive.
    Syntax,
}

/// One change, with the reason and the lines it came from and went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// What changed.
    pub summary: String,
    /// Why.
    pub reason: String,
    /// Lines of the input it comes from.
    pub source_lines: Vec<usize>,
    /// Lines of the output it produced.
    pub output_lines: Vec<usize>,
}

/// A converted Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Conversion {
    /// The new Dockerfile.
    pub dockerfile: String,
    /// The ecosystem detected.
    pub ecosystem: Ecosystem,
    /// The strategy used (`python-venv`, `go-static`, ...).
    pub strategy: String,
    /// How sure restage is.
    pub confidence: Confidence,
    /// Every change, in output order.
    pub changes: Vec<Change>,
    /// What restage assumed and a person should check.
    pub assumptions: Vec<String>,
    /// Things that may not work as before.
    pub warnings: Vec<String>,
    /// Whether the output is the input, byte for byte.
    pub unchanged: bool,
}

/// Why restage did not convert a Dockerfile.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema,
)]
#[error("{reason}")]
pub struct Refusal {
    /// The ecosystem, when one was recognised.
    pub ecosystem: Option<Ecosystem>,
    /// Why, for a person.
    pub reason: String,
    /// The line at fault, when the refusal is about one (a Dockerfile that
    /// does not build).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column at fault on `line` (1-based, in characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Refusal {
    /// A refusal with a reason.
    pub fn new(ecosystem: Option<Ecosystem>, reason: impl Into<String>) -> Self {
        Self {
            ecosystem,
            reason: reason.into(),
            line: None,
            column: None,
        }
    }

    /// The refusal about `line`.
    pub fn at_line(self, line: usize) -> Self {
        Self {
            line: Some(line),
            ..self
        }
    }

    /// The refusal about `line`, `column`.
    pub fn at(self, line: usize, column: usize) -> Self {
        Self {
            line: Some(line),
            column: Some(column),
            ..self
        }
    }
}

/// Which kind of runtime image to prefer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RuntimePreference {
    /// The strategy's best choice.
    #[default]
    Auto,
    /// A Debian slim image.
    Slim,
    /// An Alpine image.
    Alpine,
    /// A distroless image.
    Distroless,
    /// `scratch` (static binaries only).
    Scratch,
}

/// Conversion options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConvertOptions {
    /// Runtime image preference.
    pub runtime: RuntimePreference,
    /// The user to run as (name or uid); `None` picks one.
    pub user: Option<String>,
    /// Use BuildKit cache mounts for package managers.
    pub cache_mounts: bool,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self {
            runtime: RuntimePreference::Auto,
            user: None,
            cache_mounts: false,
        }
    }
}
