//! `FROM`: the start of a build stage.

use serde::Serialize;

use super::InstructionError;
use super::command::Command;
use super::flags::FlagKind;
use super::kv::get_comment;
use super::request::Request;
use crate::dockerfile::gotext::{equal_fold, quote, to_lower};

/// A Dockerfile's typed instructions, grouped into stages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Instructions {
    /// The `ARG` commands before the first `FROM` (meta args).
    pub meta_args: Vec<Command>,
    /// The build stages in order.
    pub stages: Vec<Stage>,
}

/// A build stage: a `FROM` and the commands up to the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// Position among the stages (0-based; `COPY --from=0` refers to it).
    pub index: usize,
    /// `AS name`, lower-cased.
    pub name: Option<String>,
    /// The image or stage reference as written (not expanded).
    pub base: String,
    /// `--platform` as written (not expanded).
    pub platform: Option<String>,
    /// Index of the `FROM` node in [`crate::dockerfile::Document::nodes`].
    pub node: usize,
    /// First line of the `FROM`.
    pub start_line: usize,
    /// Last line of the `FROM`.
    pub end_line: usize,
    /// The stage's description from the comment above (`# name does this`).
    pub comment: String,
    /// The stage's commands in order.
    pub commands: Vec<Command>,
}

/// `^[a-z][a-z0-9-_.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// BuildKit's `parseBuildStageName`: `image` or `image AS name`.
fn stage_name(req: &Request<'_>) -> Result<Option<String>, InstructionError> {
    match &*req.args {
        [_, as_word, name] if equal_fold(as_word, "as") => {
            let lower = to_lower(name);
            if !valid_stage_name(&lower) {
                return Err(req.arg_error(
                    2,
                    format!(
                        "invalid name for build stage: {}, name can't start with a number or contain symbols",
                        quote(name)
                    ),
                ));
            }
            Ok(Some(lower))
        }
        [_] => Ok(None),
        // The word that makes the count wrong: a second one, or a fourth.
        [] => Err(req.error("FROM requires either one or three arguments")),
        [_, _] | [_, _, _] => Err(req.arg_error(1, "FROM requires either one or three arguments")),
        _ => Err(req.arg_error(3, "FROM requires either one or three arguments")),
    }
}

/// BuildKit's `parseFrom`. The stage's `index` is set by the caller.
pub(crate) fn parse_from(req: &Request<'_>, node: usize) -> Result<Stage, InstructionError> {
    let name = stage_name(req)?;
    let flags = req.flags(&[("platform", FlagKind::String)])?;
    Ok(Stage {
        index: 0,
        comment: get_comment(&req.node.prev_comment, name.as_deref().unwrap_or_default()),
        name,
        base: req.args.first().cloned().unwrap_or_default(),
        platform: flags.string("platform"),
        node,
        start_line: req.node.start_line,
        end_line: req.node.end_line,
        commands: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{error, parse};
    use super::*;

    #[test]
    fn stages() {
        let text = "ARG BASE=alpine\n# builder compiles things\nFROM --platform=$BUILDPLATFORM golang:1.22 AS Builder\nRUN go build\n\nfrom ${BASE} as run-time_2.x\nCOPY --from=builder /a /a\nFROM scratch";
        let parsed = parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.meta_args.len(), 1);
        let [a, b, c] = parsed.stages.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(
            (a.index, a.name.as_deref(), a.base.as_str()),
            (0, Some("builder"), "golang:1.22")
        );
        assert_eq!(a.platform.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!((a.node, a.start_line, a.end_line), (1, 3, 3));
        assert_eq!(a.comment, "compiles things");
        assert_eq!(a.commands.len(), 1);
        assert_eq!(
            (b.index, b.name.as_deref(), b.base.as_str()),
            (1, Some("run-time_2.x"), "${BASE}")
        );
        assert_eq!((b.platform.as_deref(), b.comment.as_str()), (None, ""));
        assert_eq!((c.index, c.name.as_deref(), c.commands.len()), (2, None, 0));
    }

    #[test]
    fn names() {
        for ok in ["a", "a1", "a-b_c.d", "z9"] {
            assert!(valid_stage_name(ok), "{ok}");
        }
        for bad in ["", "1a", "-a", "a/b", "a b", "é", "A"] {
            assert!(!valid_stage_name(bad), "{bad}");
        }
        // The Kelvin sign lower-cases to `k`, so it names stage `k`.
        let parsed = parse("FROM a AS \u{212a}").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.stages[0].name.as_deref(), Some("k"));
    }

    #[test]
    fn errors() {
        let table = [
            ("FROM", "FROM requires either one or three arguments"),
            ("FROM a b", "FROM requires either one or three arguments"),
            ("FROM a TO b", "FROM requires either one or three arguments"),
            (
                "FROM a AS b c",
                "FROM requires either one or three arguments",
            ),
            (
                "FROM a AS 1st",
                "invalid name for build stage: \"1st\", name can't start with a number or contain symbols",
            ),
            (
                "FROM a AS b/c",
                "invalid name for build stage: \"b/c\", name can't start with a number or contain symbols",
            ),
            (
                "FROM a AS $NAME",
                "invalid name for build stage: \"$NAME\", name can't start with a number or contain symbols",
            ),
            (
                "FROM --platfrom=x a",
                "unknown flag: --platfrom (did you mean platform?)",
            ),
            ("FROM --platform a", "missing a value on flag: --platform"),
            // The name is checked before flags.
            (
                "FROM --bogus a AS 1",
                "invalid name for build stage: \"1\", name can't start with a number or contain symbols",
            ),
        ];
        for (text, want) in table {
            assert_eq!(error(text), (want.to_string(), 1), "{text}");
        }
        assert_eq!(
            error("FROM a\n\nFROM \\\n  b c"),
            ("FROM requires either one or three arguments".into(), 3)
        );
    }
}
