//! Graphs users already have: `petgraph` graphs become dgraph graphs (node indices are the
//! vertex ids, isolated nodes included).

use dgraph_datasets::{BuildOptions, EdgeList, Graph, Result};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, IntoNodeIdentifiers, NodeIndexable};

/// Converts a petgraph graph (`Graph`, `StableGraph`, `GraphMap`, ...): vertex ids are the
/// node indices, `weight` turns an edge's data into a weight (`None` for an unweighted graph).
///
/// # Errors
/// A weight that is not finite.
///
/// # Example
/// ```
/// let mut pg = petgraph::Graph::<(), f64>::new();
/// let (a, b, c) = (pg.add_node(()), pg.add_node(()), pg.add_node(()));
/// pg.add_edge(a, b, 0.5);
/// pg.add_edge(b, c, 1.5);
/// let g = dgraph::from_petgraph(&pg, |w| Some(*w))?;
/// assert!(g.is_directed() && g.is_weighted());
/// assert_eq!((g.vertex_count(), g.edge_count()), (3, 2));
/// # Ok::<(), dgraph::datasets::Error>(())
/// ```
pub fn from_petgraph<G>(graph: G, weight: impl Fn(&G::EdgeWeight) -> Option<f64>) -> Result<Graph>
where
    G: IntoEdgeReferences + IntoNodeIdentifiers + NodeIndexable + petgraph::visit::GraphProp,
{
    let mut edges = Vec::new();
    let mut weights = Vec::new();
    let mut weighted = true;
    for e in graph.edge_references() {
        edges.push((graph.to_index(e.source()) as u64, graph.to_index(e.target()) as u64));
        match weight(e.weight()) {
            Some(w) => weights.push(w),
            None => weighted = false,
        }
    }
    let list = EdgeList {
        edges,
        weights: weighted.then_some(weights),
        extra_vertices: graph.node_identifiers().map(|n| graph.to_index(n) as u64).collect(),
        directed: graph.is_directed(),
    };
    Ok(Graph::from_edge_list("petgraph", &list, BuildOptions::default())?.0)
}
