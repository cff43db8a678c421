//! `Cargo.toml`: the package name, `[[bin]]` targets and the dependency
//! tables (also per target and the workspace's).

use toml::{Table, Value};

use super::{Dependency, Manifest, ManifestError, line_of_text, toml_error};

/// Parses `Cargo.toml` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    m.name = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(bins) = doc.get("bin").and_then(Value::as_array) {
        m.outputs.extend(
            bins.iter()
                .filter_map(|b| b.get("name").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    if m.outputs.is_empty()
        && let Some(name) = &m.name
    {
        m.outputs.push(name.clone());
    }
    let mut tables: Vec<(&Value, bool)> = Vec::new();
    for (key, dev) in [
        ("dependencies", false),
        ("build-dependencies", false),
        ("dev-dependencies", true),
    ] {
        if let Some(t) = doc.get(key) {
            tables.push((t, dev));
        }
        if let Some(targets) = doc.get("target").and_then(Value::as_table) {
            for target in targets.values() {
                if let Some(t) = target.get(key) {
                    tables.push((t, dev));
                }
            }
        }
    }
    if doc.get("package").is_none()
        && let Some(t) = doc.get("workspace").and_then(|w| w.get("dependencies"))
    {
        tables.push((t, false));
    }
    for (table, dev) in tables {
        let Some(table) = table.as_table() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, "dependencies"),
                "a dependency section must be a table",
            ));
        };
        for (name, spec) in table {
            let version = match spec {
                Value::String(v) => Some(v.clone()),
                Value::Table(t) => t.get("version").and_then(Value::as_str).map(str::to_string),
                other => {
                    return Err(ManifestError::new(
                        file,
                        line_of_text(text, name),
                        format!(
                            "dependency `{name}`: expected a version or a table, found `{other}`"
                        ),
                    ));
                }
            };
            let mut dep = Dependency::main(name.clone(), version);
            dep.dev = dev;
            dep.optional = spec
                .get("optional")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !m
                .dependencies
                .iter()
                .any(|d| d.name == dep.name && d.dev == dep.dev)
            {
                m.dependencies.push(dep);
            }
        }
    }
    Ok(())
}
