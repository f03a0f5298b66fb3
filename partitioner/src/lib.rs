//! Vertex-cut partitioning for dgraph: every edge goes to exactly one partition; a vertex has a
//! replica in every partition holding one of its edges, and one replica is its master.
//!
//! ```text
//! Graph (datasets) ──Strategy::assign──> PartitionMap { edge -> part, vertex -> master part }
//!                                             └──> Quality { replication factor, balance }
//! ```
//!
//! This crate holds the partition map, the quality metrics, and the stateless streaming
//! strategies (random, canonical random, 2D grid). The stateful and high-quality strategies
//! (DBH, greedy, HDRF, NE/HEP) come with the partitioner issue.
//!
//! ```
//! use dgraph_datasets::{catalog, progress::Silent};
//! use dgraph_partitioner::{partition, quality, StrategyKind};
//! let g = catalog::load("example-undirected", &catalog::LoadOptions::default(), &Silent)?;
//! let map = partition(&g, StrategyKind::Grid2d, 4, 1)?;
//! let q = quality(&g, &map);
//! assert!(q.replication_factor >= 1.0 && q.replication_factor <= 4.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod grid2d;
mod map;
mod quality;
mod random;

pub use map::{partition, PartitionError, PartitionMap, StrategyKind};
pub use quality::{quality, Quality};

/// A stateless streaming strategy: the partition of an edge is a function of its endpoints.
pub trait EdgeStrategy: Sync {
    /// The partition (`< parts`) of the edge `source -> target` (dense ids).
    fn assign(&self, source: u32, target: u32, parts: u32) -> u32;
}

/// A strong 64-bit mix of `x` and the seed (SplitMix64's finaliser).
#[inline]
pub(crate) fn hash(x: u64, seed: u64) -> u64 {
    let mut z = x ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Maps a hash to `0..parts` without modulo bias.
#[inline]
pub(crate) fn reduce(h: u64, parts: u32) -> u32 {
    ((u128::from(h) * u128::from(parts)) >> 64) as u32
}
