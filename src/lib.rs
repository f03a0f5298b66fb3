//! dgraph: graph analytics on one core, all cores, a cluster, an OpenCL device, or out of core.
//!
//! This crate is the top of the data flow. Today it holds the public API over graph data and
//! the `dgraph` command line (feature `cli`); the engine (plans, schedulers, storage) joins it
//! as it is built (see ARCHITECTURE.md).
//!
//! ```text
//! dgraph_datasets  (formats, generators, catalog -> Graph)
//!        ^
//! dgraph (this crate): re-exports the graph API; `cli` (feature "cli"): the dgraph binary
//! ```
//!
//! ```
//! use dgraph::{Graph, EdgeList, BuildOptions};
//! let list = EdgeList { edges: vec![(1, 2), (2, 3)], ..Default::default() };
//! let (graph, report) = Graph::from_edge_list("path", &list, BuildOptions::default())?;
//! assert_eq!(graph.edge_count(), 2);
//! assert!(!graph.is_directed());
//! assert_eq!(report.input_edges, 2);
//! # Ok::<(), dgraph::datasets::Error>(())
//! ```

pub use dgraph_algorithms as algorithms;
pub use dgraph_datasets as datasets;
pub use dgraph_partitioner as partitioner;

pub mod analytics;
mod convert;
pub mod engine;
pub use convert::from_petgraph;
pub use dgraph_datasets::{BuildOptions, BuildReport, Csr, EdgeList, Format, Graph, IdMap, ReadOptions};

#[cfg(feature = "cli")]
pub mod cli;
