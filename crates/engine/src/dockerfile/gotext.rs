//! Go string semantics that BuildKit's behaviour depends on.
//!
//! BuildKit is written in Go, and some of its observable behaviour follows
//! from Go's `unicode` and `strings` packages rather than from any grammar:
//! which characters count as space, how keywords are lower-cased and how
//! names are compared case-insensitively. These helpers reproduce that.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Go's `unicode.IsSpace`: the Unicode `White_Space` property, which is what
/// Rust's [`char::is_whitespace`] implements too.
#[inline]
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '\t'..='\r' | ' ');
    }
    c.is_whitespace()
}

/// Go's `unicode.IsLetter`: general category L.
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.general_category_group() == GeneralCategoryGroup::Letter
}

/// Go's `unicode.IsDigit`: general category Nd.
#[inline]
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    c.general_category() == unicode_properties::GeneralCategory::DecimalNumber
}

/// Go's `strings.TrimSpace`: removes [`is_space`] characters at both ends.
#[inline]
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`.
#[inline]
pub fn trim_left_space(s: &str) -> &str {
    let ascii = s
        .bytes()
        .position(|b| !matches!(b, b'\t'..=b'\r' | b' '))
        .unwrap_or(s.len());
    let rest = s.get(ascii..).unwrap_or_default();
    if rest.as_bytes().first().is_some_and(|b| !b.is_ascii()) {
        rest.trim_start_matches(is_space)
    } else {
        rest
    }
}

/// Go's `unicode.ToLower` for one rune (simple case mapping).
///
/// Rust's [`char::to_lowercase`] is the full mapping; the two differ only for
/// U+0130 (`İ`), whose simple lower case is a plain `i`.
#[inline]
pub fn to_lower_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => 'i',
    }
}

/// Go's `strings.ToLower`.
pub fn to_lower(s: &str) -> String {
    s.chars().map(to_lower_char).collect()
}

/// Go's `strings.EqualFold`: equal under simple Unicode case folding
/// (so `K`, the Kelvin sign, equals `k`, and `ſ` equals `s`).
pub fn equal_fold(a: &str, b: &str) -> bool {
    let mut a = a.chars();
    let mut b = b.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                if x != y && fold(x) != fold(y) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

fn fold(c: char) -> char {
    let mut upper = c.to_uppercase();
    let u = match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    };
    to_lower_char(u)
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space.
pub fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter
            | GeneralCategoryGroup::Mark
            | GeneralCategoryGroup::Number
            | GeneralCategoryGroup::Punctuation
            | GeneralCategoryGroup::Symbol
    )
}

/// Go's `strconv.Quote`: a double-quoted Go string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

/// Appends Go's `strconv.Quote(s)` to `out`.
pub fn quote_into(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        let cases = [
            ("plain", r#""plain""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("tab\there\n", r#""tab\there\n""#),
            ("\u{1b}[0m", r#""\x1b[0m""#),
            ("\u{7f}", r#""\x7f""#),
            ("nbsp\u{a0}", r#""nbsp\u00a0""#),
            ("josé 한국어", "\"josé 한국어\""),
            ("\u{feff}", r#""\ufeff""#),
            ("\u{e0001}", r#""\U000e0001""#),
            ("\u{7}\u{8}\u{b}\u{c}\r", r#""\a\b\v\f\r""#),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input), want, "quoting {input:?}");
        }
    }

    #[test]
    fn lower_and_fold_follow_go() {
        assert_eq!(to_lower("FrOm"), "from");
        assert_eq!(to_lower("WOR\u{212a}DIR"), "workdir");
        assert_eq!(to_lower("\u{130}"), "i");
        assert!(equal_fold("AS", "as"));
        assert!(equal_fold("a\u{17f}", "as"));
        assert!(!equal_fold("ass", "as"));
        assert!(!equal_fold("a", "as"));
    }

    #[test]
    fn space_is_go_unicode_is_space() {
        for c in [
            '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{2003}', '\u{3000}',
        ] {
            assert!(is_space(c), "{c:?} is space in Go");
        }
        for c in ['\u{1c}', 'a', '\u{200b}', '\u{feff}'] {
            assert!(!is_space(c), "{c:?} is not space in Go");
        }
    }
}
