//! `RUN --mount=<csv>`: the CSV check BuildKit does while parsing, and the
//! full `parseMount` that runs with a variable expander at build time.

use serde::Serialize;

use super::csv;
use super::goconv::{parse_bool, parse_uint};
use super::suggest;
use super::units::ram_in_bytes;
use crate::dockerfile::gotext::{quote, to_lower};

/// One `--mount` flag as written, split into its CSV fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountSpec {
    /// The flag value as written (`type=cache,target=/root/.cache`).
    pub raw: String,
    /// Its CSV fields, quotes removed, nothing expanded.
    pub fields: Vec<String>,
}

/// A mount type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    /// `bind` (the default): files from a stage, image or the context.
    Bind,
    /// `cache`: a persistent cache directory.
    Cache,
    /// `tmpfs`: an in-memory file system.
    Tmpfs,
    /// `secret`: a build secret.
    Secret,
    /// `ssh`: an SSH agent socket.
    Ssh,
}

impl MountType {
    /// Every type, in alphabetical order (BuildKit's suggestion options).
    const NAMES: [&'static str; 5] = ["bind", "cache", "secret", "ssh", "tmpfs"];

    /// BuildKit's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bind => "bind",
            Self::Cache => "cache",
            Self::Tmpfs => "tmpfs",
            Self::Secret => "secret",
            Self::Ssh => "ssh",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "bind" => Self::Bind,
            "cache" => Self::Cache,
            "tmpfs" => Self::Tmpfs,
            "secret" => Self::Secret,
            "ssh" => Self::Ssh,
            _ => return None,
        })
    }
}

/// A cache mount's sharing mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sharing {
    /// Concurrent writers share the cache.
    Shared,
    /// Each concurrent writer gets its own cache.
    Private,
    /// Writers wait for each other.
    Locked,
}

impl Sharing {
    /// Every mode, in alphabetical order (BuildKit's suggestion options).
    const NAMES: [&'static str; 3] = ["locked", "private", "shared"];

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "shared" => Self::Shared,
            "private" => Self::Private,
            "locked" => Self::Locked,
            _ => return None,
        })
    }
}

/// A mount after BuildKit's `parseMount`. Empty `from`, `source`, `target`
/// and `id` values are `None`, as Go's empty strings mean "unset".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// The mount type.
    pub kind: MountType,
    /// `from=`: a stage, image or named context.
    pub from: Option<String>,
    /// `source=`/`src=`.
    pub source: Option<String>,
    /// `target=`/`dst=`/`destination=`.
    pub target: Option<String>,
    /// Read-only (defaults: read-write for cache and tmpfs, else read-only).
    pub read_only: bool,
    /// `required` (secret and ssh).
    pub required: bool,
    /// `size=` in bytes (tmpfs).
    pub size_limit: Option<i64>,
    /// `id=`.
    pub id: Option<String>,
    /// `sharing=` (cache).
    pub sharing: Option<Sharing>,
    /// `mode=` (octal).
    pub mode: Option<u32>,
    /// `uid=`.
    pub uid: Option<u32>,
    /// `gid=`.
    pub gid: Option<u32>,
    /// `env=` (secret): the variable to expose it as; `Some("")` is the default name.
    pub env: Option<String>,
}

/// Keys BuildKit suggests from for an unknown key, in its order.
const ALL_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// The parse-time check of one `--mount` value (BuildKit's `parseMount`
/// without an expander): CSV syntax and no variables in `from=`.
pub fn check_mount(raw: &str) -> Result<MountSpec, (String, Option<(usize, usize)>)> {
    let fields =
        csv::fields(raw).map_err(|e| (format!("failed to parse csv mounts: {e}"), e.range()))?;
    for field in &fields {
        let Some((key, value)) = field.split_once('=') else {
            continue;
        };
        if to_lower(key) == "from" {
            check_from(value)
                .map_err(|m| (m, raw.find(field.as_str()).map(|at| (at, at + field.len()))))?;
        }
    }
    Ok(MountSpec {
        raw: raw.to_string(),
        fields,
    })
}

/// `from=` may not use variables: a `$` anywhere but at the end.
fn check_from(value: &str) -> Result<(), String> {
    match value.find('$') {
        Some(i) if i + 1 != value.len() => {
            Err("'from' doesn't support variable expansion, define alias stage instead".to_string())
        }
        _ => Ok(()),
    }
}

/// `ro`, `rw` and `required` written without a value.
fn bare_keyword(m: &mut Mount, ro_auto: &mut bool, key: &str, field: &str) -> Result<(), String> {
    match key {
        "readonly" | "ro" => m.read_only = true,
        "readwrite" | "rw" => m.read_only = false,
        "required" => {
            if !matches!(m.kind, MountType::Secret | MountType::Ssh) {
                return Err(format!(
                    "unexpected key '{key}' for mount type '{}'",
                    m.kind.as_str()
                ));
            }
            m.required = true;
            return Ok(());
        }
        _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
    }
    *ro_auto = false;
    Ok(())
}

/// A `u32` in `base`, or BuildKit's `invalid value <v> for <key>`.
fn number(value: &str, base: u32, key: &str) -> Result<u32, String> {
    parse_uint(value, base, 32)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("invalid value {value} for {key}"))
}

/// Applies one `key=value` field (value already expanded).
fn apply(
    m: &mut Mount,
    ro_auto: &mut bool,
    key: &str,
    value: String,
    field: &str,
) -> Result<(), String> {
    let invalid = |value: &str| format!("invalid value for {key}: {value}");
    let wrong_type = |m: &Mount| {
        format!(
            "unexpected key '{key}' for mount type '{}'",
            m.kind.as_str()
        )
    };
    let non_empty = |v: String| (!v.is_empty()).then_some(v);
    match key {
        "type" => {
            let Some(kind) = MountType::from_name(&to_lower(&value)) else {
                let message = format!("unsupported mount type {}", quote(&value));
                return Err(suggest::wrap(message, &value, &MountType::NAMES, true));
            };
            m.kind = kind;
        }
        "from" => m.from = non_empty(value),
        "source" | "src" => m.source = non_empty(value),
        "target" | "dst" | "destination" => m.target = non_empty(value),
        "readonly" | "ro" => {
            m.read_only = parse_bool(&value).map_err(|_| invalid(&value))?;
            *ro_auto = false;
        }
        "readwrite" | "rw" => {
            m.read_only = !parse_bool(&value).map_err(|_| invalid(&value))?;
            *ro_auto = false;
        }
        "required" => {
            if !matches!(m.kind, MountType::Secret | MountType::Ssh) {
                return Err(wrong_type(m));
            }
            m.required = parse_bool(&value).map_err(|_| invalid(&value))?;
        }
        "size" => {
            if m.kind != MountType::Tmpfs {
                return Err(wrong_type(m));
            }
            m.size_limit = Some(ram_in_bytes(&value).ok_or_else(|| invalid(&value))?);
        }
        "id" => m.id = non_empty(value),
        "sharing" => {
            let Some(sharing) = Sharing::from_name(&to_lower(&value)) else {
                let message = format!("unsupported sharing value {}", quote(&value));
                return Err(suggest::wrap(message, &value, &Sharing::NAMES, true));
            };
            m.sharing = Some(sharing);
        }
        "mode" => m.mode = Some(number(&value, 8, "mode")?),
        "uid" => m.uid = Some(number(&value, 10, "uid")?),
        "gid" => m.gid = Some(number(&value, 10, "gid")?),
        "env" => m.env = Some(value),
        _ => {
            let message = format!("unexpected key '{key}' in '{field}'");
            return Err(suggest::wrap(message, key, &ALL_KEYS, true));
        }
    }
    Ok(())
}

/// BuildKit's checks after all fields are read.
fn validate(m: &mut Mount, ro_auto: bool) -> Result<(), String> {
    let kind = m.kind;
    if !matches!(kind, MountType::Secret | MountType::Ssh | MountType::Cache) {
        for (what, set) in [
            ("mode", m.mode.is_some()),
            ("uid", m.uid.is_some()),
            ("gid", m.gid.is_some()),
        ] {
            if set {
                return Err(format!(
                    "{what} not allowed for {} type mounts",
                    quote(kind.as_str())
                ));
            }
        }
    }
    if ro_auto {
        m.read_only = !matches!(kind, MountType::Cache | MountType::Tmpfs);
    }
    if kind == MountType::Secret {
        if m.from.is_some() {
            return Err("secret mount should not have a from".into());
        }
        if m.sharing.is_some() {
            return Err("secret mount should not define sharing".into());
        }
        if m.source.is_none() && m.target.is_none() && m.id.is_none() {
            return Err("invalid secret mount. one of source, target required".into());
        }
        if m.source.is_some() && m.id.is_some() {
            return Err("both source and id can't be set".into());
        }
    }
    if m.sharing.is_some() && kind != MountType::Cache {
        return Err(format!(
            "invalid cache sharing set for {} mount",
            kind.as_str()
        ));
    }
    Ok(())
}

/// BuildKit's `parseMount` with an expander: every `key=value` value is
/// expanded (errors from `expand` are returned as they are), then checked.
/// Fields are applied in order, so `required,type=secret` fails while
/// `type=secret,required` does not.
pub fn parse_mount(
    raw: &str,
    expand: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Mount, String> {
    parse_mount_field(raw, expand).map_err(|(message, _)| message)
}

/// [`parse_mount`], with the field at fault (as CSV reads it) when the
/// error is about one field rather than the whole mount.
pub fn parse_mount_field(
    raw: &str,
    expand: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Mount, (String, Option<String>)> {
    let fields =
        csv::fields(raw).map_err(|e| (format!("failed to parse csv mounts: {e}"), None))?;
    let mut m = Mount {
        kind: MountType::Bind,
        from: None,
        source: None,
        target: None,
        read_only: false,
        required: false,
        size_limit: None,
        id: None,
        sharing: None,
        mode: None,
        uid: None,
        gid: None,
        env: None,
    };
    let mut ro_auto = true;
    for field in &fields {
        let at = |message: String| (message, Some(field.clone()));
        match field.split_once('=') {
            None => bare_keyword(&mut m, &mut ro_auto, &to_lower(field), field).map_err(at)?,
            Some((key, value)) => {
                let value = expand(value).map_err(at)?;
                apply(&mut m, &mut ro_auto, &to_lower(key), value, field).map_err(at)?;
            }
        }
    }
    validate(&mut m, ro_auto).map_err(|message| (message, None))?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Mount, String> {
        parse_mount(raw, &mut |s: &str| Ok(s.to_string()))
    }

    #[test]
    fn parse_time_check() {
        let spec =
            check_mount("type=cache,target=/root/.cache").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(spec.fields, ["type=cache", "target=/root/.cache"]);
        assert!(check_mount("type=bind,from=$").is_ok());
        assert!(check_mount("from=a$").is_ok());
        assert!(check_mount("type=nonsense,foo=bar,ro").is_ok());
        assert!(check_mount("source=$X").is_ok());
        let table = [
            ("", "failed to parse csv mounts: EOF"),
            (
                "type=bind,\"src=a",
                "failed to parse csv mounts: parse error on line 1, column 12: extraneous or missing \" in quoted-field",
            ),
            (
                "type=bind,src=\"a",
                "failed to parse csv mounts: parse error on line 1, column 15: bare \" in non-quoted field",
            ),
            (
                "src=a\"b",
                "failed to parse csv mounts: parse error on line 1, column 6: bare \" in non-quoted field",
            ),
            (
                "from=$STAGE",
                "'from' doesn't support variable expansion, define alias stage instead",
            ),
            (
                "FROM=${x}",
                "'from' doesn't support variable expansion, define alias stage instead",
            ),
            (
                "from=a$$",
                "'from' doesn't support variable expansion, define alias stage instead",
            ),
        ];
        for (raw, want) in table {
            assert_eq!(
                check_mount(raw).err().map(|(m, _)| m).as_deref(),
                Some(want),
                "{raw}"
            );
        }
    }

    #[test]
    fn accepted_mounts() {
        let m = parse(
            "type=cache,target=/root/.cache,id=pip,sharing=LOCKED,mode=0755,uid=1000,gid=1000",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.kind, MountType::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache"));
        assert_eq!(m.id.as_deref(), Some("pip"));
        assert_eq!(m.sharing, Some(Sharing::Locked));
        assert_eq!(
            (m.mode, m.uid, m.gid),
            (Some(0o755), Some(1000), Some(1000))
        );
        assert!(!m.read_only);

        let m = parse("target=/src").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.kind, MountType::Bind);
        assert!(m.read_only);
        let m = parse("type=bind,source=.,target=/src,rw").unwrap_or_else(|e| panic!("{e}"));
        assert!(!m.read_only);
        let m = parse("type=cache,target=/c,ro=true").unwrap_or_else(|e| panic!("{e}"));
        assert!(m.read_only);
        let m = parse("type=tmpfs,target=/t,size=64m").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.size_limit, Some(64 << 20));
        assert!(!m.read_only);
        let m = parse("type=secret,id=tok,env=TOKEN,required").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (m.id.as_deref(), m.env.as_deref(), m.required),
            (Some("tok"), Some("TOKEN"), true)
        );
        let m = parse("type=ssh,required=false").unwrap_or_else(|e| panic!("{e}"));
        assert!(!m.required);
        let m = parse("TYPE=SECRET,DST=/run/x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (m.kind, m.target.as_deref()),
            (MountType::Secret, Some("/run/x"))
        );
    }

    #[test]
    fn rejected_mounts() {
        let table = [
            ("type=volume", "unsupported mount type \"volume\""),
            (
                "type=cahce",
                "unsupported mount type \"cahce\" (did you mean cache?)",
            ),
            (
                "type=bind,foo=bar",
                "unexpected key 'foo' in 'foo=bar' (did you mean from?)",
            ),
            ("type=bind,zzzz=1", "unexpected key 'zzzz' in 'zzzz=1'"),
            (
                "type=bind,trget=/x",
                "unexpected key 'trget' in 'trget=/x' (did you mean target?)",
            ),
            (
                "required",
                "unexpected key 'required' for mount type 'bind'",
            ),
            (
                "required,type=secret,id=x",
                "unexpected key 'required' for mount type 'bind'",
            ),
            (
                "type=cache,required=true",
                "unexpected key 'required' for mount type 'cache'",
            ),
            (
                "type=bind,size=1m",
                "unexpected key 'size' for mount type 'bind'",
            ),
            ("type=tmpfs,size=lots", "invalid value for size: lots"),
            ("ro=maybe", "invalid value for ro: maybe"),
            ("readwrite=2", "invalid value for readwrite: 2"),
            (
                "type=secret,id=x,required=yes",
                "invalid value for required: yes",
            ),
            ("target", "invalid field 'target' must be a key=value pair"),
            (
                "type=cache,target=/c,mode=999",
                "invalid value 999 for mode",
            ),
            ("type=cache,target=/c,uid=-1", "invalid value -1 for uid"),
            ("type=cache,target=/c,gid=x", "invalid value x for gid"),
            (
                "type=bind,mode=0644",
                "mode not allowed for \"bind\" type mounts",
            ),
            (
                "type=tmpfs,uid=1",
                "uid not allowed for \"tmpfs\" type mounts",
            ),
            (
                "type=bind,gid=1",
                "gid not allowed for \"bind\" type mounts",
            ),
            (
                "type=secret,from=x,id=a",
                "secret mount should not have a from",
            ),
            (
                "type=secret,sharing=shared,id=a",
                "secret mount should not define sharing",
            ),
            (
                "type=secret",
                "invalid secret mount. one of source, target required",
            ),
            (
                "type=secret,source=a,id=b",
                "both source and id can't be set",
            ),
            (
                "type=bind,sharing=shared",
                "invalid cache sharing set for bind mount",
            ),
            (
                "type=cache,sharing=everyone",
                "unsupported sharing value \"everyone\"",
            ),
            (
                "type=cache,sharing=lockd",
                "unsupported sharing value \"lockd\" (did you mean locked?)",
            ),
            ("", "failed to parse csv mounts: EOF"),
        ];
        for (raw, want) in table {
            assert_eq!(parse(raw).err().as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn expander_sees_values_and_its_errors_pass_through() {
        let mut seen = Vec::new();
        let m = parse_mount("type=cache,target=$DIR,ro", &mut |s: &str| {
            seen.push(s.to_string());
            Ok(s.replace("$DIR", "/x"))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seen, ["cache", "$DIR"]);
        assert_eq!(m.target.as_deref(), Some("/x"));
        let err = parse_mount("target=${", &mut |_: &str| {
            Err("syntax error: missing '}'".into())
        });
        assert_eq!(err.err().as_deref(), Some("syntax error: missing '}'"));
    }
}
