//! DL3011: valid UNIX ports range from 0 to 65535.
//!
//! ## What it does
//! Reports an `EXPOSE` port (or a bound of a port range) above 65535.
//!
//! ## Why is this bad?
//! TCP and UDP ports are 16-bit numbers: such a port cannot be published
//! and is always a typo.
//!
//! ## Notes
//! BuildKit refuses such a port too (`invalid containerPort`, reported as
//! DL1000), also when it comes from a variable; this rule names the port
//! in hadolint's terms. A port that is not a number is left to BuildKit's
//! checks. `ONBUILD EXPOSE` is not checked, as in hadolint.

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3011;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3011",
    aliases: &[],
    name: "valid-port",
    title: "Valid UNIX ports range from 0 to 65535",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports an `EXPOSE` port or range bound above 65535: ports are 16-bit numbers, so it is a typo (BuildKit refuses to build it too).",
    bad: "FROM nginx:1.27\nEXPOSE 80800\n",
    good: "FROM nginx:1.27\nEXPOSE 8080\n",
};

/// Whether a number written in decimal is above 65535.
fn too_large(number: &str) -> bool {
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && !number.parse::<u32>().is_ok_and(|n| n <= 65535)
}

/// The bounds of a port spec above 65535 (`80`, `80/tcp`, `8000-8010/udp`).
fn invalid_bounds(spec: &str) -> bool {
    let port = spec.split('/').next().unwrap_or(spec);
    // `ip:host:container` is BuildKit's business; look at the container part.
    let port = port.rsplit(':').next().unwrap_or(port);
    port.split('-').any(too_large)
}

impl Rule for Dl3011 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            let Some(CommandKind::Expose(written)) = instruction.kind() else {
                continue;
            };
            let ports = match &instruction.expanded {
                Some(Expanded::Expose { ports }) => ports,
                _ => written,
            };
            let bad: Vec<&str> = ports
                .iter()
                .map(String::as_str)
                .filter(|p| invalid_bounds(p))
                .collect();
            if !bad.is_empty() {
                out.push(cx.at(
                    instruction,
                    format!(
                        "Valid UNIX ports range from 0 to 65535: {}",
                        super::shared_a::quoted_list(&bad)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn out_of_range_ports_are_reported() {
        assert_lines(
            &Dl3011,
            &[
                ("FROM a:1\nEXPOSE 80 443/tcp 65535\n", &[]),
                ("FROM a:1\nEXPOSE 65536\n", &[2]),
                ("FROM a:1\nEXPOSE 80/udp 99999/tcp\n", &[2]),
                ("FROM a:1\nEXPOSE 8000-70000\n", &[2]),
                ("FROM a:1\nEXPOSE 8000-8010/udp\n", &[]),
                ("FROM a:1\nEXPOSE 123456789012345678901234567890\n", &[2]),
                ("FROM a:1\nARG PORT=80800\nEXPOSE $PORT\n", &[]),
                ("FROM a:1\nARG PORT=8080\nEXPOSE ${PORT}/tcp\n", &[]),
                ("FROM a:1\nEXPOSE $PORT\n", &[]),
                ("FROM a:1\nONBUILD EXPOSE 99999\n", &[]),
            ],
        );
    }
}
