//! The engine: compiles a vertex program into per-partition tasks and runs them on rayon
//! threads (a scheduler for QUIC workers and OpenCL devices will plug in beside it).
//!
//! ```text
//! Graph ──partitioner──> PartitionMap ──layout──> Layout (Whole | Split { partitions, replicas })
//! VertexProgram ──superstep──> [pull | push tasks per partition] -> exchange -> apply -> frontier
//!                                  └──> TaskEvent (trace)
//! ```
//!
//! With one partition the engine reads the graph's own CSRs and skips the exchange.

mod context;
mod kernels;
mod layout;
mod partitioned;
mod superstep;
mod trace;

use std::time::Instant;

use dgraph_algorithms::partition_program::PartitionProgram;
use dgraph_algorithms::program::VertexProgram;
use dgraph_algorithms::programs::{Components, ComponentsConfig};
use dgraph_datasets::Graph;
use dgraph_partitioner::{partition, PartitionError, StrategyKind};

pub use kernels::{lcc, triangle_count};
pub use superstep::{Mode, Run, SuperstepStats};
pub use trace::{write_chrome_trace, TaskEvent};

use layout::Layout;

/// How to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineConfig {
    /// Worker threads; `None` uses rayon's global pool (all cores).
    pub threads: Option<usize>,
    /// Partitions (1: the whole graph, no exchange).
    pub partitions: u32,
    /// How edges are assigned to partitions.
    pub strategy: StrategyKind,
    /// Seed of the partitioner's hashes.
    pub seed: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig { threads: None, partitions: 1, strategy: StrategyKind::Grid2d, seed: 1 }
    }
}

/// Why an engine could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The partitioning request is invalid.
    #[error(transparent)]
    Partition(#[from] PartitionError),
    /// Zero threads, or the pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// A graph laid out for running programs.
pub struct Engine<'g> {
    graph: &'g Graph,
    layout: Layout<'g>,
    pool: Option<rayon::ThreadPool>,
    /// Seconds spent partitioning and laying out.
    pub setup_seconds: f64,
}

impl<'g> Engine<'g> {
    /// Partitions `graph` as `config` says.
    pub fn new(graph: &'g Graph, config: EngineConfig) -> Result<Engine<'g>, EngineError> {
        let pool = match config.threads {
            None => None,
            Some(0) => return Err(EngineError::Threads(0)),
            Some(t) => {
                Some(rayon::ThreadPoolBuilder::new().num_threads(t).build().map_err(|_| EngineError::Threads(t))?)
            }
        };
        let start = Instant::now();
        let build = || -> Result<Layout<'g>, EngineError> {
            if config.partitions == 1 {
                // Still validate like any partitioning (an empty graph has no edges to split).
                return Ok(Layout::whole(graph));
            }
            let map = partition(graph, config.strategy, config.partitions, config.seed)?;
            Ok(Layout::split(graph, &map))
        };
        if config.partitions == 0 {
            return Err(PartitionError::ZeroParts.into());
        }
        let layout = match &pool {
            Some(p) => p.install(build)?,
            None => build()?,
        };
        Ok(Engine { graph, layout, pool, setup_seconds: start.elapsed().as_secs_f64() })
    }

    /// Runs `program` to completion.
    pub fn run<P: VertexProgram>(&self, program: &P) -> Run<P::Value> {
        let go = || {
            superstep::run(
                program,
                &self.layout,
                self.graph.out_edges(),
                self.graph.in_edges(),
                self.graph.is_directed(),
            )
        };
        match &self.pool {
            Some(p) => p.install(go),
            None => go(),
        }
    }

    /// Runs a partition program to completion: rounds of one task per partition and an
    /// exchange of replica values at the masters.
    pub fn run_partitioned<P: PartitionProgram>(&self, program: &P) -> Run<P::Value> {
        self.install(|| partitioned::run(program, &self.layout, self.graph.out_edges(), self.graph.is_directed()))
    }

    /// Weakly connected components by union-find within partitions and label exchange between
    /// them: each vertex gets the smallest dense id of its component.
    pub fn components(&self) -> Run<u32> {
        self.run_partitioned(&Components::new(ComponentsConfig::default()))
    }

    /// Runs a closure on the engine's threads.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(p) => p.install(f),
            None => f(),
        }
    }

    /// The graph.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// Number of partitions.
    pub fn partition_count(&self) -> usize {
        self.layout.partition_count()
    }

    /// Replicas per vertex with at least one edge (1.0 for one partition).
    pub fn replication_factor(&self) -> f64 {
        let n = self.graph.vertex_count().max(1);
        self.layout.replica_count(n) as f64 / n as f64
    }
}
