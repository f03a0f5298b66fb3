//! Deterministic graph generators, named as in the catalog: `kron-S` (Graph500 Kronecker),
//! `urand-S` (uniform random), `grid-RxC` (weighted 2D grid). All three are undirected, with
//! self-loops and duplicate edges removed (as GAP does). For a given name, seed and weight flag
//! the graph is byte-identical whatever the number of threads: every random value is a function
//! of (seed, edge index) alone.

mod grid;
mod kron;
mod rng;
mod urand;

use std::sync::atomic::{AtomicU64, Ordering};

use crate::build::{BuildOptions, BuildReport};
use crate::error::{Error, Result};
use crate::graph::{Graph, Metadata};
use crate::ids::{IdMap, MAX_VERTICES};
use crate::progress::{Progress, Unit};

/// Edges generated per parallel batch.
const BATCH: u64 = 1 << 16;
/// Largest scale accepted for `kron-S` and `urand-S`.
pub const MAX_SCALE: u32 = 30;

/// A generator and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// Graph500 Kronecker, `2^scale` vertices, edge factor 16.
    Kron {
        /// log2 of the vertex count.
        scale: u32,
    },
    /// Uniform random, `2^scale` vertices, edge factor 16.
    Urand {
        /// log2 of the vertex count.
        scale: u32,
    },
    /// `rows x cols` grid with weights.
    Grid {
        /// Number of rows.
        rows: u32,
        /// Number of columns.
        cols: u32,
    },
}

impl Generator {
    /// Parses `kron-S`, `urand-S` or `grid-RxC`. `Ok(None)` when the name is not a generator's;
    /// an error when it is one with a size out of range.
    pub fn parse(name: &str) -> Result<Option<Generator>> {
        let scale = |s: &str| -> Result<Option<u32>> {
            match s.parse::<u32>() {
                Ok(x) if (1..=MAX_SCALE).contains(&x) => Ok(Some(x)),
                Ok(x) => Err(Error::InvalidArgument(format!("{name}: scale {x} is out of range 1..={MAX_SCALE}"))),
                Err(_) => Ok(None),
            }
        };
        if let Some(s) = name.strip_prefix("kron-") {
            return Ok(scale(s)?.map(|scale| Generator::Kron { scale }));
        }
        if let Some(s) = name.strip_prefix("urand-") {
            return Ok(scale(s)?.map(|scale| Generator::Urand { scale }));
        }
        if let Some((r, c)) = name.strip_prefix("grid-").and_then(|s| s.split_once('x')) {
            let (Ok(rows), Ok(cols)) = (r.parse::<u32>(), c.parse::<u32>()) else { return Ok(None) };
            if rows == 0 || cols == 0 || u64::from(rows) * u64::from(cols) > MAX_VERTICES {
                return Err(Error::InvalidArgument(format!("{name}: a grid needs 1 <= rows x cols <= {MAX_VERTICES}")));
            }
            return Ok(Some(Generator::Grid { rows, cols }));
        }
        Ok(None)
    }

    /// The catalog name.
    pub fn name(&self) -> String {
        match self {
            Generator::Kron { scale } => format!("kron-{scale}"),
            Generator::Urand { scale } => format!("urand-{scale}"),
            Generator::Grid { rows, cols } => format!("grid-{rows}x{cols}"),
        }
    }

    /// Vertices of the generated graph.
    pub fn vertex_count(&self) -> u64 {
        match self {
            Generator::Kron { scale } | Generator::Urand { scale } => 1 << scale,
            Generator::Grid { rows, cols } => u64::from(*rows) * u64::from(*cols),
        }
    }

    /// Edges drawn before duplicates and self-loops are removed.
    pub fn raw_edge_count(&self) -> u64 {
        match self {
            Generator::Kron { scale } => kron::edge_count(*scale),
            Generator::Urand { scale } => urand::edge_count(*scale),
            Generator::Grid { rows, cols } => grid::edge_count(*rows, *cols),
        }
    }

    /// Whether the graph always has weights (grids do).
    pub fn always_weighted(&self) -> bool {
        matches!(self, Generator::Grid { .. })
    }

    /// Generates and builds the graph.
    pub fn generate(&self, seed: u64, weighted: bool, progress: &dyn Progress) -> Result<(Graph, BuildReport)> {
        let name = self.name();
        progress.start(&format!("generating {name}"), Some(self.raw_edge_count()), Unit::Edges);
        let done = AtomicU64::new(0);
        let advance = |k: u64| {
            done.fetch_add(k, Ordering::Relaxed);
            progress.advance(k);
        };
        let segments = match *self {
            Generator::Kron { scale } => kron::segments(scale, seed, weighted, &advance),
            Generator::Urand { scale } => urand::segments(scale, seed, weighted, &advance),
            Generator::Grid { rows, cols } => grid::segments(rows, cols, seed, &advance),
        };
        progress.finish();
        progress.start(&format!("building {name}"), None, Unit::Steps);
        let ids = IdMap::Range { first: 0, len: self.vertex_count() as u32 };
        let options = BuildOptions { symmetrize: false, drop_duplicates: true, drop_self_loops: true };
        let metadata = Metadata { name, ..Metadata::default() };
        let built = Graph::build(metadata, ids, segments, false, options);
        progress.finish();
        Ok(built)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn names_parse_and_sizes_are_checked() {
        assert_eq!(Generator::parse("kron-10").ok().flatten(), Some(Generator::Kron { scale: 10 }));
        assert_eq!(Generator::parse("grid-3x4").ok().flatten(), Some(Generator::Grid { rows: 3, cols: 4 }));
        assert_eq!(Generator::parse("kron-x").ok().flatten(), None);
        assert_eq!(Generator::parse("web.el").ok().flatten(), None);
        assert!(Generator::parse("kron-31").is_err());
        assert!(Generator::parse("urand-0").is_err());
        assert!(Generator::parse("grid-0x5").is_err());
        assert!(Generator::parse("grid-100000x100000").is_err());
    }

    #[test]
    fn generated_graphs_are_undirected_simple_and_seeded() {
        for g in [Generator::Kron { scale: 8 }, Generator::Urand { scale: 8 }, Generator::Grid { rows: 5, cols: 7 }] {
            let (a, report) = g.generate(1, true, &Silent).expect("generates");
            assert!(!a.is_directed() && a.is_weighted());
            assert_eq!(a.vertex_count() as u64, g.vertex_count());
            let s = a.stats();
            assert_eq!((s.self_loops, s.duplicates), (0, 0));
            assert_eq!(report.input_edges, g.raw_edge_count());
            assert_eq!(a.check(), Ok(()));
            let (b, _) = g.generate(1, true, &Silent).expect("generates");
            assert_eq!(a.checksum(), b.checksum());
            let (c, _) = g.generate(2, true, &Silent).expect("generates");
            assert_ne!(a.checksum(), c.checksum(), "{}", g.name());
        }
        let (grid, _) = Generator::Grid { rows: 5, cols: 7 }.generate(1, false, &Silent).expect("grid");
        assert_eq!(grid.edge_count(), 5 * 6 + 7 * 4);
    }

    #[test]
    fn output_does_not_depend_on_the_thread_count() {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            pool.install(|| Generator::Kron { scale: 12 }.generate(7, true, &Silent).expect("generates").0.checksum())
        };
        assert_eq!(run(1), run(3));
    }
}
