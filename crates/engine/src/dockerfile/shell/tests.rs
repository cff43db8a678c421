//! Table tests for the shell lexer; expected values follow BuildKit's
//! `lex.go` (many cases are taken from its `lex_test.go`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;

use super::*;

/// Variables of a table case.
type Vars = &'static [(&'static str, &'static str)];
/// Expected variable names of a table case.
type Names = &'static [&'static str];

fn lexer() -> Lexer {
    Lexer::new('\\')
}

fn word(input: &str, env: &[(&str, &str)]) -> String {
    match lexer().process_word(input, env) {
        Ok(w) => w,
        Err(e) => panic!("{input:?}: unexpected error {e}"),
    }
}

fn message(lex: Lexer, input: &str, env: &[(&str, &str)]) -> String {
    match lex.process(input, env) {
        Ok(e) => panic!("{input:?}: expected an error, got {:?}", e.result),
        Err(e) => e.message().to_owned(),
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn values_taken_in_past_a_mebibyte_are_an_error() {
    let big = "x".repeat(MAX_EXPANSION_BYTES / 2 + 1);
    let env = [("A", big.as_str()), ("S", "xx")];
    assert_eq!(word("$A", &env).len(), big.len());
    let over = "variable expansion over 1048576 bytes";
    for input in ["$A$A", "${A}${A}", "\"$A$A\"", "${S:+$A$A}", "${A//x/yy}"] {
        assert_eq!(message(lexer(), input, &env), over, "{input}");
    }
    // Replacing each of a thousand `x` with the thousand of them: a
    // mebibyte within the bound, squaring it again is over it.
    let small = "x".repeat(1000);
    let env = [("A", small.as_str())];
    assert_eq!(word("${A//x/$A}", &env).len(), 1_000_000);
    let squared = word("${A//x/$A}", &env);
    let env = [("A", squared.as_str()), ("B", small.as_str())];
    assert_eq!(message(lexer(), "${B//x/$B}${A}", &env), over);
}

#[test]
fn prefix_and_suffix_removal() {
    let env = [("VAR", "abc.tar.gz")];
    let cases = [
        ("${VAR#*.}", "tar.gz"),
        ("${VAR##*.}", "gz"),
        ("${VAR%.*}", "abc.tar"),
        ("${VAR%%.*}", "abc"),
        ("${VAR#abc}", ".tar.gz"),
        ("${VAR#x}", "abc.tar.gz"),
        ("${VAR%.gz}", "abc.tar"),
        ("${VAR#?}", "bc.tar.gz"),
        ("${VAR%???}", "abc.tar"),
        ("${VAR#}", "abc.tar.gz"),
        ("${VAR##}", "abc.tar.gz"),
        ("${VAR%}", "abc.tar.gz"),
        ("${UNSET#*}", ""),
        // Quotes are removed from the pattern; a quoted `#` still makes it
        // greedy, and a quoted `*` is still a wildcard (unlike sh).
        ("${VAR#\"#\"*.}", "gz"),
        ("${VAR#'*'.}", "tar.gz"),
    ];
    for (input, want) in cases {
        assert_eq!(word(input, &env), want, "{input}");
    }
}

#[test]
fn buildkit_pattern_cases() {
    let cases: &[(&str, Vars, &str)] = &[
        (
            "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
            &[("FOO", "()[]{}^$.*?|\\x")],
            "x",
        ),
        ("${FOO%%\\**}", &[("FOO", "xx**")], "xx"),
        ("${FOO#*x*y}", &[("FOO", "xxyy")], "y"),
        ("${FOO#*}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], "xyy"),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy"),
        ("${FOO##*x}", &[("FOO", "xxyy")], "yy"),
        ("${FOO#?\\?}", &[("FOO", "???y")], "?y"),
        ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], ".xxyy."),
        ("${FOO%%\\**\\*}", &[("FOO", "a***yy*")], "a"),
        ("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy"),
        (
            "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")],
            "/foo.*/*.txt - /foo..*.txt",
        ),
        (
            "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
            "/tmp/bar.txt - /bar.txt",
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "/a/foo/b/c.txt"),
                ("NEEDLE", "/?/"),
                ("REPLACEMENT", "/"),
            ],
            "/foo/b/c.txt - /foo/c.txt",
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "http://google.de"),
                ("NEEDLE", "http://"),
                ("REPLACEMENT", "https://"),
            ],
            "https://google.de",
        ),
        (
            "${FOO//\\//\\/}",
            &[("FOO", "/tmp/foo.txt")],
            "\\/tmp\\/foo.txt",
        ),
        ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], "wwxxyy"),
        ("${FOO///}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO///}", &[], ""),
    ];
    for (input, env, want) in cases {
        assert_eq!(word(input, env), *want, "{input}");
    }
}

#[test]
fn replace_first_and_all() {
    let env = [("V", "foo.bar.foo"), ("P", "a\\b")];
    let cases = [
        ("${V/foo/X}", "X.bar.foo"),
        ("${V//foo/X}", "X.bar.X"),
        ("${V/o/}", "fo.bar.foo"),
        ("${V//o/}", "f.bar.f"),
        ("${V/*./X}", "Xfoo"),
        ("${V/zzz/X}", "foo.bar.foo"),
        ("${V//./-}", "foo-bar-foo"),
        // Not anchored: `#` and `%` are literal pattern chars here.
        ("${V/#foo/X}", "foo.bar.foo"),
        // The single replacement is spliced literally; the replace-all
        // goes through Go's ReplaceAllString, which expands `$0`.
        ("${V/o/'<$0>'}", "f<$0>o.bar.foo"),
        ("${V//o/'<$0>'}", "f<o><o>.bar.f<o><o>"),
        ("${V//o/'$1'}", "f.bar.f"),
        // Escapes in the replacement stay.
        ("${V/foo/a\\/b}", "a\\/b.bar.foo"),
        ("${P//\\\\/+}", "a+b"),
        ("${V//?/.}", "..........."),
    ];
    for (input, want) in cases {
        assert_eq!(word(input, &env), want, "{input}");
    }
}

#[test]
fn default_alternative_and_required() {
    let env = [("SET", "val"), ("EMPTY", "")];
    let cases = [
        ("${SET-d}", "val"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${SET:-d}", "val"),
        ("${EMPTY:-d}", "d"),
        ("${UNSET:-d}", "d"),
        ("${SET+a}", "a"),
        ("${EMPTY+a}", "a"),
        ("${UNSET+a}", ""),
        ("${SET:+a}", "a"),
        ("${EMPTY:+a}", ""),
        ("${UNSET:+a}", ""),
        ("${SET?msg}", "val"),
        ("${EMPTY?msg}", ""),
        ("${SET:?msg}", "val"),
        ("${UNSET:-'a b'}", "a b"),
        ("${UNSET:-\"$SET\"}", "val"),
        ("${UNSET:-'}'}", "}"),
        ("${UNSET:-a\\}b}", "a}b"),
        ("${UNSET:-${EMPTY:-${SET}}}", "val"),
    ];
    for (input, want) in cases {
        assert_eq!(word(input, &env), want, "{input}");
    }
    let errors = [
        ("${UNSET?}", "UNSET: is not allowed to be unset"),
        ("${UNSET:?}", "UNSET: is not allowed to be unset"),
        ("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
        ("${UNSET?custom msg}", "UNSET: custom msg"),
        ("${EMPTY:?custom $SET}", "EMPTY: custom val"),
        ("${UNSET:-${X?oops}}", "X: oops"),
        // An error that leaves the scanner at the end of the input is
        // reported as a missing `}` by BuildKit.
        ("${UNSET:-${X?oops}", "syntax error: missing '}'"),
    ];
    for (input, want) in errors {
        assert_eq!(message(lexer(), input, &env), want, "{input}");
    }
}

#[test]
fn mandatory_env_vars_from_buildkit() {
    let no_empty = "${VAR:?message here$ARG}";
    let no_unset = "${VAR?message here$ARG}";
    let set_env = [("VAR", "plain"), ("ARG", "x")];
    let empty_env = [("VAR", ""), ("ARG", "x")];
    let unset_env = [("ARG", "x")];
    assert_eq!(word(no_empty, &set_env), "plain");
    assert_eq!(message(lexer(), no_empty, &empty_env), "VAR: message herex");
    assert_eq!(message(lexer(), no_empty, &unset_env), "VAR: message herex");
    assert_eq!(word(no_unset, &set_env), "plain");
    assert_eq!(word(no_unset, &empty_env), "");
    assert_eq!(message(lexer(), no_unset, &unset_env), "VAR: message herex");
}

#[test]
fn error_messages() {
    let env = [("v", "value")];
    let cases = [
        ("${v:#p}", "unsupported modifier (:#) in substitution"),
        ("${v:%p}", "unsupported modifier (:%) in substitution"),
        ("${v:##p}", "unsupported modifier (:#) in substitution"),
        ("${a=b}", "unsupported modifier (=) in substitution"),
        ("${a:=b}", "unsupported modifier (:=) in substitution"),
        ("${v:=b}", "unsupported modifier (:=) in substitution"),
        ("${#a}", "unsupported modifier (a) in substitution"),
        ("${a:1:2}", "unsupported modifier (:1) in substitution"),
        ("${a b}", "unsupported modifier ( ) in substitution"),
        ("${.}", "unsupported modifier (.) in substitution"),
        ("${a", "unsupported modifier (\u{FFFD}) in substitution"),
        ("${a:", "syntax error: missing '}'"),
        ("${a:-x", "syntax error: missing '}'"),
        ("${a:-'x", "syntax error: missing '}'"),
        ("${a:-x\\", "syntax error: missing '}'"),
        ("${", "syntax error: missing '}'"),
        ("x${", "syntax error: missing '}'"),
        ("${}", "syntax error: bad substitution"),
        ("${:-x}", "syntax error: bad substitution"),
        ("${{a}", "syntax error: bad substitution"),
        (
            "'abc",
            "unexpected end of statement while looking for matching single-quote",
        ),
        (
            "\"abc",
            "unexpected end of statement while looking for matching double-quote",
        ),
        (
            "\"abc\\",
            "unexpected end of statement while looking for matching double-quote",
        ),
        ("${v/b", "syntax error: missing '/' in ${}"),
        ("${v//", "syntax error: missing '/' in ${}"),
        ("${v//ww}", "syntax error: missing '/' in ${}"),
        ("${v//}", "syntax error: missing '/' in ${}"),
        ("${v/b/c", "syntax error: missing '}'"),
        (
            "${v#\\x}",
            "invalid pattern (\\x) in substitution: invalid escape '\\x'",
        ),
        // `%` reverses the pattern before converting it.
        (
            "${v%a\\x}",
            "invalid pattern (\\xa) in substitution: invalid escape '\\x'",
        ),
        (
            "${v/\\x/y}",
            "invalid pattern (\\x) in substitution: invalid escape '\\x'",
        ),
        // Unset variables still have their pattern compiled.
        (
            "${u#\\q}",
            "invalid pattern (\\q) in substitution: invalid escape '\\q'",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(message(lexer(), input, &env), want, "{input}");
    }
    // A pattern from a variable may end in a lone backslash: Go prints EOF
    // as U+FFFD.
    let env = [("v", "x"), ("P", "\\")];
    assert_eq!(
        message(lexer(), "${v#$P}", &env),
        "invalid pattern (\\) in substitution: invalid escape '\\\u{FFFD}'"
    );
}

#[test]
fn error_display_wraps_like_buildkit() {
    let err = match lexer().process("${a=b}", &EmptyEnv) {
        Err(e) => e,
        Ok(e) => panic!("unexpected success {e:?}"),
    };
    assert_eq!(
        err.to_string(),
        "failed to process \"${a=b}\": unsupported modifier (=) in substitution"
    );
    assert_eq!(err.input(), "${a=b}");
    assert_eq!(
        err.kind(),
        &ShellErrorKind::UnsupportedModifier {
            modifier: "=".to_owned()
        }
    );
    let err = match lexer().process("\"a\tb", &EmptyEnv) {
        Err(e) => e,
        Ok(e) => panic!("unexpected success {e:?}"),
    };
    assert_eq!(
        err.to_string(),
        "failed to process \"\\\"a\\tb\": unexpected end of statement while looking for matching double-quote"
    );
}

#[test]
fn names_and_special_parameters() {
    let env = [("a1", "A1"), ("_x", "X"), ("한", "K"), ("1", "one")];
    let cases = [
        ("$a1b", ""),
        ("$a1", "A1"),
        ("$_x.", "X."),
        ("$한", "K"),
        ("$1x", "onex"),
        ("$11", ""),
        ("${1}", "one"),
        // Non-ASCII decimal digits are digits too (Go unicode.IsDigit).
        ("$\u{661}x", "x"),
        ("$#a", "a"),
        ("${#}", ""),
        ("$", "$"),
        ("a$", "a$"),
        ("$.", "$."),
        ("$(cmd)", "$(cmd)"),
        ("$ x", "$ x"),
    ];
    for (input, want) in cases {
        assert_eq!(word(input, &env), want, "{input}");
    }
}

#[test]
fn quotes_and_escapes() {
    let env = [("A", "1")];
    let cases = [
        ("a\\ b", "a b"),
        ("a\\", "a"),
        ("\\$A", "$A"),
        ("'$A\\'", "$A\\"),
        ("\"$A\"", "1"),
        ("\"\\$A\"", "$A"),
        ("\"a\\tb\"", "a\\tb"),
        ("\"a\\\"b\"", "a\"b"),
        ("\"a\\\\b\"", "a\\b"),
        ("\"it's\"", "it's"),
        ("''", ""),
        ("x\"\"y", "xy"),
        // A byte order mark is dropped only at the very start (text/scanner).
        ("\u{feff}a\u{feff}", "a\u{feff}"),
    ];
    for (input, want) in cases {
        assert_eq!(word(input, &env), want, "{input}");
    }
}

#[test]
fn backtick_escape_token() {
    let lex = Lexer::new('`');
    let env = [("A", "1"), ("V", "`x*y")];
    let cases = [
        ("a`$A", "a$A"),
        ("a\\b", "a\\b"),
        ("c:\\path\\$A", "c:\\path\\1"),
        ("\"a`\"b\"", "a\"b"),
        ("\"a``b\"", "a`b"),
        ("\"a`tb\"", "a`tb"),
        ("\"a\\tb\"", "a\\tb"),
        ("a`", "a"),
        ("a` b", "a b"),
        // Glob escapes are always backslashes: the escape token stays in the
        // pattern as an ordinary char.
        ("${V#`x}", "*y"),
        // Raw escapes keep both backticks of "``" in the pattern.
        ("${V#``x}", "`x*y"),
        ("${V%\\*y}", "`x"),
        ("${V%%\\**}", "`x"),
    ];
    for (input, want) in cases {
        match lex.process_word(input, &env) {
            Ok(w) => assert_eq!(w, want, "{input}"),
            Err(e) => panic!("{input:?}: {e}"),
        }
    }
    // The backtick escapes the closing brace.
    assert_eq!(message(lex, "${V#`}", &env), "syntax error: missing '}'");
    // Nothing escapes inside single quotes.
    assert_eq!(lex.process_word("'a`'b", &env).ok().as_deref(), Some("a`b"));
}

#[test]
fn matched_and_unmatched() {
    let lex = lexer();
    let cases: &[(&str, Vars, &str, Names, Names)] = &[
        ("x", &[("DUMMY", "dummy")], "x", &[], &[]),
        ("x ${UNUSED}", &[("DUMMY", "dummy")], "x ", &[], &["UNUSED"]),
        ("x ${FOO}", &[("FOO", "y")], "x y", &["FOO"], &[]),
        (
            "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
            &[("FOO", "xxx"), ("BAR", "")],
            "xxx  ccc",
            &["FOO", "BAR"],
            &["BAZ"],
        ),
        (
            "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
            &[("FOO", "xxx"), ("BAR", "")],
            "xxx bbb ccc",
            &["FOO", "BAR"],
            &["BAZ"],
        ),
        (
            "${FOO:-}",
            &[("FOO", "xxx"), ("BAR", "")],
            "xxx",
            &["FOO"],
            &[],
        ),
        ("${FOO:-}", &[], "", &[], &["FOO"]),
        (
            "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
            &[("FOO", "xxx"), ("BAR", "")],
            "aaa bbb ",
            &["FOO", "BAR"],
            &["BAZ"],
        ),
        (
            "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
            &[("FOO", "xxx"), ("BAR", "")],
            "aaa  ",
            &["FOO", "BAR"],
            &["BAZ"],
        ),
        ("${FOO?aaa}", &[("FOO", "xxx")], "xxx", &["FOO"], &[]),
        ("${BAR?bbb}", &[("BAR", "")], "", &["BAR"], &[]),
        ("$A$A${B:-$A}", &[("A", "1")], "111", &["A"], &["B"]),
        ("'$A' \"$B\"", &[("B", "2")], "$A 2", &["B"], &[]),
        ("${FOO///}", &[], "", &[], &["FOO"]),
        (
            "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
            &[
                ("VERSION", "v1.2.3"),
                ("TARGETOS", "linux"),
                ("TARGETARCH", "arm"),
                ("TARGETVARIANT", "v7"),
            ],
            "something-v1.2.3.linux-arm-v7.tar.gz",
            &["VERSION", "TARGETOS", "TARGETARCH", "TARGETVARIANT"],
            &[],
        ),
        (
            "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
            &[
                ("VERSION", "v1.2.3"),
                ("TARGETOS", "linux"),
                ("TARGETARCH", "arm64"),
            ],
            "something-v1.2.3.linux-arm64.tar.gz",
            &["VERSION", "TARGETOS", "TARGETARCH"],
            &["TARGETVARIANT"],
        ),
    ];
    for (input, env, want, matched, unmatched) in cases {
        let got = match lex.process(input, *env) {
            Ok(e) => e,
            Err(e) => panic!("{input:?}: {e}"),
        };
        assert_eq!(got.result, *want, "{input}");
        assert_eq!(got.matched, set(matched), "matched of {input}");
        assert_eq!(got.unmatched, set(unmatched), "unmatched of {input}");
    }
}

#[test]
fn word_splitting() {
    let env = [("SP", "a  b"), ("LEAD", "  x"), ("E", "")];
    let cases: &[(&str, &[&str])] = &[
        ("a b  c", &["a", "b", "c"]),
        ("  a  ", &["a"]),
        ("", &[]),
        ("   ", &[]),
        ("x$SP", &["xa", "b"]),
        ("x\"$SP\"", &["xa  b"]),
        ("x$LEAD", &["x", "x"]),
        ("a\\ b", &["a b"]),
        ("'a  b' c", &["a  b", "c"]),
        // Empty quotes make no word on their own (getWords skips empty ones).
        ("\"\"", &[]),
        ("a \"\" b", &["a", "b"]),
        ("$E", &[]),
        ("a\tb\nc", &["a", "b", "c"]),
        ("a\u{a0}b", &["a", "b"]),
    ];
    for (input, want) in cases {
        match lexer().process_words(input, &env) {
            Ok(w) => assert_eq!(w, *want, "{input}"),
            Err(e) => panic!("{input:?}: {e}"),
        }
    }
}

/// BuildKit HEAD shares one word buffer between nesting levels and each
/// `processStopOn` resets it, so the part of the current word before a
/// `${name<mod>...}` form is lost from the split words (not the result).
#[test]
fn nested_word_drops_current_split_word_like_buildkit() {
    let env = [("B", "bee")];
    let got = match lexer().process("x${A:-b}y z", &env) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(got.result, "xby z");
    assert_eq!(got.words, ["by", "z"]);
    let words = lexer().process_words("w x\"${B#b}\"", &env);
    assert_eq!(words.ok(), Some(vec!["w".to_owned(), "ee".to_owned()]));
    // Plain `$name` and `${name}` do not nest, so nothing is lost.
    let words = lexer().process_words("x${B}y", &env);
    assert_eq!(words.ok(), Some(vec!["xbeey".to_owned()]));
}

#[test]
fn raw_quotes_and_raw_escapes() {
    let env = [("A", "1")];
    let mut lex = lexer();
    lex.raw_quotes = true;
    let cases = [
        ("a \"b c\" 'd'", "a \"b c\" 'd'"),
        ("\"$A\"", "\"1\""),
        ("'$A'", "'$A'"),
        ("a\\ b", "a b"),
    ];
    for (input, want) in cases {
        assert_eq!(
            lex.process_word(input, &env).ok().as_deref(),
            Some(want),
            "{input}"
        );
    }
    assert_eq!(
        lex.process_words("a \"b c\" 'd'", &env).ok(),
        Some(vec!["a".to_owned(), "\"b c\"".to_owned(), "'d'".to_owned()])
    );

    let mut lex = lexer();
    lex.raw_escapes = true;
    let cases = [
        ("a\\ b", "a\\ b"),
        ("a\\", "a\\"),
        ("\\$A", "\\$A"),
        ("\"\\$A\"", "\\$A"),
        // BuildKit writes the escape char twice when it escapes nothing
        // inside double quotes.
        ("\"a\\tb\"", "a\\\\tb"),
        // Default/alternative words are processed with raw escapes off ...
        ("${U:-\\$A}", "$A"),
        // ... pattern words with them on.
        ("${A/1/\\$}", "\\$"),
    ];
    for (input, want) in cases {
        assert_eq!(
            lex.process_word(input, &env).ok().as_deref(),
            Some(want),
            "{input}"
        );
    }
    assert_eq!(
        lex.process_words("a\\ b c", &env).ok(),
        Some(vec!["a\\ b".to_owned(), "c".to_owned()])
    );
}

#[test]
fn skip_unset_env_keeps_references() {
    let mut lex = lexer();
    lex.skip_unset_env = true;
    let env = [("S", "set"), ("E", "")];
    let cases = [
        ("$X", "$X"),
        ("${X}", "${X}"),
        ("$S ${S}", "set set"),
        ("${X:-d}", "${X:-d}"),
        ("${X-d}", "${X-d}"),
        ("${X:+a}", "${X:+a}"),
        ("${X?m}", "${X?m}"),
        ("${X#p}", "${X#p}"),
        ("${X%%p}", "${X%%p}"),
        ("${X/a/b}", "${X/a/b}"),
        // BuildKit renders `//` back as `/`.
        ("${X//a/b}", "${X/a/b}"),
        ("${X:-'q'}", "${X:-q}"),
        ("${X:-$S}", "${X:-set}"),
        ("${X:-$Y}", "${X:-$Y}"),
        ("${E:-d}", "d"),
        ("${S:-d}", "set"),
        // Modifier errors come after the lookup, so unset names pass.
        ("${X:1:2}", "${X:1:2}"),
        ("${X:=v}", "${X:=v}"),
        ("$1 $@", "$1 $@"),
    ];
    for (input, want) in cases {
        assert_eq!(
            lex.process_word(input, &env).ok().as_deref(),
            Some(want),
            "{input}"
        );
    }
    for (input, want) in [
        ("${S:=v}", "unsupported modifier (:=) in substitution"),
        ("${X=v}", "unsupported modifier (=) in substitution"),
        ("${X:#v}", "unsupported modifier (:#) in substitution"),
    ] {
        assert_eq!(message(lex, input, &env), want, "{input}");
    }
}

#[test]
fn skip_process_quotes() {
    let mut lex = lexer();
    lex.skip_process_quotes = true;
    let env = [("A", "1")];
    let cases = [
        ("'$A' \"x\"", "'1' \"x\""),
        ("it's", "it's"),
        ("\"unterminated", "\"unterminated"),
        ("\\\"$A", "\"1"),
    ];
    for (input, want) in cases {
        assert_eq!(
            lex.process_word(input, &env).ok().as_deref(),
            Some(want),
            "{input}"
        );
    }
    assert_eq!(
        lex.process_words("\"a b\"", &env).ok(),
        Some(vec!["\"a".to_owned(), "b\"".to_owned()])
    );
}

use crate::dockerfile::heredoc::heredoc_lexer;

#[test]
fn heredoc_blanks_words() {
    let cases: &[(&str, &[&str])] = &[
        ("RUN <<  EOF", &["RUN", "<<  EOF"]),
        ("RUN <<- EOF", &["RUN", "<<-", "EOF"]),
        ("RUN << -EOF", &["RUN", "<< -EOF"]),
        ("RUN cat <<'EOF' >f", &["RUN", "cat", "<<'EOF'", ">f"]),
        ("COPY <<EOF /dest", &["COPY", "<<EOF", "/dest"]),
        ("RUN <<\tEOF", &["RUN", "<<\tEOF"]),
        ("RUN << \r EOF", &["RUN", "<< \r EOF"]),
        ("RUN 3<< EOF", &["RUN", "3<< EOF"]),
        ("RUN <<", &["RUN", "<<"]),
        ("RUN << ", &["RUN", "<< "]),
        ("RUN <<<EOF", &["RUN", "<<<EOF"]),
        ("RUN < EOF", &["RUN", "<", "EOF"]),
        ("RUN \"<< EOF\"", &["RUN", "\"<< EOF\""]),
        ("RUN \\<< EOF", &["RUN", "\\<<", "EOF"]),
        ("RUN <<\"E O\" x", &["RUN", "<<\"E O\"", "x"]),
        ("RUN << $X", &["RUN", "<< $X"]),
        ("RUN <<  EOF <<  TWO", &["RUN", "<<  EOF", "<<  TWO"]),
    ];
    let lex = heredoc_lexer();
    for (input, want) in cases {
        match lex.process_words(input, &EmptyEnv) {
            Ok(w) => assert_eq!(w, *want, "{input:?}"),
            Err(e) => panic!("{input:?}: {e}"),
        }
    }
    // Without the flag, blanks after `<<` split as usual.
    let mut plain = heredoc_lexer();
    plain.heredoc_blanks = false;
    assert_eq!(
        plain.process_words("RUN <<  EOF", &EmptyEnv).ok(),
        Some(vec!["RUN".to_owned(), "<<".to_owned(), "EOF".to_owned()])
    );
    // Tokenisation failures that make BuildKit ignore heredocs.
    for input in ["RUN <<EOF echo it's", "RUN <<EOF ${a=b}", "RUN ${} <<EOF"] {
        assert!(lex.process_words(input, &EmptyEnv).is_err(), "{input}");
    }
}

#[test]
fn env_implementations() {
    let lex = lexer();
    let input = "$A-${B:-none}";
    let hash: HashMap<String, String> = [("A".to_owned(), "h".to_owned())].into();
    let btree: BTreeMap<String, String> = [("A".to_owned(), "t".to_owned())].into();
    let pairs = vec![
        ("A".to_owned(), "1".to_owned()),
        ("A".to_owned(), "2".to_owned()),
    ];
    let strs = vec![("A", "s"), ("B", "b")];
    let dyn_env: &dyn Env = &hash;
    assert_eq!(
        lex.process_word(input, &hash).ok().as_deref(),
        Some("h-none")
    );
    assert_eq!(
        lex.process_word(input, &btree).ok().as_deref(),
        Some("t-none")
    );
    // Later pairs override earlier ones, as in BuildKit's BuildEnvs.
    assert_eq!(
        lex.process_word(input, &pairs).ok().as_deref(),
        Some("2-none")
    );
    assert_eq!(
        lex.process_word(input, &pairs[..]).ok().as_deref(),
        Some("2-none")
    );
    assert_eq!(lex.process_word(input, &strs).ok().as_deref(), Some("s-b"));
    assert_eq!(
        lex.process_word(input, &strs[..]).ok().as_deref(),
        Some("s-b")
    );
    assert_eq!(
        lex.process_word(input, dyn_env).ok().as_deref(),
        Some("h-none")
    );
    assert_eq!(
        lex.process_word(input, &EmptyEnv).ok().as_deref(),
        Some("-none")
    );
    // Lookup is case-sensitive.
    assert_eq!(
        lex.process_word("$a", &[("A", "x")]).ok().as_deref(),
        Some("")
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let lex = lexer();
    let shallow = format!("{}x{}", "${a:-".repeat(100), "}".repeat(100));
    assert_eq!(
        lex.process_word(&shallow, &EmptyEnv).ok().as_deref(),
        Some("x")
    );

    for (open, close) in [("${a:-", "}"), ("${a:-\"", "\"}"), ("\"${a/", "//}\"")] {
        let deep = format!("{}x{}", open.repeat(10_000), close.repeat(10_000));
        let err = match lex.process(&deep, &EmptyEnv) {
            Err(e) => e,
            Ok(_) => panic!("10,000 levels of {open:?} should exceed the cap"),
        };
        assert_eq!(
            err.kind(),
            &ShellErrorKind::TooDeep { limit: MAX_NESTING },
            "{open:?}"
        );
        // Unterminated deep input hits the cap too.
        let open_only = open.repeat(10_000);
        assert!(lex.process(&open_only, &EmptyEnv).is_err());
    }
}

fn lexer_from_flags(flags: u8, backtick: bool) -> Lexer {
    Lexer {
        escape: if backtick { '`' } else { '\\' },
        raw_quotes: flags & 1 != 0,
        raw_escapes: flags & 2 != 0,
        skip_process_quotes: flags & 4 != 0,
        skip_unset_env: flags & 8 != 0,
        heredoc_blanks: flags & 16 != 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_input(input in any::<String>(), flags in 0u8..32, backtick: bool) {
        let lex = lexer_from_flags(flags, backtick);
        let env = [("A", "a b"), ("E", ""), ("P", "\\"), ("S", "*?")];
        let _ = lex.process(&input, &env[..]);
    }

    #[test]
    fn text_without_special_chars_expands_as_the_state_machine_does(
        input in "([a-z0-9/._:=@,*?~<>{}\\[\\]+\\- \t\r\n\u{a0}\u{3000}é`\\\\$'\"]|\u{feff}){0,24}",
        flags in 0u8..32,
        backtick: bool,
    ) {
        let lex = lexer_from_flags(flags, backtick);
        let env = [("A", "a b")];
        prop_assert_eq!(lex.process(&input, &env[..]), lex.process_machine(&input, &env[..]));
    }

    #[test]
    fn never_panics_on_shell_like_input(
        input in "([$\\{\\}:#%/\\-+?='\"`\\\\<> \t\r\nAEPSxé*]|\u{feff}|\\$\\{A|\\$\\{P|\\$\\{S){0,64}",
        flags in 0u8..32,
        backtick: bool,
    ) {
        let lex = lexer_from_flags(flags, backtick);
        let env = [("A", "a b"), ("E", ""), ("P", "\\"), ("S", "*?")];
        if let Ok(e) = lex.process(&input, &env[..]) {
            // Every split word is built from text that also went into the
            // single-word result.
            let joined: usize = e.words.iter().map(String::len).sum();
            prop_assert!(joined <= e.result.len());
        }
    }
}
