//! Running a vertex program: each superstep becomes per-partition tasks (pull over a block of
//! target vertices, or push from a chunk of the frontier), an exchange that combines the
//! partial accumulators of a vertex's replicas into its master (in partition order), and an
//! apply at the masters. Masters' values live in one shared array that mirrors read directly,
//! so the master -> mirror update copies nothing in one process.
//!
//! Determinism: blocks and chunks have fixed sizes and messages are combined in (partition,
//! block, edge) order, so results do not depend on the number of threads.

use std::mem::needs_drop;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;

use dgraph_algorithms::program::{Direction, VertexProgram};
use dgraph_datasets::prefetch::prefetch;
use dgraph_datasets::Csr;

use super::compact::{Compact, CompactCache};
use super::context::Step;
use super::layout::{Layout, LocalCsr, Partition, Replicas};
use super::tiles::{TileCache, Tiles, WIDTH};
use super::trace::{TaskEvent, Timer};

/// Vertices per pull task.
pub(crate) const BLOCK: usize = 512;
/// Most pull tasks rayon runs as one piece of work. It runs a piece's tasks one after another
/// and cannot give them to an idle thread, and its adaptive splitting left pieces of a hundred
/// tasks and more at a superstep's end: PageRank `f32` on kron-20 with 2 threads had one thread
/// idle for the last 2.4 ms of 27 in some supersteps (seen in `--trace`). With pieces of at most
/// 8 tasks an idle thread finds one to steal: the threads' idle time at superstep ends (from the
/// traces, 2 runs each) went from 1.0-2.2% to 0.0-0.1% on kron-20 and from 0.8-1.0% to 0.1-0.9%
/// on urand-20.
const LEAF: usize = 8;
/// Frontier vertices per push task.
const CHUNK: usize = 1024;
/// Target ranges a push sorts its messages into (each combined by one task).
const PUSH_RANGES: usize = 64;
/// Pull when the frontier's edges exceed 1/ALPHA of all edges (Beamer's direction switch).
const ALPHA: u64 = 20;
/// Keep pulling while the frontier holds more than 1/BETA of the vertices (GAP's default).
const BETA: u64 = 18;

/// How a superstep moved messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Sparse: active vertices pushed along their edges.
    Push,
    /// Dense: every vertex pulled from its active neighbours.
    Pull,
    /// A partition program's round: each partition computed on its own edges.
    Partition,
}

impl Mode {
    /// `push`, `pull` or `partition`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Push => "push",
            Mode::Pull => "pull",
            Mode::Partition => "partition",
        }
    }
}

/// What one superstep did.
#[derive(Debug, Clone, PartialEq)]
pub struct SuperstepStats {
    /// Superstep number, from 0.
    pub index: u32,
    /// Active vertices at the start (all vertices for all-active programs).
    pub frontier: u64,
    /// Push or pull.
    pub mode: Mode,
    /// Combined messages delivered to masters.
    pub messages: u64,
    /// Wall time.
    pub seconds: f64,
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct Run<V> {
    /// The final value of every vertex (dense ids).
    pub values: Vec<V>,
    /// One entry per superstep.
    pub supersteps: Vec<SuperstepStats>,
    /// Every task's event.
    pub events: Vec<TaskEvent>,
}

/// Rows of adjacency: the graph's CSR or a partition's local CSR.
trait Rows: Sync {
    fn row(&self, r: usize) -> (&[u32], Option<&[f64]>);
}

impl Rows for Csr {
    #[inline]
    fn row(&self, r: usize) -> (&[u32], Option<&[f64]>) {
        (self.neighbors(r as u32), self.neighbor_weights(r as u32))
    }
}

impl Rows for LocalCsr {
    #[inline]
    fn row(&self, r: usize) -> (&[u32], Option<&[f64]>) {
        let range = self.offsets[r] as usize..self.offsets[r + 1] as usize;
        (&self.neighbours[range.clone()], self.weights.as_ref().map(|w| &w[range]))
    }
}

/// Active vertices as a bitmap, their count, and as a sorted list made when first asked for:
/// a frontier pull makes the bitmap only, and a pull after it needs no list (building one per
/// block and joining them cost BFS's bottom-up levels 1-2 ms each on kron-20).
struct Frontier {
    list: OnceLock<Vec<u32>>,
    bits: Vec<u64>,
    len: usize,
}

impl Frontier {
    fn new(n: usize, list: Vec<u32>) -> Frontier {
        let mut bits = vec![0u64; n.div_ceil(64)];
        for &v in &list {
            bits[v as usize / 64] |= 1 << (v % 64);
        }
        Frontier { len: list.len(), list: OnceLock::from(list), bits }
    }

    /// The frontier of the set bits of `bits`, `len` of them.
    fn from_bits(bits: Vec<u64>, len: usize) -> Frontier {
        Frontier { list: OnceLock::new(), bits, len }
    }

    /// The active vertices in increasing order (made from the bitmap, by words in parallel, on
    /// first use).
    fn list(&self) -> &[u32] {
        self.list.get_or_init(|| {
            let mut list = Vec::with_capacity(self.len);
            let words = self.bits.par_chunks(BLOCK / 64).enumerate().map(|(c, ws)| {
                let mut found = Vec::new();
                for (k, &w) in ws.iter().enumerate() {
                    let mut w = w;
                    while w != 0 {
                        found.push(((c * (BLOCK / 64) + k) * 64) as u32 + w.trailing_zeros());
                        w &= w - 1;
                    }
                }
                found
            });
            list.par_extend(words.flatten_iter());
            list
        })
    }

    #[inline]
    fn contains(&self, v: u32) -> bool {
        self.bits[v as usize / 64] & (1 << (v % 64)) != 0
    }
}

/// A message buffer of the fused pull cut into its blocks' parts: [`BLOCK`] vertices each, or
/// with `compact` each block's ranks.
fn message_blocks<'m, M>(messages: &'m mut [M], compact: Option<&Compact>, blocks: usize) -> Vec<&'m mut [M]> {
    let Some(c) = compact else { return messages.chunks_mut(BLOCK).collect() };
    let mut parts = Vec::with_capacity(blocks);
    let mut rest = messages;
    for b in 0..blocks {
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(c.block(b).len());
        parts.push(part);
        rest = tail;
    }
    parts
}

/// The rows a vertex pulls from (`pull = true`) or pushes along, for a direction.
fn pick<'a, R>(direction: Direction, directed: bool, pull: bool, out: &'a R, inc: &'a R) -> Vec<&'a R> {
    match (direction, pull) {
        (Direction::Both, _) if directed => vec![out, inc],
        (Direction::Both, _) => vec![out],
        (Direction::Out, true) | (Direction::In, false) => vec![inc],
        (Direction::Out, false) | (Direction::In, true) => vec![out],
    }
}

/// The fused pull's reused arrays.
struct Fused<P: VertexProgram> {
    /// Each vertex's message for this superstep.
    messages: Vec<P::Message>,
    /// The next superstep's messages, when the apply pass computes them.
    spare: Vec<P::Message>,
    /// `Some(aggregate)` when the last pass already computed this superstep's messages (in
    /// `messages`) and aggregate from the current values.
    ahead: Option<f64>,
    /// Whether this run pulls through tiles (then `messages` are by vertex).
    tiled: bool,
}

struct Runner<'a, P: VertexProgram> {
    program: &'a P,
    layout: &'a Layout<'a>,
    compact: &'a CompactCache,
    tiles: &'a TileCache,
    out: &'a Csr,
    inc: &'a Csr,
    directed: bool,
    n: usize,
    origin: Instant,
}

/// Runs `program` to completion on `layout`.
pub(crate) fn run<P: VertexProgram>(
    program: &P,
    layout: &Layout<'_>,
    compact: &CompactCache,
    tiles: &TileCache,
    out: &Csr,
    inc: &Csr,
    directed: bool,
) -> Run<P::Value> {
    let n = out.vertex_count();
    let runner = Runner { program, layout, compact, tiles, out, inc, directed, n, origin: Instant::now() };
    runner.run()
}

impl<P: VertexProgram> Runner<'_, P> {
    fn step(&self, superstep: u32, aggregate: f64) -> Step<'_> {
        Step { out_offsets: self.out.offsets(), superstep, aggregate }
    }

    fn run(&self) -> Run<P::Value> {
        let p = self.program;
        let ctx0 = self.step(0, 0.0);
        let mut values: Vec<P::Value> = (0..self.n as u32).into_par_iter().map(|v| p.init(v, &ctx0)).collect();
        let all_active = p.all_active();
        let mut frontier = if all_active {
            None
        } else {
            let list: Vec<u32> = (0..self.n as u32).into_par_iter().filter(|&v| p.initially_active(v)).collect();
            Some(Frontier::new(self.n, list))
        };
        let mut supersteps = Vec::new();
        let mut events = Vec::new();
        // Buffers of the fused all-active pull (allocated once: fresh multi-megabyte vectors
        // every superstep cost page faults).
        let mut fused: Option<Fused<P>> = None;
        // The frontier pull's second value buffer (filled on first use).
        let mut spare: Vec<P::Value> = Vec::new();
        for s in 0..p.max_supersteps() {
            if frontier.as_ref().is_some_and(|f| f.len == 0) || self.n == 0 {
                break;
            }
            let started = Instant::now();
            let ahead = fused.as_ref().and_then(|f| f.ahead);
            let aggregate = if let Some(sum) = ahead {
                sum
            } else if p.uses_aggregate() {
                let timer = Timer::start(self.origin);
                let ctx = self.step(s, 0.0);
                let sum = deterministic_sum(self.n, |v| p.aggregate(v as u32, &values[v], &ctx));
                events.push(timer.finish("aggregate", s, 0, self.n as u64, 0));
                sum
            } else {
                0.0
            };
            let ctx = self.step(s, aggregate);
            let mode = match &frontier {
                None => Mode::Pull,
                Some(f) => self.choose_mode(f, supersteps.last()),
            };
            let frontier_size = frontier.as_ref().map_or(self.n as u64, |f| f.len as u64);
            if let Some(delivered) = self.fused_pull(&mut values, &mut fused, &ctx, &mut events) {
                supersteps.push(SuperstepStats {
                    index: s,
                    frontier: frontier_size,
                    mode: Mode::Pull,
                    messages: delivered,
                    seconds: started.elapsed().as_secs_f64(),
                });
                continue;
            }
            if let (Mode::Pull, Some(f)) = (mode, &frontier) {
                if let Some((delivered, change, next)) =
                    self.frontier_pull(&mut values, &mut spare, f, &ctx, &mut events)
                {
                    supersteps.push(SuperstepStats {
                        index: s,
                        frontier: frontier_size,
                        mode,
                        messages: delivered,
                        seconds: started.elapsed().as_secs_f64(),
                    });
                    frontier = Some(next);
                    if p.tolerance().is_some_and(|t| change < t) {
                        break;
                    }
                    continue;
                }
            }
            let (messages, change, next) = match mode {
                // `choose_mode` never answers `Partition` (that is a partition program's round).
                Mode::Pull | Mode::Partition => {
                    let combined = self.pull(&values, frontier.as_ref(), &ctx, &mut events);
                    let delivered = combined.iter().filter(|m| m.is_some()).count() as u64;
                    let timer = Timer::start(self.origin);
                    let (change, next) = self.apply_dense(&mut values, combined, &ctx, all_active);
                    events.push(timer.finish("apply", s, 0, self.n as u64, 0));
                    (delivered, change, next)
                }
                Mode::Push => {
                    let list = frontier.as_ref().map_or(&[][..], |f| f.list());
                    let combined = self.push(&values, list, &ctx, &mut events);
                    let delivered = combined.iter().map(Vec::len).sum::<usize>() as u64;
                    let timer = Timer::start(self.origin);
                    let (change, next) = self.apply_sparse(&mut values, combined, &ctx);
                    events.push(timer.finish("apply", s, 0, delivered, 0));
                    (delivered, change, next)
                }
            };
            supersteps.push(SuperstepStats {
                index: s,
                frontier: frontier_size,
                mode,
                messages,
                seconds: started.elapsed().as_secs_f64(),
            });
            if !all_active {
                frontier = Some(Frontier::new(self.n, next));
            }
            if p.tolerance().is_some_and(|t| change < t) {
                break;
            }
        }
        Run { values, supersteps, events }
    }

    /// The all-active dense superstep on the whole graph (PageRank), fused: each vertex's
    /// message is computed once into a reused buffer, then every block pulls its vertices'
    /// messages and applies them to the values in place (no combined-message array, no second
    /// value array: nothing but a vertex's own apply reads its value once the messages are
    /// out). When the program's messages and aggregate ignore the superstep
    /// ([`VertexProgram::message_ignores_step`]), the same pass also computes the next
    /// superstep's messages and, per block, its aggregate (summed in block order, as
    /// `deterministic_sum` does). `None` when the program or layout does not qualify (or a
    /// vertex sends no message), and the general path runs.
    fn fused_pull(
        &self,
        values: &mut [P::Value],
        state: &mut Option<Fused<P>>,
        ctx: &Step<'_>,
        events: &mut Vec<TaskEvent>,
    ) -> Option<u64> {
        let p = self.program;
        let Layout::Whole { out, inc } = self.layout else { return None };
        if !p.all_active() || p.tolerance().is_some() || p.message_uses_weight() {
            return None;
        }
        let s = ctx.superstep;
        let timer = Timer::start(self.origin);
        let rows = pick(p.direction(), self.directed, true, *out, *inc);
        // One row set (the common case: in-edges, or an undirected graph's edges): the rows
        // are sliced straight from the CSR, with no per-vertex loop over row sets. When the
        // combiner has an identity they are pulled through tiles (`tiles.rs`, messages by
        // vertex); otherwise their messages may be kept by rank among the vertices they list
        // (`compact.rs`).
        let identity = if rows.len() == 1 && !p.first_message_suffices() { p.combine_identity() } else { None };
        // Whether to pull through tiles is settled once per run, with the first superstep.
        let tiles = match (&identity, state.as_ref()) {
            (None, _) => None,
            (Some(_), Some(f)) if !f.tiled => None,
            (Some(_), _) => {
                let supersteps = p.max_supersteps().saturating_sub(s);
                self.tiles.of(rows[0], self.out, self.inc, supersteps)
            }
        };
        let compact =
            if rows.len() == 1 && tiles.is_none() { self.compact.of(rows[0], self.out, self.inc) } else { None };
        let blocks = self.n.div_ceil(BLOCK);
        let state = match state {
            Some(f) if f.ahead.is_some() => f,
            Some(f) => {
                let values: &[P::Value] = values;
                let complete =
                    message_blocks(&mut f.messages, compact, blocks).into_par_iter().enumerate().all(|(b, ms)| {
                        let first = b * BLOCK;
                        let block_values = &values[first..(first + BLOCK).min(self.n)];
                        self.block_messages(b, block_values, ms, compact, ctx)
                    });
                if !complete {
                    return None;
                }
                f
            }
            None => {
                // One message per listed vertex (every vertex when nothing is renumbered).
                let messages = every(compact.map_or(self.n, |c| c.members.len()), |i| {
                    let u = compact.map_or(i as u32, |c| c.members[i]);
                    p.message(u, &values[u as usize], 1.0, ctx)
                })?;
                let spare = if p.message_ignores_step() { messages.clone() } else { Vec::new() };
                state.insert(Fused { messages, spare, ahead: None, tiled: tiles.is_some() })
            }
        };
        events.push(timer.finish("messages", s, 0, self.n as u64, 0));
        if let (Some(tiles), Some(identity)) = (tiles, identity) {
            return Some(self.tiled_pass(tiles, identity, rows[0].offsets(), values, state, ctx, events));
        }
        let messages: &[P::Message] = &state.messages;
        // The arrays are taken once: a CSR reaches them through its buffers, which would cost
        // two dereferences per vertex.
        let single =
            (rows.len() == 1).then(|| (rows[0].offsets(), compact.map_or(rows[0].targets(), |c| &c.targets[..])));
        let ahead = p.message_ignores_step();
        let mut spare = std::mem::take(&mut state.spare);
        // Without look-ahead the spare buffer is empty: give each block an empty slice.
        let spare_blocks: Vec<&mut [P::Message]> = if ahead {
            message_blocks(&mut spare, compact, blocks)
        } else {
            (0..blocks).map(|_| Default::default()).collect()
        };
        // The values are updated in place: every message of this superstep is in `messages`,
        // so a vertex's old value is read only by its own apply, just before it is replaced.
        let blocks: Vec<(TaskEvent, u64, Option<f64>)> = values
            .par_chunks_mut(BLOCK)
            .zip(spare_blocks)
            .enumerate()
            .with_max_len(LEAF)
            .map(|(b, (slots, next_messages))| {
                // A copy on this task's stack: the compiler then sees that no store below can
                // change it and hoists what the program derives from it (PageRank's sink share)
                // out of the vertex loop. (What the program derives from itself, such as the
                // damping, is hoisted in `pull_rows`, whose parameters say it cannot change.)
                let ctx = &Step { out_offsets: ctx.out_offsets, superstep: ctx.superstep, aggregate: ctx.aggregate };
                let timer = Timer::start(self.origin);
                let first = b * BLOCK;
                let delivered = match single {
                    Some((offsets, targets)) => pull_rows(p, first, slots, messages, offsets, targets, ctx),
                    None => {
                        let mut delivered = 0;
                        for (i, slot) in slots.iter_mut().enumerate() {
                            let v = first + i;
                            // As in the general pull: a vertex that wants no messages gets none.
                            let message = if p.wants_messages(v as u32, slot) {
                                self.gather_dense(messages, &rows, v)
                            } else {
                                None
                            };
                            delivered += u64::from(message.is_some());
                            *slot = p.apply(v as u32, slot, message, ctx).0;
                        }
                        delivered
                    }
                };
                let next_aggregate = if ahead { self.look_ahead(b, slots, next_messages, compact, ctx) } else { None };
                (timer.finish("pull", s, 0, slots.len() as u64, delivered), delivered, next_aggregate)
            })
            .collect();
        let delivered = blocks.iter().map(|e| e.1).sum();
        state.ahead = if ahead { blocks.iter().map(|e| e.2).sum::<Option<f64>>() } else { None };
        if state.ahead.is_some() {
            std::mem::swap(&mut state.messages, &mut spare);
        }
        state.spare = spare;
        events.extend(blocks.into_iter().map(|e| e.0));
        Some(delivered)
    }

    /// The rest of [`Runner::fused_pull`] through `tiles`: each target block of the tiles
    /// gathers its vertices' messages into accumulators that start at the combiner's
    /// `identity` (the same bits as the rows' fold), applies them in place, and computes the
    /// next messages and aggregate per [`BLOCK`] as the rows' pass does (the aggregate's block
    /// sums added in block order). `offsets` are the rows' (whether a vertex has any). Returns
    /// the messages delivered.
    #[allow(clippy::too_many_arguments)]
    fn tiled_pass(
        &self,
        tiles: &Tiles<WIDTH>,
        identity: P::Message,
        offsets: &[u64],
        values: &mut [P::Value],
        state: &mut Fused<P>,
        ctx: &Step<'_>,
        events: &mut Vec<TaskEvent>,
    ) -> u64 {
        let p = self.program;
        let s = ctx.superstep;
        let width = WIDTH;
        let messages: &[P::Message] = &state.messages;
        let ahead = p.message_ignores_step();
        let mut spare = std::mem::take(&mut state.spare);
        let spare_blocks: Vec<&mut [P::Message]> = if ahead {
            spare.chunks_mut(width).collect()
        } else {
            (0..self.n.div_ceil(width)).map(|_| Default::default()).collect()
        };
        let blocks: Vec<(TaskEvent, u64, Vec<Option<f64>>)> = values
            .par_chunks_mut(width)
            .zip(spare_blocks)
            .enumerate()
            .with_max_len(1)
            // One accumulator buffer per rayon job, reused by its blocks.
            .map_init(
                || -> Box<[P::Message; WIDTH]> {
                    match vec![identity.clone(); WIDTH].into_boxed_slice().try_into() {
                        Ok(acc) => acc,
                        Err(_) => unreachable!("a vector of WIDTH messages is an array of them"),
                    }
                },
                |acc, (d, (slots, next_messages))| {
                    // A copy on the stack, as in the rows' pass.
                    let ctx =
                        &Step { out_offsets: ctx.out_offsets, superstep: ctx.superstep, aggregate: ctx.aggregate };
                    let timer = Timer::start(self.origin);
                    let first = d * width;
                    acc.fill(identity.clone());
                    tiles.gather(d, messages, acc, |a, b| p.combine(a, b));
                    let delivered = apply_gathered(p, first, slots, &acc[..], offsets, ctx);
                    let sums: Vec<Option<f64>> = if ahead {
                        slots
                            .chunks(BLOCK)
                            .zip(next_messages.chunks_mut(BLOCK))
                            .enumerate()
                            .map(|(j, (block_values, out))| {
                                self.look_ahead(first / BLOCK + j, block_values, out, None, ctx)
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    (timer.finish("pull", s, 0, slots.len() as u64, delivered), delivered, sums)
                },
            )
            .collect();
        let delivered = blocks.iter().map(|e| e.1).sum();
        // The blocks' sums in block order, as the rows' pass adds them.
        state.ahead = if ahead { blocks.iter().flat_map(|e| e.2.iter().copied()).sum::<Option<f64>>() } else { None };
        if state.ahead.is_some() {
            std::mem::swap(&mut state.messages, &mut spare);
        }
        state.spare = spare;
        events.extend(blocks.into_iter().map(|e| e.0));
        delivered
    }

    /// A pull superstep with a frontier on the whole graph (BFS's dense levels), fused: each
    /// block gathers its vertices' messages, applies them into a second value buffer and
    /// collects its share of the next frontier, list and bitmap (a block of [`BLOCK`] vertices
    /// owns whole bitmap words), so no per-vertex message array is built and the vertices are
    /// passed over once. The buffers then swap. Returns the messages delivered, the summed
    /// change and the next frontier; `None` on a split layout (the general pull runs).
    fn frontier_pull(
        &self,
        values: &mut Vec<P::Value>,
        spare: &mut Vec<P::Value>,
        frontier: &Frontier,
        ctx: &Step<'_>,
        events: &mut Vec<TaskEvent>,
    ) -> Option<(u64, f64, Frontier)> {
        let p = self.program;
        let Layout::Whole { out, inc } = self.layout else { return None };
        let s = ctx.superstep;
        // Programs that take the first message scan the frontier's bitmap (see `pull`); others
        // read each source's message, computed once.
        let cached = if p.first_message_suffices() { None } else { self.source_messages(values, Some(frontier), ctx) };
        let cached = cached.as_deref();
        let rows = pick(p.direction(), self.directed, true, *out, *inc);
        // One message for every active source (BFS): the pull reads only the frontier's bits,
        // so it updates the values in place, writing only the vertices that change.
        if let (true, Some(message), 1) = (p.first_message_suffices(), p.uniform_message(ctx), rows.len()) {
            let (offsets, targets) = (rows[0].offsets(), rows[0].targets());
            let frontier_bits = &frontier.bits[..];
            return Some(self.frontier_blocks(values, s, events, |first, slots, words| {
                let window = &offsets[first..=first + slots.len()];
                frontier_rows_in_place(p, first, slots, window, targets, frontier_bits, &message, ctx, words)
            }));
        }
        if spare.len() != values.len() {
            // Copied by every thread: the new buffer's first touches (page faults, about 2.5 ms
            // for 4 MB on one thread here) are most of the copy's cost.
            *spare = values.par_iter().with_min_len(BLOCK).cloned().collect();
        }
        // One row set and the first message: rows sliced from the CSR's arrays, taken once,
        // so the per-vertex work is short and the CPU keeps several rows' loads in flight.
        let direct =
            (rows.len() == 1 && cached.is_none()).then(|| (rows[0].offsets(), rows[0].targets(), rows[0].weights()));
        let values_now: &[P::Value] = values;
        let pulled = self.frontier_blocks(spare, s, events, |first, slots, words| match direct {
            Some((offsets, targets, weights)) => {
                let bits = &frontier.bits[..];
                let window = &offsets[first..=first + slots.len()];
                frontier_rows(p, first, slots, values_now, window, ctx, words, |_, row| {
                    let row = row[0] as usize..row[1] as usize;
                    first_message(p, &targets[row.clone()], weights.map(|w| &w[row]), bits, values_now, ctx)
                })
            }
            // (The window is the out-offsets', unused here: any array of the block's length
            // plus one.)
            None => {
                let window = &ctx.out_offsets[first..=first + slots.len()];
                frontier_rows(p, first, slots, values_now, window, ctx, words, |v, _| match cached {
                    Some(c) => self.gather_cached(c, &rows, v),
                    None => self.gather(values_now, Some(frontier), &rows, v, ctx),
                })
            }
        });
        std::mem::swap(values, spare);
        Some(pulled)
    }

    /// A frontier pull's blocks over `slots` (the values it writes, [`BLOCK`] at a time, each
    /// with its words of the next frontier's bitmap), run by `block(first vertex, slots, words)`,
    /// which returns the block's messages delivered, change and vertices made active; their sums
    /// (the change in block order, as `deterministic_sum` adds), the blocks' events added to
    /// `events`, and the next frontier.
    fn frontier_blocks(
        &self,
        slots: &mut [P::Value],
        superstep: u32,
        events: &mut Vec<TaskEvent>,
        block: impl Fn(usize, &mut [P::Value], &mut [u64]) -> (u64, f64, usize) + Sync,
    ) -> (u64, f64, Frontier) {
        let mut bits = vec![0u64; self.n.div_ceil(64)];
        let blocks: Vec<(TaskEvent, u64, f64, usize)> = slots
            .par_chunks_mut(BLOCK)
            .zip(bits.par_chunks_mut(BLOCK / 64))
            .enumerate()
            .with_max_len(LEAF)
            .map(|(b, (slots, words))| {
                let timer = Timer::start(self.origin);
                let (delivered, changes, active) = block(b * BLOCK, slots, words);
                (timer.finish("pull", superstep, 0, slots.len() as u64, delivered), delivered, changes, active)
            })
            .collect();
        let delivered = blocks.iter().map(|e| e.1).sum();
        let change = blocks.iter().map(|e| e.2).sum();
        let len = blocks.iter().map(|e| e.3).sum();
        events.extend(blocks.into_iter().map(|e| e.0));
        (delivered, change, Frontier::from_bits(bits, len))
    }

    /// The fused pull's look-ahead for block `b` (new values `values`): its next messages into
    /// `out` ([`Runner::block_messages`]) and its share of the next aggregate, `None` when a
    /// vertex sent no message.
    #[inline]
    fn look_ahead(
        &self,
        b: usize,
        values: &[P::Value],
        out: &mut [P::Message],
        compact: Option<&Compact>,
        ctx: &Step<'_>,
    ) -> Option<f64> {
        let p = self.program;
        if !self.block_messages(b, values, out, compact, ctx) {
            return None;
        }
        let first = b * BLOCK;
        Some(if p.uses_aggregate() {
            block_sum((0..values.len()).map(|i| p.aggregate((first + i) as u32, &values[i], ctx)))
        } else {
            0.0
        })
    }

    /// The messages of block `b` (values `values`) into `out`, for the fused pull: every
    /// vertex's, or with `compact` the listed vertices' (`out` then holds the block's ranks);
    /// whether every one sent a message.
    fn block_messages(
        &self,
        b: usize,
        values: &[P::Value],
        out: &mut [P::Message],
        compact: Option<&Compact>,
        ctx: &Step<'_>,
    ) -> bool {
        let first = b * BLOCK;
        let Some(c) = compact else { return self.messages_into(first, values, out, ctx) };
        let mut complete = true;
        for (slot, &v) in out.iter_mut().zip(&c.members[c.block(b)]) {
            match self.program.message(v, &values[v as usize - first], 1.0, ctx) {
                Some(m) => *slot = m,
                None => complete = false,
            }
        }
        complete
    }

    /// The messages of vertices `first..` (values `values`) into `out`, for the fused pull;
    /// whether every one sent a message. A plain index loop: iterator closures here were left
    /// as calls per vertex.
    #[inline]
    fn messages_into(&self, first: usize, values: &[P::Value], out: &mut [P::Message], ctx: &Step<'_>) -> bool {
        let mut complete = true;
        for i in 0..values.len() {
            match self.program.message((first + i) as u32, &values[i], 1.0, ctx) {
                Some(m) => out[i] = m,
                None => complete = false,
            }
        }
        complete
    }

    /// Push or pull for frontier `f`, after superstep `last`: pull when the frontier's edges
    /// exceed 1/[`ALPHA`] of all edges; once pulling, keep pulling while the frontier grows or
    /// holds more than 1/[`BETA`] of the vertices (Beamer's direction-optimizing switch: a
    /// shrinking but still large frontier is cheaper to pull, as most of its neighbours are
    /// already reached).
    fn choose_mode(&self, f: &Frontier, last: Option<&SuperstepStats>) -> Mode {
        if let Some(last) = last.filter(|l| l.mode == Mode::Pull) {
            let size = f.len as u64;
            if size >= last.frontier || size * BETA > self.n as u64 {
                return Mode::Pull;
            }
        }
        let rows = pick(self.program.direction(), self.directed, false, self.out, self.inc);
        let edges: u64 = f.list().par_iter().map(|&v| rows.iter().map(|r| r.degree(v) as u64).sum::<u64>()).sum();
        let total: u64 = rows.iter().map(|r| r.entry_count()).sum();
        if (edges + f.len as u64) * ALPHA > total {
            Mode::Pull
        } else {
            Mode::Push
        }
    }

    /// Gathers the combined message of one vertex from its pull rows.
    #[inline]
    fn gather<R: Rows>(
        &self,
        values: &[P::Value],
        active: Option<&Frontier>,
        rows: &[&R],
        row: usize,
        ctx: &Step<'_>,
    ) -> Option<P::Message> {
        let p = self.program;
        if let (Some(f), true) = (active, p.first_message_suffices()) {
            return rows.iter().find_map(|r| {
                let (nbrs, ws) = r.row(row);
                first_message(p, nbrs, ws, &f.bits, values, ctx)
            });
        }
        let mut acc: Option<P::Message> = None;
        for r in rows {
            let (nbrs, ws) = r.row(row);
            for (i, &u) in nbrs.iter().enumerate() {
                if active.is_some_and(|f| !f.contains(u)) {
                    continue;
                }
                let w = ws.map_or(1.0, |w| w[i]);
                if let Some(m) = p.message(u, &values[u as usize], w, ctx) {
                    acc = Some(match acc {
                        None => m,
                        Some(a) => p.combine(a, m),
                    });
                    if p.first_message_suffices() {
                        return acc;
                    }
                }
            }
        }
        acc
    }

    /// Like `gather`, reading messages computed once per source (`cached[u]`, `None` when `u`
    /// is inactive or sends nothing).
    #[inline]
    fn gather_cached<R: Rows>(&self, cached: &[Option<P::Message>], rows: &[&R], row: usize) -> Option<P::Message> {
        let p = self.program;
        let mut acc: Option<P::Message> = None;
        for r in rows {
            for &u in r.row(row).0 {
                if let Some(m) = &cached[u as usize] {
                    acc = Some(match acc {
                        None => m.clone(),
                        Some(a) => p.combine(a, m.clone()),
                    });
                    if p.first_message_suffices() {
                        return acc;
                    }
                }
            }
        }
        acc
    }

    /// Like `gather_cached` when every vertex has a message: a loop over the neighbours.
    #[inline]
    fn gather_dense<R: Rows>(&self, cached: &[P::Message], rows: &[&R], row: usize) -> Option<P::Message> {
        let p = self.program;
        let mut acc: Option<P::Message> = None;
        for r in rows {
            let nbrs = r.row(row).0;
            if nbrs.is_empty() {
                continue;
            }
            if p.first_message_suffices() {
                return Some(acc.unwrap_or_else(|| cached[nbrs[0] as usize].clone()));
            }
            let all = if needs_drop::<P::Message>() {
                // The row's first reads, which no earlier row's look-ahead covers here.
                for &u in nbrs.iter().take(AHEAD) {
                    prefetch(&cached[u as usize]);
                }
                combine_row_ahead(p, nbrs, 0..nbrs.len(), |u| &cached[u as usize])
            } else {
                fold_row(p, nbrs, |u| cached[u as usize].clone())
            };
            acc = Some(match acc {
                Some(a) => p.combine(a, all),
                None => all,
            });
        }
        acc
    }

    /// Each active vertex's message, once (for programs whose messages ignore the edge).
    fn source_messages(
        &self,
        values: &[P::Value],
        active: Option<&Frontier>,
        ctx: &Step<'_>,
    ) -> Option<Vec<Option<P::Message>>> {
        let p = self.program;
        if p.message_uses_weight() {
            return None;
        }
        Some(
            (0..self.n as u32)
                .into_par_iter()
                .with_min_len(BLOCK)
                .map(|u| {
                    if active.is_some_and(|f| !f.contains(u)) {
                        return None;
                    }
                    p.message(u, &values[u as usize], 1.0, ctx)
                })
                .collect(),
        )
    }

    /// Every vertex's message when all vertices are active and all send one; `None` otherwise.
    fn dense_source_messages(
        &self,
        values: &[P::Value],
        active: Option<&Frontier>,
        ctx: &Step<'_>,
    ) -> Option<Vec<P::Message>> {
        let p = self.program;
        if p.message_uses_weight() || active.is_some() {
            return None;
        }
        every(self.n, |u| p.message(u as u32, &values[u], 1.0, ctx))
    }

    /// Dense superstep: every vertex pulls; returns the combined message per vertex.
    fn pull(
        &self,
        values: &[P::Value],
        active: Option<&Frontier>,
        ctx: &Step<'_>,
        events: &mut Vec<TaskEvent>,
    ) -> Vec<Option<P::Message>> {
        let p = self.program;
        let s = ctx.superstep;
        // When every vertex has a message (PageRank), keep them without `Option`s: half the
        // memory read per edge and no test in the inner loop. Otherwise one `Option` each.
        let dense = self.dense_source_messages(values, active, ctx);
        // A program that needs one message (BFS) tests the frontier's bitmap per in-edge and
        // computes a message only for the neighbour it takes: an array of messages would be
        // read at random, one per edge, from memory 64 times the bitmap's size.
        let scan_bitmap = p.first_message_suffices() && active.is_some();
        let cached = if dense.is_some() || scan_bitmap { None } else { self.source_messages(values, active, ctx) };
        let (dense, cached) = (dense.as_deref(), cached.as_deref());
        match self.layout {
            Layout::Whole { out, inc } => {
                let rows = pick(p.direction(), self.directed, true, *out, *inc);
                // Each task fills its own block of the result in place: no per-block vectors.
                let mut combined: Vec<Option<P::Message>> = vec![None; self.n];
                let block_events: Vec<TaskEvent> = combined
                    .par_chunks_mut(BLOCK)
                    .enumerate()
                    .with_max_len(LEAF)
                    .map(|(b, slots)| {
                        let timer = Timer::start(self.origin);
                        let mut messages = 0;
                        for (i, slot) in slots.iter_mut().enumerate() {
                            let v = b * BLOCK + i;
                            *slot = match (p.wants_messages(v as u32, &values[v]), dense, cached) {
                                (false, _, _) => None,
                                (true, Some(d), _) => self.gather_dense(d, &rows, v),
                                (true, None, Some(c)) => self.gather_cached(c, &rows, v),
                                (true, None, None) => self.gather(values, active, &rows, v, ctx),
                            };
                            messages += u64::from(slot.is_some());
                        }
                        timer.finish("pull", s, 0, slots.len() as u64, messages)
                    })
                    .collect();
                events.extend(block_events);
                combined
            }
            Layout::Split { parts, replicas } => {
                let tasks: Vec<(usize, usize)> = parts
                    .iter()
                    .enumerate()
                    .flat_map(|(pi, part)| (0..part.vertices.len().div_ceil(BLOCK)).map(move |b| (pi, b)))
                    .collect();
                let results: Vec<PartialPull<P::Message>> = tasks
                    .into_par_iter()
                    .map(|(pi, b)| {
                        let part = &parts[pi];
                        let timer = Timer::start(self.origin);
                        let rows = pick(p.direction(), self.directed, true, &part.out, &part.inc);
                        let range = b * BLOCK..((b + 1) * BLOCK).min(part.vertices.len());
                        let len = range.len() as u64;
                        let acc: Vec<Option<P::Message>> = range
                            .map(|l| {
                                let v = part.vertices[l];
                                match (p.wants_messages(v, &values[v as usize]), dense, cached) {
                                    (false, _, _) => None,
                                    (true, Some(d), _) => self.gather_dense(d, &rows, l),
                                    (true, None, Some(c)) => self.gather_cached(c, &rows, l),
                                    (true, None, None) => self.gather(values, active, &rows, l, ctx),
                                }
                            })
                            .collect();
                        let messages = acc.iter().filter(|m| m.is_some()).count() as u64;
                        (pi, acc, timer.finish("pull", s, pi as u32, len, messages))
                    })
                    .collect();
                let mut local: Vec<Vec<Option<P::Message>>> =
                    parts.iter().map(|part| Vec::with_capacity(part.vertices.len())).collect();
                for (pi, acc, event) in results {
                    local[pi].extend(acc);
                    events.push(event);
                }
                let timer = Timer::start(self.origin);
                let combined = self.exchange(parts, replicas, &local);
                events.push(timer.finish("exchange", s, 0, self.n as u64, replicas.entries.len() as u64));
                combined
            }
        }
    }

    /// Mirror -> master: combines each vertex's replica accumulators in partition order.
    fn exchange(
        &self,
        parts: &[Partition],
        replicas: &Replicas,
        local: &[Vec<Option<P::Message>>],
    ) -> Vec<Option<P::Message>> {
        debug_assert_eq!(parts.len(), local.len());
        let p = self.program;
        (0..self.n)
            .into_par_iter()
            .with_min_len(BLOCK)
            .map(|v| {
                let entries = &replicas.entries[replicas.offsets[v] as usize..replicas.offsets[v + 1] as usize];
                entries.iter().fold(None, |acc, &(pi, l)| match (acc, local[pi as usize][l as usize].clone()) {
                    (None, m) => m,
                    (a, None) => a,
                    (Some(a), Some(m)) => Some(p.combine(a, m)),
                })
            })
            .collect()
    }

    /// The target ranges of a push: how many, and vertices per range.
    fn push_ranges(&self) -> (usize, usize) {
        let ranges = self.n.clamp(1, PUSH_RANGES);
        (ranges, self.n.div_ceil(ranges).max(1))
    }

    /// Sparse superstep: the frontier pushes; returns, per target range, the `(vertex,
    /// combined message)` pairs sorted by vertex.
    fn push(
        &self,
        values: &[P::Value],
        list: &[u32],
        ctx: &Step<'_>,
        events: &mut Vec<TaskEvent>,
    ) -> Vec<Vec<(u32, P::Message)>> {
        let p = self.program;
        let s = ctx.superstep;
        // Messages are sorted into target ranges as they are sent, so each range combines
        // on its own (below) instead of one global sort.
        let (ranges, span) = self.push_ranges();
        let emit = |rows: &[&dyn RowsDyn], row: usize, u: u32, out: &mut [Vec<(u32, P::Message)>]| {
            for r in rows {
                let (nbrs, ws) = r.row_dyn(row);
                for (i, &v) in nbrs.iter().enumerate() {
                    // A vertex that takes no messages (BFS: visited) is sent none.
                    if !p.wants_messages(v, &values[v as usize]) {
                        continue;
                    }
                    if let Some(m) = p.message(u, &values[u as usize], ws.map_or(1.0, |w| w[i]), ctx) {
                        out[v as usize / span].push((v, m));
                    }
                }
            }
        };
        let raw: Vec<PushChunk<P::Message>> = match self.layout {
            Layout::Whole { out, inc } => {
                let rows: Vec<&dyn RowsDyn> = pick(p.direction(), self.directed, false, *out, *inc)
                    .into_iter()
                    .map(|r| r as &dyn RowsDyn)
                    .collect();
                list.par_chunks(CHUNK)
                    .map(|chunk| {
                        let timer = Timer::start(self.origin);
                        let mut msgs = vec![Vec::new(); ranges];
                        chunk.iter().for_each(|&u| emit(&rows, u as usize, u, &mut msgs));
                        let count = msgs.iter().map(Vec::len).sum::<usize>() as u64;
                        (msgs, timer.finish("push", s, 0, chunk.len() as u64, count))
                    })
                    .collect()
            }
            Layout::Split { parts, .. } => {
                let tasks: Vec<(usize, usize)> =
                    (0..parts.len()).flat_map(|pi| (0..list.len().div_ceil(CHUNK)).map(move |c| (pi, c))).collect();
                tasks
                    .into_par_iter()
                    .map(|(pi, c)| {
                        let part = &parts[pi];
                        let timer = Timer::start(self.origin);
                        let rows: Vec<&dyn RowsDyn> = pick(p.direction(), self.directed, false, &part.out, &part.inc)
                            .into_iter()
                            .map(|r| r as &dyn RowsDyn)
                            .collect();
                        let chunk = &list[c * CHUNK..((c + 1) * CHUNK).min(list.len())];
                        let mut msgs = vec![Vec::new(); ranges];
                        for &u in chunk {
                            if let Ok(l) = part.vertices.binary_search(&u) {
                                emit(&rows, l, u, &mut msgs);
                            }
                        }
                        let count = msgs.iter().map(Vec::len).sum::<usize>() as u64;
                        (msgs, timer.finish("push", s, pi as u32, chunk.len() as u64, count))
                    })
                    .collect()
            }
        };
        let timer = Timer::start(self.origin);
        let sent: u64 = raw.iter().map(|r| r.1.messages).sum();
        // Each range combines its messages in (partition, chunk, edge) order: into a dense
        // array over the range when they are many, by a stable sort when few. Either way the
        // order per target is the same, so results do not depend on threads or ranges.
        let combined: Vec<Vec<(u32, P::Message)>> = (0..ranges)
            .into_par_iter()
            .map(|k| {
                let base = k * span;
                let len = span.min(self.n.saturating_sub(base));
                let total: usize = raw.iter().map(|r| r.0[k].len()).sum();
                let mut out: Vec<(u32, P::Message)> = Vec::new();
                if total == 0 {
                    return out;
                }
                if total * 8 < len {
                    let mut all: Vec<(u32, P::Message)> = Vec::with_capacity(total);
                    for r in &raw {
                        all.extend(r.0[k].iter().cloned());
                    }
                    all.sort_by_key(|m| m.0);
                    for (v, m) in all {
                        match out.last_mut() {
                            Some((last, acc)) if *last == v => *acc = p.combine(acc.clone(), m),
                            _ => out.push((v, m)),
                        }
                    }
                } else {
                    let mut local: Vec<Option<P::Message>> = vec![None; len];
                    for r in &raw {
                        for (v, m) in &r.0[k] {
                            let slot = &mut local[*v as usize - base];
                            *slot = Some(match slot.take() {
                                None => m.clone(),
                                Some(a) => p.combine(a, m.clone()),
                            });
                        }
                    }
                    out.extend(local.into_iter().enumerate().filter_map(|(i, m)| m.map(|m| ((base + i) as u32, m))));
                }
                out
            })
            .collect();
        events.extend(raw.into_iter().map(|r| r.1));
        let delivered = combined.iter().map(Vec::len).sum::<usize>() as u64;
        events.push(timer.finish("exchange", s, 0, delivered, sent));
        combined
    }

    /// Applies combined messages to every vertex; returns the summed change and the next frontier.
    fn apply_dense(
        &self,
        values: &mut [P::Value],
        mut combined: Vec<Option<P::Message>>,
        ctx: &Step<'_>,
        all_active: bool,
    ) -> (f64, Vec<u32>) {
        let p = self.program;
        if all_active && p.tolerance().is_none() {
            // Nothing to track: every vertex stays active and no change is measured.
            values.par_iter_mut().zip(combined.into_par_iter()).enumerate().with_min_len(BLOCK).for_each(
                |(v, (value, message))| {
                    *value = p.apply(v as u32, value, message, ctx).0;
                },
            );
            return (f64::INFINITY, Vec::new());
        }
        // Per block: apply, sum the block's changes in vertex order (blocks as
        // `deterministic_sum` groups them) and collect its share of the next frontier.
        let track = p.tolerance().is_some();
        let blocks: Vec<(f64, Vec<u32>)> = values
            .par_chunks_mut(BLOCK)
            .zip(combined.par_chunks_mut(BLOCK))
            .enumerate()
            .map(|(b, (slots, messages))| {
                let (mut change, mut next) = (0.0, Vec::new());
                for (i, (value, message)) in slots.iter_mut().zip(messages).enumerate() {
                    let message = message.take();
                    if !all_active && message.is_none() {
                        continue;
                    }
                    let v = (b * BLOCK + i) as u32;
                    let (new, active) = p.apply(v, value, message, ctx);
                    if track {
                        change += p.change(value, &new);
                    }
                    *value = new;
                    if active && !all_active {
                        next.push(v);
                    }
                }
                (change, next)
            })
            .collect();
        let change = blocks.iter().map(|b| b.0).sum();
        (change, blocks.into_iter().flat_map(|b| b.1).collect())
    }

    /// Applies combined messages (sorted by target, one list per push range) to the vertices
    /// that got one, a range per task; returns the summed change (range sums in order) and the
    /// next frontier, sorted.
    fn apply_sparse(
        &self,
        values: &mut [P::Value],
        combined: Vec<Vec<(u32, P::Message)>>,
        ctx: &Step<'_>,
    ) -> (f64, Vec<u32>) {
        let p = self.program;
        let (_, span) = self.push_ranges();
        let results: Vec<(f64, Vec<u32>)> = values
            .par_chunks_mut(span)
            .zip(combined.into_par_iter())
            .enumerate()
            .map(|(k, (slice, list))| {
                let base = k * span;
                let (mut change, mut next) = (0.0, Vec::new());
                for (v, m) in list {
                    let slot = &mut slice[v as usize - base];
                    let (new, active) = p.apply(v, slot, Some(m), ctx);
                    change += p.change(slot, &new);
                    *slot = new;
                    if active {
                        next.push(v);
                    }
                }
                (change, next)
            })
            .collect();
        let change = results.iter().map(|r| r.0).sum();
        let next = results.into_iter().flat_map(|r| r.1).collect();
        (change, next)
    }
}

/// A pull task's result: its partition, one accumulator per local vertex, its event.
type PartialPull<M> = (usize, Vec<Option<M>>, TaskEvent);
/// A push task's result: its `(target, message)` pairs, by target range, and its event.
type PushChunk<M> = (Vec<Vec<(u32, M)>>, TaskEvent);

/// Object-safe row access for the push loop.
trait RowsDyn: Sync {
    fn row_dyn(&self, r: usize) -> (&[u32], Option<&[f64]>);
}

impl<R: Rows> RowsDyn for R {
    fn row_dyn(&self, r: usize) -> (&[u32], Option<&[f64]>) {
        self.row(r)
    }
}

/// The message of the first neighbour in `nbrs` (weights `ws`) that is in the frontier `f` and
/// sends one: a tight scan of the row against the frontier's bitmap (BFS's bottom-up step).
#[inline(always)]
fn first_message<P: VertexProgram>(
    p: &P,
    nbrs: &[u32],
    ws: Option<&[f64]>,
    frontier: &[u64],
    values: &[P::Value],
    ctx: &Step<'_>,
) -> Option<P::Message> {
    let mut from = 0;
    while let Some(k) = nbrs[from..].iter().position(|&u| frontier[u as usize / 64] >> (u % 64) & 1 != 0) {
        let i = from + k;
        let u = nbrs[i];
        if let Some(m) = p.message(u, &values[u as usize], ws.map_or(1.0, |w| w[i]), ctx) {
            return Some(m);
        }
        from = i + 1;
    }
    None
}

/// The fused frontier pull's vertex loop over the block of `slots` (vertices `first..`; their
/// values now in `values`, their rows' bounds in the window `offsets`): each vertex that wants
/// messages gets `message(v, row)`, and one that gets one is applied into its slot (the others
/// keep their value); active ones get their bit in `words` (the block's words of the next
/// frontier's bitmap). Returns how many got a message, the summed change and how many are
/// active. Out of line, with the row arrays in `message`'s captures (a closure passed by value)
/// and the offsets a window checked once: inlined into the task's closure, with the offsets
/// indexed per vertex, the compiler reloaded the arrays and the program's fields for every
/// vertex (about 25 instructions before a row's scan).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn frontier_rows<P: VertexProgram>(
    p: &P,
    first: usize,
    slots: &mut [P::Value],
    values: &[P::Value],
    offsets: &[u64],
    ctx: &Step<'_>,
    words: &mut [u64],
    message: impl Fn(usize, &[u64]) -> Option<P::Message>,
) -> (u64, f64, usize) {
    let (mut delivered, mut changes, mut count) = (0, 0.0, 0);
    for (i, ((slot, value), row)) in slots.iter_mut().zip(&values[first..]).zip(offsets.windows(2)).enumerate() {
        let v = first + i;
        let Some(m) = p.wants_messages(v as u32, value).then(|| message(v, row)).flatten() else {
            slot.clone_from(value);
            continue;
        };
        delivered += 1;
        let (new, change, active) = settle(p, v as u32, value, m, ctx, words, i);
        (changes, count) = (changes + change, count + usize::from(active));
        *slot = new;
    }
    (delivered, changes, count)
}

/// A frontier pull's apply of `m` to vertex `v` (value `old`, `i`-th of its block): its new
/// value, change and whether it is active (then its bit is set in `words`).
#[inline(always)]
fn settle<P: VertexProgram>(
    p: &P,
    v: u32,
    old: &P::Value,
    m: P::Message,
    ctx: &Step<'_>,
    words: &mut [u64],
    i: usize,
) -> (P::Value, f64, bool) {
    let (new, active) = p.apply(v, old, Some(m), ctx);
    let change = p.change(old, &new);
    if active {
        words[i / 64] |= 1 << (i % 64);
    }
    (new, change, active)
}

/// [`frontier_rows`] in place, for a program whose every active vertex sends `message`
/// ([`VertexProgram::uniform_message`]): a vertex that wants messages and has an active
/// neighbour in its row (`targets` between the window `offsets`; `frontier` the active
/// vertices' bits) is applied in its slot; the others are not written.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn frontier_rows_in_place<P: VertexProgram>(
    p: &P,
    first: usize,
    slots: &mut [P::Value],
    offsets: &[u64],
    targets: &[u32],
    frontier: &[u64],
    message: &P::Message,
    ctx: &Step<'_>,
    words: &mut [u64],
) -> (u64, f64, usize) {
    let (mut delivered, mut changes, mut count) = (0, 0.0, 0);
    for (i, (slot, row)) in slots.iter_mut().zip(offsets.windows(2)).enumerate() {
        let v = (first + i) as u32;
        if !p.wants_messages(v, slot)
            || !targets[row[0] as usize..row[1] as usize]
                .iter()
                .any(|&u| frontier[u as usize / 64] >> (u % 64) & 1 != 0)
        {
            continue;
        }
        delivered += 1;
        let (new, change, active) = settle(p, v, slot, message.clone(), ctx, words, i);
        (changes, count) = (changes + change, count + usize::from(active));
        *slot = new;
    }
    (delivered, changes, count)
}

/// The fused pull's vertex loop over the block of `slots` (vertices `first..`, their values)
/// when its rows are one CSR's arrays: each vertex combines the messages of its row, in row
/// order as [`fold_row`] does, and applies them to its value in place; returns how many got
/// a message.
/// Nothing in the loop is a call (the general loop's `gather_dense` is one, which made the
/// compiler reload the row arrays per vertex), the offsets are a window checked once per
/// block, and a row is one chain of combines.
///
/// The messages are read with bounds checks, on purpose: without them the compiler unrolls
/// the row loop four times (plus a remainder loop), and that loop ran PageRank (`f32`, 2
/// threads) on `urand-20` 1.3-1.5x slower than this rolled, checked one (why the unrolled form
/// overlaps the random reads worse was not established); the check's compare and branch are
/// always predicted.
///
/// It is kept out of line on purpose too: as a function's parameters, `p` (shared, immutable)
/// and `slots` (exclusive) tell the compiler that no store of the loop changes the program, so
/// what `apply` derives from the program's own fields (PageRank's `(1 - d) / n`, a division) is
/// computed once per block instead of once per vertex. Inlined into the task's closure it was
/// not: PageRank `f32`, 3 alternating rounds of 5 runs (medians), urand-20 0.56-0.57 s -> 0.48-0.52
/// s, kron-20 0.54-0.64 -> 0.55-0.56 s; a build with the damping as a constant ran the same.
#[inline(never)]
fn pull_rows<P: VertexProgram>(
    p: &P,
    first: usize,
    slots: &mut [P::Value],
    messages: &[P::Message],
    offsets: &[u64],
    targets: &[u32],
    ctx: &Step<'_>,
) -> u64 {
    let offsets = &offsets[first..=first + slots.len()];
    let get = |u: u32| messages[u as usize].clone();
    let mut delivered = 0;
    for (i, (slot, row)) in slots.iter_mut().zip(offsets.windows(2)).enumerate() {
        let v = (first + i) as u32;
        // As in the general pull: a vertex that wants no messages gets none.
        let message = if !p.wants_messages(v, slot) {
            None
        } else {
            let nbrs = &targets[row[0] as usize..row[1] as usize];
            match nbrs.first() {
                None => None,
                Some(&u) if p.first_message_suffices() => Some(get(u)),
                Some(_) if needs_drop::<P::Message>() => {
                    Some(combine_row_ahead(p, targets, row[0] as usize..row[1] as usize, |u| &messages[u as usize]))
                }
                Some(_) => Some(fold_row(p, nbrs, get)),
            }
        };
        delivered += u64::from(message.is_some());
        *slot = p.apply(v, slot, message, ctx).0;
    }
    delivered
}

/// The apply of the tiled pull ([`Runner::tiled_pass`]) for the vertices `first..` (values
/// `slots`), whose combined messages are in `acc`: a vertex with an empty row (`offsets`) or
/// that wants no messages gets none, as in [`pull_rows`]. Out of line for the same reason.
#[inline(never)]
fn apply_gathered<P: VertexProgram>(
    p: &P,
    first: usize,
    slots: &mut [P::Value],
    acc: &[P::Message],
    offsets: &[u64],
    ctx: &Step<'_>,
) -> u64 {
    let offsets = &offsets[first..=first + slots.len()];
    let mut delivered = 0;
    for (i, (slot, row)) in slots.iter_mut().zip(offsets.windows(2)).enumerate() {
        let v = (first + i) as u32;
        let message = (row[0] != row[1] && p.wants_messages(v, slot)).then(|| acc[i].clone());
        delivered += u64::from(message.is_some());
        *slot = p.apply(v, slot, message, ctx).0;
    }
    delivered
}

/// How many entries ahead [`combine_row_ahead`] prefetches.
const AHEAD: usize = 24;

/// [`fold_row`] for messages that own memory (CDLP's label lists), over the (non-empty) row
/// `targets[row]`, through the program's [`VertexProgram::combine_row`] (CDLP gathers the row
/// into one list there). Combining such messages is a call that may allocate, one at a time,
/// so the processor does not overlap the random reads of the messages as it does for plain
/// numbers; each is prefetched [`AHEAD`] entries of `targets` before its turn, past the row's
/// end into the next rows (the pull goes through a block's rows in order), so a row's first
/// reads are not late.
/// CDLP, 10 iterations, 2 threads, urand-20: 11-13 s without (91% of the time waiting on those
/// reads), 5.0-5.9 s with 8 ahead within the row (57%), 4.5-4.6 s with 24 within the row, 3.2-3.6
/// s with 24 across rows (16 and 48 measured slower).
#[inline(always)]
fn combine_row_ahead<'m, P: VertexProgram>(
    p: &P,
    targets: &[u32],
    row: Range<usize>,
    at: impl Fn(u32) -> &'m P::Message,
) -> P::Message
where
    P::Message: 'm,
{
    let ahead = |k: usize| {
        if let Some(&u) = targets.get(k + AHEAD) {
            prefetch(at(u));
        }
    };
    let first = at(targets[row.start]);
    ahead(row.start);
    let rest = targets[row.clone()].iter().enumerate().skip(1).map(|(k, &u)| {
        ahead(row.start + k);
        at(u)
    });
    p.combine_row(first, rest)
}

/// Combines the messages (`get(u)` for each `u`) of the (non-empty) row `nbrs`, in row order:
/// one chain, as every gather does, so all paths give the same bits. (Four interleaved chains
/// ran more instructions per edge and measured no faster: the loads, not the combines, bound
/// the loop.) This is what [`VertexProgram::combine_row`]'s default does; messages that own
/// nothing (PageRank's numbers) are folded here, inline, rather than through that method, so
/// the loop stays one rolled chain of loads and adds (see [`pull_rows`]).
#[inline(always)]
fn fold_row<P: VertexProgram>(p: &P, nbrs: &[u32], get: impl Fn(u32) -> P::Message) -> P::Message {
    nbrs[1..].iter().fold(get(nbrs[0]), |a, &u| p.combine(a, get(u)))
}

/// `f(i)` for every `i` in `0..len`, computed in parallel straight into one vector; `None` when
/// some `f(i)` is. (Collecting into `Option<Vec<_>>` cannot write in place: rayon gathers
/// per-task vectors and joins them.)
fn every<M: Clone + Send + Sync>(len: usize, f: impl Fn(usize) -> Option<M> + Sync) -> Option<Vec<M>> {
    if len == 0 {
        return Some(Vec::new());
    }
    // A stand-in for a missing value, so the vector can be written in place; the flag then
    // discards it.
    let stand_in = f(0)?;
    let complete = AtomicBool::new(true);
    let all = (0..len)
        .into_par_iter()
        .with_min_len(BLOCK)
        .map(|i| {
            f(i).unwrap_or_else(|| {
                complete.store(false, Ordering::Relaxed);
                stand_in.clone()
            })
        })
        .collect();
    complete.into_inner().then_some(all)
}

/// Sums `f(0..len)` in fixed-size chunks, then the chunk sums in order: the same floating-point
/// result whatever the number of threads.
fn deterministic_sum(len: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    let partial: Vec<f64> = (0..len.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| block_sum((b * BLOCK..((b + 1) * BLOCK).min(len)).map(&f)))
        .collect();
    partial.iter().sum()
}

/// One block's share of [`deterministic_sum`] (the fused pull sums its blocks the same way).
#[inline]
fn block_sum(items: impl Iterator<Item = f64>) -> f64 {
    items.sum()
}
