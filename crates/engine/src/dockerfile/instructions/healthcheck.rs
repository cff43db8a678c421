//! `HEALTHCHECK NONE` and `HEALTHCHECK [flags] CMD ...`.

use std::time::Duration;

use serde::Serialize;

use super::InstructionError;
use super::duration::parse_duration;
use super::flags::{FlagKind, Flags};
use super::goconv::{parse_int, to_upper};
use super::request::Request;
use crate::dockerfile::gotext::quote;

/// `HEALTHCHECK`. Unset or zero durations and unset retries are `None`
/// (the runtime's defaults apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// What to run.
    pub test: HealthTest,
    /// `--interval`.
    pub interval: Option<Duration>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--start-period`.
    pub start_period: Option<Duration>,
    /// `--start-interval`.
    pub start_interval: Option<Duration>,
    /// `--retries`.
    pub retries: Option<i32>,
}

/// The health test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum HealthTest {
    /// `HEALTHCHECK NONE`: disable the base image's check.
    None,
    /// `CMD ["exe", "arg"]` (Docker's `CMD`).
    Cmd(Vec<String>),
    /// `CMD command text` (Docker's `CMD-SHELL`).
    CmdShell(String),
}

const FLAGS: &[(&str, FlagKind)] = &[
    ("interval", FlagKind::String),
    ("retries", FlagKind::String),
    ("start-interval", FlagKind::String),
    ("start-period", FlagKind::String),
    ("timeout", FlagKind::String),
];

/// BuildKit's `parseOptInterval`: empty or zero is unset; otherwise at
/// least 1ms (negative durations fail the same check).
fn interval(flags: &Flags, name: &str) -> Result<Option<Duration>, String> {
    let value = flags.string(name).unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    let nanos = parse_duration(&value)?;
    if nanos == 0 {
        return Ok(None);
    }
    if nanos < 1_000_000 {
        return Err(format!("Interval {} cannot be less than 1ms", quote(name)));
    }
    Ok(u64::try_from(nanos).ok().map(Duration::from_nanos))
}

/// `--retries`: a non-negative 32-bit integer.
fn retries(flags: &Flags) -> Result<Option<i32>, String> {
    let value = flags.string("retries").unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    let n = parse_int(&value, 10, 32)?;
    if n < 0 {
        return Err(format!("--retries cannot be negative ({n})"));
    }
    Ok(i32::try_from(n).ok())
}

/// BuildKit's `parseHealthcheck`. `NONE` never checks flags.
pub(crate) fn parse_healthcheck(req: &Request<'_>) -> Result<Healthcheck, InstructionError> {
    let Some((kind, rest)) = req.args.split_first() else {
        return Err(req.at_least_one("HEALTHCHECK"));
    };
    let kind = to_upper(kind);
    if kind == "NONE" {
        if !rest.is_empty() {
            return Err(req.arg_error(1, "HEALTHCHECK NONE takes no arguments"));
        }
        return Ok(Healthcheck {
            test: HealthTest::None,
            interval: None,
            timeout: None,
            start_period: None,
            start_interval: None,
            retries: None,
        });
    }
    let flags = req.flags(FLAGS)?;
    if kind != "CMD" {
        return Err(req.arg_error(
            0,
            format!("Unknown type {} in HEALTHCHECK (try CMD)", quote(&kind)),
        ));
    }
    let cmd = req.json_args(rest);
    if cmd.is_empty() {
        return Err(req.arg_error(0, "Missing command after HEALTHCHECK CMD"));
    }
    let test = if req.node.json {
        HealthTest::Cmd(cmd)
    } else {
        HealthTest::CmdShell(cmd.concat())
    };
    let opt = |name: &str| interval(&flags, name).map_err(|m| req.flag_error(name, m));
    Ok(Healthcheck {
        test,
        interval: opt("interval")?,
        timeout: opt("timeout")?,
        start_period: opt("start-period")?,
        start_interval: opt("start-interval")?,
        retries: retries(&flags).map_err(|m| req.flag_error("retries", m))?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::command::CommandKind;
    use super::super::testutil::{check_errors, only};
    use super::*;

    fn health(text: &str) -> Healthcheck {
        match only(text) {
            CommandKind::Healthcheck(h) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accepted_forms() {
        let h = health(
            "HEALTHCHECK --interval=30s --timeout=1h2m3.5s --start-period=300ms --start-interval=1s --retries=3 CMD curl -f http://localhost/",
        );
        assert_eq!(
            h.test,
            HealthTest::CmdShell("curl -f http://localhost/".into())
        );
        assert_eq!(h.interval, Some(Duration::from_secs(30)));
        assert_eq!(h.timeout, Some(Duration::from_millis(3_723_500)));
        assert_eq!(h.start_period, Some(Duration::from_millis(300)));
        assert_eq!(h.start_interval, Some(Duration::from_secs(1)));
        assert_eq!(h.retries, Some(3));
        let h = health("HEALTHCHECK cmd [\"/bin/check\", \"-v\"]");
        assert_eq!(
            h.test,
            HealthTest::Cmd(vec!["/bin/check".into(), "-v".into()])
        );
        assert_eq!((h.interval, h.retries), (None, None));
        let h = health("HEALTHCHECK --interval=0 --timeout=0s --retries=0 CMD x");
        assert_eq!((h.interval, h.timeout, h.retries), (None, None, Some(0)));
        let h = health("HEALTHCHECK --interval= --retries= CMD x");
        assert_eq!((h.interval, h.retries), (None, None));
        assert_eq!(
            health("HEALTHCHECK --interval=1ms CMD x").interval,
            Some(Duration::from_millis(1))
        );
        assert_eq!(
            health("HEALTHCHECK --interval=1000us CMD x").interval,
            Some(Duration::from_millis(1))
        );
        // NONE never checks flags.
        assert_eq!(health("HEALTHCHECK --bogus NONE").test, HealthTest::None);
        assert_eq!(health("healthcheck none").test, HealthTest::None);
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
            ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
            ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
            (
                "HEALTHCHECK CMD []",
                "Missing command after HEALTHCHECK CMD",
            ),
            (
                "HEALTHCHECK curl x",
                "Unknown type \"CURL\" in HEALTHCHECK (try CMD)",
            ),
            (
                "HEALTHCHECK CMD-SHELL x",
                "Unknown type \"CMD-SHELL\" in HEALTHCHECK (try CMD)",
            ),
            // Flags are checked before the type.
            ("HEALTHCHECK --bogus curl x", "unknown flag: --bogus"),
            (
                "HEALTHCHECK --intervall=1s CMD x",
                "unknown flag: --intervall (did you mean interval?)",
            ),
            (
                "HEALTHCHECK --interval CMD x",
                "missing a value on flag: --interval",
            ),
            (
                "HEALTHCHECK --interval=x CMD y",
                "time: invalid duration \"x\"",
            ),
            (
                "HEALTHCHECK --timeout=1 CMD y",
                "time: missing unit in duration \"1\"",
            ),
            (
                "HEALTHCHECK --start-period=5sec CMD y",
                "time: unknown unit \"sec\" in duration \"5sec\"",
            ),
            (
                "HEALTHCHECK --interval=999us CMD y",
                "Interval \"interval\" cannot be less than 1ms",
            ),
            (
                "HEALTHCHECK --start-interval=1ns CMD y",
                "Interval \"start-interval\" cannot be less than 1ms",
            ),
            (
                "HEALTHCHECK --timeout=-1s CMD y",
                "Interval \"timeout\" cannot be less than 1ms",
            ),
            (
                "HEALTHCHECK --retries=x CMD y",
                "strconv.ParseInt: parsing \"x\": invalid syntax",
            ),
            (
                "HEALTHCHECK --retries=1.5 CMD y",
                "strconv.ParseInt: parsing \"1.5\": invalid syntax",
            ),
            (
                "HEALTHCHECK --retries=2147483648 CMD y",
                "strconv.ParseInt: parsing \"2147483648\": value out of range",
            ),
            (
                "HEALTHCHECK --retries=-1 CMD y",
                "--retries cannot be negative (-1)",
            ),
            // Durations are checked in BuildKit's order, retries last; the
            // missing command comes before all of them.
            (
                "HEALTHCHECK --retries=-1 --start-interval=x --interval=y CMD z",
                "time: invalid duration \"y\"",
            ),
            (
                "HEALTHCHECK --retries=-1 --timeout=x CMD",
                "Missing command after HEALTHCHECK CMD",
            ),
        ]);
    }
}
