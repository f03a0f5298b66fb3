//! A vertex program written by a user: max-label propagation (every vertex ends with the largest
//! id of its weakly connected component), run on all cores with 4 partitions.
//!
//! `cargo run --release --example max_label [INPUT]`

use dgraph::algorithms::program::{Context, Direction, VertexProgram};
use dgraph::engine::{Engine, EngineConfig};
use dgraph::Graph;

/// Propagates the largest vertex id along edges in both directions.
struct MaxLabel;

impl VertexProgram for MaxLabel {
    type Value = u32; // a dense vertex id
    type Message = u32;

    fn direction(&self) -> Direction {
        Direction::Both
    }
    fn init(&self, v: u32, _: &dyn Context) -> u32 {
        v
    }
    fn initially_active(&self, _: u32) -> bool {
        true
    }
    fn message(&self, _: u32, label: &u32, _: f64, _: &dyn Context) -> Option<u32> {
        Some(*label)
    }
    fn combine(&self, a: u32, b: u32) -> u32 {
        a.max(b)
    }
    fn apply(&self, _: u32, label: &u32, incoming: Option<u32>, _: &dyn Context) -> (u32, bool) {
        match incoming {
            Some(m) if m > *label => (m, true), // changed: tell the neighbours next superstep
            _ => (*label, false),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = std::env::args().nth(1).unwrap_or_else(|| "kron-16".into());
    let graph = Graph::load(&input)?;
    let engine = Engine::new(&graph, EngineConfig { partitions: 4, ..EngineConfig::default() })?;
    let run = engine.run(&MaxLabel);
    let mut components: Vec<u32> = run.values.clone();
    components.sort_unstable();
    components.dedup();
    println!("{input}: {} components after {} supersteps", components.len(), run.supersteps.len());
    Ok(())
}
