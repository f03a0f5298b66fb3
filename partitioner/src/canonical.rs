//! Canonical random (hash of the unordered pair): both directions of an edge share a partition.

use crate::{hash, reduce, EdgeStrategy};

/// Each edge goes to the partition given by a hash of `{source, target}`.
pub struct CanonicalRandom {
    pub(crate) seed: u64,
}

impl EdgeStrategy for CanonicalRandom {
    fn assign(&self, source: u32, target: u32, parts: u32) -> u32 {
        let (a, b) = (source.min(target), source.max(target));
        reduce(hash((u64::from(a) << 32) | u64::from(b), self.seed), parts)
    }
}
