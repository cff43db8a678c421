//! Mechanical fixes of error-level problems in instructions a plan keeps,
//! so that the converted file lints clean at error level: `MAINTAINER`
//! becomes a label, a relative `WORKDIR` becomes absolute, `sudo` goes
//! (builds run as root), `ADD` of a plain file becomes `COPY`, and only
//! the last `HEALTHCHECK`/`ENTRYPOINT` of a stage is kept.

use super::plan::{ChangeSpec, Item, Plan};
use super::types::ChangeKind;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::{Document, Keyword};
use crate::model::{Instruction, Model, join_workdir};

fn rewrite(node: usize, text: String, summary: &str, reason: &str, line: usize) -> Item {
    Item::Rewrite {
        node,
        text,
        change: ChangeSpec::new(ChangeKind::Rewrite, summary, reason, vec![line]),
    }
}

/// Archive extensions `ADD` unpacks.
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz", ".zst",
];

fn fix(doc: &Document, instruction: &Instruction) -> Option<(String, &'static str, &'static str)> {
    let node = doc.nodes.get(instruction.node)?;
    let original = node.text(&doc.source).trim_end().to_string();
    match instruction.kind()? {
        CommandKind::Maintainer(name) => Some((
            format!(
                "LABEL maintainer={}",
                crate::dockerfile::gotext::quote(name)
            ),
            "`MAINTAINER` became a label",
            "MAINTAINER is deprecated (DL4000)",
        )),
        CommandKind::Workdir(path) if !path.starts_with('/') && !path.starts_with('$') => Some((
            format!(
                "WORKDIR {}",
                join_workdir(instruction.context.workdir.as_deref(), path)
            ),
            "The working directory is absolute",
            "a relative WORKDIR depends on the base image (DL3000)",
        )),
        CommandKind::Add(add)
            if add.sources.iter().all(|s| {
                !s.contains("://")
                    && !ARCHIVES.iter().any(|e| s.ends_with(e))
                    && !s.starts_with("git@")
            }) && add.checksum.is_none() =>
        {
            let rest = original.get(node.keyword.len()..).unwrap_or_default();
            Some((
                format!("COPY{rest}"),
                "`ADD` became `COPY`",
                "ADD of a local file that is not an archive should be COPY (DL3020)",
            ))
        }
        CommandKind::Run(_)
            if instruction
                .run
                .as_ref()
                .is_some_and(|r| r.commands().any(|c| c.is("sudo"))) =>
        {
            Some((
                original.replace("sudo -E ", "").replace("sudo ", ""),
                "`sudo` removed",
                "build steps run as root; sudo is not needed (DL3004)",
            ))
        }
        _ => None,
    }
}

/// Applies the fixes to every stage of the plan.
pub fn apply(doc: &Document, model: &Model<'_>, plan: &mut Plan) {
    for stage in &mut plan.stages {
        for item in &mut stage.items {
            let Item::Keep { node, .. } = item else {
                continue;
            };
            let Some(instruction) = model.instructions.get(*node) else {
                continue;
            };
            if let Some((text, summary, reason)) = fix(doc, instruction) {
                *item = rewrite(*node, text, summary, reason, instruction.start_line);
            }
        }
        // Only the last HEALTHCHECK and ENTRYPOINT of a stage take effect.
        for keyword in [Keyword::Healthcheck, Keyword::Entrypoint] {
            let positions: Vec<usize> = stage
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| match item {
                    Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
                        doc.nodes.get(*node).is_some_and(|n| n.kind == keyword)
                    }
                    _ => false,
                })
                .map(|(i, _)| i)
                .collect();
            if positions.len() > 1 {
                for &p in positions.iter().rev().skip(1) {
                    let line = match stage.items.get(p) {
                        Some(Item::Keep { node, .. } | Item::Rewrite { node, .. }) => {
                            doc.nodes.get(*node).map_or(0, |n| n.start_line)
                        }
                        _ => 0,
                    };
                    stage.items.remove(p);
                    plan.notes.push(ChangeSpec::new(
                        ChangeKind::Drop,
                        format!("An earlier {} was dropped", keyword.name()),
                        "only the last one of a stage takes effect (DL3012/DL4004)",
                        vec![line],
                    ));
                }
            }
        }
    }
}
