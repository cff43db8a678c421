//! The global allocator of the `restage` binary, its benchmarks and its
//! profiling drivers: mimalloc, called without the alignment argument
//! when the alignment asks for nothing mimalloc does not give anyway.
//!
//! The `mimalloc` crate's own `GlobalAlloc` passes every allocation to
//! `mi_malloc_aligned`: 45 instructions a call here, against 27 for
//! `mi_malloc`. A lint of the seed file makes 437 allocations, and the
//! plain calls cut its instructions by 3.4% (BENCHMARKS.md, "Lint's
//! instructions, and why fewer barely show under load"). Every mimalloc
//! block is a multiple of the word size from a word-aligned start, so an
//! alignment up to [`WORD`] needs no argument; larger alignments keep the
//! aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block has without asking: the word size.
pub const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc as Rust's global allocator (see the module's documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct Mimalloc;

// SAFETY: every method hands the request to mimalloc, whose blocks are
// aligned to at least `WORD` (alignments above it go to the `_aligned`
// calls); `dealloc` and `realloc` receive only pointers these methods
// returned, as `GlobalAlloc`'s contract requires.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every block comes back aligned as asked, zeroed when asked,
        /// and keeps its bytes through a `realloc`, for sizes and
        /// alignments up to a page (the aligned calls included). Several
        /// blocks of one layout are live at once, so that they come from
        /// the same page one after another, not all from its start.
        #[test]
        fn blocks_are_aligned_and_keep_their_bytes(
            size in 1usize..5_000,
            align_log in 0u32..13,
            new_size in 1usize..5_000,
            count in 1usize..6,
            zeroed in any::<bool>(),
        ) {
            let align = 1usize << align_log;
            let layout = Layout::from_size_align(size, align)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let grown = Layout::from_size_align(new_size, align)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let a = Mimalloc;
            let mut blocks = Vec::new();
            // SAFETY: both layouts have non-zero sizes; every pointer is
            // checked for null, written and read within its size, and
            // freed once with the layout it has.
            unsafe {
                for n in 0..count {
                    let p = if zeroed { a.alloc_zeroed(layout) } else { a.alloc(layout) };
                    prop_assert!(!p.is_null());
                    prop_assert_eq!(p as usize % align, 0);
                    if zeroed {
                        prop_assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                    }
                    for i in 0..size {
                        p.add(i).write((i + n) as u8);
                    }
                    blocks.push(p);
                }
                for (n, p) in blocks.into_iter().enumerate() {
                    let q = a.realloc(p, layout, new_size);
                    prop_assert!(!q.is_null());
                    prop_assert_eq!(q as usize % align, 0);
                    for i in 0..size.min(new_size) {
                        prop_assert_eq!(q.add(i).read(), (i + n) as u8);
                    }
                    a.dealloc(q, grown);
                }
            }
        }
    }
}
