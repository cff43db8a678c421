//! Package sizes: Debian packages with their dependency closure
//! (`data/debian-packages.toml`, generated from the Debian 12 index),
//! and the hand-kept tables of `data/package-sizes.toml` (Alpine packages,
//! pip, npm, gems, Composer, Go modules, crates, Maven artifacts).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use serde::Deserialize;

use super::types::{Basis, BasisKind, MB, Range, Trust};
use crate::knowledge::packages::package_name;

/// The system an image runs, for its package manager's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Debian 12 bookworm.
    Debian12,
    /// Debian 13 trixie.
    Debian13,
    /// Ubuntu.
    Ubuntu,
    /// Alpine Linux.
    Alpine,
    /// Red Hat family.
    Rhel,
    /// Distroless (no package manager).
    Distroless,
    /// No system (`scratch`, busybox).
    None,
    /// Not known (an image outside the catalog).
    Unknown,
}

impl Os {
    /// From the catalog's `os` field.
    pub fn from_catalog(text: Option<&str>) -> Self {
        match text.unwrap_or_default() {
            "debian12" => Self::Debian12,
            "debian13" | "debian" => Self::Debian13,
            "ubuntu" => Self::Ubuntu,
            "alpine" => Self::Alpine,
            "rhel" => Self::Rhel,
            "distroless" => Self::Distroless,
            "none" => Self::None,
            _ => Self::Unknown,
        }
    }

    /// Whether apt's table applies.
    pub fn is_debian_like(self) -> bool {
        matches!(
            self,
            Self::Debian12 | Self::Debian13 | Self::Ubuntu | Self::Unknown
        )
    }
}

// ------------------------------------------------------------------ Debian

#[derive(Debug, Deserialize)]
struct DebSource {
    text: String,
    date: String,
}

#[derive(Debug, Deserialize)]
struct DebRow {
    kb: u64,
    dl: u64,
    #[serde(default)]
    d: Vec<String>,
    #[serde(default)]
    r: Vec<String>,
    /// The row's source id (read by the tests: every row names one).
    #[cfg_attr(not(test), allow(dead_code))]
    src: String,
}

#[derive(Debug, Deserialize)]
struct DebTable {
    source: DebSource,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    sets: BTreeMap<String, Vec<String>>,
    /// By name; looked up for every package of every install (a hash map:
    /// thousands of rows).
    packages: HashMap<String, DebRow>,
}

/// `data/debian-packages.toml`.
fn debian_data() -> &'static str {
    &crate::data::DEBIAN_PACKAGES
}

static DEBIAN: LazyLock<Option<DebTable>> = LazyLock::new(|| toml::from_str(debian_data()).ok());

// ------------------------------------------------------------------ other tables

/// One row of a hand-kept package table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageRow {
    /// Package name as the ecosystem writes it (pip names normalised: lower
    /// case, `-` for `_` and `.`).
    pub name: String,
    /// Installed size in MB, with what it pulls in unless `requires` lists it.
    pub installed_mb: f64,
    /// Download size in MB (wheel, tarball, .apk), when known.
    #[serde(default)]
    pub download_mb: Option<f64>,
    /// Cache left behind in MB (npm's cache of this closure), when measured.
    #[serde(default)]
    pub cache_mb: Option<f64>,
    /// The range in MB, when not the trust's default spread.
    #[serde(default)]
    pub range_mb: Option<[f64; 2]>,
    /// Other rows it needs (counted once however many rows need them).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Names whose size this row already covers (Alpine meta packages).
    #[serde(default)]
    pub includes: Vec<String>,
    /// Extra rows per extra (`uvicorn[standard]`).
    #[serde(default)]
    pub extras: BTreeMap<String, Vec<String>>,
    /// How far to trust it.
    pub trust: Trust,
    /// Where the figure comes from.
    pub source: String,
    /// When.
    pub date: String,
    /// Anything a reader should know.
    #[serde(default)]
    pub note: String,
}

impl PackageRow {
    /// The installed size as a range.
    pub fn disk(&self) -> Range {
        let est = self.installed_mb * MB;
        match self.range_mb {
            Some([lo, hi]) => Range::new(lo * MB, est, hi * MB),
            None => Range::around(est, self.trust.spread()),
        }
    }

    /// The basis of the row.
    pub fn basis(&self, table: &str) -> Basis {
        Basis {
            kind: BasisKind::Packages,
            name: format!("{table}: {}", self.name),
            source: self.source.clone(),
            date: self.date.clone(),
            trust: self.trust,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Tables {
    #[serde(default)]
    alpine: Vec<PackageRow>,
    #[serde(default)]
    pip: Vec<PackageRow>,
    #[serde(default)]
    npm: Vec<PackageRow>,
    #[serde(default)]
    gem: Vec<PackageRow>,
    #[serde(default)]
    composer: Vec<PackageRow>,
    #[serde(default)]
    go: Vec<PackageRow>,
    #[serde(default, rename = "crate")]
    crate_: Vec<PackageRow>,
    #[serde(default)]
    maven: Vec<PackageRow>,
}

/// `data/package-sizes.toml`.
fn tables_data() -> &'static str {
    &crate::data::PACKAGE_SIZES
}

static TABLES: LazyLock<Tables> =
    LazyLock::new(|| toml::from_str::<Tables>(tables_data()).unwrap_or_default());

/// Reads the package tables now rather than on first use.
pub(crate) fn load_tables() {
    LazyLock::force(&DEBIAN);
    LazyLock::force(&TABLES);
}

/// A package table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// Alpine packages.
    Alpine,
    /// pip (PyPI) packages.
    Pip,
    /// npm packages (node_modules closures).
    Npm,
    /// Ruby gems.
    Gem,
    /// Composer packages.
    Composer,
    /// Go modules.
    Go,
    /// Rust crates.
    Crate,
    /// Maven artifacts (`group:artifact`).
    Maven,
}

impl Table {
    /// The table's name in the data file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Alpine => "alpine",
            Self::Pip => "pip",
            Self::Npm => "npm",
            Self::Gem => "gem",
            Self::Composer => "composer",
            Self::Go => "go",
            Self::Crate => "crate",
            Self::Maven => "maven",
        }
    }

    /// Every table.
    pub const ALL: [Table; 8] = [
        Self::Alpine,
        Self::Pip,
        Self::Npm,
        Self::Gem,
        Self::Composer,
        Self::Go,
        Self::Crate,
        Self::Maven,
    ];

    /// The rows.
    pub fn rows(self) -> &'static [PackageRow] {
        let t = &*TABLES;
        match self {
            Self::Alpine => &t.alpine,
            Self::Pip => &t.pip,
            Self::Npm => &t.npm,
            Self::Gem => &t.gem,
            Self::Composer => &t.composer,
            Self::Go => &t.go,
            Self::Crate => &t.crate_,
            Self::Maven => &t.maven,
        }
    }

    /// A row by name (pip names normalised first; Go modules by prefix).
    pub fn get(self, name: &str) -> Option<&'static PackageRow> {
        let key = match self {
            Self::Pip => pip_name(name),
            Self::Npm | Self::Go | Self::Maven | Self::Composer => name.to_string(),
            _ => name.to_ascii_lowercase(),
        };
        let rows = self.rows();
        match self {
            Self::Go => rows
                .iter()
                .filter(|r| key == r.name || key.starts_with(&format!("{}/", r.name)))
                .max_by_key(|r| r.name.len()),
            Self::Pip | Self::Gem | Self::Alpine | Self::Crate => {
                rows.iter().find(|r| r.name.eq_ignore_ascii_case(&key))
            }
            _ => rows.iter().find(|r| r.name == key),
        }
    }
}

/// A PyPI name normalised (PEP 503): lower case, runs of `-`, `_`, `.` as `-`.
pub fn pip_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// What installing system packages adds.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageInstall {
    /// Packages the install adds (closure), in name order.
    pub added: Vec<String>,
    /// Requested packages the image already has.
    pub already: Vec<String>,
    /// Requested packages the table does not know.
    pub unknown: Vec<String>,
    /// Unpacked size of the known packages added.
    pub disk: Range,
    /// Download size of the known packages added, in bytes.
    pub download_bytes: u64,
    /// Where the figures come from.
    pub basis: Option<Basis>,
}

/// The Debian table's basis.
fn debian_basis(os: Os) -> Option<Basis> {
    let t = DEBIAN.as_ref()?;
    Some(Basis {
        kind: BasisKind::Packages,
        name: "Debian package table".into(),
        source: if os == Os::Ubuntu {
            format!("{} (applied to Ubuntu: estimate)", t.source.text)
        } else {
            t.source.text.clone()
        },
        date: t.source.date.clone(),
        trust: if os == Os::Ubuntu { Trust::E } else { Trust::M },
    })
}

/// The Debian table's name for a package (aliases and pins resolved).
fn debian_key(package: &str) -> Option<String> {
    let t = DEBIAN.as_ref()?;
    let name = package_name(package)
        .trim_end_matches(":amd64")
        .trim_end_matches(":any")
        .to_ascii_lowercase();
    let name = t.aliases.get(&name).cloned().unwrap_or(name);
    Some(name)
}

/// Whether a package is in every Debian image.
fn in_minbase(name: &str) -> bool {
    DEBIAN
        .as_ref()
        .and_then(|t| t.sets.get("minbase"))
        .is_some_and(|s| s.iter().any(|p| p == name))
}

/// The dependency closure of `roots` in the Debian table, leaving out
/// what `have` already has.
fn debian_closure(roots: &[String], have: &BTreeSet<String>, recommends: bool) -> BTreeSet<String> {
    let Some(t) = DEBIAN.as_ref() else {
        return BTreeSet::new();
    };
    // Names borrowed from the table while walking; owned once at the end.
    let mut got: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = roots.iter().map(String::as_str).collect();
    while let Some(n) = stack.pop() {
        if have.contains(n) || got.contains(n) {
            continue;
        }
        let Some((name, row)) = t.packages.get_key_value(n) else {
            continue;
        };
        got.insert(name.as_str());
        stack.extend(row.d.iter().map(String::as_str));
        if recommends {
            stack.extend(row.r.iter().map(String::as_str));
        }
    }
    got.into_iter().map(str::to_string).collect()
}

/// Base images' package lists already worked out, by system and package
/// sets: an image's closure is the same for every report (and the catalog,
/// built-in or a team's, is fixed while the process runs, so this stays
/// small).
type BaseCache = HashMap<(Os, Vec<String>), Arc<BTreeSet<String>>>;
static BASE_PACKAGES: LazyLock<Mutex<BaseCache>> = LazyLock::new(Mutex::default);

/// The packages an image has: its package sets and packages, with their
/// dependencies (for Debian-like systems), or the names as given. Worked
/// out once per image and kept.
pub fn base_packages(os: Os, sets: &[String]) -> Arc<BTreeSet<String>> {
    let key = (os, sets.to_vec());
    if let Some(found) = BASE_PACKAGES.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let packages = Arc::new(base_packages_uncached(os, sets));
    if let Ok(mut cache) = BASE_PACKAGES.lock() {
        cache.insert(key, Arc::clone(&packages));
    }
    packages
}

/// The work behind [`base_packages`].
fn base_packages_uncached(os: Os, sets: &[String]) -> BTreeSet<String> {
    let mut names: Vec<String> = Vec::new();
    let deb = DEBIAN.as_ref();
    for s in sets {
        match deb.and_then(|t| t.sets.get(s)) {
            Some(list) => names.extend(list.iter().cloned()),
            None => names.push(s.clone()),
        }
    }
    if os.is_debian_like() {
        let keys: Vec<String> = names.iter().filter_map(|n| debian_key(n)).collect();
        let mut have = debian_closure(&keys, &BTreeSet::new(), false);
        have.extend(keys);
        have
    } else if os == Os::Alpine {
        let mut have: BTreeSet<String> = names.into_iter().collect();
        let includes: Vec<String> = have
            .iter()
            .filter_map(|n| Table::Alpine.get(n))
            .flat_map(|r| r.includes.iter().chain(&r.requires).cloned())
            .collect();
        have.extend(includes);
        have
    } else {
        names.into_iter().collect()
    }
}

/// Sizes `apt-get install` of `requested` (then `removed` in the same
/// `RUN`; `autoremove` also drops their dependencies) on an image that has
/// `have`.
pub fn debian_install(
    requested: &[String],
    removed: &[String],
    autoremove: bool,
    have: &BTreeSet<String>,
    recommends: bool,
    os: Os,
) -> PackageInstall {
    let mut already = Vec::new();
    let mut unknown = Vec::new();
    let mut roots = Vec::new();
    let removed: BTreeSet<String> = removed.iter().filter_map(|r| debian_key(r)).collect();
    let known = |k: &str| DEBIAN.as_ref().is_some_and(|t| t.packages.contains_key(k));
    for p in requested {
        let Some(key) = debian_key(p) else { continue };
        if have.contains(&key) || in_minbase(&key) {
            already.push(key);
        } else if known(&key) {
            if !removed.contains(&key) {
                roots.push(key);
            }
        } else if !removed.contains(&key) {
            unknown.push(key);
        }
    }
    let added = if autoremove {
        debian_closure(&roots, have, recommends)
    } else {
        // Without autoremove, dependencies of removed packages stay.
        let all_roots: Vec<String> = requested.iter().filter_map(|p| debian_key(p)).collect();
        let mut full = debian_closure(&all_roots, have, recommends);
        full.retain(|n| !removed.contains(n));
        full
    };
    let (kb, dl) = DEBIAN.as_ref().map_or((0, 0), |t| {
        added
            .iter()
            .filter_map(|n| t.packages.get(n))
            .fold((0u64, 0u64), |(k, d), r| {
                (k.saturating_add(r.kb), d.saturating_add(r.dl))
            })
    });
    // dpkg's Installed-Size counts documentation that slim images exclude
    // and rounds every file up to 1 KiB.
    let bytes = kb as f64 * 1024.0;
    let mut disk = Range::new(bytes * 0.75, bytes * 0.9, bytes * 1.05);
    if os == Os::Ubuntu {
        disk = disk.widen(0.15);
    }
    PackageInstall {
        added: added.into_iter().collect(),
        already,
        unknown,
        disk,
        download_bytes: dl,
        basis: debian_basis(os),
    }
}

/// Sizes `apk add` of `requested` (then `removed` in the same `RUN`) on an
/// image that has `have`.
pub fn alpine_install(
    requested: &[String],
    removed: &[String],
    have: &BTreeSet<String>,
) -> PackageInstall {
    let mut already = Vec::new();
    let mut unknown = Vec::new();
    let mut covered: BTreeSet<String> = have.clone();
    let mut rows: Vec<&'static PackageRow> = Vec::new();
    let removed: BTreeSet<String> = removed
        .iter()
        .map(|r| package_name(r).to_ascii_lowercase())
        .collect();
    let names: Vec<String> = requested
        .iter()
        .map(|p| package_name(p).to_ascii_lowercase())
        .filter(|p| !removed.contains(p))
        .collect();
    // Meta packages first, so that what they include is not counted again.
    let mut ordered: Vec<&String> = names.iter().collect();
    ordered
        .sort_by_key(|n| std::cmp::Reverse(Table::Alpine.get(n).map_or(0, |r| r.includes.len())));
    let mut stack: Vec<String> = ordered.into_iter().rev().cloned().collect();
    let requested_set: BTreeSet<&String> = names.iter().collect();
    while let Some(n) = stack.pop() {
        if covered.contains(&n) {
            if requested_set.contains(&n) && have.contains(&n) {
                already.push(n);
            }
            continue;
        }
        covered.insert(n.clone());
        match Table::Alpine.get(&n) {
            Some(row) => {
                covered.extend(row.includes.iter().cloned());
                stack.extend(row.requires.iter().cloned());
                rows.push(row);
            }
            None => unknown.push(n),
        }
    }
    let disk: Range = rows.iter().map(|r| r.disk()).sum();
    let dl = rows
        .iter()
        .map(|r| (r.download_mb.unwrap_or(r.installed_mb / 2.5) * MB) as u64)
        .sum();
    let basis = rows.first().map(|r| Basis {
        kind: BasisKind::Packages,
        name: "Alpine package table".into(),
        source: r.source.clone(),
        date: r.date.clone(),
        trust: rows.iter().map(|r| r.trust).max().unwrap_or(Trust::E),
    });
    PackageInstall {
        added: rows.iter().map(|r| r.name.clone()).collect(),
        already,
        unknown,
        disk,
        download_bytes: dl,
        basis,
    }
}

/// Every Debian package name the table has (for tests and docs).
pub fn debian_package_count() -> usize {
    DEBIAN.as_ref().map_or(0, |t| t.packages.len())
}

/// Whether the Debian table knows a package (after aliases).
pub fn debian_knows(package: &str) -> bool {
    debian_key(package).is_some_and(|k| {
        in_minbase(&k) || DEBIAN.as_ref().is_some_and(|t| t.packages.contains_key(&k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_parse_and_rows_are_complete() {
        let deb: DebTable =
            toml::from_str(debian_data()).unwrap_or_else(|e| panic!("debian-packages.toml: {e}"));
        assert!(deb.packages.len() > 1000);
        for (name, row) in &deb.packages {
            assert_eq!(row.src, "deb12", "{name}");
            for d in row.d.iter().chain(&row.r) {
                assert!(deb.packages.contains_key(d), "{name} -> {d}");
            }
        }
        let t: Tables =
            toml::from_str(tables_data()).unwrap_or_else(|e| panic!("package-sizes.toml: {e}"));
        for (table, rows) in [
            ("alpine", &t.alpine),
            ("pip", &t.pip),
            ("npm", &t.npm),
            ("gem", &t.gem),
            ("composer", &t.composer),
            ("go", &t.go),
            ("crate", &t.crate_),
            ("maven", &t.maven),
        ] {
            assert!(!rows.is_empty(), "{table} is empty");
            for r in rows {
                assert!(!r.source.is_empty(), "{table}/{}: source", r.name);
                assert!(r.date.len() == 10, "{table}/{}: date", r.name);
                assert!(r.installed_mb >= 0.0, "{table}/{}", r.name);
                if r.trust == Trust::E {
                    assert!(r.range_mb.is_some() || !r.note.is_empty() || r.trust.spread() > 0.2);
                }
                for req in &r.requires {
                    let known = rows.iter().any(|o| &o.name == req);
                    assert!(known, "{table}/{} requires unknown {req}", r.name);
                }
            }
        }
    }

    #[test]
    fn every_runtime_library_package_is_sized() {
        #[derive(Deserialize)]
        struct Lib {
            debian: Vec<String>,
            runtime: Vec<String>,
            #[serde(default)]
            trixie: Vec<String>,
            alpine: Vec<String>,
            alpine_runtime: Vec<String>,
        }
        #[derive(Deserialize)]
        struct Tc {
            debian: Vec<String>,
            alpine: Vec<String>,
        }
        #[derive(Deserialize)]
        struct File {
            library: Vec<Lib>,
            toolchain: Tc,
        }
        let f: File =
            toml::from_str(&crate::data::RUNTIME_LIBRARIES).unwrap_or_else(|e| panic!("{e}"));
        let mut missing = Vec::new();
        for l in &f.library {
            for p in l.debian.iter().chain(&l.runtime).chain(&l.trixie) {
                if !debian_knows(p) {
                    missing.push(format!("debian {p}"));
                }
            }
            for p in l.alpine.iter().chain(&l.alpine_runtime) {
                if Table::Alpine.get(p).is_none() {
                    missing.push(format!("alpine {p}"));
                }
            }
        }
        for p in &f.toolchain.debian {
            if !debian_knows(p)
                && ![
                    "cargo",
                    "rustc",
                    "golang",
                    "golang-go",
                    "gradle",
                    "python-dev",
                    "musl-tools",
                    "musl-dev",
                ]
                .contains(&p.as_str())
            {
                missing.push(format!("debian toolchain {p}"));
            }
        }
        for p in &f.toolchain.alpine {
            if Table::Alpine.get(p).is_none() {
                missing.push(format!("alpine toolchain {p}"));
            }
        }
        // The PHP extensions' libraries (added with the PHP strategy) have
        // no Alpine rows and no Debian 13 aliases yet: the estimate reports
        // them as unknown. Listed here so that any other gap still fails.
        const NOT_YET_SIZED: &[&str] = &[
            "debian libavif16",
            "alpine libavif-dev",
            "alpine libavif",
            "debian libtidy58",
            "alpine tidyhtml-dev",
            "alpine tidyhtml-libs",
            "alpine libxpm-dev",
            "alpine libxpm",
            "alpine rabbitmq-c-dev",
            "alpine rabbitmq-c",
            "alpine libmcrypt-dev",
            "alpine libmcrypt",
            "debian libsnmp40t64",
            "alpine net-snmp-dev",
            "alpine net-snmp-libs",
            "alpine enchant2-dev",
            "alpine enchant2-libs",
            "alpine argon2-dev",
            "alpine argon2-libs",
            "alpine libedit-dev",
            "alpine libedit",
            "debian libssh2-1t64",
            "alpine libssh2-dev",
            "alpine libssh2",
            "alpine util-linux-dev",
            "alpine libuuid",
            "debian libgpgme11t64",
            "alpine gpgme-dev",
            "alpine gpgme",
            // The image, file-type and storage libraries (added with the
            // Python strategy's runtime libraries) have no Alpine rows yet.
            "alpine file-dev",
            "alpine libmagic",
            "alpine tiff-dev",
            "alpine tiff",
            "alpine lcms2-dev",
            "alpine lcms2",
            "alpine openjpeg-dev",
            "alpine openjpeg",
            "alpine gd-dev",
            "alpine gd",
            "alpine snappy-dev",
            "alpine snappy",
            "alpine gdbm-dev",
            "alpine gdbm",
            "alpine pcre",
            "alpine harfbuzz-dev",
            "alpine fribidi-dev",
            "alpine fribidi",
        ];
        missing.retain(|m| !NOT_YET_SIZED.contains(&m.as_str()));
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn closures_dedupe_and_base_packages_add_nothing() {
        let none = BTreeSet::new();
        let be = debian_install(
            &["build-essential".into()],
            &[],
            false,
            &none,
            false,
            Os::Debian12,
        );
        let both = debian_install(
            &["build-essential".into(), "gcc".into(), "make".into()],
            &[],
            false,
            &none,
            false,
            Os::Debian12,
        );
        assert_eq!(
            be.disk, both.disk,
            "gcc and make are part of build-essential"
        );
        assert!(
            be.disk.estimate_bytes > 200_000_000 && be.disk.estimate_bytes < 400_000_000,
            "{:?}",
            be.disk
        );
        let full = base_packages(Os::Debian13, &["buildpack-deps".into()]);
        let on_full = debian_install(
            &["gcc".into(), "libpq-dev".into()],
            &[],
            false,
            &full,
            false,
            Os::Debian13,
        );
        assert_eq!(on_full.disk, Range::ZERO);
        assert_eq!(on_full.already, ["gcc", "libpq-dev"]);
        let rec = debian_install(
            &["imagemagick".into()],
            &[],
            false,
            &none,
            true,
            Os::Debian12,
        );
        let norec = debian_install(
            &["imagemagick".into()],
            &[],
            false,
            &none,
            false,
            Os::Debian12,
        );
        assert!(rec.disk.estimate_bytes > norec.disk.estimate_bytes);
        let purged = debian_install(
            &["gcc".into(), "curl".into()],
            &["gcc".into()],
            true,
            &none,
            false,
            Os::Debian12,
        );
        let curl = debian_install(&["curl".into()], &[], false, &none, false, Os::Debian12);
        assert_eq!(purged.disk, curl.disk);
        let unknown = debian_install(
            &["no-such-package".into()],
            &[],
            false,
            &none,
            false,
            Os::Debian12,
        );
        assert_eq!(unknown.unknown, ["no-such-package"]);
        assert_eq!(pip_name("Flask_SQLAlchemy"), "flask-sqlalchemy");
    }
}
