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

/// Size of the intersection of two sorted sets: a branch-free merge for lists of similar length,
/// binary searches of the shorter in the longer when one is much longer.
fn count_common(a: &[u32], b: &[u32]) -> u64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    if long.len() / short.len() > 32 {
        return short.iter().filter(|x| long.binary_search(x).is_ok()).count() as u64;
    }
    let (mut i, mut j, mut count) = (0, 0, 0u64);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        count += u64::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
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
                        // Common neighbours except `u` itself (a self-loop is not a pair).
                        let both_hold_u = out_u.binary_search(&u).is_ok() && nbr.binary_search(&u).is_ok();
                        pairs += count_common(&out_u, &nbr) - u64::from(both_hold_u);
                    }
                    pairs as f64 / (k as f64 * (k - 1) as f64)
                })
                .collect::<Vec<f64>>()
        })
        .collect()
}

/// Number of triangles of the graph with directions ignored (each counted once).
///
/// Vertices are ranked by degree (ties by id) and each edge is kept only at its lower-ranked
/// end, so every vertex keeps at most `sqrt(2E)` "higher" neighbours, stored as ranks in
/// increasing order. A triangle `a < b < c` by rank is then found exactly once, as `c` in both
/// `higher(a)` after `b` and `higher(b)` (Schank and Wagner's forward algorithm; GAP's `tc`
/// relabels by degree for the same reason).
pub fn triangle_count(g: &Graph) -> u64 {
    let n = g.vertex_count();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by_key(|&v| (g.total_degree(v), v));
    let mut rank = vec![0u32; n];
    for (r, &v) in order.iter().enumerate() {
        rank[v as usize] = r as u32;
    }
    // Rows indexed by rank: the ranks of the higher neighbours, increasing.
    let blocks: Vec<(Vec<u64>, Vec<u32>)> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let (mut nbr, mut lengths, mut targets) = (Vec::new(), Vec::new(), Vec::new());
            let first = b * BLOCK;
            for (r, &v) in order[first..((b + 1) * BLOCK).min(n)].iter().enumerate().map(|(i, v)| (first + i, v)) {
                neighbourhood(g, v, &mut nbr);
                let before = targets.len();
                targets.extend(nbr.iter().map(|&u| rank[u as usize]).filter(|&q| q > r as u32));
                targets[before..].sort_unstable();
                lengths.push((targets.len() - before) as u64);
            }
            (lengths, targets)
        })
        .collect();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    for (lengths, _) in &blocks {
        for &l in lengths {
            offsets.push(offsets[offsets.len() - 1] + l);
        }
    }
    let targets: Vec<u32> = blocks.into_iter().flat_map(|(_, t)| t).collect();
    let row = |r: u32| &targets[offsets[r as usize] as usize..offsets[r as usize + 1] as usize];
    // Per task, a bitmap over the ranks holding `higher(a)` while `a` is counted.
    (0..n as u32)
        .into_par_iter()
        .with_min_len(64)
        .map_init(
            || vec![0u64; n.div_ceil(64)],
            |marks, a| {
                let above = row(a);
                if above.len() < 2 {
                    return 0;
                }
                for &c in above {
                    marks[c as usize / 64] |= 1 << (c % 64);
                }
                let mut triangles = 0u64;
                // The last `b` has no `c` after it: its row is not read.
                for (i, &b) in above[..above.len() - 1].iter().enumerate() {
                    triangles += common_above(&above[i + 1..], row(b), marks);
                }
                for &c in above {
                    marks[c as usize / 64] = 0;
                }
                triangles
            },
        )
        .sum()
}

/// How many of `higher` (the ranks after `b` in `higher(a)`, all marked in `marks` with the
/// rest of `higher(a)`) are in `row` (`higher(b)`, all after `b`): each entry of `row` is
/// looked up in the bitmap (independent loads, where a merge of the two lists is one chain of
/// compares: on `urand-20`, where nearly every intersection is empty, the merge was most of the
/// time), or, when `row` is far longer, `higher`'s entries are binary-searched in it.
fn common_above(higher: &[u32], row: &[u32], marks: &[u64]) -> u64 {
    if row.len() / higher.len() > 32 {
        return higher.iter().filter(|c| row.binary_search(c).is_ok()).count() as u64;
    }
    row.iter().map(|&c| marks[c as usize / 64] >> (c % 64) & 1).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_elements_by_merge_and_by_search() {
        let evens: Vec<u32> = (0..200).map(|x| 2 * x).collect();
        let threes: Vec<u32> = (0..140).map(|x| 3 * x).collect();
        // Multiples of 6 below 400: 0, 6, ..., 396.
        assert_eq!(count_common(&evens, &threes), 67);
        assert_eq!(count_common(&threes, &evens), 67);
        // Much shorter list: binary searches.
        assert_eq!(count_common(&[4, 5, 398], &evens), 2);
        assert_eq!(count_common(&[], &evens), 0);
        assert_eq!(count_common(&evens, &[]), 0);
    }

    #[test]
    fn triangles_found_through_the_bitmap_and_through_binary_search() {
        // A 40-clique, vertex 40 on clique vertices 0 and 1, and two leaves on each of 2..40:
        // by degree, 40 ranks below 0 and 1, which rank below 2..40. So `higher(40)` is 0 and 1,
        // and 0's row (1 and 2..40, 39 ranks) is searched for 1; the clique's own triangles go
        // through the bitmap.
        let mut edges: Vec<(u64, u64)> = (0..40u64).flat_map(|u| (u + 1..40).map(move |v| (u, v))).collect();
        edges.extend([(40, 0), (40, 1)]);
        edges.extend((2..40u64).flat_map(|k| [(k, 100 + 2 * k), (k, 101 + 2 * k)]));
        let g = Graph::from_edges(edges, false).expect("builds");
        assert_eq!(triangle_count(&g), 40 * 39 * 38 / 6 + 1);
        // Both ways of counting, directly: marks hold 1, 5, 9 and 70.
        let mut marks = vec![0u64; 2];
        for c in [1u32, 5, 9, 70] {
            marks[c as usize / 64] |= 1 << (c % 64);
        }
        assert_eq!(common_above(&[5, 9, 70], &[2, 5, 6, 70], &marks), 2);
        let long: Vec<u32> = (6..120).collect();
        assert_eq!(common_above(&[9], &long, &marks), 1);
        assert_eq!(common_above(&[5], &long, &marks), 0);
    }
}
