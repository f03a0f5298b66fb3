//! PageRank as a vertex program (Graphalytics PR: fixed iterations, sink mass redistributed).

use crate::program::{Context, Direction, VertexProgram};

/// PageRank parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankConfig {
    /// Damping factor d in `[0, 1)`.
    pub damping: f64,
    /// Iterations to run.
    pub iterations: u32,
    /// Stop early when the summed absolute change of an iteration falls below this.
    pub tolerance: Option<f64>,
}

impl PageRankConfig {
    /// d = 0.85.
    pub const DEFAULT_DAMPING: f64 = 0.85;
    /// 20 iterations.
    pub const DEFAULT_ITERATIONS: u32 = 20;
}

impl Default for PageRankConfig {
    fn default() -> Self {
        PageRankConfig { damping: Self::DEFAULT_DAMPING, iterations: Self::DEFAULT_ITERATIONS, tolerance: None }
    }
}

/// PageRank: `PR(v) = (1 - d)/n + d * (sum over in-neighbours u of PR(u)/out(u) + S/n)`, where
/// S is the rank held by sinks (vertices without out-edges), starting from `1/n`.
///
/// # Arguments
/// `config`: damping, iterations, optional tolerance.
///
/// # Returns
/// Per vertex its rank; ranks sum to 1.
///
/// # Complexity
/// O(iterations * (V + E)); every superstep pulls along in-edges.
///
/// # Example
/// ```
/// use dgraph_algorithms::programs::{PageRank, PageRankConfig};
/// let pr = PageRank::new(PageRankConfig { iterations: 10, ..Default::default() });
/// # let _ = pr;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PageRank {
    config: PageRankConfig,
}

impl PageRank {
    /// PageRank with `config`.
    pub fn new(config: PageRankConfig) -> Self {
        PageRank { config }
    }
}

impl VertexProgram for PageRank {
    type Value = f64;
    type Message = f64;

    #[inline]
    fn message_uses_weight(&self) -> bool {
        false
    }

    #[inline]
    fn direction(&self) -> Direction {
        Direction::Out
    }

    #[inline]
    fn init(&self, _: u32, ctx: &dyn Context) -> f64 {
        1.0 / ctx.vertex_count() as f64
    }

    #[inline]
    fn initially_active(&self, _: u32) -> bool {
        true
    }

    #[inline]
    fn all_active(&self) -> bool {
        true
    }

    #[inline]
    fn message(&self, source: u32, rank: &f64, _: f64, ctx: &dyn Context) -> Option<f64> {
        Some(rank / ctx.out_degree(source) as f64)
    }

    #[inline]
    fn combine(&self, a: f64, b: f64) -> f64 {
        a + b
    }

    #[inline]
    fn uses_aggregate(&self) -> bool {
        true
    }

    #[inline]
    fn aggregate(&self, v: u32, rank: &f64, ctx: &dyn Context) -> f64 {
        if ctx.out_degree(v) == 0 {
            *rank
        } else {
            0.0
        }
    }

    #[inline]
    fn apply(&self, _: u32, _: &f64, incoming: Option<f64>, ctx: &dyn Context) -> (f64, bool) {
        let n = ctx.vertex_count() as f64;
        let d = self.config.damping;
        ((1.0 - d) / n + d * (incoming.unwrap_or(0.0) + ctx.aggregate() / n), true)
    }

    #[inline]
    fn max_supersteps(&self) -> u32 {
        self.config.iterations
    }

    #[inline]
    fn tolerance(&self) -> Option<f64> {
        self.config.tolerance
    }

    #[inline]
    fn change(&self, old: &f64, new: &f64) -> f64 {
        (old - new).abs()
    }
}
