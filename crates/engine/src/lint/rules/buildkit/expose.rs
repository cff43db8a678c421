//! BuildKit's reading of `EXPOSE` entries (`portSpecs.parsePort`), shared
//! by `ExposeProtoCasing` and `ExposeInvalidFormat`.

use crate::dockerfile::resolve::Expanded;
use crate::model::Instruction;

/// One `EXPOSE` entry, split as BuildKit splits it.
pub(super) struct PortSpec<'a> {
    /// The entry after expansion, as written (`127.0.0.1:80:80/TCP`).
    pub raw: &'a str,
    /// The host IP part (`127.0.0.1`), empty when absent.
    pub ip: &'a str,
    /// The host port part, empty when absent.
    pub host_port: &'a str,
    /// The protocol as written (`TCP`), `tcp` when absent.
    pub proto: &'a str,
}

/// BuildKit's `splitParts`: `[ip:]host:container` (an IPv6 address may
/// contain more colons).
fn split_parts(raw: &str) -> (&str, &str, &str) {
    let parts: Vec<&str> = raw.split(':').collect();
    match parts.as_slice() {
        [container] => ("", "", container),
        [host, container] => ("", host, container),
        [ip, host, container] => (ip, host, container),
        [.., host, container] => {
            let ip_len = raw.len() - host.len() - container.len() - 2;
            (raw.get(..ip_len).unwrap_or_default(), host, container)
        }
        [] => ("", "", ""),
    }
}

/// The entries BuildKit's lint sees for an `EXPOSE`: its expanded ports,
/// in order, up to the first one whose port is missing or whose protocol
/// is not `tcp`, `udp` or `sctp` (BuildKit stops there with an error).
pub(super) fn port_specs(instruction: &Instruction) -> Vec<PortSpec<'_>> {
    let Some(Expanded::Expose { ports }) = &instruction.expanded else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for raw in ports {
        let (ip, host_port, container) = split_parts(raw);
        let (port, proto) = container.split_once('/').unwrap_or((container, ""));
        if port.is_empty() {
            break;
        }
        let proto = if proto.is_empty() { "tcp" } else { proto };
        if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
            break;
        }
        out.push(PortSpec {
            raw,
            ip,
            host_port,
            proto,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_split_as_buildkit_splits_them() {
        assert_eq!(split_parts("80"), ("", "", "80"));
        assert_eq!(split_parts("80:8080"), ("", "80", "8080"));
        assert_eq!(split_parts("127.0.0.1:80:80"), ("127.0.0.1", "80", "80"));
        assert_eq!(split_parts("[::1]:8080:8080"), ("[::1]", "8080", "8080"));
        assert_eq!(split_parts("::1:80:80"), ("::1", "80", "80"));
        assert_eq!(split_parts("::::80"), ("::", "", "80"));
    }
}
