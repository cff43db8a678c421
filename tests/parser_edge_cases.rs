//! The edge cases of `../shared/spec/dockerfile-grammar.md`, one row each:
//! input, then BuildKit's dump or BuildKit's error and line.

use restage::dockerfile::{self, Document, TriviaKind, dump::dump};

fn parse(input: &str) -> Document {
    dockerfile::parse(input).unwrap_or_else(|e| panic!("{input:?} must parse: {e}"))
}

#[test]
fn dumps_follow_buildkit() {
    let table: &[(&str, &str)] = &[
        // Physical input: BOM, CRLF, a lone CR is not a line break but an argument separator.
        ("\u{feff}FROM a\n", "(from \"a\")"),
        (
            "FROM a\r\nRUN b \\\r\n  c\r\n",
            "(from \"a\")\n(run \"b   c\")",
        ),
        ("FROM a\rRUN x\n", "(from \"a\" \"RUN\" \"x\")"),
        ("FROM\u{a0}img\n", "(from\u{a0}img \"\")"),
        // Continuation: blanks after the escape, escaped escape, comment and blank lines inside.
        ("RUN a \\  \n b\n", "(run \"a  b\")"),
        ("RUN a \\\\\nRUN b\n", "(run \"a \\\\\\\\\")\n(run \"b\")"),
        (
            "RUN a \\\\\\\nRUN b\n",
            "(run \"a \\\\\\\\\\\\\")\n(run \"b\")",
        ),
        ("RUN a\\\n# comment \\\nb\n", "(run \"ab\")"),
        ("RUN a\\\n\n  \nb\n", "(run \"ab\")"),
        ("\\\nRUN x\n", "(run \"x\")"),
        ("RUN x \\", "(run \"x\")"),
        // Escape directive: backtick, and ignored after a comment or a shebang.
        (
            "# escape=`\nRUN a `\n b\nCOPY c:\\ d\n",
            "(run \"a  b\")\n(copy \"c:\\\\\" \"d\")",
        ),
        ("# hi\n# escape=`\nRUN a `\n", "(run \"a `\")"),
        ("#!/bin/sh\n# escape=`\nRUN a `\n", "(run \"a `\")"),
        ("  # ESCAPE = `\nRUN a `\n b\n", "(run \"a  b\")"),
        // Comments only count as whole lines.
        ("EXPOSE 80 # web\n", "(expose \"80\" \"#\" \"web\")"),
        // JSON form and its fallbacks.
        ("CMD [\"a b\"]\n", "(cmd \"a b\")"),
        ("CMD []\n", "(cmd)"),
        ("RUN [\"a\"] junk\n", "(run \"[\\\"a\\\"] junk\")"),
        ("CMD ['a']\n", "(cmd \"['a']\")"),
        ("COPY \"a b\" /d\n", "(copy \"\\\"a\" \"b\\\"\" \"/d\")"),
        ("EXPOSE [\"80\"]\n", "(expose \"[\\\"80\\\"]\")"),
        // ENV/LABEL/ARG words.
        ("ENV A  b   c\n", "(env \"A\" \"b   c\" \"\")"),
        (
            "ENV a=1 b=\"x y\"\n",
            "(env \"a\" \"1\" \"=\" \"b\" \"\\\"x y\\\"\" \"=\")",
        ),
        ("LABEL \"a b\"=c\n", "(label \"\\\"a b\\\"\" \"c\" \"=\")"),
        ("ARG a b=2\n", "(arg \"a\" \"b=2\")"),
        // Flags.
        (
            "RUN --mount=\"type=bind,src=a b\" x\n",
            "(run [\"--mount=type=bind,src=a b\"] \"x\")",
        ),
        (
            "COPY --chown=josé a b\n",
            "(copy [\"--chown=josÃ©\"] \"a\" \"b\")",
        ),
        ("RUN -- --foo\n", "(run \"--foo\")"),
        // Keywords and arities the node layer accepts.
        ("foo bar\n", "(foo \"\")"),
        ("FrOm a\n", "(from \"a\")"),
        ("WORKDIR /a b\n", "(workdir \"/a b\")"),
        (
            "HEALTHCHECK --retries=3 CMD curl x\n",
            "(healthcheck [\"--retries=3\"] \"CMD\" \"curl x\")",
        ),
        (
            "ONBUILD RUN --mount=x echo\n",
            "(onbuild (run [\"--mount=x\"] \"echo\"))",
        ),
        ("ONBUILD\n", "(onbuild)"),
        ("ONBUILD ONBUILD RUN x\n", "(onbuild (onbuild (run \"x\")))"),
        // Heredocs are not shown in the dump, but they consume their lines.
        (
            "RUN <<EOF\necho hi\nEOF\nRUN x\n",
            "(run \"<<EOF\")\n(run \"x\")",
        ),
        ("USER <<X\nRUN x\n", "(user \"<<X\")\n(run \"x\")"),
        ("RUN [\"<<EOF\"]\nRUN x\n", "(run \"<<EOF\")\n(run \"x\")"),
        (
            "RUN <<EOF echo it's\nRUN x\n",
            "(run \"<<EOF echo it's\")\n(run \"x\")",
        ),
    ];
    for (input, want) in table {
        let doc = parse(input);
        assert_eq!(dump(&doc), format!("{want}\n"), "{input:?}");
        assert_eq!(doc.print(), *input, "printing back {input:?}");
    }
}

#[test]
fn errors_follow_buildkit() {
    let long = "x".repeat(65_536);
    let table: Vec<(String, &str, usize)> = vec![
        ("".into(), "file with no instructions", 0),
        ("# only\n\n".into(), "file with no instructions", 2),
        (
            "FROM a\nENV PATH\n".into(),
            "ENV must have two arguments",
            2,
        ),
        ("LABEL a\n".into(), "LABEL must have two arguments", 1),
        (
            "ENV a=1 b\n".into(),
            "Syntax error - can't find = in \"b\". Must be of the form: name=value",
            1,
        ),
        (
            "CMD [1]\n".into(),
            "when using JSON array syntax, arrays must be comprised of strings only",
            1,
        ),
        (
            "# escape=`\n# escape=\\\nFROM a\n".into(),
            "only one escape parser directive can be used",
            1,
        ),
        (
            "# syntax=a\n# SYNTAX=b\nFROM a\n".into(),
            "only one syntax parser directive can be used",
            1,
        ),
        (
            "# escape=x\nFROM a\n".into(),
            "invalid escape token 'x' does not match ` or \\",
            0,
        ),
        (
            "FROM a\nRUN <<EOF\nbody\n".into(),
            "unterminated heredoc",
            2,
        ),
        (
            "FROM a\nRUN <<-EOF\n  EOF\n".into(),
            "unterminated heredoc",
            2,
        ),
        (
            // BuildKit names no line; restage names the long one.
            format!("FROM a\n{long}\n"),
            "dockerfile line greater than max allowed size of 65535",
            2,
        ),
        (format!("{long}\nFROM a\n"), "file with no instructions", 0),
    ];
    for (input, message, line) in table {
        let err = dockerfile::parse(&input).expect_err("must be rejected");
        assert_eq!(err.to_string(), message, "{input:.40?}");
        assert_eq!(err.line(), line, "{input:.40?}");
    }
}

#[test]
fn heredocs_carry_their_bodies() {
    let doc = parse(
        "FROM a\nRUN <<-EOT 3<<'two' cat\n\tindented\n\tEOT\nline \"$x\"\r\ntwo\nCOPY <<EOF /dest\nx\nEOF\n",
    );
    let run = &doc.nodes[1];
    assert_eq!((run.start_line, run.end_line), (2, 6));
    let docs: Vec<_> = run
        .heredocs
        .iter()
        .map(|h| (h.name.as_str(), h.fd, h.expand, h.chomp, h.content.as_str()))
        .collect();
    assert_eq!(
        docs,
        [
            ("EOT", 0, true, true, "\tindented\n"),
            ("two", 3, false, false, "line \"$x\"\r\n"),
        ]
    );
    let copy = &doc.nodes[2];
    assert_eq!((copy.start_line, copy.end_line), (7, 9));
    assert_eq!(copy.heredocs[0].content, "x\n");
}

#[test]
fn comments_attach_to_the_next_instruction() {
    let doc = parse(
        "# syntax=docker/dockerfile:1\n# about a\n\n   # indented\nFROM a\n# dropped\n#\n# kept\nRUN x\n",
    );
    assert_eq!(doc.nodes[0].prev_comment, ["about a", "# indented"]);
    assert_eq!(doc.nodes[1].prev_comment, ["kept"]);
    assert_eq!(
        doc.directive(dockerfile::DirectiveKind::Syntax),
        Some("docker/dockerfile:1")
    );
    let kinds: Vec<_> = doc.trivia.iter().map(|t| (t.line, t.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, TriviaKind::Directive),
            (2, TriviaKind::Comment),
            (3, TriviaKind::Blank),
            (4, TriviaKind::Comment),
            (6, TriviaKind::Comment),
            (7, TriviaKind::Comment),
            (8, TriviaKind::Comment),
        ]
    );
}

#[test]
fn empty_continuation_lines_warn_at_the_last_line() {
    let doc = parse("FROM a\nRUN apk add \\\n\n    gnupg \\\n\n    curl\n");
    assert_eq!(doc.warnings.len(), 1);
    let w = &doc.warnings[0];
    assert_eq!(
        w.message,
        "Empty continuation line found in: RUN apk add     gnupg     curl"
    );
    assert_eq!((w.start_line, w.end_line), (2, 6));
}

#[test]
fn onbuild_chains_of_any_depth_parse_without_recursion_limits() {
    let depth = 8_000;
    let line = format!("{}RUN x\n", "ONBUILD ".repeat(depth));
    let doc = parse(&line);
    let node = &doc.nodes[0];
    assert_eq!(node.triggers.len(), depth);
    assert_eq!(
        node.triggers.last().map(|t| t.args.clone()),
        Some(vec!["x".to_string()])
    );
    let dumped = dump(&doc);
    assert!(dumped.starts_with("(onbuild (onbuild "));
    assert!(dumped.ends_with(&format!("(run \"x\"){}\n", ")".repeat(depth))));
}

#[test]
fn bad_bytes_are_reported_with_their_position() {
    let options = dockerfile::ParseOptions { max_bytes: 64 };
    let err =
        dockerfile::parse_bytes(b"FROM a\nRUN \xc3\x28\n", &options).expect_err("invalid UTF-8");
    assert_eq!(
        err.to_string(),
        "invalid UTF-8 at byte offset 11 (line 2, column 5)"
    );
    let err = dockerfile::parse_bytes(b"FROM a\nRUN x\0\n", &options).expect_err("NUL");
    assert_eq!(
        err.to_string(),
        "NUL byte at byte offset 12 (line 2, column 6)"
    );
    let err = dockerfile::parse_bytes(&[b'#'; 65], &options).expect_err("too large");
    assert_eq!(
        err.to_string(),
        "input is 65 bytes, over the limit of 64 bytes"
    );
}
