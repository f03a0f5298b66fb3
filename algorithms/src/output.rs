//! Algorithm results and the Graphalytics output format: one `id value` line per vertex, with
//! the input's own ids, sorted by id, single space, no header.

use dgraph_datasets::Graph;

/// BFS depth of an unreachable vertex in Graphalytics output (`i64::MAX`).
pub const BFS_UNREACHABLE: u64 = i64::MAX as u64;

/// Per-vertex results, indexed by dense vertex id.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// BFS depths; `None` for unreachable vertices.
    Depths(Vec<Option<u32>>),
    /// Integer labels (external vertex ids): WCC, CDLP.
    Labels(Vec<u64>),
    /// Floating-point values: PageRank, LCC, SSSP (`f64::INFINITY` when unreachable).
    Values(Vec<f64>),
    /// Single-precision values (PageRank and SSSP with `--precision single`), printed as `f32`s.
    Values32(Vec<f32>),
    /// One number for the whole graph (triangle count); no per-vertex lines.
    Count(u64),
}

impl Output {
    /// Number of vertices covered (0 for a whole-graph [`Output::Count`]).
    pub fn len(&self) -> usize {
        match self {
            Output::Depths(v) => v.len(),
            Output::Labels(v) => v.len(),
            Output::Values(v) => v.len(),
            Output::Values32(v) => v.len(),
            Output::Count(_) => 0,
        }
    }

    /// Whether there are no vertices.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of dense vertex `v` as printed: integers exactly, floats so that they read back
    /// as the same `f64` (`f32` for [`Output::Values32`]), infinity as `infinity` (a
    /// [`Output::Count`] prints its number).
    pub fn value_text(&self, v: usize) -> String {
        match self {
            Output::Count(c) => c.to_string(),
            Output::Depths(d) => d[v].map_or(BFS_UNREACHABLE, u64::from).to_string(),
            Output::Labels(l) => l[v].to_string(),
            Output::Values(x) if x[v].is_infinite() && x[v] > 0.0 => "infinity".into(),
            Output::Values(x) => format!("{:?}", x[v]),
            Output::Values32(x) if x[v].is_infinite() && x[v] > 0.0 => "infinity".into(),
            Output::Values32(x) => format!("{:?}", x[v]),
        }
    }

    /// The output line of dense vertex `v`: `external-id value`.
    pub fn line(&self, graph: &Graph, v: usize) -> String {
        format!("{} {}", graph.ids().external(v as u32), self.value_text(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_so_that_they_read_back() {
        let doubles = Output::Values(vec![0.1, f64::INFINITY, 1e-300]);
        assert_eq!([doubles.value_text(0), doubles.value_text(1)], ["0.1", "infinity"]);
        assert_eq!(doubles.value_text(2).parse::<f64>(), Ok(1e-300));
        let singles = Output::Values32(vec![0.1, f32::INFINITY, 1.0 / 3.0]);
        assert_eq!([singles.value_text(0), singles.value_text(1)], ["0.1", "infinity"]);
        assert_eq!(singles.value_text(2).parse::<f32>(), Ok(1.0f32 / 3.0));
        assert_eq!(singles.len(), 3);
    }
}
