//! BK012: several `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in one stage
//! (BuildKit's `MultipleInstructionsDisallowed`).
//!
//! ## What it does
//! Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later instruction
//! of the same kind in the same stage overrides. The overridden (earlier)
//! instruction is reported.
//!
//! ## Why is this bad?
//! Only the last one takes effect; the earlier one is dead code that
//! misleads whoever reads the file.
//!
//! ## Notes
//! As in BuildKit, a stage built on another stage may set its own `CMD`
//! without a warning (each stage is counted on its own), and the message
//! names the later instruction as written.
//! Overlaps hadolint's DL4003 (`CMD`), DL4004 (`ENTRYPOINT`) and DL3012
//! (`HEALTHCHECK`), which report the later instruction; both stay, as they
//! differ in that detail.
//! <https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/>

use super::common::keyword_as_written;
use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::Instruction;

/// The rule.
pub struct Bk012;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK012",
    aliases: &["MultipleInstructionsDisallowed"],
    name: "multiple-instructions-disallowed",
    title: "Multiple instructions of the same type should not be used in the same stage",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "Only the last `CMD`, `ENTRYPOINT` or `HEALTHCHECK` of a stage takes effect; the earlier one, which is reported, is dead code. Overlaps hadolint's DL4003, DL4004 and DL3012, which report the later instruction. See <https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/>.",
    bad: "FROM alpine\nCMD [\"sh\"]\nCMD [\"ash\"]\n",
    good: "FROM alpine\nCMD [\"ash\"]\n",
};

impl Rule for Bk012 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let mut last: [Option<&Instruction>; 3] = [None, None, None];
            for instruction in cx.stage_instructions(stage) {
                let slot = match instruction.keyword {
                    Keyword::Cmd => 0,
                    Keyword::Entrypoint => 1,
                    Keyword::Healthcheck => 2,
                    _ => continue,
                };
                if instruction.command.is_none() {
                    continue;
                }
                let Some(previous) = last.get_mut(slot) else {
                    continue;
                };
                if let Some(earlier) = previous.replace(instruction) {
                    let name = keyword_as_written(cx, instruction);
                    out.push(
                        cx.at(
                            earlier,
                            format!(
                                "Multiple {name} instructions should not be used in the same stage because only the last one will be used"
                            ),
                        )
                        .with_fix(format!(
                            "Remove this {}: the one on line {} overrides it",
                            instruction.keyword.name(),
                            instruction.start_line
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn overridden_instructions_are_reported() {
        // BuildKit's testMultipleInstructionsDisallowed.
        assert_lines(
            &Bk012,
            &[
                (
                    "\nFROM scratch\nENTRYPOINT [\"/myapp\"]\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
                    &[3, 5, 7],
                ),
                (
                    "\nFROM scratch\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nCOPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
                    &[3, 4, 5],
                ),
                (
                    "\nFROM scratch AS a\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\n\nFROM a AS b\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
                    &[],
                ),
                ("FROM a\nCMD x\nCMD y\nCMD z\n", &[2, 3]),
                ("FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD true\n", &[2]),
                ("FROM a\nONBUILD CMD x\nCMD y\n", &[]),
            ],
        );
    }

    #[test]
    fn message_names_the_later_instruction() {
        let d = diagnostics(&Bk012, "FROM a\nCMD x\ncmd y\n");
        assert_eq!(
            d.first().map(|d| (d.line, d.message.as_str())),
            Some((
                2,
                "Multiple cmd instructions should not be used in the same stage because only the last one will be used"
            ))
        );
    }
}
