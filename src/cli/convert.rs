//! `dgraph convert`: read a graph in one format and write it in another.

use std::path::PathBuf;
use std::time::Instant;

use dgraph_datasets::progress::Progress;

use super::input::{output_format, write_output, InputArgs};

/// Arguments of `dgraph convert`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The graph to read: a file or a dataset name.
    pub input: String,
    /// The file to write; its extension picks the format (.el .wel .properties .mtx .dgraph).
    pub output: PathBuf,
    /// Write an undirected graph as directed: each edge becomes two arcs.
    #[arg(long, conflicts_with = "undirected")]
    pub directed: bool,
    #[command(flatten)]
    pub read: InputArgs,
}

pub fn run(args: Args, progress: &dyn Progress) -> anyhow::Result<()> {
    let format = output_format(&args.output, None)?;
    let input = args.read.load(Some(&args.input), progress)?;
    let mut graph = input.graph;
    if args.directed && !graph.is_directed() {
        graph = graph.to_directed();
    }
    let start = Instant::now();
    write_output(&graph, &args.output, format, progress)?;
    if format == dgraph_datasets::Format::MatrixMarket
        && !matches!(graph.ids(), dgraph_datasets::IdMap::Range { first: 1, .. })
    {
        eprintln!("note: Matrix Market numbers vertices 1..=n; vertex ids were renumbered in increasing order");
    }
    eprintln!(
        "{} -> {}: {} vertices, {} edges, {}; read in {:.2} s, written in {:.2} s",
        input.source,
        args.output.display(),
        graph.vertex_count(),
        graph.edge_count(),
        if graph.is_directed() { "directed" } else { "undirected" },
        input.seconds,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
