//! The image catalog (`data/images.toml`): pull and disk size per tag
//! family, each row with its source, date and trust; a team adds its own
//! rows (`[[images]]` in `restage.toml`) with [`Catalog::with_config`].

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::normalise::{self, NormalisedImage, Unnormalised, glob_matches, version_matches};
use super::types::{MB, Range, Trust};

/// The disk/pull ratio used to derive a missing figure of a row (observed
/// for Debian-based images: python:3.12 410.9 → 1110 MB).
pub const DERIVE_RATIO: f64 = 2.7;

/// How much wider (each side) the range of a version the catalog did not
/// measure is, when it maps to its family's figure.
pub const OLDER_SPREAD: f64 = 0.15;

/// One catalog row (`[[images]]` in `data/images.toml` or `restage.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageEntry {
    /// Normalised name: `python`, `mycorp/base`, `gcr.io/distroless/static`.
    pub name: String,
    /// A glob over the tag (`1.*`, `*`); when given, `variant`, `versions`
    /// and `older` are not used. Team rows use this.
    #[serde(default)]
    pub tag: Option<String>,
    /// The variant (`slim`, `alpine`, empty for the default image).
    #[serde(default)]
    pub variant: String,
    /// Other spellings of the variant.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Versions the figures were measured on (a version also matches its
    /// more precise versions).
    #[serde(default)]
    pub versions: Vec<String>,
    /// Versions not measured that map to this row with a wider range.
    #[serde(default)]
    pub older: Vec<String>,
    /// Unpacked size in MB (10^6 bytes).
    #[serde(default)]
    pub disk_mb: Option<f64>,
    /// Compressed size in MB.
    #[serde(default)]
    pub pull_mb: Option<f64>,
    /// Unpacked size in bytes (instead of `disk_mb`).
    #[serde(default)]
    pub disk_bytes: Option<u64>,
    /// Compressed size in bytes (instead of `pull_mb`).
    #[serde(default)]
    pub pull_bytes: Option<u64>,
    /// The disk range in MB, when not the trust's default spread.
    #[serde(default)]
    pub disk_range_mb: Option<[f64; 2]>,
    /// The pull range in MB.
    #[serde(default)]
    pub pull_range_mb: Option<[f64; 2]>,
    /// The weaker trust of the two figures (team rows default to `M`).
    #[serde(default = "default_trust")]
    pub trust: Trust,
    /// Trust of the disk figure, when it differs from `trust`.
    #[serde(default)]
    pub disk_trust: Option<Trust>,
    /// Trust of the pull figure, when it differs from `trust`.
    #[serde(default)]
    pub pull_trust: Option<Trust>,
    /// The system the image runs (`debian12`, `debian13`, `ubuntu`,
    /// `alpine`, `rhel`, `distroless`, `none`), for package sizes.
    #[serde(default)]
    pub os: Option<String>,
    /// Package sets or packages the image already has.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Which exact image the figures were read from.
    #[serde(default)]
    pub measured: Option<String>,
    /// Where the figures come from.
    #[serde(default)]
    pub source: String,
    /// When (YYYY-MM-DD).
    #[serde(default)]
    pub date: String,
    /// Anything a reader should know.
    #[serde(default)]
    pub note: String,
    /// A real reference the row's figures stand for, when [`Self::reference`]
    /// cannot spell it from the other fields (`…/aspnet:8.0-jammy-chiseled`:
    /// chiseled tags always name their Ubuntu release).
    #[serde(default)]
    pub label: Option<String>,
}

fn default_trust() -> Trust {
    Trust::M
}

#[derive(Debug, Default, Deserialize)]
struct CatalogFile {
    #[serde(default)]
    images: Vec<ImageEntry>,
}

/// An error reading catalog rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum CatalogError {
    /// The TOML does not parse.
    #[error("line {line}: {message}")]
    Toml {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file cannot be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A row is incomplete.
    #[error("[[images]] row {row} (`{name}`): {message}")]
    Row {
        /// 1-based row number.
        row: usize,
        /// Its name.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// `data/images.toml`.
fn data() -> &'static str {
    &crate::data::IMAGES
}

static BUILTIN: LazyLock<Vec<ImageEntry>> = LazyLock::new(|| {
    toml::from_str::<CatalogFile>(data())
        .map(|f| f.images)
        .unwrap_or_default()
});

/// Reads the built-in image table now rather than on first use.
pub(crate) fn load_table() {
    LazyLock::force(&BUILTIN);
}

impl ImageEntry {
    /// The disk figure in bytes and its trust (derived from the pull figure
    /// when the row has none).
    fn disk_figure(&self) -> Option<(f64, Trust, bool)> {
        let own = self
            .disk_bytes
            .map(|b| b as f64)
            .or(self.disk_mb.map(|m| m * MB));
        match own {
            Some(v) => Some((v, self.disk_trust.unwrap_or(self.trust), false)),
            None => self
                .pull_figure_own()
                .map(|p| (p * DERIVE_RATIO, Trust::E, true)),
        }
    }

    fn pull_figure_own(&self) -> Option<f64> {
        self.pull_bytes
            .map(|b| b as f64)
            .or(self.pull_mb.map(|m| m * MB))
    }

    fn pull_figure(&self) -> Option<(f64, Trust, bool)> {
        match self.pull_figure_own() {
            Some(v) => Some((v, self.pull_trust.unwrap_or(self.trust), false)),
            None => {
                let disk = self
                    .disk_bytes
                    .map(|b| b as f64)
                    .or(self.disk_mb.map(|m| m * MB))?;
                Some((disk / DERIVE_RATIO, Trust::E, true))
            }
        }
    }

    /// The disk and pull ranges of the row (pull never above disk).
    pub fn ranges(&self) -> (Range, Range) {
        let range = |fig: Option<(f64, Trust, bool)>, explicit: Option<[f64; 2]>| match fig {
            None => Range::ZERO,
            Some((v, trust, _)) => match explicit {
                Some([lo, hi]) => Range::new(lo * MB, v, hi * MB),
                None => Range::around(v, trust.spread()),
            },
        };
        let disk = range(self.disk_figure(), self.disk_range_mb);
        let pull = range(self.pull_figure(), self.pull_range_mb);
        let pull = Range {
            estimate_bytes: pull.estimate_bytes.min(disk.estimate_bytes),
            low_bytes: pull.low_bytes.min(disk.low_bytes),
            high_bytes: pull.high_bytes.min(disk.high_bytes),
        };
        (
            disk,
            Range::new(
                pull.low_bytes as f64,
                pull.estimate_bytes as f64,
                pull.high_bytes as f64,
            ),
        )
    }

    /// The weaker trust of the two figures as used.
    pub fn effective_trust(&self) -> Trust {
        let d = self.disk_figure().map_or(Trust::E, |f| f.1);
        let p = self.pull_figure().map_or(Trust::E, |f| f.1);
        d.weaker(p)
    }

    /// What is missing or wrong in the row.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("no name".to_string());
        }
        if self.source.trim().is_empty() {
            out.push("no source".to_string());
        }
        if !is_date(&self.date) {
            out.push(format!("date `{}` is not YYYY-MM-DD", self.date));
        }
        if self.disk_figure().is_none() {
            out.push("neither disk nor pull size".to_string());
        }
        let bad = |v: Option<f64>| v.is_some_and(|x| !x.is_finite() || x < 0.0);
        if bad(self.disk_mb) || bad(self.pull_mb) {
            out.push("a size is negative or not a number".to_string());
        }
        if self.tag.is_none() && self.versions.is_empty() && self.older.is_empty() {
            out.push("neither `tag` nor `versions`".to_string());
        }
        out
    }

    /// A reference to the image the row's figures stand for, spelled as a
    /// registry tags it: `nginx:alpine` (not `latest-alpine`), `rust:1`,
    /// `gcr.io/distroless/static-debian12` (distroless names carry the
    /// Debian release), or the row's `label`. Team rows show their tag glob.
    pub fn reference(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        if let Some(tag) = &self.tag {
            return format!("{}:{tag}", self.name);
        }
        let Some(version) = self
            .versions
            .iter()
            .find(|v| !v.contains('*'))
            .map(|v| v.trim_start_matches('='))
        else {
            return self.name.clone();
        };
        let variant = self.variant.as_str();
        if self.name.starts_with("gcr.io/distroless/") {
            return match (version, variant) {
                ("latest", "") => self.name.clone(),
                ("latest", v) => format!("{}:{v}", self.name),
                (release, "") => format!("{}-{release}", self.name),
                (release, v) => format!("{}-{release}:{v}", self.name),
            };
        }
        match (version, variant) {
            (v, "") => format!("{}:{v}", self.name),
            ("latest", variant) => format!("{}:{variant}", self.name),
            (v, variant) => format!("{}:{v}-{variant}", self.name),
        }
    }

    /// Whether the row matches a normalised reference, and whether only as
    /// an unmeasured (older or newer) version.
    fn matches(&self, image: &NormalisedImage) -> Option<bool> {
        if !self.name.eq_ignore_ascii_case(&image.name) {
            return None;
        }
        if let Some(pattern) = &self.tag {
            return glob_matches(pattern, &image.tag).then_some(false);
        }
        if self.variant != image.variant && !self.aliases.contains(&image.variant) {
            return None;
        }
        if self
            .versions
            .iter()
            .any(|v| version_matches(v, &image.version))
        {
            Some(false)
        } else if self
            .older
            .iter()
            .any(|v| version_matches(v, &image.version))
        {
            Some(true)
        } else {
            None
        }
    }
}

/// Whether text is a YYYY-MM-DD date.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The catalog: the built-in rows and a team's own.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    extra: Vec<ImageEntry>,
}

/// A catalog match.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogMatch<'c> {
    /// The row.
    pub entry: &'c ImageEntry,
    /// The reference, normalised.
    pub image: NormalisedImage,
    /// Whether the version was not measured and the family's figure is
    /// used with a wider range.
    pub proxy: bool,
    /// Unpacked size.
    pub disk: Range,
    /// Compressed size.
    pub pull: Range,
    /// Whether the row is a team row.
    pub team: bool,
}

/// What the catalog says about a reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'c> {
    /// `scratch`: nothing.
    Scratch,
    /// A row.
    Found(Box<CatalogMatch<'c>>),
    /// Not in the catalog, with the reason.
    Unknown(Unnormalised),
}

impl Catalog {
    /// The built-in rows only.
    pub fn builtin() -> Self {
        Self::default()
    }

    /// The built-in rows and a team's own; team rows are tried first, so a
    /// team can also correct a built-in figure.
    pub fn with_extra(extra: Vec<ImageEntry>) -> Self {
        Self { extra }
    }

    /// Parses `[[images]]` rows (of `restage.toml`), checking each.
    pub fn parse_rows(text: &str) -> Result<Vec<ImageEntry>, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError::Toml {
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().to_string(),
        })?;
        for (i, row) in file.images.iter().enumerate() {
            if let Some(problem) = row.problems().into_iter().next() {
                return Err(CatalogError::Row {
                    row: i + 1,
                    name: row.name.clone(),
                    message: problem,
                });
            }
        }
        Ok(file
            .images
            .into_iter()
            .map(|mut row| {
                if let Ok(n) = normalise::normalise(&row.name) {
                    row.name = n.name;
                }
                row
            })
            .collect())
    }

    /// Every row: the team's, then the built-in ones.
    pub fn entries(&self) -> impl Iterator<Item = &ImageEntry> {
        self.extra.iter().chain(BUILTIN.iter())
    }

    /// The built-in rows.
    pub fn builtin_entries() -> &'static [ImageEntry] {
        BUILTIN.as_slice()
    }

    /// Looks a reference up.
    pub fn lookup(&self, reference: &str) -> Lookup<'_> {
        if reference.eq_ignore_ascii_case("scratch") {
            return Lookup::Scratch;
        }
        let image = match normalise::normalise(reference) {
            Ok(i) => i,
            Err(e) => return Lookup::Unknown(e),
        };
        let mut best: Option<(&ImageEntry, bool, bool)> = None;
        for (team, entry) in self
            .extra
            .iter()
            .map(|e| (true, e))
            .chain(BUILTIN.iter().map(|e| (false, e)))
        {
            if let Some(proxy) = entry.matches(&image) {
                let better = match best {
                    None => true,
                    Some((_, best_proxy, _)) => best_proxy && !proxy,
                };
                if better {
                    best = Some((entry, proxy, team));
                }
                if !proxy {
                    break;
                }
            }
        }
        match best {
            Some((entry, proxy, team)) => {
                let (mut disk, mut pull) = entry.ranges();
                if proxy {
                    disk = disk.widen(OLDER_SPREAD);
                    pull = pull.widen(OLDER_SPREAD);
                    pull = Range {
                        estimate_bytes: pull.estimate_bytes.min(disk.estimate_bytes),
                        low_bytes: pull.low_bytes.min(disk.low_bytes),
                        high_bytes: pull.high_bytes.min(disk.high_bytes),
                    };
                }
                Lookup::Found(Box::new(CatalogMatch {
                    entry,
                    image,
                    proxy,
                    disk,
                    pull,
                    team,
                }))
            }
            None => Lookup::Unknown(self.why_unknown(image)),
        }
    }

    /// The reason a normalised reference has no row.
    fn why_unknown(&self, image: NormalisedImage) -> Unnormalised {
        let same_name: Vec<&ImageEntry> = self
            .entries()
            .filter(|e| e.name.eq_ignore_ascii_case(&image.name))
            .collect();
        let reference = image.reference.clone();
        let add =
            "add it in restage.toml ([[images]] with name, tag, disk_mb, pull_mb, source, date)";
        let reason = if same_name.is_empty() {
            format!("`{reference}` is not in the catalog; {add}")
        } else if !same_name
            .iter()
            .any(|e| e.variant == image.variant || e.aliases.contains(&image.variant))
        {
            let mut variants: Vec<String> = same_name
                .iter()
                .map(|e| {
                    if e.variant.is_empty() {
                        "(default)".to_string()
                    } else {
                        e.variant.clone()
                    }
                })
                .collect();
            variants.dedup();
            format!(
                "`{reference}`: the catalog has `{}` but not the variant `{}` (it has {}); {add}",
                image.name,
                image.variant,
                variants.join(", ")
            )
        } else {
            let mut versions: Vec<String> = same_name
                .iter()
                .flat_map(|e| e.versions.iter().chain(&e.older))
                .map(|v| v.trim_start_matches('=').to_string())
                .collect();
            versions.sort();
            versions.dedup();
            format!(
                "`{reference}`: the catalog has `{}` but not version `{}` (it has {}); {add}",
                image.name,
                image.version,
                versions.join(", ")
            )
        };
        Unnormalised { reference, reason }
    }
}

/// The 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_every_row_is_complete() {
        let file: CatalogFile =
            toml::from_str(data()).unwrap_or_else(|e| panic!("data/images.toml: {e}"));
        assert!(file.images.len() >= 60, "{}", file.images.len());
        for row in &file.images {
            assert_eq!(row.problems(), Vec::<String>::new(), "{row:?}");
            let (disk, pull) = row.ranges();
            assert!(
                disk.low_bytes <= disk.estimate_bytes && disk.estimate_bytes <= disk.high_bytes
            );
            assert!(
                pull.estimate_bytes <= disk.estimate_bytes,
                "{}: pull above disk",
                row.name
            );
            assert!(!row.source.is_empty() && !row.date.is_empty());
            assert!(row.os.is_some(), "{}: os", row.name);
            // `measured` names the image the figures were read from; a row
            // without one leaves it out rather than saying so in a note.
            assert!(
                row.measured
                    .as_deref()
                    .is_none_or(|m| !m.trim().is_empty() && !m.starts_with("no ")),
                "{}: measured {:?}",
                row.name,
                row.measured
            );
        }
    }

    /// Every built-in row is named by a reference that exists and that
    /// finds the same row again (no `nginx:latest-alpine`, no
    /// `static:debian12`).
    #[test]
    fn rows_are_named_by_real_references() {
        let catalog = Catalog::builtin();
        for row in Catalog::builtin_entries() {
            let reference = row.reference();
            assert!(
                !reference.contains(":latest-")
                    && !reference.contains(":=")
                    && !reference.contains(":debian1"),
                "{reference}"
            );
            match catalog.lookup(&reference) {
                Lookup::Found(m) => assert!(
                    m.entry.name == row.name && m.entry.variant == row.variant,
                    "{reference} finds {} {}",
                    m.entry.name,
                    m.entry.variant
                ),
                other => panic!("{reference}: {other:?}"),
            }
        }
        let named = |name: &str, variant: &str| {
            Catalog::builtin_entries()
                .iter()
                .find(|r| r.name == name && r.variant == variant)
                .map(ImageEntry::reference)
        };
        assert_eq!(named("nginx", "alpine").as_deref(), Some("nginx:alpine"));
        assert_eq!(named("rust", "slim").as_deref(), Some("rust:1-slim"));
        assert_eq!(
            named("gcr.io/distroless/static", "").as_deref(),
            Some("gcr.io/distroless/static-debian12")
        );
        assert_eq!(
            named("gcr.io/distroless/static", "debug").as_deref(),
            Some("gcr.io/distroless/static-debian12:debug")
        );
    }

    #[test]
    fn team_rows() {
        let rows = Catalog::parse_rows(
            "[[images]]\nname = \"docker.io/mycorp/base\"\ntag = \"1*\"\ndisk_mb = 250\nsource = \"docker images on the build host\"\ndate = \"2026-10-01\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let catalog = Catalog::with_extra(rows);
        match catalog.lookup("mycorp/base:1.4") {
            Lookup::Found(m) => {
                assert!(m.team);
                assert_eq!(m.disk.estimate_bytes, 250_000_000);
                assert!(m.pull.estimate_bytes < m.disk.estimate_bytes);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            catalog.lookup("mycorp/base:2"),
            Lookup::Unknown(_)
        ));
        let err = Catalog::parse_rows("[[images]]\nname = \"x\"\ntag = \"*\"\ndisk_mb = 1\n");
        assert!(matches!(err, Err(CatalogError::Row { .. })), "{err:?}");
        let err = Catalog::parse_rows("[[images]\n");
        assert!(
            matches!(err, Err(CatalogError::Toml { line: 1, .. })),
            "{err:?}"
        );
    }
}
