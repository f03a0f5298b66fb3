//! The [`Context`] a program sees during a superstep.

use dgraph_algorithms::program::Context;
use dgraph_datasets::Csr;

pub(crate) struct Step<'a> {
    pub(crate) out: &'a Csr,
    pub(crate) superstep: u32,
    pub(crate) aggregate: f64,
}

impl Context for Step<'_> {
    #[inline]
    fn vertex_count(&self) -> usize {
        self.out.vertex_count()
    }

    #[inline]
    fn out_degree(&self, v: u32) -> usize {
        self.out.degree(v)
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
