//! `composer.json`: `require` and `require-dev`, platform packages left out.

use serde_json::Value;

use super::{Dependency, Manifest, ManifestError, json_error, line_of_text};

/// Whether a requirement is the platform (PHP itself, extensions), not a package.
fn is_platform(name: &str) -> bool {
    name == "php"
        || name.starts_with("ext-")
        || name.starts_with("lib-")
        || name.starts_with("php-")
        || name == "composer-plugin-api"
        || name == "composer-runtime-api"
        || name == "composer"
}

/// Parses `composer.json` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    let Some(obj) = doc.as_object() else {
        return Err(ManifestError::new(
            file,
            1,
            "composer.json must be a JSON object",
        ));
    };
    m.name = obj.get("name").and_then(Value::as_str).map(str::to_string);
    for (key, dev) in [("require", false), ("require-dev", true)] {
        let Some(section) = obj.get(key) else {
            continue;
        };
        let Some(section) = section.as_object() else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, &format!("\"{key}\"")),
                format!("`{key}` must be an object of name: constraint"),
            ));
        };
        for (name, version) in section {
            if is_platform(name) {
                continue;
            }
            let mut dep = Dependency::main(name.clone(), version.as_str().map(str::to_string));
            dep.dev = dev;
            m.dependencies.push(dep);
        }
    }
    Ok(())
}
