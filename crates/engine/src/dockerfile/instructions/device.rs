//! `RUN --device=<name>[,required[=bool]]` (BuildKit's `ParseDevice`).

use serde::Serialize;

use super::csv;
use super::goconv::parse_bool;
use super::suggest;
use crate::dockerfile::gotext::to_lower;

/// A device made available to a `RUN` (a CDI name such as
/// `vendor.com/class=name`, or a path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// The device name as written.
    pub name: String,
    /// Whether the build fails when the device is missing.
    pub required: bool,
}

/// BuildKit's `ParseDevice`.
pub fn parse_device(raw: &str) -> Result<Device, String> {
    parse_device_at(raw).map_err(|(m, _)| m)
}

/// [`parse_device`], with the bytes of `raw` a CSV error is at.
pub fn parse_device_at(raw: &str) -> Result<Device, (String, Option<(usize, usize)>)> {
    let fields =
        csv::fields(raw).map_err(|e| (format!("failed to parse csv devices: {e}"), e.range()))?;
    device_of(&fields).map_err(|m| (m, None))
}

/// The device the fields of `--device` name.
fn device_of(fields: &[String]) -> Result<Device, String> {
    let mut d = Device {
        name: String::new(),
        required: false,
    };
    for field in fields {
        let Some((key, value)) = field.split_once('=') else {
            if to_lower(field) == "required" {
                d.required = true;
            } else if d.name.is_empty() {
                d.name.clone_from(field);
            } else {
                return Err(format!("invalid field '{field}' must be a key=value pair"));
            }
            continue;
        };
        let key = to_lower(key);
        match key.as_str() {
            "name" => {
                if !d.name.is_empty() {
                    return Err(format!("device name already set to {}", d.name));
                }
                d.name = value.to_string();
            }
            "required" => {
                d.required =
                    parse_bool(value).map_err(|_| format!("invalid value for {key}: {value}"))?;
            }
            _ if d.name.is_empty() => d.name.clone_from(field),
            _ => {
                let message = format!("unexpected key '{key}' in '{field}'");
                return Err(suggest::wrap(message, &key, &["name", "required"], true));
            }
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, required: bool) -> Device {
        Device {
            name: name.into(),
            required,
        }
    }

    #[test]
    fn accepted() {
        let table = [
            ("/dev/fuse", dev("/dev/fuse", false)),
            ("/dev/fuse,required", dev("/dev/fuse", true)),
            ("vendor.com/gpu=all", dev("vendor.com/gpu=all", false)),
            (
                "name=vendor.com/gpu=0,required=true",
                dev("vendor.com/gpu=0", true),
            ),
            ("required=false,name=x", dev("x", false)),
            ("REQUIRED", dev("", true)),
        ];
        for (raw, want) in table {
            assert_eq!(parse_device(raw), Ok(want), "{raw}");
        }
    }

    #[test]
    fn rejected() {
        let table = [
            ("", "failed to parse csv devices: EOF"),
            (
                "a\"b",
                "failed to parse csv devices: parse error on line 1, column 2: bare \" in non-quoted field",
            ),
            ("a,b", "invalid field 'b' must be a key=value pair"),
            ("a,name=b", "device name already set to a"),
            ("a,required=maybe", "invalid value for required: maybe"),
            (
                "a,nme=b",
                "unexpected key 'nme' in 'nme=b' (did you mean name?)",
            ),
            ("a,x=1", "unexpected key 'x' in 'x=1'"),
        ];
        for (raw, want) in table {
            assert_eq!(parse_device(raw).err().as_deref(), Some(want), "{raw}");
        }
    }
}
