//! BuildKit's `BFlags`: the `--name[=value]` flags of one instruction.

use super::suggest;
use crate::dockerfile::gotext::to_lower;

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// `--x`, `--x=true|false` (any case).
    Bool,
    /// `--x=value` once.
    String,
    /// `--x=value`, repeatable.
    Strings,
}

/// One parsed flag's state.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    name: &'static str,
    kind: FlagKind,
    used: bool,
    value: String,
    values: Vec<String>,
}

/// The flags of one instruction after [`parse_flags`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flags {
    slots: Vec<Slot>,
    used: Vec<String>,
}

impl Flags {
    fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// A string flag's value, `None` when the flag was not given.
    pub fn string(&self, name: &str) -> Option<String> {
        self.slot(name).filter(|s| s.used).map(|s| s.value.clone())
    }

    /// A bool flag's value (`false` when not given).
    pub fn bool(&self, name: &str) -> bool {
        self.slot(name).is_some_and(|s| s.used && s.value == "true")
    }

    /// A bool flag's value, `None` when the flag was not given.
    pub fn bool_if_used(&self, name: &str) -> Option<bool> {
        self.slot(name)
            .filter(|s| s.used)
            .map(|s| s.value == "true")
    }

    /// A repeatable flag's values in order.
    pub fn strings(&self, name: &str) -> Vec<String> {
        self.slot(name)
            .map(|s| s.values.clone())
            .unwrap_or_default()
    }

    /// The names of the flags given, in order of first use.
    pub fn used(&self) -> Vec<String> {
        self.used.clone()
    }
}

/// BuildKit's `BFlags.Parse`: checks `raw` (as the node layer keeps them,
/// `--name=value`) against the accepted `spec`; errors are BuildKit's,
/// with the index in `raw` of the flag at fault.
pub fn parse_flags(
    raw: &[String],
    spec: &[(&'static str, FlagKind)],
) -> Result<Flags, (usize, String)> {
    // No flags (most instructions): every question about one answers "not
    // given", as the empty set does.
    if raw.is_empty() {
        return Ok(Flags::default());
    }
    let mut flags = Flags {
        slots: spec
            .iter()
            .map(|&(name, kind)| Slot {
                name,
                kind,
                used: false,
                // Read only once the flag is used.
                value: String::new(),
                values: Vec::new(),
            })
            .collect(),
        used: Vec::new(),
    };
    for (index, word) in raw.iter().enumerate() {
        read_flag(&mut flags, word, spec).map_err(|m| (index, m))?;
        if word == "--" {
            break;
        }
    }
    Ok(flags)
}

/// Reads one flag word into `flags`.
fn read_flag(
    flags: &mut Flags,
    word: &str,
    spec: &[(&'static str, FlagKind)],
) -> Result<(), String> {
    {
        if word == "--" {
            // Everything after a bare `--` is an operand.
            return Ok(());
        }
        let Some(body) = word.strip_prefix("--") else {
            return Err(format!("arg should start with -- : {word}"));
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let Some(slot) = flags.slots.iter_mut().find(|s| s.name == name) else {
            let mut options: Vec<&str> = spec.iter().map(|&(n, _)| n).collect();
            options.sort_unstable();
            return Err(suggest::wrap(
                format!("unknown flag: --{name}"),
                name,
                &options,
                true,
            ));
        };
        if slot.used && slot.kind != FlagKind::Strings {
            return Err(format!("duplicate flag specified: --{name}"));
        }
        if !slot.used {
            flags.used.push(name.to_string());
        }
        slot.used = true;
        match (slot.kind, value) {
            (FlagKind::Bool, Some("")) => {
                return Err(format!("missing a value on flag: --{name}"));
            }
            (FlagKind::Bool, value) => {
                let value = value.unwrap_or_default();
                slot.value = match to_lower(value).as_str() {
                    "true" | "" => "true".into(),
                    "false" => "false".into(),
                    _ => {
                        return Err(format!(
                            "expecting boolean value for flag --{name}, not: {value}"
                        ));
                    }
                };
            }
            (FlagKind::String | FlagKind::Strings, None) => {
                return Err(format!("missing a value on flag: --{name}"));
            }
            (FlagKind::String, Some(v)) => slot.value = v.to_string(),
            (FlagKind::Strings, Some(v)) => slot.values.push(v.to_string()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[(&str, FlagKind)] = &[
        ("chown", FlagKind::String),
        ("chmod", FlagKind::String),
        ("link", FlagKind::Bool),
        ("exclude", FlagKind::Strings),
    ];

    fn run(words: &[&str]) -> Result<Flags, String> {
        let raw: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        parse_flags(&raw, SPEC).map_err(|e| e.1)
    }

    #[test]
    fn accepted_forms() {
        let f = run(&["--chown=1:2", "--link", "--exclude=a", "--exclude=b"]).unwrap_or_default();
        assert_eq!(f.string("chown").as_deref(), Some("1:2"));
        assert_eq!(f.string("chmod"), None);
        assert!(f.bool("link"));
        assert_eq!(f.strings("exclude"), ["a", "b"]);
        assert_eq!(f.used(), ["chown", "link", "exclude"]);
        let f = run(&["--link=FALSE", "--chmod="]).unwrap_or_default();
        assert!(!f.bool("link"));
        assert_eq!(f.bool_if_used("link"), Some(false));
        assert_eq!(f.string("chmod").as_deref(), Some(""));
        let f = run(&["--link=True"]).unwrap_or_default();
        assert!(f.bool("link"));
        // A bare `--` ends flag checking.
        assert!(run(&["--", "--nonsense"]).is_ok());
    }

    #[test]
    fn errors() {
        let table = [
            (&["--user=me"][..], "unknown flag: --user"),
            (
                &["--chow=1"][..],
                "unknown flag: --chow (did you mean chown?)",
            ),
            (&["--Link"][..], "unknown flag: --Link (did you mean link?)"),
            (
                &["--chown=a", "--chown=b"][..],
                "duplicate flag specified: --chown",
            ),
            (
                &["--link", "--link=false"][..],
                "duplicate flag specified: --link",
            ),
            (&["--link="][..], "missing a value on flag: --link"),
            (&["--chown"][..], "missing a value on flag: --chown"),
            (&["--exclude"][..], "missing a value on flag: --exclude"),
            (
                &["--link=yes"][..],
                "expecting boolean value for flag --link, not: yes",
            ),
            (&["-x"][..], "arg should start with -- : -x"),
            (&["--doit=true", "--chown"][..], "unknown flag: --doit"),
        ];
        for (words, want) in table {
            assert_eq!(run(words).err().as_deref(), Some(want), "{words:?}");
        }
    }
}
