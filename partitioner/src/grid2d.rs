//! 2D grid (GraphX `EdgePartition2D`): partitions form a `k x k` grid (`k = ceil(sqrt(p))`); the
//! source's hash picks the column, the target's the row, so a vertex's replicas lie in one row
//! and one column: at most `2k - 1` replicas. When `p` is not a square, grid cells are folded
//! onto `0..p` (the bound then becomes about `2 sqrt(p)` plus the fold).

use crate::{hash, EdgeStrategy};

/// GraphX's 2D edge partitioning.
pub struct Grid2d {
    pub(crate) seed: u64,
}

impl EdgeStrategy for Grid2d {
    fn assign(&self, source: u32, target: u32, parts: u32) -> u32 {
        let k = (f64::from(parts).sqrt().ceil() as u64).max(1);
        let col = hash(u64::from(source), self.seed) % k;
        let row = hash(u64::from(target), self.seed) % k;
        ((col * k + row) % u64::from(parts)) as u32
    }
}
