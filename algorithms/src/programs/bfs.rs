//! Breadth-first search depth as a vertex program (Graphalytics BFS).

use crate::program::{Context, Direction, VertexProgram};

/// Depth of a vertex not reached (yet).
pub const UNVISITED: u32 = u32::MAX;

/// BFS parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BfsConfig {
    /// The root (dense id).
    pub source: u32,
}

/// BFS depths along out-edges from [`BfsConfig::source`].
///
/// # Arguments
/// `config.source`: the root, a dense vertex id.
///
/// # Returns
/// Per vertex its depth, or [`UNVISITED`].
///
/// # Complexity
/// O(V + E) work; one superstep per level. Pulling (dense frontiers) stops reading a vertex's
/// in-edges at its first parent, as direction-optimizing BFS does.
///
/// # Example
/// ```
/// use dgraph_algorithms::programs::{Bfs, BfsConfig};
/// let bfs = Bfs::new(BfsConfig { source: 0 });
/// # let _ = bfs;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bfs {
    config: BfsConfig,
}

impl Bfs {
    /// A BFS from `config.source`.
    pub fn new(config: BfsConfig) -> Self {
        Bfs { config }
    }
}

impl VertexProgram for Bfs {
    type Value = u32;
    type Message = u32;

    #[inline]
    fn message_uses_weight(&self) -> bool {
        false
    }

    #[inline]
    fn direction(&self) -> Direction {
        Direction::Out
    }

    #[inline]
    fn init(&self, v: u32, _: &dyn Context) -> u32 {
        if v == self.config.source {
            0
        } else {
            UNVISITED
        }
    }

    #[inline]
    fn initially_active(&self, v: u32) -> bool {
        v == self.config.source
    }

    /// The vertices active in superstep `s` are exactly those first reached in the one
    /// before, at depth `s`, so the message is `s + 1` without reading the sender's depth (in a
    /// bottom-up step that read is a cache miss per vertex found).
    #[inline]
    fn message(&self, _: u32, _: &u32, _: f64, ctx: &dyn Context) -> Option<u32> {
        Some(ctx.superstep() + 1)
    }

    #[inline]
    fn uniform_message(&self, ctx: &dyn Context) -> Option<u32> {
        Some(ctx.superstep() + 1)
    }

    #[inline]
    fn combine(&self, a: u32, b: u32) -> u32 {
        a.min(b)
    }

    #[inline]
    fn apply(&self, _: u32, depth: &u32, message: Option<u32>, _: &dyn Context) -> (u32, bool) {
        match message {
            Some(m) if m < *depth => (m, true),
            _ => (*depth, false),
        }
    }

    #[inline]
    fn wants_messages(&self, _: u32, depth: &u32) -> bool {
        *depth == UNVISITED
    }

    #[inline]
    fn first_message_suffices(&self) -> bool {
        true
    }
}
