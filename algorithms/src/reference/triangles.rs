//! Global triangle count: the number of vertex triples `u < v < w` pairwise joined by an edge
//! in either direction (self-loops and duplicate edges ignored).

use dgraph_datasets::Graph;

use super::neighbour_set;

/// Number of triangles of `g`, directions ignored.
pub fn triangle_count(g: &Graph) -> u64 {
    let n = g.vertex_count() as u32;
    let sets: Vec<Vec<u32>> = (0..n).map(|v| neighbour_set(g, v)).collect();
    let mut count = 0;
    for u in 0..n {
        for &v in sets[u as usize].iter().filter(|&&v| v > u) {
            count += sets[v as usize].iter().filter(|&&w| w > v && sets[u as usize].binary_search(&w).is_ok()).count()
                as u64;
        }
    }
    count
}
