//! What a strategy reads: the source stage, its instructions by role, and
//! the options.

use super::types::ConvertOptions;
use crate::dockerfile::instructions::{CommandKind, CopyCommand};
use crate::dockerfile::resolve::Expanded;
use crate::dockerfile::{Document, Keyword, Node};
use crate::model::image::ImageRef;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{BaseImage, Instruction, Model, StageModel};

/// No manifests passed with the Dockerfile.
pub(crate) static NO_MANIFESTS: std::collections::BTreeMap<String, String> =
    std::collections::BTreeMap::new();

/// The stage being converted and everything around it.
#[derive(Debug, Clone, Copy)]
pub struct ConvertContext<'a> {
    /// The parsed file.
    pub doc: &'a Document,
    /// Its model.
    pub model: &'a Model<'a>,
    /// Options.
    pub options: &'a ConvertOptions,
    /// The stage converted (the final stage).
    pub stage: &'a StageModel,
    /// Files passed with the Dockerfile, by name (`requirements.txt`,
    /// `package.json`, …): what they list is known, not guessed.
    pub manifests: &'a std::collections::BTreeMap<String, String>,
}

#[cfg(test)]
impl<'a> ConvertContext<'a> {
    /// A context for the last stage of `model`, with no manifests.
    pub(crate) fn of_last_stage(
        doc: &'a Document,
        model: &'a Model<'a>,
        options: &'a ConvertOptions,
    ) -> Self {
        let stage = model.stages.last().expect("a stage");
        Self {
            doc,
            model,
            options,
            stage,
            manifests: &NO_MANIFESTS,
        }
    }
}

impl<'a> ConvertContext<'a> {
    /// The escape token of the file (for generated continuation lines).
    pub fn escape(&self) -> char {
        self.doc.escape
    }

    /// The stage's instructions (FROM excluded), in order.
    pub fn instructions(&self) -> impl Iterator<Item = &'a Instruction> + 'a {
        let model = self.model;
        self.stage
            .instructions
            .iter()
            .filter_map(move |&i| model.instructions.get(i))
    }

    /// The node of an instruction.
    pub fn node(&self, instruction: &Instruction) -> Option<&'a Node> {
        self.doc.nodes.get(instruction.node)
    }

    /// The stage's base image, resolved through `ARG` defaults.
    pub fn base_image(&self) -> Option<&'a ImageRef> {
        match &self.stage.base {
            BaseImage::Image { image, .. } => image.as_ref(),
            _ => None,
        }
    }

    /// Instructions with this keyword.
    pub fn with_keyword(&self, keyword: Keyword) -> impl Iterator<Item = &'a Instruction> + 'a {
        self.instructions().filter(move |i| i.keyword == keyword)
    }

    /// The last instruction with this keyword.
    pub fn last(&self, keyword: Keyword) -> Option<&'a Instruction> {
        self.with_keyword(keyword).last()
    }

    /// `COPY` instructions (not `--from`) with their typed command.
    pub fn copies(&self) -> impl Iterator<Item = (&'a Instruction, &'a CopyCommand)> + 'a {
        self.instructions().filter_map(|i| match i.kind() {
            Some(CommandKind::Copy(c)) if c.from.is_none() => Some((i, c)),
            _ => None,
        })
    }

    /// Expanded source paths of a `COPY`/`ADD` (as written when not resolved).
    pub fn copy_sources(&self, instruction: &'a Instruction) -> Vec<String> {
        match (&instruction.expanded, instruction.kind()) {
            (Some(Expanded::Copy(c) | Expanded::Add(c)), _) => c.sources.clone(),
            (_, Some(CommandKind::Copy(c))) => c.sources.clone(),
            (_, Some(CommandKind::Add(a))) => a.sources.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether a `COPY`/`ADD` copies the whole build context (`.`, `./`, `*`).
    pub fn copies_everything(&self, instruction: &'a Instruction) -> bool {
        matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
            && self
                .copy_sources(instruction)
                .iter()
                .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*" | "/" | "./."))
    }

    /// Whether any `COPY`/`ADD` before `before` (an instruction index) copies a
    /// file whose name is one of `names`.
    pub fn copied(&self, names: &[&str]) -> bool {
        self.copies()
            .flat_map(|(i, _)| self.copy_sources(i))
            .any(|s| {
                let base = s
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(&s)
                    .to_string();
                names
                    .iter()
                    .any(|n| glob_match(n, &base) || glob_match(&base, n))
            })
    }

    /// Every recognised tool invocation in the stage's `RUN`s.
    pub fn invocations(&self) -> Vec<(&'a Instruction, &'a SimpleCommand, Invocation<'a>)> {
        let mut out = Vec::new();
        for i in self.instructions() {
            let Some(run) = &i.run else { continue };
            for c in run.commands() {
                if let Some(inv) = recognise(c) {
                    out.push((i, c, inv));
                }
            }
        }
        out
    }

    /// Invocations of one tool.
    pub fn uses(&self, tool: Tool) -> Vec<(&'a Instruction, Invocation<'a>)> {
        self.invocations()
            .into_iter()
            .filter(|(_, _, inv)| inv.tool == tool)
            .map(|(i, _, inv)| (i, inv))
            .collect()
    }

    /// Every simple command of the stage's `RUN`s, with its instruction.
    pub fn commands(&self) -> Vec<(&'a Instruction, &'a SimpleCommand)> {
        self.instructions()
            .filter_map(|i| i.run.as_ref().map(|r| (i, r)))
            .flat_map(|(i, r)| r.commands().map(move |c| (i, c)))
            .collect()
    }

    /// The working directory at the end of the stage (absolute), if set
    /// in this file.
    pub fn final_workdir(&self) -> Option<String> {
        self.stage.end.workdir.as_deref().map(str::to_string)
    }

    /// The user at the end of the stage, if set in this file. A `USER`
    /// written with a build argument (`USER $USER_ID`) is returned as
    /// written: the build chooses it, so a conversion keeps it rather than
    /// replacing its default.
    pub fn final_user(&self) -> Option<String> {
        let mut user = self
            .instructions()
            .next()
            .and_then(|i| i.context.user.as_deref().map(str::to_string));
        for i in self.instructions() {
            if let Some(CommandKind::User(u)) = i.kind() {
                user = Some(match &i.expanded {
                    _ if u.contains('$') => u.clone(),
                    Some(Expanded::User { user }) => user.clone(),
                    _ => u.clone(),
                });
            }
        }
        user
    }
}

/// A tiny glob: `*` matches any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, rest)) => {
            let Some(after) = text.strip_prefix(prefix) else {
                return false;
            };
            if rest.is_empty() {
                return true;
            }
            (0..=after.len()).any(|i| after.get(i..).is_some_and(|t| glob_match(rest, t)))
        }
    }
}
