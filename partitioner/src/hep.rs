//! HEP, Hybrid Edge Partitioner (Mayer & Jacobsen, SIGMOD 2021): Neighbourhood Expansion on the
//! edges of low-degree vertices (`ne.rs` in its NE++ form: high-degree vertices join boundaries
//! but are never scanned or expanded), then HDRF with exact degrees for the edges between two
//! high-degree vertices, scored against the replicas the expansion left. A vertex is high when
//! its degree exceeds `τ` times the mean degree; `τ = ∞` is plain NE.
//!
//! Hubs are where NE spends its time (a hub's edge list is scanned each time the hub joins a
//! boundary) and where it gains least (a hub is replicated almost everywhere anyway), so HEP
//! keeps most of NE's quality at a fraction of its cost.

use rayon::prelude::*;

use dgraph_datasets::Graph;

use crate::hdrf::Hdrf;
use crate::map::PartitionError;
use crate::ne::{expand, Adjacency, Cell, NONE};
use crate::rows::Canonical;
use crate::stream::{ReplicaSets, Stream};

/// Places every edge: NE++ on the edges with an endpoint of degree at most `tau` x the mean
/// degree, HDRF (balance weight `lambda`) on the rest. Returns the partition of each edge
/// (numbered by `canon`) and the numbering (which it drops through the expansion and makes
/// again).
pub(crate) fn place<'g>(
    graph: &'g Graph,
    stream: &Stream<'_>,
    canon: Canonical<'g>,
    tau: f64,
    lambda: f64,
) -> Result<(Vec<u32>, Canonical<'g>), PartitionError> {
    let parts = stream.parts();
    let n = graph.vertex_count();
    let out = graph.out_edges();
    let threshold = tau * 2.0 * graph.edge_count() as f64 / n.max(1) as f64;
    let low: Vec<bool> = crate::map::degrees(graph).par_iter().map(|&d| f64::from(d) <= threshold).collect();
    let hub: Vec<bool> = low.iter().map(|&l| !l).collect();
    // What the expansion does not need is not kept through it (the degrees, the edge
    // numbering's per-vertex offsets: 12 bytes per vertex, 10% of kron-16's CSR): they are
    // made again after (30 ms on kron-20), so the peak of memory is the pairs and one narrow
    // partition per edge.
    let adj = Adjacency::new(graph, low, &canon)?;
    let edges = canon.count;
    drop(canon);
    let (mut placed, loads, hub_parts) = if parts <= u8::PARTS {
        expand_narrow::<u8>(adj, edges, parts, stream.capacity())
    } else if parts <= u16::PARTS {
        expand_narrow::<u16>(adj, edges, parts, stream.capacity())
    } else {
        expand_narrow::<u32>(adj, edges, parts, stream.capacity())
    };
    let canon = Canonical::new(graph);
    let mut loads = stream.loads(loads);
    // Every edge with a low endpoint is placed; HDRF places the rest, hub to hub (none under
    // plain NE), and reads only hubs' replicas: those are all it needs to know, and the
    // expansion kept them.
    if hub.contains(&true) {
        let mut replicas = ReplicaSets::new(n, parts);
        for (rank, u) in (0..n as u32).filter(|&u| hub[u as usize]).enumerate() {
            replicas.set_row(u, hub_parts.row(rank as u32));
        }
        let degree = crate::map::degrees(graph);
        let mut hdrf = Hdrf { replicas, degree, partial: false, lambda };
        // The hub-to-hub edges in stream order: their canonical entries are in hubs' rows.
        for u in (0..n as u32).filter(|&u| hub[u as usize]) {
            for i in canon.entries(u) {
                let c = canon.rank(u, i);
                if placed[c] == NONE {
                    placed[c] = stream.put(&mut hdrf, &mut loads, u, out.targets()[i]);
                }
            }
        }
    }
    Ok((placed, canon))
}

/// [`expand`] with partitions stored in `C` during the expansion; returns them widened (one
/// per edge, [`NONE`] for the edges left) with the loads and the high vertices' partitions.
fn expand_narrow<C: Cell>(
    adj: Adjacency,
    edges: usize,
    parts: u32,
    capacity: u64,
) -> (Vec<u32>, Vec<u64>, ReplicaSets) {
    // Both made by both threads: the pages' first touches cost more than the writes (10-13 ms
    // for kron-18's 3.8M edges on one thread).
    let mut narrow = Vec::new();
    (0..edges).into_par_iter().map(|_| C::NONE).collect_into_vec(&mut narrow);
    let (loads, hub_parts) = expand(adj, parts, capacity, &mut narrow);
    let mut placed = Vec::new();
    narrow.par_iter().map(|&p| p.get()).collect_into_vec(&mut placed);
    (placed, loads, hub_parts)
}
