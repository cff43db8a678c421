//! Argument grammars per keyword (BuildKit's line parsers).

use super::gotext::is_space;
use super::json_form::{JsonForm, NOT_STRINGS_MESSAGE, parse_json_array};
use super::node::Keyword;
use super::split::{split_blanks, split_blanks_once};
use super::words::parse_words;

/// The arguments of one instruction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    /// The values, in BuildKit's order.
    pub values: Vec<String>,
    /// Whether they came from JSON form.
    pub json: bool,
}

impl Args {
    fn shell(values: Vec<String>) -> Self {
        Self {
            values,
            json: false,
        }
    }
}

/// Why arguments do not parse: BuildKit's message and the text it is
/// about, a slice of the arguments (a JSON array, a word without `=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError<'a> {
    /// BuildKit's message.
    pub message: String,
    /// The text at fault.
    pub at: &'a str,
}

/// Parses `rest` (flags removed, trimmed) for `keyword`. `ONBUILD` is
/// handled by the caller, which parses its trigger as a whole line.
/// Errors are BuildKit's messages.
pub fn parse_args(keyword: Keyword, rest: &str, escape: char) -> Result<Args, ArgsError<'_>> {
    let at_rest = |message: String| ArgsError { message, at: rest };
    let result = match keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            maybe_json(rest).map_err(Fault::Rest)
        }
        Keyword::Add | Keyword::Copy | Keyword::Volume => {
            maybe_json_list(rest).map_err(Fault::Rest)
        }
        Keyword::Healthcheck => health_config(rest).map_err(Fault::Rest),
        Keyword::Env => name_val(rest, "ENV", escape),
        Keyword::Label => name_val(rest, "LABEL", escape),
        Keyword::Arg => Ok(Args::shell(
            parse_words(rest, escape)
                .into_iter()
                .map(str::to_string)
                .collect(),
        )),
        Keyword::From | Keyword::Expose => Ok(Args::shell(blank_list(rest))),
        Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
            Ok(Args::shell(string(rest)))
        }
        Keyword::Onbuild => Ok(Args::default()),
        Keyword::Unknown => Ok(Args::shell(vec![String::new()])),
    };
    result.map_err(|e| match e {
        Fault::Rest(message) => at_rest(message),
        Fault::Word(message, at) => ArgsError { message, at },
    })
}

/// What a grammar rejects: the arguments as a whole, or one word of them.
enum Fault<'a> {
    Rest(String),
    Word(String, &'a str),
}

fn string(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![rest.to_string()]
    }
}

fn blank_list(rest: &str) -> Vec<String> {
    split_blanks(rest).map(str::to_string).collect()
}

/// `parseMaybeJSON`: exec form, or the whole text as one value.
fn maybe_json(rest: &str) -> Result<Args, String> {
    if rest.is_empty() {
        return Ok(Args::default());
    }
    match parse_json_array(rest) {
        JsonForm::Strings(values) => Ok(Args { values, json: true }),
        JsonForm::NotStrings => Err(NOT_STRINGS_MESSAGE.to_string()),
        JsonForm::NotJson => Ok(Args::shell(vec![rest.to_string()])),
    }
}

/// `parseMaybeJSONToList`: exec form, or the text split on blanks.
fn maybe_json_list(rest: &str) -> Result<Args, String> {
    match parse_json_array(rest) {
        JsonForm::Strings(values) => Ok(Args { values, json: true }),
        JsonForm::NotStrings => Err(NOT_STRINGS_MESSAGE.to_string()),
        JsonForm::NotJson => Ok(Args::shell(blank_list(rest))),
    }
}

/// `parseHealthConfig`: a type word, then the command in maybe-JSON form.
/// Like BuildKit it tests bytes for space, so a 0x85 or 0xA0 byte inside a
/// multi-byte character ends the type word too.
fn health_config(rest: &str) -> Result<Args, String> {
    let bytes = rest.as_bytes();
    let is_space_byte = |b: &u8| is_space(char::from(*b));
    let sep = bytes.iter().position(is_space_byte).unwrap_or(bytes.len());
    if sep == 0 {
        return Ok(Args::default());
    }
    let next = bytes
        .iter()
        .skip(sep)
        .position(|b| !is_space_byte(b))
        .map_or(bytes.len(), |i| sep + i);
    let typ = lossy(bytes.get(..sep));
    let command = maybe_json(&lossy(bytes.get(next..)))?;
    let mut values = Vec::with_capacity(1 + command.values.len());
    values.push(typ);
    values.extend(command.values);
    Ok(Args {
        values,
        json: command.json,
    })
}

fn lossy(bytes: Option<&[u8]>) -> String {
    String::from_utf8_lossy(bytes.unwrap_or_default()).into_owned()
}

/// `parseNameVal` for `ENV` and `LABEL`: `key value` or `k=v k2=v2`.
fn name_val<'a>(rest: &'a str, key: &str, escape: char) -> Result<Args, Fault<'a>> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Args::default());
    };
    if !first.contains('=') {
        return match split_blanks_once(rest) {
            Some((name, value)) => Ok(Args::shell(vec![
                name.to_string(),
                value.to_string(),
                String::new(),
            ])),
            None => Err(Fault::Rest(format!("{key} must have two arguments"))),
        };
    }
    let mut values = Vec::with_capacity(words.len() * 3);
    for word in &words {
        let Some((name, value)) = word.split_once('=') else {
            return Err(Fault::Word(
                format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    super::gotext::quote(word)
                ),
                word,
            ));
        };
        values.push(name.to_string());
        values.push(value.to_string());
        values.push("=".to_string());
    }
    Ok(Args::shell(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(keyword: Keyword, rest: &str) -> (Vec<String>, bool) {
        let args = parse_args(keyword, rest, '\\').unwrap_or_else(|e| panic!("{rest}: {e:?}"));
        (args.values, args.json)
    }

    #[test]
    fn errors_name_the_text_at_fault() {
        let at = |keyword, rest| parse_args(keyword, rest, '\\').err().map(|e| e.at);
        assert_eq!(at(Keyword::Env, "A=1 B C=2"), Some("B"));
        assert_eq!(at(Keyword::Cmd, "[1]"), Some("[1]"));
    }

    #[test]
    fn grammars_per_keyword() {
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let table: &[(Keyword, &str, Vec<String>, bool)] = &[
            (Keyword::Run, "echo hi", v(&["echo hi"]), false),
            (Keyword::Run, r#"["echo", "hi"]"#, v(&["echo", "hi"]), true),
            (Keyword::Cmd, "[]", v(&[]), true),
            (Keyword::Cmd, "", v(&[]), false),
            (Keyword::Copy, r#"["a b", "/d"]"#, v(&["a b", "/d"]), true),
            (
                Keyword::Copy,
                r#""a b" /d"#,
                v(&["\"a", "b\"", "/d"]),
                false,
            ),
            (Keyword::Volume, "/a\t/b", v(&["/a", "/b"]), false),
            (Keyword::From, "img AS x", v(&["img", "AS", "x"]), false),
            (Keyword::Expose, r#"["80"]"#, v(&[r#"["80"]"#]), false),
            (Keyword::Expose, "80 # web", v(&["80", "#", "web"]), false),
            (Keyword::Workdir, "/a b", v(&["/a b"]), false),
            (Keyword::Env, "A  b   c", v(&["A", "b   c", ""]), false),
            (
                Keyword::Env,
                r#"A=1 B="x y""#,
                v(&["A", "1", "=", "B", r#""x y""#, "="]),
                false,
            ),
            (
                Keyword::Label,
                r#""a b"=c"#,
                v(&[r#""a b""#, "c", "="]),
                false,
            ),
            (Keyword::Env, "=x", v(&["", "x", "="]), false),
            (
                Keyword::Arg,
                r#"A B=2 C="x y""#,
                v(&["A", "B=2", r#"C="x y""#]),
                false,
            ),
            (
                Keyword::Healthcheck,
                "CMD curl x",
                v(&["CMD", "curl x"]),
                false,
            ),
            (
                Keyword::Healthcheck,
                r#"CMD ["curl", "x"]"#,
                v(&["CMD", "curl", "x"]),
                true,
            ),
            (Keyword::Healthcheck, "NONE", v(&["NONE"]), false),
            (Keyword::Healthcheck, "", v(&[]), false),
            (Keyword::Unknown, "whatever", v(&[""]), false),
            (Keyword::Unknown, "", v(&[""]), false),
        ];
        for (keyword, rest, want, json) in table {
            assert_eq!(
                values(*keyword, rest),
                (want.clone(), *json),
                "{keyword:?} {rest:?}"
            );
        }
    }

    #[test]
    fn grammar_errors_are_buildkit_s() {
        let table = [
            (Keyword::Env, "PATH", "ENV must have two arguments"),
            (Keyword::Label, "a", "LABEL must have two arguments"),
            (
                Keyword::Env,
                "A=1 B",
                r#"Syntax error - can't find = in "B". Must be of the form: name=value"#,
            ),
            (
                Keyword::Cmd,
                r#"[ "echo", [ "nested json" ] ]"#,
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            (
                Keyword::Healthcheck,
                "CMD [1]",
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
        ];
        for (keyword, rest, want) in table {
            assert_eq!(
                parse_args(keyword, rest, '\\').map_err(|e| e.message),
                Err(want.to_string()),
                "{rest}"
            );
        }
    }
}
