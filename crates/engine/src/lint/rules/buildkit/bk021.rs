//! BK021: `EXPOSE` with an IP address or host port (BuildKit's
//! `ExposeInvalidFormat`).
//!
//! ## What it does
//! Reports an `EXPOSE` entry that includes a host IP or a host port
//! (`EXPOSE 127.0.0.1:80:80`, `EXPOSE 8080:80`).
//!
//! ## Why is this bad?
//! `EXPOSE` only documents the container's ports; publishing to a host
//! port or address is decided by `docker run -p`. BuildKit ignores the host
//! part today and will make it an error in a future release.
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 8080:80
//! ```
//! Use instead:
//! ```dockerfile
//! EXPOSE 80
//! ```
//!
//! ## Notes
//! Entries are checked after variable expansion, as BuildKit does; one
//! warning per entry.
//! <https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/>

use super::expose::port_specs;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk021;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK021",
    aliases: &["ExposeInvalidFormat"],
    name: "expose-invalid-format",
    title: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "`EXPOSE` documents container ports only; host addresses and ports are chosen with `docker run -p`. BuildKit ignores them today and will reject them in a future release. See <https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/>.",
    bad: "FROM nginx\nEXPOSE 8080:80\n",
    good: "FROM nginx\nEXPOSE 80\n",
};

impl Rule for Bk021 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            for instruction in cx.stage_instructions(stage) {
                for spec in port_specs(instruction) {
                    if spec.ip.is_empty() && spec.host_port.is_empty() {
                        continue;
                    }
                    let container = spec.raw.rsplit(':').next().unwrap_or(spec.raw);
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'",
                                spec.raw
                            ),
                        )
                        .with_fix(format!(
                            "Expose only the container port (`EXPOSE {container}`) and publish it with `docker run -p`"
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
    fn host_parts_are_reported() {
        assert_lines(
            &Bk021,
            &[
                // BuildKit's testExposeInvalidFormat.
                (
                    "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
                    &[3, 3, 3],
                ),
                ("FROM a\nEXPOSE 80 443/tcp 8000-8010\n", &[]),
                ("FROM a\nARG P=8080:80\nEXPOSE $P\n", &[3]),
                ("FROM a\nONBUILD EXPOSE 8080:80\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m: Vec<String> = diagnostics(
            &Bk021,
            "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        )
        .into_iter()
        .map(|d| d.message)
        .collect();
        assert_eq!(
            m,
            [
                "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
                "EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000'",
                "EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:8080:8080'",
            ]
        );
    }
}
