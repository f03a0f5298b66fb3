//! Property tests: the parallel reader and builder against a plain sequential reference on
//! random edge lists, for several thread counts and every build option; and format round trips.

use std::collections::BTreeMap;
use std::path::Path;

use dgraph::datasets::formats::{self, edge_list};
use dgraph::datasets::progress::Silent;
use dgraph::{BuildOptions, EdgeList, Graph, ReadOptions};
use proptest::prelude::*;

/// The reference: adjacency as sorted (external target, weight) lists per external source.
type Adjacency = BTreeMap<u64, Vec<(u64, u64)>>;

fn reference(edges: &[(u64, u64, u64)], directed: bool, options: BuildOptions) -> Adjacency {
    let symmetric = !directed || options.symmetrize;
    let mut adj: Adjacency = BTreeMap::new();
    for &(u, v, w) in edges {
        adj.entry(u).or_default();
        adj.entry(v).or_default();
        if options.drop_self_loops && u == v {
            continue;
        }
        adj.entry(u).or_default().push((v, w));
        if symmetric && u != v {
            adj.entry(v).or_default().push((u, w));
        }
    }
    for list in adj.values_mut() {
        list.sort_unstable();
        if options.drop_duplicates {
            list.dedup_by_key(|e| e.0);
        }
    }
    adj
}

fn adjacency(g: &Graph) -> Adjacency {
    let csr = g.out_edges();
    (0..g.vertex_count() as u32)
        .map(|v| {
            let ws = csr.neighbor_weights(v).expect("weighted");
            let list = csr.neighbors(v).iter().zip(ws).map(|(&t, &w)| (g.ids().external(t), w as u64)).collect();
            (g.ids().external(v), list)
        })
        .collect()
}

fn edge_lists() -> impl Strategy<Value = Vec<(u64, u64, u64)>> {
    // Small id ranges make duplicates and self-loops common; a sparse range exercises the
    // general id map; huge ids exercise the 64-bit path.
    let ids = prop_oneof![0u64..20, 0u64..5000, (u64::MAX - 50)..u64::MAX];
    prop::collection::vec(ids.prop_flat_map(|a| (Just(a), 0u64..20, 1u64..4)), 1..300)
        .prop_map(|v| v.into_iter().map(|(a, b, w)| (a, if a > 1000 { a.wrapping_sub(b) } else { b }, w)).collect())
}

fn options() -> impl Strategy<Value = (bool, BuildOptions)> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(directed, symmetrize, drop_duplicates, drop_self_loops)| {
            (directed, BuildOptions { symmetrize, drop_duplicates, drop_self_loops })
        },
    )
}

fn text(edges: &[(u64, u64, u64)]) -> String {
    edges.iter().map(|(u, v, w)| format!("{u}\t{v} {w}\n")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reader_and_builder_match_the_reference(edges in edge_lists(), (directed, options) in options()) {
        let expected = reference(&edges, directed, options);
        let read = ReadOptions { undirected: !directed, build: options, ..ReadOptions::default() };
        let mut checksums = Vec::new();
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            let (g, report) = pool
                .install(|| edge_list::read_from(Path::new("p.el"), text(&edges).as_bytes(), &read, true, &Silent))
                .expect("reads");
            prop_assert_eq!(g.check(), Ok(()));
            prop_assert_eq!(&adjacency(&g), &expected);
            prop_assert_eq!(report.input_edges, edges.len() as u64);
            if !g.is_directed() {
                // In-edges of an undirected graph are its edges.
                prop_assert_eq!(g.in_edges().targets(), g.out_edges().targets());
            } else {
                let mut reversed = 0;
                for v in 0..g.vertex_count() as u32 {
                    for &u in g.in_edges().neighbors(v) {
                        prop_assert!(g.out_edges().neighbors(u).contains(&v));
                        reversed += 1;
                    }
                }
                prop_assert_eq!(reversed, g.edge_count());
            }
            checksums.push(g.checksum());
        }
        prop_assert!(checksums.windows(2).all(|w| w[0] == w[1]), "thread count changed the graph");
    }

    #[test]
    fn from_edge_list_agrees_with_the_reader(edges in edge_lists(), (directed, options) in options()) {
        let list = EdgeList {
            edges: edges.iter().map(|&(u, v, _)| (u, v)).collect(),
            weights: Some(edges.iter().map(|&(_, _, w)| w as f64).collect()),
            directed,
            ..EdgeList::default()
        };
        let (a, _) = Graph::from_edge_list("p", &list, options).expect("builds");
        let read = ReadOptions { undirected: !directed, build: options, ..ReadOptions::default() };
        let (b, _) = edge_list::read_from(Path::new("p"), text(&edges).as_bytes(), &read, false, &Silent).expect("reads");
        prop_assert_eq!(a.checksum(), b.checksum());
    }

    #[test]
    fn every_writable_format_round_trips(edges in edge_lists(), directed in any::<bool>()) {
        let list = EdgeList {
            edges: edges.iter().map(|&(u, v, _)| (u, v)).collect(),
            weights: Some(edges.iter().map(|&(_, _, w)| w as f64 / 3.0).collect()),
            directed,
            ..EdgeList::default()
        };
        let (g, _) = Graph::from_edge_list("p", &list, BuildOptions::default()).expect("builds");
        let dir = tempfile::tempdir().expect("dir");
        for ext in ["el", "wel", "properties", "dgraph", "mtx"] {
            let path = dir.path().join(format!("p.{ext}"));
            formats::write(&g, &path, None, &Silent).expect("writes");
            let read = ReadOptions { undirected: !directed, ..ReadOptions::default() };
            let back = formats::read(&path, &read, &Silent).expect("reads").graph;
            if ext == "mtx" {
                // Matrix Market renumbers vertices 1..=n; the structure and weights survive.
                prop_assert_eq!(back.out_edges(), g.out_edges());
            } else {
                prop_assert_eq!(back.checksum(), g.checksum(), "via .{}", ext);
            }
        }
    }
}
