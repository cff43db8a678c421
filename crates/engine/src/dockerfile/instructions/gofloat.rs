//! Go's `strconv.ParseFloat` and amd64 `int64(float64)` conversion, as
//! go-units size parsing relies on them.

/// Go's `strconv` `underscoreOK`: underscores only between digits (a base
/// prefix counts as a digit).
fn underscore_ok(s: &[u8]) -> bool {
    let mut s = s;
    if let Some(b'+' | b'-') = s.first() {
        s = s.get(1..).unwrap_or_default();
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s.first() == Some(&b'0') {
        let p = s.get(1).map_or(0, |c| c | 0x20);
        if matches!(p, b'b' | b'o' | b'x') {
            i = 2;
            saw = b'0';
            hex = p == b'x';
        }
    }
    while let Some(&c) = s.get(i) {
        i += 1;
        if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&(c | 0x20))) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Go's `readFloat` grammar over the whole of `s`: `Some(hex)` when `s` is a
/// well-formed decimal (`hex == false`) or hexadecimal float literal.
fn float_syntax(s: &[u8]) -> Option<bool> {
    let at = |i: usize| s.get(i).copied();
    let mut i = 0;
    if let Some(b'+' | b'-') = at(0) {
        i += 1;
    }
    let mut hex = false;
    if i + 2 < s.len() && at(i) == Some(b'0') && at(i + 1).map(|c| c | 0x20) == Some(b'x') {
        hex = true;
        i += 2;
    }
    let (mut underscores, mut saw_dot, mut saw_digits) = (false, false, false);
    while let Some(c) = at(i) {
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if saw_dot {
                break;
            }
            saw_dot = true;
        } else if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&(c | 0x20))) {
            saw_digits = true;
        } else {
            break;
        }
        i += 1;
    }
    if !saw_digits {
        return None;
    }
    let exp_char = if hex { b'p' } else { b'e' };
    if at(i).map(|c| c | 0x20) == Some(exp_char) {
        i += 1;
        if let Some(b'+' | b'-') = at(i) {
            i += 1;
        }
        if !at(i).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        while let Some(c) = at(i) {
            if c == b'_' {
                underscores = true;
            } else if !c.is_ascii_digit() {
                break;
            }
            i += 1;
        }
    } else if hex {
        return None;
    }
    if i != s.len() || (underscores && !underscore_ok(s)) {
        return None;
    }
    Some(hex)
}

/// The value of a hexadecimal float literal already checked by
/// [`float_syntax`], underscores removed.
fn hex_float_value(s: &str) -> f64 {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let body = body.get(2..).unwrap_or_default();
    let (mantissa, exponent) = body.split_once(['p', 'P']).unwrap_or((body, "0"));
    let mut value = 0.0f64;
    let mut frac_digits: i64 = 0;
    let mut after_dot = false;
    for c in mantissa.chars() {
        if c == '.' {
            after_dot = true;
            continue;
        }
        value = value * 16.0 + f64::from(c.to_digit(16).unwrap_or(0));
        if after_dot {
            frac_digits += 1;
        }
    }
    let exp: i64 =
        exponent
            .trim_start_matches('+')
            .parse::<i64>()
            .unwrap_or(if exponent.starts_with('-') {
                -100_000
            } else {
                100_000
            });
    let shift = exp
        .saturating_sub(frac_digits.saturating_mul(4))
        .clamp(-4000, 4000);
    let mut result = value;
    // Scale in steps so that intermediate powers stay finite and non-zero.
    let mut left = shift;
    while left != 0 && result != 0.0 && result.is_finite() {
        let step = left.clamp(-1000, 1000);
        result *= 2f64.powi(i32::try_from(step).unwrap_or(0));
        left -= step;
    }
    if neg { -result } else { result }
}

/// Go's `strconv.ParseFloat(s, 64)` (decimal and hexadecimal forms,
/// underscores, `inf`/`infinity`/`nan`); `None` where Go reports an error,
/// including out-of-range values.
pub fn parse_float(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let (neg, signed, body) = match bytes.first() {
        Some(b'-') => (true, true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, true, s.get(1..).unwrap_or_default()),
        _ => (false, false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if !signed && lower == "nan" {
        return Some(f64::NAN);
    }
    let hex = float_syntax(bytes)?;
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let value = if hex {
        hex_float_value(&clean)
    } else {
        clean.parse::<f64>().ok()?
    };
    value.is_finite().then_some(value)
}

/// Go's `int64(f)` on amd64: truncation, and `i64::MIN` for NaN and
/// out-of-range values.
pub fn float_to_int64(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&f) {
        return i64::MIN;
    }
    f as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_float_matches_go() {
        let ok = [
            ("1", 1.0),
            ("1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("+2", 2.0),
            ("-2", -2.0),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("1_000", 1000.0),
            ("0x10p0", 16.0),
            ("0x1p-2", 0.25),
            ("0x1.8p1", 3.0),
            ("0x_1p4", 16.0),
            ("1e-400", 0.0),
        ];
        for (s, want) in ok {
            assert_eq!(parse_float(s), Some(want), "{s}");
        }
        assert_eq!(parse_float("inf"), Some(f64::INFINITY));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        for s in [
            "", ".", "e5", "1e", "1e+", "0x10", "1__0", "_1", "1_", "+nan", "1e400", "infin",
            "1.2.3", " 1", "0x",
        ] {
            assert_eq!(parse_float(s), None, "{s}");
        }
    }

    #[test]
    fn float_to_int64_is_amd64_conversion() {
        assert_eq!(float_to_int64(1.9), 1);
        assert_eq!(float_to_int64(-1.9), -1);
        assert_eq!(float_to_int64(f64::NAN), i64::MIN);
        assert_eq!(float_to_int64(1e19), i64::MIN);
        assert_eq!(float_to_int64(f64::INFINITY), i64::MIN);
    }
}
