//! How the graph is laid out for the engine: the whole graph as one partition (no copy, no
//! exchange), or vertex-cut partitions built from a `PartitionMap`, each with its replicas, a
//! local out-CSR (local source -> global targets) and a local in-CSR (local target -> global
//! sources), plus the replica table used by the mirror -> master exchange.

use rayon::prelude::*;

use dgraph_datasets::{Csr, Graph};
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
        let parts_n = map.parts as usize;
        let csr = graph.out_edges();
        let weighted = graph.is_weighted();
        let n = graph.vertex_count();
        // Bucket (source, target, weight) by partition, in CSR order.
        let mut buckets: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); parts_n];
        for u in 0..n as u32 {
            let start = csr.offsets()[u as usize] as usize;
            let ws = csr.neighbor_weights(u);
            for (i, &v) in csr.neighbors(u).iter().enumerate() {
                let w = ws.map_or(1.0, |w| w[i]);
                buckets[map.edge_part[start + i] as usize].push((u, v, w));
            }
        }
        let parts: Vec<Partition> = buckets
            .into_par_iter()
            .map(|edges| {
                let mut vertices: Vec<u32> = edges.iter().flat_map(|e| [e.0, e.1]).collect();
                vertices.sort_unstable();
                vertices.dedup();
                let local = |g: u32| {
                    vertices.binary_search(&g).unwrap_or_else(|_| unreachable!("endpoint is a replica")) as u32
                };
                let out_rows: Vec<(u32, u32, f64)> = edges.iter().map(|&(u, v, w)| (local(u), v, w)).collect();
                let in_rows: Vec<(u32, u32, f64)> = edges.iter().map(|&(u, v, w)| (local(v), u, w)).collect();
                drop(edges);
                let out = LocalCsr::from_rows(vertices.len(), out_rows, weighted);
                let inc = LocalCsr::from_rows(vertices.len(), in_rows, weighted);
                let out_local = out.neighbours.iter().map(|&v| local(v)).collect();
                Partition { vertices, out, inc, out_local }
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
