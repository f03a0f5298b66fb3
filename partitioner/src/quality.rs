//! Partition quality: replication factor (replicas per vertex), edge balance (max / mean edges
//! per partition) and master balance.

use dgraph_datasets::Graph;

use crate::PartitionMap;

/// How good a partitioning is.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Average number of partitions holding each non-isolated vertex (1.0 is perfect).
    pub replication_factor: f64,
    /// Largest partition's edges over the mean (1.0 is perfect).
    pub edge_balance: f64,
    /// Largest partition's masters over the mean.
    pub master_balance: f64,
    /// Edges per partition (an undirected edge counts once).
    pub edges: Vec<u64>,
    /// Replicas (distinct vertices) per partition.
    pub replicas: Vec<u64>,
}

/// Measures `map` on `graph`.
pub fn quality(graph: &Graph, map: &PartitionMap) -> Quality {
    let parts = map.parts as usize;
    let csr = graph.out_edges();
    let n = graph.vertex_count();
    let undirected = !graph.is_directed();
    let mut edges = vec![0u64; parts];
    let mut present = vec![false; parts * n];
    let offsets = csr.offsets();
    for u in 0..n {
        for i in offsets[u] as usize..offsets[u + 1] as usize {
            let v = csr.targets()[i] as usize;
            let p = map.edge_part[i] as usize;
            if !undirected || v >= u {
                edges[p] += 1;
            }
            present[p * n + u] = true;
            present[p * n + v] = true;
        }
    }
    let replicas: Vec<u64> =
        (0..parts).map(|p| present[p * n..(p + 1) * n].iter().filter(|&&x| x).count() as u64).collect();
    let covered = (0..n).filter(|&v| (0..parts).any(|p| present[p * n + v])).count();
    let mut masters = vec![0u64; parts];
    map.master.iter().for_each(|&p| masters[p as usize] += 1);
    let balance = |xs: &[u64]| {
        let total: u64 = xs.iter().sum();
        let max = xs.iter().copied().max().unwrap_or(0);
        if total == 0 {
            1.0
        } else {
            max as f64 * xs.len() as f64 / total as f64
        }
    };
    Quality {
        replication_factor: if covered == 0 { 1.0 } else { replicas.iter().sum::<u64>() as f64 / covered as f64 },
        edge_balance: balance(&edges),
        master_balance: balance(&masters),
        edges,
        replicas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{partition, StrategyKind};
    use dgraph_datasets::{generators::Generator, progress::Silent};

    #[test]
    fn one_partition_is_perfect_and_grid_beats_random() {
        let (g, _) = Generator::Kron { scale: 12 }.generate(1, false, &Silent).expect("kron");
        let q = quality(&g, &partition(&g, StrategyKind::Random, 1, 0).expect("map"));
        assert_eq!((q.replication_factor, q.edge_balance), (1.0, 1.0));
        let random = quality(&g, &partition(&g, StrategyKind::CanonicalRandom, 16, 0).expect("map"));
        let grid = quality(&g, &partition(&g, StrategyKind::Grid2d, 16, 0).expect("map"));
        assert!(grid.replication_factor < random.replication_factor, "{grid:?} vs {random:?}");
        assert!(grid.replication_factor <= 7.0, "2D bound 2*sqrt(16)-1 = 7: {}", grid.replication_factor);
        assert_eq!(random.edges.iter().sum::<u64>(), g.edge_count());
    }

    #[test]
    fn bad_requests_are_errors() {
        let (g, _) = Generator::Grid { rows: 2, cols: 2 }.generate(1, false, &Silent).expect("grid");
        assert!(partition(&g, StrategyKind::Random, 0, 0).is_err());
        assert!(partition(&g, StrategyKind::Random, 5, 0).is_err());
        assert!(partition(&g, StrategyKind::Random, 4, 0).is_ok());
    }
}
