//! Partition programs that need whole neighbourhoods at once (LCC, triangle counting). In one
//! process every partition can read the shared CSRs, so each task takes a block of vertices;
//! a distributed version will exchange boundary adjacency first.

use std::sync::atomic::{AtomicU64, Ordering};

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

/// Local clustering coefficient of every vertex (Graphalytics LCC): for `v`'s `k` distinct
/// neighbours (direction ignored; `v` itself among them when it has a self-loop), the ordered
/// neighbour pairs `(u, w)`, `u != w`, joined by an edge `u -> w`, over `k (k - 1)`.
///
/// The pairs of two neighbours other than `v` are the triangles at `v`: each triangle found
/// once by the forward algorithm ([`triangle_count`]) gives each of its corners the number of
/// directed edges between the other two (2 on an undirected graph). A self-loop adds the pairs
/// of `v` with each neighbour, one per directed edge between them. (Looking each neighbour's
/// row up against the neighbourhood instead costs the sum over edges of the degrees: a hub's row
/// is read once per neighbour of the hub, 56 s on kron-20.)
pub fn lcc(g: &Graph) -> Vec<f64> {
    let n = g.vertex_count();
    let directed = g.is_directed();
    let f = Forward::new(g, directed);
    // Per rank, the pairs its triangles give it.
    let pairs: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
    f.sum_over_triangles(|a, b, c, i, j| {
        // Corner `a` gets the edges between `b` and `c`, `b` those between `a` and `c`, `c`
        // those between `a` and `b`.
        let (ab, bc) = (f.directions(f.start(a) + i), f.directions(f.start(b) + j));
        let ac = if directed { f.directions(f.position(a, c)) } else { 2 };
        pairs[a as usize].fetch_add(bc, Ordering::Relaxed);
        pairs[b as usize].fetch_add(ac, Ordering::Relaxed);
        pairs[c as usize].fetch_add(ab, Ordering::Relaxed);
        0
    });
    (0..n as u32)
        .into_par_iter()
        .with_min_len(BLOCK)
        .map_init(Vec::new, |nbr, v| {
            neighbourhood(g, v, nbr);
            let k = nbr.len();
            if k <= 1 {
                return 0.0;
            }
            let mut count = pairs[f.rank[v as usize] as usize].load(Ordering::Relaxed);
            if nbr.binary_search(&v).is_ok() {
                // `(v, w)` for each out-neighbour `w`, `(u, v)` for each in-neighbour `u`.
                let others = |row: &[u32]| {
                    row.iter().enumerate().filter(|&(i, &w)| w != v && (i == 0 || row[i - 1] != w)).count() as u64
                };
                count += if directed {
                    others(g.out_edges().neighbors(v)) + others(g.in_edges().neighbors(v))
                } else {
                    2 * others(g.out_edges().neighbors(v))
                };
            }
            count as f64 / (k as f64 * (k - 1) as f64)
        })
        .collect()
}

/// The graph with directions ignored, its vertices ranked by degree (ties by id), and each
/// edge kept only at its lower-ranked end: every vertex keeps at most `sqrt(2E)` "higher"
/// neighbours, stored as ranks in increasing order (Schank and Wagner's forward algorithm;
/// GAP's `tc` relabels by degree for the same reason). A triangle `a < b < c` by rank is found
/// exactly once, as `c` in both `higher(a)` after `b` and `higher(b)`.
struct Forward {
    /// Each vertex's rank.
    rank: Vec<u32>,
    offsets: Vec<u64>,
    targets: Vec<u32>,
    /// With `directions`, per entry `a -> c`: bit 0 when the graph has the edge from `a`'s
    /// vertex to `c`'s, bit 1 when it has the reverse one.
    directions: Vec<u8>,
}

impl Forward {
    /// The ranking and rows of `g`, with each entry's directions when `directions`.
    fn new(g: &Graph, directions: bool) -> Forward {
        let n = g.vertex_count();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.par_sort_unstable_by_key(|&v| (g.total_degree(v), v));
        let mut rank = vec![0u32; n];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        // Per block of ranks: their rows' lengths, targets and directions.
        let blocks: Vec<(Vec<u64>, Vec<u32>, Vec<u8>)> = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let (mut lengths, mut targets, mut dirs) = (Vec::new(), Vec::new(), Vec::new());
                let mut entries: Vec<u64> = Vec::new();
                let first = b * BLOCK;
                for (r, &v) in order[first..((b + 1) * BLOCK).min(n)].iter().enumerate().map(|(i, v)| (first + i, v)) {
                    // (rank << 2 | direction bit) of each higher neighbour, out-entries with
                    // bit 0, in-entries (directed) with bit 1; sorted, then merged per rank.
                    entries.clear();
                    let higher = |u: u32| rank[u as usize] > r as u32;
                    let entry = |u: u32, bit: u64| u64::from(rank[u as usize]) << 2 | bit;
                    entries.extend(g.out_edges().neighbors(v).iter().filter(|&&u| higher(u)).map(|&u| entry(u, 1)));
                    if g.is_directed() {
                        entries.extend(g.in_edges().neighbors(v).iter().filter(|&&u| higher(u)).map(|&u| entry(u, 2)));
                    }
                    entries.sort_unstable();
                    let before = targets.len();
                    for &e in &entries {
                        let (q, bit) = ((e >> 2) as u32, (e & 3) as u8);
                        if targets.len() > before && targets[targets.len() - 1] == q {
                            if directions {
                                let last = dirs.len() - 1;
                                dirs[last] |= bit;
                            }
                        } else {
                            targets.push(q);
                            if directions {
                                dirs.push(bit);
                            }
                        }
                    }
                    lengths.push((targets.len() - before) as u64);
                }
                (lengths, targets, dirs)
            })
            .collect();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u64);
        for (lengths, _, _) in &blocks {
            for &l in lengths {
                offsets.push(offsets[offsets.len() - 1] + l);
            }
        }
        let mut targets = Vec::with_capacity(offsets[n] as usize);
        let mut all_directions = Vec::with_capacity(if directions { offsets[n] as usize } else { 0 });
        for (_, t, d) in blocks {
            targets.extend_from_slice(&t);
            all_directions.extend_from_slice(&d);
        }
        Forward { rank, offsets, targets, directions: all_directions }
    }

    fn start(&self, r: u32) -> usize {
        self.offsets[r as usize] as usize
    }

    fn row(&self, r: u32) -> &[u32] {
        &self.targets[self.start(r)..self.offsets[r as usize + 1] as usize]
    }

    /// The number of directed edges of entry `e` (2 without directions: both stored).
    fn directions(&self, e: usize) -> u64 {
        self.directions.get(e).map_or(2, |d| u64::from(d.count_ones()))
    }

    /// Where `c` is in `higher(a)` (it is there).
    fn position(&self, a: u32, c: u32) -> usize {
        self.start(a) + self.row(a).partition_point(|&x| x < c)
    }

    /// The sum of `f(a, b, c, i, j)` over every triangle `a < b < c` by rank, where `b` is entry
    /// `i` of `higher(a)` and `c` entry `j` of `higher(b)`; in parallel over `a`.
    ///
    /// Per task, a bitmap over the ranks holds `higher(a)` while `a` is counted, and each entry
    /// of `higher(b)` is looked up in it (independent loads, where a merge of the two lists is
    /// one chain of compares: on `urand-20`, where nearly every intersection is empty, the
    /// merge was most of the time); when `higher(b)` is over 32x longer than what is left of
    /// `higher(a)`, those entries are binary-searched in it instead. The last `b` has no `c`
    /// after it: its row is not read.
    fn sum_over_triangles(&self, f: impl Fn(u32, u32, u32, usize, usize) -> u64 + Sync) -> u64 {
        let n = self.rank.len();
        (0..n as u32)
            .into_par_iter()
            .with_min_len(64)
            .map_init(
                || vec![0u64; n.div_ceil(64)],
                |marks, a| {
                    let above = self.row(a);
                    if above.len() < 2 {
                        return 0;
                    }
                    let mut sum = 0;
                    for &c in above {
                        marks[c as usize / 64] |= 1 << (c % 64);
                    }
                    for (i, &b) in above[..above.len() - 1].iter().enumerate() {
                        let (rest, row) = (&above[i + 1..], self.row(b));
                        if row.len() / rest.len() > 32 {
                            for &c in rest {
                                if let Ok(j) = row.binary_search(&c) {
                                    sum += f(a, b, c, i, j);
                                }
                            }
                        } else {
                            for (j, &c) in row.iter().enumerate() {
                                if marks[c as usize / 64] >> (c % 64) & 1 == 1 {
                                    sum += f(a, b, c, i, j);
                                }
                            }
                        }
                    }
                    for &c in above {
                        marks[c as usize / 64] = 0;
                    }
                    sum
                },
            )
            .sum()
    }
}

/// Number of triangles of the graph with directions ignored (each counted once), by the
/// forward algorithm (`Forward`).
pub fn triangle_count(g: &Graph) -> u64 {
    Forward::new(g, false).sum_over_triangles(|_, _, _, _, _| 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn lcc_from_triangles_matches_the_reference_with_directions_loops_and_repeats() {
        // The graph above made directed (clique edges one way, some both ways, one repeated),
        // with self-loops on a clique vertex, on vertex 40 and on a leaf.
        let mut edges: Vec<(u64, u64)> = (0..40u64).flat_map(|u| (u + 1..40).map(move |v| (u, v))).collect();
        edges.extend((0..40u64).step_by(3).map(|u| ((u + 7) % 40, u)).filter(|(a, b)| a != b));
        edges.extend([(40, 0), (1, 40), (40, 1), (3, 5), (3, 3), (40, 40), (104, 104)]);
        edges.extend((2..40u64).flat_map(|k| [(k, 100 + 2 * k), (101 + 2 * k, k)]));
        for directed in [true, false] {
            let list = dgraph_datasets::EdgeList { edges: edges.clone(), directed, ..Default::default() };
            let options = dgraph_datasets::BuildOptions::default();
            let g = Graph::from_edge_list("t", &list, options).expect("builds").0;
            assert_eq!(lcc(&g), dgraph_algorithms::reference::lcc(&g), "directed {directed}");
        }
    }
}
