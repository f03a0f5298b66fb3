//! Single-source shortest paths as a vertex program (frontier-based Bellman-Ford).

use crate::program::{Context, Direction, VertexProgram};

/// SSSP parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SsspConfig {
    /// The root (dense id).
    pub source: u32,
}

/// Shortest path distances over non-negative edge weights (1 per edge on unweighted graphs).
///
/// # Arguments
/// `config.source`: the root, a dense vertex id. Weights must be `>= 0` (the caller checks).
///
/// # Returns
/// Per vertex its distance, `f64::INFINITY` if unreachable.
///
/// # Complexity
/// O(E * supersteps) in the worst case; a vertex is active only when its distance improved.
///
/// # Example
/// ```
/// use dgraph_algorithms::programs::{Sssp, SsspConfig};
/// let sssp = Sssp::new(SsspConfig { source: 0 });
/// # let _ = sssp;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Sssp {
    config: SsspConfig,
}

impl Sssp {
    /// SSSP from `config.source`.
    pub fn new(config: SsspConfig) -> Self {
        Sssp { config }
    }
}

impl VertexProgram for Sssp {
    type Value = f64;
    type Message = f64;

    #[inline]
    fn direction(&self) -> Direction {
        Direction::Out
    }

    #[inline]
    fn init(&self, v: u32, _: &dyn Context) -> f64 {
        if v == self.config.source {
            0.0
        } else {
            f64::INFINITY
        }
    }

    #[inline]
    fn initially_active(&self, v: u32) -> bool {
        v == self.config.source
    }

    #[inline]
    fn message(&self, _: u32, distance: &f64, weight: f64, _: &dyn Context) -> Option<f64> {
        Some(distance + weight)
    }

    #[inline]
    fn combine(&self, a: f64, b: f64) -> f64 {
        a.min(b)
    }

    #[inline]
    fn apply(&self, _: u32, distance: &f64, message: Option<f64>, _: &dyn Context) -> (f64, bool) {
        match message {
            Some(m) if m < *distance => (m, true),
            _ => (*distance, false),
        }
    }
}
