//! HEP's memory: everything it allocates at once, its result included, stays under twice the
//! graph's CSR (the partitioner issue's bound). Counted by a global allocator that tracks the
//! bytes live, so this test has its own binary and nothing else runs in it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use dgraph_datasets::generators::Generator;
use dgraph_datasets::progress::Silent;
use dgraph_partitioner::{partition_with, PartitionOptions, StrategyKind};

/// The system allocator, counting the bytes it has out and the most it had.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed to `System` unchanged, with the caller's own guarantees, and its
// result returned unchanged; the counters are plain atomics, which allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for the impl: the caller's layout, passed through.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for the impl: the caller's layout, passed through.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for the impl: `ptr` came from this allocator (so from `System`) with
        // `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for the impl: `ptr` came from `System` with `layout`, `new_size` is the
        // caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn hep_needs_less_than_twice_the_csr_result_included() {
    let (g, _) = Generator::Kron { scale: 16 }.generate(1, false, &Silent).expect("generates");
    let csr = (g.vertex_count() + 1) * 8 + g.out_edges().targets().len() * 4;
    for parts in [16, 64] {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let map = partition_with(&g, StrategyKind::Hep, parts, &PartitionOptions::default()).expect("partitions");
        let peak = PEAK.load(Ordering::Relaxed) - before;
        // The counter sees the result: it is part of what was allocated.
        assert!(peak >= map.edge_part.len() * 4, "the counter missed the result ({peak} bytes)");
        // kron-16 measured 1.83x (p16) and 1.80x (p64) when this test was written, 1.51x at both
        // once the expansion kept partitions in 8 bits (τ = 20), 1.94x / 1.91x at τ = 50, whose
        // expansion lists nearly every edge end (kron-18 1.66x, kron-20 1.82x / 1.78x; kron-14,
        // with hardly a hub at τ = 50, 2.16x).
        assert!(peak < 2 * csr, "p{parts}: {peak} bytes at the peak, CSR {csr} bytes");
        drop(map);
    }
}
