//! `RUN` and its flags: `--mount`, `--device`, `--network`, `--security`.

use serde::Serialize;

use super::InstructionError;
use super::cmdline::cmd_line;
use super::command::CmdLine;
use super::device::{Device, parse_device_at};
use super::flags::FlagKind;
use super::mount::{MountSpec, check_mount};
use super::request::Request;
use crate::dockerfile::gotext::quote;

/// `RUN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunCommand {
    /// The command line and heredoc files.
    pub cmd: CmdLine,
    /// `--mount` values, CSV-split; [`super::parse_mount`] reads them fully.
    pub mounts: Vec<MountSpec>,
    /// `--network` (default `default`).
    pub network: NetworkMode,
    /// `--security` (default `sandbox`).
    pub security: SecurityMode,
    /// `--device` values (accepted here; only the labs frontend builds them).
    pub devices: Vec<Device>,
    /// The flags given, by name, in order of first use.
    pub flags_used: Vec<String>,
}

/// `RUN --network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    /// The default network.
    Default,
    /// No network.
    None,
    /// The host's network.
    Host,
}

/// `RUN --security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecurityMode {
    /// The default sandbox.
    Sandbox,
    /// Privileged (needs the `security.insecure` entitlement).
    Insecure,
}

/// `RUN`'s flags (BuildKit registers them from its run hooks).
const FLAGS: &[(&str, FlagKind)] = &[
    ("device", FlagKind::Strings),
    ("mount", FlagKind::Strings),
    ("network", FlagKind::String),
    ("security", FlagKind::String),
];

/// BuildKit's `parseRun` with its hooks, run in BuildKit's order: flags,
/// then devices, mounts, network, security.
pub(crate) fn parse_run(req: &Request<'_>) -> Result<RunCommand, InstructionError> {
    let flags = req.flags(FLAGS)?;
    let cmd = cmd_line(req);
    // An error points at the byte of the flag's value it is about, or at
    // the whole value.
    let nth = |name: &str, n: usize, raw: &str, (m, range): (String, Option<(usize, usize)>)| {
        let at = match req.node.nth_flag(name, n) {
            Some(index) => match range {
                Some(range) => req.node.flag_value_range_location(index, raw, range),
                None => req.node.flag_part_location(index, None),
            },
            None => req.node.keyword_location(),
        };
        InstructionError::located(req.node, at, m)
    };
    let devices = flags
        .strings("device")
        .iter()
        .enumerate()
        .map(|(n, raw)| parse_device_at(raw).map_err(|e| nth("device", n, raw, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let mounts = flags
        .strings("mount")
        .iter()
        .enumerate()
        .map(|(n, raw)| check_mount(raw).map_err(|e| nth("mount", n, raw, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let network = flags.string("network").unwrap_or_else(|| "default".into());
    let network = match network.as_str() {
        "default" => NetworkMode::Default,
        "none" => NetworkMode::None,
        "host" => NetworkMode::Host,
        other => {
            let message = format!("invalid network mode {}", quote(other));
            return Err(req.flag_error("network", message));
        }
    };
    let security = flags.string("security").unwrap_or_else(|| "sandbox".into());
    let security = match security.as_str() {
        "sandbox" => SecurityMode::Sandbox,
        "insecure" => SecurityMode::Insecure,
        other => {
            let message = format!("security {} is not valid", quote(other));
            return Err(req.flag_error("security", message));
        }
    };
    Ok(RunCommand {
        cmd,
        mounts,
        network,
        security,
        devices,
        flags_used: flags.used(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::command::{CommandKind, InlineFile};
    use super::super::testutil::{check_errors, only};
    use super::*;

    fn run(text: &str) -> RunCommand {
        match only(text) {
            CommandKind::Run(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let r = run("RUN echo hi");
        assert_eq!(r.cmd.args, ["echo hi"]);
        assert!(r.cmd.prepend_shell);
        assert_eq!(
            (r.network, r.security),
            (NetworkMode::Default, SecurityMode::Sandbox)
        );
        assert!(r.mounts.is_empty() && r.devices.is_empty() && r.flags_used.is_empty());
        let r = run("RUN [\"echo\", \"hi\"]");
        assert_eq!(r.cmd.args, ["echo", "hi"]);
        assert!(!r.cmd.prepend_shell);
    }

    #[test]
    fn flags() {
        let r = run(
            "RUN --network=none --mount=type=cache,target=/root/.cache --security=insecure \
             --mount=type=secret,id=x --device=/dev/fuse,required make",
        );
        assert_eq!(
            (r.network, r.security),
            (NetworkMode::None, SecurityMode::Insecure)
        );
        assert_eq!(r.mounts.len(), 2);
        assert_eq!(r.mounts[0].raw, "type=cache,target=/root/.cache");
        assert_eq!(r.mounts[0].fields, ["type=cache", "target=/root/.cache"]);
        assert_eq!(
            r.devices,
            [Device {
                name: "/dev/fuse".into(),
                required: true
            }]
        );
        assert_eq!(r.flags_used, ["network", "mount", "security", "device"]);
        assert_eq!(run("RUN --network=host x").network, NetworkMode::Host);
        assert_eq!(run("RUN --network=default x").network, NetworkMode::Default);
        assert_eq!(
            run("RUN --security=sandbox x").security,
            SecurityMode::Sandbox
        );
        // Mount fields are only CSV-checked here.
        assert_eq!(
            run("RUN --mount=type=nonsense,bogus x").mounts[0].fields,
            ["type=nonsense", "bogus"]
        );
    }

    #[test]
    fn heredoc_files() {
        let r = run("RUN <<EOF\n\techo hi\nEOF");
        assert_eq!(r.cmd.args, ["<<EOF"]);
        assert_eq!(
            r.cmd.files,
            [InlineFile {
                name: "EOF".into(),
                data: "\techo hi\n".into(),
                chomp: false
            }]
        );
        let r = run("RUN python3 <<-PY > out\n\tprint(1)\n\tPY");
        assert_eq!(r.cmd.files[0].data, "\tprint(1)\n");
        assert!(r.cmd.files[0].chomp);
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("RUN --network=bridge x", "invalid network mode \"bridge\""),
            ("RUN --network= x", "invalid network mode \"\""),
            ("RUN --network=NONE x", "invalid network mode \"NONE\""),
            (
                "RUN --security=privileged x",
                "security \"privileged\" is not valid",
            ),
            (
                "RUN --mount=from=$STAGE,target=/x x",
                "'from' doesn't support variable expansion, define alias stage instead",
            ),
            ("RUN --mount= x", "failed to parse csv mounts: EOF"),
            (
                "RUN --mount=\\\"a\\\"b x",
                "failed to parse csv mounts: parse error on line 1, column 3: extraneous or missing \" in quoted-field",
            ),
            ("RUN --mount x", "missing a value on flag: --mount"),
            ("RUN --network x", "missing a value on flag: --network"),
            (
                "RUN --mnt=type=bind x",
                "unknown flag: --mnt (did you mean mount?)",
            ),
            (
                "RUN --network=none --network=host x",
                "duplicate flag specified: --network",
            ),
            ("RUN --device= x", "failed to parse csv devices: EOF"),
            (
                "RUN --device=a,b x",
                "invalid field 'b' must be a key=value pair",
            ),
            // BuildKit's hook order: devices, mounts, network, security.
            (
                "RUN --security=x --network=y --mount= --device= z",
                "failed to parse csv devices: EOF",
            ),
            (
                "RUN --security=x --network=y --mount= z",
                "failed to parse csv mounts: EOF",
            ),
            (
                "RUN --security=x --network=y z",
                "invalid network mode \"y\"",
            ),
        ]);
    }
}
