//! Weakly connected components as a vertex program (min-label propagation, direction ignored).

use crate::program::{Context, Direction, VertexProgram};

/// Component labels: every vertex ends with the smallest dense id of its component (which is
/// also the smallest external id, since dense ids follow external order).
///
/// # Returns
/// Per vertex the dense id of its component's smallest vertex.
///
/// # Complexity
/// O(E * diameter) work in the worst case; only vertices whose label dropped stay active.
///
/// # Example
/// ```
/// use dgraph_algorithms::programs::Wcc;
/// let wcc = Wcc;
/// # let _ = wcc;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Wcc;

impl VertexProgram for Wcc {
    type Value = u32;
    type Message = u32;

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
    fn message(&self, _: u32, label: &u32, _: f64, _: &dyn Context) -> Option<u32> {
        Some(*label)
    }

    #[inline]
    fn combine(&self, a: u32, b: u32) -> u32 {
        a.min(b)
    }

    #[inline]
    fn apply(&self, _: u32, label: &u32, message: Option<u32>, _: &dyn Context) -> (u32, bool) {
        match message {
            Some(m) if m < *label => (m, true),
            _ => (*label, false),
        }
    }
}
