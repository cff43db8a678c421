//! Heuristics (`data/heuristics.toml`): ranges for what a Dockerfile does
//! not say, and the disk/pull compression ratio per kind of content.

use std::sync::LazyLock;

use serde::Deserialize;

use super::types::{Basis, BasisKind, Range, Ratio, Trust};

/// Kinds of content, for the disk/pull compression ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Unpacked system packages.
    Packages,
    /// Executables.
    Binary,
    /// Python site-packages.
    Python,
    /// node_modules.
    NodeModules,
    /// Sources, bundles, text.
    Text,
    /// Archives, jars, caches of downloads, media.
    Compressed,
    /// Object files and compiler caches.
    BuildCache,
    /// Unknown kind.
    Mixed,
}

/// One heuristic row.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heuristic {
    /// Its name.
    pub id: String,
    /// `[low, estimate, high]` in MB.
    #[serde(default)]
    pub disk_mb: Option<[f64; 3]>,
    /// `[low, estimate, high]` as a fraction of another figure.
    #[serde(default)]
    pub fraction: Option<[f64; 3]>,
    /// Compression class of the content.
    pub class: Class,
    /// Why these figures.
    pub why: String,
    /// Where they come from.
    pub source: String,
    /// When.
    pub date: String,
    /// How far to trust them.
    pub trust: Trust,
}

impl Heuristic {
    /// The size range (zero for a fraction row).
    pub fn disk(&self) -> Range {
        self.disk_mb
            .map_or(Range::ZERO, |[lo, est, hi]| Range::mb(lo, est, hi))
    }

    /// The range of a fraction row applied to `of` (low on low, estimate
    /// on estimate, high on high).
    pub fn of(&self, of: Range) -> Range {
        let [lo, est, hi] = self.fraction.unwrap_or([0.0, 0.0, 0.0]);
        of.scale3(lo, est, hi)
    }

    /// The basis to show.
    pub fn basis(&self) -> Basis {
        Basis {
            kind: BasisKind::Heuristic,
            name: self.id.clone(),
            source: self.source.clone(),
            date: self.date.clone(),
            trust: self.trust,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RatioRow {
    class: Class,
    ratio: [f64; 3],
    why: String,
    source: String,
    date: String,
    trust: Trust,
}

/// Files of a well-known image copied with `COPY --from=<image>`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// The image's catalog name.
    pub image: String,
    /// `[low, estimate, high]` in MB.
    pub disk_mb: [f64; 3],
    /// Compression class.
    pub class: Class,
    /// What the files are.
    pub why: String,
    /// Where the figures come from.
    pub source: String,
    /// When.
    pub date: String,
    /// How far to trust them.
    pub trust: Trust,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    heuristic: Vec<Heuristic>,
    #[serde(default)]
    ratio: Vec<RatioRow>,
    #[serde(default)]
    artifact: Vec<Artifact>,
}

/// `data/heuristics.toml`.
fn data() -> &'static str {
    &crate::data::HEURISTICS
}

static FILE: LazyLock<File> = LazyLock::new(|| toml::from_str(data()).unwrap_or_default());

/// Reads the heuristics now rather than on first use.
pub(crate) fn load_table() {
    LazyLock::force(&FILE);
}

/// The heuristics the estimator uses, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum H {
    ContextPython,
    ContextNode,
    ContextGo,
    ContextRust,
    ContextJava,
    ContextDotnet,
    ContextRuby,
    ContextPhp,
    ContextGeneric,
    SourceDir,
    SourceFile,
    LockFile,
    AssetsDir,
    DataDir,
    BinaryFile,
    AptLists,
    ApkIndex,
    DnfCache,
    DebianPackageUnknown,
    AlpinePackageUnknown,
    RhelPackage,
    PipDirectUnknown,
    PipLockedUnknown,
    PipRequirementsUnseen,
    PipCache,
    Venv,
    UvCache,
    PoetryCache,
    NpmDirectUnknown,
    NpmDevUnknown,
    NpmOverlap,
    NodeModulesDevUnseen,
    NodeModulesProdUnseen,
    NpmCache,
    YarnCache,
    PnpmStore,
    NodeBuildApi,
    NodeBuildSpa,
    NodeBuild,
    NextStandalone,
    NextStatic,
    NextCache,
    CraCache,
    GoBinary,
    GoStrip,
    GoBuildCache,
    GoModCacheUnseen,
    GoModuleUnknown,
    RustBinary,
    RustTarget,
    CargoRegistryUnseen,
    CrateUnknown,
    JavaJar,
    MavenRepoUnseen,
    MavenPlugins,
    MavenArtifactUnknown,
    GradleHome,
    GradleWrapper,
    JavaBuildDir,
    NugetPackages,
    DotnetPublish,
    DotnetPublishSelfContained,
    DotnetPublishAot,
    DotnetBuildDir,
    BundleUnseen,
    GemUnknown,
    GemCache,
    ComposerUnseen,
    ComposerUnknown,
    ComposerCache,
    CBuild,
    MakeInstall,
    Download,
    ArchiveExtract,
    Installer,
    GitClone,
    StageArtifactUnseen,
    ImageArtifact,
    PartOfTree,
}

impl H {
    /// Every heuristic.
    pub const ALL: &'static [H] = &[
        H::ContextPython,
        H::ContextNode,
        H::ContextGo,
        H::ContextRust,
        H::ContextJava,
        H::ContextDotnet,
        H::ContextRuby,
        H::ContextPhp,
        H::ContextGeneric,
        H::SourceDir,
        H::SourceFile,
        H::LockFile,
        H::AssetsDir,
        H::DataDir,
        H::BinaryFile,
        H::AptLists,
        H::ApkIndex,
        H::DnfCache,
        H::DebianPackageUnknown,
        H::AlpinePackageUnknown,
        H::RhelPackage,
        H::PipDirectUnknown,
        H::PipLockedUnknown,
        H::PipRequirementsUnseen,
        H::PipCache,
        H::Venv,
        H::UvCache,
        H::PoetryCache,
        H::NpmDirectUnknown,
        H::NpmDevUnknown,
        H::NpmOverlap,
        H::NodeModulesDevUnseen,
        H::NodeModulesProdUnseen,
        H::NpmCache,
        H::YarnCache,
        H::PnpmStore,
        H::NodeBuildApi,
        H::NodeBuildSpa,
        H::NodeBuild,
        H::NextStandalone,
        H::NextStatic,
        H::NextCache,
        H::CraCache,
        H::GoBinary,
        H::GoStrip,
        H::GoBuildCache,
        H::GoModCacheUnseen,
        H::GoModuleUnknown,
        H::RustBinary,
        H::RustTarget,
        H::CargoRegistryUnseen,
        H::CrateUnknown,
        H::JavaJar,
        H::MavenRepoUnseen,
        H::MavenPlugins,
        H::MavenArtifactUnknown,
        H::GradleHome,
        H::GradleWrapper,
        H::JavaBuildDir,
        H::NugetPackages,
        H::DotnetPublish,
        H::DotnetPublishSelfContained,
        H::DotnetPublishAot,
        H::DotnetBuildDir,
        H::BundleUnseen,
        H::GemUnknown,
        H::GemCache,
        H::ComposerUnseen,
        H::ComposerUnknown,
        H::ComposerCache,
        H::CBuild,
        H::MakeInstall,
        H::Download,
        H::ArchiveExtract,
        H::Installer,
        H::GitClone,
        H::StageArtifactUnseen,
        H::ImageArtifact,
        H::PartOfTree,
    ];

    /// The row's id in the data file.
    pub fn id(self) -> &'static str {
        match self {
            H::ContextPython => "context-python",
            H::ContextNode => "context-node",
            H::ContextGo => "context-go",
            H::ContextRust => "context-rust",
            H::ContextJava => "context-java",
            H::ContextDotnet => "context-dotnet",
            H::ContextRuby => "context-ruby",
            H::ContextPhp => "context-php",
            H::ContextGeneric => "context-generic",
            H::SourceDir => "source-dir",
            H::SourceFile => "source-file",
            H::LockFile => "lock-file",
            H::AssetsDir => "assets-dir",
            H::DataDir => "data-dir",
            H::BinaryFile => "binary-file",
            H::AptLists => "apt-lists",
            H::ApkIndex => "apk-index",
            H::DnfCache => "dnf-cache",
            H::DebianPackageUnknown => "debian-package-unknown",
            H::AlpinePackageUnknown => "alpine-package-unknown",
            H::RhelPackage => "rhel-package",
            H::PipDirectUnknown => "pip-direct-unknown",
            H::PipLockedUnknown => "pip-locked-unknown",
            H::PipRequirementsUnseen => "pip-requirements-unseen",
            H::PipCache => "pip-cache",
            H::Venv => "venv",
            H::UvCache => "uv-cache",
            H::PoetryCache => "poetry-cache",
            H::NpmDirectUnknown => "npm-direct-unknown",
            H::NpmDevUnknown => "npm-dev-unknown",
            H::NpmOverlap => "npm-overlap",
            H::NodeModulesDevUnseen => "node-modules-dev-unseen",
            H::NodeModulesProdUnseen => "node-modules-prod-unseen",
            H::NpmCache => "npm-cache",
            H::YarnCache => "yarn-cache",
            H::PnpmStore => "pnpm-store",
            H::NodeBuildApi => "node-build-api",
            H::NodeBuildSpa => "node-build-spa",
            H::NodeBuild => "node-build",
            H::NextStandalone => "next-standalone",
            H::NextStatic => "next-static",
            H::NextCache => "next-cache",
            H::CraCache => "cra-cache",
            H::GoBinary => "go-binary",
            H::GoStrip => "go-strip",
            H::GoBuildCache => "go-build-cache",
            H::GoModCacheUnseen => "go-mod-cache-unseen",
            H::GoModuleUnknown => "go-module-unknown",
            H::RustBinary => "rust-binary",
            H::RustTarget => "rust-target",
            H::CargoRegistryUnseen => "cargo-registry-unseen",
            H::CrateUnknown => "crate-unknown",
            H::JavaJar => "java-jar",
            H::MavenRepoUnseen => "maven-repo-unseen",
            H::MavenPlugins => "maven-plugins",
            H::MavenArtifactUnknown => "maven-artifact-unknown",
            H::GradleHome => "gradle-home",
            H::GradleWrapper => "gradle-wrapper",
            H::JavaBuildDir => "java-build-dir",
            H::NugetPackages => "nuget-packages",
            H::DotnetPublish => "dotnet-publish",
            H::DotnetPublishSelfContained => "dotnet-publish-self-contained",
            H::DotnetPublishAot => "dotnet-publish-aot",
            H::DotnetBuildDir => "dotnet-build-dir",
            H::BundleUnseen => "bundle-unseen",
            H::GemUnknown => "gem-unknown",
            H::GemCache => "gem-cache",
            H::ComposerUnseen => "composer-unseen",
            H::ComposerUnknown => "composer-unknown",
            H::ComposerCache => "composer-cache",
            H::CBuild => "c-build",
            H::MakeInstall => "make-install",
            H::Download => "download",
            H::ArchiveExtract => "archive-extract",
            H::Installer => "installer",
            H::GitClone => "git-clone",
            H::StageArtifactUnseen => "stage-artifact-unseen",
            H::ImageArtifact => "image-artifact",
            H::PartOfTree => "part-of-tree",
        }
    }

    /// The row (a zero-sized stand-in if the data file lacks it, which a
    /// test rules out).
    pub fn get(self) -> &'static Heuristic {
        static MISSING: LazyLock<Heuristic> = LazyLock::new(|| Heuristic {
            id: "missing".into(),
            disk_mb: None,
            fraction: None,
            class: Class::Mixed,
            why: "no such heuristic".into(),
            source: String::new(),
            date: String::new(),
            trust: Trust::E,
        });
        FILE.heuristic
            .iter()
            .find(|h| h.id == self.id())
            .unwrap_or(&MISSING)
    }

    /// Shorthand: the row's size range.
    pub fn disk(self) -> Range {
        self.get().disk()
    }
}

/// The disk/pull ratio of a class (2.5 with a wide range if missing).
pub fn ratio(class: Class) -> Ratio {
    FILE.ratio.iter().find(|r| r.class == class).map_or(
        Ratio {
            low: 1.5,
            estimate: 2.5,
            high: 3.5,
        },
        |r| {
            let [low, estimate, high] = r.ratio;
            Ratio {
                low,
                estimate,
                high,
            }
        },
    )
}

/// The known files of a well-known image, by catalog name.
pub fn artifact(image: &str) -> Option<&'static Artifact> {
    FILE.artifact.iter().find(|a| a.image == image)
}

impl Artifact {
    /// Its size range.
    pub fn disk(&self) -> Range {
        let [lo, est, hi] = self.disk_mb;
        Range::mb(lo, est, hi)
    }

    /// The basis to show.
    pub fn basis(&self) -> Basis {
        Basis {
            kind: BasisKind::Heuristic,
            name: format!("files of {}", self.image),
            source: self.source.clone(),
            date: self.date.clone(),
            trust: self.trust,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_heuristic_exists_with_a_range_a_reason_and_a_source() {
        let file: File = toml::from_str(data()).unwrap_or_else(|e| panic!("heuristics.toml: {e}"));
        for h in H::ALL {
            let row = file
                .heuristic
                .iter()
                .find(|r| r.id == h.id())
                .unwrap_or_else(|| panic!("no heuristic `{}`", h.id()));
            assert!(
                row.disk_mb.is_some() != row.fraction.is_some(),
                "{}",
                row.id
            );
            let [lo, est, hi] = row.disk_mb.or(row.fraction).unwrap_or_default();
            assert!(lo <= est && est <= hi, "{}", row.id);
            assert!(!row.why.is_empty() && !row.source.is_empty() && row.date.len() == 10);
        }
        assert_eq!(file.heuristic.len(), H::ALL.len(), "a row no code uses");
        for class in [
            Class::Packages,
            Class::Binary,
            Class::Python,
            Class::NodeModules,
            Class::Text,
            Class::Compressed,
            Class::BuildCache,
            Class::Mixed,
        ] {
            let row = file.ratio.iter().find(|r| r.class == class);
            let row = row.unwrap_or_else(|| panic!("no ratio for {class:?}"));
            let [lo, est, hi] = row.ratio;
            assert!(1.0 <= lo && lo <= est && est <= hi, "{class:?}");
            assert!(!row.why.is_empty() && !row.source.is_empty() && row.date.len() == 10);
        }
        for a in &file.artifact {
            assert!(!a.source.is_empty() && a.date.len() == 10, "{}", a.image);
        }
    }
}
