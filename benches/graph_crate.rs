//! The `graph` crate (neo4j-labs, crates.io) on the same graphs as dgraph, for
//! `benches/peers.py`: PageRank (20 iterations), WCC (Afforest), SSSP (delta-stepping) and
//! triangle count (with the crate's degree relabelling), timed excluding load and conversion;
//! prints one JSON object per graph. dgraph's engine runs the same four in the same process
//! (PageRank and SSSP in double and, like the crate, single precision: `pagerank_single`,
//! `sssp_single`), and BFS from the same source, on the same graph and threads, timed the same
//! way (median of 5 after loading), so the ratio is not skewed by process start-up or cold
//! caches (`dgraph_in_process` in the JSON). The crate's version 0.3 has no BFS, so only
//! dgraph's is timed (to compare with GAP's, see README).
//!
//! `RAYON_NUM_THREADS=2 cargo bench --bench graph_crate -- kron-20:SOURCE urand-20:SOURCE`
//! (SOURCE: an external vertex id; without arguments, `kron-16` from its smallest id).

use std::time::Instant;

use dgraph::algorithms::real::Precision;
use dgraph::algorithms::{Algorithm, Parameters};
use dgraph::analytics::{self, RunOptions};
use dgraph::datasets::catalog::{self, LoadOptions};
use dgraph::datasets::progress::Silent;
use dgraph::engine::{Engine, EngineConfig};
use dgraph::Graph;
use graph::prelude::{
    delta_stepping, global_triangle_count, page_rank, relabel_graph, wcc_afforest_dss, CsrLayout, DeltaSteppingConfig,
    DirectedCsrGraph, GraphBuilder, PageRankConfig, UndirectedCsrGraph, WccConfig,
};

const RUNS: usize = 5;

fn median(f: &mut dyn FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

/// Every stored edge of `g` (both directions of an undirected graph) with its weight.
fn edges(g: &Graph) -> Vec<(u32, u32, f32)> {
    let csr = g.out_edges();
    (0..g.vertex_count() as u32)
        .flat_map(|u| {
            let ws = csr.neighbor_weights(u);
            csr.neighbors(u).iter().enumerate().map(move |(i, &v)| (u, v, ws.map_or(1.0, |w| w[i] as f32)))
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let args = if args.is_empty() { vec!["kron-16".to_string()] } else { args };
    let options = LoadOptions { weighted: true, ..LoadOptions::default() };
    for arg in args {
        let (name, source) = match arg.split_once(':') {
            Some((n, s)) => (n.to_string(), Some(s.parse::<u64>()?)),
            None => (arg.clone(), None),
        };
        let g = catalog::load(&name, &options, &Silent)?;
        let source = match source {
            Some(s) => g.ids().dense(s).ok_or_else(|| format!("{name}: no vertex {s}"))?,
            None => 0,
        };
        let all = edges(&g);
        let directed: DirectedCsrGraph<u32, (), f32> =
            GraphBuilder::new().csr_layout(CsrLayout::Sorted).edges_with_values(all.clone()).build();
        let unweighted: DirectedCsrGraph<u32> = GraphBuilder::new()
            .csr_layout(CsrLayout::Sorted)
            .edges(all.iter().map(|e| (e.0, e.1)).collect::<Vec<_>>())
            .build();
        // Each undirected edge once (the crate adds the reverse direction itself).
        let once: Vec<(u32, u32)> = all.iter().filter(|e| e.0 < e.1).map(|e| (e.0, e.1)).collect();
        let mut undirected: UndirectedCsrGraph<u32> =
            GraphBuilder::new().csr_layout(CsrLayout::Deduplicated).edges(once).build();
        drop(all);
        let delta = dgraph::algorithms::programs::DeltaStepping::default_delta(&g) as f32;
        // DGRAPH_PEER_ALGOS=sssp,wcc times only those (the others print as 0).
        let only = std::env::var("DGRAPH_PEER_ALGOS").ok();
        let wanted = |a: &str| only.as_deref().is_none_or(|o| o.split(',').any(|x| x == a));
        let median = |name: &str, f: &mut dyn FnMut()| if wanted(name) { median(f) } else { 0.0 };
        let pagerank = median("pagerank", &mut || {
            page_rank(&unweighted, PageRankConfig::new(20, 0.0, 0.85));
        });
        let wcc = median("wcc", &mut || {
            wcc_afforest_dss(&unweighted, WccConfig::default());
        });
        let sssp = median("sssp", &mut || {
            delta_stepping(&directed, DeltaSteppingConfig::new(source as usize, delta));
        });
        // The crate counts triangles on a degree-ordered graph; relabelling is part of the work.
        let mut triangles = 0;
        let tc = if wanted("tc") {
            let start = Instant::now();
            relabel_graph(&mut undirected);
            let relabel = start.elapsed().as_secs_f64();
            relabel + median("tc", &mut || triangles = global_triangle_count(&undirected))
        } else {
            0.0
        };
        let engine = Engine::new(&g, EngineConfig::default())?;
        let params = Parameters { source: Some(g.ids().external(source)), iterations: Some(20), damping: Some(0.85) };
        let ours = |algorithm: Algorithm, precision: Precision| {
            let options = RunOptions { precision, ..RunOptions::default() };
            median(algorithm.name(), &mut || {
                analytics::run(&engine, algorithm, &params, &options).map(drop).unwrap_or_else(|e| {
                    eprintln!("{e}");
                    std::process::exit(1)
                });
            })
        };
        // The crate's PageRank and SSSP compute in f32; dgraph's run in both precisions.
        let dgraph = [
            ("pagerank", ours(Algorithm::PageRank, Precision::Double)),
            ("pagerank_single", ours(Algorithm::PageRank, Precision::Single)),
            ("bfs", ours(Algorithm::Bfs, Precision::Double)),
            ("wcc", ours(Algorithm::Wcc, Precision::Double)),
            ("sssp", ours(Algorithm::Sssp, Precision::Double)),
            ("sssp_single", ours(Algorithm::Sssp, Precision::Single)),
            ("tc", ours(Algorithm::TriangleCount, Precision::Double)),
        ];
        let dgraph: Vec<String> = dgraph.iter().map(|(a, t)| format!("\"{a}\": {t}")).collect();
        println!(
            "{{\"graph\": \"{name}\", \"source\": {}, \"threads\": {}, \"delta\": {delta}, \"pagerank\": {pagerank}, \"wcc\": {wcc}, \"sssp\": {sssp}, \"tc\": {tc}, \"triangles\": {triangles}, \"dgraph_in_process\": {{{}}}}}",
            g.ids().external(source),
            rayon::current_num_threads(),
            dgraph.join(", ")
        );
    }
    Ok(())
}
