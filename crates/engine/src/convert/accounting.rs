//! Every instruction of the source stage is accounted for: an instruction
//! that a plan neither writes nor explains gets a `Drop` entry in the
//! change log, so that nothing leaves the Dockerfile silently.

use std::collections::HashSet;

use super::context::ConvertContext;
use super::plan::{ChangeSpec, Item, Plan};
use super::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::model::Instruction;

/// Adds a `Drop` note for each instruction of the source stage that no
/// planned stage writes (as kept or rewritten) and no change of the plan
/// names by its line.
pub fn note_unaccounted(cx: &ConvertContext<'_>, plan: &mut Plan) {
    let written = written_nodes(plan);
    let explained = explained_lines(plan);
    let notes: Vec<ChangeSpec> = cx
        .instructions()
        .filter(|i| !written.contains(&i.node) && !explained.contains(&i.start_line))
        .map(|i| drop_note(cx, i))
        .collect();
    plan.notes.extend(notes);
}

/// The input nodes the planned stages write (a set: files have thousands
/// of instructions).
fn written_nodes(plan: &Plan) -> HashSet<usize> {
    plan.stages
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|item| match item {
            Item::Keep { node, .. } | Item::Rewrite { node, .. } => Some(*node),
            _ => None,
        })
        .collect()
}

/// The input lines some change of the plan names.
fn explained_lines(plan: &Plan) -> HashSet<usize> {
    let items = plan.stages.iter().flat_map(|s| {
        s.items
            .iter()
            .filter_map(|item| match item {
                Item::Keep { change, .. } => change.as_ref(),
                Item::Rewrite { change, .. } | Item::Add { change, .. } => Some(change),
                Item::Comment(_) | Item::Blank => None,
            })
            .chain(s.from_change.as_ref())
    });
    items
        .chain(&plan.notes)
        .flat_map(|c| c.source_lines.iter().copied())
        .collect()
}

/// The change-log entry for an instruction left out.
fn drop_note(cx: &ConvertContext<'_>, i: &Instruction) -> ChangeSpec {
    let text = cx
        .node(i)
        .map(|n| n.text(&cx.doc.source).trim().to_string())
        .unwrap_or_default();
    let first = text.lines().next().unwrap_or_default();
    let shown = if first.len() > 60 || text.lines().nth(1).is_some() {
        let cut: String = first.chars().take(60).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_string()
    };
    ChangeSpec::new(
        ChangeKind::Drop,
        format!("`{shown}` is not in the converted Dockerfile"),
        drop_reason(i.keyword),
        vec![i.start_line],
    )
}

/// Why an instruction of a kind is left out, and what to check.
fn drop_reason(keyword: Keyword) -> &'static str {
    match keyword {
        Keyword::Run => {
            "the runtime stage receives only the build's artifacts, and this step is not needed to make them; if it prepared files, directories or users the program needs at run time, add that to the runtime stage"
        }
        Keyword::Copy | Keyword::Add => {
            "the runtime stage receives only the build's artifacts, not these files; if the program reads them at run time, copy them into the runtime stage"
        }
        _ => {
            "the runtime stage does not need it to run the artifacts; if it does, add it to the runtime stage"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::types::{Confidence, ConvertOptions, Ecosystem};
    use crate::model::Model;

    #[test]
    fn an_instruction_no_stage_writes_or_explains_gets_a_drop_entry() {
        let text = "FROM golang:1.22\nRUN go build -o /app .\nRUN mkdir -p /data\nCMD [\"/app\"]\n";
        let doc = crate::dockerfile::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let model = Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        let mut plan = Plan::new(Ecosystem::Go, "test", Confidence::High);
        let nodes: Vec<usize> = cx.instructions().map(|i| i.node).collect();
        // The plan writes the build and the CMD, and explains nothing else.
        plan.stages.push(crate::convert::plan::StagePlan {
            name: "runtime".into(),
            from: crate::convert::plan::StageFrom::Source,
            from_change: None,
            items: [nodes.first(), nodes.get(2)]
                .into_iter()
                .flatten()
                .map(|&node| Item::Keep { node, change: None })
                .collect(),
        });
        note_unaccounted(&cx, &mut plan);
        assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
        assert!(
            plan.notes.iter().all(|n| n.kind == ChangeKind::Drop
                && n.source_lines == [3]
                && n.summary.contains("RUN mkdir -p /data")),
            "{:?}",
            plan.notes
        );
    }
}
