//! Random (hash of the directed edge): PowerGraph's random vertex-cut.

use crate::{hash, reduce, EdgeStrategy};

/// Each edge goes to the partition given by a hash of `(source, target)`.
pub struct Random {
    pub(crate) seed: u64,
}

impl EdgeStrategy for Random {
    fn assign(&self, source: u32, target: u32, parts: u32) -> u32 {
        reduce(hash((u64::from(source) << 32) | u64::from(target), self.seed), parts)
    }
}
