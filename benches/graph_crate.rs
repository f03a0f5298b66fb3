//! The `graph` crate (neo4j-labs, crates.io) on the same graphs as dgraph, for
//! `benches/peers.py`: PageRank (20 iterations), WCC (Afforest), SSSP (delta-stepping) and
//! triangle count (with the crate's degree relabelling), timed excluding load and conversion;
//! prints one JSON object per graph. dgraph's engine runs the same four in the same process
//! (PageRank and SSSP in double and, like the crate, single precision: `pagerank_single`,
//! `sssp_single`), and BFS from the same source, on the same graph and threads, timed the same
//! way, so the ratio is not skewed by process start-up or cold caches (`dgraph_in_process` in
//! the JSON). The runs of one algorithm alternate between the crate and dgraph, round by round
//! (who goes first rotates), so a drift of the machine's speed, large on shared VMs, falls on
//! both sides: the JSON gives each side's median of 5 and, under `paired_ratio`, the median of
//! the per-round ratios crate / dgraph. The crate's version 0.3 has no BFS, so only dgraph's
//! is timed (to compare with GAP's, see README).
//!
//! `RAYON_NUM_THREADS=2 cargo bench --bench graph_crate -- kron-20:SOURCE urand-20:SOURCE`
//! (SOURCE: an external vertex id; without it, the smallest id with an edge, as `peers.py`
//! picks; without arguments, `kron-16`).

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

/// As the `dgraph` binary: large arrays on huge pages.
#[global_allocator]
static ALLOC: dgraph::datasets::pages::HugePageAlloc = dgraph::datasets::pages::HugePageAlloc;

const RUNS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Seconds of each of `fs`, `RUNS` rounds, one run of each per round, the first to run
/// rotating: `times[f][round]`.
fn rounds(fs: &mut [&mut dyn FnMut()]) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(RUNS); fs.len()];
    for round in 0..RUNS {
        for k in 0..fs.len() {
            let f = (round + k) % fs.len();
            let start = Instant::now();
            fs[f]();
            times[f].push(start.elapsed().as_secs_f64());
        }
    }
    times
}

/// The median of the per-round ratios `a[r] / b[r]`.
fn paired(a: &[f64], b: &[f64]) -> f64 {
    median(a.iter().zip(b).map(|(a, b)| a / b).collect())
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
        // Without SOURCE, `dgraph run`'s default (the smallest id with an out-edge): an isolated
        // source would time only the set-up (kron-20's vertex 0 has no edge).
        let source = Parameters { source, ..Parameters::default() }
            .source_for(&g, Algorithm::Bfs)
            .map_err(|e| format!("{name}: {e}"))?;
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
        let engine = Engine::new(&g, EngineConfig::default())?;
        let params = Parameters { source: Some(g.ids().external(source)), iterations: Some(20), damping: Some(0.85) };
        let ours = |algorithm: Algorithm, precision: Precision| {
            let options = RunOptions { precision, ..RunOptions::default() };
            let engine = &engine;
            let params = &params;
            move || {
                analytics::run(engine, algorithm, params, &options).map(drop).unwrap_or_else(|e| {
                    eprintln!("{e}");
                    std::process::exit(1)
                })
            }
        };
        // Per algorithm: the crate's median, dgraph's medians by name, and the paired ratios.
        let mut crate_times = Vec::new();
        let mut dgraph_times = Vec::new();
        let mut ratios = Vec::new();
        let mut record = |name: &str, times: &[Vec<f64>], dgraph: &[&str]| {
            crate_times.push((name.to_string(), median(times[0].clone())));
            for (k, d) in dgraph.iter().enumerate() {
                dgraph_times.push((d.to_string(), median(times[k + 1].clone())));
                ratios.push((d.to_string(), paired(&times[0], &times[k + 1])));
            }
        };
        if wanted("pagerank") {
            let times = rounds(&mut [
                &mut || drop(page_rank(&unweighted, PageRankConfig::new(20, 0.0, 0.85))),
                &mut ours(Algorithm::PageRank, Precision::Double),
                &mut ours(Algorithm::PageRank, Precision::Single),
            ]);
            record("pagerank", &times, &["pagerank", "pagerank_single"]);
        }
        if wanted("wcc") {
            let times = rounds(&mut [
                &mut || drop(wcc_afforest_dss(&unweighted, WccConfig::default())),
                &mut ours(Algorithm::Wcc, Precision::Double),
            ]);
            record("wcc", &times, &["wcc"]);
        }
        if wanted("sssp") {
            let times = rounds(&mut [
                &mut || drop(delta_stepping(&directed, DeltaSteppingConfig::new(source as usize, delta))),
                &mut ours(Algorithm::Sssp, Precision::Double),
                &mut ours(Algorithm::Sssp, Precision::Single),
            ]);
            record("sssp", &times, &["sssp", "sssp_single"]);
        }
        // The crate counts triangles on a degree-ordered graph; relabelling (once, it reorders
        // the graph in place) is part of the work and is added to each of its runs.
        let mut triangles = 0;
        if wanted("tc") {
            let start = Instant::now();
            relabel_graph(&mut undirected);
            let relabel = start.elapsed().as_secs_f64();
            let mut times = rounds(&mut [
                &mut || triangles = global_triangle_count(&undirected),
                &mut ours(Algorithm::TriangleCount, Precision::Double),
            ]);
            times[0].iter_mut().for_each(|t| *t += relabel);
            record("tc", &times, &["tc"]);
        }
        if wanted("bfs") {
            let times = rounds(&mut [&mut ours(Algorithm::Bfs, Precision::Double)]);
            dgraph_times.push(("bfs".to_string(), median(times[0].clone())));
        }
        // One object: the crate's medians at the top level, beside the run's facts.
        let times = |pairs: Vec<(String, f64)>| pairs.into_iter().map(|(a, t)| (a, serde_json::json!(t))).collect();
        let mut record: serde_json::Map<String, serde_json::Value> = times(crate_times);
        record.insert("graph".into(), name.clone().into());
        record.insert("source".into(), g.ids().external(source).into());
        record.insert("threads".into(), rayon::current_num_threads().into());
        record.insert("delta".into(), serde_json::json!(delta));
        record.insert("triangles".into(), triangles.into());
        record.insert("dgraph_in_process".into(), serde_json::Value::Object(times(dgraph_times)));
        record.insert("paired_ratio".into(), serde_json::Value::Object(times(ratios)));
        println!("{}", serde_json::Value::Object(record));
    }
    Ok(())
}
