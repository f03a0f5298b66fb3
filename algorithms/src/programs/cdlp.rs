//! Community detection by label propagation as a vertex program (Graphalytics CDLP).

use crate::program::{Context, Direction, VertexProgram};

/// CDLP parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdlpConfig {
    /// Iterations to run.
    pub iterations: u32,
}

/// Label counts, sorted by label: the message of CDLP.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Histogram(pub Vec<(u32, u32)>);

impl Histogram {
    fn merge(self, other: Histogram) -> Histogram {
        let (a, b) = (self.0, other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1 + b[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Histogram(out)
    }

    /// The most frequent label, the smallest among equals.
    pub fn mode(&self) -> Option<u32> {
        self.0.iter().max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0))).map(|x| x.0)
    }
}

/// Synchronous label propagation: each iteration a vertex takes the most frequent label among
/// its in- and out-neighbours (counted separately), the smallest on ties; labels start as the
/// vertices' own (dense) ids.
///
/// # Arguments
/// `config.iterations`: exactly this many iterations run.
///
/// # Returns
/// Per vertex a label: the dense id of a vertex.
///
/// # Complexity
/// O(iterations * E log d) (histograms merge sorted label lists).
///
/// # Example
/// ```
/// use dgraph_algorithms::programs::{Cdlp, CdlpConfig};
/// let cdlp = Cdlp::new(CdlpConfig { iterations: 5 });
/// # let _ = cdlp;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Cdlp {
    config: CdlpConfig,
}

impl Cdlp {
    /// CDLP with `config`.
    pub fn new(config: CdlpConfig) -> Self {
        Cdlp { config }
    }
}

impl VertexProgram for Cdlp {
    type Value = u32;
    type Message = Histogram;

    #[inline]
    fn message_uses_weight(&self) -> bool {
        false
    }

    #[inline]
    fn direction(&self) -> Direction {
        Direction::Both
    }

    #[inline]
    fn init(&self, v: u32, _: &dyn Context) -> u32 {
        v
    }

    #[inline]
    fn initially_active(&self, _: u32) -> bool {
        true
    }

    #[inline]
    fn all_active(&self) -> bool {
        true
    }

    #[inline]
    fn message(&self, _: u32, label: &u32, _: f64, _: &dyn Context) -> Option<Histogram> {
        Some(Histogram(vec![(*label, 1)]))
    }

    #[inline]
    fn combine(&self, a: Histogram, b: Histogram) -> Histogram {
        a.merge(b)
    }

    #[inline]
    fn apply(&self, _: u32, label: &u32, message: Option<Histogram>, _: &dyn Context) -> (u32, bool) {
        (message.and_then(|h| h.mode()).unwrap_or(*label), true)
    }

    #[inline]
    fn max_supersteps(&self) -> u32 {
        self.config.iterations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_merge_and_pick_the_smallest_mode() {
        let a = Histogram(vec![(1, 2), (5, 1)]);
        let b = Histogram(vec![(3, 2), (5, 1)]);
        let m = a.merge(b);
        assert_eq!(m, Histogram(vec![(1, 2), (3, 2), (5, 2)]));
        assert_eq!(m.mode(), Some(1));
        assert_eq!(Histogram::default().mode(), None);
    }
}
