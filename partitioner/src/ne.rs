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
//! The state of an edge is the partition stored at its canonical out-CSR entry (`u -> v` with
//! `u <= v` on an undirected graph, the out-entry on a directed one). Each low vertex keeps its
//! edges as `(neighbour, canonical entry)` pairs, and a scan drops the pairs it finds assigned
//! (HEP's lazy removal), so a vertex that joins many boundaries scans less each time. Working
//! memory: 8 bytes per edge end at a low vertex and six words per vertex.

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::map::PartitionError;

/// The partition of an edge not assigned yet.
pub(crate) const NONE: u32 = u32::MAX;

/// The low vertices' edges as `(neighbour, canonical entry)` pairs, a self-loop once.
pub(crate) struct Adjacency {
    /// Which vertices are scanned and expanded.
    low: Vec<bool>,
    /// Where each vertex's pairs start (high vertices have none).
    start: Vec<u64>,
    /// How many of its pairs are still listed (assigned ones are dropped as scans find them).
    len: Vec<u32>,
    pairs: Vec<(u32, u32)>,
}

impl Adjacency {
    /// The pairs of the `low` vertices of `graph`.
    pub(crate) fn new(graph: &Graph, low: Vec<bool>) -> Result<Adjacency, PartitionError> {
        let out = graph.out_edges();
        let entries = out.entry_count();
        if entries >= u64::from(NONE) {
            return Err(PartitionError::TooLarge { entries });
        }
        let n = graph.vertex_count();
        let directed = graph.is_directed();
        let loops = |v: u32| out.neighbors(v).iter().filter(|&&z| z == v).count() as u32;
        let len: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map(|v| match (low[v as usize], directed) {
                (false, _) => 0,
                (true, false) => out.degree(v) as u32,
                (true, true) => (out.degree(v) + graph.in_edges().degree(v)) as u32 - loops(v),
            })
            .collect();
        let mut start = Vec::with_capacity(n + 1);
        start.push(0u64);
        for &l in &len {
            start.push(start[start.len() - 1] + u64::from(l));
        }
        let mut pairs = vec![(0u32, 0u32); start[n] as usize];
        // The entries a vertex owns: its out-entries (directed) or those to neighbours >= it
        // (undirected), at the same positions as in its row; in parallel, row by row.
        let mut rest: &mut [(u32, u32)] = &mut pairs;
        let mut rows = Vec::with_capacity(n);
        for &l in &len {
            let (row, tail) = rest.split_at_mut(l as usize);
            rows.push(row);
            rest = tail;
        }
        rows.into_par_iter().enumerate().filter(|(v, _)| low[*v]).for_each(|(v, row)| {
            let first = out.offsets()[v] as usize;
            for (k, &z) in out.neighbors(v as u32).iter().enumerate() {
                if directed || z >= v as u32 {
                    row[k] = (z, (first + k) as u32);
                }
            }
        });
        // The others, one pass over the canonical entries `u -> w` (u != w): the entry is the
        // next unfilled pair of w (rows list smaller neighbours first, and in-rows by source,
        // both in the order of this scan).
        let mut cursor: Vec<u32> =
            if directed { (0..n as u32).map(|v| out.degree(v) as u32).collect() } else { vec![0; n] };
        for u in 0..n as u32 {
            let first = out.offsets()[u as usize] as usize;
            for (k, &w) in out.neighbors(u).iter().enumerate() {
                if w == u || (!directed && w < u) {
                    continue;
                }
                if low[w as usize] {
                    pairs[(start[w as usize] + u64::from(cursor[w as usize])) as usize] = (u, (first + k) as u32);
                }
                cursor[w as usize] += 1;
            }
        }
        Ok(Adjacency { low, start, len, pairs })
    }

    pub(crate) fn is_low(&self, v: u32) -> bool {
        self.low[v as usize]
    }

    /// The listed pairs of `v`.
    fn of(&self, v: u32) -> &[(u32, u32)] {
        let s = self.start[v as usize] as usize;
        &self.pairs[s..s + self.len[v as usize] as usize]
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
struct Growth<'a> {
    adj: Adjacency,
    /// Partition of each out-CSR entry; the expansion writes canonical entries only.
    part: &'a mut [u32],
    /// Unassigned edges per low vertex (0 for high ones).
    open: Vec<u32>,
    /// The boundary of the partition being grown, one bit per vertex (cleared per partition:
    /// an eighth of a stamp array's size, so the scans' lookups stay in cache).
    boundary: Vec<u64>,
    /// The partition whose core a vertex is in (stamps: no clearing per partition).
    core: Vec<u32>,
    /// Low boundary vertices by open edges (lazy: stale entries are skipped when popped).
    queue: BucketQueue,
    count: u64,
    target: u64,
}

impl Growth<'_> {
    #[inline]
    fn in_boundary(&self, v: u32) -> bool {
        self.boundary[v as usize / 64] >> (v % 64) & 1 == 1
    }

    /// Edge `c` between `y` and `z` goes to `p`; false when `p` reached its target.
    #[inline]
    fn assign(&mut self, c: u32, y: u32, z: u32, p: u32) -> bool {
        self.part[c as usize] = p;
        self.count += 1;
        if self.adj.is_low(y) {
            self.open[y as usize] -= 1;
        }
        if z != y && self.adj.is_low(z) {
            self.open[z as usize] -= 1;
        }
        self.count < self.target
    }

    /// `y` joins the boundary of `p`; a low `y` takes its unassigned edges into the boundary
    /// (itself included, for self-loops) and drops the assigned ones from its list. False when
    /// `p` reached its target.
    fn join(&mut self, y: u32, p: u32) -> bool {
        self.boundary[y as usize / 64] |= 1 << (y % 64);
        if !self.adj.is_low(y) {
            return true;
        }
        let start = self.adj.start[y as usize] as usize;
        let end = start + self.adj.len[y as usize] as usize;
        let (mut kept, mut room) = (start, true);
        for r in start..end {
            let (z, c) = self.adj.pairs[r];
            // The vertex stamp first: it is in cache, the edge's partition seldom is.
            if room && self.in_boundary(z) {
                if self.part[c as usize] != NONE {
                    continue;
                }
                room = self.assign(c, y, z, p);
                if self.adj.is_low(z) && self.core[z as usize] != p {
                    self.queue.push(self.open[z as usize], z);
                }
                continue;
            }
            self.adj.pairs[kept] = (z, c);
            kept += 1;
        }
        self.adj.len[y as usize] = (kept - start) as u32;
        if room {
            self.queue.push(self.open[y as usize], y);
        }
        room
    }

    /// `x` moves to the core of `p`: its edges to the boundary go to `p`, its other neighbours
    /// join the boundary (and so take their edge to `x`). False when `p` reached its target.
    fn expand(&mut self, x: u32, p: u32) -> bool {
        self.core[x as usize] = p;
        let start = self.adj.start[x as usize] as usize;
        for r in start..start + self.adj.len[x as usize] as usize {
            let (y, c) = self.adj.pairs[r];
            if self.part[c as usize] != NONE {
                continue;
            }
            let room = if self.in_boundary(y) {
                // Only a high neighbour can still have an open edge to a boundary vertex.
                self.assign(c, x, y, p)
            } else if !self.join(y, p) {
                false
            } else if !self.adj.is_low(y) {
                // A low y took the edge when it scanned; a high one does not scan.
                self.assign(c, x, y, p)
            } else {
                true
            };
            if !room {
                return false;
            }
        }
        self.adj.len[x as usize] = 0;
        true
    }

    /// The low boundary vertex of `p` with the fewest (but some) open edges.
    fn pop(&mut self, p: u32) -> Option<u32> {
        while let Some((key, x)) = self.queue.pop() {
            if key > 0 && key == self.open[x as usize] && self.core[x as usize] != p {
                return Some(x);
            }
        }
        None
    }
}

/// Assigns every edge with a low endpoint to one of `parts` partitions, at most `capacity`
/// each, writing the partition at the edge's canonical entry in `part` (entries of edges
/// between two high vertices stay [`NONE`]). Returns the edges placed in each partition.
pub(crate) fn expand(adj: Adjacency, parts: u32, capacity: u64, part: &mut [u32]) -> Vec<u64> {
    let n = adj.low.len();
    let open = adj.len.clone();
    let open_max = open.iter().copied().max().unwrap_or(0);
    // Edges with a low endpoint, each once: a low vertex lists its edges to high vertices
    // alone, and those to low ones (self-loops aside) with the other end.
    let doubled: u64 = (0..n as u32)
        .into_par_iter()
        .map(|v| adj.of(v).iter().map(|&(z, _)| if z == v || !adj.is_low(z) { 2 } else { 1 }).sum::<u64>())
        .sum();
    let total = doubled / 2;
    let mut g = Growth {
        adj,
        part,
        open,
        boundary: vec![0; n.div_ceil(64)],
        core: vec![NONE; n],
        queue: BucketQueue::new(open_max),
        count: 0,
        target: 0,
    };
    let mut loads = vec![0u64; parts as usize];
    let mut assigned = 0u64;
    let mut seed = 0usize;
    for p in 0..parts {
        let left = parts - p;
        let share = (total - assigned).div_ceil(u64::from(left));
        g.target = if left == 1 { total - assigned } else { share.min(capacity) };
        g.count = 0;
        g.queue.clear();
        g.boundary.iter_mut().for_each(|w| *w = 0);
        while g.count < g.target {
            let grew = match g.pop(p) {
                Some(x) => g.expand(x, p),
                None => {
                    // A new seed: the next low vertex with unassigned edges.
                    while seed < n && g.open[seed] == 0 {
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
    loads
}
