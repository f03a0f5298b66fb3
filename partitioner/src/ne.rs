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
//! An edge is known by its id, the rank of its canonical out-CSR entry (`u -> v` with `u <= v`
//! on an undirected graph, the out-entry on a directed one) among all canonical entries. Each
//! low vertex keeps its edges as `(neighbour, edge id)` pairs, and a scan drops the pairs it
//! finds assigned (HEP's lazy removal), so a vertex that joins many boundaries scans less each
//! time. What a visit needs of a vertex (where its pairs are, how many are left, its open
//! edges, its core) is one 16-byte record, and whether an edge is assigned is one bit per id, so
//! the random reads of a scan hit one cache line each, mostly in cache. Assigned ids are
//! appended to a log, one run per partition, which is written out to the canonical entries in
//! parallel at the end. Working memory: 8 bytes per edge end at a low vertex, 16 bytes and a
//! bit per vertex, 4 bytes and a bit per edge (the log).

use std::sync::atomic::{AtomicU32, AtomicU64};

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::map::PartitionError;
use crate::rows;

/// The partition of an edge not assigned yet.
pub(crate) const NONE: u32 = u32::MAX;

/// The `core` of a high vertex: never scanned nor expanded.
const HUB: u32 = u32::MAX - 1;

/// What the expansion keeps per vertex, in one record so that a visit costs one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Vertex {
    /// Where its pairs start.
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

/// The low vertices' edges as `(neighbour, edge id)` pairs, a self-loop once. An edge's id is
/// the rank of its canonical entry among all canonical entries: a vertex's canonical entries
/// are its whole row (directed) or the tail of its sorted row from itself on (undirected), so
/// the id of entry `c` in the row of `v` is `c - skip[v]`. The ids halve the expansion's
/// "assigned" bits on an undirected graph.
pub(crate) struct Adjacency {
    vertex: Vec<Vertex>,
    /// `(neighbour, edge id)`, packed (`rows::pack`).
    pairs: Vec<u64>,
    /// Per vertex, its canonical entries minus their ids.
    skip: Vec<u32>,
    /// Canonical entries (edge ids) in all.
    edges: usize,
}

impl Adjacency {
    /// The pairs of the `low` vertices of `graph`.
    pub(crate) fn new(graph: &Graph, low: Vec<bool>) -> Result<Adjacency, PartitionError> {
        let out = graph.out_edges();
        let entries = out.entry_count();
        let n = graph.vertex_count();
        let directed = graph.is_directed();
        let loops = |v: u32| out.neighbors(v).iter().filter(|&&z| z == v).count() as u64;
        let len: Vec<u64> = (0..n as u32)
            .into_par_iter()
            .map(|v| match (low[v as usize], directed) {
                (false, _) => 0,
                (true, false) => out.degree(v) as u64,
                (true, true) => out.degree(v) as u64 + graph.in_edges().degree(v) as u64 - loops(v),
            })
            .collect();
        let total: u64 = len.iter().sum();
        if entries >= u64::from(NONE) || total >= u64::from(NONE) {
            return Err(PartitionError::TooLarge { entries });
        }
        let mut vertex = Vec::with_capacity(n);
        let mut next = 0u32;
        for (v, &l) in len.iter().enumerate() {
            let core = if low[v] { NONE } else { HUB };
            vertex.push(Vertex { start: next, len: l as u32, open: l as u32, core });
            next += l as u32;
        }
        let offsets = out.offsets();
        let first: Vec<u64> = (0..n as u32)
            .into_par_iter()
            .map(|v| {
                let below = if directed { 0 } else { out.neighbors(v).partition_point(|&z| z < v) };
                offsets[v as usize] + below as u64
            })
            .collect();
        let mut skip = Vec::with_capacity(n);
        let mut edges = 0u64;
        for (v, &f) in first.iter().enumerate() {
            skip.push((f - edges) as u32);
            edges += offsets[v + 1] - f;
        }
        drop(first);
        let pairs: Vec<AtomicU64> = (0..total).into_par_iter().map(|_| AtomicU64::new(0)).collect();
        // A low vertex's own canonical entries (directed: its out-entries; undirected: those to
        // neighbours >= it) at their positions in its row; then every other edge at the
        // vertex, with its twin's canonical entry's id: on a directed graph its in-entries
        // (self-loops aside) after its out-entries, in in-row order.
        (0..n as u32).into_par_iter().filter(|&v| low[v as usize]).for_each(|v| {
            let (start, first) = (vertex[v as usize].start as usize, offsets[v as usize] as u32);
            for (k, &z) in out.neighbors(v).iter().enumerate() {
                if directed || z >= v {
                    let id = first + k as u32 - skip[v as usize];
                    pairs[start + k].store(rows::pack(z, id), rows::RELAXED);
                }
            }
        });
        // Undirected, a vertex's row lists its smaller neighbours first; directed, its in-entries
        // follow its out-entries.
        let base = |v: u32| u64::from(vertex[v as usize].start) + if directed { out.degree(v) as u64 } else { 0 };
        rows::for_each_twin(graph, base, |u, v, i, at| {
            if low[v as usize] {
                pairs[at].store(rows::pack(u, i as u32 - skip[u as usize]), rows::RELAXED);
            }
        });
        let pairs = rows::into_plain64(pairs);
        Ok(Adjacency { vertex, pairs, skip, edges: edges as usize })
    }

    fn is_low(&self, v: u32) -> bool {
        !self.vertex[v as usize].is_hub()
    }

    /// The listed pairs of `v`.
    fn of(&self, v: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let Vertex { start, len, .. } = self.vertex[v as usize];
        self.pairs[start as usize..(start + len) as usize].iter().map(|&w| rows::unpack(w))
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
struct Growth {
    vertex: Vec<Vertex>,
    /// `(neighbour, edge id)`, packed (`rows::pack`).
    pairs: Vec<u64>,
    /// The edge ids in the order they were assigned: partition `p`'s are the `p`-th run, its
    /// length `p`'s load. Written out to the entries after the expansion, in parallel: a
    /// random write per edge inside the scan cost a quarter of its time.
    log: Vec<u32>,
    /// One bit per edge id: whether the edge is assigned (an array 64 times smaller than the
    /// partitions' of the entries, so the scans' lookups stay in cache).
    taken: Vec<u64>,
    /// The boundary of the partition being grown, one bit per vertex (cleared per partition).
    boundary: Vec<u64>,
    /// Low boundary vertices by open edges (lazy: stale entries are skipped when popped).
    queue: BucketQueue,
    count: u64,
    target: u64,
}

impl Growth {
    #[inline]
    fn in_boundary(&self, v: u32) -> bool {
        self.boundary[v as usize / 64] >> (v % 64) & 1 == 1
    }

    #[inline]
    fn is_taken(&self, e: u32) -> bool {
        self.taken[e as usize / 64] >> (e % 64) & 1 == 1
    }

    /// Edge `e` (its id) between `y` and `z` goes to the partition being grown; false when
    /// that reached its target.
    #[inline]
    fn assign(&mut self, e: u32, y: u32, z: u32) -> bool {
        self.log.push(e);
        self.taken[e as usize / 64] |= 1 << (e % 64);
        self.count += 1;
        if !self.vertex[y as usize].is_hub() {
            self.vertex[y as usize].open -= 1;
        }
        if z != y && !self.vertex[z as usize].is_hub() {
            self.vertex[z as usize].open -= 1;
        }
        self.count < self.target
    }

    /// `y` joins the boundary of `p`; a low `y` takes its unassigned edges into the boundary
    /// (itself included, for self-loops) and drops the assigned ones from its list. False when
    /// `p` reached its target.
    fn join(&mut self, y: u32, p: u32) -> bool {
        self.boundary[y as usize / 64] |= 1 << (y % 64);
        let Vertex { start, len, core, .. } = self.vertex[y as usize];
        if core == HUB {
            return true;
        }
        let (start, end) = (start as usize, (start + len) as usize);
        let (mut kept, mut room) = (start, true);
        for r in start..end {
            let (z, e) = rows::unpack(self.pairs[r]);
            // The boundary bit first: it is in cache, the edge's state less often.
            if room && self.in_boundary(z) {
                if self.is_taken(e) {
                    continue;
                }
                room = self.assign(e, y, z);
                let Vertex { open, core, .. } = self.vertex[z as usize];
                if core != HUB && core != p {
                    self.queue.push(open, z);
                }
                continue;
            }
            self.pairs[kept] = self.pairs[r];
            kept += 1;
        }
        self.vertex[y as usize].len = (kept - start) as u32;
        if room {
            self.queue.push(self.vertex[y as usize].open, y);
        }
        room
    }

    /// `x` moves to the core of `p`: its edges to the boundary go to `p`, its other neighbours
    /// join the boundary (and so take their edge to `x`). False when `p` reached its target.
    fn expand(&mut self, x: u32, p: u32) -> bool {
        self.vertex[x as usize].core = p;
        let Vertex { start, len, .. } = self.vertex[x as usize];
        for r in start as usize..(start + len) as usize {
            let (y, e) = rows::unpack(self.pairs[r]);
            if self.is_taken(e) {
                continue;
            }
            let room = if self.in_boundary(y) {
                // Only a high neighbour can still have an open edge to a boundary vertex.
                self.assign(e, x, y)
            } else if !self.join(y, p) {
                false
            } else if self.vertex[y as usize].is_hub() {
                // A low y took the edge when it scanned; a high one does not scan.
                self.assign(e, x, y)
            } else {
                true
            };
            if !room {
                return false;
            }
        }
        self.vertex[x as usize].len = 0;
        true
    }

    /// Every edge not assigned yet goes to the partition being grown: each has a low endpoint that still lists it, and
    /// a scan of the whole pair array finds it (lists shrink in place, so what lies past a
    /// list's end is a copy of a listed pair or an assigned one).
    fn sweep(&mut self) {
        for r in 0..self.pairs.len() {
            let e = rows::unpack(self.pairs[r]).1;
            if !self.is_taken(e) {
                self.log.push(e);
                self.taken[e as usize / 64] |= 1 << (e % 64);
                self.count += 1;
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
/// each, writing the partition at the edge's canonical entry in `part` (entries of edges
/// between two high vertices stay [`NONE`]). Returns the edges placed in each partition.
pub(crate) fn expand(graph: &Graph, adj: Adjacency, parts: u32, capacity: u64, part: &mut [u32]) -> Vec<u64> {
    let n = adj.vertex.len();
    let open_max = adj.vertex.iter().map(|v| v.open).max().unwrap_or(0);
    // Edges with a low endpoint, each once: a low vertex lists its edges to high vertices
    // alone, and those to low ones (self-loops aside) with the other end.
    let doubled: u64 = (0..n as u32)
        .into_par_iter()
        .map(|v| adj.of(v).map(|(z, _)| if z == v || !adj.is_low(z) { 2 } else { 1 }).sum::<u64>())
        .sum();
    let total = doubled / 2;
    let (skip, edges) = (adj.skip, adj.edges);
    let mut g = Growth {
        vertex: adj.vertex,
        pairs: adj.pairs,
        taken: vec![0; edges.div_ceil(64)],
        log: Vec::with_capacity(total as usize),
        boundary: vec![0; n.div_ceil(64)],
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
        g.count = 0;
        if left == 1 {
            // The last partition takes the rest, whatever order it would grow in.
            g.sweep();
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
    // Each id is in the log once, so every cell is written by one task; then each block of
    // rows copies its canonical entries' partitions from their ids.
    let Growth { log, pairs, vertex, .. } = g;
    drop((pairs, vertex));
    let by_id: Vec<AtomicU32> = (0..edges).into_par_iter().map(|_| AtomicU32::new(NONE)).collect();
    let mut runs = Vec::with_capacity(loads.len());
    let mut rest = &log[..];
    for &load in &loads {
        let (run, tail) = rest.split_at(load as usize);
        runs.push(run);
        rest = tail;
    }
    runs.par_iter().enumerate().for_each(|(p, run)| {
        run.par_chunks(1 << 16)
            .for_each(|chunk| chunk.iter().for_each(|&e| by_id[e as usize].store(p as u32, rows::RELAXED)));
    });
    drop(log);
    let (out, directed) = (graph.out_edges(), graph.is_directed());
    let offsets = out.offsets();
    rows::blocks(offsets, part, rayon::current_num_threads() * 8).into_par_iter().for_each(|(vs, cells)| {
        let base = offsets[vs.start as usize];
        for v in vs {
            let (from, to, skip) = (offsets[v as usize], offsets[v as usize + 1], u64::from(skip[v as usize]));
            for (c, &z) in (from..to).zip(out.neighbors(v)) {
                if directed || z >= v {
                    cells[(c - base) as usize] = by_id[(c - skip) as usize].load(rows::RELAXED);
                }
            }
        }
    });
    loads
}
