//! Tests of the whole layer: dispatch, stage structure, error display.

use super::testutil::{error, parse};
use super::*;
use crate::dockerfile::{self, Keyword};

#[test]
fn unknown_instructions() {
    let table = [
        (
            "FROM a\nFORM b",
            "unknown instruction: FORM (did you mean FROM?)",
            2,
        ),
        (
            "FROM a\nform b",
            "unknown instruction: form (did you mean from?)",
            2,
        ),
        (
            "FROM a\nFrm b",
            "unknown instruction: Frm (did you mean from?)",
            2,
        ),
        (
            "FROM a\nRUNN x",
            "unknown instruction: RUNN (did you mean RUN?)",
            2,
        ),
        (
            "FROM a\nCOPPY a b",
            "unknown instruction: COPPY (did you mean COPY?)",
            2,
        ),
        ("FROM a\nXYZZY", "unknown instruction: XYZZY", 2),
        ("FROM a\nNPM install", "unknown instruction: NPM", 2),
        // Checked before the stage structure.
        (
            "FORM a",
            "unknown instruction: FORM (did you mean FROM?)",
            1,
        ),
        (
            "FROM\u{a0}a",
            "unknown instruction: FROM\u{a0}a (did you mean from?)",
            1,
        ),
    ];
    for (text, want, line) in table {
        assert_eq!(error(text), (want.to_string(), line), "{text:?}");
    }
}

#[test]
fn stage_structure() {
    let table = [
        ("RUN x\nFROM a", 1),
        ("ARG A\nENV B=1\nFROM a", 2),
        ("# c\n\nONBUILD RUN x", 3),
        ("LABEL a=b", 1),
    ];
    for (text, line) in table {
        assert_eq!(
            error(text),
            ("no build stage in current context".into(), line),
            "{text:?}"
        );
    }
    // A parse error of a node before FROM wins over the missing stage.
    assert_eq!(error("RUN --bogus x"), ("unknown flag: --bogus".into(), 1));
    // Only the first error is reported.
    assert_eq!(error("FROM a\nCOPY a\nRUN --x y"), ("COPY requires at least two arguments, but only one was provided. Destination could not be determined".into(), 2));

    let parsed = parse("ARG A\nARG B=2\nFROM a\nARG C\nRUN x").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.meta_args.len(), 2);
    assert_eq!(
        (parsed.meta_args[1].node, parsed.meta_args[1].start_line),
        (1, 2)
    );
    let stage = &parsed.stages[0];
    assert_eq!(stage.commands.len(), 2);
    assert_eq!(stage.commands[0].kind.keyword(), Keyword::Arg);
    assert_eq!(
        (stage.commands[1].node, stage.commands[1].start_line),
        (4, 5)
    );
}

#[test]
fn command_lines_span_heredocs_and_continuations() {
    let parsed =
        parse("FROM a\nRUN <<EOF\necho 1\nEOF\nRUN a \\\n  b\n").unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<_> = parsed.stages[0]
        .commands
        .iter()
        .map(|c| (c.node, c.start_line, c.end_line))
        .collect();
    assert_eq!(lines, [(1, 2, 4), (2, 5, 6)]);
}

#[test]
fn display_is_buildkits() {
    let doc = dockerfile::parse("FROM a\n\nCOPY --bad a b").unwrap_or_else(|e| panic!("{e}"));
    let err = parse_instructions(&doc)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        err.to_string(),
        "dockerfile parse error on line 3: unknown flag: --bad"
    );
    assert_eq!(
        (err.start_line, err.end_line, err.parse_error),
        (3, 3, true)
    );
    let doc = dockerfile::parse("RUN \\\n x\nFROM a").unwrap_or_else(|e| panic!("{e}"));
    let err = parse_instructions(&doc)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(err.to_string(), "no build stage in current context");
    assert_eq!(
        (err.start_line, err.end_line, err.parse_error),
        (1, 2, false)
    );
}

#[test]
fn parse_command_reads_one_node() {
    let doc = dockerfile::parse("RUN echo\nFROM a AS b").unwrap_or_else(|e| panic!("{e}"));
    let Ok(Instruction::Command(cmd)) = parse_command(&doc.nodes[0]) else {
        panic!("RUN is a command");
    };
    assert_eq!((cmd.node, cmd.kind.keyword()), (0, Keyword::Run));
    let Ok(Instruction::Stage(stage)) = parse_command(&doc.nodes[1]) else {
        panic!("FROM is a stage");
    };
    assert_eq!(stage.name.as_deref(), Some("b"));
    // An ONBUILD trigger, read back the way a child build reads it.
    let parent =
        parse("FROM a\nONBUILD COPY <<EOF /x\nhello\nEOF").unwrap_or_else(|e| panic!("{e}"));
    let CommandKind::Onbuild(onbuild) = &parent.stages[0].commands[0].kind else {
        panic!("ONBUILD");
    };
    let child = dockerfile::parse(&onbuild.expression).unwrap_or_else(|e| panic!("{e}"));
    let Ok(Instruction::Command(Command {
        kind: CommandKind::Copy(copy),
        ..
    })) = parse_command(&child.nodes[0])
    else {
        panic!("COPY trigger");
    };
    assert_eq!(copy.contents[0].data, "hello\n");
}
