//! `poetry.lock`: every package of the resolved install, with its group.

use toml::{Table, Value};

use super::{Dependency, Manifest, ManifestError, line_of_text, toml_error};

/// Parses `poetry.lock` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    m.locked = true;
    let Some(packages) = doc.get("package") else {
        return Ok(());
    };
    let Some(packages) = packages.as_array() else {
        return Err(ManifestError::new(
            file,
            line_of_text(text, "package"),
            "`package` must be an array of tables ([[package]])",
        ));
    };
    for (i, p) in packages.iter().enumerate() {
        let name = p.get("name").and_then(Value::as_str);
        let Some(name) = name else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, "[[package]]"),
                format!("[[package]] number {} has no name", i + 1),
            ));
        };
        let mut dep = Dependency::main(
            name,
            p.get("version").and_then(Value::as_str).map(str::to_string),
        );
        // Poetry < 1.5 writes `category`; newer versions write `groups`.
        let category = p.get("category").and_then(Value::as_str);
        let groups: Vec<&str> = p
            .get("groups")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        dep.dev = category == Some("dev") || (!groups.is_empty() && !groups.contains(&"main"));
        dep.optional = p.get("optional").and_then(Value::as_bool).unwrap_or(false);
        dep.group = category
            .map(str::to_string)
            .or_else(|| groups.first().map(|g| (*g).to_string()));
        m.dependencies.push(dep);
    }
    Ok(())
}
