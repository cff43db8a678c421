//! `pyproject.toml`: PEP 621 `[project] dependencies`, optional
//! dependencies and PEP 735 dependency groups, and poetry's
//! `[tool.poetry.dependencies]` and groups.

use toml::{Table, Value};

use super::{Dependency, Manifest, ManifestError, line_of_text, parse_requirement, toml_error};

/// Parses `pyproject.toml` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let project = doc.get("project").and_then(Value::as_table);
    let poetry = doc
        .get("tool")
        .and_then(Value::as_table)
        .and_then(|t| t.get("poetry"))
        .and_then(Value::as_table);
    m.name = project
        .and_then(|p| p.get("name"))
        .or_else(|| poetry.and_then(|p| p.get("name")))
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(project) = project {
        if let Some(deps) = project.get("dependencies") {
            pep508_list(file, text, deps, "[project] dependencies", m, |d| d)?;
        }
        if let Some(extras) = project.get("optional-dependencies") {
            let Some(extras) = extras.as_table() else {
                return Err(ManifestError::new(
                    file,
                    line_of_text(text, "optional-dependencies"),
                    "`[project.optional-dependencies]` must be a table",
                ));
            };
            for (extra, list) in extras {
                pep508_list(file, text, list, "optional dependencies", m, |mut d| {
                    d.optional = true;
                    d.group = Some(extra.clone());
                    d
                })?;
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(Value::as_table) {
        for (group, list) in groups {
            let Some(items) = list.as_array() else {
                continue;
            };
            for item in items {
                // `{include-group = "..."}` entries name other groups.
                let Some(s) = item.as_str() else { continue };
                match parse_requirement(s) {
                    Ok(Some(mut d)) => {
                        d.dev = true;
                        d.group = Some(group.clone());
                        m.dependencies.push(d);
                    }
                    Ok(None) => {}
                    Err(why) => return Err(ManifestError::new(file, line_of_text(text, s), why)),
                }
            }
        }
    }
    if let Some(poetry) = poetry {
        if let Some(deps) = poetry.get("dependencies") {
            poetry_table(file, text, deps, "main", m)?;
        }
        if let Some(deps) = poetry.get("dev-dependencies") {
            poetry_table(file, text, deps, "dev", m)?;
        }
        if let Some(groups) = poetry.get("group").and_then(Value::as_table) {
            for (group, g) in groups {
                let optional = g.get("optional").and_then(Value::as_bool).unwrap_or(false);
                if let Some(deps) = g.get("dependencies") {
                    let before = m.dependencies.len();
                    poetry_table(file, text, deps, group, m)?;
                    for d in m.dependencies.iter_mut().skip(before) {
                        d.optional |= optional;
                    }
                }
            }
        }
    }
    Ok(())
}

/// A list of PEP 508 strings.
fn pep508_list(
    file: &str,
    text: &str,
    value: &Value,
    what: &str,
    m: &mut Manifest,
    adjust: impl Fn(Dependency) -> Dependency,
) -> Result<(), ManifestError> {
    let Some(items) = value.as_array() else {
        return Err(ManifestError::new(
            file,
            line_of_text(text, "dependencies"),
            format!("{what} must be a list of strings"),
        ));
    };
    for item in items {
        let Some(s) = item.as_str() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, "dependencies"),
                format!("{what}: `{item}` is not a string"),
            ));
        };
        match parse_requirement(s) {
            Ok(Some(d)) => m.dependencies.push(adjust(d)),
            Ok(None) => {}
            Err(why) => return Err(ManifestError::new(file, line_of_text(text, s), why)),
        }
    }
    Ok(())
}

/// A poetry dependency table: `name = "^1.2"` or `name = {version, extras, optional}`.
fn poetry_table(
    file: &str,
    text: &str,
    value: &Value,
    group: &str,
    m: &mut Manifest,
) -> Result<(), ManifestError> {
    let Some(table) = value.as_table() else {
        return Err(ManifestError::new(
            file,
            line_of_text(text, "dependencies"),
            "poetry dependencies must be a table",
        ));
    };
    for (name, spec) in table {
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let mut dep = Dependency::main(name.clone(), None);
        dep.dev = group != "main";
        dep.group = Some(group.to_string());
        match spec {
            Value::String(v) => dep.version = Some(v.clone()),
            Value::Table(t) => {
                dep.version = t.get("version").and_then(Value::as_str).map(str::to_string);
                dep.optional = t.get("optional").and_then(Value::as_bool).unwrap_or(false);
                dep.extras = t
                    .get("extras")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_ascii_lowercase)
                            .collect()
                    })
                    .unwrap_or_default();
            }
            // Several constraints for different markers.
            Value::Array(_) => {}
            other => {
                return Err(ManifestError::new(
                    file,
                    line_of_text(text, name),
                    format!(
                        "dependency `{name}`: expected a version string or a table, found `{other}`"
                    ),
                ));
            }
        }
        m.dependencies.push(dep);
    }
    Ok(())
}
