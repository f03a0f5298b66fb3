//! Runs a partition program (`dgraph_algorithms::partition_program`): each round is one task
//! per partition (the program's `compute` on the partition's local graph, seeded with the values
//! of its replicas) followed by an exchange that merges replicas at their masters. The vertices
//! whose merged value changed are the next round's active set; the run ends when a round
//! changes nothing. With the whole graph as one partition, one round is final.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use dgraph_algorithms::partition_program::{LocalGraph, PartitionProgram};
use dgraph_datasets::Csr;

use super::layout::Layout;
use super::superstep::{Mode, Run, SuperstepStats};
use super::trace::{TaskEvent, Timer};

/// Vertices per rayon task in the exchange.
const GRAIN: usize = 1024;

/// Runs `program` to completion on `layout`.
pub(crate) fn run<P: PartitionProgram>(program: &P, layout: &Layout<'_>, out: &Csr, directed: bool) -> Run<P::Value> {
    let origin = Instant::now();
    let n = out.vertex_count();
    let name = std::any::type_name::<P>().rsplit("::").next().unwrap_or("partition");
    match layout {
        Layout::Whole { out, inc } => {
            let started = Instant::now();
            let timer = Timer::start(origin);
            let graph = LocalGraph {
                offsets: out.offsets(),
                targets: out.targets(),
                weights: out.weights(),
                incoming: directed.then(|| (inc.offsets(), inc.targets())),
                symmetric: !directed,
            };
            let mut values: Vec<P::Value> = (0..n as u32).into_par_iter().map(|v| program.init(v)).collect();
            let active: Vec<u32> = (0..n as u32).into_par_iter().filter(|&v| program.initially_active(v)).collect();
            program.compute(&graph, &mut values, &active);
            let event = timer.finish(name, 0, 0, active.len() as u64, out.entry_count());
            let stats = SuperstepStats {
                index: 0,
                frontier: active.len() as u64,
                mode: Mode::Partition,
                messages: 0,
                seconds: started.elapsed().as_secs_f64(),
            };
            Run { values, supersteps: vec![stats], events: vec![event] }
        }
        Layout::Split { parts, replicas } => {
            let mut values: Vec<P::Value> = (0..n as u32).into_par_iter().map(|v| program.init(v)).collect();
            let changed: Vec<AtomicBool> =
                (0..n as u32).into_par_iter().map(|v| AtomicBool::new(program.initially_active(v))).collect();
            let (mut events, mut supersteps) = (Vec::new(), Vec::new());
            for round in 0.. {
                let started = Instant::now();
                let frontier = changed.par_iter().filter(|c| c.load(Ordering::Relaxed)).count() as u64;
                // One task per partition; a partition without an active replica has nothing to do.
                let results: Vec<Option<(Vec<P::Value>, TaskEvent)>> = parts
                    .par_iter()
                    .enumerate()
                    .map(|(pi, part)| {
                        let active: Vec<u32> = (0..part.vertices.len() as u32)
                            .filter(|&l| changed[part.vertices[l as usize] as usize].load(Ordering::Relaxed))
                            .collect();
                        if active.is_empty() {
                            return None;
                        }
                        let timer = Timer::start(origin);
                        let graph = LocalGraph {
                            offsets: &part.out.offsets,
                            targets: &part.out_local,
                            weights: part.out.weights.as_deref(),
                            incoming: None,
                            // Vertex-cut strategies may split an edge's two directions.
                            symmetric: false,
                        };
                        let mut local: Vec<P::Value> = part.vertices.iter().map(|&g| values[g as usize]).collect();
                        program.compute(&graph, &mut local, &active);
                        let event =
                            timer.finish(name, round, pi as u32, active.len() as u64, part.out.neighbours.len() as u64);
                        Some((local, event))
                    })
                    .collect();
                let timer = Timer::start(origin);
                values.par_iter_mut().enumerate().with_min_len(GRAIN).for_each(|(v, value)| {
                    let entries = &replicas.entries[replicas.offsets[v] as usize..replicas.offsets[v + 1] as usize];
                    let merged = entries
                        .iter()
                        .filter_map(|&(pi, l)| results[pi as usize].as_ref().map(|r| r.0[l as usize]))
                        .fold(*value, |a, b| program.merge(a, b));
                    changed[v].store(merged != *value, Ordering::Relaxed);
                    *value = merged;
                });
                let updated = changed.par_iter().filter(|c| c.load(Ordering::Relaxed)).count() as u64;
                events.extend(results.into_iter().flatten().map(|r| r.1));
                events.push(timer.finish("exchange", round, 0, n as u64, replicas.entries.len() as u64));
                supersteps.push(SuperstepStats {
                    index: round,
                    frontier,
                    mode: Mode::Partition,
                    messages: updated,
                    seconds: started.elapsed().as_secs_f64(),
                });
                if updated == 0 {
                    break;
                }
            }
            Run { values, supersteps, events }
        }
    }
}
