//! Vertex-cut partitioning for dgraph: every edge goes to exactly one partition; a vertex has a
//! replica in every partition holding one of its edges, and one replica is its master.
//!
//! ```text
//! Graph (datasets) ──Strategy::assign──> PartitionMap { edge -> part, vertex -> master part }
//!                                             └──> Quality { replication factor, balance }
//! ```
//!
//! Strategies, one file each: stateless streaming (random, canonical random, 2D grid, DBH) and
//! stateful streaming (greedy, HDRF), all placed through one edge stream (`stream.rs`) that
//! keeps the edge balance bound; and in-memory Neighbourhood Expansion (`ne.rs`) for high
//! quality, and HEP (`hep.rs`: NE on low-degree vertices' edges, HDRF for edges between hubs).
//! [`store`] writes a partitioning to disk (one rkyv file per partition plus a manifest with
//! checksums) and loads it back, checked.
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
mod dbh;
mod greedy;
mod grid2d;
mod hdrf;
mod hep;
mod map;
mod ne;
mod quality;
mod random;
mod rows;
pub mod store;
mod stream;

pub use map::{partition, partition_with, PartitionError, PartitionMap, PartitionOptions, StrategyKind};
pub use quality::{quality, Quality};

/// A stateless streaming strategy: the partition of an edge is a function of its endpoints
/// (and of fixed per-vertex data such as degrees).
pub trait EdgeStrategy: Sync {
    /// The partition (`< parts`) of the edge `source -> target` (dense ids; an undirected edge
    /// is given as `(min, max)`).
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

/// Per-partition counts of two parallel tasks, added (rayon's `reduce` of per-task counts).
pub(crate) fn add_counts(mut a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
    a
}

/// Maps a hash to `0..parts` without modulo bias.
#[inline]
pub(crate) fn reduce(h: u64, parts: u32) -> u32 {
    ((u128::from(h) * u128::from(parts)) >> 64) as u32
}

#[cfg(test)]
mod tests {
    /// A seeded pseudo-random stream (an LCG's high bits) for the unit tests' graphs and choices.
    pub(crate) fn numbers(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x >> 33
        }
    }
}
