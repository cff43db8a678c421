//! `package.json`: dependencies, devDependencies, optionalDependencies,
//! and the build script.

use serde_json::Value;

use super::{Dependency, Manifest, ManifestError, json_error, line_of_text};

/// Parses `package.json` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    let Some(obj) = doc.as_object() else {
        return Err(ManifestError::new(
            file,
            1,
            "package.json must be a JSON object",
        ));
    };
    m.name = obj.get("name").and_then(Value::as_str).map(str::to_string);
    for (key, dev, optional) in [
        ("dependencies", false, false),
        ("devDependencies", true, false),
        ("optionalDependencies", false, true),
    ] {
        let Some(section) = obj.get(key) else {
            continue;
        };
        let Some(section) = section.as_object() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, &format!("\"{key}\"")),
                format!("`{key}` must be an object of name: version"),
            ));
        };
        for (name, version) in section {
            let mut dep = Dependency::main(name.clone(), version.as_str().map(str::to_string));
            dep.dev = dev;
            dep.optional = optional;
            m.dependencies.push(dep);
        }
    }
    if let Some(build) = obj
        .get("scripts")
        .and_then(Value::as_object)
        .and_then(|s| s.get("build"))
        .and_then(Value::as_str)
    {
        m.outputs.push(build.to_string());
    }
    Ok(())
}
