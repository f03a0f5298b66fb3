//! Neighbourhood Expansion (Zhang et al., KDD 2017): partitions are grown one after another.
//! Each keeps a core set and a boundary set; the boundary vertex with the fewest edges still
//! unassigned moves to the core, its neighbours join the boundary, and every unassigned edge
//! between a new boundary vertex and the boundary goes to the partition. A partition is full at
//! its share of the remaining edges (capped by the balance bound); the last takes the rest.
//! Replicas stay low because a partition takes whole neighbourhoods.
//!
//! The expansion also serves HEP (`hep.rs`, NE++): only *low* vertices are expanded and scan
//! their edges; a high-degree vertex may join a boundary (it costs nothing) but is never
//! scanned, so its edges to low vertices are assigned from the low side, and edges between two
//! high vertices are left for a streaming pass. With every vertex low this is plain NE.
//!
//! The state of an edge is the partition stored under the number of its canonical out-CSR
//! entry (`u -> v` with `u <= v` on an undirected graph, the out-entry on a directed one;
//! `rows::Canonical`), in an array with one value per edge, not per stored copy. Each low vertex
//! keeps its edges as `(neighbour, edge number)` pairs, and a scan drops the pairs it finds assigned
//! (HEP's lazy removal), so a vertex that joins many boundaries scans less each time. What a
//! visit needs of a vertex (where its pairs are, how many are left, its open edges, its core) is
//! one 16-byte record, and whether an edge is assigned is one bit per edge, so the random reads
//! of a scan hit one cache line each, mostly in cache. Working memory: 8 bytes per edge end at a
//! low vertex, 16 bytes and a bit per vertex, a bit per edge, a set of partitions per high
//! vertex, 8 bytes per pair of the longest list (a join's pairs to the boundary),
//! and the caller's 4 bytes per edge for the partitions.

use std::sync::atomic::AtomicU64;

use rayon::prelude::*;

use dgraph_datasets::prefetch::prefetch;
use dgraph_datasets::Graph;

use crate::map::PartitionError;
use crate::rows::{self, Canonical};
use crate::stream::ReplicaSets;

/// The partition of an edge not assigned yet.
pub(crate) const NONE: u32 = u32::MAX;

/// A partition as the expansion stores it, per edge: as narrow as the part count allows
/// (kron-20: 16 MB of `u8` against 63 MB of `u32`), so that the peak of memory, during the
/// expansion, is 3 bytes per edge less. Its random writes land in a smaller array, but the
/// expansion measured level (kron-20 p64, 3 alternating rounds).
pub(crate) trait Cell: Copy + Send + Sync {
    /// No partition yet.
    const NONE: Self;
    /// The most partitions it holds.
    const PARTS: u32;
    /// Partition `p` (`p < PARTS`).
    fn new(p: u32) -> Self;
    /// The partition, or [`NONE`] for none.
    fn get(self) -> u32;
}

macro_rules! cell {
    ($t:ty) => {
        impl Cell for $t {
            const NONE: $t = <$t>::MAX;
            const PARTS: u32 = <$t>::MAX as u32;
            #[inline(always)]
            fn new(p: u32) -> $t {
                p as $t
            }
            #[inline(always)]
            fn get(self) -> u32 {
                if self == <$t>::MAX {
                    NONE
                } else {
                    self as u32
                }
            }
        }
    };
}
cell!(u8);
cell!(u16);
cell!(u32);

/// How many pairs ahead a scan asks for the memory of an edge it may take.
const AHEAD: usize = 8;

/// How many pairs of its list a join asks for before its scan (32 lines of 8).
const BURST: usize = 256;

/// The `core` of a high vertex: never scanned nor expanded.
const HUB: u32 = u32::MAX - 1;

/// What the expansion keeps per vertex, in one record so that a visit costs one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Vertex {
    /// Where its pairs start; for a high vertex (no pairs), its rank among the high vertices
    /// (its row in the expansion's sets of the high vertices' partitions).
    start: u32,
    /// How many of its pairs are still listed (assigned ones are dropped as scans find them).
    len: u32,
    /// Its unassigned edges (0 for a high vertex).
    open: u32,
    /// The partition whose core it is in ([`NONE`] if none yet; stamps need no clearing per
    /// partition), or [`HUB`].
    core: u32,
}

impl Vertex {
    /// Whether it is a high vertex (never scanned nor expanded).
    #[inline]
    fn is_hub(&self) -> bool {
        self.core == HUB
    }
}

/// The low vertices' edges as `(neighbour, edge number)` pairs, a self-loop once.
pub(crate) struct Adjacency {
    vertex: Vec<Vertex>,
    /// How many high vertices there are.
    hubs: u32,
    /// How many edges have a low end (those the expansion places).
    edges: u64,
    /// `(neighbour, edge number)`, packed (`rows::pack`).
    pairs: Vec<u64>,
}

impl Adjacency {
    /// The pairs of the `low` vertices of `graph`, its edges numbered by `canon`.
    pub(crate) fn new(graph: &Graph, low: Vec<bool>, canon: &Canonical<'_>) -> Result<Adjacency, PartitionError> {
        let out = graph.out_edges();
        let entries = out.entry_count();
        // Edges are numbered with 32 bits (in the pairs), and so are the pairs.
        if entries >= u64::from(u32::MAX) {
            return Err(PartitionError::TooLarge { entries });
        }
        let n = graph.vertex_count();
        let directed = graph.is_directed();
        let loops = |v: u32| out.neighbors(v).iter().filter(|&&z| z == v).count() as u64;
        // Each vertex's pair count straight into its record (saturated: a count that does not
        // fit makes the total too large below); the starts follow.
        let mut vertex: Vec<Vertex> = (0..n as u32)
            .into_par_iter()
            .map(|v| {
                let len = match (low[v as usize], directed) {
                    (false, _) => 0,
                    (true, false) => out.degree(v) as u64,
                    (true, true) => out.degree(v) as u64 + graph.in_edges().degree(v) as u64 - loops(v),
                };
                let len = u32::try_from(len).unwrap_or(u32::MAX);
                Vertex { start: 0, len, open: len, core: if low[v as usize] { NONE } else { HUB } }
            })
            .collect();
        let total: u64 = vertex.iter().map(|x| u64::from(x.len)).sum();
        if total >= u64::from(NONE) {
            return Err(PartitionError::TooLarge { entries });
        }
        let (mut next, mut hubs) = (0u32, 0u32);
        for x in &mut vertex {
            if x.is_hub() {
                x.start = hubs;
                hubs += 1;
            } else {
                x.start = next;
                next += x.len;
            }
        }
        let pairs: Vec<AtomicU64> = (0..total).into_par_iter().map(|_| AtomicU64::new(0)).collect();
        // A low vertex's pairs in its row's order (directed: its out-entries, then its
        // in-entries without self-loops); a high vertex's ends are visited but not kept.
        rows::for_each_end(graph, canon, |v, k, z, c| {
            if low[v as usize] {
                pairs[vertex[v as usize].start as usize + k].store(rows::pack(z, c), rows::RELAXED);
            }
        });
        let pairs = rows::into_plain64(pairs);
        // Every edge but those between two high vertices, found in the high vertices' rows.
        let high = |v: u32| !low[v as usize];
        let between_high: usize = (0..n as u32)
            .into_par_iter()
            .filter(|&u| high(u))
            .map(|u| out.neighbors(u).iter().filter(|&&v| high(v) && (directed || u <= v)).count())
            .sum();
        Ok(Adjacency { vertex, hubs, edges: (canon.count - between_high) as u64, pairs })
    }
}

/// Vertices by a small integer key (open edges, which only fall): one list per key and a
/// cursor at the smallest non-empty one, so a push is O(1) and pops walk up the keys.
struct BucketQueue {
    buckets: Vec<Vec<u32>>,
    min: usize,
}

impl BucketQueue {
    fn new(max_key: u32) -> BucketQueue {
        BucketQueue { buckets: vec![Vec::new(); max_key as usize + 1], min: max_key as usize + 1 }
    }

    #[inline]
    fn push(&mut self, key: u32, v: u32) {
        self.buckets[key as usize].push(v);
        self.min = self.min.min(key as usize);
    }

    fn pop(&mut self) -> Option<(u32, u32)> {
        while self.min < self.buckets.len() {
            if let Some(v) = self.buckets[self.min].pop() {
                return Some((self.min as u32, v));
            }
            self.min += 1;
        }
        None
    }

    fn clear(&mut self) {
        let from = self.min.min(self.buckets.len());
        for b in &mut self.buckets[from..] {
            b.clear();
        }
        self.min = self.buckets.len();
    }
}

/// The state of the expansion.
struct Growth<'a, C: Cell> {
    vertex: Vec<Vertex>,
    /// `(neighbour, edge number)`, packed (`rows::pack`).
    pairs: Vec<u64>,
    /// Partition of each edge, by number.
    part: &'a mut [C],
    /// One bit per edge: whether it is assigned (`part[c] != NONE`, in an array 32 times
    /// smaller, so the scans' lookups stay in cache).
    taken: Vec<u64>,
    /// The boundary of the partition being grown, one bit per vertex (cleared per partition).
    boundary: Vec<u64>,
    /// Low boundary vertices by open edges (lazy: stale entries are skipped when popped).
    queue: BucketQueue,
    /// A joining vertex's pairs to the boundary (room for the longest list).
    near: Vec<u64>,
    /// The partitions holding each high vertex's edges placed so far, a set per high vertex by
    /// rank (what HDRF scores the hub-to-hub edges against): kept as edges are placed, so no
    /// pass over every edge finds them afterwards.
    hubs: ReplicaSets,
    count: u64,
    target: u64,
}

/// Whether bit `i` of `bits` is set.
#[inline]
fn has(bits: &[u64], i: u32) -> bool {
    bits[i as usize / 64] >> (i % 64) & 1 == 1
}

/// Sets bit `i` of `bits`.
#[inline]
fn set(bits: &mut [u64], i: u32) {
    bits[i as usize / 64] |= 1 << (i % 64);
}

/// Edge `c` goes to `p`: its entry and its bit.
#[inline]
fn take<C: Cell>(part: &mut [C], taken: &mut [u64], c: u32, p: u32) {
    part[c as usize] = C::new(p);
    set(taken, c);
}

/// Edge `c` between `y` and `z` goes to `p`: [`take`]; its low ends have one open edge less,
/// its high ends hold `p`. Always inlined: left to itself the compiler made it a call from the
/// joins, and the expansion on kron-18 at p = 64 took 254-278 ms against 229-256 inlined (6
/// alternating runs each, timed in place).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn assign<C: Cell>(
    vertex: &mut [Vertex],
    part: &mut [C],
    taken: &mut [u64],
    hubs: &mut ReplicaSets,
    c: u32,
    y: u32,
    z: u32,
    p: u32,
) {
    take(part, taken, c, p);
    // A self-loop (`z == y`) is one open edge less, not two.
    for (x, counts) in [(y, true), (z, z != y)] {
        let end = &mut vertex[x as usize];
        if end.is_hub() {
            hubs.insert(end.start, p);
        } else if counts {
            end.open -= 1;
        }
    }
}

impl<C: Cell> Growth<'_, C> {
    #[inline]
    fn in_boundary(&self, v: u32) -> bool {
        has(&self.boundary, v)
    }

    #[inline]
    fn is_taken(&self, c: u32) -> bool {
        has(&self.taken, c)
    }

    /// Edge `c` between `y` and `z` goes to `p`; false when `p` reached its target.
    #[inline]
    fn assign(&mut self, c: u32, y: u32, z: u32, p: u32) -> bool {
        assign(&mut self.vertex, self.part, &mut self.taken, &mut self.hubs, c, y, z, p);
        self.count += 1;
        self.count < self.target
    }

    /// `y` joins the boundary of `p`; a low `y` takes its unassigned edges into the boundary
    /// (itself included, for self-loops) and drops the assigned ones from its list. False when
    /// `p` reached its target.
    fn join(&mut self, y: u32, p: u32) -> bool {
        set(&mut self.boundary, y);
        let Vertex { start, len, core, .. } = self.vertex[y as usize];
        if core == HUB {
            return true;
        }
        if self.count + u64::from(len) >= self.target {
            return self.join_near_target(y, p);
        }
        // The arrays as local slices, the count as a local: a store through a field of `self`
        // (the kept pairs, an edge's entry) made the compiler reload every field after it.
        let Growth { vertex, pairs, part, taken, boundary, queue, count, near, hubs, .. } = self;
        let (vertex, part, taken, boundary) = (&mut vertex[..], &mut part[..], &mut taken[..], &boundary[..]);
        let list = &mut pairs[start as usize..(start + len) as usize];
        // Every pair to the boundary leaves the list (its edge is taken, now or before) and the
        // others stay, so the list is split without a branch on the boundary bit (a branch taken
        // for a few pairs in seven, at random, mispredicts); the target cannot be reached here.
        let near = &mut near[..list.len()];
        // The list is in no cache (each join reads another vertex's, anywhere in the pairs):
        // ask for its lines at once, so that their misses overlap, not one after another as
        // the scan reaches them.
        for line in list[..list.len().min(BURST)].iter().step_by(8) {
            prefetch(line);
        }
        let (mut kept, mut found) = (0, 0);
        for r in 0..list.len() {
            let w = list[r];
            let inside = usize::from(has(boundary, rows::unpack(w).0));
            list[kept] = w;
            near[found] = w;
            kept += 1 - inside;
            found += inside;
        }
        let mut placed = *count;
        for (k, &w) in near[..found].iter().enumerate() {
            if let Some(&ahead) = near[..found].get(k + AHEAD) {
                // What taking that edge would touch: its bit, its entry, the other end.
                let (z, c) = rows::unpack(ahead);
                prefetch(&taken[c as usize / 64]);
                prefetch(&part[c as usize]);
                prefetch(&vertex[z as usize]);
            }
            let (z, c) = rows::unpack(w);
            if has(taken, c) {
                continue;
            }
            assign(vertex, part, taken, hubs, c, y, z, p);
            placed += 1;
            let Vertex { open, core, .. } = vertex[z as usize];
            if core != HUB && core != p {
                queue.push(open, z);
            }
        }
        *count = placed;
        vertex[y as usize].len = kept as u32;
        queue.push(vertex[y as usize].open, y);
        true
    }

    /// [`Growth::join`] when its pairs may fill `p`: in list order, keeping what follows the
    /// edge that reaches the target.
    fn join_near_target(&mut self, y: u32, p: u32) -> bool {
        let Vertex { start, len, .. } = self.vertex[y as usize];
        let Growth { vertex, pairs, part, taken, boundary, queue, count, target, hubs, .. } = self;
        let (vertex, part, taken, boundary) = (&mut vertex[..], &mut part[..], &mut taken[..], &boundary[..]);
        let list = &mut pairs[start as usize..(start + len) as usize];
        let (mut placed, target) = (*count, *target);
        let (mut kept, mut room) = (0, true);
        for r in 0..list.len() {
            let (z, c) = rows::unpack(list[r]);
            // The boundary bit first: it is in cache, the edge's state less often.
            if room && has(boundary, z) {
                if has(taken, c) {
                    continue;
                }
                assign(vertex, part, taken, hubs, c, y, z, p);
                placed += 1;
                room = placed < target;
                let Vertex { open, core, .. } = vertex[z as usize];
                if core != HUB && core != p {
                    queue.push(open, z);
                }
                continue;
            }
            list[kept] = list[r];
            kept += 1;
        }
        *count = placed;
        vertex[y as usize].len = kept as u32;
        if room {
            queue.push(vertex[y as usize].open, y);
        }
        room
    }

    /// `x` moves to the core of `p`: its edges to the boundary go to `p`, its other neighbours
    /// join the boundary (and so take their edge to `x`). False when `p` reached its target.
    fn expand(&mut self, x: u32, p: u32) -> bool {
        self.vertex[x as usize].core = p;
        let Vertex { start, len, .. } = self.vertex[x as usize];
        let end = (start + len) as usize;
        for r in start as usize..end {
            self.prefetch_join(r, end);
            let (y, c) = rows::unpack(self.pairs[r]);
            if self.is_taken(c) {
                continue;
            }
            let room = if self.in_boundary(y) {
                // Only a high neighbour can still have an open edge to a boundary vertex.
                self.assign(c, x, y, p)
            } else if self.vertex[y as usize].open == 1 {
                // A low y whose one open edge is this one: its scan would take just this edge
                // (x is in the boundary), so it joins without the scan. Its list is never read
                // again: a vertex without open edges is neither joined, expanded nor swept.
                set(&mut self.boundary, y);
                self.assign(c, x, y, p)
            } else if !self.join(y, p) {
                false
            } else if self.vertex[y as usize].is_hub() {
                // A low y took the edge when it scanned; a high one does not scan.
                self.assign(c, x, y, p)
            } else {
                true
            };
            if !room {
                return false;
            }
            if self.vertex[x as usize].open == 0 {
                // The rest of the list is assigned edges.
                break;
            }
        }
        self.vertex[x as usize].len = 0;
        true
    }

    /// Starts loading what joining the neighbours a few pairs after `r` (of a list ending at
    /// `end`) will read: the record of the one `FAR` ahead, and the first pairs and the edge's
    /// bit of the one `NEAR` ahead, whose record was asked for `FAR - NEAR` calls earlier. A
    /// join's first read of a list is otherwise a miss the scan waits on.
    #[inline(always)]
    fn prefetch_join(&self, r: usize, end: usize) {
        const FAR: usize = 8;
        const NEAR: usize = 4;
        if r + FAR < end {
            prefetch(&self.vertex[rows::unpack(self.pairs[r + FAR]).0 as usize]);
        }
        if r + NEAR < end {
            let (y, c) = rows::unpack(self.pairs[r + NEAR]);
            prefetch(&self.taken[c as usize / 64]);
            let at = self.vertex[y as usize].start as usize;
            // The list's first two lines: the scan reads `AHEAD` pairs in from its start.
            for first in self.pairs.get(at).into_iter().chain(self.pairs.get(at + AHEAD)) {
                prefetch(first);
            }
        }
    }

    /// Every edge not assigned yet goes to `p`: each has a low endpoint with open edges that
    /// still lists it (a list drops only assigned edges, and a core's list is emptied only
    /// once all its edges are assigned), so the lists of those vertices find them all.
    fn sweep(&mut self, p: u32) {
        for y in 0..self.vertex.len() {
            let Vertex { start, len, open, core } = self.vertex[y];
            if open == 0 || core == HUB {
                continue;
            }
            for r in start as usize..(start + len) as usize {
                let (z, c) = rows::unpack(self.pairs[r]);
                if !self.is_taken(c) {
                    take(self.part, &mut self.taken, c, p);
                    self.count += 1;
                    // The other end may be high.
                    let other = self.vertex[z as usize];
                    if other.is_hub() {
                        self.hubs.insert(other.start, p);
                    }
                }
            }
        }
    }

    /// The low boundary vertex of `p` with the fewest (but some) open edges.
    fn pop(&mut self, p: u32) -> Option<u32> {
        while let Some((key, x)) = self.queue.pop() {
            let Vertex { open, core, .. } = self.vertex[x as usize];
            if key > 0 && key == open && core != p {
                return Some(x);
            }
        }
        None
    }
}

/// Assigns every edge with a low endpoint to one of `parts` partitions, at most `capacity`
/// each, writing the partition at the edge's number in `part` (one value per edge; those
/// between two high vertices stay [`NONE`]). Returns the edges placed in each partition and
/// the partitions holding each high vertex's edges (a set per high vertex, by rank in id order).
pub(crate) fn expand<C: Cell>(adj: Adjacency, parts: u32, capacity: u64, part: &mut [C]) -> (Vec<u64>, ReplicaSets) {
    let n = adj.vertex.len();
    let open_max = adj.vertex.iter().map(|v| v.open).max().unwrap_or(0);
    let total = adj.edges;
    let mut g = Growth {
        vertex: adj.vertex,
        pairs: adj.pairs,
        taken: vec![0; part.len().div_ceil(64)],
        part,
        boundary: vec![0; n.div_ceil(64)],
        queue: BucketQueue::new(open_max),
        near: vec![0; open_max as usize],
        hubs: ReplicaSets::new(adj.hubs as usize, parts),
        count: 0,
        target: 0,
    };
    let mut loads = vec![0u64; parts as usize];
    let mut assigned = 0u64;
    let mut seed = 0usize;
    for p in 0..parts {
        let left = parts - p;
        let share = (total - assigned).div_ceil(u64::from(left));
        g.count = 0;
        if left == 1 {
            // The last partition takes the rest, whatever order it would grow in.
            g.sweep(p);
            loads[p as usize] = g.count;
            break;
        }
        g.target = share.min(capacity);
        g.queue.clear();
        g.boundary.iter_mut().for_each(|w| *w = 0);
        while g.count < g.target {
            let grew = match g.pop(p) {
                Some(x) => g.expand(x, p),
                None => {
                    // A new seed: the next low vertex with unassigned edges.
                    while seed < n && g.vertex[seed].open == 0 {
                        seed += 1;
                    }
                    if seed == n {
                        break;
                    }
                    g.join(seed as u32, p) && g.expand(seed as u32, p)
                }
            };
            if !grew {
                break;
            }
        }
        assigned += g.count;
        loads[p as usize] = g.count;
    }
    (loads, g.hubs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::numbers;
    use dgraph_datasets::Graph;

    /// `edges` random edges on `vertices` vertices, skewed: the multiples of `every` end many
    /// of them (and loops and repeats occur).
    fn skewed(next: &mut impl FnMut() -> u64, edges: usize, vertices: u64, every: u64, directed: bool) -> Graph {
        let edges: Vec<(u64, u64)> = (0..edges)
            .map(|_| {
                let a = next() % vertices;
                (if next() % 3 == 0 { a / every * every } else { a }, next() % vertices)
            })
            .collect();
        Graph::from_edges(edges, directed).expect("builds")
    }

    /// NE++ as the module doc states it, with none of the expansion's devices (lazy list
    /// removal, bit sets, narrow cells, prefetching, the joins' shortcuts, the sweep over open
    /// lists): each low vertex's list of `(neighbour, edge)` in row order, scanned whole every
    /// time. Returns each edge's partition, the loads and each high vertex's partitions (by id).
    fn plain_expand(
        graph: &Graph,
        low: &[bool],
        canon: &Canonical<'_>,
        parts: u32,
        capacity: u64,
    ) -> (Vec<u32>, Vec<u64>, Vec<Vec<u32>>) {
        let n = graph.vertex_count();
        let mut lists = vec![Vec::new(); n];
        let found = std::sync::Mutex::new(Vec::new());
        rows::for_each_end(graph, canon, |v, k, z, c| found.lock().expect("not poisoned").push((v, k, z, c)));
        let mut found = found.into_inner().expect("not poisoned");
        found.sort_unstable();
        for (v, _, z, c) in found {
            if low[v as usize] {
                lists[v as usize].push((z, c));
            }
        }
        let mut open: Vec<u32> = lists.iter().map(|l| l.len() as u32).collect();
        let mut total = canon.count as u64;
        canon.for_each(|u, v, _| total -= u64::from(!low[u as usize] && !low[v as usize]));
        let mut part = vec![NONE; canon.count];
        let mut hubs = vec![Vec::new(); n];
        let mut core = vec![NONE; n];
        let mut loads = vec![0u64; parts as usize];
        let (mut assigned, mut seed) = (0u64, 0usize);
        struct State<'s> {
            part: &'s mut [u32],
            open: &'s mut [u32],
            hubs: &'s mut [Vec<u32>],
            core: &'s mut [u32],
            low: &'s [bool],
            boundary: Vec<bool>,
            queue: Vec<Vec<u32>>,
            count: u64,
            target: u64,
            p: u32,
        }
        impl State<'_> {
            /// Edge `c` between `y` and `z` goes to `p`; false when `p` is full.
            fn assign(&mut self, c: u32, y: u32, z: u32) -> bool {
                self.part[c as usize] = self.p;
                self.count += 1;
                for (x, counts) in [(y, true), (z, z != y)] {
                    if !self.low[x as usize] {
                        if !self.hubs[x as usize].contains(&self.p) {
                            self.hubs[x as usize].push(self.p);
                        }
                    } else if counts {
                        self.open[x as usize] -= 1;
                    }
                }
                self.count < self.target
            }
            fn push(&mut self, v: u32) {
                self.queue[self.open[v as usize] as usize].push(v);
            }
            /// `y` joins the boundary and takes its unassigned edges into it, in list order.
            fn join(&mut self, lists: &[Vec<(u32, u32)>], y: u32) -> bool {
                self.boundary[y as usize] = true;
                if !self.low[y as usize] {
                    return true;
                }
                for &(z, c) in &lists[y as usize] {
                    if self.boundary[z as usize] && self.part[c as usize] == NONE {
                        let room = self.assign(c, y, z);
                        if self.low[z as usize] && self.core[z as usize] != self.p {
                            self.push(z);
                        }
                        if !room {
                            return false;
                        }
                    }
                }
                self.push(y);
                true
            }
            /// `x` moves to the core: its neighbours join, its edges to the boundary go to `p`.
            fn expand(&mut self, lists: &[Vec<(u32, u32)>], x: u32) -> bool {
                self.core[x as usize] = self.p;
                for &(y, c) in &lists[x as usize] {
                    if self.part[c as usize] != NONE {
                        continue;
                    }
                    let room = if self.boundary[y as usize] {
                        self.assign(c, x, y)
                    } else if !self.join(lists, y) {
                        false
                    } else if !self.low[y as usize] {
                        self.assign(c, x, y)
                    } else {
                        true
                    };
                    if !room {
                        return false;
                    }
                }
                true
            }
            /// The boundary vertex with the fewest open edges (the last pushed first).
            fn pop(&mut self) -> Option<u32> {
                for key in 0..self.queue.len() {
                    while let Some(x) = self.queue[key].pop() {
                        if key > 0 && key as u32 == self.open[x as usize] && self.core[x as usize] != self.p {
                            return Some(x);
                        }
                    }
                }
                None
            }
        }
        let max_open = open.iter().copied().max().unwrap_or(0) as usize;
        for p in 0..parts {
            let left = parts - p;
            if left == 1 {
                for list in &lists {
                    for &(z, c) in list {
                        if part[c as usize] == NONE {
                            part[c as usize] = p;
                            loads[p as usize] += 1;
                            if !low[z as usize] && !hubs[z as usize].contains(&p) {
                                hubs[z as usize].push(p);
                            }
                        }
                    }
                }
                break;
            }
            let share = (total - assigned).div_ceil(u64::from(left));
            let mut st = State {
                part: &mut part,
                open: &mut open,
                hubs: &mut hubs,
                core: &mut core,
                low,
                boundary: vec![false; n],
                queue: vec![Vec::new(); max_open + 1],
                count: 0,
                target: share.min(capacity),
                p,
            };
            while st.count < st.target {
                let grew = match st.pop() {
                    Some(x) => st.expand(&lists, x),
                    None => {
                        while seed < n && st.open[seed] == 0 {
                            seed += 1;
                        }
                        if seed == n {
                            break;
                        }
                        st.join(&lists, seed as u32) && st.expand(&lists, seed as u32)
                    }
                };
                if !grew {
                    break;
                }
            }
            assigned += st.count;
            loads[p as usize] = st.count;
        }
        for h in &mut hubs {
            h.sort_unstable();
        }
        (part, loads, hubs)
    }

    #[test]
    fn the_expansion_is_plain_ne_plus_plus() {
        let mut next = numbers(11);
        for (directed, tau) in [(false, 1.5), (true, 1.5), (false, f64::INFINITY), (true, 3.0)] {
            let g = skewed(&mut next, 3000, 300, 11, directed);
            let mean = 2.0 * g.edge_count() as f64 / g.vertex_count() as f64;
            let low: Vec<bool> = crate::map::degrees(&g).iter().map(|&d| f64::from(d) <= tau * mean).collect();
            let canon = Canonical::new(&g);
            for parts in [2, 7, 70] {
                // Without a cap, and at 5% over an even share (joins that fill a partition).
                for capacity in [canon.count as u64, (canon.count as u64 / u64::from(parts)) * 21 / 20 + 1] {
                    let (want, want_loads, want_hubs) = plain_expand(&g, &low, &canon, parts, capacity);
                    let adj = Adjacency::new(&g, low.clone(), &canon).expect("small enough");
                    let mut placed = vec![NONE; canon.count];
                    let (loads, hubs) = expand(adj, parts, capacity, &mut placed);
                    let case = format!("directed {directed}, tau {tau}, {parts} parts, capacity {capacity}");
                    assert_eq!(placed, want, "{case}");
                    assert_eq!(loads, want_loads, "{case}");
                    let high = (0..g.vertex_count()).filter(|&v| !low[v]);
                    for (rank, v) in high.enumerate() {
                        let got: Vec<u32> = (0..parts)
                            .filter(|&p| hubs.row(rank as u32)[p as usize / 64] >> (p % 64) & 1 == 1)
                            .collect();
                        assert_eq!(got, want_hubs[v], "{case}, vertex {v}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_hubs_sets_are_the_partitions_of_their_placed_edges() {
        let mut next = numbers(3);
        for directed in [false, true] {
            let g = skewed(&mut next, 4000, 400, 7, directed);
            let degree = crate::map::degrees(&g);
            let mean = 2.0 * g.edge_count() as f64 / g.vertex_count() as f64;
            let low: Vec<bool> = degree.iter().map(|&d| f64::from(d) <= 1.5 * mean).collect();
            assert!(low.contains(&false) && low.contains(&true));
            // 70 partitions: two words per set.
            let parts = 70;
            let canon = Canonical::new(&g);
            let adj = Adjacency::new(&g, low.clone(), &canon).expect("small enough");
            let counted = adj.edges;
            let mut placed = vec![NONE; canon.count];
            let (loads, hubs) = expand(adj, parts, canon.count as u64, &mut placed);
            // Partitions kept in narrower cells place the same edges in the same partitions.
            let mut narrow = vec![u8::NONE; canon.count];
            let fresh = Adjacency::new(&g, low.clone(), &canon).expect("small enough");
            let (loads8, hubs8) = expand(fresh, parts, canon.count as u64, &mut narrow);
            assert!(narrow.iter().map(|&p| p.get()).eq(placed.iter().copied()), "directed {directed}: u8");
            let mut narrow = vec![u16::NONE; canon.count];
            let fresh = Adjacency::new(&g, low.clone(), &canon).expect("small enough");
            let (loads16, hubs16) = expand(fresh, parts, canon.count as u64, &mut narrow);
            assert!(narrow.iter().map(|&p| p.get()).eq(placed.iter().copied()), "directed {directed}: u16");
            assert_eq!((&loads8, &loads16), (&loads, &loads));
            for rank in 0..hubs.len() as u32 {
                assert_eq!((hubs8.row(rank), hubs16.row(rank)), (hubs.row(rank), hubs.row(rank)));
            }
            // The edges counted as having a low end are the ones placed.
            assert_eq!(loads.iter().sum::<u64>(), counted);
            assert_eq!(loads.iter().sum::<u64>() as usize, placed.iter().filter(|&&p| p != NONE).count());
            let mut expected = ReplicaSets::new(g.vertex_count(), parts);
            canon.for_each(|u, v, i| {
                let p = placed[canon.rank(u, i)];
                // Placed exactly when an end is low.
                assert_eq!(p != NONE, low[u as usize] || low[v as usize], "{u} - {v}");
                for x in [u, v] {
                    if p != NONE && !low[x as usize] {
                        expected.insert(x, p);
                    }
                }
            });
            let high = (0..g.vertex_count() as u32).filter(|&v| !low[v as usize]);
            assert_eq!(hubs.len(), high.clone().count());
            for (rank, v) in high.enumerate() {
                assert_eq!(hubs.row(rank as u32), expected.row(v), "directed {directed}, vertex {v}");
            }
        }
    }
}
