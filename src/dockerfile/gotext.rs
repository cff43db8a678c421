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
    s.trim_start_matches(is_space)
}
