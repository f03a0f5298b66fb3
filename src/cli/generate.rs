//! `dgraph generate`: build a generated catalog graph and write it to a file.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use dgraph_datasets::catalog::DEFAULT_SEED;
use dgraph_datasets::generators::Generator;
use dgraph_datasets::progress::Progress;

use super::input::{output_format, write_output};

/// Arguments of `dgraph generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// kron-S (Graph500 Kronecker, 2^S vertices), urand-S (uniform random) or grid-RxC.
    pub name: String,
    /// Output file; its extension picks the format (.el .wel .properties .mtx .dgraph).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Random seed: the same name and seed always give the same graph.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Give edges integer weights 1..=255 (as Graph500); grids always have weights.
    #[arg(long)]
    pub weighted: bool,
}

pub fn run(args: Args, progress: &dyn Progress) -> anyhow::Result<()> {
    let generator = Generator::parse(&args.name)?.with_context(|| {
        format!("{:?} is not a generator name: use kron-S, urand-S or grid-RxC (see dgraph datasets)", args.name)
    })?;
    let format = output_format(&args.output, None)?;
    let start = Instant::now();
    let (graph, report) = generator.generate(args.seed, args.weighted, progress)?;
    let built = start.elapsed().as_secs_f64();
    write_output(&graph, &args.output, format, progress)?;
    eprintln!(
        "generated {} (seed {}): {} vertices, {} edges ({} drawn, {} self-loops and {} duplicates dropped), checksum {}, in {:.2} s; written to {} in {:.2} s",
        generator.name(),
        args.seed,
        graph.vertex_count(),
        graph.edge_count(),
        report.input_edges,
        report.self_loops_dropped,
        report.duplicates_dropped,
        graph.checksum_string(),
        built,
        args.output.display(),
        start.elapsed().as_secs_f64() - built
    );
    Ok(())
}
