//! `SHELL` in the build stages. A plan moves `SHELL` to the runtime stage
//! with the image's other run-time settings, but it is also what the
//! source stage's `RUN`s ran with: a builder that keeps a `RUN` written
//! for bash (`source`, `[[ … ]]`, `<(…)`) must keep the `SHELL` that was in
//! effect for it, or `/bin/sh` runs it (dash on Debian, where `source`
//! fails and `[[` is false).

use super::plan::{ChangeSpec, Item, Plan};
use super::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::model::Model;

/// The node of the `SHELL` in effect for each instruction, by node: the
/// last `SHELL` of its stage before it. One pass, so that a file of
/// thousands of `RUN`s is not searched backwards once per `RUN`.
fn shells_in_effect(model: &Model<'_>) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(model.instructions.len());
    let mut stage = None;
    let mut shell = None;
    for instruction in &model.instructions {
        if instruction.stage != stage {
            stage = instruction.stage;
            shell = None;
        }
        out.push(stage.and(shell));
        if instruction.keyword == Keyword::Shell {
            shell = Some(instruction.node);
        }
    }
    out
}

/// The node of a kept or rewritten instruction of the input with this
/// keyword.
fn kept(model: &Model<'_>, item: &Item, keyword: Keyword) -> Option<usize> {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => model
            .instructions
            .get(*node)
            .filter(|i| i.keyword == keyword)
            .map(|i| i.node),
        _ => None,
    }
}

/// Puts, in every stage but the last, the input's `SHELL` before the first
/// kept `RUN` it was in effect for, unless the stage has it there already.
pub fn keep_in_build_stages(model: &Model<'_>, plan: &mut Plan) {
    if !model
        .instructions
        .iter()
        .any(|i| i.keyword == Keyword::Shell)
    {
        return;
    }
    let shells = shells_in_effect(model);
    let build_stages = plan.stages.len().saturating_sub(1);
    for stage in plan.stages.iter_mut().take(build_stages) {
        let items = std::mem::take(&mut stage.items);
        let mut out = Vec::with_capacity(items.len());
        let mut current: Option<usize> = None;
        for item in items {
            if let Some(shell) = kept(model, &item, Keyword::Shell) {
                current = Some(shell);
            } else if let Some(run) = kept(model, &item, Keyword::Run)
                && let Some(shell) = shells.get(run).copied().flatten()
                && current != Some(shell)
            {
                let line = model.instructions.get(shell).map_or(0, |i| i.start_line);
                out.push(Item::Keep {
                    node: shell,
                    change: Some(ChangeSpec::new(
                        ChangeKind::Keep,
                        format!("`SHELL` stays in the `{}` stage too", stage.name),
                        "the build steps kept here ran with this shell, not /bin/sh",
                        vec![line],
                    )),
                });
                current = Some(shell);
            }
            out.push(item);
        }
        stage.items = out;
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::{ConvertOptions, convert_text};

    fn converted(text: &str) -> String {
        convert_text(text, &ConvertOptions::default())
            .map(|o| o.conversion.dockerfile)
            .unwrap_or_else(|r| panic!("refused: {r:?}"))
    }

    /// The text of the stage named `name` (from its `FROM` line to the next).
    fn stage<'t>(text: &'t str, name: &str) -> &'t str {
        let start = text
            .find(&format!(" AS {name}\n"))
            .and_then(|at| text.get(..at))
            .and_then(|before| before.rfind("FROM "))
            .unwrap_or(0);
        let rest = text.get(start..).unwrap_or_default();
        let end = rest
            .get(1..)
            .and_then(|r| r.find("\nFROM "))
            .map_or(rest.len(), |e| e + 1);
        rest.get(..end).unwrap_or_default()
    }

    #[test]
    fn the_builder_keeps_the_shell_its_runs_were_written_for() {
        let go = converted(
            "FROM golang:1.22\nSHELL [\"/bin/bash\", \"-c\"]\nWORKDIR /app\nCOPY . .\nRUN source ./build.env && go build -o /out/app .\nCMD [\"/out/app\"]\n",
        );
        let builder = stage(&go, "builder");
        let shell = builder.find("SHELL [\"/bin/bash\", \"-c\"]");
        let run = builder.find("RUN source");
        assert!(shell.is_some() && shell < run, "{go}");

        let python = converted(
            "FROM python:3.12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nWORKDIR /app\nCOPY requirements.txt .\nRUN if [[ -f requirements.txt ]]; then pip install -r requirements.txt; fi\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        );
        let builder = stage(&python, "builder");
        let shell = builder.find("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]");
        let run = builder.find("RUN if [[");
        assert!(shell.is_some() && shell < run, "{python}");
    }

    #[test]
    fn a_run_before_the_shell_gets_none() {
        let python = converted(
            "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nSHELL [\"/bin/bash\", \"-c\"]\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        );
        assert!(!stage(&python, "builder").contains("SHELL"), "{python}");
    }
}
