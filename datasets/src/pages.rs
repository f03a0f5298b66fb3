//! Large arrays on transparent huge pages. The partitioners' expansion, the engine's vertex
//! arrays and the twin and holder passes read hundreds of megabytes at random; with 4 KiB pages
//! nearly every such read misses the TLB as well as the caches, while with 2 MiB pages a
//! 250 MB array needs a few hundred TLB entries. Many Linux systems (Debian's and Ubuntu's
//! defaults among them: `/sys/kernel/mm/transparent_hugepage/enabled` is `madvise`) give huge
//! pages only to memory that asks for them, so [`HugePageAlloc`] asks, for every allocation
//! of [`LARGE`] bytes or more.
//!
//! The `dgraph` binary installs it; a program using the library crates installs it with
//!
//! ```
//! #[global_allocator]
//! static ALLOC: dgraph_datasets::pages::HugePageAlloc = dgraph_datasets::pages::HugePageAlloc;
//! # fn main() {}
//! ```

use std::alloc::{GlobalAlloc, Layout, System};

/// The size of a transparent huge page on x86_64 (and on aarch64 with 4 KiB base pages).
const HUGE: usize = 2 << 20;

/// Allocations from this size up ask for huge pages: smaller ones would hold one or two.
pub const LARGE: usize = 4 << 20;

/// The system allocator, whose allocations of [`LARGE`] bytes or more ask the kernel
/// (`madvise(MADV_HUGEPAGE)`, Linux only) to back their whole 2 MiB pages with huge pages as
/// they are first written. A hint: memory the kernel cannot back so stays on small pages, and
/// off Linux this is the system allocator. An array written only in part costs at most one huge
/// page more than it touches (pages are still given as they are first written).
///
/// Measured on kron-20 (15.7M edges, 2 threads), `dgraph partition -s hep`, 6 alternating
/// rounds: medians 1.628 s against 1.762 without at p = 64, 1.054 against 1.270 at p = 16
/// (every round faster); PageRank level. Asking for huge pages for the partitioner's expansion
/// arrays alone gained less than asking for every large block (1.53-1.69 s against 1.38-1.48,
/// 5 rounds).
pub struct HugePageAlloc;

// SAFETY: every method hands the request to `System` unchanged and returns its answer, so the
// allocator keeps `System`'s guarantees (layout, alignment, zeroing, ownership until `dealloc`);
// `advise` changes no contents and no validity of any memory.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` (a layout of non-zero size) is `System`'s.
        let p = unsafe { System.alloc(layout) };
        advise_large(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        advise_large(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (every method above allocates there) with
        // `layout`, as the caller guarantees for this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; `new_size` meets `realloc`'s contract, the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        // The block may have moved or grown into memory that was never advised.
        advise_large(p, new_size);
        p
    }
}

/// Asks for huge pages under the `bytes` bytes at `p` if they are [`LARGE`] (nothing for a
/// failed allocation).
#[inline]
fn advise_large(p: *mut u8, bytes: usize) {
    if bytes >= LARGE && !p.is_null() {
        if let Some((start, len)) = huge_range(p as usize, bytes) {
            advise(start, len);
        }
    }
}

/// The whole huge pages inside `bytes` bytes from `addr`: their start and length, if any.
fn huge_range(addr: usize, bytes: usize) -> Option<(usize, usize)> {
    let start = addr.checked_next_multiple_of(HUGE)?;
    let end = addr.checked_add(bytes)? / HUGE * HUGE;
    (end > start).then(|| (start, end - start))
}

#[cfg(target_os = "linux")]
fn advise(start: usize, len: usize) {
    // SAFETY: `madvise(MADV_HUGEPAGE)` neither reads nor writes memory, nor changes what may be
    // read or written: it marks the range as eligible for huge pages, which the kernel uses when
    // it maps them. The range lies inside a block the allocator just handed out (`huge_range`
    // rounds its ends inward), so no other memory is marked. An error (`EINVAL` on a kernel
    // without transparent huge pages) leaves the memory as it was: the hint is ignored.
    unsafe {
        libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_huge_pages_inside_the_block_are_advised() {
        assert_eq!(huge_range(0, HUGE), Some((0, HUGE)));
        assert_eq!(huge_range(1, HUGE), None);
        assert_eq!(huge_range(1, 3 * HUGE), Some((HUGE, 2 * HUGE)));
        assert_eq!(huge_range(1, 3 * HUGE - 2), Some((HUGE, HUGE)));
        assert_eq!(huge_range(HUGE - 1, 2 * HUGE + 1), Some((HUGE, 2 * HUGE)));
        assert_eq!(huge_range(4096, 0), None);
        assert_eq!(huge_range(usize::MAX - 5, 100), None);
    }

    #[test]
    fn large_blocks_keep_what_is_written_through_realloc_and_come_zeroed() {
        let a = HugePageAlloc;
        let words = 3 << 20; // 24 MiB of u64: whole huge pages inside, however aligned.
        let layout = Layout::array::<u64>(words).expect("fits");
        // SAFETY: the layouts are of non-zero size; each block is written within its size,
        // read after it is written (or zeroed), and freed once with the layout it has.
        unsafe {
            let zeroed = a.alloc_zeroed(layout).cast::<u64>();
            assert!(!zeroed.is_null());
            assert!((0..words).step_by(4093).all(|i| *zeroed.add(i) == 0));
            a.dealloc(zeroed.cast(), layout);

            let p = a.alloc(layout).cast::<u64>();
            assert!(!p.is_null());
            for i in 0..words {
                p.add(i).write(i as u64 * 7);
            }
            // Grown past its pages, and shrunk below `LARGE`: the values stay.
            let grown = a.realloc(p.cast(), layout, 2 * layout.size()).cast::<u64>();
            assert!(!grown.is_null());
            assert!((0..words).all(|i| *grown.add(i) == i as u64 * 7));
            let big = Layout::array::<u64>(2 * words).expect("fits");
            let small = a.realloc(grown.cast(), big, 1024).cast::<u64>();
            assert!((0..128).all(|i| *small.add(i) == i as u64 * 7));
            a.dealloc(small.cast(), Layout::from_size_align(1024, align_of::<u64>()).expect("valid"));
        }
        // Through a vector, as programs use it.
        let v: Vec<u32> = (0..(3u32 << 20)).collect();
        assert!(v.iter().enumerate().all(|(i, &x)| x as usize == i));
    }
}
