//! `memcpy`, `memmove`, `memcmp` and `bcmp` for restage's static musl
//! build.
//!
//! musl's x86_64 `memcpy` (and `memmove`, which forwards to it) copies
//! with `rep movsq` whatever the size, and its `memcmp` compares one byte
//! at a time. The analysis copies and compares many short strings: under
//! load, musl's `memcpy` alone took 17.7% of the shipped server's CPU
//! samples for `POST /api/v1/lint` (BENCHMARKS.md, "musl's memcpy").
//! These versions move 8 or 16 bytes per load and store, with overlapping
//! loads at both ends so that no size needs a byte loop.
//!
//! On `x86_64-unknown-linux-musl` the crate exports the four symbols; the
//! static link then takes them instead of `libc.a`'s (an archive member is
//! only pulled in for a symbol nothing else defines). Elsewhere it exports
//! nothing, since glibc's are faster still, but the functions are the same
//! plain Rust functions everywhere, so the tests run them on every target.
//!
//! `no_builtins` keeps LLVM from turning these loops back into calls to
//! `memcpy` or `memcmp`, which would recurse.

#![no_std]
#![no_builtins]

#[cfg(test)]
extern crate std;

use core::ffi::c_int;

/// Reads a `T` from `p`, which need not be aligned.
///
/// # Safety
/// `p..p + size_of::<T>()` must be readable.
#[inline(always)]
unsafe fn load<T: Copy>(p: *const u8) -> T {
    // SAFETY: the caller guarantees the bytes are readable.
    unsafe { p.cast::<T>().read_unaligned() }
}

/// Writes `v` at `p`, which need not be aligned.
///
/// # Safety
/// `p..p + size_of::<T>()` must be writable.
#[inline(always)]
unsafe fn store<T>(p: *mut u8, v: T) {
    // SAFETY: the caller guarantees the bytes are writable.
    unsafe { p.cast::<T>().write_unaligned(v) }
}

/// 64 bytes read at once.
type Block = [u128; 4];

/// Reads 64 bytes from `p`.
///
/// # Safety
/// `p..p + 64` must be readable.
#[inline(always)]
unsafe fn load_block(p: *const u8) -> Block {
    // SAFETY: the caller guarantees 64 readable bytes.
    unsafe { [load(p), load(p.add(16)), load(p.add(32)), load(p.add(48))] }
}

/// Writes 64 bytes at `p`.
///
/// # Safety
/// `p..p + 64` must be writable.
#[inline(always)]
unsafe fn store_block(p: *mut u8, b: Block) {
    // SAFETY: the caller guarantees 64 writable bytes.
    unsafe {
        store(p, b[0]);
        store(p.add(16), b[1]);
        store(p.add(32), b[2]);
        store(p.add(48), b[3]);
    }
}

/// Copies `n` bytes from `src` to `dst`; the two ranges may overlap
/// (`memmove`'s contract, which covers `memcpy`'s).
///
/// Up to 64 bytes, every load happens before any store. Longer copies run
/// in 64-byte blocks away from the overlap, with the block at the far end
/// read before the first store.
///
/// # Safety
/// `src..src + n` must be readable and `dst..dst + n` writable.
#[inline(always)]
pub unsafe fn copy(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY (every block below): each load and store stays inside
    // `src..src + n` or `dst..dst + n`, by the size test before it.
    unsafe {
        if n <= 16 {
            if n >= 8 {
                let (a, b): (u64, u64) = (load(src), load(src.add(n - 8)));
                store(dst, a);
                store(dst.add(n - 8), b);
            } else if n >= 4 {
                let (a, b): (u32, u32) = (load(src), load(src.add(n - 4)));
                store(dst, a);
                store(dst.add(n - 4), b);
            } else if n >= 2 {
                let (a, b): (u16, u16) = (load(src), load(src.add(n - 2)));
                store(dst, a);
                store(dst.add(n - 2), b);
            } else if n == 1 {
                *dst = *src;
            }
        } else if n <= 32 {
            let (a, b): (u128, u128) = (load(src), load(src.add(n - 16)));
            store(dst, a);
            store(dst.add(n - 16), b);
        } else if n <= 64 {
            let (a, b): (u128, u128) = (load(src), load(src.add(16)));
            let (c, d): (u128, u128) = (load(src.add(n - 32)), load(src.add(n - 16)));
            store(dst, a);
            store(dst.add(16), b);
            store(dst.add(n - 32), c);
            store(dst.add(n - 16), d);
        } else if (dst as usize).wrapping_sub(src as usize) >= n {
            // `dst` before `src`, or no overlap: forwards. A block's
            // stores land below the next block's loads.
            let last = load_block(src.add(n - 64));
            let mut at = 0;
            while at + 64 < n {
                store_block(dst.add(at), load_block(src.add(at)));
                at += 64;
            }
            store_block(dst.add(n - 64), last);
        } else {
            // `dst` inside `src..src + n`: backwards.
            let first = load_block(src);
            let mut end = n;
            while end > 64 {
                store_block(dst.add(end - 64), load_block(src.add(end - 64)));
                end -= 64;
            }
            store_block(dst, first);
        }
    }
}

/// Compares `n` bytes at `a` and `b` as unsigned bytes: negative, zero or
/// positive as `a`'s first differing byte is below, absent or above `b`'s.
///
/// # Safety
/// `a..a + n` and `b..b + n` must be readable.
#[inline(always)]
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> c_int {
    /// The order of two 8-byte words read from memory, by their first
    /// differing byte.
    fn order(x: u64, y: u64) -> c_int {
        // Big-endian, the first byte is the most significant.
        match u64::from_be(x).cmp(&u64::from_be(y)) {
            core::cmp::Ordering::Less => -1,
            core::cmp::Ordering::Equal => 0,
            core::cmp::Ordering::Greater => 1,
        }
    }
    // SAFETY (every block below): each load stays inside `a..a + n` and
    // `b..b + n`, by the size test before it.
    unsafe {
        if n >= 8 {
            let mut at = 0;
            while at + 8 < n {
                let (x, y): (u64, u64) = (load(a.add(at)), load(b.add(at)));
                if x != y {
                    return order(x, y);
                }
                at += 8;
            }
            // The last 8 bytes, overlapping bytes already found equal.
            order(load(a.add(n - 8)), load(b.add(n - 8)))
        } else {
            for i in 0..n {
                let (x, y) = (*a.add(i), *b.add(i));
                if x != y {
                    return c_int::from(x) - c_int::from(y);
                }
            }
            0
        }
    }
}

/// Whether `n` bytes at `a` and `b` differ: zero when they are equal.
///
/// # Safety
/// `a..a + n` and `b..b + n` must be readable.
#[inline(always)]
pub unsafe fn differ(a: *const u8, b: *const u8, n: usize) -> c_int {
    // SAFETY (every block below): each load stays inside `a..a + n` and
    // `b..b + n`, by the size test before it.
    unsafe {
        if n >= 16 {
            let mut at = 0;
            while at + 16 < n {
                if load::<u128>(a.add(at)) != load::<u128>(b.add(at)) {
                    return 1;
                }
                at += 16;
            }
            c_int::from(load::<u128>(a.add(n - 16)) != load::<u128>(b.add(n - 16)))
        } else if n >= 8 {
            let x = load::<u64>(a) ^ load::<u64>(b);
            let y = load::<u64>(a.add(n - 8)) ^ load::<u64>(b.add(n - 8));
            c_int::from(x | y != 0)
        } else if n >= 4 {
            let x = load::<u32>(a) ^ load::<u32>(b);
            let y = load::<u32>(a.add(n - 4)) ^ load::<u32>(b.add(n - 4));
            c_int::from(x | y != 0)
        } else {
            for i in 0..n {
                if *a.add(i) != *b.add(i) {
                    return 1;
                }
            }
            0
        }
    }
}

/// The C symbols, for the static musl build only.
#[cfg(all(target_arch = "x86_64", target_env = "musl", not(test)))]
mod symbols {
    use core::ffi::{c_int, c_void};

    /// C's `memcpy`.
    ///
    /// # Safety
    /// C's contract: `n` readable bytes at `src`, `n` writable at `dst`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcpy(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void {
        // SAFETY: C's contract, which `copy` needs.
        unsafe { super::copy(dst.cast(), src.cast(), n) };
        dst
    }

    /// C's `memmove`.
    ///
    /// # Safety
    /// C's contract: `n` readable bytes at `src`, `n` writable at `dst`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memmove(
        dst: *mut c_void,
        src: *const c_void,
        n: usize,
    ) -> *mut c_void {
        // SAFETY: C's contract, which `copy` needs; it allows overlap.
        unsafe { super::copy(dst.cast(), src.cast(), n) };
        dst
    }

    /// C's `memcmp`.
    ///
    /// # Safety
    /// C's contract: `n` readable bytes at `a` and at `b`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
        // SAFETY: C's contract, which `compare` needs.
        unsafe { super::compare(a.cast(), b.cast(), n) }
    }

    /// C's `bcmp`: zero when equal.
    ///
    /// # Safety
    /// C's contract: `n` readable bytes at `a` and at `b`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
        // SAFETY: C's contract, which `differ` needs.
        unsafe { super::differ(a.cast(), b.cast(), n) }
    }
}

#[cfg(test)]
mod tests;
