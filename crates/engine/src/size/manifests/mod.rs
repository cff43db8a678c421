//! Dependency manifests passed with a Dockerfile (requirements.txt,
//! pyproject.toml, poetry.lock, package.json, go.mod, Cargo.toml, pom.xml,
//! Gemfile, composer.json): the real dependency list refines the estimate.
//!
//! Each kind has its own file. Text that does not parse is a
//! [`ManifestError`] naming the file, the line and what is wrong; nothing
//! here panics.

mod cargo_toml;
mod composer;
mod gemfile;
mod go_mod;
mod package_json;
mod pipfile;
mod poetry_lock;
mod pom;
mod pyproject;
mod requirements;
mod uv_lock;

use serde::Serialize;

use crate::model::tools::Tool;

pub use requirements::parse_requirement;

/// What kind of manifest a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    /// pip requirements (`requirements*.txt`, `*.in`).
    Requirements,
    /// `pyproject.toml` (PEP 621 or poetry).
    Pyproject,
    /// `poetry.lock`.
    PoetryLock,
    /// pipenv's `Pipfile`.
    Pipfile,
    /// pipenv's `Pipfile.lock`.
    PipfileLock,
    /// `uv.lock`.
    UvLock,
    /// `package.json`.
    PackageJson,
    /// `go.mod`.
    GoMod,
    /// `Cargo.toml`.
    CargoToml,
    /// `pom.xml`.
    PomXml,
    /// `Gemfile`.
    Gemfile,
    /// `composer.json`.
    ComposerJson,
}

/// The manifests restage reads, by name, as messages list them.
pub const READ_MANIFESTS: &str = "requirements*.txt, pyproject.toml, poetry.lock, Pipfile, Pipfile.lock, uv.lock, package.json, go.mod, Cargo.toml, pom.xml, Gemfile, composer.json";

impl ManifestKind {
    /// The kind of a file, by its name (a path is allowed).
    pub fn detect(file: &str) -> Option<Self> {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let lower = base.to_ascii_lowercase();
        Some(match lower.as_str() {
            "pyproject.toml" => Self::Pyproject,
            "poetry.lock" => Self::PoetryLock,
            "pipfile" => Self::Pipfile,
            "pipfile.lock" => Self::PipfileLock,
            "uv.lock" => Self::UvLock,
            "package.json" => Self::PackageJson,
            "go.mod" => Self::GoMod,
            "cargo.toml" => Self::CargoToml,
            "pom.xml" => Self::PomXml,
            "gemfile" | "gems.rb" => Self::Gemfile,
            "composer.json" => Self::ComposerJson,
            l if (l.ends_with(".txt") || l.ends_with(".in"))
                && (l.contains("req") || in_requirements_dir(file)) =>
            {
                Self::Requirements
            }
            _ => return None,
        })
    }
}

/// Whether a file lies in a `requirements/` (or `reqs/`, `requirements.d/`)
/// directory, where pip projects keep `base.txt`, `prod.txt`, ...
fn in_requirements_dir(file: &str) -> bool {
    let mut parts: Vec<&str> = file.split(['/', '\\']).collect();
    parts.pop();
    parts.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        d.starts_with("requirement") || d == "reqs"
    })
}

/// `dir/../x.txt` → `x.txt`, `./a/./b` → `a/b` (a path relative to the
/// build context; `..` above it is dropped).
fn join_relative(dir: &str, path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let start: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for part in start.into_iter().chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

/// One dependency of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// The name as the ecosystem writes it (`psycopg2-binary`,
    /// `@nestjs/core`, `github.com/gin-gonic/gin`, `org.springframework.boot:spring-boot-starter-web`).
    pub name: String,
    /// The version or requirement, as written.
    pub version: Option<String>,
    /// Extras (`uvicorn[standard]`).
    pub extras: Vec<String>,
    /// Whether it is a development dependency (devDependencies, poetry's
    /// dev groups, `require-dev`, Gemfile's development and test groups,
    /// Maven's test scope).
    pub dev: bool,
    /// Whether it is only installed on request (optional dependencies,
    /// PEP 621 extras, Go's `// indirect` is not optional).
    pub optional: bool,
    /// The group, when the manifest names one.
    pub group: Option<String>,
}

impl Dependency {
    /// A main dependency.
    pub fn main(name: impl Into<String>, version: Option<String>) -> Self {
        Self {
            name: name.into(),
            version,
            extras: Vec::new(),
            dev: false,
            optional: false,
            group: None,
        }
    }
}

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// The file name as given.
    pub file: String,
    /// Its kind.
    pub kind: ManifestKind,
    /// Its size in bytes (what `COPY` of it adds).
    pub bytes: usize,
    /// The project's name (package name, module path, artifactId).
    pub name: Option<String>,
    /// Its dependencies, in file order.
    pub dependencies: Vec<Dependency>,
    /// Other requirement files it includes (`-r base.txt`).
    pub includes: Vec<String>,
    /// Package indexes it names (`--index-url`).
    pub index_urls: Vec<String>,
    /// Whether it lists every package of the install (a lock file), not
    /// just the direct dependencies.
    pub locked: bool,
    /// Binaries it builds (Cargo `[[bin]]`), or the build script
    /// (package.json `scripts.build`).
    pub outputs: Vec<String>,
    /// The parent project (pom.xml `<parent>` artifactId).
    pub parent: Option<String>,
}

impl Manifest {
    fn new(file: &str, kind: ManifestKind, content: &str) -> Self {
        Self {
            file: file.to_string(),
            kind,
            bytes: content.len(),
            name: None,
            dependencies: Vec::new(),
            includes: Vec::new(),
            index_urls: Vec::new(),
            locked: false,
            outputs: Vec::new(),
            parent: None,
        }
    }

    /// The base name of the file.
    pub fn base_name(&self) -> &str {
        self.file.rsplit(['/', '\\']).next().unwrap_or(&self.file)
    }
}

/// A manifest that could not be read.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema, thiserror::Error,
)]
#[error("{file}:{line}: {message}")]
pub struct ManifestError {
    /// The file name as given.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl ManifestError {
    fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line: line.max(1),
            message: message.into(),
        }
    }
}

/// Parses one file; `Ok(None)` when its name is not a manifest restage reads.
pub fn parse(file: &str, content: &str) -> Result<Option<Manifest>, ManifestError> {
    let Some(kind) = ManifestKind::detect(file) else {
        return Ok(None);
    };
    let mut m = Manifest::new(file, kind, content);
    match kind {
        ManifestKind::Requirements => requirements::parse(file, content, &mut m)?,
        ManifestKind::Pyproject => pyproject::parse(file, content, &mut m)?,
        ManifestKind::PoetryLock => poetry_lock::parse(file, content, &mut m)?,
        ManifestKind::Pipfile => pipfile::parse(file, content, &mut m)?,
        ManifestKind::PipfileLock => pipfile::parse_lock(file, content, &mut m)?,
        ManifestKind::UvLock => uv_lock::parse(file, content, &mut m)?,
        ManifestKind::PackageJson => package_json::parse(file, content, &mut m)?,
        ManifestKind::GoMod => go_mod::parse(file, content, &mut m)?,
        ManifestKind::CargoToml => cargo_toml::parse(file, content, &mut m)?,
        ManifestKind::PomXml => pom::parse(file, content, &mut m)?,
        ManifestKind::Gemfile => gemfile::parse(file, content, &mut m)?,
        ManifestKind::ComposerJson => composer::parse(file, content, &mut m)?,
    }
    Ok(Some(m))
}

/// Every manifest of a set of files, and the errors of those that did not parse.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Manifests {
    /// The manifests read.
    pub list: Vec<Manifest>,
    /// The files that could not be read.
    pub errors: Vec<ManifestError>,
}

/// Parses every file that is a manifest; other files are ignored.
pub fn parse_all(files: &[(String, String)]) -> Manifests {
    let mut out = Manifests::default();
    for (name, content) in files {
        match parse(name, content) {
            Ok(Some(m)) => out.list.push(m),
            Ok(None) => {}
            Err(e) => out.errors.push(e),
        }
    }
    out
}

impl Manifests {
    /// The manifest a path in the Dockerfile names (`requirements/prod.txt`,
    /// `./requirements.txt`): same path, else same base name.
    pub fn find(&self, path: &str) -> Option<&Manifest> {
        let clean = path.trim_start_matches("./");
        let base = clean.rsplit('/').next().unwrap_or(clean);
        self.list
            .iter()
            .find(|m| m.file.trim_start_matches("./") == clean)
            .or_else(|| {
                self.list
                    .iter()
                    .find(|m| clean.ends_with(m.file.trim_start_matches("./")))
            })
            .or_else(|| self.list.iter().find(|m| m.base_name() == base))
    }

    /// The first manifest of a kind (the one with the shortest path).
    pub fn first(&self, kind: ManifestKind) -> Option<&Manifest> {
        self.list
            .iter()
            .filter(|m| m.kind == kind)
            .min_by_key(|m| m.file.matches('/').count())
    }

    /// What a Python project tool (`Tool::Poetry`, `Tool::Pipenv`,
    /// `Tool::Uv`) installs from: its lock file when one was given
    /// (`poetry.lock`, `Pipfile.lock`, `uv.lock`), else its project file;
    /// `Err` with the project file's name when neither was.
    pub fn python_project(&self, tool: Tool) -> Result<&Manifest, &'static str> {
        let (lock, project, name) = match tool {
            Tool::Poetry => (
                ManifestKind::PoetryLock,
                ManifestKind::Pyproject,
                "pyproject.toml",
            ),
            Tool::Pipenv => (ManifestKind::PipfileLock, ManifestKind::Pipfile, "Pipfile"),
            _ => (
                ManifestKind::UvLock,
                ManifestKind::Pyproject,
                "pyproject.toml",
            ),
        };
        self.first(lock).or_else(|| self.first(project)).ok_or(name)
    }

    /// A requirements file with the files it includes, depth first, each once.
    pub fn requirements_closure<'m>(&'m self, root: &'m Manifest) -> Vec<&'m Manifest> {
        let mut out: Vec<&Manifest> = Vec::new();
        let mut stack = vec![root];
        while let Some(m) = stack.pop() {
            if out.iter().any(|o| std::ptr::eq(*o, m)) || out.len() > 64 {
                continue;
            }
            out.push(m);
            let dir = m
                .file
                .trim_start_matches("./")
                .rsplit_once('/')
                .map_or("", |(d, _)| d);
            for inc in m.includes.iter().rev() {
                let joined = join_relative(dir, inc);
                let exact = self
                    .list
                    .iter()
                    .find(|o| join_relative("", &o.file) == joined);
                if let Some(next) = exact.or_else(|| self.find(inc)) {
                    stack.push(next);
                }
            }
        }
        out
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// The line where `needle` first appears (1 when it does not).
fn line_of_text(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |i| line_at(text, i))
}

/// A TOML error as a manifest error.
fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> ManifestError {
    let line = e.span().map_or(1, |s| line_at(text, s.start));
    ManifestError::new(file, line, format!("invalid TOML: {}", e.message().trim()))
}

/// A JSON error as a manifest error.
fn json_error(file: &str, e: &serde_json::Error) -> ManifestError {
    ManifestError::new(file, e.line(), format!("invalid JSON: {e}"))
}

#[cfg(test)]
mod tests;
