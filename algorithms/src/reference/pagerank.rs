//! PageRank with exactly `iterations` synchronous iterations; the rank of sinks (no out-edges)
//! is spread over all vertices (Graphalytics §5.2).

use dgraph_datasets::Graph;

/// PageRank of every vertex.
pub fn pagerank(g: &Graph, damping: f64, iterations: u32) -> Vec<f64> {
    let n = g.vertex_count();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let out_degree: Vec<usize> = (0..n as u32).map(|v| g.out_edges().degree(v)).collect();
    let mut rank = vec![1.0 / nf; n];
    for _ in 0..iterations {
        let sink_mass: f64 = (0..n).filter(|&v| out_degree[v] == 0).map(|v| rank[v]).sum();
        let base = (1.0 - damping) / nf + damping * sink_mass / nf;
        let next: Vec<f64> = (0..n as u32)
            .map(|v| {
                let incoming: f64 =
                    g.in_edges().neighbors(v).iter().map(|&u| rank[u as usize] / out_degree[u as usize] as f64).sum();
                base + damping * incoming
            })
            .collect();
        rank = next;
    }
    rank
}
