//! The algorithms by name, and their parameters (with Graphalytics `.properties` defaults).

use dgraph_datasets::Graph;

/// The built-in algorithms: the six of LDBC Graphalytics, and global triangle counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Breadth-first search depth from a source.
    Bfs,
    /// PageRank with a fixed number of iterations, sink mass redistributed.
    PageRank,
    /// Weakly connected components (label: smallest vertex id of the component).
    Wcc,
    /// Community detection by synchronous label propagation.
    Cdlp,
    /// Local clustering coefficient.
    Lcc,
    /// Single-source shortest paths over edge weights.
    Sssp,
    /// Number of triangles, directions ignored (one number for the whole graph).
    TriangleCount,
}

impl Algorithm {
    /// Every algorithm with its names (the first is canonical; Graphalytics acronyms accepted).
    pub const ALL: [(Algorithm, &'static [&'static str]); 7] = [
        (Algorithm::Bfs, &["bfs"]),
        (Algorithm::PageRank, &["pagerank", "pr"]),
        (Algorithm::Wcc, &["wcc"]),
        (Algorithm::Cdlp, &["cdlp"]),
        (Algorithm::Lcc, &["lcc"]),
        (Algorithm::Sssp, &["sssp"]),
        (Algorithm::TriangleCount, &["tc", "triangles"]),
    ];

    /// The algorithm called `name` (case-insensitive), if any.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        let name = name.to_ascii_lowercase();
        Self::ALL.iter().find(|(_, names)| names.contains(&name.as_str())).map(|(a, _)| *a)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(a, _)| *a == self).map_or("", |(_, n)| n[0])
    }

    /// The Graphalytics acronym used in expected-output file names (`BFS`, `PR`, ...; `TC` is
    /// ours).
    pub fn acronym(self) -> &'static str {
        match self {
            Algorithm::Bfs => "BFS",
            Algorithm::PageRank => "PR",
            Algorithm::Wcc => "WCC",
            Algorithm::Cdlp => "CDLP",
            Algorithm::Lcc => "LCC",
            Algorithm::Sssp => "SSSP",
            Algorithm::TriangleCount => "TC",
        }
    }
}

/// Parameters of a run; `None` fields take the graph's `.properties` value, then the default.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Parameters {
    /// BFS / SSSP source (external id).
    pub source: Option<u64>,
    /// PageRank / CDLP iterations.
    pub iterations: Option<u32>,
    /// PageRank damping factor.
    pub damping: Option<f64>,
}

/// A parameter is missing or out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParameterError {
    /// The source vertex is not a vertex of the graph.
    #[error("source vertex {0} is not in the graph")]
    UnknownSource(u64),
    /// BFS and SSSP need a source.
    #[error("{0} needs a source vertex (--source ID)")]
    MissingSource(&'static str),
    /// Zero iterations.
    #[error("iterations must be at least 1")]
    ZeroIterations,
    /// Damping outside `[0, 1)`.
    #[error("damping must be in [0, 1), found {0}")]
    Damping(f64),
    /// A `.properties` parameter does not parse.
    #[error("graph parameter {key} = {value:?} is not valid")]
    BadProperty {
        /// The key, e.g. `pr.damping-factor`.
        key: String,
        /// Its value.
        value: String,
    },
}

/// PageRank's default damping factor.
pub const DEFAULT_DAMPING: f64 = 0.85;
/// Default PageRank iterations (Graphalytics uses 10 on its standard graphs; GAP-style
/// comparisons use 20).
pub const DEFAULT_PAGERANK_ITERATIONS: u32 = 20;
/// Default CDLP iterations (as Graphalytics' standard graphs).
pub const DEFAULT_CDLP_ITERATIONS: u32 = 10;

impl Parameters {
    fn property<T: std::str::FromStr>(graph: &Graph, key: &str) -> Result<Option<T>, ParameterError> {
        match graph.metadata().parameters.get(key) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ParameterError::BadProperty { key: key.into(), value: v.clone() }),
        }
    }

    /// The source as a dense id: the explicit one, else the graph's `bfs.source-vertex` /
    /// `sssp.source-vertex`, else the vertex with the smallest id among those with out-edges
    /// (the smallest id when none has any).
    pub fn source_for(&self, graph: &Graph, algorithm: Algorithm) -> Result<u32, ParameterError> {
        let key = if algorithm == Algorithm::Sssp { "sssp.source-vertex" } else { "bfs.source-vertex" };
        let external = match self.source {
            Some(s) => Some(s),
            None => Self::property::<u64>(graph, key)?,
        };
        match external {
            Some(s) => graph.ids().dense(s).ok_or(ParameterError::UnknownSource(s)),
            // A source without out-edges would reach nothing (kron-20's smallest id has none).
            None if graph.vertex_count() > 0 => {
                let out = graph.out_edges();
                Ok((0..graph.vertex_count() as u32).find(|&v| out.degree(v) > 0).unwrap_or(0))
            }
            None => Err(ParameterError::MissingSource(algorithm.name())),
        }
    }

    /// Iterations for PageRank or CDLP.
    pub fn iterations_for(&self, graph: &Graph, algorithm: Algorithm) -> Result<u32, ParameterError> {
        let (key, default) = match algorithm {
            Algorithm::Cdlp => ("cdlp.max-iterations", DEFAULT_CDLP_ITERATIONS),
            _ => ("pr.num-iterations", DEFAULT_PAGERANK_ITERATIONS),
        };
        let n = match self.iterations {
            Some(n) => n,
            None => Self::property(graph, key)?.unwrap_or(default),
        };
        if n == 0 {
            return Err(ParameterError::ZeroIterations);
        }
        Ok(n)
    }

    /// PageRank's damping factor.
    pub fn damping_for(&self, graph: &Graph) -> Result<f64, ParameterError> {
        let d = match self.damping {
            Some(d) => d,
            None => Self::property(graph, "pr.damping-factor")?.unwrap_or(DEFAULT_DAMPING),
        };
        if !(0.0..1.0).contains(&d) {
            return Err(ParameterError::Damping(d));
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (a, names) in Algorithm::ALL {
            for n in names {
                assert_eq!(Algorithm::from_name(n), Some(a));
            }
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
        }
        assert_eq!(Algorithm::from_name("PR"), Some(Algorithm::PageRank));
        assert_eq!(Algorithm::from_name("dijkstra"), None);
    }
}
