//! What the algorithms need to know about a graph's weights, found in one parallel pass.

use rayon::prelude::*;

/// Weights per task of the pass.
const BLOCK: usize = 1 << 16;

/// A summary of a weighted graph's weights (see [`crate::Graph::weight_summary`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightSummary {
    /// Number of stored weights (an undirected edge is stored, and counted, in both directions).
    pub count: u64,
    /// Their sum, added up in fixed blocks in order: the same whatever the thread count.
    pub sum: f64,
    /// The smallest weight above zero, if any.
    pub min_positive: Option<f64>,
    /// Where the first negative weight is: its index in the out-edges' [`crate::Csr::weights`].
    pub first_negative: Option<u64>,
}

impl WeightSummary {
    /// The mean weight (0 without weights).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }
}

/// Summarises `weights`: blocks in parallel, then the blocks' results in order.
pub(crate) fn summarize(weights: &[f64]) -> WeightSummary {
    let blocks: Vec<(f64, f64, Option<usize>)> = weights
        .par_chunks(BLOCK)
        .map(|block| {
            let (mut sum, mut min, mut negative) = (0.0, f64::INFINITY, None);
            for (i, &w) in block.iter().enumerate() {
                sum += w;
                if w > 0.0 && w < min {
                    min = w;
                }
                if w < 0.0 && negative.is_none() {
                    negative = Some(i);
                }
            }
            (sum, min, negative)
        })
        .collect();
    let min = blocks.iter().map(|b| b.1).fold(f64::INFINITY, f64::min);
    WeightSummary {
        count: weights.len() as u64,
        sum: blocks.iter().map(|b| b.0).sum(),
        min_positive: min.is_finite().then_some(min),
        first_negative: blocks.iter().enumerate().find_map(|(k, b)| b.2.map(|i| (k * BLOCK + i) as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_smallest_positive_and_first_negative_across_blocks() {
        let mut w = vec![2.0; 200_000];
        w[7] = 0.0;
        w[150_000] = 0.5;
        let s = summarize(&w);
        assert_eq!((s.count, s.sum, s.min_positive, s.first_negative), (200_000, 399_996.5, Some(0.5), None));
        assert_eq!(s.mean(), 399_996.5 / 200_000.0);
        w[150_001] = -2.0;
        w[199_999] = -1.0;
        assert_eq!(summarize(&w).first_negative, Some(150_001));
        w[3] = -0.5;
        assert_eq!(summarize(&w).first_negative, Some(3));
        let none = summarize(&[]);
        assert_eq!((none.count, none.sum, none.min_positive, none.first_negative), (0, 0.0, None, None));
        assert_eq!(none.mean(), 0.0);
        assert_eq!(summarize(&[0.0, 0.0]).min_positive, None);
    }
}
