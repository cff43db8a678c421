//! What a Dockerfile builds: the strongest strategy detection on its final
//! stage or, when that stage shows no ecosystem of its own (a `scratch`,
//! distroless or nginx runtime that only copies an artifact), what the
//! final image runs on and the stages that feed it.

use super::context::ConvertContext;
use super::images::ImageText;
use super::strategies::{self, Detection, Evidence, Strategy};
use super::types::Ecosystem;
use crate::model::{BaseImage, StageModel};

/// The strategy that detected the stage of `cx`, with its detection: the
/// highest score, the earliest strategy of equal ones.
pub fn strongest(cx: &ConvertContext<'_>) -> Option<(&'static dyn Strategy, Detection)> {
    // `max_by_key` keeps the last of equal scores; reversed, that is the
    // earliest strategy, as `strategies::all` promises.
    strategies::all()
        .iter()
        .rev()
        .filter_map(|s| s.detect(cx).map(|d| (*s, d)))
        .max_by_key(|(_, d)| d.score)
}

/// One language's evidence over the stages that feed the final image.
struct Language {
    /// The ecosystem named: that of its strongest stage detection.
    ecosystem: Ecosystem,
    /// The detection scores of its stages, added up.
    total: u32,
    /// The strongest stage detection's score and the stage's index.
    best: (u32, usize),
    /// What was seen, in every stage.
    evidence: Vec<Evidence>,
}

/// The ecosystem of the project when the final stage of `cx` shows none,
/// with the evidence:
/// - the language runtime the final image is built on (`ruby:3.3-slim`,
///   `mcr.microsoft.com/dotnet/aspnet`, a distroless Node.js image), when
///   it is one;
/// - else the language with the most evidence over the stages that feed
///   the final image (builders it copies from or is built on, directly or
///   not): their detection scores added up, the Node.js kinds together,
///   ties to the later stage. A project may build parts in another
///   language (a Go tool, a frontend), so one strong stage does not decide
///   alone. The generic strategy names no language.
pub fn feeding(cx: &ConvertContext<'_>) -> Option<(Ecosystem, Vec<Evidence>)> {
    let mut languages: Vec<Language> = Vec::new();
    for stage in cx
        .model
        .stages
        .iter()
        .filter(|s| s.reaches_final && s.index != cx.stage.index)
    {
        let Some((strategy, detection)) = strongest(&ConvertContext { stage, ..*cx }) else {
            continue;
        };
        let ecosystem = strategy.ecosystem();
        if ecosystem == Ecosystem::Generic {
            continue;
        }
        let best = (detection.score, stage.index);
        match languages
            .iter_mut()
            .find(|l| language(l.ecosystem) == language(ecosystem))
        {
            Some(l) => {
                l.total += detection.score;
                if best >= l.best {
                    l.best = best;
                    l.ecosystem = ecosystem;
                }
                l.evidence.extend(detection.evidence);
            }
            None => languages.push(Language {
                ecosystem,
                total: detection.score,
                best,
                evidence: detection.evidence,
            }),
        }
    }
    let chosen = match runtime(cx) {
        Some((runtime, fact)) => {
            let mut chosen = languages
                .into_iter()
                .find(|l| language(l.ecosystem) == runtime)
                .map_or((runtime, Vec::new()), |l| (l.ecosystem, l.evidence));
            chosen.1.push(fact);
            chosen
        }
        None => languages
            .into_iter()
            .max_by_key(|l| (l.total, l.best.1))
            .map(|l| (l.ecosystem, l.evidence))?,
    };
    let (ecosystem, mut evidence) = chosen;
    evidence.sort_by_key(|e| e.line);
    Some((ecosystem, evidence))
}

/// The language runtime the final image is built on (through the stages it
/// is built `FROM`), with the fact.
fn runtime(cx: &ConvertContext<'_>) -> Option<(Ecosystem, Evidence)> {
    let mut stage: &StageModel = cx.stage;
    // Each step goes to an earlier stage, so this ends.
    for _ in 0..=cx.model.stages.len() {
        match &stage.base {
            BaseImage::Stage { index } if *index < stage.index => {
                stage = cx.model.stages.get(*index)?;
            }
            BaseImage::Image { reference, .. } => {
                let ecosystem = runtime_language(&ImageText::parse(reference))?;
                return Some((
                    ecosystem,
                    Evidence {
                        line: stage.line,
                        fact: format!(
                            "the final image runs on `{reference}`, a {} runtime",
                            ecosystem.name()
                        ),
                    },
                ));
            }
            _ => return None,
        }
    }
    None
}

/// The language an image is the runtime of, if it is one.
fn runtime_language(image: &ImageText) -> Option<Ecosystem> {
    let short = image.short_name();
    Some(match short {
        "python" | "pypy" => Ecosystem::Python,
        "node" => Ecosystem::Node,
        "ruby" => Ecosystem::Ruby,
        "php" => Ecosystem::Php,
        "golang" => Ecosystem::Go,
        "rust" => Ecosystem::Rust,
        "eclipse-temurin"
        | "openjdk"
        | "amazoncorretto"
        | "ibm-semeru-runtimes"
        | "sapmachine"
        | "zulu-openjdk"
        | "tomcat"
        | "jetty" => Ecosystem::Java,
        "aspnet" | "runtime" if image.name.contains("dotnet") => Ecosystem::Dotnet,
        _ if image.name.contains("/distroless/") => {
            if short.starts_with("nodejs") {
                Ecosystem::Node
            } else if short.starts_with("python") {
                Ecosystem::Python
            } else if short.starts_with("java") {
                Ecosystem::Java
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

/// The language of an ecosystem: the Node.js kinds are one.
fn language(ecosystem: Ecosystem) -> Ecosystem {
    match ecosystem {
        Ecosystem::NodeSpa | Ecosystem::Nextjs => Ecosystem::Node,
        other => other,
    }
}
