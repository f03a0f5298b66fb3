//! A hint that asks the processor to start loading memory the program will soon read: the
//! random reads of delta-stepping's relaxations and of the partitioners' expansion and edge
//! streams, whose addresses are known a few steps ahead.

/// Asks the processor to bring the cache line holding `x` into its caches. A hint only: it
/// neither reads nor writes `x` as far as the program can tell, and does nothing on processors
/// other than x86_64.
#[inline(always)]
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` needs SSE, part of every x86_64 target's baseline features; it never
    // faults, whatever the address, and has no effect the program can observe besides timing.
    // The pointer comes from a reference, so it is valid anyway.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(test)]
mod tests {
    use super::prefetch;

    #[test]
    fn prefetching_changes_nothing() {
        let values: Vec<u64> = (0..10_000).map(|x| x * 3).collect();
        for v in values.iter().rev().step_by(7).chain(values.last()) {
            prefetch(v);
        }
        prefetch(&values);
        assert!(values.iter().enumerate().all(|(i, &x)| x == 3 * i as u64));
    }
}
