//! The engine against independent references: the 24 Graphalytics expected outputs for several
//! partition counts, and every algorithm against the sequential references on seeded random
//! graphs for threads in {1, 2, 4} and partitions in {1, 3, 8}.

use std::path::PathBuf;

use dgraph::algorithms::program::{Context, Direction, VertexProgram};
use dgraph::algorithms::programs::{PageRank, PageRankConfig};
use dgraph::algorithms::real::Precision;
use dgraph::algorithms::validate::{compare, parse_output};
use dgraph::algorithms::{reference, Algorithm, Output, Parameters};
use dgraph::analytics::{self, RunOptions};
use dgraph::datasets::catalog::{read_embedded, GRAPHALYTICS};
use dgraph::datasets::progress::Silent;
use dgraph::engine::{Engine, EngineConfig};
use dgraph::partitioner::StrategyKind;
use dgraph::{BuildOptions, EdgeList, Graph, ReadOptions};
use proptest::prelude::*;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/data/graphalytics")
}

fn engine(g: &Graph, threads: usize, partitions: u32, strategy: StrategyKind) -> Engine<'_> {
    let partitions = partitions.min(g.edge_count().max(1) as u32);
    Engine::new(g, EngineConfig { threads: Some(threads), partitions, strategy, seed: 7 }).expect("engine")
}

#[test]
fn graphalytics_outputs_pass_for_every_partition_count() {
    let mut checked = 0;
    for e in GRAPHALYTICS {
        let (g, _) = read_embedded(e, &ReadOptions::default(), &Silent).expect("graph");
        for partitions in [1, 3, 8] {
            let engine = engine(&g, 2, partitions, StrategyKind::Random);
            for (algorithm, _) in Algorithm::ALL {
                let path = data_dir().join(e.name).join(format!("{}-{}", e.name, algorithm.acronym()));
                let Ok(expected) = std::fs::read_to_string(&path) else { continue };
                let run =
                    analytics::run(&engine, algorithm, &Parameters::default(), &RunOptions::default()).expect("runs");
                let text: String = (0..g.vertex_count()).map(|v| run.output.line(&g, v) + "\n").collect();
                let ours = parse_output(&text).expect("parses");
                let reference = parse_output(&expected).expect("parses");
                compare(algorithm, &reference, &ours)
                    .unwrap_or_else(|err| panic!("{} with {partitions} partitions: {err}", path.display()));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 24);
}

#[test]
fn single_precision_pagerank_and_sssp_pass_the_graphalytics_outputs() {
    let single = RunOptions { precision: Precision::Single, ..RunOptions::default() };
    let mut checked = 0;
    for e in GRAPHALYTICS {
        let (g, _) = read_embedded(e, &ReadOptions::default(), &Silent).expect("graph");
        for algorithm in [Algorithm::PageRank, Algorithm::Sssp] {
            let path = data_dir().join(e.name).join(format!("{}-{}", e.name, algorithm.acronym()));
            let Ok(expected) = std::fs::read_to_string(&path) else { continue };
            for partitions in [1, 3] {
                let engine = engine(&g, 2, partitions, StrategyKind::Random);
                let run = analytics::run(&engine, algorithm, &Parameters::default(), &single).expect("runs");
                assert!(matches!(run.output, Output::Values32(_)));
                let text: String = (0..g.vertex_count()).map(|v| run.output.line(&g, v) + "\n").collect();
                compare(algorithm, &parse_output(&expected).expect("parses"), &parse_output(&text).expect("parses"))
                    .unwrap_or_else(|err| panic!("{} in single precision: {err}", path.display()));
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "{checked} outputs checked");
}

/// PageRank with `message_ignores_step` off: the engine recomputes messages and the sink sum
/// in their own passes instead of in the apply pass.
struct StepByStep(PageRank);

impl VertexProgram for StepByStep {
    type Value = f64;
    type Message = f64;
    fn direction(&self) -> Direction {
        self.0.direction()
    }
    fn init(&self, v: u32, ctx: &dyn Context) -> f64 {
        self.0.init(v, ctx)
    }
    fn initially_active(&self, v: u32) -> bool {
        self.0.initially_active(v)
    }
    fn all_active(&self) -> bool {
        self.0.all_active()
    }
    fn message(&self, source: u32, value: &f64, weight: f64, ctx: &dyn Context) -> Option<f64> {
        self.0.message(source, value, weight, ctx)
    }
    fn message_uses_weight(&self) -> bool {
        self.0.message_uses_weight()
    }
    fn combine(&self, a: f64, b: f64) -> f64 {
        self.0.combine(a, b)
    }
    fn uses_aggregate(&self) -> bool {
        self.0.uses_aggregate()
    }
    fn aggregate(&self, v: u32, value: &f64, ctx: &dyn Context) -> f64 {
        self.0.aggregate(v, value, ctx)
    }
    fn apply(&self, v: u32, value: &f64, message: Option<f64>, ctx: &dyn Context) -> (f64, bool) {
        self.0.apply(v, value, message, ctx)
    }
    fn max_supersteps(&self) -> u32 {
        self.0.max_supersteps()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Computing the next messages and aggregate inside the apply pass changes nothing.
    #[test]
    fn look_ahead_messages_change_no_bit(g in graphs(), iterations in 1u32..12) {
        let pr = PageRank::new(PageRankConfig { iterations, ..PageRankConfig::default() });
        prop_assert!(pr.message_ignores_step());
        for threads in [1, 3] {
            let e = engine(&g, threads, 1, StrategyKind::Random);
            let fused = e.run(&pr).values;
            let plain = e.run(&StepByStep(pr)).values;
            prop_assert_eq!(fused.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), plain.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
    }

    /// Single-precision SSSP: within 2e-5 of the double-precision reference (the same vertices
    /// unreachable), and the same bits for any thread count and partitioning.
    #[test]
    fn single_precision_sssp_is_close_and_deterministic(g in graphs(), source in 0usize..1000) {
        let source = g.ids().external((source % g.vertex_count()) as u32);
        let params = Parameters { source: Some(source), ..Parameters::default() };
        let expected = reference::sssp(&g, g.ids().dense(source).expect("source")).expect("weights").expect("source");
        let single = RunOptions { precision: Precision::Single, ..RunOptions::default() };
        let mut first: Option<Vec<u32>> = None;
        for threads in [1, 2, 4] {
            for partitions in [1, 3, 8] {
                let e = engine(&g, threads, partitions, StrategyKind::CanonicalRandom);
                let run = analytics::run(&e, Algorithm::Sssp, &params, &single).expect("runs");
                let Output::Values32(distances) = run.output else { panic!("single precision gives f32 values") };
                for (v, (x, y)) in distances.iter().zip(&expected).enumerate() {
                    let ok = if y.is_infinite() { x.is_infinite() } else { (f64::from(*x) - y).abs() <= 2e-5 * y };
                    prop_assert!(ok, "vertex {}: {} vs {}", v, x, y);
                }
                let bits: Vec<u32> = distances.iter().map(|x| x.to_bits()).collect();
                match &first {
                    None => first = Some(bits),
                    Some(f) => prop_assert_eq!(f, &bits, "changed with threads or partitions"),
                }
            }
        }
    }

    /// Single precision: within 2e-5 of the double-precision reference, and the same bits for
    /// any thread count.
    #[test]
    fn single_precision_pagerank_is_close_and_deterministic(g in graphs(), iterations in 1u32..12) {
        let params = Parameters { iterations: Some(iterations), damping: Some(0.85), ..Parameters::default() };
        let expected = reference::pagerank(&g, 0.85, iterations);
        let single = RunOptions { precision: Precision::Single, ..RunOptions::default() };
        let mut first: Option<Vec<u32>> = None;
        for threads in [1, 2, 4] {
            for partitions in [1, 3, 8] {
                let run = analytics::run(&engine(&g, threads, partitions, StrategyKind::CanonicalRandom), Algorithm::PageRank, &params, &single).expect("runs");
                let Output::Values32(ranks) = run.output else { panic!("single precision gives f32 values") };
                for (v, (x, y)) in ranks.iter().zip(&expected).enumerate() {
                    prop_assert!((f64::from(*x) - y).abs() <= 2e-5 * y, "vertex {}: {} vs {}", v, x, y);
                }
                if partitions == 1 {
                    let bits: Vec<u32> = ranks.iter().map(|x| x.to_bits()).collect();
                    match &first {
                        None => first = Some(bits),
                        Some(f) => prop_assert_eq!(f, &bits, "changed with threads"),
                    }
                }
            }
        }
    }
}

fn reference_output(g: &Graph, algorithm: Algorithm, p: &Parameters) -> Output {
    match algorithm {
        Algorithm::Bfs => Output::Depths(reference::bfs(g, p.source_for(g, algorithm).expect("source")).expect("bfs")),
        Algorithm::PageRank => Output::Values(reference::pagerank(
            g,
            p.damping_for(g).expect("d"),
            p.iterations_for(g, algorithm).expect("k"),
        )),
        Algorithm::Wcc => Output::Labels(reference::wcc(g)),
        Algorithm::Cdlp => Output::Labels(reference::cdlp(g, p.iterations_for(g, algorithm).expect("k"))),
        Algorithm::Lcc => Output::Values(reference::lcc(g)),
        Algorithm::Sssp => {
            Output::Values(reference::sssp(g, p.source_for(g, algorithm).expect("s")).expect("w").expect("s"))
        }
        Algorithm::TriangleCount => Output::Count(reference::triangle_count(g)),
    }
}

fn assert_close(algorithm: Algorithm, ours: &Output, expected: &Output) -> Result<(), TestCaseError> {
    match (ours, expected) {
        (Output::Values(a), Output::Values(b)) => {
            prop_assert_eq!(a.len(), b.len());
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let ok = (x.is_infinite() && x == y) || (x - y).abs() <= 1e-9 * y.abs().max(1e-300);
                prop_assert!(ok || (x - y).abs() < 1e-15, "{:?} vertex {}: {} vs {}", algorithm, i, x, y);
            }
        }
        _ => prop_assert_eq!(ours, expected, "{:?}", algorithm),
    }
    Ok(())
}

/// Random graphs with isolated vertices (extra ids), sinks, several components, weights.
fn graphs() -> impl Strategy<Value = Graph> {
    (
        1u64..60,
        prop::collection::vec((0u64..60, 0u64..60, 0u32..100), 1..200),
        any::<bool>(),
        prop::collection::vec(0u64..80, 0..5),
    )
        .prop_map(|(spread, edges, directed, extra)| {
            let list = EdgeList {
                edges: edges.iter().map(|&(u, v, _)| (u % spread * 3, v % spread * 3)).collect(),
                weights: Some(edges.iter().map(|&(_, _, w)| f64::from(w) / 7.0).collect()),
                extra_vertices: extra,
                directed,
            };
            let options = BuildOptions { drop_duplicates: false, drop_self_loops: false, symmetrize: false };
            Graph::from_edge_list("random", &list, options).expect("builds").0
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_algorithm_matches_the_reference_for_all_threads_and_partitions(g in graphs(), source in 0usize..1000, iterations in 1u32..8) {
        let source = g.ids().external((source % g.vertex_count()) as u32);
        let params = Parameters { source: Some(source), iterations: Some(iterations), damping: Some(0.85) };
        for (algorithm, _) in Algorithm::ALL {
            let expected = reference_output(&g, algorithm, &params);
            let mut first: Option<Output> = None;
            for threads in [1, 2, 4] {
                for partitions in [1, 3, 8] {
                    let e = engine(&g, threads, partitions, StrategyKind::CanonicalRandom);
                    let run = analytics::run(&e, algorithm, &params, &RunOptions::default()).expect("runs");
                    assert_close(algorithm, &run.output, &expected)?;
                    if partitions == 1 {
                        // Same partitioning, any thread count: bit-identical.
                        match &first {
                            None => first = Some(run.output.clone()),
                            Some(f) => prop_assert_eq!(f, &run.output, "{:?} changed with threads", algorithm),
                        }
                    }
                }
            }
        }
        // The label-propagation program (a user-level alternative to union-find) agrees too.
        for partitions in [1, 3, 8] {
            let run = engine(&g, 2, partitions, StrategyKind::Grid2d).run(&dgraph::algorithms::programs::Wcc);
            let labels: Vec<u64> = run.values.iter().map(|&l| g.ids().external(l)).collect();
            prop_assert_eq!(&labels, &reference::wcc(&g));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Every strategy and P in {1, 2, 7, 16}: the same results as the sequential reference.
    #[test]
    fn results_do_not_depend_on_the_strategy_or_part_count(g in graphs(), source in 0usize..1000) {
        let source = g.ids().external((source % g.vertex_count()) as u32);
        let params = Parameters { source: Some(source), iterations: Some(5), damping: Some(0.85) };
        let expected: Vec<Output> = Algorithm::ALL.iter().map(|(a, _)| reference_output(&g, *a, &params)).collect();
        for (strategy, _) in StrategyKind::ALL {
            for partitions in [1, 2, 7, 16] {
                let e = engine(&g, 2, partitions, strategy);
                for ((algorithm, _), expected) in Algorithm::ALL.iter().zip(&expected) {
                    let run = analytics::run(&e, *algorithm, &params, &RunOptions::default()).expect("runs");
                    assert_close(*algorithm, &run.output, expected)?;
                }
            }
        }
    }
}

/// A graph large enough that pushes split their messages over many target ranges: a long
/// path (frontiers of one vertex: few messages per range, combined by sorting), a hub linked to
/// every 40th vertex and pseudo-random chords (ranges with many messages, combined densely),
/// and an isolated tail. BFS and label-propagation WCC must match the references for every
/// thread and partition count.
#[test]
fn pushes_with_few_and_many_messages_per_range_match_the_references() {
    let n = 5000u64;
    for directed in [false, true] {
        let mut edges: Vec<(u64, u64)> = (0..n - 200).map(|i| (i, i + 1)).collect();
        edges.extend((0..n - 200).step_by(40).map(|i| (2500, i)));
        let mut x = 12345u64;
        for _ in 0..300 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            edges.push(((x >> 33) % (n - 200), (x >> 13) % (n - 200)));
        }
        let list = EdgeList { edges, weights: None, extra_vertices: (n - 200..n).collect(), directed };
        let options = BuildOptions { drop_duplicates: false, drop_self_loops: false, symmetrize: false };
        let g = Graph::from_edge_list("ranges", &list, options).expect("builds").0;
        for source in [0, 2500, 4799] {
            let params = Parameters { source: Some(source), ..Parameters::default() };
            let expected = reference_output(&g, Algorithm::Bfs, &params);
            for threads in [1, 2, 4] {
                for partitions in [1, 3] {
                    let e = engine(&g, threads, partitions, StrategyKind::CanonicalRandom);
                    let run = analytics::run(&e, Algorithm::Bfs, &params, &RunOptions::default()).expect("runs");
                    assert_eq!(
                        run.output, expected,
                        "directed {directed}, source {source}, {threads} threads, {partitions} parts"
                    );
                    let labels = e.run(&dgraph::algorithms::programs::Wcc).values;
                    let labels: Vec<u64> = labels.iter().map(|&l| g.ids().external(l)).collect();
                    assert_eq!(
                        labels,
                        reference::wcc(&g),
                        "directed {directed}, {threads} threads, {partitions} parts"
                    );
                }
            }
        }
    }
}

#[test]
fn bad_parameters_are_clear_errors() {
    let (g, _) = read_embedded(&GRAPHALYTICS[2], &ReadOptions::default(), &Silent).expect("test-bfs-directed");
    let e = engine(&g, 1, 1, StrategyKind::Random);
    let run = |a, p: Parameters, o: RunOptions| analytics::run(&e, a, &p, &o).map(|_| ()).map_err(|e| e.to_string());
    assert!(run(Algorithm::Bfs, Parameters { source: Some(999), ..Default::default() }, RunOptions::default())
        .expect_err("should fail")
        .contains("999"));
    assert!(run(Algorithm::PageRank, Parameters { iterations: Some(0), ..Default::default() }, RunOptions::default())
        .is_err());
    assert!(run(Algorithm::PageRank, Parameters { damping: Some(1.0), ..Default::default() }, RunOptions::default())
        .is_err());
    assert!(run(Algorithm::Sssp, Parameters::default(), RunOptions::default())
        .expect_err("should fail")
        .contains("--unit-weights"));
    assert!(
        run(Algorithm::Sssp, Parameters::default(), RunOptions { unit_weights: true, ..Default::default() }).is_ok()
    );
    let list = EdgeList { edges: vec![(1, 2)], weights: Some(vec![-1.0]), directed: true, ..Default::default() };
    let (neg, _) = Graph::from_edge_list("neg", &list, BuildOptions::default()).expect("builds");
    let e = engine(&neg, 1, 1, StrategyKind::Random);
    let err =
        analytics::run(&e, Algorithm::Sssp, &Parameters::default(), &RunOptions::default()).expect_err("negative");
    assert!(err.to_string().contains("1 -> 2 has weight -1"), "{err}");
    let single = RunOptions { precision: Precision::Single, ..RunOptions::default() };
    let err = analytics::run(&e, Algorithm::Wcc, &Parameters::default(), &single).expect_err("wcc has no precision");
    assert!(err.to_string().contains("pagerank and sssp only, not wcc"), "{err}");
}

/// PageRank on graphs where most vertices are never pulled from (an isolated half, and on the
/// directed graph also sinks), so the fused pull keeps its messages by rank among the listed
/// vertices (`src/engine/compact.rs`): the same bits as the pass-by-pass pull, within 1e-9 of
/// the sequential reference, the same bits for every thread count, and the same for repeated
/// runs of one engine (which reuse the renumbering).
#[test]
fn pagerank_with_most_vertices_unlisted_matches_the_reference() {
    let n = 3000u64;
    for directed in [false, true] {
        let mut x = 99u64;
        let edges: Vec<(u64, u64)> = (0..4000)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                // Endpoints in the first half; on the directed graph sources in its first third.
                let source = (x >> 33) % if directed { n / 6 } else { n / 2 };
                (source * 3 % (n / 2), (x >> 13) % (n / 2))
            })
            .collect();
        let list = EdgeList { edges, weights: None, extra_vertices: (0..n).collect(), directed };
        let options = BuildOptions { drop_duplicates: false, drop_self_loops: false, symmetrize: false };
        let g = Graph::from_edge_list("unlisted", &list, options).expect("builds").0;
        let params = Parameters { iterations: Some(15), damping: Some(0.85), ..Parameters::default() };
        let expected = reference_output(&g, Algorithm::PageRank, &params);
        let pr = PageRank::new(PageRankConfig { iterations: 15, ..PageRankConfig::default() });
        let mut first: Option<Vec<u64>> = None;
        for threads in [1, 2, 3] {
            let e = engine(&g, threads, 1, StrategyKind::Random);
            for _ in 0..2 {
                let run = analytics::run(&e, Algorithm::PageRank, &params, &RunOptions::default()).expect("runs");
                assert_close(Algorithm::PageRank, &run.output, &expected).expect("close to the reference");
                let fused: Vec<u64> = e.run(&pr).values.iter().map(|x| x.to_bits()).collect();
                let plain: Vec<u64> = e.run(&StepByStep(pr)).values.iter().map(|x| x.to_bits()).collect();
                assert_eq!(fused, plain, "directed {directed}, {threads} threads");
                match &first {
                    None => first = Some(fused),
                    Some(f) => assert_eq!(f, &fused, "directed {directed}, {threads} threads"),
                }
            }
        }
    }
}

#[test]
fn pagerank_through_tiles_has_the_bits_of_the_rows() {
    // Past 4 blocks of the engine's 2^15-vertex tiles (the last one partial), with isolated
    // vertices and, directed, sinks.
    let n = 4 * 32_768 + 1_000u64;
    let tiled = |events: &[dgraph::engine::TaskEvent]| events.iter().any(|e| e.name == "pull" && e.vertices == 32_768);
    for directed in [false, true] {
        let mut x = 5u64;
        let edges: Vec<(u64, u64)> = (0..300_000)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 33) % (n - 500), (x >> 13) % n)
            })
            .collect();
        let list = EdgeList { edges, weights: None, extra_vertices: (0..n).collect(), directed };
        let g = Graph::from_edge_list("tiles", &list, BuildOptions::default()).expect("builds").0;
        let config = PageRankConfig { iterations: 5, ..PageRankConfig::default() };
        let mut single: Option<Vec<u32>> = None;
        for threads in [1, 3] {
            // A short run pulls by rows; the engine then makes the tiles for the next run.
            let e = engine(&g, threads, 1, StrategyKind::Random);
            let (rows, tiles) = (e.run(&PageRank::new(config)), e.run(&PageRank::new(config)));
            assert!(!tiled(&rows.events) && tiled(&tiles.events), "directed {directed}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&rows.values), bits(&tiles.values), "f64, directed {directed}, {threads} threads");
            let plain = e.run(&StepByStep(PageRank::new(config)));
            assert_eq!(bits(&plain.values), bits(&tiles.values), "f64, directed {directed}, {threads} threads");
            let e = engine(&g, threads, 1, StrategyKind::Random);
            let (rows, tiles) = (e.run(&PageRank::single(config)), e.run(&PageRank::single(config)));
            assert!(!tiled(&rows.events) && tiled(&tiles.events), "directed {directed}");
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&rows.values), bits(&tiles.values), "f32, directed {directed}, {threads} threads");
            match &single {
                None => single = Some(bits(&tiles.values)),
                Some(s) => assert_eq!(s, &bits(&tiles.values), "f32, directed {directed}, {threads} threads"),
            }
        }
        // A run long enough to pay for the tiles makes them at once.
        let e = engine(&g, 2, 1, StrategyKind::Random);
        let long = e.run(&PageRank::single(PageRankConfig { iterations: 32, ..config }));
        assert!(
            tiled(&long.events) && long.events.iter().filter(|e| e.name == "pull" && e.superstep == 0).count() == 5
        );
    }
}
