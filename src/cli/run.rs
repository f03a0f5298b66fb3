//! `dgraph run`: run an algorithm on a graph; results to `--output` in the Graphalytics format,
//! a summary on stderr (or one JSON object on stdout with `--json`), task events to `--trace`.

use std::path::PathBuf;

use anyhow::Context;
use dgraph_algorithms::real::Precision;
use dgraph_algorithms::{Algorithm, Output, Parameters};
use dgraph_datasets::formats::write_atomically;
use dgraph_datasets::progress::Progress;
use dgraph_partitioner::store::Partitioned;
use dgraph_partitioner::StrategyKind;
use rayon::prelude::*;
use serde_json::json;

use super::input::InputArgs;
use crate::analytics::{self, AlgorithmRun, RunOptions};
use crate::engine::{write_chrome_trace, Engine, EngineConfig};

/// Arguments of `dgraph run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The algorithm: bfs, pagerank (pr), wcc, cdlp, lcc, sssp, tc (triangle count).
    #[arg(value_parser = parse_algorithm)]
    pub algorithm: Algorithm,
    /// A graph file or dataset name [default: kron-16].
    pub input: Option<String>,
    /// Write one "id value" line per vertex (Graphalytics format, sorted by id) to FILE; for tc,
    /// one line with the number of triangles.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// BFS / SSSP source vertex (the input's own id) [default: the graph's .properties value,
    /// else the smallest id with an out-edge].
    #[arg(long, value_name = "ID", allow_negative_numbers = true)]
    pub source: Option<u64>,
    /// PageRank / CDLP iterations [default: .properties value, else 20 for PageRank, 10 for CDLP].
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub iterations: Option<u32>,
    /// PageRank damping factor in [0, 1) [default: .properties value, else 0.85].
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub damping: Option<f64>,
    /// PageRank: stop early when an iteration changes the ranks by less than T in total.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub tolerance: Option<f64>,
    /// PageRank's and SSSP's floating-point precision: double (f64) or single (f32: half the
    /// memory per value, about 7 significant digits, within the Graphalytics tolerance of 1e-4).
    #[arg(long, value_name = "P", default_value = "double", value_parser = parse_precision)]
    pub precision: Precision,
    /// SSSP on an unweighted graph: count every edge as weight 1.
    #[arg(long)]
    pub unit_weights: bool,
    /// SSSP delta-stepping bucket width, > 0 [default: mean weight / mean degree, at least the
    /// smallest weight].
    #[arg(long, value_name = "W", value_parser = parse_delta, allow_negative_numbers = true)]
    pub delta: Option<f64>,
    /// Partitions of the vertex-cut (1: the whole graph, no exchange).
    #[arg(long, value_name = "N", default_value_t = 1, allow_negative_numbers = true)]
    pub partitions: u32,
    /// Partitioning strategy: random, canonical, 2d, dbh, greedy, hdrf, ne, hep.
    #[arg(long, value_name = "NAME", default_value = "2d", value_parser = parse_strategy)]
    pub partitioner: StrategyKind,
    /// Use the partitions that `dgraph partition INPUT -o DIR` wrote for this graph instead of
    /// partitioning (each file is checked against the manifest; the graph must be the same).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["partitions", "partitioner"])]
    pub partitions_from: Option<PathBuf>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write every task's events as Chrome trace-event JSON (open in Perfetto) to FILE.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    #[command(flatten)]
    pub read: InputArgs,
}

fn parse_delta(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(d) if d > 0.0 && d.is_finite() => Ok(d),
        _ => Err(format!("expected a positive number, found {s:?}")),
    }
}

fn parse_algorithm(s: &str) -> Result<Algorithm, String> {
    Algorithm::from_name(s).ok_or_else(|| {
        let known: Vec<&str> = Algorithm::ALL.iter().map(|(a, _)| a.name()).collect();
        format!("unknown algorithm {s:?}; known: {}", known.join(", "))
    })
}

fn parse_precision(s: &str) -> Result<Precision, String> {
    Precision::from_name(s).ok_or_else(|| {
        let known: Vec<&str> = Precision::ALL.iter().map(|(_, n)| *n).collect();
        format!("unknown precision {s:?}; known: {}", known.join(", "))
    })
}

fn parse_strategy(s: &str) -> Result<StrategyKind, String> {
    StrategyKind::from_name(s).ok_or_else(|| {
        let known: Vec<&str> = StrategyKind::ALL.iter().map(|(_, n)| *n).collect();
        format!("unknown partitioner {s:?}; known: {}", known.join(", "))
    })
}

pub fn run(args: Args, threads: Option<usize>, progress: &dyn Progress) -> anyhow::Result<()> {
    if let Some(t) = args.tolerance.filter(|t| !(t.is_finite() && *t > 0.0)) {
        anyhow::bail!("--tolerance must be a positive number, found {t}");
    }
    let input = args.read.load(args.input.as_deref(), progress)?;
    let graph = &input.graph;
    let engine = match &args.partitions_from {
        Some(dir) => {
            let loading = std::time::Instant::now();
            let stored = Partitioned::open(dir)?;
            let m = &stored.manifest;
            if m.graph_checksum != graph.checksum_string() {
                anyhow::bail!(
                    "{}: these partitions are of graph {} ({}), not of the input {} ({})",
                    dir.display(),
                    m.graph,
                    m.graph_checksum,
                    graph.metadata().name,
                    graph.checksum_string()
                );
            }
            let pieces = (0..m.parts).into_par_iter().map(|k| stored.load(k)).collect::<Result<Vec<_>, _>>()?;
            let mut engine = Engine::from_pieces(graph, pieces, None)?;
            // The summary's partition time is reading and checking the files plus the layout.
            engine.setup_seconds = loading.elapsed().as_secs_f64();
            engine
        }
        None => {
            let config =
                EngineConfig { threads: None, partitions: args.partitions, strategy: args.partitioner, seed: 1 };
            Engine::new(graph, config)?
        }
    };
    let parameters = Parameters { source: args.source, iterations: args.iterations, damping: args.damping };
    let options = RunOptions {
        unit_weights: args.unit_weights,
        tolerance: args.tolerance,
        delta: args.delta,
        precision: args.precision,
    };
    let result = analytics::run(&engine, args.algorithm, &parameters, &options)?;
    // The source the run used (given, from the .properties file, or the default), by its id.
    let source = match args.algorithm {
        Algorithm::Bfs | Algorithm::Sssp => Some(graph.ids().external(parameters.source_for(graph, args.algorithm)?)),
        _ => None,
    };
    if let Some(path) = &args.output {
        write_atomically(&[path], |_, out| {
            if let Output::Count(c) = result.output {
                writeln!(out, "{c}")?;
                return Ok(());
            }
            for v in 0..graph.vertex_count() {
                writeln!(out, "{}", result.output.line(graph, v))?;
            }
            Ok(())
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.trace {
        write_atomically(&[path], |_, out| write_chrome_trace(&result.events, out))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let threads = threads.unwrap_or_else(rayon::current_num_threads);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary(&input, &engine, &result, threads, args.precision, source))?
        );
    } else {
        print_summary(&input, &engine, &result, threads, source);
    }
    Ok(())
}

fn summary(
    input: &super::input::Input,
    engine: &Engine<'_>,
    r: &AlgorithmRun,
    threads: usize,
    precision: Precision,
    source: Option<u64>,
) -> serde_json::Value {
    let g = &input.graph;
    let mut summary = json!({
        "algorithm": r.algorithm.name(),
        "precision": precision.name(),
        "input": input.source,
        "graph": g.metadata().name,
        "checksum": g.checksum_string(),
        "vertices": g.vertex_count(),
        "edges": g.edge_count(),
        "directed": g.is_directed(),
        "threads": threads,
        "partitions": engine.partition_count(),
        "replication_factor": engine.replication_factor(),
        "load_seconds": input.seconds,
        "partition_seconds": engine.setup_seconds,
        "algorithm_seconds": r.seconds,
        "supersteps": r.supersteps.len(),
        "steps": r.supersteps.iter().map(|s| json!({
            "superstep": s.index, "frontier": s.frontier, "mode": s.mode.name(), "messages": s.messages, "seconds": s.seconds,
        })).collect::<Vec<_>>(),
    });
    if let Output::Count(c) = r.output {
        summary["triangles"] = json!(c);
    }
    if let Some(s) = source {
        summary["source"] = json!(s);
    }
    summary
}

fn print_summary(
    input: &super::input::Input,
    engine: &Engine<'_>,
    r: &AlgorithmRun,
    threads: usize,
    source: Option<u64>,
) {
    eprintln!("{}", input.summary_line());
    eprintln!(
        "run        {}{} on {threads} threads, {} partition(s), replication factor {:.2}",
        r.algorithm.name(),
        source.map_or(String::new(), |s| format!(" from vertex {s}")),
        engine.partition_count(),
        engine.replication_factor()
    );
    eprintln!(
        "time       load {:.3} s, partition {:.3} s, algorithm {:.3} s, {} supersteps",
        input.seconds,
        engine.setup_seconds,
        r.seconds,
        r.supersteps.len()
    );
    if let Output::Count(c) = r.output {
        eprintln!("result     {c} triangles");
    }
    if !r.supersteps.is_empty() {
        eprintln!("{:>6} {:>12} {:>9} {:>12} {:>10}", "step", "frontier", "mode", "messages", "ms");
        for s in &r.supersteps {
            eprintln!(
                "{:>6} {:>12} {:>9} {:>12} {:>10.3}",
                s.index,
                s.frontier,
                s.mode.name(),
                s.messages,
                s.seconds * 1e3
            );
        }
    }
}
