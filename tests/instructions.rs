//! The typed-instruction layer on real and official Dockerfiles, and a
//! no-panic property over arbitrary text the node layer accepts.

use std::fs;

use proptest::prelude::*;
use restage::dockerfile::{
    self,
    instructions::{
        CommandKind, check_mount, parse_command, parse_device, parse_duration, parse_instructions,
        parse_mount, ram_in_bytes,
    },
};

const CORPUS: &str = "../shared/corpus/files";
const TESTFILES: &str = "../shared/conformance/buildkit/testfiles";

/// Corpus files BuildKit itself rejects at this layer, with its error as
/// displayed and the line it is reported on. Every other corpus file the
/// node layer accepts is valid here.
const CORPUS_REJECTED: &[(&str, &str, usize)] = &[
    // A buildah test fixture: buildah accepts `/` in stage names, BuildKit's
    // `^[a-z][a-z0-9-_.]*$` does not.
    (
        "containers__buildah__tests__bud__base-with-arg__Containerfile",
        "dockerfile parse error on line 13: invalid name for build stage: \"platform-arm/v7\", name can't start with a number or contain symbols",
        13,
    ),
    // BuildKit's own node-layer test files (also below).
    (
        "moby__buildkit__frontend__dockerfile__parser__testfiles__flags__Dockerfile",
        "dockerfile parse error on line 3: unknown flag: --user",
        3,
    ),
    (
        "moby__buildkit__frontend__dockerfile__parser__testfiles__health__Dockerfile",
        "dockerfile parse error on line 4: HEALTHCHECK requires at least one argument",
        4,
    ),
];

/// Official test files BuildKit rejects at this layer (they test the node
/// layer only), with the error as displayed and its line.
const TESTFILES_REJECTED: &[(&str, &str, usize)] = &[
    // `COPY --user=me foo /tmp/`; later lines use `--doit`, also unknown.
    (
        "flags",
        "dockerfile parse error on line 3: unknown flag: --user",
        3,
    ),
    // A bare `HEALTHCHECK`.
    (
        "health",
        "dockerfile parse error on line 4: HEALTHCHECK requires at least one argument",
        4,
    ),
    // No FROM: the first instruction is a CMD. BuildKit reports this one
    // without the `dockerfile parse error` prefix.
    (
        "jeztah-invalid-json-json-inside-string",
        "no build stage in current context",
        1,
    ),
    (
        "jeztah-invalid-json-json-inside-string-double",
        "no build stage in current context",
        1,
    ),
    (
        "jeztah-invalid-json-single-quotes",
        "no build stage in current context",
        1,
    ),
    (
        "jeztah-invalid-json-unterminated-bracket",
        "no build stage in current context",
        1,
    ),
    (
        "jeztah-invalid-json-unterminated-string",
        "no build stage in current context",
        1,
    ),
    ("json", "no build stage in current context", 1),
];

/// Runs both layers on every file under `dir` (for test files, each
/// `<dir>/<name>/Dockerfile`): the number of files the node layer accepts,
/// and `(name, error, line)` for each of them the typed layer rejects.
fn typed_failures(dir: &str, nested: bool) -> (usize, Vec<(String, String, usize)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in entries {
        let file = if nested {
            path.join("Dockerfile")
        } else {
            path.clone()
        };
        let Ok(bytes) = fs::read(&file) else { continue };
        let Ok(doc) = dockerfile::parse_bytes(&bytes, &Default::default()) else {
            continue;
        };
        checked += 1;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Err(e) = parse_instructions(&doc) {
            println!("{name}: line {}: {e}", e.start_line);
            failures.push((name, e.to_string(), e.start_line));
        }
    }
    (checked, failures)
}

fn expected(table: &[(&str, &str, usize)]) -> Vec<(String, String, usize)> {
    table
        .iter()
        .map(|&(f, m, l)| (f.to_string(), m.to_string(), l))
        .collect()
}

#[test]
fn corpus_files_pass_the_typed_layer() {
    let (checked, failures) = typed_failures(CORPUS, false);
    assert!(
        checked >= 598,
        "only {checked} corpus files parsed at the node layer"
    );
    assert_eq!(failures, expected(CORPUS_REJECTED));
}

#[test]
fn official_testfiles_at_the_typed_layer() {
    let (checked, failures) = typed_failures(TESTFILES, true);
    assert_eq!(checked, 33);
    assert_eq!(failures, expected(TESTFILES_REJECTED));
}

/// Keywords, each with flags it accepts (and some it does not).
const KEYWORDS: &[(&str, &[&str])] = &[
    ("FROM", &["--platform=$P", "--platform", "--plat=x"]),
    ("from", &["--platform=linux/amd64"]),
    (
        "RUN",
        &[
            "--mount=type=cache,target=/x",
            "--mount=type=secret,id=a,required",
            "--mount=from=$x",
            "--mount=\\\"a\\\"b",
            "--mount=",
            "--mount=type=tmpfs,size=64m",
            "--mount=ro,src=\"a,b\"",
            "--network=none",
            "--network=x",
            "--security=insecure",
            "--security=y",
            "--device=/dev/fuse",
            "--device=a,b",
            "--device=name=a,required=maybe",
            "--x",
        ],
    ),
    ("CMD", &["--x"]),
    ("ENTRYPOINT", &["--y=1"]),
    ("SHELL", &["--"]),
    (
        "COPY",
        &[
            "--from=a",
            "--chown=1",
            "--chmod=755",
            "--link",
            "--link=maybe",
            "--parents",
            "--exclude=x",
            "--user=me",
            "--",
        ],
    ),
    (
        "ADD",
        &[
            "--checksum=sha256:x",
            "--keep-git-dir",
            "--unpack",
            "--unpack=",
            "--exclude=a",
            "--from=x",
        ],
    ),
    ("ENV", &["--x"]),
    ("LABEL", &["--y"]),
    ("ARG", &["--required", "--x=1"]),
    ("EXPOSE", &["--z"]),
    ("USER", &["--u"]),
    ("WORKDIR", &["--w"]),
    ("VOLUME", &["--v"]),
    ("STOPSIGNAL", &["--s"]),
    ("MAINTAINER", &["--m"]),
    (
        "HEALTHCHECK",
        &[
            "--interval=1s",
            "--interval=1",
            "--timeout=500us",
            "--start-period=-1s",
            "--start-interval=0",
            "--retries=3",
            "--retries=-1",
            "--retries=x",
            "--intervall=1s",
        ],
    ),
    ("ONBUILD", &["--o"]),
    ("ONBUILD RUN", &["--mount=x"]),
    ("ONBUILD ONBUILD", &[]),
    ("ONBUILD FROM", &[]),
    ("FORM", &[]),
    ("#", &[]),
];

/// Argument words: plain, quoted, JSON, heredoc markers, variables, escapes.
const WORDS: &[&str] = &[
    "a", "b=c", "\"x y\"", "=", "=v", "\"", "'", "<<EOF", "<<-EOF", "<<'EOF'", "$", "${a}", "\\",
    "[", "]", "[\"a\"]", "[]", "[\"\"]", "\"\"", "1x", "/d", "AS", "as", "build", "NONE", "CMD",
    "80/tcp", "SIGTERM", "--", "--late",
];

/// One instruction line from [`KEYWORDS`] and [`WORDS`].
fn line() -> impl Strategy<Value = String> {
    (0..KEYWORDS.len())
        .prop_flat_map(|i| {
            let flags = KEYWORDS.get(i).map(|k| k.1).unwrap_or_default();
            let flag = if flags.is_empty() {
                prop::collection::vec(Just(""), 0..1).boxed()
            } else {
                prop::collection::vec(prop::sample::select(flags), 0..3).boxed()
            };
            (
                Just(i),
                flag,
                prop::collection::vec(prop::sample::select(WORDS), 0..5),
            )
        })
        .prop_map(|(i, flags, words)| {
            let mut line = KEYWORDS.get(i).map(|k| k.0).unwrap_or_default().to_string();
            for w in flags.into_iter().chain(words) {
                line.push(' ');
                line.push_str(w);
            }
            line
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn typed_layer_never_panics(
        from_first in any::<bool>(),
        lines in prop::collection::vec(line(), 1..8),
        eof in any::<bool>(),
    ) {
        let mut text = if from_first { "FROM a\n".to_string() } else { String::new() };
        text.push_str(&lines.join("\n"));
        if eof {
            text.push_str("\nEOF");
        }
        if let Ok(doc) = dockerfile::parse(&text) {
            if let Ok(parsed) = parse_instructions(&doc) {
                for stage in &parsed.stages {
                    for cmd in &stage.commands {
                        if let CommandKind::Run(run) = &cmd.kind {
                            for m in &run.mounts {
                                let _ = parse_mount(&m.raw, &mut |v: &str| Ok(v.to_string()));
                            }
                        }
                    }
                }
            }
            for node in &doc.nodes {
                let _ = parse_command(node);
            }
        }
    }

    #[test]
    fn value_parsers_never_panic(s in "\\PC{0,24}", t in "[-+0-9.a-zµμ_ =,\"'$]{0,16}") {
        for v in [s.as_str(), t.as_str()] {
            let _ = parse_mount(v, &mut |x: &str| Ok(x.to_string()));
            let _ = check_mount(v);
            let _ = parse_device(v);
            let _ = parse_duration(v);
            let _ = ram_in_bytes(v);
        }
    }
}
