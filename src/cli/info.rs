//! `dgraph info`: what a graph is, in numbers (text on stdout, or one JSON object).

use dgraph_datasets::progress::Progress;
use dgraph_partitioner::store::{self, Partitioned};
use serde_json::json;

use super::input::{Input, InputArgs};

/// Arguments of `dgraph info`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A graph file or dataset name [default: kron-16].
    pub input: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: InputArgs,
}

pub fn run(args: Args, progress: &dyn Progress) -> anyhow::Result<()> {
    if let Some(path) = args.input.as_deref().map(std::path::Path::new) {
        if path.is_dir() || path.file_name().is_some_and(|f| f == store::MANIFEST) {
            return partitions(path, args.json);
        }
    }
    let input = args.read.load(args.input.as_deref(), progress)?;
    let value = describe(&input);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_text(&input);
    }
    Ok(())
}

/// The JSON description of a loaded graph.
pub fn describe(input: &Input) -> serde_json::Value {
    let g = &input.graph;
    let s = g.stats();
    let mut v = json!({
        "input": input.source,
        "origin": input.origin,
        "name": g.metadata().name,
        "vertices": g.vertex_count(),
        "edges": g.edge_count(),
        "directed": g.is_directed(),
        "weighted": g.is_weighted(),
        "self_loops": s.self_loops,
        "duplicates": s.duplicates,
        "isolated_vertices": s.isolated,
        "degree": { "min": s.min_degree, "mean": s.mean_degree, "max": s.max_degree },
        "checksum": g.checksum_string(),
        "bytes_in_memory": g.data_bytes(),
        "heap_bytes": g.heap_bytes(),
        "load_seconds": input.seconds,
        "parameters": g.metadata().parameters,
    });
    if let Some(r) = &input.report {
        v["build"] = json!({
            "input_edges": r.input_edges,
            "symmetrized": r.symmetrized,
            "self_loops_found": r.self_loops_found,
            "self_loops_dropped": r.self_loops_dropped,
            "duplicates_found": r.duplicates_found,
            "duplicates_dropped": r.duplicates_dropped,
        });
    }
    v
}

fn print_text(input: &Input) {
    let g = &input.graph;
    let s = g.stats();
    let yes = |b: bool| if b { "yes" } else { "no" };
    println!("graph       {} ({})", g.metadata().name, input.origin);
    println!("vertices    {}", g.vertex_count());
    println!("edges       {}", g.edge_count());
    println!("directed    {}", yes(g.is_directed()));
    println!("weighted    {}", yes(g.is_weighted()));
    println!("self-loops  {}", s.self_loops);
    println!("duplicates  {}", s.duplicates);
    println!("isolated    {}", s.isolated);
    let kind = if g.is_directed() { "out-degree" } else { "degree" };
    println!("{kind:<11} min {}, mean {:.2}, max {}", s.min_degree, s.mean_degree, s.max_degree);
    println!("checksum    {}", g.checksum_string());
    println!(
        "memory      {} of graph data, {} of it on the heap (the rest is memory-mapped)",
        bytes(g.data_bytes()),
        bytes(g.heap_bytes())
    );
    println!("load time   {:.3} s", input.seconds);
    if let Some(r) = &input.report {
        println!(
            "build       {} input edges; self-loops found {} dropped {}; duplicates found {} dropped {}{}",
            r.input_edges,
            r.self_loops_found,
            r.self_loops_dropped,
            r.duplicates_found,
            r.duplicates_dropped,
            if r.symmetrized { "; symmetrised" } else { "" }
        );
    }
    for (k, v) in &g.metadata().parameters {
        println!("parameter   {k} = {v}");
    }
}

fn bytes(n: usize) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut x = n as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < units.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{x:.1} {}", units[u])
    }
}

/// `dgraph info DIR`: a partitioned graph written by `dgraph partition -o`; every partition is
/// loaded and checked against the manifest.
fn partitions(path: &std::path::Path, as_json: bool) -> anyhow::Result<()> {
    let p = Partitioned::open(path)?;
    let m = &p.manifest;
    let mut rows = Vec::with_capacity(m.partitions.len());
    for index in 0..m.parts {
        let piece = p.load(index)?;
        rows.push((index, piece.edge_count(), piece.vertices.len(), piece.master_count()));
    }
    if as_json {
        let mut v = serde_json::to_value(m)?;
        v["checked"] = json!(true);
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("partitions  {} ({}), every file checked", m.parts, p.dir().display());
    println!("graph       {} ({}), {} vertices, {} edges", m.graph, m.graph_checksum, m.vertices, m.edges);
    println!("strategy    {}: replication {:.3}, edge balance {:.3}", m.strategy, m.replication_factor, m.edge_balance);
    println!("{:>9} {:>12} {:>12} {:>12}", "partition", "edges", "replicas", "masters");
    for (index, edges, replicas, masters) in rows {
        println!("{index:>9} {edges:>12} {replicas:>12} {masters:>12}");
    }
    Ok(())
}
