//! 2D grids with weights: `rows x cols` vertices, each joined to its right and lower
//! neighbours, weights in `1..=255`: a road-like graph with a diameter of `rows + cols - 2`.

use rayon::prelude::*;

use super::rng::weight;
use crate::build::Segment;

pub(crate) fn edge_count(rows: u32, cols: u32) -> u64 {
    let (r, c) = (u64::from(rows), u64::from(cols));
    r * c.saturating_sub(1) + c * r.saturating_sub(1)
}

pub(crate) fn segments(rows: u32, cols: u32, seed: u64, advance: &(dyn Fn(u64) + Sync)) -> Vec<Segment> {
    (0..rows)
        .into_par_iter()
        .map(|r| {
            let mut edges = Vec::with_capacity(2 * cols as usize);
            let mut weights = Vec::with_capacity(2 * cols as usize);
            for c in 0..cols {
                let v = r * cols + c;
                // Edge index 2v is v's right edge, 2v + 1 its lower edge.
                if c + 1 < cols {
                    edges.push([v, v + 1]);
                    weights.push(weight(seed, 2 * u64::from(v)));
                }
                if r + 1 < rows {
                    edges.push([v, v + cols]);
                    weights.push(weight(seed, 2 * u64::from(v) + 1));
                }
            }
            advance(edges.len() as u64);
            Segment { edges, weights: Some(weights) }
        })
        .collect()
}
