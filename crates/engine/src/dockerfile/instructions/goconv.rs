//! Go `strconv` and `strings` behaviour the typed layer depends on: integer
//! and boolean parsing with Go's error texts, and `strings.ToUpper`.

use crate::dockerfile::gotext::quote;

/// Go's `strconv.NumError` text: `strconv.<func>: parsing "<num>": <reason>`.
fn num_error(func: &str, num: &str, reason: &str) -> String {
    format!("strconv.{func}: parsing {}: {reason}", quote(num))
}

const SYNTAX: &str = "invalid syntax";
const RANGE: &str = "value out of range";

/// Why Go's integer parsing failed, before it is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseUint(s, base, bit_size)` for an explicit base in
/// `2..=36` and `bit_size` in `1..=64`: no sign, no prefix, no underscores.
fn parse_uint_raw(s: &str, base: u32, bit_size: u32) -> Result<u64, IntError> {
    if s.is_empty() || !(2..=36).contains(&base) {
        return Err(IntError::Syntax);
    }
    let max_val: u64 = if bit_size >= 64 {
        u64::MAX
    } else {
        (1u64 << bit_size) - 1
    };
    let base64 = u64::from(base);
    let cutoff = u64::MAX / base64 + 1;
    let mut n: u64 = 0;
    for c in s.bytes() {
        let lower = c | 0x20;
        let d = if c.is_ascii_digit() {
            u64::from(c - b'0')
        } else if lower.is_ascii_lowercase() {
            u64::from(lower - b'a') + 10
        } else {
            return Err(IntError::Syntax);
        };
        if d >= base64 {
            return Err(IntError::Syntax);
        }
        if n >= cutoff {
            return Err(IntError::Range);
        }
        n *= base64;
        let n1 = n.wrapping_add(d);
        if n1 < n || n1 > max_val {
            return Err(IntError::Range);
        }
        n = n1;
    }
    Ok(n)
}

/// Go's `strconv.ParseUint(s, base, bit_size)`, error text included.
pub fn parse_uint(s: &str, base: u32, bit_size: u32) -> Result<u64, String> {
    parse_uint_raw(s, base, bit_size).map_err(|e| match e {
        IntError::Syntax => num_error("ParseUint", s, SYNTAX),
        IntError::Range => num_error("ParseUint", s, RANGE),
    })
}

/// Go's `strconv.ParseInt(s, base, bit_size)`, error text included.
pub fn parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, String> {
    let syntax = || num_error("ParseInt", s, SYNTAX);
    let range = || num_error("ParseInt", s, RANGE);
    let (neg, digits) = match s.as_bytes().first() {
        None => return Err(syntax()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(_) => (false, s),
    };
    let bit_size = bit_size.clamp(1, 64);
    let un = match parse_uint_raw(digits, base, bit_size) {
        Ok(v) => v,
        Err(IntError::Syntax) => return Err(syntax()),
        Err(IntError::Range) => return Err(range()),
    };
    let cutoff = 1u64 << (bit_size - 1);
    if !neg && un >= cutoff {
        return Err(range());
    }
    if neg && un > cutoff {
        return Err(range());
    }
    // `un <= 2^63` here, so the conversion through i128 is exact.
    let value = i128::from(un);
    let value = if neg { -value } else { value };
    i64::try_from(value).map_err(|_| range())
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(num_error("ParseBool", s, SYNTAX)),
    }
}

/// Go's `unicode.ToUpper` for one rune (simple case mapping): Rust's full
/// mapping when it is a single character, else the rune unchanged.
fn to_upper_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `strings.ToUpper`.
pub fn to_upper(s: &str) -> String {
    s.chars().map(to_upper_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_matches_go() {
        let ok = [
            ("3", 3),
            ("+7", 7),
            ("-2", -2),
            ("2147483647", i64::from(i32::MAX)),
        ];
        for (s, want) in ok {
            assert_eq!(parse_int(s, 10, 32), Ok(want), "{s}");
        }
        let err = [
            ("x", r#"strconv.ParseInt: parsing "x": invalid syntax"#),
            ("", r#"strconv.ParseInt: parsing "": invalid syntax"#),
            ("+", r#"strconv.ParseInt: parsing "+": invalid syntax"#),
            ("1_0", r#"strconv.ParseInt: parsing "1_0": invalid syntax"#),
            (
                "0x10",
                r#"strconv.ParseInt: parsing "0x10": invalid syntax"#,
            ),
            (
                "2147483648",
                r#"strconv.ParseInt: parsing "2147483648": value out of range"#,
            ),
            (
                "-2147483649",
                r#"strconv.ParseInt: parsing "-2147483649": value out of range"#,
            ),
            (
                "99999999999x",
                r#"strconv.ParseInt: parsing "99999999999x": value out of range"#,
            ),
        ];
        for (s, want) in err {
            assert_eq!(parse_int(s, 10, 32), Err(want.to_string()), "{s}");
        }
        assert_eq!(parse_int("-2147483648", 10, 32), Ok(-2147483648));
    }

    #[test]
    fn parse_uint_matches_go() {
        assert_eq!(parse_uint("0755", 8, 32), Ok(0o755));
        assert_eq!(parse_uint("37777777777", 8, 32), Ok(u64::from(u32::MAX)));
        assert!(parse_uint("40000000000", 8, 32).is_err());
        assert!(parse_uint("8", 8, 32).is_err());
        assert!(parse_uint("+1", 10, 32).is_err());
        assert!(parse_uint("", 10, 32).is_err());
        assert_eq!(parse_uint("4294967295", 10, 32), Ok(4294967295));
        assert_eq!(
            parse_uint("4294967296", 10, 32),
            Err(r#"strconv.ParseUint: parsing "4294967296": value out of range"#.to_string())
        );
    }

    #[test]
    fn parse_bool_matches_go() {
        for s in ["1", "t", "T", "true", "TRUE", "True"] {
            assert_eq!(parse_bool(s), Ok(true));
        }
        for s in ["0", "f", "F", "false", "FALSE", "False"] {
            assert_eq!(parse_bool(s), Ok(false));
        }
        for s in ["yes", "tRUE", "", " true"] {
            assert!(parse_bool(s).is_err(), "{s}");
        }
    }

    #[test]
    fn to_upper_uses_simple_mapping() {
        assert_eq!(to_upper("cmd-shell"), "CMD-SHELL");
        assert_eq!(to_upper("straße"), "STRAßE");
        assert_eq!(to_upper("é"), "É");
    }
}
