//! Properties of every strategy on seeded random graphs: each edge lands in exactly one
//! partition (one value per edge, not per stored copy), replica sets are exactly the
//! vertices incident to each partition's edges, masters hold a replica and are balanced, the
//! edge balance bound holds, and the result is deterministic whatever the thread count.

use dgraph_datasets::{BuildOptions, EdgeList, Graph};
use dgraph_partitioner::{partition_with, quality, PartitionMap, PartitionOptions, StrategyKind};
use proptest::prelude::*;

fn graphs() -> impl Strategy<Value = Graph> {
    (2u64..80, prop::collection::vec((0u64..80, 0u64..80), 1..400), any::<bool>()).prop_map(
        |(spread, edges, directed)| {
            let list = EdgeList {
                edges: edges.iter().map(|&(u, v)| (u % spread, v % spread)).collect(),
                weights: None,
                extra_vertices: vec![],
                directed,
            };
            let options = BuildOptions { drop_duplicates: false, drop_self_loops: false, symmetrize: false };
            Graph::from_edge_list("random", &list, options).expect("builds").0
        },
    )
}

/// Replica sets computed directly from the edges: `sets[p]` sorted distinct vertices.
fn replica_sets(g: &Graph, map: &PartitionMap) -> Vec<Vec<u32>> {
    let mut sets = vec![Vec::new(); map.parts as usize];
    map.for_each_edge(g, |u, v, _, p| {
        sets[p as usize].push(u);
        sets[p as usize].push(v);
    });
    for s in &mut sets {
        s.sort_unstable();
        s.dedup();
    }
    sets
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_strategy_keeps_its_promises(
        g in graphs(),
        parts in 1u32..20,
        seed in 0u64..4,
        // HEP's hub threshold: most vertices hubs, some, none.
        hep_tau in prop::sample::select(vec![0.3, 1.5, 20.0]),
    ) {
        let parts = parts.min(g.edge_count().max(1) as u32);
        prop_assume!(g.edge_count() > 0);
        let options = PartitionOptions { seed, hep_tau, ..PartitionOptions::default() };
        let csr = g.out_edges();
        for (strategy, name) in StrategyKind::ALL {
            let map = pool(1).install(|| partition_with(&g, strategy, parts, &options)).expect("partitions");
            // Deterministic whatever the thread count.
            let again = pool(3).install(|| partition_with(&g, strategy, parts, &options)).expect("partitions");
            prop_assert_eq!(&map, &again, "{} not deterministic", name);
            // Each edge in exactly one valid partition: one value per edge, visited once each
            // with its own entry (an undirected edge by its copy `u -> v`, `u <= v`).
            prop_assert_eq!(map.edge_part.len() as u64, g.edge_count());
            prop_assert!(map.edge_part.iter().all(|&p| p < parts));
            let mut visited = Vec::new();
            map.for_each_edge(&g, |u, v, i, p| visited.push((u, v, i, p)));
            let mut entries = Vec::new();
            for u in 0..g.vertex_count() as u32 {
                let start = csr.offsets()[u as usize] as usize;
                for (k, &v) in csr.neighbors(u).iter().enumerate() {
                    if g.is_directed() || u <= v {
                        entries.push((u, v, start + k));
                    }
                }
            }
            prop_assert_eq!(visited.iter().map(|&(u, v, i, _)| (u, v, i)).collect::<Vec<_>>(), entries);
            prop_assert!(visited.iter().zip(&map.edge_part).all(|(&(_, _, _, p), &q)| p == q));
            // Replicas: exactly the vertices incident to each partition's edges.
            let sets = replica_sets(&g, &map);
            let q = quality(&g, &map);
            prop_assert_eq!(&q.replicas, &sets.iter().map(|s| s.len() as u64).collect::<Vec<_>>(), "{}", name);
            // Masters hold a replica (vertices with edges) and are spread.
            for v in 0..g.vertex_count() as u32 {
                let has_edges = csr.degree(v) > 0 || (g.is_directed() && g.in_edges().degree(v) > 0);
                if has_edges {
                    prop_assert!(sets[map.master[v as usize] as usize].binary_search(&v).is_ok(), "{}: master of {}", name, v);
                }
            }
            // Edge balance: at most 1.05 x the mean, or one ceil(E / P) partition.
            let max = q.edges.iter().copied().max().unwrap_or(0);
            let bound = ((g.edge_count() as f64 / f64::from(parts)) * 1.05).floor() as u64;
            prop_assert!(max <= bound.max(g.edge_count().div_ceil(u64::from(parts))), "{}: {:?}", name, q.edges);
            prop_assert_eq!(q.edges.iter().sum::<u64>(), g.edge_count());
        }
    }
}

#[test]
fn stateful_strategies_beat_hashing_on_a_power_law_graph() {
    use dgraph_datasets::{generators::Generator, progress::Silent};
    let (g, _) = Generator::Kron { scale: 12 }.generate(1, false, &Silent).expect("kron");
    let rf = |s| quality(&g, &partition_with(&g, s, 16, &PartitionOptions::default()).expect("map")).replication_factor;
    let (random, dbh, greedy, hdrf) =
        (rf(StrategyKind::Random), rf(StrategyKind::Dbh), rf(StrategyKind::Greedy), rf(StrategyKind::Hdrf));
    assert!(
        dbh < random && greedy < random && hdrf < random,
        "random {random}, dbh {dbh}, greedy {greedy}, hdrf {hdrf}"
    );
    let (ne, hep) = (rf(StrategyKind::Ne), rf(StrategyKind::Hep));
    assert!(ne < hdrf && hep < hdrf, "hdrf {hdrf}, ne {ne}, hep {hep}");
}

#[test]
fn hep_without_hubs_is_ne() {
    use dgraph_datasets::{generators::Generator, progress::Silent};
    for directed in [false, true] {
        let (g, _) = Generator::Kron { scale: 10 }.generate(3, false, &Silent).expect("kron");
        let g = if directed { g.to_directed() } else { g };
        let no_hubs = PartitionOptions { hep_tau: 1e12, ..PartitionOptions::default() };
        let ne = partition_with(&g, StrategyKind::Ne, 8, &no_hubs).expect("ne");
        let hep = partition_with(&g, StrategyKind::Hep, 8, &no_hubs).expect("hep");
        assert_eq!(ne, hep, "directed {directed}");
        let hubs =
            partition_with(&g, StrategyKind::Hep, 8, &PartitionOptions { hep_tau: 2.0, ..no_hubs }).expect("hep");
        assert_ne!(ne, hubs, "τ = 2 should stream some hub-to-hub edges");
    }
}

#[test]
fn bad_options_are_errors() {
    let list = EdgeList { edges: vec![(0, 1), (1, 2)], weights: None, extra_vertices: vec![], directed: true };
    let (g, _) = Graph::from_edge_list("tiny", &list, BuildOptions::default()).expect("builds");
    let bad = PartitionOptions { balance: 0.5, ..PartitionOptions::default() };
    assert!(partition_with(&g, StrategyKind::Hdrf, 2, &bad).expect_err("balance").to_string().contains(">= 1"));
    assert!(partition_with(&g, StrategyKind::Greedy, 3, &PartitionOptions::default()).is_err());
    assert!(partition_with(&g, StrategyKind::Dbh, 0, &PartitionOptions::default()).is_err());
    for tau in [0.0, -1.0, f64::NAN] {
        let bad = PartitionOptions { hep_tau: tau, ..PartitionOptions::default() };
        assert!(partition_with(&g, StrategyKind::Hep, 2, &bad).expect_err("tau").to_string().contains("tau"));
    }
    let empty = EdgeList { edges: vec![], weights: None, extra_vertices: vec![1, 2], directed: true };
    let (g, _) = Graph::from_edge_list("empty", &empty, BuildOptions::default()).expect("builds");
    assert!(partition_with(&g, StrategyKind::Random, 2, &PartitionOptions::default()).is_err());
}

#[test]
fn ne_and_hep_past_255_parts_place_every_edge() {
    // Past 255 parts the expansion keeps partitions in 16 bits, not 8.
    use dgraph_datasets::{generators::Generator, progress::Silent};
    let (g, _) = Generator::Kron { scale: 11 }.generate(1, false, &Silent).expect("kron");
    for strategy in [StrategyKind::Ne, StrategyKind::Hep] {
        for parts in [255, 256, 300] {
            let map = partition_with(&g, strategy, parts, &PartitionOptions::default()).expect("partitions");
            assert_eq!(map.edge_part.len() as u64, g.edge_count());
            assert!(map.edge_part.iter().all(|&p| p < parts), "{strategy:?} {parts}");
            let q = quality(&g, &map);
            assert_eq!(q.edges.iter().sum::<u64>(), g.edge_count());
            assert!(q.edges.iter().all(|&e| e > 0), "{strategy:?} {parts}: an empty partition");
            let bound = ((g.edge_count() as f64 / f64::from(parts)) * 1.05).floor() as u64;
            let max = q.edges.iter().copied().max().unwrap_or(0);
            assert!(max <= bound.max(g.edge_count().div_ceil(u64::from(parts))), "{strategy:?} {parts}: {max}");
            let sets = replica_sets(&g, &map);
            for v in 0..g.vertex_count() as u32 {
                if g.total_degree(v) > 0 {
                    assert!(sets[map.master[v as usize] as usize].binary_search(&v).is_ok());
                }
            }
        }
    }
}
