//! Compressed sparse rows: the adjacency of every vertex as one slice of a shared target array.
//!
//! # Invariants
//! For a CSR over `n` vertices with `m` entries (checked by [`Csr::check`], in debug builds after
//! every build, and always when a `.dgraph` file is opened):
//! - `offsets` has `n + 1` entries, `offsets[0] == 0`, it never decreases and `offsets[n] == m`;
//! - the neighbours of `v` are `targets[offsets[v]..offsets[v + 1]]`, each `< n`;
//! - each neighbour list is sorted by target (ties by weight), so output is deterministic;
//! - `weights`, when present, has `m` entries: `weights[i]` belongs to `targets[i]`.

use rayon::prelude::*;

use crate::buffer::Buffer;

/// One direction of adjacency (out-edges, or in-edges for the reverse CSR).
#[derive(Debug, PartialEq, Default)]
pub struct Csr {
    pub(crate) offsets: Buffer<u64>,
    pub(crate) targets: Buffer<u32>,
    pub(crate) weights: Option<Buffer<f64>>,
}

impl Csr {
    /// Assembles a CSR from its arrays; the caller guarantees the invariants (checked in debug).
    pub(crate) fn from_parts(offsets: Buffer<u64>, targets: Buffer<u32>, weights: Option<Buffer<f64>>) -> Csr {
        let csr = Csr { offsets, targets, weights };
        debug_assert_eq!(csr.check(), Ok(()));
        csr
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of stored entries (an undirected edge is stored once in each direction).
    pub fn entry_count(&self) -> u64 {
        self.targets.len() as u64
    }

    /// The offsets array (`n + 1` entries).
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// The targets array (`m` entries).
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// The weights array, if the graph is weighted.
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }

    /// The neighbours of `v`, sorted.
    #[inline]
    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.range(v)]
    }

    /// The weights of `v`'s edges, in the order of [`Csr::neighbors`].
    #[inline]
    pub fn neighbor_weights(&self, v: u32) -> Option<&[f64]> {
        let range = self.range(v);
        self.weights.as_ref().map(|w| &w[range])
    }

    /// Number of entries of `v`.
    #[inline]
    pub fn degree(&self, v: u32) -> usize {
        let r = self.range(v);
        r.end - r.start
    }

    #[inline]
    fn range(&self, v: u32) -> std::ops::Range<usize> {
        self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize
    }

    /// Heap bytes held (mapped arrays count 0).
    pub fn heap_bytes(&self) -> usize {
        self.offsets.heap_bytes() + self.targets.heap_bytes() + self.weights.as_ref().map_or(0, Buffer::heap_bytes)
    }

    /// Bytes of data, owned or mapped.
    pub fn data_bytes(&self) -> usize {
        self.offsets.data_bytes() + self.targets.data_bytes() + self.weights.as_ref().map_or(0, Buffer::data_bytes)
    }

    /// Checks every invariant listed in the module documentation.
    pub fn check(&self) -> Result<(), String> {
        self.check_and_count_loops().map(|_| ())
    }

    /// Checks the invariants and counts self-loops (entries `v -> v`) in the same pass.
    pub fn check_and_count_loops(&self) -> Result<u64, String> {
        // No entry joins a digest, so the compiler drops the mixing.
        self.check_and_digest(&[0; 3], |_, _| (0, 2)).map(|(loops, _)| loops)
    }

    /// [`Csr::check_and_count_loops`], with keyed digests of the multiset of entries made in
    /// the same pass: `pair(row, target)` packs each entry's two ends into a pair and names
    /// the digest it joins (0 or 1; 2 joins none). A digest is a wrapping sum of a keyed 64-bit
    /// mix of pair and weight per entry (an additive multiset hash): equal multisets give
    /// equal digests and, with a key unknown to whoever made the arrays, different ones
    /// collide with probability about 2^-64. So a transpose is checked while the entries are
    /// read anyway (a pass of its own cost 0.045 s on `kron-20`, doubling the time to open it).
    pub(crate) fn check_and_digest(
        &self,
        key: &[u64; 3],
        pair: impl Fn(u32, u32) -> (u64, usize) + Sync,
    ) -> Result<(u64, [u64; 2]), String> {
        let offsets = &self.offsets[..];
        let Some((&first, _)) = offsets.split_first() else {
            return Err("offsets is empty; it needs n + 1 entries".into());
        };
        if first != 0 {
            return Err(format!("offsets[0] is {first}, not 0"));
        }
        let n = offsets.len() - 1;
        let m = self.targets.len() as u64;
        if offsets[n] != m {
            return Err(format!("offsets[n] is {} but there are {m} targets", offsets[n]));
        }
        if let Some(w) = &self.weights {
            if w.len() as u64 != m {
                return Err(format!("{} weights for {m} targets", w.len()));
            }
        }
        if let Some(v) = offsets.par_windows(2).position_any(|w| w[0] > w[1]) {
            return Err(format!("offsets decrease at vertex {v}"));
        }
        let targets = &self.targets[..];
        let weights = self.weights.as_deref();
        // One pass: per vertex, `Err(v)` if its list breaks an invariant, else its self-loops.
        let result = (0..n).into_par_iter().with_min_len(1024).try_fold(
            || (0u64, [0u64; 2]),
            |(loops, mut sums), v| {
                let (s, e) = (offsets[v] as usize, offsets[v + 1] as usize);
                let list = &targets[s..e];
                // Branch-free scan: sorted, in range, loops counted.
                let (mut sorted, mut below_n, mut loops_here) = (true, true, 0u64);
                let mut previous = 0u32;
                for (i, &t) in (s..e).zip(list) {
                    sorted &= t >= previous;
                    below_n &= (t as usize) < n;
                    loops_here += u64::from(t as usize == v);
                    previous = t;
                    let (packed, to) = pair(v as u32, t);
                    let h = mix(key, packed, weights.map_or(0, |w| w[i].to_bits()));
                    // Selected, not indexed: the sums stay in registers.
                    sums[0] = sums[0].wrapping_add(if to == 0 { h } else { 0 });
                    sums[1] = sums[1].wrapping_add(if to == 1 { h } else { 0 });
                }
                let ties_ordered = || {
                    let w = weights.map(|w| &w[s..e]);
                    w.is_none_or(|w| list.windows(2).zip(w.windows(2)).all(|(t, w)| t[0] != t[1] || w[0] <= w[1]))
                };
                let broken = !sorted || !below_n || !ties_ordered();
                if broken {
                    return Err(v);
                }
                Ok((loops + loops_here, sums))
            },
        );
        let add = |a: (u64, [u64; 2]), b: (u64, [u64; 2])| {
            Ok((a.0 + b.0, [a.1[0].wrapping_add(b.1[0]), a.1[1].wrapping_add(b.1[1])]))
        };
        result
            .try_reduce(|| (0, [0; 2]), add)
            .map_err(|v| format!("the neighbour list of vertex {v} has a target >= {n} or is not sorted"))
    }
}

/// The high and low halves of the 128-bit product, folded.
fn fold(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ (r >> 64) as u64
}

/// A keyed mix of an entry (its two ends packed, its weight's bits), as in wyhash.
fn mix(key: &[u64; 3], pair: u64, weight: u64) -> u64 {
    fold(fold(pair ^ key[0], weight ^ key[1]) ^ key[2], pair ^ key[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(offsets: Vec<u64>, targets: Vec<u32>, weights: Option<Vec<f64>>) -> Csr {
        Csr { offsets: offsets.into(), targets: targets.into(), weights: weights.map(Into::into) }
    }

    #[test]
    fn check_accepts_valid_and_names_each_broken_invariant() {
        assert_eq!(csr(vec![0, 2, 3, 3], vec![1, 2, 0], None).check(), Ok(()));
        assert_eq!(csr(vec![0], vec![], None).check(), Ok(()));
        let cases = [
            (csr(vec![], vec![], None), "offsets is empty"),
            (csr(vec![1, 1], vec![0], None), "offsets[0]"),
            (csr(vec![0, 2], vec![0], None), "offsets[n]"),
            (csr(vec![0, 2, 1, 2], vec![0, 0], None), "decrease"),
            (csr(vec![0, 1], vec![1], None), "target"),
            (csr(vec![0, 2, 2], vec![1, 0], None), "not sorted"),
            (csr(vec![0, 1, 1], vec![1], Some(vec![])), "weights"),
            (csr(vec![0, 2, 2], vec![1, 1], Some(vec![2.0, 1.0])), "not sorted"),
        ];
        for (c, needle) in cases {
            let err = c.check().expect_err(needle);
            assert!(err.contains(needle), "{err:?} should mention {needle:?}");
        }
    }

    #[test]
    fn accessors_slice_the_arrays() {
        let c = csr(vec![0, 2, 3, 3], vec![1, 2, 0], Some(vec![0.5, 1.5, 2.5]));
        assert_eq!(c.vertex_count(), 3);
        assert_eq!(c.neighbors(0), &[1, 2]);
        assert_eq!(c.neighbor_weights(1), Some(&[2.5][..]));
        assert_eq!(c.degree(2), 0);
        assert_eq!(c.entry_count(), 3);
    }
}
