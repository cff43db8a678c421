//! `pom.xml`: the project's artifactId, its parent, and the
//! `<dependencies>` of the project (not those of `<dependencyManagement>`
//! or of plugins), with their scope.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Dependency, Manifest, ManifestError, line_at};

/// One `<dependency>` being read.
#[derive(Default)]
struct Pending {
    group: String,
    artifact: String,
    version: Option<String>,
    scope: Option<String>,
    optional: bool,
}

/// Parses `pom.xml` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut saw_project = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            ManifestError::new(file, line_at(text, at), format!("invalid XML: {e}"))
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if path.is_empty() {
                    if name != "project" {
                        return Err(ManifestError::new(
                            file,
                            line_at(text, position(&reader)),
                            format!("the root element is <{name}>, not <project>"),
                        ));
                    }
                    saw_project = true;
                }
                path.push(name);
                if is_project_dependency(&path) {
                    pending = Some(Pending::default());
                }
            }
            Event::End(_) => {
                if is_project_dependency(&path)
                    && let Some(p) = pending.take()
                {
                    if p.artifact.is_empty() {
                        return Err(ManifestError::new(
                            file,
                            line_at(text, position(&reader)),
                            "a <dependency> without <artifactId>",
                        ));
                    }
                    let mut dep =
                        Dependency::main(format!("{}:{}", p.group, p.artifact), p.version);
                    dep.dev = matches!(p.scope.as_deref(), Some("test"));
                    dep.optional = p.optional || matches!(p.scope.as_deref(), Some("provided"));
                    dep.group = p.scope;
                    m.dependencies.push(dep);
                }
                path.pop();
            }
            Event::Text(t) => {
                let value = t.xml10_content().trim().to_string();
                let tail: Vec<&str> = path.iter().rev().take(2).map(String::as_str).collect();
                match tail.as_slice() {
                    ["artifactId", "project"] if path.len() == 2 => m.name = Some(value),
                    ["artifactId", "parent"] if path.len() == 3 => m.parent = Some(value),
                    [field, "dependency"] if pending.is_some() && path.len() == 4 => {
                        if let Some(p) = pending.as_mut() {
                            match *field {
                                "groupId" => p.group = value,
                                "artifactId" => p.artifact = value,
                                "version" => p.version = Some(value),
                                "scope" => p.scope = Some(value),
                                "optional" => p.optional = value == "true",
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_project {
        return Err(ManifestError::new(file, 1, "no <project> element"));
    }
    if !path.is_empty() {
        return Err(ManifestError::new(
            file,
            line_at(text, text.len()),
            format!("<{}> is not closed", path.join("><")),
        ));
    }
    Ok(())
}

/// `project/dependencies/dependency`.
fn is_project_dependency(path: &[String]) -> bool {
    matches!(path, [a, b, c] if a == "project" && b == "dependencies" && c == "dependency")
}

/// The reader's byte position.
fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}
