//! Community detection by label propagation as a vertex program (Graphalytics CDLP).

use crate::program::{Context, Direction, VertexProgram};

/// CDLP parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdlpConfig {
    /// Iterations to run.
    pub iterations: u32,
}

/// Neighbours' labels, the message of CDLP: one label as it is (no allocation per edge), or
/// several as a list in arrival order, a label possibly more than once: plain labels, each seen
/// once (what a row of single labels gathers into), or `(label, count)` pairs once counts above
/// one arrive. Combining appends the shorter list to the longer, so gathering a row of `d`
/// labels costs O(d) and one growing buffer; the counts are summed once, when the mode is taken.
/// (Sorted histograms merged pairwise cost a copy of the whole histogram per edge: O(d^2) on a
/// hub, and 81 s for 10 iterations on kron-20.)
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// A single label, seen once.
    One(u32),
    /// Labels each seen once, unordered, possibly repeated. Taking their mode sorts half the
    /// bytes that pairs would be.
    Each(Box<Vec<u32>>),
    /// Labels with how many times each was seen, unordered, labels possibly repeated.
    Counted(Box<Vec<(u32, u32)>>),
}

impl Labels {
    #[inline]
    fn combine(self, other: Labels) -> Labels {
        match (self, other) {
            (Labels::One(a), Labels::One(b)) => Labels::Each(Box::new(vec![a, b])),
            (Labels::Each(mut v), Labels::One(b)) | (Labels::One(b), Labels::Each(mut v)) => {
                v.push(b);
                Labels::Each(v)
            }
            (Labels::Each(mut a), Labels::Each(mut b)) => {
                append(&mut a, &mut b);
                Labels::Each(a)
            }
            (Labels::Counted(mut v), Labels::One(b)) | (Labels::One(b), Labels::Counted(mut v)) => {
                v.push((b, 1));
                Labels::Counted(v)
            }
            (Labels::Counted(mut v), Labels::Each(e)) | (Labels::Each(e), Labels::Counted(mut v)) => {
                v.extend(e.iter().map(|&label| (label, 1)));
                Labels::Counted(v)
            }
            (Labels::Counted(mut a), Labels::Counted(mut b)) => {
                append(&mut a, &mut b);
                Labels::Counted(a)
            }
        }
    }

    /// The most frequent label, the smallest among equals.
    pub fn mode(self) -> u32 {
        match self {
            Labels::One(label) => label,
            Labels::Each(mut v) => {
                v.sort_unstable();
                // Increasing labels: a tie keeps the smaller, found first.
                let (mut best, mut best_count) = (u32::MAX, 0usize);
                for run in v.chunk_by(|a, b| a == b) {
                    if run.len() > best_count {
                        (best, best_count) = (run[0], run.len());
                    }
                }
                best
            }
            Labels::Counted(mut v) => {
                v.sort_unstable_by_key(|&(label, _)| label);
                // Increasing labels: a tie keeps the smaller, found first.
                let (mut best, mut best_count) = (u32::MAX, 0u64);
                for run in v.chunk_by(|a, b| a.0 == b.0) {
                    let count = run.iter().map(|&(_, c)| u64::from(c)).sum::<u64>();
                    if count > best_count {
                        (best, best_count) = (run[0].0, count);
                    }
                }
                best
            }
        }
    }
}

/// `b` appended to `a`, or `a` to `b` if that is shorter, the result left in `a` (order does not
/// matter to the mode).
fn append<T: Copy>(a: &mut Vec<T>, b: &mut Vec<T>) {
    if a.len() < b.len() {
        std::mem::swap(a, b);
    }
    a.extend_from_slice(b);
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
/// O(iterations * E log d) (each vertex sorts its neighbours' labels).
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
    type Message = Labels;

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
    fn message(&self, _: u32, label: &u32, _: f64, _: &dyn Context) -> Option<Labels> {
        Some(Labels::One(*label))
    }

    #[inline]
    fn combine(&self, a: Labels, b: Labels) -> Labels {
        a.combine(b)
    }

    /// The row's labels in one list, sized once: plain labels while every message is one
    /// label, pairs from the first that is not.
    fn combine_row<'m>(&self, first: &'m Labels, rest: impl ExactSizeIterator<Item = &'m Labels>) -> Labels {
        if rest.len() == 0 {
            return first.clone();
        }
        let len = rest.len() + 1;
        let (mut each, mut counted) = (Vec::with_capacity(len), Vec::new());
        let mut pairs = false;
        for labels in std::iter::once(first).chain(rest) {
            if let (Labels::One(label), false) = (labels, pairs) {
                each.push(*label);
                continue;
            }
            if !pairs {
                pairs = true;
                counted.reserve(len);
                counted.extend(each.drain(..).map(|label| (label, 1)));
            }
            match labels {
                Labels::One(label) => counted.push((*label, 1)),
                Labels::Each(labels) => counted.extend(labels.iter().map(|&label| (label, 1))),
                Labels::Counted(more) => counted.extend_from_slice(more),
            }
        }
        if !pairs {
            Labels::Each(Box::new(each))
        } else {
            Labels::Counted(Box::new(counted))
        }
    }

    #[inline]
    fn apply(&self, _: u32, label: &u32, message: Option<Labels>, _: &dyn Context) -> (u32, bool) {
        (message.map_or(*label, Labels::mode), true)
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
    fn labels_combine_in_any_order_and_give_the_smallest_mode() {
        let one = |l| Labels::One(l);
        // 1 and 3 twice, 5 twice, 2 once: 1 is the smallest of the most frequent.
        let a = one(5).combine(one(1)).combine(one(3));
        let b = one(3).combine(Labels::Counted(Box::new(vec![(5, 1), (1, 1), (2, 1)])));
        assert_eq!(a.clone().combine(b.clone()).mode(), 1);
        assert_eq!(b.combine(a).mode(), 1);
        // Counts above one, from merged partitions.
        assert_eq!(Labels::Counted(Box::new(vec![(9, 3), (4, 1), (9, 1), (4, 2)])).mode(), 9);
        assert_eq!(Labels::Counted(Box::new(vec![(9, 3), (4, 3)])).mode(), 4);
        assert_eq!(one(7).mode(), 7);
        // Plain labels: single labels combine into them; the smallest of the most frequent.
        assert_eq!(one(4).combine(one(2)), Labels::Each(Box::new(vec![4, 2])));
        assert_eq!(Labels::Each(Box::new(vec![6, 2, 6, 2, 9])).mode(), 2);
        assert_eq!(Labels::Each(Box::new(vec![6, 2, 6, 9])).mode(), 6);
        // Plain labels with pairs count each plain label once, in either order.
        let each = Labels::Each(Box::new(vec![4, 8, 4]));
        let counted = Labels::Counted(Box::new(vec![(8, 2), (1, 2)]));
        assert_eq!(each.clone().combine(counted.clone()).mode(), 8);
        assert_eq!(counted.combine(each.clone()).mode(), 8);
        assert_eq!(each.clone().combine(Labels::Each(Box::new(vec![1, 1, 1]))).mode(), 1);
        assert_eq!(each.combine(one(8)).mode(), 4);
    }

    #[test]
    fn a_gathered_row_has_the_mode_of_the_pairwise_fold() {
        let cdlp = Cdlp::new(CdlpConfig { iterations: 1 });
        let row = [
            Labels::One(8),
            Labels::One(3),
            Labels::Counted(Box::new(vec![(8, 2), (5, 1)])),
            Labels::One(3),
            Labels::One(5),
            Labels::Counted(Box::new(vec![(3, 1)])),
        ];
        // 3 and 8 three times each, 5 twice: 3.
        let folded = row[1..].iter().fold(row[0].clone(), |a, m| a.combine(m.clone()));
        let gathered = cdlp.combine_row(&row[0], row[1..].iter());
        assert_eq!(folded.mode(), 3);
        assert_eq!(gathered.mode(), 3);
        // A row of single labels gathers into plain labels; one list among them turns the
        // gathered row into pairs, with the same mode.
        let singles = [Labels::One(8), Labels::One(3), Labels::One(8)];
        assert_eq!(cdlp.combine_row(&singles[0], singles[1..].iter()), Labels::Each(Box::new(vec![8, 3, 8])));
        let mixed = [Labels::One(3), Labels::Each(Box::new(vec![8, 3])), Labels::One(8), Labels::One(8)];
        assert_eq!(
            cdlp.combine_row(&mixed[0], mixed[1..].iter()),
            Labels::Counted(Box::new(vec![(3, 1), (8, 1), (3, 1), (8, 1), (8, 1)]))
        );
        // A row of one message is that message.
        assert_eq!(cdlp.combine_row(&row[2], row[..0].iter()), row[2]);
        assert_eq!(cdlp.combine_row(&row[1], row[..0].iter()), Labels::One(3));
    }
}
