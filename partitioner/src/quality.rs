//! Partition quality: replication factor (replicas per vertex), edge balance (max / mean edges
//! per partition) and master balance.

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::map::holders;
use crate::rows::Canonical;
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

/// Measures `map` on `graph`: each vertex's partitions as a bit set, set from both ends of
/// every edge (`map::holders`); then the counts.
pub fn quality(graph: &Graph, map: &PartitionMap) -> Quality {
    let parts = map.parts as usize;
    let words = parts.div_ceil(64);
    let sets = holders(&Canonical::new(graph), graph, &map.edge_part, words, true);
    let edges = map
        .edge_part
        .par_chunks(1 << 16)
        .fold(
            || vec![0u64; parts],
            |mut edges, chunk| {
                chunk.iter().for_each(|&p| edges[p as usize] += 1);
                edges
            },
        )
        .reduce(|| vec![0u64; parts], crate::add_counts);
    let (replicas, covered) = sets
        .par_chunks(words)
        .fold(
            || (vec![0u64; parts], 0usize),
            |(mut replicas, mut covered), set| {
                covered += usize::from(set.iter().any(|&w| w != 0));
                for (w, &word) in set.iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        replicas[w * 64 + bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
                    }
                }
                (replicas, covered)
            },
        )
        .reduce(|| (vec![0u64; parts], 0), |(a, x), (b, y)| (crate::add_counts(a, b), x + y));
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
