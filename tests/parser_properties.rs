//! Invariants of the node layer on any text: no panic, and a parse that
//! succeeds is lossless and consistent.

use proptest::prelude::*;
use restage::dockerfile::{self, Document, Location, dump::dump, export::DocumentJson};
use restage::model::Model;

/// Checks what must hold for every successful parse.
fn check_document(input: &str, doc: &Document) {
    assert_eq!(
        doc.print(),
        input,
        "printing the nodes back gives the input"
    );
    let mut pos = 0;
    for segment in doc.segments() {
        let span = segment.span();
        assert_eq!(span.start, pos, "segments tile the input without gaps");
        assert!(span.end > span.start, "segments are not empty");
        pos = span.end;
    }
    assert_eq!(pos, input.len());
    let line_count = input.split_inclusive('\n').count();
    let mut last_end = 0;
    for node in &doc.nodes {
        assert!(node.start_line > last_end, "nodes do not overlap");
        assert!(node.start_line <= node.end_line);
        assert!(node.end_line <= line_count);
        let text = node.text(input);
        assert_eq!(
            text.split_inclusive('\n').count(),
            node.end_line - node.start_line + 1
        );
        last_end = node.end_line;
    }
    let dumped = dump(doc);
    assert!(dumped.ends_with('\n'));
    assert!(serde_json::to_string(&DocumentJson::new(doc)).is_ok());
}

/// Checks that an error's place is in the text: a line of the file and a
/// column within that line (or just past its end).
fn check_location(input: &str, at: Location, what: &str) {
    let widths: Vec<usize> = input.split('\n').map(|l| l.chars().count()).collect();
    for (line, column) in [(at.line, at.column), (at.end_line, at.end_column)] {
        assert!(line >= 1, "{what}: line {line} of {at:?}");
        let width = widths.get(line - 1).copied();
        assert!(width.is_some(), "{what}: line {line} past the end: {at:?}");
        let width = width.unwrap_or_default();
        assert!(
            (1..=width + 1).contains(&column),
            "{what}: column {column} outside line {line} ({width} characters): {at:?}"
        );
    }
    assert!(
        (at.line, at.column) <= (at.end_line, at.end_column),
        "{what}: {at:?}"
    );
}

fn parse_and_check(input: &str) {
    match dockerfile::parse(input) {
        Ok(doc) => {
            check_document(input, &doc);
            for problem in &Model::build(&doc).problems {
                if problem.location.line > 0 {
                    check_location(input, problem.location, &problem.message);
                }
            }
        }
        Err(err) => {
            if let Some(at) = err.location() {
                check_location(input, at, &err.to_string());
            }
        }
    }
}

/// Fragments that exercise every part of the grammar.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "FROM ",
        "RUN ",
        "COPY ",
        "ADD ",
        "ENV ",
        "LABEL ",
        "ARG ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "CMD ",
        "ENTRYPOINT ",
        "SHELL ",
        "EXPOSE ",
        "VOLUME ",
        "USER ",
        "WORKDIR ",
        "from ",
        "--mount=type=cache,target=/x ",
        "--from=a ",
        "--interval=x ",
        "--mount=type=bogus ",
        "--network=x ",
        "--link=yes ",
        "-- ",
        "--x=\"a b\" ",
        "\\\n",
        "`\n",
        "\n",
        "\r\n",
        "\r",
        "# comment\n",
        "#\n",
        "# escape=`\n",
        "# syntax=x\n",
        "# check=skip=all\n",
        "\u{feff}",
        "<<EOF",
        "<<-EOF",
        "<<'EOF'",
        "3<<EOF",
        "<<  EOF",
        "EOF\n",
        "\tEOF\n",
        "[\"a\", \"b\"]",
        "[1]",
        "[",
        "]",
        "\"",
        "'",
        "$a",
        "${a:-b}",
        "=",
        "a=b ",
        "k v ",
        " ",
        "\t",
        "\u{a0}",
        "\u{85}",
        "é",
        "x",
        "NONE",
        "CMD",
        "\\\\",
        "\\ ",
        "\u{800}",
    ])
}

/// Whole lines, heredoc blocks among them, so that bodies and terminators line up.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(fragment(), 0..8).prop_map(|p| format!("{}\n", p.concat())),
        1 => prop::sample::select(vec![
            "RUN <<EOF\necho $x \\\n# not a comment\nEOF\n",
            "RUN <<-EOT cat\n\tindented\n\t\tEOT\n",
            "COPY <<A <<'B' /dest/\na\r\nA\nb\nB\n",
            "ONBUILD RUN <<X\nx\nX\n",
            "RUN 3<<\"EOF\" python3\nprint(1)\nEOF\n",
            "RUN [\"<<EOF\"]\n",
        ]).prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC*") {
        parse_and_check(&input);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(doc) = dockerfile::parse_bytes(&bytes, &Default::default()) {
            check_document(std::str::from_utf8(&bytes).expect("accepted input is UTF-8"), &doc);
        }
    }

    #[test]
    fn dockerfile_shaped_lines_are_lossless(lines in prop::collection::vec(line(), 0..30)) {
        parse_and_check(&lines.concat());
    }

    #[test]
    fn dockerfile_shaped_text_is_lossless(parts in prop::collection::vec(fragment(), 0..60)) {
        parse_and_check(&parts.concat());
    }
}
