//! How the graph is laid out for the engine: the whole graph as one partition (no copy, no
//! exchange), or vertex-cut partitions built from a `PartitionMap`, each with its replicas, a
//! local out-CSR (local source -> global targets) and a local in-CSR (local target -> global
//! sources), plus the replica table used by the mirror -> master exchange.

use rayon::prelude::*;

use dgraph_datasets::{Csr, Graph};
use dgraph_partitioner::store::{pieces, Piece};
use dgraph_partitioner::PartitionMap;

/// One partition's adjacency in local numbering.
pub(crate) struct Partition {
    /// Global ids of the replicas, increasing; local id = position.
    pub(crate) vertices: Vec<u32>,
    pub(crate) out: LocalCsr,
    pub(crate) inc: LocalCsr,
    /// `out`'s neighbours as local ids (for partition programs that work locally).
    pub(crate) out_local: Vec<u32>,
}

/// Rows indexed by local id, neighbours as global ids.
pub(crate) struct LocalCsr {
    pub(crate) offsets: Vec<u64>,
    pub(crate) neighbours: Vec<u32>,
    pub(crate) weights: Option<Vec<f64>>,
}

impl LocalCsr {
    fn from_rows(rows: usize, mut entries: Vec<(u32, u32, f64)>, weighted: bool) -> LocalCsr {
        entries.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
        let mut offsets = vec![0u64; rows + 1];
        for e in &entries {
            offsets[e.0 as usize + 1] += 1;
        }
        for i in 0..rows {
            offsets[i + 1] += offsets[i];
        }
        LocalCsr {
            offsets,
            neighbours: entries.iter().map(|e| e.1).collect(),
            weights: weighted.then(|| entries.iter().map(|e| e.2).collect()),
        }
    }
}

/// Where each vertex's replicas live: `(partition, local id)` pairs, partition order.
pub(crate) struct Replicas {
    pub(crate) offsets: Vec<u64>,
    pub(crate) entries: Vec<(u32, u32)>,
}

/// The engine's view of the graph.
pub(crate) enum Layout<'g> {
    /// One partition: the graph's own CSRs.
    Whole { out: &'g Csr, inc: &'g Csr },
    /// Several partitions.
    Split { parts: Vec<Partition>, replicas: Replicas },
}

impl<'g> Layout<'g> {
    /// The whole graph as one partition.
    pub(crate) fn whole(graph: &'g Graph) -> Layout<'g> {
        Layout::Whole { out: graph.out_edges(), inc: graph.in_edges() }
    }

    /// Partitions as `map` says.
    pub(crate) fn split(graph: &Graph, map: &PartitionMap) -> Layout<'g> {
        Layout::from_pieces(pieces(graph, map), graph.vertex_count())
    }

    /// Partitions built by the partitioner's store (in memory, or loaded from disk), for a graph
    /// of `n` vertices.
    pub(crate) fn from_pieces(pieces: Vec<Piece>, n: usize) -> Layout<'g> {
        let parts: Vec<Partition> = pieces
            .into_par_iter()
            .map(|piece| {
                let Piece { vertices, offsets, targets, weights, .. } = piece;
                let weighted = weights.is_some();
                let weight = |i: usize| weights.as_ref().map_or(1.0, |w| w[i]);
                let rows = vertices.len();
                let mut in_rows = Vec::with_capacity(targets.len());
                for (u, &source) in vertices.iter().enumerate() {
                    let range = offsets[u] as usize..offsets[u + 1] as usize;
                    in_rows.extend(targets[range.clone()].iter().zip(range).map(|(&t, i)| (t, source, weight(i))));
                }
                let inc = LocalCsr::from_rows(rows, in_rows, weighted);
                let out =
                    LocalCsr { offsets, neighbours: targets.iter().map(|&t| vertices[t as usize]).collect(), weights };
                Partition { vertices, out, inc, out_local: targets }
            })
            .collect();
        // Replica table: per vertex, its (partition, local) pairs in partition order.
        let mut counts = vec![0u64; n + 1];
        for p in &parts {
            for &g in &p.vertices {
                counts[g as usize + 1] += 1;
            }
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut entries = vec![(0u32, 0u32); counts[n] as usize];
        let mut next = counts.clone();
        for (pi, p) in parts.iter().enumerate() {
            for (li, &g) in p.vertices.iter().enumerate() {
                entries[next[g as usize] as usize] = (pi as u32, li as u32);
                next[g as usize] += 1;
            }
        }
        Layout::Split { parts, replicas: Replicas { offsets: counts, entries } }
    }

    /// Number of partitions.
    pub(crate) fn partition_count(&self) -> usize {
        match self {
            Layout::Whole { .. } => 1,
            Layout::Split { parts, .. } => parts.len(),
        }
    }

    /// Total replicas over all partitions (the whole graph: one per vertex).
    pub(crate) fn replica_count(&self, n: usize) -> u64 {
        match self {
            Layout::Whole { .. } => n as u64,
            Layout::Split { replicas, .. } => replicas.entries.len() as u64,
        }
    }
}
