//! `ENV`, `LABEL` and `ARG`: keys with values.

use super::InstructionError;
use super::command::{ArgDecl, KeyValue};
use super::request::Request;

/// BuildKit's `parseKvps` over the node layer's `key, value, separator`
/// triples.
fn key_values(req: &Request<'_>, keyword: &str) -> Result<Vec<KeyValue>, InstructionError> {
    if req.args.is_empty() {
        return Err(req.at_least_one(keyword));
    }
    if !req.args.len().is_multiple_of(3) {
        return Err(req.error(format!("Bad input to {keyword}, too many arguments")));
    }
    let mut out = Vec::with_capacity(req.args.len() / 3);
    for triple in req.args.chunks_exact(3) {
        let [key, value, delim] = triple else {
            continue;
        };
        if key.is_empty() {
            return Err(req.error(format!("{keyword} names can not be blank")));
        }
        out.push(KeyValue {
            key: key.clone(),
            value: value.clone(),
            no_delim: delim.is_empty(),
        });
    }
    Ok(out)
}

/// `ENV`: no flags, at least one pair, no blank key.
pub(crate) fn parse_env(req: &Request<'_>) -> Result<Vec<KeyValue>, InstructionError> {
    req.flags(&[])?;
    key_values(req, "ENV")
}

/// `LABEL`: no flags, at least one pair, no blank key.
pub(crate) fn parse_label(req: &Request<'_>) -> Result<Vec<KeyValue>, InstructionError> {
    req.flags(&[])?;
    key_values(req, "LABEL")
}

/// BuildKit's `getComment`: the text after `name ` in the first comment line
/// that starts with it.
pub(crate) fn get_comment(comments: &[String], name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    let prefix = format!("{name} ");
    comments
        .iter()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_default()
        .to_string()
}

/// `ARG`: flags are never checked; each word is `name` or `name=default`.
pub(crate) fn parse_arg(req: &Request<'_>) -> Result<Vec<ArgDecl>, InstructionError> {
    if req.args.is_empty() {
        return Err(req.at_least_one("ARG"));
    }
    let mut out = Vec::with_capacity(req.args.len());
    for (index, word) in req.args.iter().enumerate() {
        let (key, default) = match word.split_once('=') {
            Some(("", _)) => return Err(req.arg_error(index, "ARG names can not be blank")),
            Some((key, value)) => (key, Some(value.to_string())),
            None => (word.as_str(), None),
        };
        out.push(ArgDecl {
            key: key.to_string(),
            default,
            comment: get_comment(&req.node.prev_comment, key),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::command::CommandKind;
    use super::super::testutil::{check_errors, only, parse};
    use super::*;

    fn kv(key: &str, value: &str, no_delim: bool) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: value.into(),
            no_delim,
        }
    }

    fn arg(key: &str, default: Option<&str>, comment: &str) -> ArgDecl {
        ArgDecl {
            key: key.into(),
            default: default.map(Into::into),
            comment: comment.into(),
        }
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(
            only("ENV A=1 B=\"two words\""),
            CommandKind::Env(vec![kv("A", "1", false), kv("B", "\"two words\"", false)])
        );
        assert_eq!(
            only("ENV PATH  /a:/b  c"),
            CommandKind::Env(vec![kv("PATH", "/a:/b  c", true)])
        );
        assert_eq!(
            only("LABEL a=b \"c d\"=e"),
            CommandKind::Label(vec![kv("a", "b", false), kv("\"c d\"", "e", false)])
        );
        assert_eq!(only("ENV A="), CommandKind::Env(vec![kv("A", "", false)]));
        assert_eq!(
            only("ARG a b=1 c= d=x=y"),
            CommandKind::Arg(vec![
                arg("a", None, ""),
                arg("b", Some("1"), ""),
                arg("c", Some(""), ""),
                arg("d", Some("x=y"), ""),
            ])
        );
        // ARG never checks its flags.
        assert_eq!(
            only("ARG --required --x=1 V"),
            CommandKind::Arg(vec![arg("V", None, "")])
        );
    }

    #[test]
    fn arg_comments_and_meta_args() {
        let parsed = parse(
            "# VERSION the release to build\n# other note\nARG VERSION=1 OTHER\nFROM scratch",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.meta_args.len(), 1);
        assert_eq!(
            parsed.meta_args[0].kind,
            CommandKind::Arg(vec![
                arg("VERSION", Some("1"), "the release to build"),
                arg("OTHER", None, "")
            ])
        );
        assert_eq!(get_comment(&["a  b".into()], "a"), " b");
        assert_eq!(get_comment(&["a".into()], "a"), "");
        assert_eq!(get_comment(&["x y".into()], ""), "");
    }

    #[test]
    fn malformed_triples_are_an_error_not_a_panic() {
        let mut doc = crate::dockerfile::parse("FROM a\nENV a=b").unwrap_or_else(|e| panic!("{e}"));
        if let Some(node) = doc.nodes.get_mut(1) {
            node.args.pop();
        }
        let err = super::super::parse_instructions(&doc).err();
        assert_eq!(
            err.map(|e| (e.message, e.start_line)),
            Some(("Bad input to ENV, too many arguments".to_string(), 2))
        );
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("ENV", "ENV requires at least one argument"),
            ("LABEL", "LABEL requires at least one argument"),
            ("ENV =x", "ENV names can not be blank"),
            ("LABEL a=b =c", "LABEL names can not be blank"),
            ("ENV --x A=1", "unknown flag: --x"),
            ("LABEL --y a=b", "unknown flag: --y"),
            // Flags are checked before arity.
            ("ENV --x", "unknown flag: --x"),
            ("ARG", "ARG requires at least one argument"),
            ("ARG =x", "ARG names can not be blank"),
            ("ARG a =x", "ARG names can not be blank"),
        ]);
    }
}
