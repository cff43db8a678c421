//! Build-time packages: toolchains, development headers, and the runtime
//! library each development package stands for (`data/runtime-libraries.toml`).

use std::sync::LazyLock;

use serde::Deserialize;

/// A distribution family, for package names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distro {
    /// Debian 12 (bookworm) and derivatives.
    Bookworm,
    /// Debian 13 (trixie), where some libraries were renamed.
    Trixie,
    /// Alpine Linux.
    Alpine,
    /// Red Hat family (dnf, yum, microdnf).
    Rhel,
}

/// One row of the library table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Library {
    /// Debian development packages.
    pub debian: Vec<String>,
    /// Debian 12 runtime packages.
    pub runtime: Vec<String>,
    /// Debian 13 runtime packages, when renamed.
    #[serde(default)]
    pub trixie: Vec<String>,
    /// Alpine development packages.
    pub alpine: Vec<String>,
    /// Alpine runtime packages.
    pub alpine_runtime: Vec<String>,
    /// What needs it.
    pub why: String,
    /// Python distributions that need it at run time (PEP 503 names).
    #[serde(default)]
    pub pypi: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Toolchain {
    debian: Vec<String>,
    alpine: Vec<String>,
    rhel: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Table {
    library: Vec<Library>,
    toolchain: Toolchain,
}

/// The embedded data file.
/// `data/runtime-libraries.toml`.
fn data() -> &'static str {
    &crate::data::RUNTIME_LIBRARIES
}

static TABLE: LazyLock<Table> = LazyLock::new(|| toml::from_str(data()).unwrap_or_default());

/// Reads the table now rather than on first use.
pub(crate) fn load_table() {
    LazyLock::force(&TABLE);
}

/// Whether `package` only builds software (compilers, make, headers of the
/// C library, language toolchains).
pub fn is_toolchain(package: &str, distro: Distro) -> bool {
    let t = &TABLE.toolchain;
    let list = match distro {
        Distro::Bookworm | Distro::Trixie => &t.debian,
        Distro::Alpine => &t.alpine,
        Distro::Rhel => &t.rhel,
    };
    let name = package_name(package);
    list.iter().any(|p| p == name)
}

/// Whether `package` is a development package (headers, static libraries).
pub fn is_dev(package: &str) -> bool {
    let name = package_name(package);
    name.ends_with("-dev")
        || name.ends_with("-devel")
        || name.ends_with("-headers")
        || name.ends_with("-dev-compat")
}

/// The package name without a version pin (`gcc=12.2*` → `gcc`, `curl~8` → `curl`).
pub fn package_name(package: &str) -> &str {
    let end = package.find(['=', '~', '>', '<']).unwrap_or(package.len());
    package.get(..end).unwrap_or(package)
}

/// The library row a development package belongs to.
pub fn library_for(dev_package: &str, distro: Distro) -> Option<&'static Library> {
    let name = package_name(dev_package);
    TABLE.library.iter().find(|l| match distro {
        Distro::Alpine => l.alpine.iter().any(|p| p == name),
        _ => l.debian.iter().any(|p| p == name),
    })
}

/// The runtime packages that replace a development package, when known.
pub fn runtime_for(dev_package: &str, distro: Distro) -> Option<&'static [String]> {
    library_for(dev_package, distro).map(|lib| lib.runtime_packages(distro))
}

/// The library row a Python distribution needs at run time (`psycopg2`
/// needs libpq), by its name as any requirement writes it (case, `_` and
/// `.` do not matter, PEP 503). A `binary` extra (`psycopg[binary]`)
/// bundles the library, so it needs none.
pub fn library_for_pypi(name: &str, extras: &[String]) -> Option<&'static Library> {
    if extras.iter().any(|e| e.eq_ignore_ascii_case("binary")) {
        return None;
    }
    let normalized = name.to_ascii_lowercase().replace(['_', '.'], "-");
    TABLE.library.iter().find(|l| l.pypi.contains(&normalized))
}

impl Library {
    /// Its runtime packages on `distro`.
    pub fn runtime_packages(&self, distro: Distro) -> &[String] {
        match distro {
            Distro::Alpine => &self.alpine_runtime,
            Distro::Trixie if !self.trixie.is_empty() => &self.trixie,
            _ => &self.runtime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_is_consistent() {
        let table: Table =
            toml::from_str(data()).unwrap_or_else(|e| panic!("data/runtime-libraries.toml: {e}"));
        assert!(table.library.len() >= 30);
        for lib in &table.library {
            assert!(
                !lib.debian.is_empty()
                    && !lib.runtime.is_empty()
                    && !lib.alpine.is_empty()
                    && !lib.alpine_runtime.is_empty(),
                "{lib:?}"
            );
            for dev in lib.debian.iter().chain(&lib.alpine) {
                assert!(is_dev(dev), "{dev} should look like a development package");
            }
        }
    }

    #[test]
    fn python_distributions_that_link_a_library() {
        let runtime = |name: &str, extras: &[&str], distro| {
            let extras: Vec<String> = extras.iter().map(|e| e.to_string()).collect();
            library_for_pypi(name, &extras).map(|l| l.runtime_packages(distro).to_vec())
        };
        assert_eq!(
            runtime("psycopg2", &[], Distro::Bookworm),
            Some(vec!["libpq5".into()])
        );
        assert_eq!(
            runtime("Psycopg", &[], Distro::Alpine),
            Some(vec!["libpq".into()])
        );
        assert_eq!(runtime("psycopg", &["binary"], Distro::Bookworm), None);
        assert_eq!(runtime("psycopg2-binary", &[], Distro::Bookworm), None);
        assert_eq!(
            runtime("MySQLclient", &[], Distro::Bookworm),
            Some(vec!["libmariadb3".into()])
        );
        assert_eq!(
            runtime("python_magic", &[], Distro::Trixie),
            Some(vec!["libmagic1t64".into()])
        );
        assert_eq!(runtime("flask", &[], Distro::Bookworm), None);
    }

    #[test]
    fn lookups() {
        assert_eq!(
            runtime_for("libpq-dev", Distro::Bookworm).map(|r| r.to_vec()),
            Some(vec!["libpq5".to_string()])
        );
        assert_eq!(
            runtime_for("libssl-dev=3.0.*", Distro::Trixie).map(|r| r.to_vec()),
            Some(vec!["libssl3t64".to_string()])
        );
        assert_eq!(
            runtime_for("postgresql-dev", Distro::Alpine).map(|r| r.to_vec()),
            Some(vec!["libpq".to_string()])
        );
        assert_eq!(runtime_for("libfoo-dev", Distro::Bookworm), None);
        assert!(is_toolchain("build-essential", Distro::Bookworm));
        assert!(is_toolchain("build-base", Distro::Alpine));
        assert!(!is_toolchain("curl", Distro::Bookworm));
        assert!(is_dev("openssl-devel"));
        assert_eq!(package_name("gcc~=12"), "gcc");
    }
}
