//! Sequential reference implementations: the Graphalytics definitions written as plainly as
//! possible, one file each. They are the oracle for every parallel engine mode; speed is not
//! their purpose. Inputs and outputs use dense vertex ids; labels are external ids.

mod bfs;
mod cdlp;
mod lcc;
mod pagerank;
mod sssp;
mod triangles;
mod wcc;

pub use bfs::bfs;
pub use cdlp::cdlp;
pub use lcc::lcc;
pub use pagerank::pagerank;
pub use sssp::{sssp, NegativeWeight};
pub use triangles::triangle_count;
pub use wcc::wcc;

use dgraph_datasets::Graph;

/// The distinct neighbours of `v` ignoring direction: `in(v) ∪ out(v)` as a sorted set.
pub(crate) fn neighbour_set(g: &Graph, v: u32) -> Vec<u32> {
    let mut set: Vec<u32> = g.out_edges().neighbors(v).to_vec();
    if g.is_directed() {
        set.extend_from_slice(g.in_edges().neighbors(v));
    }
    set.sort_unstable();
    set.dedup();
    set
}
