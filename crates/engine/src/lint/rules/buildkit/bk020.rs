//! BK020: `EXPOSE` protocol should be lowercase (BuildKit's
//! `ExposeProtoCasing`).
//!
//! ## What it does
//! Reports an `EXPOSE` entry whose protocol is not written in lower case
//! (`EXPOSE 80/TCP`).
//!
//! ## Why is this bad?
//! The protocol is case-insensitive and stored in lower case; upper case
//! only makes the file inconsistent with what `docker inspect` shows.
//!
//! ## Notes
//! Entries are checked after variable expansion, as BuildKit does; one
//! warning per entry, with the entry as written in the message.
//! <https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/>

use super::expose::port_specs;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk020;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK020",
    aliases: &["ExposeProtoCasing"],
    name: "expose-proto-casing",
    title: "Protocol in EXPOSE instruction should be lowercase",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "The `EXPOSE` protocol is case-insensitive and stored in lower case; write `80/tcp`, not `80/TCP`. Checked after variable expansion, as in BuildKit. See <https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/>.",
    bad: "FROM nginx\nEXPOSE 80/TCP\n",
    good: "FROM nginx\nEXPOSE 80/tcp\n",
};

impl Rule for Bk020 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            for instruction in cx.stage_instructions(stage) {
                for spec in port_specs(instruction) {
                    let lower = spec.proto.to_lowercase();
                    if spec.proto != lower {
                        out.push(
                            cx.at(
                                instruction,
                                format!(
                                    "Defined protocol '{}' in EXPOSE instruction should be lowercase",
                                    spec.raw
                                ),
                            )
                            .with_fix(format!("Write `/{lower}`")),
                        );
                    }
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
    fn upper_case_protocols_are_reported() {
        assert_lines(
            &Bk020,
            &[
                // BuildKit's testExposeProtoCasing.
                ("\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n", &[3, 3]),
                ("FROM a\nEXPOSE 80 443/tcp 53/udp\n", &[]),
                ("FROM a\nARG P=8080/UDP\nEXPOSE $P\n", &[3]),
                ("FROM a\nEXPOSE 127.0.0.1:80:80/SCTP\n", &[2]),
                ("FROM a\nONBUILD EXPOSE 80/TCP\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m: Vec<String> =
            diagnostics(&Bk020, "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n")
                .into_iter()
                .map(|d| d.message)
                .collect();
        assert_eq!(
            m,
            [
                "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase",
                "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase",
            ]
        );
    }
}
