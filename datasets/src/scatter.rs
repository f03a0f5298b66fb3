//! Parallel counting scatter without atomics: items `(key, value, weight)` produced by `G`
//! groups are placed into key buckets (the rows of a CSR). Each group counts its items per key,
//! positions are assigned key by key and, within a key, group by group, then each group writes
//! its items into its own slots. The result is deterministic for a given grouping, and
//! items of one key keep the order of (group, production order).
//!
//! Memory: `G * n` u32 counters; callers keep `G` small relative to `items / n`.

use rayon::prelude::*;

/// Something that produces the items of each group, identically on every call.
pub(crate) trait Items: Sync {
    /// Number of groups.
    fn groups(&self) -> usize;
    /// Calls `f(key, value, weight)` for each item of `group`, always in the same order.
    fn for_each(&self, group: usize, f: impl FnMut(u32, u32, f64));

    /// Like `for_each`, for the last time: an implementation may free each piece of its
    /// input as soon as it has been produced, so that input and output never both peak.
    fn for_each_last(&self, group: usize, f: impl FnMut(u32, u32, f64)) {
        self.for_each(group, f)
    }
}

/// Buckets of values (and weights), CSR-style.
pub(crate) struct Scattered {
    pub(crate) offsets: Vec<u64>,
    pub(crate) values: Vec<u32>,
    pub(crate) weights: Option<Vec<f64>>,
}

/// Scatters the items of `items` into `n` buckets.
pub(crate) fn scatter(n: usize, items: &impl Items, weighted: bool) -> Scattered {
    let g = items.groups();
    // 1. Count per group and key. A key's items are one vertex's entries, so u32 counters
    //    suffice (a vertex with 2^32 entries would need 16 GiB for its list alone).
    let mut positions: Vec<Vec<u32>> = (0..g)
        .into_par_iter()
        .map(|group| {
            let mut counts = vec![0u32; n];
            items.for_each(group, |key, _, _| counts[key as usize] += 1);
            counts
        })
        .collect();
    // 2. Turn counts into each group's first slot per key, relative to the key's offset.
    let mut offsets = Vec::with_capacity(n + 1);
    let mut total = 0u64;
    for key in 0..n {
        offsets.push(total);
        let mut within = 0u32;
        for counts in positions.iter_mut() {
            let c = counts[key];
            counts[key] = within;
            within += c;
        }
        total += u64::from(within);
    }
    offsets.push(total);
    // 3. Write.
    let mut values = vec![0u32; total as usize];
    let mut weights = weighted.then(|| vec![0f64; total as usize]);
    {
        let v = ScatterSlice::new(&mut values);
        let w = weights.as_mut().map(|w| ScatterSlice::new(w));
        positions.par_iter_mut().enumerate().for_each(|(group, next)| {
            items.for_each_last(group, |key, value, weight| {
                let p = (offsets[key as usize] + u64::from(next[key as usize])) as usize;
                next[key as usize] += 1;
                // SAFETY: slot `p` lies in the range that step 2 reserved for this group and
                // this key, and `next` (owned by this group alone) hands each slot out once.
                unsafe {
                    v.write(p, value);
                    if let Some(w) = &w {
                        w.write(p, weight);
                    }
                }
            });
        });
    }
    Scattered { offsets, values, weights }
}

/// How many groups to use for `items` items over `n` keys: at most the thread count, and few
/// enough that the `groups * n` counters stay below the size of the items themselves.
pub(crate) fn group_count(items: u64, n: usize) -> usize {
    let by_memory = (items / (2 * n.max(1) as u64)).max(1) as usize;
    rayon::current_num_threads().min(by_memory).max(1)
}

/// Splits `0..len` weighted by `weight(i)` into `groups` contiguous ranges of similar weight.
pub(crate) fn balanced_ranges(len: usize, groups: usize, weight: impl Fn(usize) -> u64) -> Vec<std::ops::Range<usize>> {
    let total: u64 = (0..len).map(&weight).sum();
    let mut ranges = Vec::with_capacity(groups);
    let (mut start, mut acc) = (0, 0u64);
    for i in 0..len {
        acc += weight(i);
        let done = ranges.len() as u64 + 1;
        if acc * groups as u64 >= total * done && ranges.len() + 1 < groups {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    ranges.push(start..len);
    ranges
}

/// Raw pointer view of a slice that many threads write at distinct indices.
pub(crate) struct ScatterSlice<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: std::marker::PhantomData<&'a mut [T]>,
}

// SAFETY: `ScatterSlice` is only a pointer to a mutably borrowed slice; sharing it across threads
// is sound because `write` requires that no two writes target the same index (see `write`).
unsafe impl<T: Send> Sync for ScatterSlice<'_, T> {}

impl<'a, T> ScatterSlice<'a, T> {
    pub(crate) fn new(slice: &'a mut [T]) -> Self {
        ScatterSlice { ptr: slice.as_mut_ptr(), len: slice.len(), _borrow: std::marker::PhantomData }
    }

    /// Writes `value` at `index`.
    ///
    /// # Safety
    /// No other thread may read or write `index` while the `ScatterSlice` exists.
    #[inline]
    pub(crate) unsafe fn write(&self, index: usize, value: T) {
        assert!(index < self.len, "scatter index {index} out of bounds {}", self.len);
        // SAFETY: the index is in bounds (checked above) and, by this function's contract,
        // written by this thread alone.
        unsafe { self.ptr.add(index).write(value) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pairs(Vec<Vec<(u32, u32)>>);

    impl Items for Pairs {
        fn groups(&self) -> usize {
            self.0.len()
        }
        fn for_each(&self, group: usize, mut f: impl FnMut(u32, u32, f64)) {
            for &(k, v) in &self.0[group] {
                f(k, v, f64::from(v) / 2.0);
            }
        }
    }

    #[test]
    fn scatter_buckets_items_in_group_order() {
        let items = Pairs(vec![vec![(2, 10), (0, 11), (2, 12)], vec![(1, 20), (2, 21)], vec![]]);
        let s = scatter(4, &items, true);
        assert_eq!(s.offsets, vec![0, 1, 2, 5, 5]);
        assert_eq!(s.values, vec![11, 20, 10, 12, 21]);
        assert_eq!(s.weights, Some(vec![5.5, 10.0, 5.0, 6.0, 10.5]));
    }

    #[test]
    fn scatter_slice_writes_every_index_once_from_many_threads() {
        let mut out = vec![0u64; 100_000];
        {
            let s = ScatterSlice::new(&mut out);
            (0..100_000usize).into_par_iter().for_each(|i| {
                // SAFETY: each index is written by exactly one iteration (7919 is coprime with
                // 100_000, so i -> 7919 i mod 100_000 is a bijection).
                unsafe { s.write((i * 7919) % 100_000, i as u64) }
            });
        }
        let mut seen = out.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..100_000u64).collect::<Vec<_>>());
        assert_eq!(out[7919], 1);
    }

    #[test]
    fn ranges_are_contiguous_and_balanced() {
        let r = balanced_ranges(10, 3, |_| 1);
        assert_eq!(r.first().map(|x| x.start), Some(0));
        assert_eq!(r.last().map(|x| x.end), Some(10));
        assert_eq!(r.len(), 3);
        assert!(r.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(balanced_ranges(0, 4, |_| 1), vec![0..0]);
        assert_eq!(balanced_ranges(3, 1, |_| 5), vec![0..3]);
    }
}
