//! BuildKit's own shell-expansion vectors (`frontend/dockerfile/shell/
//! envVarTest` and `wordsTest`), run with the rules of BuildKit's
//! `lex_test.go` harness.

use std::fs;

use restage::dockerfile::shell::Lexer;

const DIR: &str = "../shared/conformance/buildkit/shell";

fn read(name: &str) -> String {
    let path = format!("{DIR}/{name}");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// `envVarTest`: `platform | source | expected`, `ProcessWord` with
/// PWD=/home, SHELL=bash, KOREAN=한국어 and NULL set but empty.
#[test]
fn env_var_test() {
    let text = read("envVarTest");
    let env = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ];
    let lex = Lexer::new('\\');
    let (mut ran, mut skipped) = (0, 0);
    let mut failures = Vec::new();

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        if raw.starts_with('#') {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 3, "line {line_no}: {line:?} needs 3 fields");
        let (platform, source, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
        match platform {
            "A" | "U" => {}
            "W" => {
                skipped += 1;
                continue;
            }
            other => panic!("line {line_no}: invalid platform tag {other:?}"),
        }
        ran += 1;
        let got = lex.process_word(source, &env[..]);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(word), expected) => expected != "error" && word == expected,
            (Err(_), _) => false,
        };
        if !ok {
            failures.push(format!(
                "  line {line_no}: {source:?} expected {expected:?}, got {got:?}"
            ));
        }
    }

    assert!(ran > 200, "only {ran} vectors ran");
    assert!(
        failures.is_empty(),
        "envVarTest: {} of {ran} vectors failed ({skipped} Windows-only skipped):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `wordsTest`: `ENV k=v` lines build the env; `input | w1,w2,...` lines
/// are `ProcessWords` cases, `error` meaning any error.
#[test]
fn words_test() {
    let text = read("wordsTest");
    let mut env: Vec<(String, String)> = Vec::new();
    let lex = Lexer::new('\\');
    let mut ran = 0;
    let mut failures = Vec::new();

    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let assignment = rest.trim_start_matches(' ');
            let (key, value) = assignment.split_once('=').unwrap_or((assignment, ""));
            env.push((key.to_owned(), value.to_owned()));
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(
            fields.len(),
            2,
            "line {line_no}: {line:?} needs exactly one |"
        );
        let input = fields[0].trim();
        let expected: Vec<&str> = fields[1].trim_start_matches(' ').split(',').collect();
        ran += 1;
        let got = lex
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_owned()]);
        if got != expected {
            failures.push(format!(
                "  line {line_no}: {input:?} expected {expected:?}, got {got:?}"
            ));
        }
    }

    assert!(ran > 20, "only {ran} vectors ran");
    assert!(
        failures.is_empty(),
        "wordsTest: {} of {ran} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// BuildKit runs `wordsTest` a second time with `RawQuotes` and
/// `SkipUnsetEnv` on, against the same (already consumed) file handle, so
/// that pass checks nothing; this one checks the raw mode keeps every
/// vector that has no quotes or unset variables.
#[test]
fn words_test_raw_mode_without_quotes() {
    let text = read("wordsTest");
    let mut env: Vec<(String, String)> = Vec::new();
    let mut lex = Lexer::new('\\');
    lex.raw_quotes = true;
    lex.skip_unset_env = true;
    let mut failures = Vec::new();
    let mut ran = 0;
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let assignment = rest.trim_start_matches(' ');
            let (key, value) = assignment.split_once('=').unwrap_or((assignment, ""));
            env.push((key.to_owned(), value.to_owned()));
            continue;
        }
        let Some((input, expected)) = line.split_once('|') else {
            continue;
        };
        let input = input.trim();
        if input.contains(['"', '\'']) || input.contains("${hi}") && env.is_empty() {
            continue;
        }
        ran += 1;
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let got = lex
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_owned()]);
        if got != expected {
            failures.push(format!(
                "  line {}: {input:?} expected {expected:?}, got {got:?}",
                index + 1
            ));
        }
    }
    assert!(ran > 5, "only {ran} vectors ran");
    assert!(failures.is_empty(), "raw mode:\n{}", failures.join("\n"));
}
