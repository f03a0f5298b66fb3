//! The partition-program model: for algorithms that are fastest when they see a whole partition
//! at once (union-find components, delta-stepping shortest paths). A partition program computes
//! on one partition's edges with any sequential or parallel algorithm it likes, and the engine
//! exchanges boundary state between partitions:
//!
//! 1. every vertex starts with [`PartitionProgram::init`];
//! 2. each round, every partition gets the current values of its vertices (its replicas, in
//!    local numbering) and the list of those whose value changed since it last ran, and
//!    [`PartitionProgram::compute`] improves them using the partition's edges only;
//! 3. **exchange**: the replicas' values of a vertex are merged at its master with
//!    [`PartitionProgram::merge`] (commutative, associative and idempotent, such as `min`);
//!    vertices whose merged value changed are active in the next round;
//! 4. the run stops when a round changes nothing. With one partition, one round is final.
//!
//! The program never sees threads, processes or machines, so the same program runs on rayon
//! threads today and on QUIC workers later.

/// One partition's edges in local numbering (local ids `0..vertex_count`).
#[derive(Debug, Clone, Copy)]
pub struct LocalGraph<'a> {
    /// Row offsets: the edges of local vertex `u` are `targets[offsets[u]..offsets[u + 1]]`.
    pub offsets: &'a [u64],
    /// Edge targets (local ids), sorted within each row.
    pub targets: &'a [u32],
    /// Edge weights, parallel to `targets`, when the graph has weights.
    pub weights: Option<&'a [f64]>,
    /// In-edges `(offsets, sources)` in local ids, when the partition keeps them apart from the
    /// out-edges (a directed graph held whole). `None` when only out-edges are present.
    pub incoming: Option<(&'a [u64], &'a [u32])>,
    /// Whether every edge `u -> v` of the partition also appears as `v -> u` in `targets`.
    pub symmetric: bool,
}

impl<'a> LocalGraph<'a> {
    /// Number of local vertices.
    #[inline]
    pub fn vertex_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of edges.
    #[inline]
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The out-neighbours of local vertex `u`.
    #[inline]
    pub fn neighbors(&self, u: u32) -> &'a [u32] {
        &self.targets[self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize]
    }

    /// The weights of `u`'s out-edges, when the graph has weights.
    #[inline]
    pub fn neighbor_weights(&self, u: u32) -> Option<&'a [f64]> {
        self.weights.map(|w| &w[self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize])
    }

    /// The in-neighbours of `u`, when [`LocalGraph::incoming`] is present.
    #[inline]
    pub fn in_neighbors(&self, u: u32) -> Option<&'a [u32]> {
        self.incoming.map(|(o, s)| &s[o[u as usize] as usize..o[u as usize + 1] as usize])
    }
}

/// A partition program (see the module documentation).
pub trait PartitionProgram: Sync {
    /// Per-vertex state, exchanged between partitions.
    type Value: Copy + Send + Sync + PartialEq + std::fmt::Debug;

    /// The value of (global) vertex `v` before the first round.
    fn init(&self, v: u32) -> Self::Value;

    /// Whether `v` is active in the first round.
    fn initially_active(&self, v: u32) -> bool;

    /// The better of two values of one vertex; commutative, associative and idempotent.
    fn merge(&self, a: Self::Value, b: Self::Value) -> Self::Value;

    /// Improves `values` (one per local vertex) using `graph`'s edges until they are a fixed
    /// point of this partition: running `compute` again on the result would change nothing.
    /// `active` lists the local vertices whose value changed since the partition last ran (in
    /// the first round: those [`PartitionProgram::initially_active`]). Values may only move in
    /// the direction of [`PartitionProgram::merge`].
    fn compute(&self, graph: &LocalGraph<'_>, values: &mut [Self::Value], active: &[u32]);
}
