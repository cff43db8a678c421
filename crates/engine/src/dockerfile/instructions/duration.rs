//! Go's `time.ParseDuration`, error texts included.

/// Nanoseconds per unit, as in Go's `unitMap`.
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// The `time` package's own `quote`: ASCII printable characters kept (with
/// `"` and `\` escaped), every byte of anything else as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

const LIMIT: u64 = 1 << 63;

/// Go's `leadingInt`: the leading `[0-9]*`; `None` on overflow.
fn leading_int(s: &[u8]) -> Option<(u64, usize)> {
    let mut x: u64 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if x > LIMIT / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > LIMIT {
            return None;
        }
        i += 1;
    }
    Some((x, i))
}

/// Go's `leadingFraction`: the leading `[0-9]*` as a fraction; stops
/// gaining precision on overflow.
fn leading_fraction(s: &[u8]) -> (u64, f64, usize) {
    let mut x: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > (LIMIT - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > LIMIT {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, i)
}

/// Go's `time.ParseDuration`: nanoseconds (negative allowed), or Go's error.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = s.get(1..).unwrap_or_default();
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let (mut v, consumed) = leading_int(s).ok_or_else(invalid)?;
        let pre = consumed != 0;
        s = s.get(consumed..).unwrap_or_default();
        let (mut f, mut scale, mut post) = (0u64, 1.0f64, false);
        if s.first() == Some(&b'.') {
            s = s.get(1..).unwrap_or_default();
            let (fx, fscale, used) = leading_fraction(s);
            (f, scale, post) = (fx, fscale, used != 0);
            s = s.get(used..).unwrap_or_default();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let (unit_bytes, rest) = s.split_at(unit_len);
        s = rest;
        // The unit ends at an ASCII byte or the end, so it is valid UTF-8.
        let unit = std::str::from_utf8(unit_bytes).unwrap_or_default();
        let Some(per) = unit_nanos(unit) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                time_quote(unit),
                time_quote(orig)
            ));
        };
        if v > LIMIT / per {
            return Err(invalid());
        }
        v *= per;
        if f > 0 {
            // Go converts the float to uint64, saturating like this cast.
            v = v.saturating_add((f as f64 * (per as f64 / scale)) as u64);
            if v > LIMIT {
                return Err(invalid());
            }
        }
        // Go adds in uint64 and wraps (2^63 + 2^63 is 0).
        d = d.wrapping_add(v);
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        // d <= 2^63, so the negation fits.
        return Ok(i64::try_from(i128::from(d).wrapping_neg()).unwrap_or(i64::MIN));
    }
    i64::try_from(d).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted() {
        let table = [
            ("0", 0),
            ("-0", 0),
            ("+0", 0),
            ("0s", 0),
            ("1s", 1_000_000_000),
            ("300ms", 300_000_000),
            ("-1s", -1_000_000_000),
            ("1h2m3.5s", 3_723_500_000_000),
            ("1us", 1_000),
            ("1\u{b5}s", 1_000),
            ("1\u{3bc}s", 1_000),
            ("1ns", 1),
            (".5s", 500_000_000),
            ("5.s", 5_000_000_000),
            ("1.000000001s", 1_000_000_001),
            ("2562047h47m16.854775807s", i64::MAX),
            ("-2562047h47m16.854775808s", i64::MIN),
            // Go's uint64 sum wraps to zero here.
            ("9223372036854775808ns9223372036854775808ns", 0),
        ];
        for (s, want) in table {
            assert_eq!(parse_duration(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn errors() {
        let table = [
            ("x", r#"time: invalid duration "x""#),
            ("", r#"time: invalid duration """#),
            ("-", r#"time: invalid duration "-""#),
            ("1", r#"time: missing unit in duration "1""#),
            ("1.5", r#"time: missing unit in duration "1.5""#),
            ("1x", r#"time: unknown unit "x" in duration "1x""#),
            ("1sec", r#"time: unknown unit "sec" in duration "1sec""#),
            (".s", r#"time: invalid duration ".s""#),
            ("s", r#"time: invalid duration "s""#),
            ("1s ", r#"time: unknown unit "s " in duration "1s ""#),
            (
                "1é",
                r#"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#,
            ),
            (
                "9223372036854775808ns",
                r#"time: invalid duration "9223372036854775808ns""#,
            ),
            (
                "2562047h47m16.854775808s",
                r#"time: invalid duration "2562047h47m16.854775808s""#,
            ),
            (
                "99999999999999999999s",
                r#"time: invalid duration "99999999999999999999s""#,
            ),
        ];
        for (s, want) in table {
            assert_eq!(parse_duration(s), Err(want.to_string()), "{s}");
        }
    }
}
