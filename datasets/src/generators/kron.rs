//! Graph500 Kronecker (R-MAT) graphs: `2^scale` vertices, `16 * 2^scale` edges drawn by
//! descending `scale` levels of the 2x2 initiator A=0.57, B=0.19, C=0.19, D=0.05, with vertex
//! ids permuted so that degree does not follow id.

use rayon::prelude::*;

use super::rng::{hash3, permutation, weight, SplitMix};
use super::BATCH;
use crate::build::Segment;

const EDGE_FACTOR: u64 = 16;
/// Cumulative initiator probabilities scaled to 2^32.
const A: u64 = (0.57 * 4_294_967_296.0) as u64;
const AB: u64 = ((0.57 + 0.19) * 4_294_967_296.0) as u64;
const ABC: u64 = ((0.57 + 0.19 + 0.19) * 4_294_967_296.0) as u64;

/// Number of edges generated (before duplicates and self-loops are removed).
pub(crate) fn edge_count(scale: u32) -> u64 {
    EDGE_FACTOR << scale
}

pub(crate) fn segments(scale: u32, seed: u64, weighted: bool, advance: &(dyn Fn(u64) + Sync)) -> Vec<Segment> {
    let perm = permutation(1u32 << scale, seed);
    let m = edge_count(scale);
    (0..m.div_ceil(BATCH))
        .into_par_iter()
        .map(|b| {
            let range = b * BATCH..((b + 1) * BATCH).min(m);
            let mut edges = Vec::with_capacity((range.end - range.start) as usize);
            for e in range.clone() {
                let mut rng = SplitMix::new(hash3(seed, 0x6b72_6f6e, e));
                let (mut u, mut v) = (0u32, 0u32);
                let mut bits = 0u64;
                for level in 0..scale {
                    if level % 2 == 0 {
                        bits = rng.next_u64();
                    }
                    let x = bits & 0xffff_ffff;
                    bits >>= 32;
                    // Quadrants A (0,0), B (0,1), C (1,0), D (1,1), chosen without branches: the
                    // choice is random, so a branch would mispredict about half the time.
                    let du = u32::from(x >= AB);
                    let dv = u32::from((A..AB).contains(&x)) | u32::from(x >= ABC);
                    u = (u << 1) | du;
                    v = (v << 1) | dv;
                }
                edges.push([perm[u as usize], perm[v as usize]]);
            }
            let weights = weighted.then(|| range.clone().map(|e| weight(seed, e)).collect());
            advance(range.end - range.start);
            Segment { edges, weights }
        })
        .collect()
}
