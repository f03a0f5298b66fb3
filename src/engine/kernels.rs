//! Partition programs that need whole neighbourhoods at once (LCC, triangle counting). In one
//! process every partition can read the shared CSRs, so each task takes a block of vertices;
//! a distributed version will exchange boundary adjacency first.

use rayon::prelude::*;

use dgraph_datasets::Graph;

const BLOCK: usize = 1024;

/// Sorted distinct neighbours of `v`, direction ignored.
fn neighbourhood(g: &Graph, v: u32, buf: &mut Vec<u32>) {
    buf.clear();
    buf.extend_from_slice(g.out_edges().neighbors(v));
    if g.is_directed() {
        buf.extend_from_slice(g.in_edges().neighbors(v));
        buf.sort_unstable();
    }
    buf.dedup();
}

/// Size of the intersection of two sorted, deduplicated lists, excluding `skip`.
fn intersect(a: &[u32], b: &[u32], skip: u32) -> u64 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += u64::from(a[i] != skip);
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Local clustering coefficient of every vertex (Graphalytics LCC), in parallel over blocks.
pub fn lcc(g: &Graph) -> Vec<f64> {
    let n = g.vertex_count();
    (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .flat_map_iter(|b| {
            let mut nbr = Vec::new();
            let mut out_u = Vec::new();
            (b * BLOCK..((b + 1) * BLOCK).min(n))
                .map(|v| {
                    neighbourhood(g, v as u32, &mut nbr);
                    let k = nbr.len();
                    if k <= 1 {
                        return 0.0;
                    }
                    let mut pairs = 0u64;
                    for &u in &nbr {
                        out_u.clear();
                        out_u.extend_from_slice(g.out_edges().neighbors(u));
                        out_u.dedup();
                        pairs += intersect(&out_u, &nbr, u);
                    }
                    pairs as f64 / (k as f64 * (k - 1) as f64)
                })
                .collect::<Vec<f64>>()
        })
        .collect()
}

/// Number of triangles of the graph with directions ignored (each counted once).
pub fn triangle_count(g: &Graph) -> u64 {
    let n = g.vertex_count();
    (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let (mut nv, mut nu) = (Vec::new(), Vec::new());
            let mut count = 0u64;
            for v in b * BLOCK..((b + 1) * BLOCK).min(n) {
                neighbourhood(g, v as u32, &mut nv);
                let higher: Vec<u32> = nv.iter().copied().filter(|&u| u > v as u32).collect();
                for &u in &higher {
                    neighbourhood(g, u, &mut nu);
                    let above: Vec<u32> = nu.iter().copied().filter(|&w| w > u).collect();
                    count += intersect(&higher, &above, u32::MAX);
                }
            }
            count
        })
        .sum()
}
