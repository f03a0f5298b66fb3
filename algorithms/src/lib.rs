//! Graph algorithms for dgraph, with the LDBC Graphalytics definitions of BFS, PageRank, WCC,
//! CDLP, LCC and SSSP.
//!
//! It holds the **program models** (vertex programs in [`program`], partition programs in
//! [`partition_program`]) and the built-in algorithms written in them ([`programs`]), which the
//! engine of the `dgraph` crate runs; the **sequential references** ([`reference`](mod@reference)): plain,
//! obviously-correct implementations that every engine mode is tested against; the Graphalytics
//! **output format** and **validation rules**; and the algorithm parameters.
//!
//! ```
//! use dgraph_algorithms::{reference, Algorithm, Output};
//! use dgraph_datasets::{catalog, progress::Silent};
//! let g = catalog::load("example-directed", &catalog::LoadOptions::default(), &Silent)?;
//! let source = g.ids().dense(1).expect("vertex 1 exists"); // external id 1 -> dense id
//! let depths = reference::bfs(&g, source).expect("source is a vertex");
//! let out = Output::Depths(depths);
//! assert_eq!(out.line(&g, 0), "1 0"); // vertex 1 is the root
//! assert_eq!(Algorithm::from_name("pr"), Some(Algorithm::PageRank));
//! # Ok::<(), dgraph_datasets::Error>(())
//! ```

mod algorithm;
mod output;
pub mod partition_program;
pub mod program;
pub mod programs;
pub mod real;
pub mod reference;
pub mod validate;

pub use algorithm::{Algorithm, ParameterError, Parameters};
pub use output::{Output, BFS_UNREACHABLE};
