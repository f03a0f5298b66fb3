//! The id map: external vertex ids (any `u64`, as in Graphalytics or SNAP files) to dense `u32`
//! ids `0..n` used inside dgraph, and back. Dense ids follow the order of external ids, so output
//! sorted by dense id is sorted by external id.

use rayon::prelude::*;

use crate::buffer::Buffer;

/// The largest number of vertices a graph may have: dense ids are `u32`, and `u32::MAX` itself
/// is kept free as a "no vertex" marker for algorithms.
pub const MAX_VERTICES: u64 = u32::MAX as u64;

/// Maps external `u64` vertex ids to dense `u32` ids and back.
///
/// Invariant: external ids are strictly increasing in dense order.
#[derive(Debug, PartialEq)]
pub enum IdMap {
    /// External ids `first, first + 1, ..., first + len - 1` (files whose ids are already dense,
    /// generated graphs, Matrix Market and DIMACS files whose ids are `1..=n`).
    Range {
        /// The external id of dense vertex 0.
        first: u64,
        /// Number of vertices.
        len: u32,
    },
    /// Any other set of ids, listed in increasing order: dense id `i` is `ids[i]`.
    Sorted(Buffer<u64>),
}

impl IdMap {
    /// Builds the map from strictly increasing ids, choosing the compact `Range` form when the
    /// ids are contiguous. The caller checks the vertex limit.
    pub(crate) fn from_sorted(ids: Vec<u64>) -> IdMap {
        debug_assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids must be strictly increasing");
        debug_assert!(ids.len() as u64 <= MAX_VERTICES);
        match (ids.first(), ids.last()) {
            (Some(&first), Some(&last)) if last - first + 1 == ids.len() as u64 => {
                IdMap::Range { first, len: ids.len() as u32 }
            }
            (None, _) | (_, None) => IdMap::Range { first: 0, len: 0 },
            _ => IdMap::Sorted(ids.into()),
        }
    }

    /// Number of vertices.
    pub fn len(&self) -> usize {
        match self {
            IdMap::Range { len, .. } => *len as usize,
            IdMap::Sorted(ids) => ids.len(),
        }
    }

    /// Whether the graph has no vertices.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The external id of dense vertex `v`. Panics if `v` is not a vertex (a programming error).
    pub fn external(&self, v: u32) -> u64 {
        match self {
            IdMap::Range { first, len } => {
                assert!(v < *len, "dense id {v} out of range");
                first + u64::from(v)
            }
            IdMap::Sorted(ids) => ids[v as usize],
        }
    }

    /// The dense id of external id `id`, if it is a vertex.
    pub fn dense(&self, id: u64) -> Option<u32> {
        match self {
            IdMap::Range { first, len } => {
                let d = id.checked_sub(*first)?;
                (d < u64::from(*len)).then_some(d as u32)
            }
            IdMap::Sorted(ids) => ids.binary_search(&id).ok().map(|i| i as u32),
        }
    }

    /// A lookup structure for mapping many ids quickly (see [`Resolver`]).
    pub(crate) fn resolver(&self) -> Resolver<'_> {
        match self {
            IdMap::Range { first, len } => Resolver::Range { first: *first, len: u64::from(*len) },
            IdMap::Sorted(ids) => {
                let (first, last) = (ids[0], ids[ids.len() - 1]);
                let span = last - first + 1;
                // A rank bitmap costs span/8 bytes; use it when that is at most 8 bytes per id.
                if span / 64 <= ids.len() as u64 {
                    Resolver::Rank(RankBitmap::from_sorted(first, span, ids))
                } else {
                    Resolver::Search(ids)
                }
            }
        }
    }

    /// Heap bytes held by the map.
    pub fn heap_bytes(&self) -> usize {
        match self {
            IdMap::Range { .. } => 0,
            IdMap::Sorted(ids) => ids.heap_bytes(),
        }
    }
}

/// Maps external ids to dense ids in O(1) (range or rank bitmap) or O(log n) (binary search).
pub(crate) enum Resolver<'a> {
    Range { first: u64, len: u64 },
    Rank(RankBitmap),
    Search(&'a [u64]),
}

impl Resolver<'_> {
    #[inline]
    pub(crate) fn dense(&self, id: u64) -> Option<u32> {
        match self {
            Resolver::Range { first, len } => {
                let d = id.wrapping_sub(*first);
                (id >= *first && d < *len).then_some(d as u32)
            }
            Resolver::Rank(bitmap) => bitmap.rank(id),
            Resolver::Search(ids) => ids.binary_search(&id).ok().map(|i| i as u32),
        }
    }
}

/// A presence bitmap over `first..first + span` with a prefix count per 64-bit word, so that the
/// dense id of a present id is its rank among present ids.
pub(crate) struct RankBitmap {
    first: u64,
    words: Vec<u64>,
    ranks: Vec<u32>,
}

impl RankBitmap {
    fn from_sorted(first: u64, span: u64, ids: &[u64]) -> RankBitmap {
        let mut words = vec![0u64; span.div_ceil(64) as usize];
        for &id in ids {
            let d = id - first;
            words[(d / 64) as usize] |= 1 << (d % 64);
        }
        Self::with_words(first, words)
    }

    /// Builds the rank table for a filled presence bitmap.
    pub(crate) fn with_words(first: u64, words: Vec<u64>) -> RankBitmap {
        let mut ranks = Vec::with_capacity(words.len());
        let mut total = 0u32;
        for w in &words {
            ranks.push(total);
            total = total.wrapping_add(w.count_ones());
        }
        RankBitmap { first, words, ranks }
    }

    #[inline]
    pub(crate) fn rank(&self, id: u64) -> Option<u32> {
        let d = id.checked_sub(self.first)?;
        let word = *self.words.get((d / 64) as usize)?;
        let bit = 1u64 << (d % 64);
        (word & bit != 0).then(|| self.ranks[(d / 64) as usize] + (word & (bit - 1)).count_ones())
    }

    /// The present ids in increasing order.
    pub(crate) fn ids(&self) -> Vec<u64> {
        let first = self.first;
        self.words
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, &w)| {
                let base = first + 64 * i as u64;
                BitIter(w).map(move |b| base + u64::from(b))
            })
            .collect()
    }
}

struct BitIter(u64);

impl Iterator for BitIter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        (self.0 != 0).then(|| {
            let b = self.0.trailing_zeros();
            self.0 &= self.0 - 1;
            b
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_ids_become_a_range() {
        assert_eq!(IdMap::from_sorted(vec![5, 6, 7]), IdMap::Range { first: 5, len: 3 });
        assert_eq!(IdMap::from_sorted(vec![]), IdMap::Range { first: 0, len: 0 });
        assert!(matches!(IdMap::from_sorted(vec![1, 3]), IdMap::Sorted(_)));
    }

    #[test]
    fn resolvers_agree_with_the_map() {
        let sparse = vec![2, 9, 10, 64, 65, 200, 1 << 40];
        let dense_ish = vec![3, 4, 6, 70, 71, 130];
        for ids in [sparse, dense_ish, (10..20).collect()] {
            let map = IdMap::from_sorted(ids.clone());
            let resolver = map.resolver();
            for (i, &id) in ids.iter().enumerate() {
                assert_eq!(map.dense(id), Some(i as u32));
                assert_eq!(resolver.dense(id), Some(i as u32));
                assert_eq!(map.external(i as u32), id);
            }
            for missing in [0, 1, 5, 8, 11, 63, 1000, u64::MAX] {
                if !ids.contains(&missing) {
                    assert_eq!(map.dense(missing), None, "{missing}");
                    assert_eq!(resolver.dense(missing), None, "{missing}");
                }
            }
        }
    }

    #[test]
    fn rank_bitmap_lists_its_ids() {
        let ids = vec![7, 8, 100, 127, 128, 300];
        let bitmap = RankBitmap::from_sorted(7, 300 - 7 + 1, &ids);
        assert_eq!(bitmap.ids(), ids);
    }
}
