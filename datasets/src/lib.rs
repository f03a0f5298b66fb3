//! Graph data for dgraph: the first stage of the data flow.
//!
//! ```text
//! file (formats/) ─┐
//! generator ───────┼─> edge segments ──(build)──> Graph { Csr out, Csr in, IdMap } ──> partitioner, engine
//! catalog name ────┘        (dense u32 ids)                 │
//!                                                           └──> .dgraph (rkyv, memory-mapped)
//! ```
//!
//! - [`formats`]: readers and writers (edge lists, Graphalytics, Matrix Market, DIMACS, `.dgraph`).
//! - [`generators`]: deterministic Kronecker, uniform random and grid graphs.
//! - [`catalog`]: named datasets (`kron-20`, `example-directed`, ...) with checksums and a cache.
//! - [`Graph`], [`Csr`], [`IdMap`]: the built graph.
//!
//! ```
//! use dgraph_datasets::{catalog, progress::Silent};
//! let g = catalog::load("example-directed", &catalog::LoadOptions::default(), &Silent)?;
//! assert_eq!((g.vertex_count(), g.edge_count(), g.is_directed()), (10, 17, true));
//! # Ok::<(), dgraph_datasets::Error>(())
//! ```

pub mod buffer;
mod build;
pub mod catalog;
mod csr;
mod error;
pub mod formats;
pub mod generators;
mod graph;
mod ids;
pub mod pages;
pub mod prefetch;
pub mod progress;
mod scatter;
mod weights;

pub use build::{BuildOptions, BuildReport};
pub use csr::Csr;
pub use error::{Error, Position, Result};
pub use formats::{Format, Loaded, ReadOptions};
pub use graph::{EdgeList, Graph, GraphStats, Metadata};
pub use ids::{IdMap, MAX_VERTICES};
pub use weights::WeightSummary;
