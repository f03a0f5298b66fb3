//! Single-source shortest paths as a partition program: parallel delta-stepping (Meyer and
//! Sanders, 2003) over each partition's edges, seeded with the distances that changed, and
//! distances merged by `min` at the masters.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use dgraph_datasets::prefetch::prefetch;
use dgraph_datasets::Graph;

use crate::partition_program::{LocalGraph, PartitionProgram};
use crate::real::Real;

/// Frontier vertices per rayon task.
const CHUNK: usize = 256;

/// After each task, its thread relaxes its own share of the current bucket at once while that
/// share holds fewer vertices than this (bucket fusion); larger shares wait for the next phase.
const FUSE: usize = 1024;

/// The most edges a task relaxes by bucket fusion.
const FUSE_EDGES: usize = 1 << 16;

/// A frontier of at most this many vertices is cut into tasks by edges, not by vertices.
const SPLIT: usize = 4096;

/// Edges per task in such a frontier; longer rows are cut into pieces of this many.
const PIECE: usize = 1 << 14;

/// Buckets held in a thread's ring (the current one and those just above it); farther ones wait
/// in a map.
const NEAR: usize = 16;

/// Delta-stepping parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeltaSteppingConfig {
    /// The root (dense id).
    pub source: u32,
    /// Bucket width; `None` picks one from the graph ([`DeltaStepping::default_delta`]).
    pub delta: Option<f64>,
}

/// Shortest path distances over non-negative edge weights (1 per edge on unweighted graphs) by
/// delta-stepping: vertices wait in buckets of width `delta` by tentative distance; the lowest
/// bucket's vertices relax their edges in parallel until the bucket stays empty, then the next.
/// A small delta does little wasted work but has little parallelism (Dijkstra in the limit); a
/// large one is Bellman-Ford.
///
/// # Arguments
/// `config.source`: the root, a dense vertex id; `config.delta`: the bucket width. Weights
/// must be `>= 0` and finite (the caller checks).
///
/// # Returns
/// Per vertex its distance, infinity if unreachable. Distances do not depend on the thread
/// count, the partitioning or delta: each is the smallest floating-point path sum. They are `F`:
/// `f64` ([`DeltaStepping::new`]) or `f32` ([`DeltaStepping::single`]: weights rounded to `f32`
/// and path sums in `f32`, as the `graph` crate computes; half the bytes per distance).
///
/// # Complexity
/// O(E + V) relaxations when delta is below the smallest weight, more for larger delta; one
/// parallel step per bucket phase.
///
/// # Example
/// ```
/// use dgraph_algorithms::partition_program::{LocalGraph, PartitionProgram};
/// use dgraph_algorithms::programs::{DeltaStepping, DeltaSteppingConfig};
/// // 0 -> 1 (5.0), 0 -> 2 (1.0), 2 -> 1 (1.0)
/// let (offsets, targets, weights) = ([0, 2, 2, 3], [1, 2, 1], [5.0, 1.0, 1.0]);
/// let g = LocalGraph { offsets: &offsets, targets: &targets, weights: Some(&weights), incoming: None, symmetric: false };
/// let sssp = DeltaStepping::new(DeltaSteppingConfig { source: 0, delta: Some(1.0) });
/// let mut dist: Vec<f64> = (0..3).map(|v| sssp.init(v)).collect();
/// sssp.compute(&g, &mut dist, &[0]);
/// assert_eq!(dist, [0.0, 2.0, 1.0]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DeltaStepping<F = f64> {
    source: u32,
    delta: f64,
    precision: PhantomData<F>,
}

impl DeltaStepping<f64> {
    /// SSSP with `config`; without a delta, 1.
    pub fn new(config: DeltaSteppingConfig) -> Self {
        DeltaStepping { source: config.source, delta: config.delta.unwrap_or(1.0), precision: PhantomData }
    }

    /// SSSP with `config` on `graph`; without a delta, [`DeltaStepping::default_delta`].
    pub fn for_graph(config: DeltaSteppingConfig, graph: &Graph) -> Self {
        Self::with_precision(config, graph)
    }

    /// A bucket width for `graph`: the mean weight divided by the mean degree (at least the
    /// smallest positive weight, 1 on unweighted graphs), so that a bucket's vertices reach
    /// about one bucket's worth of new vertices each (Meyer and Sanders' `Θ(1/d)` for weights
    /// in `[0, 1]`).
    pub fn default_delta(graph: &Graph) -> f64 {
        let Some(weights) = graph.weight_summary() else { return 1.0 };
        let mean_degree = weights.count as f64 / graph.vertex_count().max(1) as f64;
        let delta = weights.mean() / mean_degree.max(1.0);
        let delta = weights.min_positive.map_or(delta, |min| delta.max(min));
        if delta.is_finite() && delta > 0.0 {
            delta
        } else {
            1.0
        }
    }
}

impl DeltaStepping<f32> {
    /// SSSP with `config` on `graph` in single precision; without a delta,
    /// [`DeltaStepping::default_delta`].
    pub fn single(config: DeltaSteppingConfig, graph: &Graph) -> Self {
        Self::with_precision(config, graph)
    }
}

impl<F: Real> DeltaStepping<F> {
    fn with_precision(config: DeltaSteppingConfig, graph: &Graph) -> Self {
        let delta = config.delta.unwrap_or_else(|| DeltaStepping::default_delta(graph));
        DeltaStepping { source: config.source, delta, precision: PhantomData }
    }

    /// The bucket width used.
    pub fn delta(&self) -> f64 {
        self.delta
    }

    #[inline]
    fn bucket(&self, distance: F) -> u64 {
        // Saturates: infinity and huge distances share the last bucket.
        (distance.to_f64() / self.delta) as u64
    }
}

impl<F: Real> PartitionProgram for DeltaStepping<F> {
    type Value = F;

    #[inline]
    fn init(&self, v: u32) -> F {
        if v == self.source {
            F::ZERO
        } else {
            F::from_f64(f64::INFINITY)
        }
    }

    #[inline]
    fn initially_active(&self, v: u32) -> bool {
        v == self.source
    }

    #[inline]
    fn merge(&self, a: F, b: F) -> F {
        if b < a {
            b
        } else {
            a
        }
    }

    fn compute(&self, graph: &LocalGraph<'_>, distances: &mut [F], active: &[u32]) {
        // Non-negative floats order like their bit patterns, so an atomic minimum on the bits
        // is a float minimum.
        let dist: Vec<F::Atomic> = distances.par_iter().map(|&d| F::atomic(d)).collect();
        // One set of buckets per thread, kept across phases (as GAP's `local_bins`): a task
        // pushes into its thread's buckets, so nothing is allocated or merged per task.
        let threads: Vec<Mutex<Buckets>> =
            (0..rayon::current_num_threads().max(1)).map(|_| Mutex::new(Buckets::default())).collect();
        {
            let mut seeds = lock(&threads[0]);
            for &u in active {
                let d = distances[u as usize];
                if d.to_f64().is_finite() {
                    seeds.push(self.bucket(d), u);
                }
            }
        }
        let mut frontier: Vec<u32> = Vec::new();
        let mut tasks: Vec<Task> = Vec::new();
        while let Some(current) = threads.iter().filter_map(|t| lock(t).lowest()).min() {
            frontier.clear();
            for t in &threads {
                let mut t = lock(t);
                t.advance(current);
                t.move_into(current, &mut frontier);
            }
            plan(graph, &frontier, &mut tasks);
            tasks.par_iter().for_each(|task| {
                let index = rayon::current_thread_index().unwrap_or(0) % threads.len();
                let mut buckets = lock(&threads[index]);
                let relax = |u: u32, buckets: &mut Buckets| {
                    let du = F::load(&dist[u as usize]);
                    // Settled in an earlier bucket since it was queued here.
                    if self.bucket(du) < current {
                        return;
                    }
                    let mut lowered = |v: u32, candidate: F| buckets.push(self.bucket(candidate), v);
                    relax_row(&dist, graph.neighbors(u), graph.neighbor_weights(u), du, &mut lowered);
                };
                match *task {
                    Task::Vertices(ref range) => {
                        relax_each(graph, &dist, &frontier[range.clone()], |u| relax(u, &mut buckets))
                    }
                    Task::Row(u, ref edges) => {
                        let du = F::load(&dist[u as usize]);
                        if self.bucket(du) >= current {
                            let (targets, weights) = (graph.neighbors(u), graph.neighbor_weights(u));
                            let mut lowered = |v: u32, candidate: F| buckets.push(self.bucket(candidate), v);
                            relax_row(
                                &dist,
                                &targets[edges.clone()],
                                weights.map(|w| &w[edges.clone()]),
                                du,
                                &mut lowered,
                            );
                        }
                    }
                }
                // Bucket fusion (as GAP and the graph crate do): while this thread's share of
                // the current bucket stays small, finish it here instead of waiting for the
                // next parallel step; but no more than `FUSE_EDGES` edges in all, or a bucket
                // that keeps refilling itself (hubs reached early) runs on one thread while
                // the others wait.
                let mut budget = FUSE_EDGES;
                while (1..FUSE).contains(&buckets.len(current)) {
                    let work = buckets.list(current).iter().map(|&u| graph.neighbors(u).len()).sum::<usize>();
                    if work > budget {
                        break;
                    }
                    budget -= work;
                    let mine = buckets.take(current);
                    relax_each(graph, &dist, &mine, |u| relax(u, &mut buckets));
                    buckets.recycle(mine);
                }
            });
        }
        distances.par_iter_mut().zip(&dist).for_each(|(d, a)| *d = F::load(a));
    }
}

/// Work for one rayon task in a bucket phase: frontier vertices, or a piece of one long row.
enum Task {
    /// Positions in the frontier.
    Vertices(std::ops::Range<usize>),
    /// A vertex and a range of its row.
    Row(u32, std::ops::Range<usize>),
}

/// Cuts `frontier` into tasks: [`CHUNK`] vertices each when it has more than [`SPLIT`]
/// vertices; otherwise at most [`PIECE`] edges (and `CHUNK` vertices) each, rows longer than
/// that cut into pieces. A small frontier early in a run on a skewed graph holds the hubs: by
/// vertices, one task would get most of its edges.
fn plan(graph: &LocalGraph<'_>, frontier: &[u32], tasks: &mut Vec<Task>) {
    tasks.clear();
    if frontier.len() > SPLIT {
        tasks.extend((0..frontier.len()).step_by(CHUNK).map(|i| Task::Vertices(i..(i + CHUNK).min(frontier.len()))));
        return;
    }
    let (mut first, mut edges) = (0, 0);
    for (i, &u) in frontier.iter().enumerate() {
        let degree = graph.neighbors(u).len();
        if degree > PIECE {
            tasks.extend((0..degree).step_by(PIECE).map(|e| Task::Row(u, e..(e + PIECE).min(degree))));
            if first < i {
                tasks.push(Task::Vertices(first..i));
            }
            (first, edges) = (i + 1, 0);
            continue;
        }
        edges += degree;
        if edges >= PIECE || i + 1 - first >= CHUNK {
            tasks.push(Task::Vertices(first..i + 1));
            (first, edges) = (i + 1, 0);
        }
    }
    if first < frontier.len() {
        tasks.push(Task::Vertices(first..frontier.len()));
    }
}

/// How far ahead in a list of vertices [`relax_each`] prefetches their distances and offsets
/// (their rows: half as far). Measured on kron-20: 8 took 0.65-0.75x the time of no prefetch,
/// 4 gained little, 16 and 32 no more than 8.
const AHEAD: usize = 8;

/// Calls `relax` on each of `vertices` in order, asking the processor to load what the later
/// ones will read: the distance and row offsets of the vertex [`AHEAD`] places on, and the first
/// targets and weights of the one `AHEAD / 2` places on (its offsets have arrived by then). The
/// frontier is in no useful order, so each of these is otherwise a cache miss that the
/// relaxation waits on.
#[inline(always)]
fn relax_each<A>(graph: &LocalGraph<'_>, dist: &[A], vertices: &[u32], mut relax: impl FnMut(u32)) {
    for (i, &u) in vertices.iter().enumerate() {
        if let Some(&w) = vertices.get(i + AHEAD) {
            prefetch(&dist[w as usize]);
            prefetch(&graph.offsets[w as usize]);
        }
        if let Some(&w) = vertices.get(i + AHEAD / 2) {
            let start = graph.offsets[w as usize] as usize;
            if let Some(t) = graph.targets.get(start) {
                prefetch(t);
            }
            if let Some(w) = graph.weights.and_then(|ws| ws.get(start)) {
                prefetch(w);
            }
        }
        relax(u);
    }
}

/// A thread's buckets (only that thread locks them while a phase runs; a poisoned lock means a
/// relaxation panicked, and the panic is already on its way out).
fn lock(buckets: &Mutex<Buckets>) -> MutexGuard<'_, Buckets> {
    buckets.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One thread's buckets of vertices to relax: a ring of [`NEAR`] lists for the buckets
/// `base..base + NEAR` (slot `bucket % NEAR`), and a map for the buckets beyond. Lists keep
/// their capacity when emptied, so a run allocates little after its first phases.
#[derive(Default)]
struct Buckets {
    base: u64,
    ring: Vec<Vec<u32>>,
    far: BTreeMap<u64, Vec<u32>>,
    /// An emptied list kept for reuse.
    spare: Vec<u32>,
}

impl Buckets {
    /// The list of `bucket`, which must lie inside the window (the ring is made on first use).
    fn slot(&mut self, bucket: u64) -> &mut Vec<u32> {
        if self.ring.is_empty() {
            self.ring.resize_with(NEAR, Vec::new);
        }
        &mut self.ring[(bucket % NEAR as u64) as usize]
    }

    /// How many vertices wait in `bucket` (inside the window).
    fn len(&self, bucket: u64) -> usize {
        self.ring.get((bucket % NEAR as u64) as usize).map_or(0, Vec::len)
    }

    fn push(&mut self, bucket: u64, v: u32) {
        // Relaxing never lowers a distance below the current bucket, which `base` never passes.
        let bucket = bucket.max(self.base);
        if bucket - self.base < NEAR as u64 {
            self.slot(bucket).push(v);
        } else {
            self.far.entry(bucket).or_default().push(v);
        }
    }

    /// The lowest bucket holding a vertex.
    fn lowest(&self) -> Option<u64> {
        let near = (self.base..self.base + self.ring.len() as u64)
            .find(|&b| !self.ring[(b % NEAR as u64) as usize].is_empty());
        near.or_else(|| self.far.keys().next().copied())
    }

    /// Moves the window to start at `to` (every bucket below it is empty), bringing the far
    /// buckets that now fall inside it into the ring.
    fn advance(&mut self, to: u64) {
        if to <= self.base {
            return;
        }
        self.base = to;
        while let Some(entry) = self.far.first_entry() {
            if entry.key().saturating_sub(self.base) >= NEAR as u64 {
                break;
            }
            let (bucket, list) = entry.remove_entry();
            let slot = self.slot(bucket);
            if slot.is_empty() {
                *slot = list;
            } else {
                slot.extend(list);
            }
        }
    }

    /// The vertices waiting in `bucket` (inside the window).
    fn list(&self, bucket: u64) -> &[u32] {
        self.ring.get((bucket % NEAR as u64) as usize).map_or(&[], Vec::as_slice)
    }

    /// Empties bucket `bucket` (inside the window) and returns its vertices.
    fn take(&mut self, bucket: u64) -> Vec<u32> {
        match self.ring.get_mut((bucket % NEAR as u64) as usize) {
            Some(slot) => std::mem::replace(slot, std::mem::take(&mut self.spare)),
            None => Vec::new(),
        }
    }

    /// Moves bucket `bucket`'s vertices (inside the window) to the end of `out`.
    fn move_into(&mut self, bucket: u64, out: &mut Vec<u32>) {
        if let Some(slot) = self.ring.get_mut((bucket % NEAR as u64) as usize) {
            out.append(slot);
        }
    }

    /// Keeps an emptied list's capacity for the next [`Buckets::take`].
    fn recycle(&mut self, mut list: Vec<u32>) {
        list.clear();
        if list.capacity() > self.spare.capacity() {
            self.spare = list;
        }
    }
}

/// Relaxes the edges of one vertex at distance `du` (`targets` with `weights`, 1 each without):
/// `lowered(v, d)` for every target whose distance this lowers to `d`. A function of plain
/// slices, so the distance array's address and length stay in registers across the row (as a
/// closure over the vectors they were reloaded per edge), and the rare success is a call.
#[inline(always)]
fn relax_row<F: Real>(
    dist: &[F::Atomic],
    targets: &[u32],
    weights: Option<&[f64]>,
    du: F,
    lowered: &mut impl FnMut(u32, F),
) {
    match weights {
        Some(weights) => {
            for (&v, &w) in targets.iter().zip(weights) {
                let candidate = du + F::from_f64(w);
                if F::lower_non_negative(&dist[v as usize], candidate) {
                    lowered(v, candidate);
                }
            }
        }
        None => {
            let candidate = du + F::from_f64(1.0);
            for &v in targets {
                if F::lower_non_negative(&dist[v as usize], candidate) {
                    lowered(v, candidate);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSR's offsets, targets and weights from rows of `(target, weight)`.
    fn csr(rows: &[Vec<(u32, f64)>]) -> (Vec<u64>, Vec<u32>, Vec<f64>) {
        let mut offsets = vec![0u64];
        let (mut targets, mut weights) = (Vec::new(), Vec::new());
        for row in rows {
            targets.extend(row.iter().map(|e| e.0));
            weights.extend(row.iter().map(|e| e.1));
            offsets.push(targets.len() as u64);
        }
        (offsets, targets, weights)
    }

    /// A directed local graph with weights.
    fn weighted<'a>(offsets: &'a [u64], targets: &'a [u32], weights: &'a [f64]) -> LocalGraph<'a> {
        LocalGraph { offsets, targets, weights: Some(weights), incoming: None, symmetric: false }
    }

    #[test]
    fn any_delta_gives_the_same_distances() {
        // A cycle with a chord and a zero-weight edge: 0->1 (3), 1->2 (0), 2->3 (2), 3->0 (1), 0->3 (7).
        let offsets = [0u64, 2, 3, 4, 5];
        let targets = [1u32, 3, 2, 3, 0];
        let weights = [3.0, 7.0, 0.0, 2.0, 1.0];
        let g = weighted(&offsets, &targets, &weights);
        for delta in [0.5, 1.0, 2.0, 100.0] {
            let p = DeltaStepping::new(DeltaSteppingConfig { source: 0, delta: Some(delta) });
            let mut d: Vec<f64> = (0..4).map(|v| p.init(v)).collect();
            p.compute(&g, &mut d, &[0]);
            assert_eq!(d, [0.0, 3.0, 3.0, 5.0], "delta {delta}");
        }
    }

    #[test]
    fn large_buckets_are_carried_over_and_far_buckets_come_back() {
        // 0 -> a_i (1) for 2,000 vertices a_i; a_i -> five b (0 each); b -> its c (1); and a
        // chain of weight-100 edges from 0 (buckets far beyond the ring). With delta 1, a thread's
        // share of bucket 1 grows past the fusion threshold, so it is handed to the next phase.
        let a = 2_000usize;
        let (first_b, first_c) = (1 + a, 1 + a + 5 * a);
        let chain = first_c + 5 * a;
        let n = chain + 4;
        let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        for i in 0..a {
            rows[0].push(((1 + i) as u32, 1.0));
            for j in 0..5 {
                let b = first_b + 5 * i + j;
                rows[1 + i].push((b as u32, 0.0));
                rows[b].push(((first_c + 5 * i + j) as u32, 1.0));
            }
        }
        rows[0].push((chain as u32, 100.0));
        for k in 0..3 {
            rows[chain + k].push(((chain + k + 1) as u32, 100.0));
        }
        let (offsets, targets, weights) = csr(&rows);
        let g = weighted(&offsets, &targets, &weights);
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
            let p = DeltaStepping::new(DeltaSteppingConfig { source: 0, delta: Some(1.0) });
            let mut d: Vec<f64> = (0..n as u32).map(|v| p.init(v)).collect();
            pool.install(|| p.compute(&g, &mut d, &[0]));
            assert!(d[1..first_c].iter().all(|&x| x == 1.0), "{threads} threads");
            assert!(d[first_c..chain].iter().all(|&x| x == 2.0), "{threads} threads");
            assert_eq!(d[chain..], [100.0, 200.0, 300.0, 400.0], "{threads} threads");
        }
    }

    #[test]
    fn small_frontiers_are_cut_by_edges_covering_each_edge_once() {
        // Rows of 40,000 (cut into three pieces), 5, 0, 20,000 (two) and 9,000 edges, and 300
        // of 100 (several tasks, each under `PIECE` edges and `CHUNK` vertices).
        let mut degrees = vec![40_000usize, 5, 0, 20_000, 9_000];
        degrees.extend(std::iter::repeat_n(100, 300));
        let mut offsets = vec![0u64];
        for d in &degrees {
            offsets.push(offsets.last().copied().unwrap_or(0) + *d as u64);
        }
        let targets = vec![0u32; *offsets.last().expect("rows") as usize];
        let g = LocalGraph { offsets: &offsets, targets: &targets, weights: None, incoming: None, symmetric: false };
        // Some vertices twice, as a bucket may hold them.
        let mut frontier: Vec<u32> = (0..degrees.len() as u32).collect();
        frontier.extend([3, 7, 7]);
        let mut tasks = Vec::new();
        plan(&g, &frontier, &mut tasks);
        let mut seen: Vec<Vec<u32>> = degrees.iter().map(|&d| vec![0; d]).collect();
        let mut cut = vec![0usize; degrees.len()];
        for task in &tasks {
            match task {
                Task::Vertices(range) => {
                    assert!(range.len() <= CHUNK);
                    let slice = &frontier[range.clone()];
                    let edges: usize = slice.iter().map(|&u| degrees[u as usize]).sum();
                    assert!(edges < PIECE + 100, "{edges} edges in one task");
                    for &u in slice {
                        assert!(degrees[u as usize] <= PIECE);
                        seen[u as usize].iter_mut().for_each(|e| *e += 1);
                    }
                }
                Task::Row(u, edges) => {
                    assert!(edges.len() <= PIECE);
                    cut[*u as usize] += 1;
                    seen[*u as usize][edges.clone()].iter_mut().for_each(|e| *e += 1);
                }
            }
        }
        let times = |u: u32| frontier.iter().filter(|&&x| x == u).count() as u32;
        for (u, edges) in seen.iter().enumerate() {
            assert!(edges.iter().all(|&e| e == times(u as u32)), "vertex {u}");
        }
        assert_eq!(cut[..5], [3, 0, 0, 4, 0]);
        // A large frontier goes by vertices.
        let many: Vec<u32> = (0..SPLIT as u32 + 1).map(|i| 5 + i % 300).collect();
        plan(&g, &many, &mut tasks);
        assert_eq!(tasks.len(), many.len().div_ceil(CHUNK));
    }

    #[test]
    fn hubs_cut_into_pieces_give_the_distances_of_a_sequential_run() {
        // Two hubs of 30,000 and 50,000 edges (cut into pieces) with weights 1 to 7 into a shared
        // pool of 20,000 vertices, which lead back to the hubs and on along a ring.
        let pool = 20_000u32;
        let (h1, h2) = (pool, pool + 1);
        let n = pool as usize + 2;
        let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        for k in 0..30_000u32 {
            rows[h1 as usize].push((k * 7 % pool, f64::from(1 + k % 7)));
        }
        for k in 0..50_000u32 {
            rows[h2 as usize].push((k * 13 % pool, f64::from(1 + k % 5)));
        }
        for v in 0..pool {
            rows[v as usize].push(((v + 1) % pool, 0.5));
            rows[v as usize].push((if v % 2 == 0 { h1 } else { h2 }, 3.0));
        }
        let (offsets, targets, weights) = csr(&rows);
        let g = weighted(&offsets, &targets, &weights);
        let p = DeltaStepping::new(DeltaSteppingConfig { source: h1, delta: Some(0.5) });
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
            let mut d: Vec<f64> = (0..n as u32).map(|v| p.init(v)).collect();
            pool.install(|| p.compute(&g, &mut d, &[h1]));
            d
        };
        let one = run(1);
        // Bellman-Ford as the reference.
        let mut reference = vec![f64::INFINITY; n];
        reference[h1 as usize] = 0.0;
        let mut changed = true;
        while changed {
            changed = false;
            for u in 0..n {
                for (&v, &w) in
                    targets[offsets[u] as usize..offsets[u + 1] as usize].iter().zip(&weights[offsets[u] as usize..])
                {
                    if reference[u] + w < reference[v as usize] {
                        reference[v as usize] = reference[u] + w;
                        changed = true;
                    }
                }
            }
        }
        assert_eq!(one, reference);
        for threads in [2, 4] {
            assert_eq!(run(threads), reference, "{threads} threads");
        }
    }

    #[test]
    fn seeds_continue_from_given_distances() {
        // 1 -> 2 (1): vertex 1 arrives with distance 4 from another partition.
        let offsets = [0u64, 0, 1, 1];
        let targets = [2u32];
        let g = LocalGraph { offsets: &offsets, targets: &targets, weights: None, incoming: None, symmetric: false };
        let p = DeltaStepping::new(DeltaSteppingConfig { source: 0, delta: None });
        let mut d = vec![0.0, 4.0, 9.0];
        p.compute(&g, &mut d, &[1]);
        assert_eq!(d, [0.0, 4.0, 5.0]);
    }
}
