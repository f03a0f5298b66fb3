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

/// Local clustering coefficient of every vertex (Graphalytics LCC), in parallel over blocks:
/// `v`'s neighbourhood is marked in a per-task bitmap, and each neighbour's out-row is looked
/// up in it, not copied and merged (a hub's row was copied once per neighbour of the hub: LCC
/// on kron-20 took 142 s).
pub fn lcc(g: &Graph) -> Vec<f64> {
    let n = g.vertex_count();
    (0..n as u32)
        .into_par_iter()
        .with_min_len(BLOCK)
        .map_init(
            || (vec![0u64; n.div_ceil(64)], Vec::new()),
            |(marks, nbr), v| {
                neighbourhood(g, v, nbr);
                let k = nbr.len();
                if k <= 1 {
                    return 0.0;
                }
                for &u in nbr.iter() {
                    marks[u as usize / 64] |= 1 << (u % 64);
                }
                let pairs: u64 = nbr.iter().map(|&u| links(u, g.out_edges().neighbors(u), nbr, marks)).sum();
                for &u in nbr.iter() {
                    marks[u as usize / 64] = 0;
                }
                pairs as f64 / (k as f64 * (k - 1) as f64)
            },
        )
        .collect()
}

/// How many distinct vertices of `nbr` (sorted, distinct, all marked in `marks`), `u` aside,
/// `u`'s out-row `row` (sorted, repeats allowed) holds: each entry looked up in the bitmap, or,
/// when the row is over 32x longer, `nbr`'s vertices binary-searched in it.
fn links(u: u32, row: &[u32], nbr: &[u32], marks: &[u64]) -> u64 {
    if row.len() / nbr.len() > 32 {
        return nbr.iter().filter(|&&w| w != u && row.binary_search(&w).is_ok()).count() as u64;
    }
    let marked = |w: u32| marks[w as usize / 64] >> (w % 64) & 1 == 1;
    let mut count = 0;
    for (i, &w) in row.iter().enumerate() {
        let repeat = i > 0 && row[i - 1] == w;
        count += u64::from(!repeat && w != u && marked(w));
    }
    count
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
    fn links_counted_through_the_bitmap_and_through_binary_search() {
        // Neighbourhood {1, 5, 9, 70}, marked; `u` = 5.
        let nbr = [1u32, 5, 9, 70];
        let mut marks = vec![0u64; 2];
        for c in nbr {
            marks[c as usize / 64] |= 1 << (c % 64);
        }
        // Repeats count once, `u` itself not at all.
        assert_eq!(links(5, &[1, 1, 5, 6, 70, 70], &nbr, &marks), 2);
        // A row over 32x longer than the neighbourhood: searched.
        let long: Vec<u32> = (2..200).collect();
        assert_eq!(links(5, &long, &nbr, &marks), 2);
        assert_eq!(links(9, &long, &nbr, &marks), 2);
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
