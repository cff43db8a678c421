//! Each function against the standard library's, for every size up to
//! 300 bytes at every alignment of a 16-byte word, and at random.

use std::vec::Vec;

use proptest::prelude::*;

use super::{compare, copy, differ};

/// Bytes that differ from their neighbours, so a copy from the wrong place
/// shows.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// `copy` of `n` bytes from `from` to `to` inside one buffer, against
/// `Vec::copy_within` (which is `memmove`).
fn check_move(len: usize, from: usize, to: usize, n: usize) {
    let mut ours = pattern(len, 7);
    let mut expected = ours.clone();
    expected.copy_within(from..from + n, to);
    let base = ours.as_mut_ptr();
    // SAFETY: `from + n` and `to + n` are within the buffer.
    unsafe { copy(base.add(to), base.add(from), n) };
    assert_eq!(ours, expected, "len {len}, from {from}, to {to}, n {n}");
}

#[test]
fn copies_every_size_at_every_alignment() {
    for n in 0..=300 {
        for src_offset in 0..16 {
            for dst_offset in 0..16 {
                let src = pattern(n + 32, 3);
                let mut dst = std::vec![0xAAu8; n + 32];
                // SAFETY: both offsets plus `n` are inside the buffers.
                unsafe {
                    copy(
                        dst.as_mut_ptr().add(dst_offset),
                        src.as_ptr().add(src_offset),
                        n,
                    )
                };
                let copied = &dst[dst_offset..dst_offset + n];
                assert_eq!(copied, &src[src_offset..src_offset + n], "n {n}");
                // Nothing outside the destination is touched.
                assert!(dst[..dst_offset].iter().all(|&b| b == 0xAA), "n {n}");
                assert!(dst[dst_offset + n..].iter().all(|&b| b == 0xAA), "n {n}");
            }
        }
    }
}

#[test]
fn moves_overlapping_ranges_both_ways() {
    for n in 0..=300 {
        for shift in [1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100] {
            check_move(n + shift, 0, shift, n);
            check_move(n + shift, shift, 0, n);
        }
        check_move(n, 0, 0, n);
    }
}

#[test]
fn compares_like_the_standard_library() {
    for n in 0..=100 {
        let a = pattern(n, 5);
        // SAFETY: both buffers hold `n` bytes.
        assert_eq!(unsafe { compare(a.as_ptr(), a.as_ptr(), n) }, 0);
        // SAFETY: as above.
        assert_eq!(unsafe { differ(a.as_ptr(), a.as_ptr(), n) }, 0);
        for at in 0..n {
            for delta in [1u8, 0x7F, 0x80, 0xFF] {
                let mut b = a.clone();
                b[at] = b[at].wrapping_add(delta);
                // A byte after the first difference pulls the other way,
                // so only the first difference may decide.
                if at + 1 < n {
                    b[at + 1] = a[at + 1].wrapping_sub(delta);
                }
                let expected = a.cmp(&b) as i32;
                // SAFETY: both buffers hold `n` bytes.
                let got = unsafe { compare(a.as_ptr(), b.as_ptr(), n) };
                assert_eq!(got.signum(), expected, "n {n}, at {at}, delta {delta}");
                // SAFETY: as above.
                let got = unsafe { compare(b.as_ptr(), a.as_ptr(), n) };
                assert_eq!(got.signum(), -expected, "n {n}, at {at}, delta {delta}");
                // SAFETY: as above.
                assert_ne!(unsafe { differ(a.as_ptr(), b.as_ptr(), n) }, 0);
            }
        }
    }
}

proptest! {
    #[test]
    fn moves_any_range_like_copy_within(
        len in 1usize..2000,
        from in any::<prop::sample::Index>(),
        to in any::<prop::sample::Index>(),
        n in any::<prop::sample::Index>(),
    ) {
        let from = from.index(len);
        let to = to.index(len);
        let n = n.index(len - from.max(to) + 1);
        check_move(len, from, to, n);
    }

    #[test]
    fn compares_any_bytes_like_slices(
        a in prop::collection::vec(any::<u8>(), 0..300),
        b in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        // SAFETY: both slices hold `n` bytes.
        let got = unsafe { compare(a.as_ptr(), b.as_ptr(), n) };
        prop_assert_eq!(got.signum(), a.cmp(b) as i32);
        // SAFETY: as above.
        let differs = unsafe { differ(a.as_ptr(), b.as_ptr(), n) } != 0;
        prop_assert_eq!(differs, a != b);
    }
}
