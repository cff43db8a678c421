//! Is a final stage already minimal? No SDK base, no toolchain or
//! development headers installed, no development dependencies, no build
//! run in it — what a multi-stage build removes. What else restage's size
//! rules report (caches, a full base image) stays and is named, to be
//! fixed in place.

use std::sync::LazyLock;

use super::classify::classify_run;
use super::images::ImageText;
use crate::lint::{self, Finding, LintConfig};
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction, Model, StageModel};

/// The rules the decision reads: restage's size rules and the hadolint
/// cache rules that RS004 leaves their cases to.
const SIZE_RULES: &[&str] = &[
    "RS001", "RS002", "RS003", "RS004", "RS006", "RS009", "RS012", "DL3009", "DL3019", "DL3032",
    "DL3036", "DL3040", "DL3042", "DL3060",
];

/// A lint configuration with only [`SIZE_RULES`] on.
static SIZE_CONFIG: LazyLock<LintConfig> = LazyLock::new(|| LintConfig {
    ignored: lint::registry::all()
        .map(|r| r.meta().code)
        .filter(|code| !SIZE_RULES.contains(code))
        .map(str::to_string)
        .collect(),
    ..LintConfig::default()
});

/// What the size rules report about the image (the file's own `# hadolint
/// ignore=` pragmas apply; the lint configuration of a report does not, so
/// that a conversion does not depend on it), in line order.
pub fn size_findings(model: &Model<'_>) -> Vec<Finding> {
    lint::lint(model, &SIZE_CONFIG)
}

/// The lines of the final image: the instructions of a stage and of the
/// stages it is built on, by line, and their `FROM` lines.
struct ImageLines<'m> {
    /// `(start line, end line, instruction)`, by start line.
    spans: Vec<(usize, usize, &'m Instruction)>,
    /// The `FROM` lines, sorted.
    froms: Vec<usize>,
}

impl<'m> ImageLines<'m> {
    fn new(model: &'m Model<'_>, stage: &'m StageModel) -> Self {
        let chain = lineage(model, stage);
        let mut spans: Vec<(usize, usize, &Instruction)> = chain
            .iter()
            .flat_map(|s| s.instructions.iter())
            .filter_map(|&i| model.instructions.get(i))
            .map(|i| (i.start_line, i.end_line, i))
            .collect();
        spans.sort_by_key(|s| s.0);
        let mut froms: Vec<usize> = chain.iter().map(|s| s.line).collect();
        froms.sort_unstable();
        Self { spans, froms }
    }

    /// The instruction of the image on `line`.
    fn at(&self, line: usize) -> Option<&'m Instruction> {
        let after = self.spans.partition_point(|s| s.0 <= line);
        let (_, end, instruction) = *self.spans.get(after.checked_sub(1)?)?;
        (line <= end).then_some(instruction)
    }

    /// Whether `line` belongs to the image.
    fn contains(&self, line: usize) -> bool {
        self.froms.binary_search(&line).is_ok() || self.at(line).is_some()
    }
}

/// Whether a finding is one a multi-stage build removes: development
/// dependencies that npm, yarn, pnpm or Composer install in the final
/// image (RS006) go, since the conversion installs production ones only
/// in the stage it copies them from. Other installers' development groups
/// (pip requirements files, Poetry, uv, Bundler) would be copied as
/// installed: their fix is the install's own option, in place.
fn removed_by_stages(lines: &ImageLines<'_>, finding: &Finding) -> bool {
    finding.code == "RS006"
        && lines
            .at(finding.line)
            .and_then(|i| i.run.as_ref())
            .is_some_and(|run| {
                run.commands().filter_map(recognise).any(|inv| {
                    matches!(
                        inv.tool,
                        Tool::Npm | Tool::Yarn | Tool::Pnpm | Tool::Composer
                    )
                })
            })
}

/// What the conversion says of a final stage it leaves as it is: nothing
/// to change, or, when size findings remain that a multi-stage build does
/// not remove (in `stage` and the stages it is built on), which they are
/// and that they are fixed in place.
pub fn unchanged_message(model: &Model<'_>, stage: &StageModel, findings: &[Finding]) -> String {
    let lines = ImageLines::new(model, stage);
    let rest: Vec<String> = findings
        .iter()
        .filter(|f| lines.contains(f.line) && !removed_by_stages(&lines, f))
        .map(|f| {
            let fix = f
                .fix
                .as_ref()
                .map(|x| format!("; fix: {}", x.title))
                .unwrap_or_default();
            format!("{} at line {}: {}{fix}", f.code, f.line, f.message)
        })
        .collect();
    if rest.is_empty() {
        return "The final stage is already minimal: no toolchain, no development packages or dependencies, no build step. Nothing to change.".into();
    }
    format!(
        "The final stage builds nothing and holds nothing a build stage would keep back, so a multi-stage build would not make the image smaller. These size findings are fixed in the instructions themselves: {}.",
        rest.join("; ")
    )
}

/// The stage and the stages it is built on, itself first.
fn lineage<'m>(model: &'m Model<'_>, stage: &'m StageModel) -> Vec<&'m StageModel> {
    let mut chain = vec![stage];
    let mut current = stage;
    // A stage is built on an earlier one only, so this ends.
    while let BaseImage::Stage { index } = current.base {
        match model.stages.get(index) {
            Some(parent) if parent.index < current.index => {
                chain.push(parent);
                current = parent;
            }
            _ => break,
        }
    }
    chain
}

/// Why a stage is not minimal, with the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bloat {
    /// The line of the instruction at fault.
    pub line: usize,
    /// What it is.
    pub what: String,
}

/// Whether an image is a toolchain image: an SDK, or a full Debian image
/// built on `buildpack-deps` (which ships gcc and headers).
pub fn is_toolchain_image(text: &ImageText) -> bool {
    let name = text.short_name();
    let tag = text.tag.as_deref().unwrap_or("latest");
    let small = text.is_small_variant();
    match name {
        "golang" | "rust" | "maven" | "gradle" | "gcc" | "buildpack-deps" | "sbt" | "clojure"
        | "haskell" => true,
        "sdk" => text.name.contains("dotnet"),
        "eclipse-temurin"
        | "openjdk"
        | "amazoncorretto"
        | "ibm-semeru-runtimes"
        | "sapmachine"
        | "zulu-openjdk" => tag.contains("jdk") || !tag.contains("jre"),
        "python" | "node" | "ruby" | "perl" => !small,
        _ => false,
    }
}

/// Everything that keeps the stage (and the stages it builds on) from
/// being minimal; `findings` are [`size_findings`] of the model, whose
/// development-dependency installs count.
pub fn bloat(model: &Model<'_>, stage: &StageModel, findings: &[Finding]) -> Vec<Bloat> {
    let mut out = Vec::new();
    let chain = lineage(model, stage);
    for s in chain.iter().rev() {
        if let BaseImage::Image { reference, .. } = &s.base {
            let text = ImageText::parse(reference);
            if is_toolchain_image(&text) {
                out.push(Bloat {
                    line: s.line,
                    what: format!("the base image `{reference}` carries a build toolchain"),
                });
            }
        }
        for &i in &s.instructions {
            let Some(instr) = model.instructions.get(i) else {
                continue;
            };
            if instr.run.is_none() {
                continue;
            }
            let facts = classify_run(instr);
            // A RUN that installs its toolchain, compiles and removes the
            // toolchain again (the official images' pattern) leaves a lean
            // layer: only what it built (as RS009 sees it).
            let mut self_cleaning_build = false;
            if let Some(system) = &facts.system {
                let distro = match &chain.last().map(|s| &s.base) {
                    Some(BaseImage::Image { reference, .. }) => {
                        ImageText::parse(reference).distro()
                    }
                    _ => crate::knowledge::packages::Distro::Bookworm,
                };
                let build = system.build_only(distro);
                self_cleaning_build = build
                    .iter()
                    .any(|p| crate::knowledge::packages::is_toolchain(p, distro))
                    && build.iter().all(|p| {
                        system
                            .removed
                            .iter()
                            .any(|r| r == crate::knowledge::packages::package_name(p))
                    });
                let kept: Vec<&str> = build
                    .iter()
                    .copied()
                    .filter(|p| {
                        !system
                            .removed
                            .iter()
                            .any(|r| r == crate::knowledge::packages::package_name(p))
                    })
                    .collect();
                if !kept.is_empty() {
                    out.push(Bloat {
                        line: instr.start_line,
                        what: format!("installs build-only packages: {}", kept.join(", ")),
                    });
                }
            }
            if facts.builds && !self_cleaning_build {
                out.push(Bloat {
                    line: instr.start_line,
                    what: "compiles or bundles in the final image".into(),
                });
            }
        }
    }
    let lines = ImageLines::new(model, stage);
    for f in findings.iter().filter(|f| removed_by_stages(&lines, f)) {
        out.push(Bloat {
            line: f.line,
            what: f.message.clone(),
        });
    }
    out.sort_by_key(|b| b.line);
    out
}
