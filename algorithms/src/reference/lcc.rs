//! Local clustering coefficient (Graphalytics §5.5): for `n = |nbr(v)|` distinct neighbours
//! (direction ignored), the number of ordered neighbour pairs `(u, w)`, `u != w`, joined by an
//! edge `u -> w`, divided by `n (n - 1)`; 0 when `n <= 1`.

use dgraph_datasets::Graph;

use super::neighbour_set;

/// LCC of every vertex.
pub fn lcc(g: &Graph) -> Vec<f64> {
    (0..g.vertex_count() as u32)
        .map(|v| {
            let nbr = neighbour_set(g, v);
            let n = nbr.len();
            if n <= 1 {
                return 0.0;
            }
            let mut pairs = 0u64;
            for &u in &nbr {
                let mut out: Vec<u32> = g.out_edges().neighbors(u).to_vec();
                out.dedup();
                pairs += out.iter().filter(|&&w| w != u && nbr.binary_search(&w).is_ok()).count() as u64;
            }
            pairs as f64 / (n as f64 * (n - 1) as f64)
        })
        .collect()
}
