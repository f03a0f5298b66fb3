//! The partition map: the partition of every edge and the master partition of every vertex.
//! Edges are numbered as the graph's canonical out-CSR entries in CSR order: every entry of a
//! directed graph, and of an undirected graph (which stores each edge twice, a self-loop once)
//! the entries `u -> v` with `u <= v`. One value per edge, not per stored copy: no pass has to
//! copy a partition to an edge's second copy, and the map is half the size.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use dgraph_datasets::prefetch::prefetch;
use dgraph_datasets::Graph;

use crate::canonical::CanonicalRandom;
use crate::dbh::Dbh;
use crate::greedy::Greedy;
use crate::grid2d::Grid2d;
use crate::hdrf::Hdrf;
use crate::random::Random;
use crate::rows::Canonical;
use crate::stream::{ReplicaSets, Stream};

/// The strategies this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyKind {
    /// Hash of the directed edge.
    Random,
    /// Hash of the unordered pair.
    CanonicalRandom,
    /// GraphX's 2D grid.
    Grid2d,
    /// Degree-based hashing: hash of the lower-degree endpoint.
    Dbh,
    /// PowerGraph's oblivious greedy.
    Greedy,
    /// HDRF (high-degree replicated first).
    Hdrf,
    /// Neighbourhood Expansion (in memory, high quality).
    Ne,
    /// HEP: Neighbourhood Expansion on low-degree vertices' edges, HDRF on hub-to-hub edges.
    Hep,
}

impl StrategyKind {
    /// Every strategy with its name.
    pub const ALL: [(StrategyKind, &'static str); 8] = [
        (StrategyKind::Random, "random"),
        (StrategyKind::CanonicalRandom, "canonical"),
        (StrategyKind::Grid2d, "2d"),
        (StrategyKind::Dbh, "dbh"),
        (StrategyKind::Greedy, "greedy"),
        (StrategyKind::Hdrf, "hdrf"),
        (StrategyKind::Ne, "ne"),
        (StrategyKind::Hep, "hep"),
    ];

    /// The strategy called `name`.
    pub fn from_name(name: &str) -> Option<StrategyKind> {
        let name = name.to_ascii_lowercase();
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(k, _)| *k == self).map_or("", |(_, n)| n)
    }
}

/// How to partition, beyond the strategy and the part count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartitionOptions {
    /// Seed of the hashes.
    pub seed: u64,
    /// Largest allowed edge balance, max / mean edges per partition (at least 1; a partition
    /// may always take `ceil(edges / parts)`).
    pub balance: f64,
    /// HDRF's balance weight λ (also HEP's, for hub-to-hub edges).
    pub hdrf_lambda: f64,
    /// HEP's degree threshold τ: vertices of degree above τ x the mean degree are hubs. The
    /// default is 50, not the paper's 10: replication at p = 16 / 64 against NE's (kron-18:
    /// 1.877 / 2.953, kron-20: 1.771 / 2.749) was, on kron-18, 2.04 / 3.26 (+9% / +10%) at
    /// τ = 10, 1.946 / 3.067 (+4%) at 20, 1.926 / 3.032 (+3%) at 50; on kron-20, 1.876 / 2.931
    /// (+6% / +7%) at 20 to 40 and 1.796 / 2.791 (+1.4% / +1.5%) at 50, where the vertices of
    /// degree 1200-1500 are expanded, no longer streamed (kron-20's expansion 0.3 s longer at
    /// p = 64, its hub phase 0.1 s shorter).
    pub hep_tau: f64,
}

impl PartitionOptions {
    /// Whether `graph` can be partitioned into `parts` partitions with these options: the
    /// checks [`partition_with`] makes before it starts (so a caller can report a bad request
    /// before any work or output). A graph too large for NE or HEP is found only when they
    /// start.
    pub fn check(&self, graph: &Graph, parts: u32) -> Result<(), PartitionError> {
        if parts == 0 {
            return Err(PartitionError::ZeroParts);
        }
        if self.balance.is_nan() || self.balance < 1.0 {
            return Err(PartitionError::Balance(self.balance));
        }
        if self.hep_tau.is_nan() || self.hep_tau <= 0.0 {
            return Err(PartitionError::Tau(self.hep_tau));
        }
        if !(self.hdrf_lambda.is_finite() && self.hdrf_lambda >= 0.0) {
            return Err(PartitionError::Lambda(self.hdrf_lambda));
        }
        let edges = graph.edge_count();
        if edges == 0 {
            return Err(PartitionError::NoEdges);
        }
        if u64::from(parts) > edges {
            return Err(PartitionError::TooManyParts { parts, edges });
        }
        Ok(())
    }
}

impl Default for PartitionOptions {
    fn default() -> Self {
        PartitionOptions { seed: 1, balance: 1.05, hdrf_lambda: 1.0, hep_tau: 50.0 }
    }
}

/// A partitioning request that cannot be met.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PartitionError {
    /// Zero partitions.
    #[error("the number of partitions must be at least 1")]
    ZeroParts,
    /// The graph has no edges.
    #[error("the graph has no edges to partition")]
    NoEdges,
    /// A balance bound below 1 (or not a number).
    #[error("the edge balance bound must be a number >= 1, found {0}")]
    Balance(f64),
    /// HEP's τ not a positive number.
    #[error("HEP's degree threshold tau must be a number > 0, found {0}")]
    Tau(f64),
    /// HDRF's λ negative or not a finite number.
    #[error("HDRF's balance weight lambda must be a finite number >= 0, found {0}")]
    Lambda(f64),
    /// A graph too large for a strategy that numbers entries with 32 bits.
    #[error("{entries} edge entries: NE and HEP number edge ends with 32 bits, at most 4294967294 (on a directed graph, out- and in-entries together)")]
    TooLarge {
        /// Entries in the graph's out-CSR.
        entries: u64,
    },
    /// More partitions than edges (some would be empty).
    #[error("{parts} partitions for {edges} edges: at most one partition per edge")]
    TooManyParts {
        /// Partitions asked for.
        parts: u32,
        /// Edges in the graph.
        edges: u64,
    },
}

/// Which partition holds each edge, and which holds each vertex's master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionMap {
    /// Number of partitions.
    pub parts: u32,
    /// Partition of each edge, in the order of the graph's canonical out-CSR entries (all of a
    /// directed graph's; an undirected graph's `u -> v` with `u <= v`), as
    /// [`PartitionMap::for_each_edge`] visits them.
    pub edge_part: Vec<u32>,
    /// Master partition of each vertex (a partition holding one of its edges; isolated vertices
    /// are spread round-robin).
    pub master: Vec<u32>,
}

impl PartitionMap {
    /// Calls `f(u, v, i, p)` for every edge `u -> v` of `graph` (an undirected one as `u <= v`)
    /// in `edge_part`'s order: `i` is its out-CSR entry (`graph.out_edges().targets()[i] ==
    /// v`), `p` its partition.
    pub fn for_each_edge(&self, graph: &Graph, mut f: impl FnMut(u32, u32, usize, u32)) {
        let mut parts = self.edge_part.iter();
        Canonical::new(graph).for_each(|u, v, i| {
            if let Some(&p) = parts.next() {
                f(u, v, i, p);
            }
        });
    }
}

/// Partitions `graph` into `parts` partitions with `strategy` and default options (edge balance
/// at most 1.05) but the given seed.
pub fn partition(graph: &Graph, strategy: StrategyKind, parts: u32, seed: u64) -> Result<PartitionMap, PartitionError> {
    partition_with(graph, strategy, parts, &PartitionOptions { seed, ..PartitionOptions::default() })
}

/// Partitions `graph` into `parts` partitions with `strategy` and `options`. Deterministic for a
/// given graph, strategy, part count and options, whatever the thread count.
pub fn partition_with(
    graph: &Graph,
    strategy: StrategyKind,
    parts: u32,
    options: &PartitionOptions,
) -> Result<PartitionMap, PartitionError> {
    options.check(graph, parts)?;
    let stream = Stream::new(graph, parts, options.balance);
    let n = graph.vertex_count();
    let seed = options.seed;
    // The edges' numbering, made once (HEP lets it go through its expansion and makes it again).
    let canon = Canonical::new(graph);
    let (edge_part, canon) = match strategy {
        StrategyKind::Random => (stream.place_stateless(&canon, &Random { seed }), canon),
        StrategyKind::CanonicalRandom => (stream.place_stateless(&canon, &CanonicalRandom { seed }), canon),
        StrategyKind::Grid2d => (stream.place_stateless(&canon, &Grid2d { seed }), canon),
        StrategyKind::Dbh => (stream.place_stateless(&canon, &Dbh { seed, degree: degrees(graph) }), canon),
        StrategyKind::Greedy => {
            (stream.place_in_order(&canon, &mut Greedy { replicas: ReplicaSets::new(n, parts) }, seed), canon)
        }
        StrategyKind::Hdrf => {
            let mut hdrf = Hdrf {
                replicas: ReplicaSets::new(n, parts),
                degree: vec![0; n],
                partial: true,
                lambda: options.hdrf_lambda,
            };
            (stream.place_in_order(&canon, &mut hdrf, seed), canon)
        }
        StrategyKind::Ne => crate::hep::place(graph, &stream, canon, f64::INFINITY, options.hdrf_lambda)?,
        StrategyKind::Hep => crate::hep::place(graph, &stream, canon, options.hep_tau, options.hdrf_lambda)?,
    };
    let master = masters(graph, &canon, &edge_part, parts);
    Ok(PartitionMap { parts, edge_part, master })
}

/// Degrees with directions ignored (out + in on directed graphs).
pub(crate) fn degrees(graph: &Graph) -> Vec<u32> {
    (0..graph.vertex_count() as u32).into_par_iter().map(|v| graph.total_degree(v) as u32).collect()
}

/// The partitions holding each vertex's edges, one bit per partition and vertex (`words`
/// words each): set from the sources of `graph`'s edges, and from their targets too when
/// `targets` (an undirected graph's edges are all out-edges of both ends), rows in parallel. A
/// source's own partitions gather in a word (one partition word) before they are added; the
/// targets' cells are random reads, asked for 8 edges ahead, and most edges find their bit
/// already set: a read, not a locked write.
pub(crate) fn holders(
    canon: &Canonical<'_>,
    graph: &Graph,
    edge_part: &[u32],
    words: usize,
    targets: bool,
) -> Vec<u64> {
    let to = graph.out_edges().targets();
    let sets: Vec<AtomicU64> = (0..graph.vertex_count() * words).into_par_iter().map(|_| AtomicU64::new(0)).collect();
    let add = |v: u32, w: usize, bits: u64| {
        let cell = &sets[v as usize * words + w];
        if cell.load(Ordering::Relaxed) & bits != bits {
            cell.fetch_or(bits, Ordering::Relaxed);
        }
    };
    canon.row_blocks(rayon::current_num_threads() * 8).into_par_iter().for_each(|rows| {
        let mut c = canon.start(rows.start as usize);
        for u in rows {
            let mut own = 0u64;
            for i in canon.entries(u) {
                if let Some(&ahead) = to.get(i + 8) {
                    prefetch(&sets[ahead as usize * words]);
                }
                let p = edge_part[c];
                c += 1;
                let (w, bit) = (p as usize / 64, 1u64 << (p % 64));
                if words == 1 {
                    own |= bit;
                } else {
                    add(u, w, bit);
                }
                if targets {
                    add(to[i], w, bit);
                }
            }
            if own != 0 {
                add(u, 0, own);
            }
        }
    });
    crate::rows::into_plain64(sets)
}

/// Chooses masters to balance them: each vertex, in id order, takes the partition with the
/// fewest masters so far among those holding its out-edges (an undirected graph's edges are all
/// out-edges; ties: lowest id); vertices with only in-edges take the partition of one of them;
/// isolated vertices go round-robin. The candidates are [`holders`].
fn masters(graph: &Graph, canon: &Canonical<'_>, edge_part: &[u32], parts: u32) -> Vec<u32> {
    let n = graph.vertex_count();
    let directed = graph.is_directed();
    let words = (parts as usize).div_ceil(64);
    let sets = holders(canon, graph, edge_part, words, !directed);
    let mut first_in: Vec<Option<u32>> = vec![None; if directed { n } else { 0 }];
    if directed {
        for (&v, &p) in graph.out_edges().targets().iter().zip(edge_part) {
            first_in[v as usize].get_or_insert(p);
        }
    }
    let mut count = vec![0u64; parts as usize];
    (0..n)
        .map(|v| {
            let mut best: Option<u32> = None;
            for (w, &word) in sets[v * words..(v + 1) * words].iter().enumerate() {
                let mut rest = word;
                while rest != 0 {
                    let p = w as u32 * 64 + rest.trailing_zeros();
                    rest &= rest - 1;
                    if best.is_none_or(|b| count[p as usize] < count[b as usize]) {
                        best = Some(p);
                    }
                }
            }
            let p = best.unwrap_or_else(|| first_in.get(v).copied().flatten().unwrap_or(v as u32 % parts));
            count[p as usize] += 1;
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule `masters` implements, spelled out: in id order, the partition with the fewest
    /// masters so far among those holding the vertex's edges (ties: lowest id).
    fn masters_by_lists(graph: &Graph, map: &PartitionMap) -> Vec<u32> {
        let mut holding = vec![Vec::new(); graph.vertex_count()];
        map.for_each_edge(graph, |u, v, _, p| {
            holding[u as usize].push(p);
            holding[v as usize].push(p);
        });
        let mut count = vec![0u64; map.parts as usize];
        holding
            .iter()
            .enumerate()
            .map(|(v, own)| {
                let p = own.iter().copied().min_by_key(|&p| (count[p as usize], p)).unwrap_or(v as u32 % map.parts);
                count[p as usize] += 1;
                p
            })
            .collect()
    }

    #[test]
    fn masters_follow_the_rule_in_one_word_and_in_several() {
        // Undirected, so every vertex with an edge has out-edges; 7 and 200 are isolated.
        let mut x = 99u64;
        let edges: Vec<(u64, u64)> = (0..400)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 40) % 90, (x >> 20) % 90)
            })
            .filter(|&(u, v)| u != 7 && v != 7)
            .chain([(100, 101), (5, 5)])
            .collect();
        let list = dgraph_datasets::EdgeList { edges, weights: None, extra_vertices: vec![7, 200], directed: false };
        let g = Graph::from_edge_list("masters", &list, Default::default()).expect("builds").0;
        assert_eq!(g.out_edges().degree(g.ids().dense(7).expect("7")), 0);
        for parts in [1, 5, 63, 64, 65, 130] {
            let edge_part: Vec<u32> =
                (0..g.edge_count()).map(|i| (crate::hash(i, 3) % u64::from(parts)) as u32).collect();
            let map = PartitionMap { parts, master: masters(&g, &Canonical::new(&g), &edge_part, parts), edge_part };
            assert_eq!(map.master, masters_by_lists(&g, &map), "{parts} parts");
        }
    }
}
