//! `Graph`: the built graph that every later stage consumes: forward CSR, reverse CSR (directed
//! graphs only), optional weights, the id map and metadata.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::build::{self, BuildOptions, BuildReport, Segment};
use crate::csr::Csr;
use crate::error::{Error, Result};
use crate::ids::{IdMap, MAX_VERTICES};
use crate::weights::WeightSummary;

/// Descriptive data that travels with a graph (and into `.dgraph` files).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// A short name: the file stem or the catalog name.
    pub name: String,
    /// Algorithm parameters from a Graphalytics `.properties` file, keyed without the
    /// `graph.NAME.` prefix (for example `bfs.source-vertex` -> `1`).
    pub parameters: BTreeMap<String, String>,
}

/// A built graph.
///
/// Vertices are dense `u32` ids `0..n` (see [`IdMap`] for the external ids). An undirected graph
/// stores each edge in both directions of one CSR (a self-loop once); a directed graph has a
/// forward CSR (out-edges) and a reverse CSR (in-edges).
#[derive(Debug)]
pub struct Graph {
    pub(crate) metadata: Metadata,
    pub(crate) directed: bool,
    pub(crate) out: Csr,
    pub(crate) inc: Option<Csr>,
    pub(crate) ids: IdMap,
    pub(crate) self_loops: u64,
    pub(crate) checksum: OnceLock<u64>,
    pub(crate) weight_summary: OnceLock<WeightSummary>,
}

/// Degree and multiplicity statistics of a built graph (see [`Graph::stats`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GraphStats {
    /// Smallest out-degree (degree for undirected graphs).
    pub min_degree: u64,
    /// Mean out-degree.
    pub mean_degree: f64,
    /// Largest out-degree.
    pub max_degree: u64,
    /// Self-loops in the graph.
    pub self_loops: u64,
    /// Repeated edges in the graph (each extra copy counts once).
    pub duplicates: u64,
    /// Vertices without any edge.
    pub isolated: u64,
}

/// An edge list with external ids: the simplest way to hand a graph to dgraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeList {
    /// `(source, target)` pairs of external vertex ids.
    pub edges: Vec<(u64, u64)>,
    /// One weight per edge, or `None`.
    pub weights: Option<Vec<f64>>,
    /// Vertices without edges that must exist anyway (external ids); may repeat edge endpoints.
    pub extra_vertices: Vec<u64>,
    /// Whether each pair is a directed edge (`true`) or an undirected one.
    pub directed: bool,
}

impl Graph {
    /// Builds a graph from an [`EdgeList`] with external ids.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the weights do not match the edges in number or are not
    /// finite, [`Error::TooManyVertices`] beyond [`MAX_VERTICES`] distinct ids.
    ///
    /// # Example
    /// ```
    /// use dgraph_datasets::{BuildOptions, EdgeList, Graph};
    /// let list = EdgeList { edges: vec![(10, 20), (20, 30)], directed: true, ..Default::default() };
    /// let (g, _report) = Graph::from_edge_list("path", &list, BuildOptions::default())?;
    /// assert_eq!((g.vertex_count(), g.edge_count()), (3, 2));
    /// assert_eq!(g.ids().dense(20), Some(1));
    /// # Ok::<(), dgraph_datasets::Error>(())
    /// ```
    pub fn from_edge_list(name: &str, list: &EdgeList, options: BuildOptions) -> Result<(Graph, BuildReport)> {
        if let Some(w) = &list.weights {
            if w.len() != list.edges.len() {
                return Err(Error::InvalidArgument(format!("{} weights for {} edges", w.len(), list.edges.len())));
            }
            if let Some(i) = w.iter().position(|x| !x.is_finite()) {
                return Err(Error::InvalidArgument(format!("weight {} of edge {i} is not finite", w[i])));
            }
        }
        let mut ids: Vec<u64> = list.edges.par_iter().flat_map_iter(|&(u, v)| [u, v]).collect();
        ids.extend_from_slice(&list.extra_vertices);
        ids.par_sort_unstable();
        ids.dedup();
        check_vertex_limit(name, ids.len() as u64, MAX_VERTICES)?;
        let map = IdMap::from_sorted(ids);
        let resolver = map.resolver();
        let dense = |id| resolver.dense(id).unwrap_or_else(|| unreachable!("every endpoint is in the id map"));
        let edges = list.edges.par_iter().map(|&(u, v)| [dense(u), dense(v)]).collect();
        let segment = Segment { edges, weights: list.weights.clone() };
        drop(resolver);
        Ok(Graph::build(
            Metadata { name: name.into(), ..Metadata::default() },
            map,
            vec![segment],
            list.directed,
            options,
        ))
    }

    /// Loads a graph from a file (format by extension, as [`crate::formats::read`] with default
    /// options) or, when `input` is not a file, from the dataset catalog (`kron-16`,
    /// `example-directed`, ...).
    ///
    /// # Errors
    /// Whatever reading or generating the graph reports.
    ///
    /// # Example
    /// ```
    /// let g = dgraph_datasets::Graph::load("example-undirected")?;
    /// assert_eq!(g.vertex_count(), 9);
    /// # Ok::<(), dgraph_datasets::Error>(())
    /// ```
    pub fn load(input: impl AsRef<std::path::Path>) -> Result<Graph> {
        let path = input.as_ref();
        let silent = crate::progress::Silent;
        match path.to_str() {
            Some(name) if crate::catalog::is_dataset_name(name) => {
                crate::catalog::load(name, &crate::catalog::LoadOptions::default(), &silent)
            }
            _ => Ok(crate::formats::read(path, &crate::formats::ReadOptions::default(), &silent)?.graph),
        }
    }

    /// Builds a graph from `(source, target)` pairs of external ids.
    ///
    /// # Example
    /// ```
    /// let g = dgraph_datasets::Graph::from_edges([(1, 2), (2, 3), (3, 1)], true)?;
    /// assert_eq!((g.vertex_count(), g.edge_count()), (3, 3));
    /// # Ok::<(), dgraph_datasets::Error>(())
    /// ```
    pub fn from_edges(edges: impl IntoIterator<Item = (u64, u64)>, directed: bool) -> Result<Graph> {
        let list = EdgeList { edges: edges.into_iter().collect(), directed, ..EdgeList::default() };
        Ok(Graph::from_edge_list("edges", &list, BuildOptions::default())?.0)
    }

    /// Builds a graph from segments of dense edges over the vertices of `ids` (consumed, so that
    /// they are freed as soon as the forward CSR exists).
    pub(crate) fn build(
        metadata: Metadata,
        ids: IdMap,
        segments: Vec<Segment>,
        directed_input: bool,
        options: BuildOptions,
    ) -> (Graph, BuildReport) {
        let symmetric = !directed_input || options.symmetrize;
        let options = BuildOptions { symmetrize: directed_input && options.symmetrize, ..options };
        // `build_csr` frees the input edges as soon as they are scattered.
        let (out, report, self_loops) = build::build_csr(segments, ids.len(), symmetric, options);
        let inc = (!symmetric).then(|| build::transpose(&out));
        let graph = Graph {
            metadata,
            directed: !symmetric,
            out,
            inc,
            ids,
            self_loops,
            checksum: OnceLock::new(),
            weight_summary: OnceLock::new(),
        };
        (graph, report)
    }

    /// Rebuilds the graph with other build options: `symmetrize` makes a directed graph
    /// undirected; duplicates and self-loops may be dropped. Ids and metadata are kept.
    pub fn rebuild(&self, options: BuildOptions) -> (Graph, BuildReport) {
        let csr = &self.out;
        let directed = self.directed;
        let blocks = build::vertex_blocks(csr.offsets());
        let segments: Vec<Segment> = blocks
            .into_par_iter()
            .map(|range| {
                let mut edges = Vec::new();
                let mut weights = csr.weights().map(|_| Vec::new());
                for u in range {
                    let u = u as u32;
                    let ws = csr.neighbor_weights(u);
                    for (i, &v) in csr.neighbors(u).iter().enumerate() {
                        // An undirected edge is stored twice: take it once, from its smaller end.
                        if directed || v >= u {
                            edges.push([u, v]);
                            if let (Some(w), Some(ws)) = (weights.as_mut(), ws) {
                                w.push(ws[i]);
                            }
                        }
                    }
                }
                Segment { edges, weights }
            })
            .collect();
        let ids = match &self.ids {
            IdMap::Range { first, len } => IdMap::Range { first: *first, len: *len },
            IdMap::Sorted(ids) => IdMap::Sorted(ids.to_vec().into()),
        };
        Graph::build(self.metadata.clone(), ids, segments, directed, options)
    }

    /// The same graph as a directed one: each undirected edge becomes two arcs (a self-loop one).
    pub fn to_directed(&self) -> Graph {
        if self.directed {
            return self.rebuild(BuildOptions::default()).0;
        }
        let copy = |c: &Csr| Csr {
            offsets: c.offsets().to_vec().into(),
            targets: c.targets().to_vec().into(),
            weights: c.weights().map(|w| w.to_vec().into()),
        };
        let ids = match &self.ids {
            IdMap::Range { first, len } => IdMap::Range { first: *first, len: *len },
            IdMap::Sorted(ids) => IdMap::Sorted(ids.to_vec().into()),
        };
        Graph {
            metadata: self.metadata.clone(),
            directed: true,
            out: copy(&self.out),
            inc: Some(copy(&self.out)),
            ids,
            self_loops: self.self_loops,
            checksum: OnceLock::new(),
            weight_summary: OnceLock::new(),
        }
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.out.vertex_count()
    }

    /// Number of edges; an undirected edge counts once.
    pub fn edge_count(&self) -> u64 {
        if self.directed {
            self.out.entry_count()
        } else {
            (self.out.entry_count() + self.self_loops) / 2
        }
    }

    /// Whether edges are directed.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether edges carry weights.
    pub fn is_weighted(&self) -> bool {
        self.out.weights.is_some()
    }

    /// Out-edges (all edges, both directions, for an undirected graph).
    pub fn out_edges(&self) -> &Csr {
        &self.out
    }

    /// Edges at `v` in either direction: out + in on a directed graph, the degree on an
    /// undirected one (a self-loop counts as stored).
    pub fn total_degree(&self, v: u32) -> usize {
        self.out.degree(v) + if self.directed { self.in_edges().degree(v) } else { 0 }
    }

    /// In-edges (the same CSR as [`Graph::out_edges`] for an undirected graph).
    pub fn in_edges(&self) -> &Csr {
        self.inc.as_ref().unwrap_or(&self.out)
    }

    /// The map between external and dense vertex ids.
    pub fn ids(&self) -> &IdMap {
        &self.ids
    }

    /// Name and parameters.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Mutable access to the metadata (to rename a graph or set parameters).
    pub fn metadata_mut(&mut self) -> &mut Metadata {
        &mut self.metadata
    }

    /// Bytes of graph data (arrays owned in memory or mapped from a file).
    pub fn data_bytes(&self) -> usize {
        self.out.data_bytes() + self.inc.as_ref().map_or(0, Csr::data_bytes) + self.ids.heap_bytes()
    }

    /// Bytes of heap memory the graph holds (mapped arrays are not counted).
    pub fn heap_bytes(&self) -> usize {
        self.out.heap_bytes() + self.inc.as_ref().map_or(0, Csr::heap_bytes) + self.ids.heap_bytes()
    }

    /// Degree, self-loop and duplicate counts, computed in parallel.
    pub fn stats(&self) -> GraphStats {
        let n = self.vertex_count();
        let csr = &self.out;
        let symmetric = !self.directed;
        let inc = self.in_edges();
        let (min, max, duplicates, isolated) = (0..n as u32)
            .into_par_iter()
            .with_min_len(4096)
            .map(|v| {
                let list = csr.neighbors(v);
                let dups = list.windows(2).filter(|p| p[0] == p[1] && (!symmetric || p[0] >= v)).count() as u64;
                let isolated = u64::from(list.is_empty() && inc.degree(v) == 0);
                (list.len() as u64, list.len() as u64, dups, isolated)
            })
            .reduce(|| (u64::MAX, 0, 0, 0), |a, b| (a.0.min(b.0), a.1.max(b.1), a.2 + b.2, a.3 + b.3));
        GraphStats {
            min_degree: if n == 0 { 0 } else { min },
            mean_degree: if n == 0 { 0.0 } else { csr.entry_count() as f64 / n as f64 },
            max_degree: max,
            self_loops: self.self_loops,
            duplicates,
            isolated,
        }
    }

    /// A checksum of the graph's canonical content: directedness, external ids, adjacency and
    /// weights in dense order. Two graphs with the same content have the same checksum, whatever
    /// file format or thread count produced them.
    pub fn checksum(&self) -> u64 {
        *self.checksum.get_or_init(|| content_checksum(self))
    }

    /// Count, sum, smallest positive and first negative of the weights (`None` on an unweighted
    /// graph): one parallel pass over the out-edges' weights the first time, kept afterwards.
    pub fn weight_summary(&self) -> Option<WeightSummary> {
        let weights = self.out.weights()?;
        Some(*self.weight_summary.get_or_init(|| crate::weights::summarize(weights)))
    }

    /// The checksum as printed: `xxh3:` and 16 hex digits.
    pub fn checksum_string(&self) -> String {
        format!("xxh3:{:016x}", self.checksum())
    }

    /// Checks the invariants of both CSRs and the id map (always done when opening `.dgraph`).
    pub fn check(&self) -> std::result::Result<(), String> {
        // Every consumer relies on this (the engine's pulls, the partitioners' pairing of an
        // edge's two copies): the in-edges are the transpose of the out-edges, and an
        // undirected graph's one CSR is its own. Compared as keyed digests of the entries
        // (`Csr::check_and_digest`), made while the entries are checked: no transpose is built.
        let key = {
            use std::hash::{BuildHasher, RandomState};
            let state = RandomState::new();
            [state.hash_one(0u8), state.hash_one(1u8), state.hash_one(2u8)]
        };
        let packed = |u: u32, v: u32| u64::from(u) << 32 | u64::from(v);
        let loops = match &self.inc {
            Some(inc) => {
                // Out-entry `u -> v` and in-entry `v <- u` both as the pair (u, v).
                let (loops, [forward, _]) =
                    self.out.check_and_digest(&key, |u, v| (packed(u, v), 0)).map_err(|e| format!("out-edges: {e}"))?;
                let (_, [backward, _]) =
                    inc.check_and_digest(&key, |v, u| (packed(u, v), 0)).map_err(|e| format!("in-edges: {e}"))?;
                if inc.vertex_count() != self.vertex_count() || inc.entry_count() != self.out.entry_count() {
                    return Err("in-edges and out-edges disagree in size".into());
                }
                if inc.weights.is_some() != self.out.weights.is_some() {
                    return Err("in-edges and out-edges disagree on whether there are weights".into());
                }
                if forward != backward {
                    return Err("the in-edges are not the transpose of the out-edges".into());
                }
                loops
            }
            None => {
                // Entries `u -> v` with u < v against those with u > v, both as (min, max); a
                // self-loop is stored once.
                let (loops, [up, down]) = self
                    .out
                    .check_and_digest(&key, |u, v| match u.cmp(&v) {
                        std::cmp::Ordering::Less => (packed(u, v), 0),
                        std::cmp::Ordering::Greater => (packed(v, u), 1),
                        std::cmp::Ordering::Equal => (0, 2),
                    })
                    .map_err(|e| format!("out-edges: {e}"))?;
                if up != down {
                    return Err("the adjacency of this undirected graph is not symmetric: some entry u -> v has no \
                                copy v -> u (with the same weight)"
                        .into());
                }
                loops
            }
        };
        if loops != self.self_loops {
            return Err(format!("metadata says {} self-loops, adjacency has {loops}", self.self_loops));
        }
        if self.ids.len() != self.vertex_count() {
            return Err(format!("{} ids for {} vertices", self.ids.len(), self.vertex_count()));
        }
        if let IdMap::Sorted(ids) = &self.ids {
            if ids.par_windows(2).any(|w| w[0] >= w[1]) {
                return Err("external ids are not strictly increasing".into());
            }
        }
        Ok(())
    }
}

pub(crate) fn check_vertex_limit(name: impl Into<std::path::PathBuf>, found: u64, limit: u64) -> Result<()> {
    if found > limit.min(MAX_VERTICES) {
        return Err(Error::TooManyVertices { path: name.into(), found, limit: limit.min(MAX_VERTICES) });
    }
    Ok(())
}

fn content_checksum(g: &Graph) -> u64 {
    use xxhash_rust::xxh3::Xxh3;
    let mut h = Xxh3::new();
    h.update(b"dgraph-content-v1");
    h.update(&[u8::from(g.directed), u8::from(g.is_weighted())]);
    h.update(&(g.vertex_count() as u64).to_le_bytes());
    match &g.ids {
        IdMap::Range { first, len } => {
            for id in *first..*first + u64::from(*len) {
                h.update(&id.to_le_bytes());
            }
        }
        IdMap::Sorted(ids) => h.update(as_bytes_u64(ids)),
    }
    h.update(as_bytes_u64(g.out.offsets()));
    h.update(as_bytes_u32(g.out.targets()));
    if let Some(w) = g.out.weights() {
        for x in w {
            h.update(&x.to_bits().to_le_bytes());
        }
    }
    h.digest()
}

fn as_bytes_u64(v: &[u64]) -> &[u8] {
    // SAFETY: u64 has no padding and any initialised u64 is valid as bytes; the length covers
    // exactly the slice. On little-endian machines (enforced in `buffer`) these are the LE bytes.
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
}

fn as_bytes_u32(v: &[u32]) -> &[u8] {
    // SAFETY: as for `as_bytes_u64`.
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(edges: &[(u64, u64)], directed: bool) -> Graph {
        let list = EdgeList { edges: edges.to_vec(), directed, ..EdgeList::default() };
        Graph::from_edge_list("t", &list, BuildOptions::default()).expect("builds").0
    }

    #[test]
    fn directed_graph_has_reverse_edges_and_external_ids() {
        let g = build(&[(100, 7), (7, 42), (100, 42)], true);
        assert_eq!(g.vertex_count(), 3);
        assert!(g.is_directed());
        // Dense ids follow external order: 7 -> 0, 42 -> 1, 100 -> 2.
        assert_eq!(g.out_edges().neighbors(2), &[0, 1]);
        assert_eq!(g.in_edges().neighbors(1), &[0, 2]);
        assert_eq!(g.check(), Ok(()));
        let s = g.stats();
        assert_eq!((s.min_degree, s.max_degree, s.self_loops, s.duplicates), (0, 2, 0, 0));
    }

    #[test]
    fn checksum_is_content_based() {
        let a = build(&[(1, 2), (2, 3), (3, 3)], false);
        let b = build(&[(3, 2), (3, 3), (2, 1)], false);
        let c = build(&[(1, 2), (2, 3)], false);
        assert_eq!(a.checksum(), b.checksum());
        assert_ne!(a.checksum(), c.checksum());
        assert_eq!(a.edge_count(), 3);
        assert_eq!(a.stats().self_loops, 1);
        assert_ne!(build(&[(1, 2)], true).checksum(), build(&[(1, 2)], false).checksum());
    }

    #[test]
    fn rebuild_and_to_directed_convert_directedness() {
        let d = build(&[(1, 2), (2, 1), (2, 3)], true);
        let options = BuildOptions { symmetrize: true, drop_duplicates: true, ..BuildOptions::default() };
        let (u, report) = d.rebuild(options);
        assert!(!u.is_directed());
        assert_eq!((u.edge_count(), report.duplicates_dropped), (2, 1));
        let back = u.to_directed();
        assert!(back.is_directed());
        assert_eq!(back.edge_count(), 4);
        assert_eq!(back.check(), Ok(()));
        assert_eq!(back.in_edges().neighbors(1), &[0, 2]);
        let same = u.rebuild(BuildOptions::default()).0;
        assert_eq!(same.checksum(), u.checksum());
    }

    #[test]
    fn edge_list_weights_are_validated() {
        let list = EdgeList { edges: vec![(0, 1)], weights: Some(vec![f64::NAN]), ..EdgeList::default() };
        assert!(Graph::from_edge_list("t", &list, BuildOptions::default()).is_err());
        let list = EdgeList { edges: vec![(0, 1)], weights: Some(vec![]), ..EdgeList::default() };
        assert!(Graph::from_edge_list("t", &list, BuildOptions::default()).is_err());
    }

    #[test]
    fn vertex_limit_is_a_clear_error() {
        let err = check_vertex_limit("big.el", MAX_VERTICES + 1, MAX_VERTICES).expect_err("over the limit");
        assert!(err.to_string().contains("more than 4294967295 distinct vertices"), "{err}");
        assert!(check_vertex_limit("ok.el", MAX_VERTICES, MAX_VERTICES).is_ok());
    }
}
