//! Single-source shortest paths as a partition program: parallel delta-stepping (Meyer and
//! Sanders, 2003) over each partition's edges, seeded with the distances that changed, and
//! distances merged by `min` at the masters.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::partition_program::{LocalGraph, PartitionProgram};
use crate::real::Real;

/// Frontier vertices per rayon task.
const CHUNK: usize = 256;

/// A task keeps working on its own current-bucket vertices while it has fewer than this.
const FUSE: usize = 1024;

/// Buckets ahead of the current one that a task collects in place (farther ones go to a list).
const NEAR: usize = 16;

/// What one task found: vertices for the next [`NEAR`] buckets, and `(bucket, vertex)` beyond.
type Found = (Vec<Vec<u32>>, Vec<(u64, u32)>);

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
        let Some(weights) = graph.out_edges().weights() else { return 1.0 };
        if weights.is_empty() {
            return 1.0;
        }
        let (sum, min) = weights
            .par_iter()
            .fold(|| (0.0f64, f64::INFINITY), |(s, m), &w| (s + w, if w > 0.0 { m.min(w) } else { m }))
            .reduce(|| (0.0, f64::INFINITY), |a, b| (a.0 + b.0, a.1.min(b.1)));
        let mean_degree = weights.len() as f64 / graph.vertex_count().max(1) as f64;
        let delta = sum / weights.len() as f64 / mean_degree.max(1.0);
        let delta = if min.is_finite() { delta.max(min) } else { delta };
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
        let mut bins: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for &u in active {
            let d = distances[u as usize];
            if d.to_f64().is_finite() {
                bins.entry(self.bucket(d)).or_default().push(u);
            }
        }
        while let Some((current, frontier)) = bins.pop_first() {
            let found: Vec<Found> = frontier
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut near: Vec<Vec<u32>> = vec![Vec::new(); NEAR];
                    let mut far: Vec<(u64, u32)> = Vec::new();
                    let mut relax = |u: u32, near: &mut Vec<Vec<u32>>| {
                        let du = F::load(&dist[u as usize]);
                        // Settled in an earlier bucket since it was queued here.
                        if self.bucket(du) < current {
                            return;
                        }
                        let mut lowered = |v: u32, candidate: F| {
                            let b = self.bucket(candidate);
                            match near.get_mut((b - current) as usize) {
                                Some(list) => list.push(v),
                                None => far.push((b, v)),
                            }
                        };
                        relax_row(&dist, graph.neighbors(u), graph.neighbor_weights(u), du, &mut lowered);
                    };
                    for &u in chunk {
                        relax(u, &mut near);
                    }
                    // Bucket fusion (as GAP and the graph crate do): while this task's share of
                    // the current bucket stays small, finish it here instead of waiting for
                    // the next parallel step.
                    while !near[0].is_empty() && near[0].len() < FUSE {
                        let mine = std::mem::take(&mut near[0]);
                        for &u in &mine {
                            relax(u, &mut near);
                        }
                    }
                    (near, far)
                })
                .collect();
            for (near, far) in found {
                for (i, list) in near.into_iter().enumerate().filter(|(_, l)| !l.is_empty()) {
                    bins.entry(current + i as u64).or_default().extend(list);
                }
                for (b, v) in far {
                    bins.entry(b).or_default().push(v);
                }
            }
        }
        distances.par_iter_mut().zip(&dist).for_each(|(d, a)| *d = F::load(a));
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

    #[test]
    fn any_delta_gives_the_same_distances() {
        // A cycle with a chord and a zero-weight edge: 0->1 (3), 1->2 (0), 2->3 (2), 3->0 (1), 0->3 (7).
        let offsets = [0u64, 2, 3, 4, 5];
        let targets = [1u32, 3, 2, 3, 0];
        let weights = [3.0, 7.0, 0.0, 2.0, 1.0];
        let g = LocalGraph {
            offsets: &offsets,
            targets: &targets,
            weights: Some(&weights),
            incoming: None,
            symmetric: false,
        };
        for delta in [0.5, 1.0, 2.0, 100.0] {
            let p = DeltaStepping::new(DeltaSteppingConfig { source: 0, delta: Some(delta) });
            let mut d: Vec<f64> = (0..4).map(|v| p.init(v)).collect();
            p.compute(&g, &mut d, &[0]);
            assert_eq!(d, [0.0, 3.0, 3.0, 5.0], "delta {delta}");
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
