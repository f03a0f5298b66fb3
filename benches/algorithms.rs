//! Algorithm benchmarks on `kron-S` (S = `DGRAPH_BENCH_SCALE`, default 16), excluding load:
//! PageRank (20 iterations), BFS (source: vertex of largest degree), WCC and SSSP (weighted
//! graph), on the engine with one partition and with 4, next to plain CSR kernels written
//! directly against the arrays (the "abstraction costs nothing" baseline).
//!
//! `cargo bench --bench algorithms`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dgraph::algorithms::{Algorithm, Parameters};
use dgraph::analytics::{self, RunOptions};
use dgraph::datasets::generators::Generator;
use dgraph::datasets::progress::Silent;
use dgraph::engine::{Engine, EngineConfig};
use dgraph::Graph;
use rayon::prelude::*;

/// As the `dgraph` binary: large arrays on huge pages.
#[global_allocator]
static ALLOC: dgraph::datasets::pages::HugePageAlloc = dgraph::datasets::pages::HugePageAlloc;

fn scale() -> u32 {
    std::env::var("DGRAPH_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(16)
}

/// PageRank written directly on the CSR, one pass over the vertices per iteration (as the
/// engine's fused pull does): each block of 512 vertices pulls its in-neighbours'
/// contributions, writes its new ranks, its next contributions and its share of the next sink
/// mass (blocks summed in order).
fn plain_pagerank(g: &Graph, iterations: u32) -> Vec<f64> {
    const BLOCK: usize = 512;
    let n = g.vertex_count();
    let (out, inc) = (g.out_edges(), g.in_edges());
    let mut rank = vec![1.0 / n as f64; n];
    let contribution = |v: usize, r: f64| match out.degree(v as u32) {
        0 => 0.0,
        d => r / d as f64,
    };
    let mut contrib: Vec<f64> = rank.par_iter().enumerate().map(|(v, &r)| contribution(v, r)).collect();
    let mut next = vec![0.0; n];
    let mut sink: f64 = (0..n).into_par_iter().filter(|&v| out.degree(v as u32) == 0).map(|v| rank[v]).sum();
    for _ in 0..iterations {
        let base = 0.15 / n as f64 + 0.85 * sink / n as f64;
        let sinks: Vec<f64> = rank
            .par_chunks_mut(BLOCK)
            .zip(next.par_chunks_mut(BLOCK))
            .enumerate()
            .map(|(b, (ranks, contributions))| {
                let mut s = 0.0;
                for i in 0..ranks.len() {
                    let v = b * BLOCK + i;
                    let r = base + 0.85 * inc.neighbors(v as u32).iter().map(|&u| contrib[u as usize]).sum::<f64>();
                    ranks[i] = r;
                    contributions[i] = contribution(v, r);
                    if out.degree(v as u32) == 0 {
                        s += r;
                    }
                }
                s
            })
            .collect();
        sink = sinks.iter().sum();
        std::mem::swap(&mut contrib, &mut next);
    }
    rank
}

/// Top-down parallel BFS on the CSR (frontier lists, atomic visited marks).
fn plain_bfs(g: &Graph, source: u32) -> Vec<u32> {
    use std::sync::atomic::{AtomicU32, Ordering};
    let n = g.vertex_count();
    let depth: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(u32::MAX)).collect();
    depth[source as usize].store(0, Ordering::Relaxed);
    let mut frontier = vec![source];
    let mut level = 0;
    while !frontier.is_empty() {
        level += 1;
        frontier = frontier
            .par_iter()
            .flat_map_iter(|&u| g.out_edges().neighbors(u).iter().copied())
            .filter(|&v| {
                depth[v as usize].compare_exchange(u32::MAX, level, Ordering::Relaxed, Ordering::Relaxed).is_ok()
            })
            .collect();
    }
    depth.into_iter().map(AtomicU32::into_inner).collect()
}

fn algorithms(c: &mut Criterion) {
    let generator = Generator::Kron { scale: scale() };
    let (g, _) = generator.generate(1, true, &Silent).expect("generates");
    let source = (0..g.vertex_count() as u32).max_by_key(|&v| g.out_edges().degree(v)).unwrap_or(0);
    let params = Parameters { source: Some(g.ids().external(source)), iterations: Some(20), damping: Some(0.85) };
    let name = generator.name();
    let mut group = c.benchmark_group("algorithms");
    group.sample_size(10);
    group.throughput(Throughput::Elements(g.out_edges().entry_count()));
    // The baseline must compute what the engine computes.
    let engine = Engine::new(&g, EngineConfig::default()).expect("engine");
    let ranks = engine.run(&dgraph::algorithms::programs::PageRank::new(Default::default())).values;
    let plain = plain_pagerank(&g, 20);
    assert!(
        plain.iter().zip(&ranks).all(|(a, b)| (a - b).abs() <= 1e-9 * b),
        "plain PageRank disagrees with the engine"
    );
    group.bench_function(format!("plain_pagerank20/{name}"), |b| b.iter(|| plain_pagerank(&g, 20)));
    group.bench_function(format!("plain_bfs/{name}"), |b| b.iter(|| plain_bfs(&g, source)));
    for partitions in [1, 4] {
        let engine = Engine::new(&g, EngineConfig { partitions, ..EngineConfig::default() }).expect("engine");
        for algorithm in [Algorithm::PageRank, Algorithm::Bfs, Algorithm::Wcc, Algorithm::Sssp] {
            group.bench_function(format!("{}/p{partitions}/{name}", algorithm.name()), |b| {
                b.iter(|| analytics::run(&engine, algorithm, &params, &RunOptions::default()).expect("runs"))
            });
        }
    }
    group.finish();
}

mod harness {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, algorithms);
}

criterion_main!(harness::benches);
