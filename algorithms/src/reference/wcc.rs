//! Weakly connected components: the label of a vertex is the smallest external id in its
//! component, edge direction ignored (Graphalytics §5.3).

use dgraph_datasets::Graph;

/// Component label (an external id) of every vertex.
pub fn wcc(g: &Graph) -> Vec<u64> {
    let n = g.vertex_count();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for u in 0..n as u32 {
        for &v in g.out_edges().neighbors(u) {
            let (a, b) = (find(&mut parent, u), find(&mut parent, v));
            // Keep the smaller dense id as the root: dense order is external order.
            if a != b {
                parent[a.max(b) as usize] = a.min(b);
            }
        }
    }
    (0..n as u32).map(|v| g.ids().external(find(&mut parent, v))).collect()
}
