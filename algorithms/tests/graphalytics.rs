//! The sequential references reproduce all 24 expected outputs of the LDBC Graphalytics
//! validation graphs under the official rules.

use std::path::PathBuf;

use dgraph_algorithms::validate::{compare, parse_output};
use dgraph_algorithms::{reference, Algorithm, Output, Parameters};
use dgraph_datasets::catalog::{read_embedded, GRAPHALYTICS};
use dgraph_datasets::progress::Silent;
use dgraph_datasets::{Graph, ReadOptions};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets/data/graphalytics")
}

fn run(g: &Graph, algorithm: Algorithm) -> Output {
    let p = Parameters::default();
    match algorithm {
        Algorithm::Bfs => Output::Depths(reference::bfs(g, p.source_for(g, algorithm).expect("source")).expect("bfs")),
        Algorithm::PageRank => Output::Values(reference::pagerank(
            g,
            p.damping_for(g).expect("damping"),
            p.iterations_for(g, algorithm).expect("iterations"),
        )),
        Algorithm::Wcc => Output::Labels(reference::wcc(g)),
        Algorithm::Cdlp => Output::Labels(reference::cdlp(g, p.iterations_for(g, algorithm).expect("iterations"))),
        Algorithm::Lcc => Output::Values(reference::lcc(g)),
        Algorithm::Sssp => Output::Values(
            reference::sssp(g, p.source_for(g, algorithm).expect("source")).expect("non-negative").expect("source"),
        ),
        Algorithm::TriangleCount => Output::Count(reference::triangle_count(g)),
    }
}

#[test]
fn all_24_expected_outputs_pass() {
    let mut checked = 0;
    for e in GRAPHALYTICS {
        let (g, _) = read_embedded(e, &ReadOptions::default(), &Silent).expect("graph");
        for (algorithm, _) in Algorithm::ALL {
            let path = data_dir().join(e.name).join(format!("{}-{}", e.name, algorithm.acronym()));
            let Ok(expected) = std::fs::read_to_string(&path) else { continue };
            let out = run(&g, algorithm);
            let text: String = (0..g.vertex_count()).map(|v| out.line(&g, v) + "\n").collect();
            let ours = parse_output(&text).expect("our output parses");
            let reference = parse_output(&expected).expect("reference parses");
            compare(algorithm, &reference, &ours).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
}

/// On an undirected graph, `LCC(v) k (k - 1)` counts each triangle at `v` twice, so the expected
/// LCC outputs give every triangle count independently: `T = sum LCC(v) k (k - 1) / 6`.
#[test]
fn triangle_counts_agree_with_the_expected_lcc_outputs() {
    let mut checked = 0;
    for e in GRAPHALYTICS {
        let (g, _) = read_embedded(e, &ReadOptions::default(), &Silent).expect("graph");
        let path = data_dir().join(e.name).join(format!("{}-LCC", e.name));
        let Ok(expected) = std::fs::read_to_string(&path) else { continue };
        if g.is_directed() {
            continue;
        }
        let mut six_t = 0.0;
        for (id, value) in parse_output(&expected).expect("parses") {
            let v = g.ids().dense(id).expect("vertex");
            let mut nbrs = g.out_edges().neighbors(v).to_vec();
            nbrs.dedup();
            let k = nbrs.iter().filter(|&&u| u != v).count() as f64;
            six_t += value.parse::<f64>().expect("float") * k * (k - 1.0);
        }
        let triangles = reference::triangle_count(&g);
        assert!(
            (six_t / 6.0 - triangles as f64).abs() < 1e-6 * six_t.max(1.0),
            "{}: {six_t} / 6 vs {triangles}",
            e.name
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked} undirected graphs with LCC outputs");
}

#[test]
fn parameters_come_from_properties_and_are_checked() {
    let (g, _) = read_embedded(&GRAPHALYTICS[0], &ReadOptions::default(), &Silent).expect("graph");
    let p = Parameters::default();
    assert_eq!(p.iterations_for(&g, Algorithm::PageRank), Ok(2));
    assert_eq!(p.damping_for(&g), Ok(0.85));
    assert_eq!(g.ids().external(p.source_for(&g, Algorithm::Bfs).expect("source")), 1);
    let bad = Parameters { source: Some(99), iterations: Some(0), damping: Some(1.0) };
    assert!(bad.source_for(&g, Algorithm::Bfs).is_err());
    assert!(bad.iterations_for(&g, Algorithm::Cdlp).is_err());
    assert!(bad.damping_for(&g).is_err());
}
