//! `uv.lock`: every package of the resolved install. The project itself
//! (a package whose source is the project directory: `editable`,
//! `virtual` or `directory`) is not a dependency; a package reached only
//! through the project's development groups (`[package.dev-dependencies]`)
//! is a development one.

use std::collections::{BTreeMap, BTreeSet};

use toml::{Table, Value};

use super::{Dependency, Manifest, ManifestError, line_of_text, toml_error};

/// One `[[package]]`: what it depends on, and its extras' dependencies.
#[derive(Default)]
struct Package<'a> {
    version: Option<&'a str>,
    dependencies: Vec<Edge<'a>>,
    extras: BTreeMap<&'a str, Vec<Edge<'a>>>,
    dev_groups: Vec<Edge<'a>>,
    project: bool,
}

/// A dependency on `name`, with the extras it asks for.
struct Edge<'a> {
    name: &'a str,
    extras: Vec<&'a str>,
}

/// Parses `uv.lock` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    m.locked = true;
    let Some(list) = doc.get("package") else {
        return Ok(());
    };
    let Some(list) = list.as_array() else {
        return Err(ManifestError::new(
            file,
            line_of_text(text, "package"),
            "`package` must be an array of tables ([[package]])",
        ));
    };
    let mut packages: BTreeMap<&str, Package<'_>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            return Err(ManifestError::new(
                file,
                line_of_text(text, "[[package]]"),
                format!("[[package]] number {} has no name", i + 1),
            ));
        };
        let source = p.get("source").and_then(Value::as_table);
        // A package resolved twice (for different platforms) is one
        // package with both versions' dependencies.
        if !packages.contains_key(name) {
            order.push(name);
        }
        let package = packages.entry(name).or_default();
        package.version = package
            .version
            .or_else(|| p.get("version").and_then(Value::as_str));
        package.dependencies.extend(edges(p.get("dependencies")));
        if let Some(extras) = p.get("optional-dependencies").and_then(Value::as_table) {
            for (extra, list) in extras {
                package
                    .extras
                    .entry(extra.as_str())
                    .or_default()
                    .extend(edges(Some(list)));
            }
        }
        if let Some(groups) = p.get("dev-dependencies").and_then(Value::as_table) {
            package
                .dev_groups
                .extend(groups.values().flat_map(|v| edges(Some(v))));
        }
        package.project |= source.is_some_and(|s| {
            ["editable", "virtual", "directory"]
                .iter()
                .any(|k| s.contains_key(*k))
        });
    }
    let projects: Vec<&Package<'_>> = packages.values().filter(|p| p.project).collect();
    let main = reach(
        &packages,
        projects.iter().flat_map(|p| p.dependencies.iter()),
    );
    let dev = reach(&packages, projects.iter().flat_map(|p| p.dev_groups.iter()));
    for name in order {
        let Some(p) = packages.get(name).filter(|p| !p.project) else {
            continue;
        };
        let mut dep = Dependency::main(name, p.version.map(str::to_string));
        // Only what the development groups reach, and the main ones do not.
        dep.dev = !main.contains(name) && dev.contains(name);
        dep.group = dep.dev.then(|| "dev".to_string());
        m.dependencies.push(dep);
    }
    Ok(())
}

/// The dependency list of a `[[package]]` field: `{ name, extra? }` tables.
fn edges(value: Option<&Value>) -> Vec<Edge<'_>> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    Some(Edge {
                        name: item.get("name")?.as_str()?,
                        extras: item
                            .get("extra")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every package reached from `start`, following dependencies and the
/// dependencies of the extras asked for.
fn reach<'a>(
    packages: &BTreeMap<&'a str, Package<'a>>,
    start: impl Iterator<Item = &'a Edge<'a>>,
) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<(&str, Option<&str>)> = BTreeSet::new();
    let mut stack: Vec<(&str, Option<&str>)> = Vec::new();
    for edge in start {
        stack.push((edge.name, None));
        stack.extend(edge.extras.iter().map(|x| (edge.name, Some(*x))));
    }
    while let Some((name, extra)) = stack.pop() {
        if !seen.insert((name, extra)) {
            continue;
        }
        let Some(p) = packages.get(name) else {
            continue;
        };
        let next = match extra {
            None => p.dependencies.as_slice(),
            Some(x) => p.extras.get(x).map_or(&[][..], Vec::as_slice),
        };
        for edge in next {
            stack.push((edge.name, None));
            stack.extend(edge.extras.iter().map(|x| (edge.name, Some(*x))));
        }
    }
    seen.into_iter().map(|(name, _)| name).collect()
}
