//! The pull's edges cut into tiles that fit the processor's cache: the vertices are cut into
//! blocks of [`WIDTH`], and tile `(d, s)` holds the edges from a source in block `s` to a
//! target in block `d`, in source order (each edge as two 15-bit offsets in one `u32`). A pull
//! by rows reads a message at random from the whole message array for every edge (4 MB of `f32`
//! on a million vertices, past the 1 MB second-level cache of the machine we measure on); a
//! target block's pull through its tiles reads one source block's messages at a time (128 KB of
//! `f32`) into one target block's accumulators (as much again), both in that cache, and the
//! edges in order. Every target still combines its messages in row order (sources ascending,
//! tile after tile), so with an accumulator that starts at the combiner's identity
//! ([`VertexProgram::combine_identity`]) the bits are those of the rows' fold.
//!
//! PageRank `f32`, 20 iterations, 2 threads, in process (runs after the first two, which make
//! the renumbering and the tiles), against GAP's `pr_spmv` kernel, 5 alternating rounds, GAP /
//! dgraph per round: kron-20 0.98-1.15 (median 0.98) by rows, 1.00-1.40 (median 1.29) through
//! tiles; urand-20 0.90-1.00 (median 0.96) by rows, 0.81-1.30 (median 1.13) through tiles
//! (2026-11-27). Tiles of 2^13 and 2^14 vertices measured no faster than 2^15 (2^13 slower).
//!
//! [`VertexProgram::combine_identity`]: dgraph_algorithms::program::VertexProgram::combine_identity

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use rayon::prelude::*;

use dgraph_datasets::Csr;

use super::superstep::BLOCK;

/// Vertices per block of the engine's tiles: 2^15, so that one block's `f64` messages and
/// accumulators (256 KB each) fit together in a 1 MB second-level cache.
pub(crate) const WIDTH: usize = 1 << 15;

/// Tiles only for graphs of at least this many blocks: with fewer the message array is small
/// enough to stay in cache for the rows' pull, and there would be too few target blocks to keep
/// every thread busy.
const MIN_BLOCKS: usize = 4;

/// At most this many blocks (32M vertices at [`WIDTH`]): the tiles' start table grows with the
/// square of the block count.
const MAX_BLOCKS: usize = 1024;

/// Bits of a vertex's offset within its block in a tile's edge.
const OFFSET_BITS: u32 = 16;

/// The edges of a pull's rows, in tiles of (target block, source block), in blocks of `W`
/// vertices (a power of two, a multiple of the pull's [`BLOCK`], at most 2^16).
pub(crate) struct Tiles<const W: usize> {
    /// Per source block, its tiles one after another by target block.
    sources: Vec<SourceTiles>,
}

/// The tiles of one source block.
struct SourceTiles {
    /// Where the tile of target block `d` starts in `edges` (one more entry than blocks).
    starts: Vec<usize>,
    /// Each edge as its source's offset in its block (high 16 bits) and its target's (low 16).
    edges: Vec<u32>,
}

impl<const W: usize> Tiles<W> {
    /// Checked when the tiles of a width are first made.
    const WIDTH_FITS: () = assert!(W.is_power_of_two() && W % BLOCK == 0 && W <= 1 << OFFSET_BITS);

    /// The tiles of `rows` (each target's row of sources) in blocks of `W`, made from
    /// `transpose` (each source's row of targets; `rows` itself for an undirected graph), a
    /// source block per task: it counts its edges per target block, then appends each to its
    /// tile in source order (its rows are then in cache). `None` when the graph has fewer than
    /// [`MIN_BLOCKS`] or more than [`MAX_BLOCKS`] blocks, or when the memory for a copy of the
    /// edges is not there.
    pub(crate) fn build(rows: &Csr, transpose: &Csr) -> Option<Tiles<W>> {
        let () = Self::WIDTH_FITS;
        let width = W;
        let n = rows.vertex_count();
        let blocks = n.div_ceil(width);
        if !(MIN_BLOCKS..=MAX_BLOCKS).contains(&blocks) || transpose.vertex_count() != n {
            return None;
        }
        let shift = width.trailing_zeros();
        let mask = width as u32 - 1;
        let sources: Vec<Option<SourceTiles>> = (0..blocks)
            .into_par_iter()
            .map(|s| {
                let vertices = (s * width) as u32..((s + 1) * width).min(n) as u32;
                let mut starts = vec![0usize; blocks + 1];
                for u in vertices.clone() {
                    for &v in transpose.neighbors(u) {
                        starts[(v as usize >> shift) + 1] += 1;
                    }
                }
                for d in 0..blocks {
                    starts[d + 1] += starts[d];
                }
                let mut edges = Vec::new();
                edges.try_reserve_exact(starts[blocks]).ok()?;
                edges.resize(starts[blocks], 0u32);
                let mut next = starts.clone();
                for u in vertices {
                    for &v in transpose.neighbors(u) {
                        let d = v as usize >> shift;
                        edges[next[d]] = (u & mask) << OFFSET_BITS | (v & mask);
                        next[d] += 1;
                    }
                }
                Some(SourceTiles { starts, edges })
            })
            .collect();
        let sources: Vec<SourceTiles> = sources.into_iter().collect::<Option<_>>()?;
        if sources.iter().map(|t| t.edges.len()).sum::<usize>() != rows.targets().len() {
            return None;
        }
        Some(Tiles { sources })
    }

    /// The vertices of block `b` of a graph of `n` vertices.
    pub(crate) fn block(b: usize, n: usize) -> Range<usize> {
        b * W..((b + 1) * W).min(n)
    }

    /// Combines the messages of target block `d`'s vertices into `acc` (one per vertex of the
    /// block, each starting at the combiner's identity; past the graph's last vertex, unused),
    /// tile after tile: `acc[t] = combine(acc[t], messages[source])` for every edge, in source
    /// order for each target. A whole block of sources is read as an array of `W` messages, so
    /// that the offsets, masked to `W`, need no bounds check (checked, the loop was 5-10%
    /// slower: PageRank `f32` on kron-20 and urand-20, 4 alternating rounds).
    #[inline]
    pub(crate) fn gather<M: Clone>(&self, d: usize, messages: &[M], acc: &mut [M; W], combine: impl Fn(M, M) -> M) {
        let offset = |e: u32, shift: u32| (e >> shift) as usize & (W - 1);
        for (s, from) in self.sources.iter().enumerate() {
            let tile = &from.edges[from.starts[d]..from.starts[d + 1]];
            let block = &messages[Self::block(s, messages.len())];
            match <&[M; W]>::try_from(block) {
                Ok(sources) => {
                    for &e in tile {
                        let (u, v) = (offset(e, OFFSET_BITS), offset(e, 0));
                        acc[v] = combine(acc[v].clone(), sources[u].clone());
                    }
                }
                // The last block, when the graph ends inside it.
                Err(_) => {
                    for &e in tile {
                        let (u, v) = (offset(e, OFFSET_BITS), offset(e, 0));
                        acc[v] = combine(acc[v].clone(), block[u].clone());
                    }
                }
            }
        }
    }
}

/// Making the tiles costs about what 30 supersteps of PageRank through them save (about 0.1 s
/// on urand-20 with 2 threads, against 3-4 ms a superstep in `f32`; a single 20-iteration
/// `f64` run measured level with and without them): a run of at least this many supersteps
/// makes them, and so does any later run along the same rows.
const WORTH: u32 = 32;

/// An engine's tiles, made when they pay: for pulls along the out-CSR and along the in-CSR (an
/// undirected graph uses the first).
#[derive(Default)]
pub(crate) struct TileCache {
    out: Cell,
    inc: Cell,
}

/// The tiles of one row set, and whether a run asked for them before.
#[derive(Default)]
struct Cell {
    tiles: OnceLock<Option<Tiles<WIDTH>>>,
    asked: AtomicBool,
}

impl TileCache {
    /// The tiles of `rows` (`out` or `inc`) for a run of `supersteps` more supersteps: made
    /// now if they were not yet and they pay ([`WORTH`]); `None` when they do not, or when the
    /// graph gets none.
    pub(crate) fn of<'c>(&'c self, rows: &Csr, out: &Csr, inc: &Csr, supersteps: u32) -> Option<&'c Tiles<WIDTH>> {
        let (cell, transpose) = if std::ptr::eq(rows, out) { (&self.out, inc) } else { (&self.inc, out) };
        let asked_before = cell.asked.swap(true, Ordering::Relaxed);
        let pays = asked_before || supersteps >= WORTH;
        if cell.tiles.get().is_none() && !pays {
            return None;
        }
        cell.tiles.get_or_init(|| Tiles::build(rows, transpose)).as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dgraph_datasets::{BuildOptions, EdgeList, Graph};

    /// Every edge of the rows, once, in its tile, and each target's sources in row order.
    fn check<const W: usize>(rows: &Csr, t: &Tiles<W>) {
        let n = rows.vertex_count();
        let mut seen: Vec<Vec<u32>> = vec![Vec::new(); n];
        for d in 0..t.sources.len() {
            for (s, from) in t.sources.iter().enumerate() {
                assert_eq!(from.starts.len(), t.sources.len() + 1);
                for &e in &from.edges[from.starts[d]..from.starts[d + 1]] {
                    let (u, v) = (s * W + (e >> 16) as usize, d * W + (e & 0xffff) as usize);
                    assert!(u < n && v < n, "edge {u} -> {v} in tile ({d}, {s})");
                    seen[v].push(u as u32);
                }
            }
        }
        for (v, sources) in seen.iter().enumerate() {
            assert_eq!(&sources[..], rows.neighbors(v as u32), "the sources of {v}, in row order");
        }
    }

    #[test]
    fn every_edge_is_in_its_tile_with_each_targets_sources_in_row_order() {
        // 2,600 vertices (6 blocks of 512, the last partial), random edges with repeats and
        // self-loops, and vertices without edges.
        let mut x = 11u64;
        let mut edges: Vec<(u64, u64)> = (0..20_000)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 33) % 2_500, (x >> 13) % 2_500)
            })
            .collect();
        edges.extend([(5, 5), (7, 9), (7, 9)]);
        for directed in [false, true] {
            let list = EdgeList { edges: edges.clone(), weights: None, extra_vertices: (0..2_600).collect(), directed };
            let g = Graph::from_edge_list("tiles", &list, BuildOptions::default()).expect("builds").0;
            let (out, inc) = (g.out_edges(), g.in_edges());
            let pull_in = Tiles::<512>::build(inc, out).expect("6 blocks");
            assert_eq!(pull_in.sources.len(), 6);
            check(inc, &pull_in);
            let pull_out = Tiles::<512>::build(out, inc).expect("6 blocks");
            check(out, &pull_out);
        }
    }

    #[test]
    fn gather_combines_each_targets_messages_in_row_order() {
        let g =
            Graph::from_edges((0..3_000u64).flat_map(|k| [(k, (k * 7 + 1) % 3_000), (k, (k * 13 + 5) % 3_000)]), true)
                .expect("builds");
        let (out, inc) = (g.out_edges(), g.in_edges());
        let t = Tiles::<512>::build(inc, out).expect("6 blocks");
        // Messages that record their order: each target's list of sources.
        let messages: Vec<Vec<u32>> = (0..3_000u32).map(|u| vec![u]).collect();
        for d in 0..t.sources.len() {
            let block = Tiles::<512>::block(d, 3_000);
            let mut acc: Box<[Vec<u32>; 512]> = vec![Vec::new(); 512].try_into().expect("512 long");
            t.gather(d, &messages, &mut acc, |mut a, b| {
                a.extend(b);
                a
            });
            for (i, got) in acc.iter().enumerate() {
                let expected = if i < block.len() { inc.neighbors((block.start + i) as u32) } else { &[] };
                assert_eq!(&got[..], expected);
            }
        }
    }

    #[test]
    fn small_graphs_get_no_tiles() {
        let ring = Graph::from_edges((0..1_500u64).map(|k| (k, (k + 1) % 1_500)), false).expect("builds");
        // 3 blocks of 512: too few.
        assert!(Tiles::<512>::build(ring.out_edges(), ring.out_edges()).is_none());
        let ring = Graph::from_edges((0..2_000u64).map(|k| (k, (k + 1) % 2_000)), false).expect("builds");
        assert!(Tiles::<512>::build(ring.out_edges(), ring.out_edges()).is_some());
        assert!(Tiles::<1024>::build(ring.out_edges(), ring.out_edges()).is_none());
    }
}
