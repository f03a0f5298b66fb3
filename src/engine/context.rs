//! The [`Context`] a program sees during a superstep.

use dgraph_algorithms::program::Context;

/// The graph's out-edge offsets (taken from the CSR once: reaching them through its buffer costs
/// a dereference per call, and programs ask for degrees per vertex), the superstep and the
/// aggregate of the one before.
pub(crate) struct Step<'a> {
    pub(crate) out_offsets: &'a [u64],
    pub(crate) superstep: u32,
    pub(crate) aggregate: f64,
}

impl Context for Step<'_> {
    #[inline]
    fn vertex_count(&self) -> usize {
        self.out_offsets.len().saturating_sub(1)
    }

    #[inline]
    fn out_degree(&self, v: u32) -> usize {
        (self.out_offsets[v as usize + 1] - self.out_offsets[v as usize]) as usize
    }

    #[inline]
    fn superstep(&self) -> u32 {
        self.superstep
    }

    #[inline]
    fn aggregate(&self) -> f64 {
        self.aggregate
    }
}
