//! pipenv's `Pipfile` (TOML: `[packages]` and `[dev-packages]`) and
//! `Pipfile.lock` (JSON: `default` and `develop`, every package of the
//! resolved install).

use serde_json::Value as Json;
use toml::{Table, Value};

use super::{Dependency, Manifest, ManifestError, line_of_text, toml_error};

/// Parses a `Pipfile` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    for (section, dev) in [("packages", false), ("dev-packages", true)] {
        let Some(packages) = doc.get(section) else {
            continue;
        };
        let Some(packages) = packages.as_table() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, section),
                format!("`[{section}]` must be a table"),
            ));
        };
        for (name, spec) in packages {
            let (version, extras) = match spec {
                Value::String(v) => (v.as_str(), Vec::new()),
                Value::Table(t) => (
                    t.get("version").and_then(Value::as_str).unwrap_or("*"),
                    t.get("extras")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                other => {
                    return Err(ManifestError::new(
                        file,
                        line_of_text(text, name),
                        format!(
                            "`{name}` in `[{section}]` is {other}: a version string or a table was expected"
                        ),
                    ));
                }
            };
            let mut dep = Dependency::main(
                name.clone(),
                (version != "*" && !version.is_empty()).then(|| version.to_string()),
            );
            dep.extras = extras;
            dep.dev = dev;
            dep.group = dev.then(|| "develop".to_string());
            m.dependencies.push(dep);
        }
    }
    Ok(())
}

/// Parses a `Pipfile.lock` into `m`.
pub(super) fn parse_lock(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Json = serde_json::from_str(text)
        .map_err(|e| ManifestError::new(file, e.line(), format!("not valid JSON: {e}")))?;
    m.locked = true;
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(packages) = doc.get(section) else {
            continue;
        };
        let Some(packages) = packages.as_object() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, section),
                format!("`{section}` must be an object of packages"),
            ));
        };
        for (name, spec) in packages {
            // A package in both sections is installed by the default one.
            if dev
                && m.dependencies
                    .iter()
                    .any(|d| !d.dev && d.name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let mut dep = Dependency::main(
                name.clone(),
                spec.get("version")
                    .and_then(Json::as_str)
                    .map(str::to_string),
            );
            dep.extras = spec
                .get("extras")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            dep.dev = dev;
            dep.group = dev.then(|| "develop".to_string());
            m.dependencies.push(dep);
        }
    }
    Ok(())
}
