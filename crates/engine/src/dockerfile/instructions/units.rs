//! docker/go-units `RAMInBytes`: sizes such as `64m`, `1g`, `512KiB`, `100`.

use super::gofloat::{float_to_int64, parse_float};
use crate::dockerfile::gotext::to_lower;

/// The multiplier of a binary unit letter.
fn multiplier(unit: u8) -> Option<f64> {
    let shift = match unit {
        b'k' => 10,
        b'm' => 20,
        b'g' => 30,
        b't' => 40,
        b'p' => 50,
        _ => return None,
    };
    Some((1u64 << shift) as f64)
}

/// go-units `RAMInBytes`: a number (Go float syntax, optionally followed by
/// one space) and an optional case-insensitive suffix `b`, `k`, `kb`, `kib`,
/// … `p`, `pib`. `None` where go-units reports an error.
pub fn ram_in_bytes(size: &str) -> Option<i64> {
    let sep = size
        .bytes()
        .rposition(|b| b.is_ascii_digit() || b == b'.' || b == b' ')?;
    let (num, sfx) = if size.as_bytes().get(sep) == Some(&b' ') {
        (size.get(..sep)?, size.get(sep + 1..)?)
    } else {
        (size.get(..=sep)?, size.get(sep + 1..)?)
    };
    let mut value = parse_float(num)?;
    // Negative sizes are rejected (`-0` is not negative).
    if value < 0.0 {
        return None;
    }
    if sfx.is_empty() {
        return Some(float_to_int64(value));
    }
    if sfx.len() > 3 {
        return None;
    }
    let sfx = to_lower(sfx);
    let bytes = sfx.as_bytes();
    let first = *bytes.first()?;
    if first == b'b' {
        return (bytes.len() == 1).then(|| float_to_int64(value));
    }
    value *= multiplier(first)?;
    let tail_ok = match bytes.len() {
        2 => bytes.get(1) == Some(&b'b'),
        3 => bytes.get(1..) == Some(b"ib".as_slice()),
        _ => true,
    };
    tail_ok.then(|| float_to_int64(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted() {
        let table = [
            ("100", 100),
            ("0", 0),
            ("64m", 64 << 20),
            ("64M", 64 << 20),
            ("1g", 1 << 30),
            ("512k", 512 << 10),
            ("512kb", 512 << 10),
            ("512KiB", 512 << 10),
            ("1t", 1 << 40),
            ("1p", 1 << 50),
            ("10b", 10),
            ("10B", 10),
            ("1.5k", 1536),
            ("0.5", 0),
            ("32 m", 32 << 20),
            ("5 ", 5),
            ("1\u{212a}", 1024),
        ];
        for (s, want) in table {
            assert_eq!(ram_in_bytes(s), Some(want), "{s}");
        }
    }

    #[test]
    fn rejected() {
        for s in [
            "", "m", "abc", "-1", "-1m", "1x", "1kk", "1kib5", "1bb", "1mbb", "1 2m", "1kx",
        ] {
            assert_eq!(ram_in_bytes(s), None, "{s}");
        }
    }
}
