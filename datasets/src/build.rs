//! Parallel CSR construction from edge segments (rayon): count degrees, prefix-sum, scatter,
//! sort each neighbour list, then optionally drop self-loops and duplicates. The result does not
//! depend on the number of threads: every list is sorted before anything is dropped or counted.

use std::ops::Range;

use rayon::prelude::*;

use crate::csr::Csr;
use crate::scatter::{balanced_ranges, group_count, scatter, Items, Scattered};

/// A piece of an edge list with dense ids, as produced by one parser chunk or generator batch.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Segment {
    pub(crate) edges: Vec<[u32; 2]>,
    /// One weight per edge, or `None` for an unweighted input.
    pub(crate) weights: Option<Vec<f64>>,
}

/// What to do with the edges while building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildOptions {
    /// Make a directed input undirected: every edge `u -> v` also becomes `v -> u`.
    pub symmetrize: bool,
    /// Keep one copy of repeated edges (the one with the smallest weight).
    pub drop_duplicates: bool,
    /// Remove edges from a vertex to itself.
    pub drop_self_loops: bool,
}

impl BuildOptions {
    /// Whether an entry that is (or not) a self-loop and a repeat of the previous one is dropped.
    fn drops(&self, is_loop: bool, is_dup: bool) -> bool {
        (is_loop && self.drop_self_loops) || (is_dup && self.drop_duplicates)
    }
}

/// What the build found and did, in edges (an undirected edge counts once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildReport {
    /// Edges read from the input (lines, generated pairs).
    pub input_edges: u64,
    /// Whether a directed input was made undirected.
    pub symmetrized: bool,
    /// Self-loops present in the input.
    pub self_loops_found: u64,
    /// Self-loops removed.
    pub self_loops_dropped: u64,
    /// Repeated edges present in the input (each extra copy counts once).
    pub duplicates_found: u64,
    /// Repeated edges removed.
    pub duplicates_dropped: u64,
    /// Edges in the built graph.
    pub edges: u64,
}

/// Counts per list, before any dropping.
#[derive(Default, Clone, Copy)]
struct ListCounts {
    loops: u64,
    duplicates: u64,
    kept: u64,
    loops_kept: u64,
}

impl std::ops::Add for ListCounts {
    type Output = ListCounts;
    fn add(self, o: ListCounts) -> ListCounts {
        ListCounts {
            loops: self.loops + o.loops,
            duplicates: self.duplicates + o.duplicates,
            kept: self.kept + o.kept,
            loops_kept: self.loops_kept + o.loops_kept,
        }
    }
}

/// Builds the forward CSR of `segments` over `n` vertices. With `symmetric`, each edge is stored
/// in both directions (a self-loop once). Returns the CSR, the report and the number of
/// self-loops left in the CSR.
pub(crate) fn build_csr(
    segments: Vec<Segment>,
    n: usize,
    symmetric: bool,
    options: BuildOptions,
) -> (Csr, BuildReport, u64) {
    let weighted = segments.iter().any(|s| s.weights.is_some());
    let input_edges: u64 = segments.iter().map(|s| s.edges.len() as u64).sum();

    // 1-3. Counting scatter of every entry into its source's list.
    let groups = group_count(input_edges * if symmetric { 2 } else { 1 }, n);
    let ranges = balanced_ranges(segments.len(), groups, |i| segments[i].edges.len() as u64);
    let items = SegmentItems { segments: segments.into_iter().map(std::sync::Mutex::new).collect(), ranges, symmetric };
    // The scatter frees the input edges segment by segment as it writes them.
    let Scattered { mut offsets, values: mut targets, mut weights } = scatter(n, &items, weighted);
    drop(items);
    let total = targets.len() as u64;

    // 4. Sort every list, count loops and duplicates, decide what is kept.
    let blocks = vertex_blocks(&offsets);
    let mut kept = vec![0u64; n];
    let counts = {
        let parts = split_by_blocks(&mut targets, weights.as_deref_mut(), &mut kept, &offsets, &blocks);
        parts
            .into_par_iter()
            .map(|(range, t, w, kept)| sort_and_count(range, &offsets, t, w, kept, symmetric, options))
            .reduce(ListCounts::default, |a, b| a + b)
    };

    let mut report = BuildReport {
        input_edges,
        symmetrized: symmetric && options.symmetrize,
        self_loops_found: counts.loops,
        duplicates_found: counts.duplicates,
        ..BuildReport::default()
    };
    if options.drop_self_loops {
        report.self_loops_dropped = counts.loops;
    }
    if options.drop_duplicates {
        report.duplicates_dropped = counts.duplicates;
    }

    // 5. Compact when something was dropped.
    if counts.kept != total {
        compact(&mut offsets, &kept, &blocks, &mut targets, &mut weights, options);
    }
    drop(kept);

    let loops_left = counts.loops_kept;
    report.edges = if symmetric { (targets.len() as u64 + loops_left) / 2 } else { targets.len() as u64 };
    (Csr::from_parts(offsets.into(), targets.into(), weights.map(Into::into)), report, loops_left)
}

/// Builds the reverse (in-edge) CSR of `csr`. Sources are produced in increasing order and
/// groups cover increasing vertex ranges, so every in-list comes out sorted by source (and, for
/// repeated arcs, by weight): no sort is needed.
pub(crate) fn transpose(csr: &Csr) -> Csr {
    let n = csr.vertex_count();
    let offsets = csr.offsets();
    let groups = group_count(csr.entry_count(), n);
    let ranges = balanced_ranges(n, groups, |v| offsets[v + 1] - offsets[v]);
    let Scattered { offsets, values, weights } = scatter(n, &ReverseItems { csr, ranges }, csr.weights().is_some());
    Csr::from_parts(offsets.into(), values.into(), weights.map(Into::into))
}

/// The entries of edge segments, grouped by contiguous runs of segments. The last pass frees
/// each segment once its entries are written.
struct SegmentItems {
    segments: Vec<std::sync::Mutex<Segment>>,
    ranges: Vec<Range<usize>>,
    symmetric: bool,
}

impl SegmentItems {
    #[inline]
    fn emit(&self, seg: &Segment, f: &mut impl FnMut(u32, u32, f64)) {
        match &seg.weights {
            Some(ws) => {
                for (&[u, v], &w) in seg.edges.iter().zip(ws) {
                    f(u, v, w);
                    if self.symmetric && u != v {
                        f(v, u, w);
                    }
                }
            }
            None => {
                for &[u, v] in &seg.edges {
                    f(u, v, 0.0);
                    if self.symmetric && u != v {
                        f(v, u, 0.0);
                    }
                }
            }
        }
    }
}

impl Items for SegmentItems {
    fn groups(&self) -> usize {
        self.ranges.len()
    }

    fn for_each(&self, group: usize, mut f: impl FnMut(u32, u32, f64)) {
        for seg in &self.segments[self.ranges[group].clone()] {
            // Each group locks only its own segments: never contended.
            let seg = seg.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            self.emit(&seg, &mut f);
        }
    }

    fn for_each_last(&self, group: usize, mut f: impl FnMut(u32, u32, f64)) {
        for seg in &self.segments[self.ranges[group].clone()] {
            let seg = std::mem::take(&mut *seg.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            self.emit(&seg, &mut f);
        }
    }
}

/// The reversed entries of a CSR, grouped by contiguous vertex ranges.
struct ReverseItems<'a> {
    csr: &'a Csr,
    ranges: Vec<Range<usize>>,
}

impl Items for ReverseItems<'_> {
    fn groups(&self) -> usize {
        self.ranges.len()
    }

    #[inline]
    fn for_each(&self, group: usize, mut f: impl FnMut(u32, u32, f64)) {
        for u in self.ranges[group].clone() {
            let u = u as u32;
            let targets = self.csr.neighbors(u);
            match self.csr.neighbor_weights(u) {
                Some(ws) => targets.iter().zip(ws).for_each(|(&v, &w)| f(v, u, w)),
                None => targets.iter().for_each(|&v| f(v, u, 0.0)),
            }
        }
    }
}

/// Splits the vertices into contiguous ranges of about equal entry counts, several per thread.
pub(crate) fn vertex_blocks(offsets: &[u64]) -> Vec<Range<usize>> {
    let n = offsets.len() - 1;
    let total = offsets[n];
    let pieces = (rayon::current_num_threads() * 16).max(1) as u64;
    let per_piece = (total / pieces).max(1 << 14);
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < n {
        let goal = offsets[start] + per_piece;
        // First vertex whose list starts at or after `goal`, at least one vertex further, and
        // at most 64K vertices further so that vertex-heavy sparse graphs still split.
        let mut end = start + offsets[start..].partition_point(|&o| o < goal);
        end = end.clamp(start + 1, (start + (1 << 16)).min(n));
        blocks.push(start..end);
        start = end;
    }
    blocks
}

type BlockParts<'a> = Vec<(Range<usize>, &'a mut [u32], Option<&'a mut [f64]>, &'a mut [u64])>;

fn split_by_blocks<'a>(
    mut targets: &'a mut [u32],
    mut weights: Option<&'a mut [f64]>,
    mut per_vertex: &'a mut [u64],
    offsets: &[u64],
    blocks: &[Range<usize>],
) -> BlockParts<'a> {
    let mut parts = Vec::with_capacity(blocks.len());
    for range in blocks {
        let len = (offsets[range.end] - offsets[range.start]) as usize;
        let (t, rest) = std::mem::take(&mut targets).split_at_mut(len);
        targets = rest;
        let w = weights.take().map(|w| {
            let (head, rest) = w.split_at_mut(len);
            weights = Some(rest);
            head
        });
        let (k, rest) = std::mem::take(&mut per_vertex).split_at_mut(range.len());
        per_vertex = rest;
        parts.push((range.clone(), t, w, k));
    }
    parts
}

fn sort_and_count(
    range: Range<usize>,
    offsets: &[u64],
    targets: &mut [u32],
    mut weights: Option<&mut [f64]>,
    kept: &mut [u64],
    symmetric: bool,
    options: BuildOptions,
) -> ListCounts {
    let base = offsets[range.start];
    let mut counts = ListCounts::default();
    let mut pairs: Vec<(u32, f64)> = Vec::new();
    for (k, v) in range.enumerate() {
        let (s, e) = ((offsets[v] - base) as usize, (offsets[v + 1] - base) as usize);
        let list = &mut targets[s..e];
        match weights.as_deref_mut() {
            None => list.sort_unstable(),
            Some(w) => {
                let w = &mut w[s..e];
                pairs.clear();
                pairs.extend(list.iter().copied().zip(w.iter().copied()));
                pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
                for (i, (t, x)) in pairs.iter().enumerate() {
                    list[i] = *t;
                    w[i] = *x;
                }
            }
        }
        let mut keep = 0u64;
        let mut previous = None;
        for &t in list.iter() {
            let is_loop = t as usize == v;
            let is_dup = previous == Some(t);
            previous = Some(t);
            // An undirected edge {u, v} sits in both lists: count it from its smaller end only.
            let counted_here = !symmetric || t as usize >= v;
            if is_loop {
                counts.loops += 1;
            }
            if is_dup && counted_here {
                counts.duplicates += 1;
            }
            if !options.drops(is_loop, is_dup) {
                keep += 1;
                counts.loops_kept += u64::from(is_loop);
            }
        }
        kept[k] = keep;
        counts.kept += keep;
    }
    counts
}

/// Drops entries in place. Each block first packs its kept entries to the start of its own
/// region (in parallel: regions are disjoint, and packing only moves entries left), then the
/// packed runs move left into their final places in block order (a run never overlaps the
/// source of a later run). No second copy of the arrays is allocated.
fn compact(
    offsets: &mut Vec<u64>,
    kept: &[u64],
    blocks: &[Range<usize>],
    targets: &mut Vec<u32>,
    weights: &mut Option<Vec<f64>>,
    options: BuildOptions,
) {
    let n = kept.len();
    let mut unused = vec![0u64; n];
    let parts = split_by_blocks(targets, weights.as_deref_mut(), &mut unused, offsets, blocks);
    parts.into_par_iter().for_each(|(range, t, mut w, _)| {
        let base = offsets[range.start] as usize;
        let mut j = 0;
        for v in range {
            let mut previous = None;
            for i in offsets[v] as usize - base..offsets[v + 1] as usize - base {
                let target = t[i];
                let is_loop = target as usize == v;
                let is_dup = previous == Some(target);
                previous = Some(target);
                if options.drops(is_loop, is_dup) {
                    continue;
                }
                t[j] = target;
                if let Some(w) = w.as_deref_mut() {
                    w[j] = w[i];
                }
                j += 1;
            }
        }
    });
    let mut new_offsets = Vec::with_capacity(n + 1);
    let mut total = 0;
    new_offsets.push(0);
    for &k in kept {
        total += k;
        new_offsets.push(total);
    }
    for range in blocks {
        let src = offsets[range.start] as usize;
        let dst = new_offsets[range.start] as usize;
        let len = (new_offsets[range.end] - new_offsets[range.start]) as usize;
        targets.copy_within(src..src + len, dst);
        if let Some(w) = weights.as_mut() {
            w.copy_within(src..src + len, dst);
        }
    }
    targets.truncate(total as usize);
    targets.shrink_to_fit();
    if let Some(w) = weights.as_mut() {
        w.truncate(total as usize);
        w.shrink_to_fit();
    }
    *offsets = new_offsets;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(edges: &[[u32; 2]]) -> Segment {
        Segment { edges: edges.to_vec(), weights: None }
    }

    fn lists(csr: &Csr) -> Vec<Vec<u32>> {
        (0..csr.vertex_count() as u32).map(|v| csr.neighbors(v).to_vec()).collect()
    }

    #[test]
    fn directed_build_counts_and_drops() {
        let segments = [seg(&[[0, 1], [0, 1], [1, 1], [2, 0]]), seg(&[[0, 2], [1, 1]])];
        let (csr, report, _) = build_csr(segments.to_vec(), 3, false, BuildOptions::default());
        assert_eq!(lists(&csr), vec![vec![1, 1, 2], vec![1, 1], vec![0]]);
        assert_eq!((report.self_loops_found, report.duplicates_found, report.edges), (2, 2, 6));

        let drop_all = BuildOptions { drop_duplicates: true, drop_self_loops: true, symmetrize: false };
        let (csr, report, _) = build_csr(segments.to_vec(), 3, false, drop_all);
        assert_eq!(lists(&csr), vec![vec![1, 2], vec![], vec![0]]);
        assert_eq!((report.self_loops_dropped, report.duplicates_dropped, report.edges), (2, 2, 3));
    }

    #[test]
    fn symmetric_build_stores_both_directions_and_counts_edges_once() {
        let segments = [seg(&[[0, 1], [1, 0], [2, 2], [1, 2]])];
        let (csr, report, _) = build_csr(segments.to_vec(), 3, true, BuildOptions::default());
        assert_eq!(lists(&csr), vec![vec![1, 1], vec![0, 0, 2], vec![1, 2]]);
        assert_eq!((report.duplicates_found, report.self_loops_found, report.edges), (1, 1, 4));
        let options = BuildOptions { drop_duplicates: true, ..BuildOptions::default() };
        let (csr, report, _) = build_csr(segments.to_vec(), 3, true, options);
        assert_eq!(lists(&csr), vec![vec![1], vec![0, 2], vec![1, 2]]);
        assert_eq!(report.edges, 3);
    }

    #[test]
    fn weights_follow_their_edges_and_duplicates_keep_the_smallest() {
        let segments = [Segment { edges: vec![[0, 2], [0, 1], [0, 2]], weights: Some(vec![5.0, 1.0, 3.0]) }];
        let options = BuildOptions { drop_duplicates: true, ..BuildOptions::default() };
        let (csr, _, _) = build_csr(segments.to_vec(), 3, false, options);
        assert_eq!(csr.neighbors(0), &[1, 2]);
        assert_eq!(csr.neighbor_weights(0), Some(&[1.0, 3.0][..]));
        let rev = transpose(&csr);
        assert_eq!(lists(&rev), vec![vec![], vec![0], vec![0]]);
        assert_eq!(rev.neighbor_weights(2), Some(&[3.0][..]));
    }

    #[test]
    fn blocks_cover_all_vertices_in_order() {
        let offsets: Vec<u64> = (0..=200_000u64).map(|i| i * 3).collect();
        let blocks = vertex_blocks(&offsets);
        assert_eq!(blocks.first().map(|b| b.start), Some(0));
        assert_eq!(blocks.last().map(|b| b.end), Some(200_000));
        assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
    }
}
