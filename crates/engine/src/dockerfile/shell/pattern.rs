//! Glob patterns of `${v#p}`, `${v%p}`, `${v/p/r}` and friends, converted to
//! regular expressions the way BuildKit does (`convertShellPatternToRegex`,
//! `trimPrefix`, `trimSuffix`, `reversePattern`), plus Go's
//! `Regexp.ReplaceAllString` semantics for `${v//p/r}`.
//!
//! Glob escapes are always `\`, whatever the Dockerfile escape token is.

use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, meta};

use super::error::ShellErrorKind;
use crate::dockerfile::gotext::{is_digit, is_letter};

/// Regex program size allowed; large enough that any pattern Go's RE2 accepts
/// compiles here too (Go caps programs at roughly 3.3M instructions).
const REGEX_SIZE_LIMIT: usize = 1 << 30;

/// Go's `%c` of a rune read by `text/scanner`: EOF prints as U+FFFD.
fn rune_char(c: Option<char>) -> char {
    c.unwrap_or('\u{FFFD}')
}

/// Converts a shell glob to regex source: `*` is any string (greedy `.*` or
/// lazy `.*?`), `?` any one char, `\*` `\?` `\\` literals, `\}` `\/` drop the
/// backslash, any other `\x` is an error; no bracket expressions.
fn glob_to_regex_source(pattern: &str, greedy: bool, anchored: bool) -> Result<String, String> {
    let mut chars = pattern.chars().peekable();
    // text/scanner skips a byte order mark at the very start of its source.
    if chars.peek() == Some(&'\u{FEFF}') {
        chars.next();
    }
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    while let Some(mut tok) = chars.next() {
        match tok {
            '*' => {
                out.push_str(star);
                continue;
            }
            '?' => {
                out.push('.');
                continue;
            }
            '\\' => {
                if matches!(chars.peek(), Some('}') | Some('/')) {
                    continue;
                }
                out.push('\\');
                let next = chars.next();
                match next {
                    Some(c @ ('*' | '?' | '\\')) => tok = c,
                    other => return Err(format!("invalid escape '\\{}'", rune_char(other))),
                }
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => out.push('\\'),
            _ => {}
        }
        out.push(tok);
    }
    Ok(out)
}

/// BuildKit's `convertShellPatternToRegex`.
pub(crate) fn shell_pattern_to_regex(
    pattern: &str,
    greedy: bool,
    anchored: bool,
) -> Result<meta::Regex, String> {
    compile(&glob_to_regex_source(pattern, greedy, anchored)?)
}

/// What `regex::RegexBuilder::new(source).size_limit(REGEX_SIZE_LIMIT)`
/// builds (the same syntax, match kind and limits, and its error
/// messages), but without the full DFA: a pattern serves one expansion,
/// and building that DFA cost far more than the search it speeds up
/// (1.8 M against 0.27 M instructions for `x1.*y`). The search runs on the
/// lazy DFA and the NFA engines instead.
fn compile(source: &str) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .dfa(false);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build(source)
        .map_err(|e| {
            // `regex::Error`'s messages.
            if let Some(limit) = e.size_limit() {
                format!("Compiled regex exceeds size limit of {limit} bytes.")
            } else if let Some(syntax) = e.syntax_error() {
                syntax.to_string()
            } else {
                e.to_string()
            }
        })
}

/// BuildKit's `reversePattern`: reverses the chars of a pattern but keeps
/// each `\x` escape pair in order (`a\*c` → `c\*a`).
pub(crate) fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pieces: Vec<&[char]> = Vec::with_capacity(chars.len());
    let mut rest: &[char] = &chars;
    while let Some((&first, tail)) = rest.split_first() {
        let take = if first == '\\' && !tail.is_empty() {
            2
        } else {
            1
        };
        let (piece, after) = rest.split_at(take);
        pieces.push(piece);
        rest = after;
    }
    pieces.iter().rev().flat_map(|p| p.iter()).collect()
}

/// BuildKit's `reverseString`: the chars in reverse order.
pub(crate) fn reverse_string(s: &str) -> String {
    s.chars().rev().collect()
}

fn invalid_pattern(pattern: &str, reason: String) -> ShellErrorKind {
    ShellErrorKind::InvalidPattern {
        pattern: pattern.to_owned(),
        reason,
    }
}

/// `${v#p}` (`greedy` false) and `${v##p}` (true): removes the shortest /
/// longest prefix of `value` matching `pattern`.
pub(crate) fn trim_prefix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, ShellErrorKind> {
    let end = match simple_prefix_end(pattern, value, greedy) {
        Some(end) => end,
        None => shell_pattern_to_regex(pattern, greedy, true)
            .map_err(|e| invalid_pattern(pattern, e))?
            .find(value)
            .map(|m| m.end()),
    };
    Ok(match end {
        Some(end) => value.get(end..).unwrap_or_default().to_owned(),
        None => value.to_owned(),
    })
}

/// Where the prefix of `value` that the regex of `pattern` would match
/// ends (`Some(None)`: no match), worked out without building the regex,
/// for the patterns most Dockerfiles use: a literal with at most one `*`,
/// first or last (`${V%%.*}`, `${V#*-}`, `${V#v}`). `None` for any other
/// pattern. As in the regex, `*` does not run past a newline.
fn simple_prefix_end(pattern: &str, value: &str, greedy: bool) -> Option<Option<usize>> {
    if pattern.contains(['\\', '?', '\u{FEFF}', '\n']) {
        return None;
    }
    // How far `*` can reach from the start: up to the first newline.
    let line = value.find('\n').unwrap_or(value.len());
    match pattern.matches('*').count() {
        0 => Some(value.starts_with(pattern).then_some(pattern.len())),
        1 if pattern.starts_with('*') => {
            let literal = pattern.get(1..).unwrap_or_default();
            // The match starts where the star stops, at or before `line`;
            // the literal holds no newline, so it ends there too.
            let start = if greedy {
                value.get(..line).and_then(|v| v.rfind(literal))
            } else {
                value.find(literal).filter(|&at| at <= line)
            };
            Some(start.map(|at| at + literal.len()))
        }
        1 if pattern.ends_with('*') => {
            let literal = pattern.get(..pattern.len() - 1).unwrap_or_default();
            let matched = value.starts_with(literal);
            Some(matched.then_some(if greedy { line } else { literal.len() }))
        }
        _ => None,
    }
}

/// `${v%p}` / `${v%%p}`: reverses pattern and value and trims a prefix, as
/// BuildKit does (so errors name the reversed pattern).
pub(crate) fn trim_suffix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, ShellErrorKind> {
    let pattern = reverse_pattern(pattern);
    let value = reverse_string(value);
    let trimmed = trim_prefix(&pattern, &value, greedy)?;
    Ok(reverse_string(&trimmed))
}

/// `${v/p/r}` (`all` false: first match, replacement spliced literally) and
/// `${v//p/r}` (`all` true: Go's `ReplaceAllString`, which expands `$0`,
/// `${name}` and `$$` in the replacement). A result that would grow past
/// `limit` bytes is [`ShellErrorKind::TooLong`].
pub(crate) fn replace(
    value: &str,
    pattern: &str,
    replacement: &str,
    all: bool,
    limit: usize,
) -> Result<String, ShellErrorKind> {
    let re =
        shell_pattern_to_regex(pattern, true, false).map_err(|e| invalid_pattern(pattern, e))?;
    if all {
        return go_replace_all(&re, value, replacement, limit).ok_or(ShellErrorKind::TooLong {
            limit: super::MAX_EXPANSION_BYTES,
        });
    }
    Ok(match re.find(value) {
        Some(m) => {
            let mut out = String::with_capacity(value.len() + replacement.len());
            out.push_str(value.get(..m.start()).unwrap_or_default());
            out.push_str(replacement);
            out.push_str(value.get(m.end()..).unwrap_or_default());
            out
        }
        None => value.to_owned(),
    })
}

/// Go's `Regexp.ReplaceAllString` loop: no replacement for an empty match
/// right after the previous match, always advance at least one char.
/// `None` once the result is longer than `limit`.
fn go_replace_all(re: &meta::Regex, src: &str, template: &str, limit: usize) -> Option<String> {
    let mut out = String::with_capacity(src.len().min(limit));
    let mut last_match_end = 0usize;
    let mut search_pos = 0usize;
    while search_pos <= src.len() {
        if out.len() > limit {
            return None;
        }
        let Some(m) = re.find(Input::new(src).span(search_pos..src.len())) else {
            break;
        };
        let (start, end) = (m.start(), m.end());
        if let Some(unmatched) = src.get(last_match_end..start) {
            out.push_str(unmatched);
        }
        if end > last_match_end || start == 0 {
            go_expand(&mut out, template, src.get(start..end).unwrap_or(""), limit);
        }
        last_match_end = end;
        let width = src
            .get(search_pos..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        if search_pos + width > end {
            search_pos += width;
        } else if search_pos + 1 > end {
            search_pos += 1;
        } else {
            search_pos = end;
        }
    }
    if let Some(rest) = src.get(last_match_end..) {
        out.push_str(rest);
    }
    (out.len() <= limit).then_some(out)
}

/// Go's `Regexp.expand` for a regex without capture groups: `$$` is `$`,
/// `$0` / `${0}` the whole match, any other well-formed `$name` / `${name}`
/// is empty, and a malformed `$` is kept literally.
fn go_expand(out: &mut String, mut template: &str, whole: &str, limit: usize) {
    while let Some((before, after)) = template.split_once('$') {
        if out.len() > limit {
            return;
        }
        out.push_str(before);
        template = after;
        if let Some(rest) = template.strip_prefix('$') {
            out.push('$');
            template = rest;
            continue;
        }
        match extract_name(template) {
            Some((name, rest)) => {
                template = rest;
                if group_number(name) == Some(0) {
                    out.push_str(whole);
                }
            }
            None => out.push('$'),
        }
    }
    out.push_str(template);
}

/// Go's `extract`: the name after `$` (`name` or `{name}`) and the rest.
fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| is_letter(c) || is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let (name, rest) = body.split_at(len);
    if braced {
        let rest = rest.strip_prefix('}')?;
        return Some((name, rest));
    }
    Some((name, rest))
}

/// Go's group-number parse of a template name: ASCII digits, no leading
/// zero, below 1e8.
fn group_number(name: &str) -> Option<u32> {
    if name.len() > 1 && name.starts_with('0') {
        return None;
    }
    let mut num: u32 = 0;
    for b in name.bytes() {
        if !b.is_ascii_digit() || num >= 100_000_000 {
            return None;
        }
        num = num * 10 + u32::from(b - b'0');
    }
    Some(num)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_conversion_matches_buildkit() {
        let cases = [
            ("*", "^.*"),
            ("?", "^."),
            ("\\*", "^\\*"),
            (
                "(()[]{\\}^$.\\*\\?|\\\\",
                "^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
            ),
            ("a\\/b", "^a/b"),
        ];
        for (pattern, want) in cases {
            assert_eq!(
                glob_to_regex_source(pattern, true, true).as_deref(),
                Ok(want),
                "{pattern}"
            );
        }
        assert_eq!(
            glob_to_regex_source("a*", false, false).as_deref(),
            Ok("a.*?")
        );
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(glob_to_regex_source(bad, true, true).is_err(), "{bad}");
        }
        assert_eq!(
            glob_to_regex_source("\\x", true, true),
            Err("invalid escape '\\x'".to_owned())
        );
        assert_eq!(
            glob_to_regex_source("\\", true, true),
            Err("invalid escape '\\\u{FFFD}'".to_owned())
        );
    }

    /// The prefix end the regex finds: what the fast path must agree with.
    fn regex_prefix_end(pattern: &str, value: &str, greedy: bool) -> Option<usize> {
        shell_pattern_to_regex(pattern, greedy, true)
            .ok()
            .and_then(|re| re.find(value).map(|m| m.end()))
    }

    #[test]
    fn simple_patterns_trim_as_the_regex_does() {
        let table = [
            ("*.", "1.2.3", false, Some(Some(2))),
            ("*.", "1.2.3", true, Some(Some(4))),
            (".*", ".2.3", true, Some(Some(4))),
            ("v", "v1", false, Some(Some(1))),
            ("*-", "a\nb-c", false, Some(None)),
            ("a*", "ab\nc", true, Some(Some(2))),
            ("*", "ab", false, Some(Some(0))),
            ("*", "ab", true, Some(Some(2))),
            ("*a-", "a-\n\u{e9}", true, Some(Some(2))),
            ("a*b", "ab", false, None),
            ("*a*", "ab", false, None),
            ("?", "ab", false, None),
            ("\\*", "*", false, None),
        ];
        for (pattern, value, greedy, want) in table {
            assert_eq!(
                simple_prefix_end(pattern, value, greedy),
                want,
                "{pattern} {value:?} {greedy}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_regex(
            pattern in "[ab*.\n-]{0,5}",
            value in "[ab.\n\u{e9}-]{0,8}",
            greedy: bool,
        ) {
            if let Some(end) = simple_prefix_end(&pattern, &value, greedy) {
                proptest::prop_assert_eq!(end, regex_prefix_end(&pattern, &value, greedy));
            }
        }
    }

    proptest::proptest! {
        /// The regex built without the full DFA finds what the `regex`
        /// crate's finds, from every start, and fails with its message.
        #[test]
        fn compiled_patterns_match_as_the_regex_crate(
            pattern in "[ab*?.\\[\\]!^-]{0,6}",
            value in "[ab.\n\u{e9}-]{0,8}",
            greedy: bool,
            anchored: bool,
        ) {
            let Ok(source) = glob_to_regex_source(&pattern, greedy, anchored) else {
                return Ok(());
            };
            let ours = compile(&source);
            let theirs = regex::RegexBuilder::new(&source)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| e.to_string());
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => {
                    for start in 0..=value.len() {
                        if !value.is_char_boundary(start) {
                            continue;
                        }
                        proptest::prop_assert_eq!(
                            ours.find(Input::new(&value).span(start..value.len()))
                                .map(|m| m.range()),
                            theirs.find_at(&value, start).map(|m| m.range())
                        );
                    }
                }
                (Err(ours), Err(theirs)) => proptest::prop_assert_eq!(ours, theirs),
                (ours, theirs) => proptest::prop_assert!(
                    false,
                    "{} {:?} {:?}",
                    source,
                    ours.err(),
                    theirs.err()
                ),
            }
        }
    }

    #[test]
    fn invalid_sources_fail_with_the_regex_crates_message() {
        // A glob always converts to valid source (every special char is
        // escaped); `compile` still reports what the `regex` crate would.
        for source in ["[b-a]", "a(", "x{2,1}"] {
            let theirs = regex::RegexBuilder::new(source)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map(|_| ())
                .map_err(|e| e.to_string());
            assert!(theirs.is_err(), "{source} should not compile");
            assert_eq!(compile(source).map(|_| ()), theirs, "{source}");
        }
    }

    #[test]
    fn reverse_pattern_keeps_escapes() {
        let cases = [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
            ("", ""),
        ];
        for (pattern, want) in cases {
            assert_eq!(reverse_pattern(pattern), want, "{pattern}");
        }
        assert_eq!(reverse_string("🖖🚀👽"), "👽🚀🖖");
    }

    #[test]
    fn replace_all_follows_go() {
        // Regexp.MustCompile("x*").ReplaceAllString("abc", "-") == "-a-b-c-"
        let star = compile("x*").expect("valid");
        let o = shell_pattern_to_regex("o", true, false).expect("valid");
        let table = [
            (&star, "abc", "-", "-a-b-c-"),
            (&star, "xa", "-", "-a-"),
            (&star, "axxb", "<$0>", "<>a<xx>b<>"),
            (&o, "foo", "0", "f00"),
            (&o, "foo", "$$", "f$$"),
            (&o, "foo", "${0}0", "fo0o0"),
            (&o, "foo", "$1x", "f"),
            (&o, "foo", "$", "f$$"),
            (&o, "foo", "${0", "f${0${0"),
            (&o, "foo", "$00", "f"),
        ];
        for (re, src, template, want) in table {
            assert_eq!(
                go_replace_all(re, src, template, usize::MAX).as_deref(),
                Some(want),
                "{src} {template}"
            );
        }
    }
}
