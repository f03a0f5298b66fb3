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

mod compact;
mod context;
mod kernels;
mod layout;
mod partitioned;
mod superstep;
mod tiles;
mod trace;

use std::time::Instant;

use rayon::prelude::*;

use dgraph_algorithms::partition_program::PartitionProgram;
use dgraph_algorithms::program::VertexProgram;
use dgraph_algorithms::programs::{Components, ComponentsConfig};
use dgraph_datasets::Graph;
use dgraph_partitioner::store::Piece;
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
    /// Stored partitions that do not fit the graph.
    #[error("{0}")]
    Pieces(String),
    /// Zero threads, or the pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// A thread pool of `threads` workers, or none for rayon's global pool.
fn pool(threads: Option<usize>) -> Result<Option<rayon::ThreadPool>, EngineError> {
    match threads {
        None => Ok(None),
        Some(0) => Err(EngineError::Threads(0)),
        Some(t) => {
            rayon::ThreadPoolBuilder::new().num_threads(t).build().map(Some).map_err(|_| EngineError::Threads(t))
        }
    }
}

/// A graph laid out for running programs.
pub struct Engine<'g> {
    graph: &'g Graph,
    layout: Layout<'g>,
    pool: Option<rayon::ThreadPool>,
    /// The all-active pull's renumbered rows, made on first use (`compact.rs`).
    compact: compact::CompactCache,
    /// The all-active pull's tiles, made on first use (`tiles.rs`).
    tiles: tiles::TileCache,
    /// Seconds spent partitioning and laying out.
    pub setup_seconds: f64,
}

impl<'g> Engine<'g> {
    /// Partitions `graph` as `config` says.
    pub fn new(graph: &'g Graph, config: EngineConfig) -> Result<Engine<'g>, EngineError> {
        let pool = pool(config.threads)?;
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
        Ok(Engine::assemble(graph, layout, pool, start))
    }

    /// Lays `graph` out as the partitions `pieces` (as written by `dgraph partition -o` and
    /// loaded with [`dgraph_partitioner::store::Partitioned`]), without partitioning again.
    ///
    /// # Errors
    /// [`EngineError::Pieces`] when the pieces are not one partitioning of a graph with this
    /// many vertices; [`EngineError::Threads`] as for [`Engine::new`].
    pub fn from_pieces(
        graph: &'g Graph,
        pieces: Vec<Piece>,
        threads: Option<usize>,
    ) -> Result<Engine<'g>, EngineError> {
        let pool = pool(threads)?;
        let start = Instant::now();
        let parts = pieces.len();
        let n = graph.vertex_count();
        let fits = |(k, p): (usize, &Piece)| {
            p.index as usize == k
                && p.parts as usize == parts
                && p.directed == graph.is_directed()
                && p.vertices.last().is_none_or(|&v| (v as usize) < n)
        };
        if parts == 0 || !pieces.iter().enumerate().all(fits) {
            return Err(EngineError::Pieces(format!(
                "{parts} pieces that are not partitions 0..{parts} of this {} graph of {n} vertices",
                if graph.is_directed() { "directed" } else { "undirected" }
            )));
        }
        let edges: u64 = pieces.iter().map(Piece::edge_count).sum();
        if edges != graph.edge_count() {
            return Err(EngineError::Pieces(format!(
                "the pieces hold {edges} edges, the graph {}",
                graph.edge_count()
            )));
        }
        let build = || Layout::from_pieces(pieces, n);
        let layout = match &pool {
            Some(p) => p.install(build),
            None => build(),
        };
        Ok(Engine::assemble(graph, layout, pool, start))
    }

    /// An engine on `layout`, its caches empty, set up since `start`.
    fn assemble(graph: &'g Graph, layout: Layout<'g>, pool: Option<rayon::ThreadPool>, start: Instant) -> Engine<'g> {
        Engine {
            graph,
            layout,
            pool,
            compact: Default::default(),
            tiles: Default::default(),
            setup_seconds: start.elapsed().as_secs_f64(),
        }
    }

    /// Runs `program` to completion.
    pub fn run<P: VertexProgram>(&self, program: &P) -> Run<P::Value> {
        let go = || {
            superstep::run(
                program,
                &self.layout,
                &self.compact,
                &self.tiles,
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
        let g = self.graph;
        let n = g.vertex_count();
        let connected = (0..n as u32).into_par_iter().filter(|&v| g.total_degree(v) > 0).count();
        let isolated = (n - connected) as u64;
        // The whole-graph layout counts every vertex once, isolated ones included.
        let replicas = self.layout.replica_count(n) - if self.partition_count() == 1 { isolated } else { 0 };
        if connected == 0 {
            1.0
        } else {
            replicas as f64 / connected as f64
        }
    }
}
