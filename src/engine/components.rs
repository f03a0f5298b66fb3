//! Weakly connected components as a partition program: each partition runs a concurrent
//! union-find over its own edges (seeded with the current labels of its replicas), each local
//! component takes the smallest label of its members, then an exchange takes the minimum over
//! a vertex's replicas at its master. Rounds repeat until no label changes; with one partition
//! the first round is final. Labels are dense ids; the smallest id of a component wins.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use dgraph_datasets::Csr;

use super::layout::Layout;
use super::superstep::{Mode, Run, SuperstepStats};
use super::trace::{TaskEvent, Timer};

/// Edges visited per rayon task.
const GRAIN: usize = 1024;

/// A lock-free union-find over `0..n`: roots are always the smallest element of their set
/// (a root is only ever linked under a smaller root).
struct UnionFind {
    parent: Vec<AtomicU32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).map(AtomicU32::new).collect() }
    }

    fn find(&self, mut x: u32) -> u32 {
        loop {
            let p = self.parent[x as usize].load(Ordering::Relaxed);
            if p == x {
                return x;
            }
            let gp = self.parent[p as usize].load(Ordering::Relaxed);
            // Path halving; losing the race only skips a shortcut.
            let _ = self.parent[x as usize].compare_exchange(p, gp, Ordering::Relaxed, Ordering::Relaxed);
            x = gp;
        }
    }

    fn union(&self, a: u32, b: u32) {
        loop {
            let (ra, rb) = (self.find(a), self.find(b));
            if ra == rb {
                return;
            }
            let (high, low) = (ra.max(rb), ra.min(rb));
            if self.parent[high as usize].compare_exchange(high, low, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                return;
            }
        }
    }
}

/// The neighbours (local ids) of a local vertex.
type Neighbours<'a> = dyn Fn(usize) -> &'a [u32] + Sync + 'a;

/// Neighbours linked per vertex before the largest component is guessed (Afforest).
const SAMPLE: usize = 2;

/// Runs one partition: union-find over its edges, labels seeded from `label_of(local)`; returns
/// the new label of every local vertex.
///
/// Afforest-style when every edge can be seen from both ends (`inc` given, or `out` symmetric):
/// link each vertex to its first [`SAMPLE`] neighbours, guess the largest component from a
/// sample of vertices, then finish only the vertices outside it; an edge from the big component
/// to another is still seen from its other end.
fn partition_round(
    n: usize,
    out: &Neighbours<'_>,
    inc: Option<&Neighbours<'_>>,
    symmetric: bool,
    label_of: &(dyn Fn(u32) -> u32 + Sync),
) -> Vec<u32> {
    let uf = UnionFind::new(n);
    let sampled = symmetric || inc.is_some();
    let skip = if sampled { SAMPLE } else { 0 };
    if sampled {
        (0..n).into_par_iter().with_min_len(GRAIN).for_each(|u| {
            out(u).iter().take(SAMPLE).for_each(|&v| uf.union(u as u32, v));
        });
    }
    let giant = if sampled && n > 0 {
        // The most frequent root among 1024 evenly spread vertices (deterministic).
        let step = (n / 1024).max(1);
        let mut roots: Vec<u32> = (0..n).step_by(step).map(|u| uf.find(u as u32)).collect();
        roots.sort_unstable();
        roots.chunk_by(|a, b| a == b).max_by_key(|run| run.len()).map(|run| run[0])
    } else {
        None
    };
    (0..n).into_par_iter().with_min_len(GRAIN).for_each(|u| {
        if giant.is_some_and(|g| uf.find(u as u32) == g) {
            return;
        }
        out(u).iter().skip(skip).for_each(|&v| uf.union(u as u32, v));
        if let Some(inc) = inc {
            inc(u).iter().for_each(|&v| uf.union(u as u32, v));
        }
    });
    let best: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(u32::MAX)).collect();
    (0..n as u32).into_par_iter().with_min_len(GRAIN).for_each(|u| {
        best[uf.find(u) as usize].fetch_min(label_of(u), Ordering::Relaxed);
    });
    (0..n as u32)
        .into_par_iter()
        .with_min_len(GRAIN)
        .map(|u| best[uf.find(u) as usize].load(Ordering::Relaxed))
        .collect()
}

/// WCC labels (dense ids) of every vertex.
pub(crate) fn run(layout: &Layout<'_>, out: &Csr, symmetric: bool) -> Run<u32> {
    let origin = Instant::now();
    let n = out.vertex_count();
    let mut events: Vec<TaskEvent> = Vec::new();
    let mut supersteps = Vec::new();
    match layout {
        Layout::Whole { out, inc } => {
            let started = Instant::now();
            let timer = Timer::start(origin);
            let out_nbrs = |u: usize| out.neighbors(u as u32);
            let in_nbrs = |u: usize| inc.neighbors(u as u32);
            let directed = !std::ptr::eq(*out, *inc);
            let labels =
                partition_round(n, &out_nbrs, directed.then_some(&in_nbrs as &Neighbours<'_>), !directed, &|u| u);
            events.push(timer.finish("union-find", 0, 0, n as u64, out.entry_count()));
            supersteps.push(SuperstepStats {
                index: 0,
                frontier: n as u64,
                mode: Mode::Pull,
                messages: 0,
                seconds: started.elapsed().as_secs_f64(),
            });
            Run { values: labels, supersteps, events }
        }
        Layout::Split { parts, replicas } => {
            let mut labels: Vec<u32> = (0..n as u32).collect();
            for round in 0.. {
                let started = Instant::now();
                let results: Vec<(Vec<u32>, TaskEvent)> = parts
                    .par_iter()
                    .enumerate()
                    .map(|(pi, part)| {
                        let timer = Timer::start(origin);
                        let label_of = |l: u32| labels[part.vertices[l as usize] as usize];
                        let csr = &part.out;
                        let out_nbrs = |u: usize| &part.out_local[csr.offsets[u] as usize..csr.offsets[u + 1] as usize];
                        // Partitions of an undirected graph hold both directions of their edges.
                        let local = partition_round(part.vertices.len(), &out_nbrs, None, symmetric, &label_of);
                        (
                            local,
                            timer.finish(
                                "union-find",
                                round,
                                pi as u32,
                                part.vertices.len() as u64,
                                part.out.neighbours.len() as u64,
                            ),
                        )
                    })
                    .collect();
                let timer = Timer::start(origin);
                let next: Vec<u32> = (0..n)
                    .into_par_iter()
                    .with_min_len(GRAIN)
                    .map(|v| {
                        let entries = &replicas.entries[replicas.offsets[v] as usize..replicas.offsets[v + 1] as usize];
                        entries.iter().map(|&(pi, l)| results[pi as usize].0[l as usize]).fold(labels[v], u32::min)
                    })
                    .collect();
                let changed = next.par_iter().zip(&labels).filter(|(a, b)| a != b).count() as u64;
                events.extend(results.into_iter().map(|r| r.1));
                events.push(timer.finish("exchange", round, 0, n as u64, replicas.entries.len() as u64));
                supersteps.push(SuperstepStats {
                    index: round,
                    frontier: n as u64,
                    mode: Mode::Pull,
                    messages: changed,
                    seconds: started.elapsed().as_secs_f64(),
                });
                labels = next;
                if changed == 0 {
                    break;
                }
            }
            Run { values: labels, supersteps, events }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_union_find_roots_are_component_minima() {
        let uf = UnionFind::new(1000);
        (0..999u32).into_par_iter().filter(|i| i % 10 != 9).for_each(|i| uf.union(i + 1, i));
        for i in 0..1000u32 {
            assert_eq!(uf.find(i), i / 10 * 10, "{i}");
        }
    }
}
