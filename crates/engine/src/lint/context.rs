//! What a rule's check receives: the model, the configuration, and helpers
//! to walk instructions, `RUN` scripts and recognised commands.

use super::config::LintConfig;
use super::rule::{Diagnostic, Rule};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{Instruction, Model, RunInfo, StageModel};

/// Everything a rule may read.
#[derive(Debug)]
pub struct LintContext<'a> {
    /// The model of the file.
    pub model: &'a Model<'a>,
    /// The configuration in effect.
    pub config: &'a LintConfig,
    /// What several rules derive from the model, worked out once.
    pub(crate) memo: crate::lint::rules::restage::Memo<'a>,
    /// What several BuildKit checks derive from the model, worked out once.
    pub(crate) buildkit_memo: crate::lint::rules::buildkit::Memo,
    /// What several hadolint rules derive from the model, worked out once.
    pub(crate) hadolint_memo: crate::lint::rules::hadolint::Memo,
    /// The severity the configuration gives each rule.
    pub severities: super::severities::RuleSeverities,
    /// The tools (their [`Tool::bit`]s) that some `RUN` or `ONBUILD RUN`
    /// runs.
    tools_run: u32,
}

/// A `RUN` (or `ONBUILD RUN`) with its parsed scripts.
#[derive(Debug, Clone, Copy)]
pub struct RunView<'a> {
    /// The instruction (the `ONBUILD` for a trigger).
    pub instruction: &'a Instruction,
    /// Its scripts and mounts.
    pub run: &'a RunInfo,
    /// Whether it is the trigger of an `ONBUILD`.
    pub onbuild: bool,
}

/// One simple command of a `RUN`.
#[derive(Debug, Clone, Copy)]
pub struct CommandView<'a> {
    /// The `RUN` it belongs to.
    pub run: RunView<'a>,
    /// The command.
    pub command: &'a SimpleCommand,
}

impl<'a> LintContext<'a> {
    /// Whether another rule (by code or alias) is registered and enabled
    /// by the configuration: a rule that overlaps it can leave it the
    /// cases it reports, so one problem gives one finding.
    pub fn rule_enabled(&self, code: &str) -> bool {
        super::registry::position(code).is_some_and(|i| self.severities.get(i).is_some())
    }

    /// A context over `model` with `config`.
    pub fn new(model: &'a Model<'a>, config: &'a LintConfig) -> Self {
        let mut cx = Self {
            model,
            config,
            memo: Default::default(),
            buildkit_memo: Default::default(),
            hadolint_memo: Default::default(),
            severities: super::severities::RuleSeverities::new(config),
            tools_run: 0,
        };
        cx.tools_run = cx
            .commands(true)
            .filter_map(|view| recognise(view.command))
            .fold(0, |set, inv| set | inv.tool.bit());
        cx
    }

    /// Whether some `RUN` or `ONBUILD RUN` of the file runs one of `tools`
    /// (looking through wrappers such as `sudo`, as [`recognise`] does).
    pub fn runs_any(&self, tools: &[Tool]) -> bool {
        tools.iter().any(|t| self.tools_run & t.bit() != 0)
    }

    /// Runs `rule` unless it names tools ([`Rule::tools`]) and the file
    /// runs none of them.
    pub fn check(&self, rule: &dyn Rule, out: &mut Vec<Diagnostic>) {
        let tools = rule.tools();
        if tools.is_empty() || self.runs_any(tools) {
            rule.check(self, out);
        }
    }

    /// The source text.
    pub fn source(&self) -> &'a str {
        &self.model.doc.source
    }

    /// A diagnostic covering an instruction's lines.
    pub fn at(&self, instruction: &Instruction, message: impl Into<String>) -> Diagnostic {
        self.lines(instruction.start_line, instruction.end_line, message)
    }

    /// A diagnostic spanning whole lines `start..=end` (what
    /// [`Diagnostic::lines`] gives, from the model's line widths).
    pub fn lines(&self, start: usize, end: usize, message: impl Into<String>) -> Diagnostic {
        let end = end.max(start);
        let end_column = self
            .model
            .line_widths
            .get(end.saturating_sub(1))
            .map_or(1, |w| w + 1);
        Diagnostic::spanning(start, end, end_column, message)
    }

    /// A diagnostic covering a stage's `FROM` line.
    pub fn at_stage(&self, stage: &StageModel, message: impl Into<String>) -> Diagnostic {
        match self.model.instructions.get(stage.node) {
            Some(from) => self.at(from, message),
            None => self.lines(stage.line, stage.line, message),
        }
    }

    /// Every instruction, in order.
    pub fn instructions(&self) -> impl Iterator<Item = &'a Instruction> + 'a {
        self.model.instructions.iter()
    }

    /// Instructions with the given keyword.
    pub fn with_keyword(&self, keyword: Keyword) -> impl Iterator<Item = &'a Instruction> + 'a {
        self.model
            .instructions
            .iter()
            .filter(move |i| i.keyword == keyword)
    }

    /// Every stage, in order.
    pub fn stages(&self) -> &'a [StageModel] {
        &self.model.stages
    }

    /// The instructions of a stage (`FROM` excluded), in order.
    pub fn stage_instructions(
        &self,
        stage: &'a StageModel,
    ) -> impl Iterator<Item = &'a Instruction> + 'a {
        stage
            .instructions
            .iter()
            .filter_map(|&i| self.model.instructions.get(i))
    }

    /// The stage a stage builds on, if it is a stage of this file.
    pub fn parent(&self, stage: &StageModel) -> Option<&'a StageModel> {
        match stage.base {
            crate::model::BaseImage::Stage { index } => self.model.stages.get(index),
            _ => None,
        }
    }

    /// `stage` and the stages it builds on, nearest first.
    pub fn lineage(&self, stage: &'a StageModel) -> Vec<&'a StageModel> {
        // A bitset rather than a search of `out`: a chain of thousands of
        // stages must stay linear (the cycle check guards against models
        // that point forward; BuildKit's never do).
        let mut out = vec![stage];
        if self.parent(stage).is_none() {
            return out;
        }
        let mut seen = vec![false; self.model.stages.len()];
        if let Some(slot) = seen.get_mut(stage.index) {
            *slot = true;
        }
        let mut current = stage;
        while let Some(parent) = self.parent(current) {
            match seen.get_mut(parent.index) {
                Some(slot) if !*slot => *slot = true,
                _ => break,
            }
            out.push(parent);
            current = parent;
        }
        out
    }

    /// The final stage.
    pub fn final_stage(&self) -> Option<&'a StageModel> {
        self.model.stages.last()
    }

    /// Every `RUN`, and with `onbuild`, every `ONBUILD RUN` trigger too.
    pub fn runs(&self, onbuild: bool) -> impl Iterator<Item = RunView<'a>> + 'a {
        self.model.instructions.iter().flat_map(move |instruction| {
            let own = instruction.run.as_ref().map(|run| RunView {
                instruction,
                run,
                onbuild: false,
            });
            let trigger = instruction
                .trigger
                .as_ref()
                .and_then(|t| t.run.as_ref())
                .filter(|_| onbuild)
                .map(|run| RunView {
                    instruction,
                    run,
                    onbuild: true,
                });
            own.into_iter().chain(trigger)
        })
    }

    /// Every simple command of every `RUN` (and `ONBUILD RUN` with `onbuild`).
    pub fn commands(&self, onbuild: bool) -> impl Iterator<Item = CommandView<'a>> + 'a {
        self.runs(onbuild).flat_map(|run| {
            run.run
                .commands()
                .map(move |command| CommandView { run, command })
        })
    }

    /// Every invocation of `tool` in `RUN`s (and `ONBUILD RUN`s with `onbuild`).
    pub fn invocations(
        &self,
        tool: Tool,
        onbuild: bool,
    ) -> impl Iterator<Item = (CommandView<'a>, Invocation<'a>)> + 'a {
        self.commands(onbuild).filter_map(move |view| {
            recognise(view.command)
                .filter(|inv| inv.tool == tool)
                .map(|inv| (view, inv))
        })
    }

    /// Typed commands with their instruction, including `ONBUILD` triggers
    /// when `onbuild` is set (then the trigger's command is given).
    pub fn typed(
        &self,
        onbuild: bool,
    ) -> impl Iterator<Item = (&'a Instruction, &'a CommandKind, bool)> + 'a {
        self.model.instructions.iter().flat_map(move |i| {
            let own = i.kind().map(|k| (i, k, false));
            let trigger = i
                .trigger
                .as_ref()
                .and_then(|t| t.command.as_ref())
                .filter(|_| onbuild)
                .map(|c| (i, &c.kind, true));
            own.into_iter().chain(trigger)
        })
    }
}
