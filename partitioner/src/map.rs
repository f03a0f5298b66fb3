//! The partition map: the partition of every edge (in out-CSR order) and the master partition
//! of every vertex. Undirected graphs store each edge twice; both copies get one partition.

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::canonical::CanonicalRandom;
use crate::grid2d::Grid2d;
use crate::random::Random;
use crate::EdgeStrategy;

/// The strategies this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyKind {
    /// Hash of the directed edge.
    Random,
    /// Hash of the unordered pair.
    CanonicalRandom,
    /// GraphX's 2D grid.
    Grid2d,
}

impl StrategyKind {
    /// Every strategy with its name.
    pub const ALL: [(StrategyKind, &'static str); 3] =
        [(StrategyKind::Random, "random"), (StrategyKind::CanonicalRandom, "canonical"), (StrategyKind::Grid2d, "2d")];

    /// The strategy called `name`.
    pub fn from_name(name: &str) -> Option<StrategyKind> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }
}

/// A partitioning request that cannot be met.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartitionError {
    /// Zero partitions.
    #[error("the number of partitions must be at least 1")]
    ZeroParts,
    /// More partitions than edges (some would be empty).
    #[error("{parts} partitions for {edges} edges: at most one partition per edge")]
    TooManyParts {
        /// Partitions asked for.
        parts: u32,
        /// Edges in the graph.
        edges: u64,
    },
}

/// Which partition holds each edge, and which holds each vertex's master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionMap {
    /// Number of partitions.
    pub parts: u32,
    /// Partition of out-CSR entry `i` (`graph.out_edges().targets()[i]`).
    pub edge_part: Vec<u32>,
    /// Master partition of each vertex (a partition holding one of its edges; isolated vertices
    /// are spread round-robin).
    pub master: Vec<u32>,
}

/// Partitions `graph` into `parts` partitions with `strategy`.
pub fn partition(graph: &Graph, strategy: StrategyKind, parts: u32, seed: u64) -> Result<PartitionMap, PartitionError> {
    if parts == 0 {
        return Err(PartitionError::ZeroParts);
    }
    let edges = graph.edge_count();
    if u64::from(parts) > edges.max(1) {
        return Err(PartitionError::TooManyParts { parts, edges });
    }
    match strategy {
        StrategyKind::Random => Ok(assign(graph, &Random { seed }, parts)),
        StrategyKind::CanonicalRandom => Ok(assign(graph, &CanonicalRandom { seed }, parts)),
        StrategyKind::Grid2d => Ok(assign(graph, &Grid2d { seed }, parts)),
    }
}

fn assign(graph: &Graph, strategy: &impl EdgeStrategy, parts: u32) -> PartitionMap {
    let csr = graph.out_edges();
    let n = graph.vertex_count();
    let undirected = !graph.is_directed();
    let edge_part: Vec<u32> = (0..n as u32)
        .into_par_iter()
        .flat_map_iter(|u| {
            csr.neighbors(u).iter().map(move |&v| {
                // Both stored copies of an undirected edge are assigned as (min, max).
                let (a, b) = if undirected && v < u { (v, u) } else { (u, v) };
                strategy.assign(a, b, parts)
            })
        })
        .collect();
    let master = masters(graph, &edge_part, parts);
    PartitionMap { parts, edge_part, master }
}

/// Chooses masters: for each vertex, the partition holding most of its out-entries (ties: lowest
/// id); in-only vertices of directed graphs look at their in-entries' partitions; isolated
/// vertices go round-robin.
fn masters(graph: &Graph, edge_part: &[u32], parts: u32) -> Vec<u32> {
    let csr = graph.out_edges();
    let offsets = csr.offsets();
    let first_in: Vec<Option<u32>> = if graph.is_directed() {
        // For vertices without out-edges, the partition of one of their in-edges.
        let mut first = vec![None; graph.vertex_count()];
        for (&v, &p) in csr.targets().iter().zip(edge_part) {
            first[v as usize].get_or_insert(p);
        }
        first
    } else {
        Vec::new()
    };
    (0..graph.vertex_count())
        .into_par_iter()
        .map(|v| {
            let own = &edge_part[offsets[v] as usize..offsets[v + 1] as usize];
            if own.is_empty() {
                return first_in.get(v).copied().flatten().unwrap_or(v as u32 % parts);
            }
            let mut counts = vec![0u32; parts as usize];
            own.iter().for_each(|&p| counts[p as usize] += 1);
            let best = counts.iter().enumerate().max_by_key(|(p, c)| (**c, std::cmp::Reverse(*p)));
            best.map_or(0, |(p, _)| p as u32)
        })
        .collect()
}
