//! Is a final stage already minimal? No SDK base, no toolchain or
//! development headers installed, no build run in it.

use super::classify::classify_run;
use super::images::ImageText;
use crate::model::{BaseImage, Model, StageModel};

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
/// being minimal.
pub fn bloat(model: &Model<'_>, stage: &StageModel) -> Vec<Bloat> {
    let mut out = Vec::new();
    let mut chain = vec![stage];
    let mut current = stage;
    while let BaseImage::Stage { index } = current.base {
        match model.stages.get(index) {
            Some(parent) if !chain.iter().any(|s| s.index == parent.index) => {
                chain.push(parent);
                current = parent;
            }
            _ => break,
        }
    }
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
    out
}
