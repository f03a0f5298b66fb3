//! PowerGraph's oblivious greedy vertex-cut (Gonzalez et al., OSDI 2012): place an edge where
//! both endpoints already have replicas; else where the endpoint with more edges still to come
//! has one; else where either has one; else anywhere; always the least-loaded such partition.

use crate::stream::{least_loaded, lightest, Placer, ReplicaSets};

/// Greedy placement state.
pub(crate) struct Greedy {
    pub(crate) replicas: ReplicaSets,
    /// Edges of each vertex not yet placed.
    pub(crate) remaining: Vec<u32>,
    pub(crate) parts: u32,
}

impl Placer for Greedy {
    fn choose(&mut self, u: u32, v: u32, loads: &[u64], capacity: u64) -> u32 {
        let open = |p: &u32| loads[*p as usize] < capacity;
        let r = &self.replicas;
        if let Some(p) = lightest(loads, r.members(u, Some(v)).filter(open)) {
            return p;
        }
        let pick = match (r.is_empty(u), r.is_empty(v)) {
            (false, false) => Some(if self.remaining[u as usize] >= self.remaining[v as usize] { u } else { v }),
            (false, true) => Some(u),
            (true, false) => Some(v),
            (true, true) => None,
        };
        pick.and_then(|w| lightest(loads, r.members(w, None).filter(open)))
            .unwrap_or_else(|| least_loaded(loads, 0..self.parts))
    }

    fn placed(&mut self, u: u32, v: u32, part: u32) {
        self.replicas.insert(u, part);
        self.replicas.insert(v, part);
        self.remaining[u as usize] = self.remaining[u as usize].saturating_sub(1);
        self.remaining[v as usize] = self.remaining[v as usize].saturating_sub(1);
    }
}
