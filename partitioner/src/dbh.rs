//! Degree-based hashing (Xie et al., NIPS 2014): an edge goes where the hash of its endpoint of
//! lower degree sends it, so low-degree vertices keep all their edges together and only hubs are
//! cut.

use crate::{hash, reduce, EdgeStrategy};

/// DBH over the graph's degrees (directions ignored).
pub struct Dbh {
    pub(crate) seed: u64,
    pub(crate) degree: Vec<u32>,
}

impl EdgeStrategy for Dbh {
    fn assign(&self, u: u32, v: u32, parts: u32) -> u32 {
        let lower = if (self.degree[u as usize], u) <= (self.degree[v as usize], v) { u } else { v };
        reduce(hash(u64::from(lower), self.seed), parts)
    }
}
