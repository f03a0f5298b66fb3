//! The edge stream every strategy sees, and the driver that places it: canonical edges (each
//! undirected edge once, as `(min, max)`) in out-CSR order; a stateless strategy places them in
//! parallel, a stateful one in order. Either way a partition that reaches its capacity (the
//! balance bound) takes no more edges: the edge goes to the least-loaded partition instead.
//! The second stored copy of an undirected edge then takes its twin's partition.

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::EdgeStrategy;

/// A strategy that places one edge at a time and may remember what it placed.
pub(crate) trait Placer {
    /// The preferred partition of `u - v` given the current loads (edges per partition);
    /// partitions at `capacity` should be avoided.
    fn choose(&mut self, u: u32, v: u32, loads: &[u64], capacity: u64) -> u32;
    /// `u - v` was placed in `part`.
    fn placed(&mut self, u: u32, v: u32, part: u32);
}

/// The partition-of-each-entry array, filled from the canonical stream.
pub(crate) struct Stream<'g> {
    graph: &'g Graph,
    parts: u32,
    capacity: u64,
}

impl<'g> Stream<'g> {
    /// The stream of `graph` for `parts` partitions, with edge balance at most `balance`
    /// (max / mean edges; at least one edge of slack).
    pub(crate) fn new(graph: &'g Graph, parts: u32, balance: f64) -> Stream<'g> {
        let canonical = graph.edge_count();
        let mean = canonical as f64 / f64::from(parts);
        let capacity = ((mean * balance).floor() as u64).max(canonical.div_ceil(u64::from(parts)));
        Stream { graph, parts, capacity }
    }

    /// Whether entry `i` of row `u` (target `v`) is a canonical edge.
    fn canonical(&self, u: u32, v: u32) -> bool {
        self.graph.is_directed() || u <= v
    }

    /// Places every canonical edge with a stateless strategy, in parallel; then, only if some
    /// partition is over capacity, re-places the stream in order under the bound.
    pub(crate) fn place_stateless(&self, strategy: &impl EdgeStrategy) -> Vec<u32> {
        let csr = self.graph.out_edges();
        let parts = self.parts;
        let mut edge_part: Vec<u32> = (0..self.graph.vertex_count() as u32)
            .into_par_iter()
            .flat_map_iter(|u| {
                csr.neighbors(u)
                    .iter()
                    .map(move |&v| if self.canonical(u, v) { strategy.assign(u, v, parts) } else { 0 })
            })
            .collect();
        let mut loads = vec![0u64; parts as usize];
        self.for_each_canonical(|_, _, i| loads[edge_part[i] as usize] += 1);
        if loads.iter().any(|&l| l > self.capacity) {
            loads.iter_mut().for_each(|l| *l = 0);
            self.for_each_canonical(|_, _, i| {
                let mut p = edge_part[i];
                if loads[p as usize] >= self.capacity {
                    p = least_loaded(&loads, 0..parts);
                }
                loads[p as usize] += 1;
                edge_part[i] = p;
            });
        }
        self.mirror(&mut edge_part);
        edge_part
    }

    /// Places every canonical edge with a stateful strategy, one at a time, in a seeded
    /// pseudo-random order (`i -> (a i + b) mod E` with `a` coprime to `E`): CSR order would
    /// show a stateful strategy all of a vertex's edges at once, which misleads it.
    pub(crate) fn place_in_order(&self, placer: &mut impl Placer, seed: u64) -> Vec<u32> {
        let mut canonical: Vec<(u32, u32, usize)> = Vec::with_capacity(self.graph.edge_count() as usize);
        self.for_each_canonical(|u, v, i| canonical.push((u, v, i)));
        let e = canonical.len() as u64;
        let mut edge_part = vec![0u32; self.graph.out_edges().targets().len()];
        let mut loads = vec![0u64; self.parts as usize];
        let mut a = (crate::hash(e, seed) % e.max(1)) | 1;
        while gcd(a, e) != 1 {
            a += 2;
        }
        let b = crate::hash(e ^ 0x5bd1_e995, seed) % e.max(1);
        for k in 0..e {
            let (u, v, i) = canonical[((u128::from(a) * u128::from(k) + u128::from(b)) % u128::from(e)) as usize];
            edge_part[i] = self.put(placer, &mut loads, u, v);
        }
        self.mirror(&mut edge_part);
        edge_part
    }

    /// Places `u - v` where `placer` prefers, or in the least-loaded partition if that one is
    /// full; counts it in `loads`.
    pub(crate) fn put(&self, placer: &mut impl Placer, loads: &mut [u64], u: u32, v: u32) -> u32 {
        let mut p = placer.choose(u, v, loads, self.capacity);
        if loads[p as usize] >= self.capacity {
            p = least_loaded(loads, 0..self.parts);
        }
        loads[p as usize] += 1;
        placer.placed(u, v, p);
        p
    }

    /// The edges a partition may hold.
    pub(crate) fn capacity(&self) -> u64 {
        self.capacity
    }

    pub(crate) fn for_each_canonical(&self, mut f: impl FnMut(u32, u32, usize)) {
        let csr = self.graph.out_edges();
        let offsets = csr.offsets();
        for u in 0..self.graph.vertex_count() as u32 {
            let start = offsets[u as usize] as usize;
            for (k, &v) in csr.neighbors(u).iter().enumerate() {
                if self.canonical(u, v) {
                    f(u, v, start + k);
                }
            }
        }
    }

    /// Undirected graphs: entry `v -> u` (`u < v`) copies the partition of its twin `u -> v`.
    /// Row `v` lists its entries `v -> u`, `u < v`, first and in increasing `u`, which is the
    /// order in which a scan of the canonical entries meets their twins (duplicates included),
    /// so one cursor per vertex finds every twin without searching.
    pub(crate) fn mirror(&self, edge_part: &mut [u32]) {
        if self.graph.is_directed() {
            return;
        }
        let offsets = self.graph.out_edges().offsets();
        let mut cursor: Vec<u64> = offsets[..offsets.len() - 1].to_vec();
        self.for_each_canonical(|u, v, i| {
            if u < v {
                edge_part[cursor[v as usize] as usize] = edge_part[i];
                cursor[v as usize] += 1;
            }
        });
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The least-loaded partition among `candidates` (ties: the lowest id); `None` if there are none.
pub(crate) fn lightest(loads: &[u64], candidates: impl Iterator<Item = u32>) -> Option<u32> {
    candidates.min_by_key(|&p| (loads[p as usize], p))
}

/// The least-loaded partition among `candidates` (ties: the lowest id; 0 if there are none).
pub(crate) fn least_loaded(loads: &[u64], candidates: impl Iterator<Item = u32>) -> u32 {
    lightest(loads, candidates).unwrap_or(0)
}

/// Per-vertex sets of partitions, one bit per partition.
pub(crate) struct ReplicaSets {
    words: usize,
    bits: Vec<u64>,
}

impl ReplicaSets {
    pub(crate) fn new(vertices: usize, parts: u32) -> ReplicaSets {
        let words = (parts as usize).div_ceil(64);
        ReplicaSets { words, bits: vec![0; vertices * words] }
    }

    pub(crate) fn row(&self, v: u32) -> &[u64] {
        &self.bits[v as usize * self.words..(v as usize + 1) * self.words]
    }

    pub(crate) fn insert(&mut self, v: u32, p: u32) {
        self.bits[v as usize * self.words + p as usize / 64] |= 1 << (p % 64);
    }

    /// The partitions holding both `u` and `v`, in increasing order.
    pub(crate) fn both(&self, u: u32, v: u32) -> impl Iterator<Item = u32> + '_ {
        self.combined(u, v, |a, b| a & b)
    }

    /// The partitions holding `u` or `v`, in increasing order.
    pub(crate) fn either(&self, u: u32, v: u32) -> impl Iterator<Item = u32> + '_ {
        self.combined(u, v, |a, b| a | b)
    }

    fn combined(&self, u: u32, v: u32, op: impl Fn(u64, u64) -> u64 + 'static) -> impl Iterator<Item = u32> + '_ {
        let (a, b) = (self.row(u), self.row(v));
        a.iter().zip(b).enumerate().flat_map(move |(w, (&x, &y))| {
            let mut bits = op(x, y);
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    w as u32 * 64 + b
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replica_sets_hold_bits_beyond_one_word() {
        let mut s = ReplicaSets::new(3, 130);
        for p in [0, 63, 64, 129] {
            s.insert(1, p);
        }
        s.insert(2, 64);
        s.insert(2, 5);
        assert_eq!(s.either(0, 0).count(), 0);
        assert_eq!(s.either(1, 1).collect::<Vec<_>>(), [0, 63, 64, 129]);
        assert_eq!(s.both(1, 2).collect::<Vec<_>>(), [64]);
        assert_eq!(s.either(1, 2).collect::<Vec<_>>(), [0, 5, 63, 64, 129]);
        assert_eq!(least_loaded(&[3, 1, 1, 0], [0, 1, 2].into_iter()), 1);
    }
}
