//! The edge stream every strategy sees, and the driver that places it: canonical edges (each
//! undirected edge once, as `(min, max)`) in out-CSR order; a stateless strategy places them in
//! parallel, a stateful one in order. Either way a partition that reaches its capacity (the balance bound)
//! takes no more edges: the edge goes to the least-loaded partition instead. The result is one
//! partition per edge, not per stored copy (`rows::Canonical` numbers the edges).

use std::sync::atomic::AtomicU32;

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::rows::{self, Canonical};
use crate::EdgeStrategy;

/// Edges of the stateful strategies' order gathered at a time, and per gathering task.
const WINDOW: usize = 1 << 16;
const GATHER: usize = 1 << 12;

/// A strategy that places one edge at a time and may remember what it placed.
pub(crate) trait Placer {
    /// The preferred partition of `u - v` given the current loads; full partitions should be
    /// avoided.
    fn choose(&mut self, u: u32, v: u32, loads: &Loads) -> u32;
    /// `u - v` was placed in `part`.
    fn placed(&mut self, u: u32, v: u32, part: u32);
    /// `u - v` comes soon: start loading what [`Placer::choose`] will read of it.
    fn prefetch(&self, _u: u32, _v: u32) {}
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

    /// Places every edge with a stateless strategy, in parallel; then, only if some partition
    /// is over capacity, re-places the edges in order under the bound. One partition per edge,
    /// numbered by `canon`.
    pub(crate) fn place_stateless(&self, canon: &Canonical<'_>, strategy: &impl EdgeStrategy) -> Vec<u32> {
        let targets = self.graph.out_edges().targets();
        let parts = self.parts;
        let mut edge_part = vec![0u32; canon.count];
        let blocks = canon.blocks(&mut edge_part, rayon::current_num_threads() * 8);
        let loads = blocks
            .into_par_iter()
            .map(|(vertices, block)| {
                let mut loads = vec![0u64; parts as usize];
                let mut at = 0;
                for u in vertices {
                    for i in canon.entries(u) {
                        let p = strategy.assign(u, targets[i], parts);
                        loads[p as usize] += 1;
                        block[at] = p;
                        at += 1;
                    }
                }
                loads
            })
            .reduce(|| vec![0u64; parts as usize], crate::add_counts);
        if loads.iter().any(|&l| l > self.capacity) {
            let mut loads = self.loads(vec![0; parts as usize]);
            for p in &mut edge_part {
                if !loads.is_open(*p) {
                    *p = loads.lightest_open();
                }
                loads.add(*p);
            }
        }
        edge_part
    }

    /// Places every edge with a stateful strategy, one at a time, in a seeded pseudo-random
    /// order (`i -> (a i + b) mod E` with `a` coprime to `E`): CSR order would show a stateful
    /// strategy all of a vertex's edges at once, which misleads it.
    pub(crate) fn place_in_order(&self, canon: &Canonical<'_>, placer: &mut impl Placer, seed: u64) -> Vec<u32> {
        let mut canonical: Vec<(u32, u32)> = Vec::with_capacity(canon.count);
        canon.for_each(|u, v, _| canonical.push((u, v)));
        let e = canonical.len() as u64;
        let mut loads = self.loads(vec![0; self.parts as usize]);
        let mut a = (crate::hash(e, seed) % e.max(1)) | 1;
        while gcd(a, e) != 1 {
            a += 2;
        }
        let b = crate::hash(e ^ 0x5bd1_e995, seed) % e.max(1);
        // The k-th edge is `(a k + b) mod e`, so each position is the last plus `a mod e`. A
        // window of the order is gathered from the table in parallel (independent random
        // reads), placed in order (what the placer reads of an edge's vertices asked for 8 edges
        // ahead), and its partitions then written to their edges in parallel.
        let (e, step) = (e as usize, (a % e.max(1)) as usize);
        let next = |x: usize| if x + step >= e { x + step - e } else { x + step };
        let position = |k: usize| ((u128::from(b) + u128::from(a) * k as u128) % e.max(1) as u128) as usize;
        let mut window = Vec::with_capacity(WINDOW.min(e));
        let mut placed = Vec::with_capacity(WINDOW.min(e));
        let cells: Vec<AtomicU32> = (0..e).into_par_iter().map(|_| AtomicU32::new(0)).collect();
        for first in (0..e).step_by(WINDOW) {
            window.resize(WINDOW.min(e - first), (0, 0, 0));
            window.par_chunks_mut(GATHER).enumerate().for_each(|(c, out)| {
                let mut at = position(first + c * GATHER);
                for slot in out {
                    let (u, v) = canonical[at];
                    *slot = (u, v, at);
                    at = next(at);
                }
            });
            placed.clear();
            for (j, &(u, v, _)) in window.iter().enumerate() {
                if let Some(&(nu, nv, _)) = window.get(j + 8) {
                    placer.prefetch(nu, nv);
                }
                placed.push(self.put(placer, &mut loads, u, v));
            }
            // The partitions go to their edges after the window, in parallel.
            window.par_iter().zip(&placed).for_each(|(&(_, _, c), &p)| cells[c].store(p, rows::RELAXED));
        }
        rows::into_plain32(cells)
    }

    /// Places `u - v` where `placer` prefers, or in the least-loaded partition if that one is
    /// full; counts it in `loads`.
    pub(crate) fn put(&self, placer: &mut impl Placer, loads: &mut Loads, u: u32, v: u32) -> u32 {
        let mut p = placer.choose(u, v, loads);
        if !loads.is_open(p) {
            p = loads.lightest_open();
        }
        loads.add(p);
        placer.placed(u, v, p);
        p
    }

    /// `per` edges per partition, for [`Stream::put`].
    pub(crate) fn loads(&self, per: Vec<u64>) -> Loads {
        Loads::new(per, self.capacity)
    }

    /// The edges a partition may hold.
    pub(crate) fn capacity(&self) -> u64 {
        self.capacity
    }

    /// How many partitions there are.
    pub(crate) fn parts(&self) -> u32 {
        self.parts
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Edges per partition, with what placement asks of them for every edge (the largest and
/// smallest load, the least-loaded partition not full, the least-loaded of a set) kept up to
/// date as edges are added.
///
/// The partitions are kept in groups, one per load that some partition has, linked from the
/// lightest to the heaviest, each a set of partitions (one bit each). A partition that takes an
/// edge moves to the next group (made if its load is new, dropped when emptied): O(1). The
/// least-loaded member of a large set is then the set's first member met walking the groups
/// (its lowest id there), without comparing loads: in HEP's hub phase the partitions holding
/// both ends of a hub pair are most of them but rarely the lightest few, and comparing their
/// loads one by one took most of that phase (kron-20, p = 64).
pub(crate) struct Loads {
    per: Vec<u64>,
    capacity: u64,
    max: u64,
    /// Words per set of partitions.
    words: usize,
    /// One bit per partition below the capacity.
    open: Vec<u64>,
    /// Per group: its load, its partitions (`words` words from `group * words`), its
    /// neighbours in load order ([`END`] past either end).
    load: Vec<u64>,
    members: Vec<u64>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// The lightest group.
    head: u32,
    /// The group of each partition.
    group: Vec<u32>,
    /// Groups not in use.
    free: Vec<u32>,
}

/// No group: past the ends of the list.
const END: u32 = u32::MAX;

/// Groups searched before the loads of a set's members are compared.
const NEAR: usize = 4;

/// Sets of at most this many open partitions (past the first [`NEAR`] groups) are searched by
/// comparing their loads; larger ones by walking the groups.
const FEW: u32 = 8;

impl Loads {
    pub(crate) fn new(per: Vec<u64>, capacity: u64) -> Loads {
        let parts = per.len();
        let words = parts.div_ceil(64);
        let mut open = vec![0; words];
        for (p, &l) in per.iter().enumerate() {
            open[p / 64] |= u64::from(l < capacity) << (p % 64);
        }
        // One group per distinct load, lightest first.
        let mut distinct: Vec<u64> = per.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let groups = distinct.len();
        let mut members = vec![0; parts.max(1) * words];
        let mut group = vec![0; parts];
        for (p, &l) in per.iter().enumerate() {
            let g = distinct.partition_point(|&d| d < l);
            members[g * words + p / 64] |= 1 << (p % 64);
            group[p] = g as u32;
        }
        let mut load = vec![0; parts.max(1)];
        load[..groups].copy_from_slice(&distinct);
        Loads {
            max: per.iter().copied().max().unwrap_or(0),
            capacity,
            words,
            open,
            load,
            members,
            next: (0..parts.max(1)).map(|g| if g + 1 < groups { g as u32 + 1 } else { END }).collect(),
            prev: (0..parts.max(1)).map(|g| if g > 0 && g < groups { g as u32 - 1 } else { END }).collect(),
            head: if groups > 0 { 0 } else { END },
            group,
            free: (groups..parts).rev().map(|g| g as u32).collect(),
            per,
        }
    }

    /// The edges in partition `p`.
    #[inline]
    pub(crate) fn of(&self, p: u32) -> u64 {
        self.per[p as usize]
    }

    /// Whether `p` may take another edge.
    #[inline]
    pub(crate) fn is_open(&self, p: u32) -> bool {
        self.per[p as usize] < self.capacity
    }

    /// The largest load.
    pub(crate) fn max(&self) -> u64 {
        self.max
    }

    /// The smallest load.
    pub(crate) fn min(&self) -> u64 {
        self.load[self.head as usize]
    }

    /// The partitions of group `g`.
    #[inline]
    fn members(&self, g: u32) -> &[u64] {
        &self.members[g as usize * self.words..(g as usize + 1) * self.words]
    }

    /// The least-loaded partition that is not full (ties: the lowest id; 0 if all are full):
    /// the first of the lightest group, unless its load is the capacity.
    pub(crate) fn lightest_open(&self) -> u32 {
        if self.min() >= self.capacity {
            return 0;
        }
        let at_min = self.members(self.head);
        at_min.iter().position(|&w| w != 0).map_or(0, |w| w as u32 * 64 + at_min[w].trailing_zeros())
    }

    /// The least-loaded open partition among the set `bits` gives, word by word (ties: the
    /// lowest id); `None` if there is none. The first few groups are searched first (with
    /// balanced loads they hold nearly every partition); then a small set compares its members'
    /// loads, and a large one walks on.
    #[inline]
    fn lightest_of(&self, bits: impl Fn(usize) -> u64) -> Option<u32> {
        let first = |g: u32| {
            let members = self.members(g);
            (0..self.words).find_map(|w| match bits(w) & members[w] {
                0 => None,
                hit => Some(w as u32 * 64 + hit.trailing_zeros()),
            })
        };
        // Open groups come first (lighter than the capacity).
        let mut g = self.head;
        for _ in 0..NEAR {
            if g == END || self.load[g as usize] >= self.capacity {
                return None;
            }
            if let Some(p) = first(g) {
                return Some(p);
            }
            g = self.next[g as usize];
        }
        let count: u32 = (0..self.words).map(|w| (bits(w) & self.open[w]).count_ones()).sum();
        if count > FEW {
            // A large set: its lightest member is in the first group that holds one.
            while g != END && self.load[g as usize] < self.capacity {
                if let Some(p) = first(g) {
                    return Some(p);
                }
                g = self.next[g as usize];
            }
            return None;
        }
        let mut best: Option<(u64, u32)> = None;
        for w in 0..self.words {
            let mut set = bits(w) & self.open[w];
            while set != 0 {
                let p = w as u32 * 64 + set.trailing_zeros();
                set &= set - 1;
                let load = self.per[p as usize];
                if best.is_none_or(|(l, _)| load < l) {
                    best = Some((load, p));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// One more edge in `p`: it moves to the group of the next load.
    pub(crate) fn add(&mut self, p: u32) {
        let before = self.per[p as usize];
        self.per[p as usize] += 1;
        self.max = self.max.max(before + 1);
        let (word, bit) = (p as usize / 64, 1u64 << (p % 64));
        if before + 1 == self.capacity {
            self.open[word] &= !bit;
        }
        let from = self.group[p as usize];
        let after = self.next[from as usize];
        let alone = self.members(from).iter().enumerate().all(|(w, &m)| m == if w == word { bit } else { 0 });
        let to = if after != END && self.load[after as usize] == before + 1 {
            after
        } else if alone {
            // Its group holds only it, and no partition has the next load: the group moves up.
            self.load[from as usize] = before + 1;
            return;
        } else {
            // A new group for the next load, after `from`: `from` keeps another partition, so
            // fewer groups than partitions are in use and one is free.
            let g = self.free.pop().expect("a free group");
            let (gi, words) = (g as usize, self.words);
            self.load[gi] = before + 1;
            self.members[gi * words..(gi + 1) * words].iter_mut().for_each(|m| *m = 0);
            self.prev[gi] = from;
            self.next[gi] = after;
            self.next[from as usize] = g;
            if after != END {
                self.prev[after as usize] = g;
            }
            g
        };
        self.members[from as usize * self.words + word] &= !bit;
        self.members[to as usize * self.words + word] |= bit;
        self.group[p as usize] = to;
        if alone {
            // `from` is empty: unlink it.
            let (before_it, after_it) = (self.prev[from as usize], self.next[from as usize]);
            if before_it == END {
                self.head = after_it;
            } else {
                self.next[before_it as usize] = after_it;
            }
            if after_it != END {
                self.prev[after_it as usize] = before_it;
            }
            self.free.push(from);
        }
    }
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

    /// How many vertices it has sets for.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.bits.len() / self.words.max(1)
    }

    pub(crate) fn row(&self, v: u32) -> &[u64] {
        &self.bits[v as usize * self.words..(v as usize + 1) * self.words]
    }

    /// Sets `v`'s set to `row` (`words` words).
    pub(crate) fn set_row(&mut self, v: u32, row: &[u64]) {
        self.bits[v as usize * self.words..(v as usize + 1) * self.words].copy_from_slice(row);
    }

    pub(crate) fn insert(&mut self, v: u32, p: u32) {
        self.bits[v as usize * self.words + p as usize / 64] |= 1 << (p % 64);
    }

    /// The least-loaded open partition (ties: the lowest id) among those whose bit is set in
    /// `select(row of u, row of v)`; `None` if there is none ([`Loads`] finds it).
    #[inline]
    pub(crate) fn lightest(&self, u: u32, v: u32, loads: &Loads, select: impl Fn(u64, u64) -> u64) -> Option<u32> {
        let (a, b) = (self.row(u), self.row(v));
        loads.lightest_of(|w| select(a[w], b[w]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_lightest_replicas_agree_with_a_scan_of_every_partition() {
        let (parts, capacity) = (130u32, 40u64);
        // Uneven loads to start with (HEP's hub phase starts from the expansion's), so there
        // are many groups.
        let mut x = 7u64;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x
        };
        let mut plain: Vec<u64> = (0..parts).map(|_| next() >> 40 & 15).collect();
        let mut loads = Loads::new(plain.clone(), capacity);
        // Small sets (0 and 1), which compare loads, and large ones (2: all but every seventh
        // partition; 3: every third), which walk the groups.
        let mut sets = ReplicaSets::new(4, parts);
        for p in [0, 5, 63, 64, 100, 129] {
            sets.insert(0, p);
        }
        for p in [5, 64, 65, 129] {
            sets.insert(1, p);
        }
        for p in 0..parts {
            if p % 7 != 3 {
                sets.insert(2, p);
            }
            if p % 3 == 0 {
                sets.insert(3, p);
            }
        }
        let scan = |plain: &[u64], keep: &dyn Fn(u32) -> bool| {
            (0..parts).filter(|&p| plain[p as usize] < capacity && keep(p)).min_by_key(|&p| (plain[p as usize], p))
        };
        let steps = parts as u64 * capacity - plain.iter().sum::<u64>();
        for step in 0..steps {
            // Mostly a few favourite partitions, so they fill up, and some spread.
            let x = next();
            let mut p = if x >> 62 == 0 { (x >> 20) as u32 % parts } else { [5, 64, 129][(x >> 40) as usize % 3] };
            if !loads.is_open(p) {
                p = loads.lightest_open();
            }
            assert_eq!(Some(loads.lightest_open()), scan(&plain, &|_| true), "step {step}");
            let row = |v: u32, p: u32| sets.row(v)[p as usize / 64] >> (p % 64) & 1 == 1;
            for (u, v) in [(0, 1), (2, 3), (2, 0)] {
                assert_eq!(sets.lightest(u, v, &loads, |a, b| a & b), scan(&plain, &|p| row(u, p) && row(v, p)));
                assert_eq!(sets.lightest(u, v, &loads, |a, b| a & !b), scan(&plain, &|p| row(u, p) && !row(v, p)));
                assert_eq!(sets.lightest(u, v, &loads, |a, b| a | b), scan(&plain, &|p| row(u, p) || row(v, p)));
            }
            loads.add(p);
            plain[p as usize] += 1;
            assert_eq!(
                (Some(loads.min()), Some(loads.max())),
                (plain.iter().copied().min(), plain.iter().copied().max())
            );
            assert!((0..parts)
                .all(|q| loads.is_open(q) == (plain[q as usize] < capacity) && loads.of(q) == plain[q as usize]));
        }
        assert!(plain.iter().all(|&l| l == capacity));
    }
}
