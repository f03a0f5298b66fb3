//! BFS depth along out-edges from a source (Graphalytics §5.1).

use std::collections::VecDeque;

use dgraph_datasets::Graph;

/// Depth of every vertex from `source` (dense id), `None` when unreachable; `None` overall if
/// `source` is not a vertex.
pub fn bfs(g: &Graph, source: u32) -> Option<Vec<Option<u32>>> {
    let n = g.vertex_count();
    if source as usize >= n {
        return None;
    }
    let mut depth = vec![None; n];
    depth[source as usize] = Some(0);
    let mut queue = VecDeque::from([source]);
    while let Some(u) = queue.pop_front() {
        let d = depth[u as usize].map_or(0, |d| d + 1);
        for &v in g.out_edges().neighbors(u) {
            if depth[v as usize].is_none() {
                depth[v as usize] = Some(d);
                queue.push_back(v);
            }
        }
    }
    Some(depth)
}
