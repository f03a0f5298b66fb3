//! The built-in algorithms as vertex programs and partition programs, one file each, each with a
//! `Config`.

mod bfs;
mod cdlp;
mod components;
mod delta_stepping;
mod pagerank;
mod sssp;
mod wcc;

pub use bfs::{Bfs, BfsConfig, UNVISITED};
pub use cdlp::{Cdlp, CdlpConfig, Labels};
pub use components::{Components, ComponentsConfig};
pub use delta_stepping::{DeltaStepping, DeltaSteppingConfig};
pub use pagerank::{PageRank, PageRankConfig};
pub use sssp::{Sssp, SsspConfig};
pub use wcc::Wcc;
