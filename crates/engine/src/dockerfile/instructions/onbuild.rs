//! `ONBUILD <instruction>`.

use super::InstructionError;
use super::command::OnbuildCommand;
use super::goconv::to_upper;
use super::request::Request;
use crate::dockerfile::Keyword;
use crate::dockerfile::gotext::trim_space;

/// Go RE2's `\s`.
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// The line without BuildKit's `(?i)^\s*ONBUILD\s*`; unchanged if it does
/// not match.
fn strip_onbuild(original: &str) -> &str {
    let rest = original.trim_start_matches(is_re_space);
    match (rest.get(..7), rest.get(7..)) {
        (Some(word), Some(after)) if word.eq_ignore_ascii_case("ONBUILD") => {
            after.trim_start_matches(is_re_space)
        }
        _ => original,
    }
}

/// BuildKit's `parseOnBuild`: the trigger is checked by keyword only and
/// stored as text.
pub(crate) fn parse_onbuild(req: &Request<'_>) -> Result<OnbuildCommand, InstructionError> {
    let Some(first) = req.args.first() else {
        return Err(req.at_least_one("ONBUILD"));
    };
    req.flags(&[])?;
    let trigger = to_upper(trim_space(first));
    match trigger.as_str() {
        "ONBUILD" => {
            return Err(req.arg_error(0, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"));
        }
        "MAINTAINER" | "FROM" => {
            return Err(req.arg_error(0, format!("{trigger} isn't allowed as an ONBUILD trigger")));
        }
        _ => {}
    }
    let mut expression = strip_onbuild(&req.node.original).to_string();
    for doc in &req.node.heredocs {
        expression.push('\n');
        expression.push_str(&doc.content);
        expression.push_str(&doc.name);
    }
    let node_trigger = req.node.trigger();
    Ok(OnbuildCommand {
        expression,
        trigger: node_trigger.map_or(Keyword::Unknown, |t| t.kind),
        trigger_keyword: node_trigger.map(|t| t.keyword.clone()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod prefix_tests {
    use super::*;

    #[test]
    fn prefix_removal() {
        assert_eq!(strip_onbuild("ONBUILD RUN x"), "RUN x");
        assert_eq!(strip_onbuild("onbuild\tRUN x"), "RUN x");
        assert_eq!(strip_onbuild("OnBuild  ADD . /app"), "ADD . /app");
        assert_eq!(strip_onbuild("ONBUILDRUN"), "RUN");
        assert_eq!(strip_onbuild("ONBUİLD RUN x"), "ONBUİLD RUN x");
        assert_eq!(strip_onbuild("ONBUILD\u{a0}RUN"), "\u{a0}RUN");
    }
}

#[cfg(test)]
mod onbuild_tests {
    use super::super::command::CommandKind;
    use super::super::testutil::{check_errors, only};
    use super::*;

    fn onbuild(text: &str) -> OnbuildCommand {
        match only(text) {
            CommandKind::Onbuild(o) => o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accepted_forms() {
        let o = onbuild("ONBUILD RUN --bogus make");
        assert_eq!(o.expression, "RUN --bogus make");
        assert_eq!(
            (o.trigger, o.trigger_keyword.as_str()),
            (Keyword::Run, "RUN")
        );
        let o = onbuild("onbuild  add . /app");
        assert_eq!(
            (o.expression.as_str(), o.trigger),
            ("add . /app", Keyword::Add)
        );
        let o = onbuild("ONBUILD RUN <<EOF\necho hi\nEOF");
        assert_eq!(o.expression, "RUN <<EOF\necho hi\nEOF");
        let o = onbuild("ONBUILD COPY <<A <<B /d\na\nA\nb\nB");
        assert_eq!(o.expression, "COPY <<A <<B /d\na\nA\nb\nB");
        let o = onbuild("ONBUILD FOO bar");
        assert_eq!(
            (o.trigger, o.trigger_keyword.as_str()),
            (Keyword::Unknown, "FOO")
        );
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("ONBUILD", "ONBUILD requires at least one argument"),
            ("ONBUILD --x", "ONBUILD requires at least one argument"),
            ("ONBUILD --x RUN y", "unknown flag: --x"),
            (
                "ONBUILD ONBUILD RUN x",
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            (
                "ONBUILD onbuild",
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            ("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
            ("ONBUILD from x", "FROM isn't allowed as an ONBUILD trigger"),
            (
                "ONBUILD Maintainer me",
                "MAINTAINER isn't allowed as an ONBUILD trigger",
            ),
        ]);
    }
}
