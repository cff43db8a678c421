//! Python dependencies that need a system library at run time: `psycopg2`
//! built from source links libpq, `python-magic` loads libmagic. The full
//! `python` images ship the development packages, so a Dockerfile built on
//! one installs none and nothing in it names the library; the slim runtime
//! image lacks it, and the application fails at import.
//!
//! What the stage installs is read from the manifests passed with the
//! Dockerfile (`requirements.txt`, `pyproject.toml`, `poetry.lock`) and from
//! `pip install` command lines; the libraries come from
//! `data/runtime-libraries.toml` (`pypi`).

use crate::convert::context::ConvertContext;
use crate::knowledge::packages::{Distro, library_for_pypi};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};
use crate::size::manifests::{Dependency, ManifestKind, Manifests, parse_requirement};

/// A runtime package a Python dependency needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NativeLibrary {
    /// The package on the runtime image's distribution (`libpq5`).
    pub package: String,
    /// The dependency that needs it (`psycopg2`).
    pub dependency: String,
    /// The line of the install.
    pub line: usize,
}

/// What the stage's dependency installs tell about native libraries.
#[derive(Debug, Default)]
pub(super) struct Needs {
    /// The runtime packages the known dependencies need.
    pub libraries: Vec<NativeLibrary>,
    /// Dependency files the installs read that were not passed with the
    /// Dockerfile (`requirements.txt`), with the line of the install.
    pub unseen: Vec<(usize, String)>,
}

/// The runtime packages on `runtime` that the stage's Python dependencies
/// need, and the dependency files restage could not read.
pub(super) fn needs(cx: &ConvertContext<'_>, runtime: Distro) -> Needs {
    let files: Vec<(String, String)> = cx
        .manifests
        .iter()
        .map(|(name, text)| (name.clone(), text.clone()))
        .collect();
    let manifests = crate::size::manifests::parse_all(&files);
    let mut out = Needs::default();
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        for cmd in run.commands() {
            let Some(inv) = recognise(cmd) else { continue };
            let deps = match inv.tool {
                Tool::Pip if inv.subcommand() == Some("install") => pip_dependencies(
                    inv.line,
                    &inv.operands(),
                    &manifests,
                    i.start_line,
                    &mut out,
                ),
                Tool::Poetry | Tool::Pipenv | Tool::Uv
                    if matches!(inv.subcommand(), Some("install" | "sync")) =>
                {
                    project_dependencies(inv.tool, &manifests, i.start_line, &mut out)
                }
                _ => Vec::new(),
            };
            for dep in deps.iter().filter(|d| !d.dev) {
                let Some(library) = library_for_pypi(&dep.name, &dep.extras) else {
                    continue;
                };
                for package in library.runtime_packages(runtime) {
                    if !out.libraries.iter().any(|l| l.package == *package) {
                        out.libraries.push(NativeLibrary {
                            package: package.clone(),
                            dependency: dep.name.clone(),
                            line: i.start_line,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The dependencies of a `pip install`: its requirement files (read from
/// the manifests, with the files they include) and its operands.
fn pip_dependencies(
    line: &SimpleCommand,
    operands: &[&str],
    manifests: &Manifests,
    at: usize,
    out: &mut Needs,
) -> Vec<Dependency> {
    let mut deps = Vec::new();
    for file in requirement_files(line) {
        match manifests.find(file) {
            Some(m) => {
                for part in manifests.requirements_closure(m) {
                    deps.extend(part.dependencies.iter().cloned());
                }
            }
            None => unseen(out, at, file),
        }
    }
    for op in operands {
        if op.starts_with('.') || op.starts_with('/') {
            match manifests.first(ManifestKind::Pyproject) {
                Some(m) => deps.extend(m.dependencies.iter().cloned()),
                None => unseen(out, at, "pyproject.toml"),
            }
        } else if let Ok(Some(d)) = parse_requirement(op) {
            deps.push(d);
        }
    }
    deps
}

/// The dependencies a project tool (`poetry install`, `pipenv install`,
/// `uv sync`) installs: the lock file's when it was passed (`poetry.lock`,
/// `Pipfile.lock`, `uv.lock`), else the project file's (`pyproject.toml`,
/// `Pipfile`).
fn project_dependencies(
    tool: Tool,
    manifests: &Manifests,
    at: usize,
    out: &mut Needs,
) -> Vec<Dependency> {
    match manifests.python_project(tool) {
        Ok(m) => m.dependencies.clone(),
        Err(project_file) => {
            unseen(out, at, project_file);
            Vec::new()
        }
    }
}

/// Notes a dependency file that was not passed.
fn unseen(out: &mut Needs, at: usize, file: &str) {
    if !out.unseen.iter().any(|(_, f)| f == file) {
        out.unseen.push((at, file.to_string()));
    }
}

/// The files of `-r`/`--requirement` (`-r a.txt`, `--requirement=b.txt`).
fn requirement_files(line: &SimpleCommand) -> Vec<&str> {
    let mut files = Vec::new();
    let mut args = line.args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-r" | "--requirement" => files.extend(args.next().map(String::as_str)),
            a => {
                if let Some(file) = a
                    .strip_prefix("--requirement=")
                    .or_else(|| a.strip_prefix("-r").filter(|f| !f.is_empty()))
                {
                    files.push(file);
                }
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::convert::{Confidence, ConvertOptions, Outcome, convert_model_with_manifests};
    use crate::model::Model;

    const SINGLE_STAGE: &str = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

    fn convert(text: &str, manifests: &[(&str, &str)]) -> Outcome {
        let doc = crate::dockerfile::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let model = Model::build(&doc);
        let manifests: BTreeMap<String, String> = manifests
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        convert_model_with_manifests(&doc, &model, &ConvertOptions::default(), &manifests)
            .unwrap_or_else(|r| panic!("refused: {}", r.reason))
    }

    /// The seed article's Python API: psycopg2 in requirements.txt on the
    /// full image, which has libpq-dev; the slim runtime needs libpq5.
    #[test]
    fn a_listed_dependency_that_links_a_library_gets_it_in_the_runtime() {
        let out = convert(
            SINGLE_STAGE,
            &[("requirements.txt", "flask==3.0\npsycopg2==2.9.9\n")],
        );
        let runtime = out
            .conversion
            .dockerfile
            .split("AS runtime")
            .nth(1)
            .unwrap_or_default();
        assert!(
            runtime.contains("apt-get install -y --no-install-recommends libpq5"),
            "{}",
            out.conversion.dockerfile
        );
        assert!(
            out.conversion.changes.iter().any(|c| c
                .reason
                .contains("`psycopg2` (installed on line 4) needs `libpq5`")),
            "{:?}",
            out.conversion.changes
        );
        assert_eq!(out.conversion.confidence, Confidence::High);
        assert!(
            out.conversion
                .warnings
                .iter()
                .all(|w| !w.contains("did not see"))
        );
    }

    #[test]
    fn bundled_and_pure_python_dependencies_need_nothing() {
        for requirements in ["psycopg2-binary==2.9.9\n", "psycopg[binary]>=3.1\nflask\n"] {
            let out = convert(SINGLE_STAGE, &[("requirements.txt", requirements)]);
            assert!(
                !out.conversion.dockerfile.contains("libpq"),
                "{requirements}"
            );
        }
    }

    #[test]
    fn a_dependency_named_on_the_command_line_counts_too() {
        let text = "FROM python:3.12\nRUN pip install mysqlclient flask\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";
        let out = convert(text, &[]);
        assert!(
            out.conversion.dockerfile.contains("libmariadb3"),
            "{}",
            out.conversion.dockerfile
        );
    }

    /// Without the file, restage cannot know: it says so and is less sure.
    #[test]
    fn an_unseen_requirements_file_on_the_full_image_is_a_warning() {
        let out = convert(SINGLE_STAGE, &[]);
        assert_eq!(out.conversion.confidence, Confidence::Medium);
        assert!(
            out.conversion
                .warnings
                .iter()
                .any(|w| w.starts_with("restage did not see `requirements.txt` (line 4)")),
            "{:?}",
            out.conversion.warnings
        );
        // A slim source image has no headers: a dependency built from
        // source would have needed an install the Dockerfile shows.
        let slim = SINGLE_STAGE.replace("python:3.12", "python:3.12-slim");
        let out = convert(&slim, &[]);
        assert!(
            out.conversion
                .warnings
                .iter()
                .all(|w| !w.contains("did not see"))
        );
    }
}
