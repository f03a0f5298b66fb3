//! Running the built-in algorithms by name: parameters are resolved (explicit, then the graph's
//! Graphalytics `.properties`, then defaults), checked, and the algorithm's program runs on an
//! [`Engine`]. Results come back per vertex, ready for Graphalytics output.

use std::time::Instant;

use rayon::prelude::*;

use dgraph_algorithms::programs::{
    Bfs, BfsConfig, Cdlp, CdlpConfig, DeltaStepping, DeltaSteppingConfig, PageRank, PageRankConfig, UNVISITED,
};
use dgraph_algorithms::real::Precision;
use dgraph_algorithms::{Algorithm, Output, ParameterError, Parameters};

use crate::engine::{self, Engine, SuperstepStats, TaskEvent};

/// Options beyond the Graphalytics parameters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RunOptions {
    /// SSSP on an unweighted graph counts each edge as 1 (otherwise it is an error).
    pub unit_weights: bool,
    /// PageRank stops early when an iteration changes the ranks by less than this in total.
    pub tolerance: Option<f64>,
    /// SSSP's delta-stepping bucket width (`None`: chosen from the graph).
    pub delta: Option<f64>,
    /// PageRank's and SSSP's floating-point precision (other algorithms accept only the
    /// default).
    pub precision: Precision,
}

/// Why an algorithm could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A parameter is missing or invalid.
    #[error(transparent)]
    Parameter(#[from] ParameterError),
    /// SSSP needs non-negative weights.
    #[error("SSSP needs non-negative weights; edge {from} -> {target} has weight {weight}")]
    NegativeWeight {
        /// Source (external id).
        from: u64,
        /// Target (external id).
        target: u64,
        /// The weight.
        weight: f64,
    },
    /// SSSP on a graph without weights.
    #[error("SSSP needs edge weights and this graph has none; pass --unit-weights to count every edge as 1")]
    Unweighted,
    /// A precision the algorithm does not offer.
    #[error("--precision single applies to pagerank and sssp only, not {algorithm}")]
    Precision {
        /// The algorithm's name.
        algorithm: &'static str,
    },
}

/// The result of one algorithm run.
#[derive(Debug, Clone)]
pub struct AlgorithmRun {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Per-vertex results.
    pub output: Output,
    /// Supersteps (empty for whole-neighbourhood kernels such as LCC).
    pub supersteps: Vec<SuperstepStats>,
    /// Task events.
    pub events: Vec<TaskEvent>,
    /// Wall time of the algorithm (excluding load and partitioning).
    pub seconds: f64,
}

/// Runs `algorithm` on `engine`'s graph.
pub fn run(
    engine: &Engine<'_>,
    algorithm: Algorithm,
    parameters: &Parameters,
    options: &RunOptions,
) -> Result<AlgorithmRun, RunError> {
    let g = engine.graph();
    if options.precision != Precision::Double && !matches!(algorithm, Algorithm::PageRank | Algorithm::Sssp) {
        return Err(RunError::Precision { algorithm: algorithm.name() });
    }
    let start = Instant::now();
    let (output, supersteps, events) = match algorithm {
        Algorithm::Bfs => {
            let source = parameters.source_for(g, algorithm)?;
            let r = engine.run(&Bfs::new(BfsConfig { source }));
            let depths = engine.install(|| {
                r.values.par_iter().with_min_len(1 << 12).map(|&d| (d != UNVISITED).then_some(d)).collect()
            });
            (Output::Depths(depths), r.supersteps, r.events)
        }
        Algorithm::PageRank => {
            let config = PageRankConfig {
                damping: parameters.damping_for(g)?,
                iterations: parameters.iterations_for(g, algorithm)?,
                tolerance: options.tolerance,
            };
            match options.precision {
                Precision::Double => {
                    let r = engine.run(&PageRank::new(config));
                    (Output::Values(r.values), r.supersteps, r.events)
                }
                Precision::Single => {
                    let r = engine.run(&PageRank::single(config));
                    (Output::Values32(r.values), r.supersteps, r.events)
                }
            }
        }
        Algorithm::Wcc => {
            let r = engine.components();
            let labels = engine.install(|| r.values.par_iter().map(|&l| g.ids().external(l)).collect());
            (Output::Labels(labels), r.supersteps, r.events)
        }
        Algorithm::Cdlp => {
            let r = engine.run(&Cdlp::new(CdlpConfig { iterations: parameters.iterations_for(g, algorithm)? }));
            let labels = engine.install(|| r.values.par_iter().map(|&l| g.ids().external(l)).collect());
            (Output::Labels(labels), r.supersteps, r.events)
        }
        Algorithm::Lcc => (Output::Values(engine.install(|| engine::lcc(g))), Vec::new(), Vec::new()),
        Algorithm::TriangleCount => {
            (Output::Count(engine.install(|| engine::triangle_count(g))), Vec::new(), Vec::new())
        }
        Algorithm::Sssp => {
            let source = parameters.source_for(g, algorithm)?;
            engine.install(|| check_weights(g, options))?;
            let config = DeltaSteppingConfig { source, delta: options.delta };
            match options.precision {
                Precision::Double => {
                    let r = engine.run_partitioned(&DeltaStepping::for_graph(config, g));
                    (Output::Values(r.values), r.supersteps, r.events)
                }
                Precision::Single => {
                    let r = engine.run_partitioned(&DeltaStepping::single(config, g));
                    (Output::Values32(r.values), r.supersteps, r.events)
                }
            }
        }
    };
    Ok(AlgorithmRun { algorithm, output, supersteps, events, seconds: start.elapsed().as_secs_f64() })
}

/// SSSP's preconditions: weights (or `--unit-weights`), none negative; read from the graph's
/// weight summary, computed once per graph.
fn check_weights(g: &dgraph_datasets::Graph, options: &RunOptions) -> Result<(), RunError> {
    let csr = g.out_edges();
    let (Some(weights), Some(summary)) = (csr.weights(), g.weight_summary()) else {
        return if options.unit_weights { Ok(()) } else { Err(RunError::Unweighted) };
    };
    let Some(i) = summary.first_negative.map(|i| i as usize) else { return Ok(()) };
    let source = csr.offsets().partition_point(|&o| o <= i as u64) - 1;
    Err(RunError::NegativeWeight {
        from: g.ids().external(source as u32),
        target: g.ids().external(csr.targets()[i]),
        weight: weights[i],
    })
}
