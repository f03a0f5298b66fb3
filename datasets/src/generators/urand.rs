//! Uniform random (Erdős–Rényi-like) graphs: `2^scale` vertices and `16 * 2^scale` edges with
//! both endpoints drawn uniformly, as GAP's `-u` generator.

use rayon::prelude::*;

use super::rng::{hash3, weight, SplitMix};
use super::BATCH;
use crate::build::Segment;

pub(crate) fn edge_count(scale: u32) -> u64 {
    16u64 << scale
}

pub(crate) fn segments(scale: u32, seed: u64, weighted: bool, advance: &(dyn Fn(u64) + Sync)) -> Vec<Segment> {
    let n = 1u64 << scale;
    let m = edge_count(scale);
    (0..m.div_ceil(BATCH))
        .into_par_iter()
        .map(|b| {
            let range = b * BATCH..((b + 1) * BATCH).min(m);
            let edges = range
                .clone()
                .map(|e| {
                    let mut rng = SplitMix::new(hash3(seed, 0x7572_616e, e));
                    [rng.below(n) as u32, rng.below(n) as u32]
                })
                .collect();
            let weights = weighted.then(|| range.clone().map(|e| weight(seed, e)).collect());
            advance(range.end - range.start);
            Segment { edges, weights }
        })
        .collect()
}
