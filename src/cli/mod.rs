//! The `dgraph` command line: argument types (clap), validated into library options, and the
//! subcommands. `main` maps errors to exit codes: 0 success, 1 error, 2 usage error.

mod convert;
mod datasets;
mod generate;
mod info;
mod input;
mod partition;
mod progress;
mod run;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use input::InputArgs;

/// dgraph: graph analytics on one core, every core, a cluster or a device.
///
/// INPUT arguments are a graph file (.el .wel .txt .properties .mtx .gr .dgraph) or a dataset
/// name from `dgraph datasets` (kron-20, urand-18, grid-100x100, example-directed, ...).
#[derive(Debug, Parser)]
#[command(name = "dgraph", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Hide progress bars (they are also hidden when stderr is not a terminal).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Worker threads for reading, building and writing [default: all cores].
    #[arg(long, global = true, value_name = "N", allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an algorithm (bfs, pagerank, wcc, cdlp, lcc, sssp, tc) and report where the time went.
    Run(run::Args),
    /// Partition a graph (vertex-cut) and report replication factor, balance and speed.
    Partition(partition::Args),
    /// Describe a graph: size, directedness, weights, self-loops, duplicates, degrees, checksum.
    Info(info::Args),
    /// Generate a catalog graph (kron-S, urand-S, grid-RxC) and write it to a file.
    Generate(generate::Args),
    /// Convert a graph between formats (chosen by extension), optionally changing directedness.
    Convert(convert::Args),
    /// List the dataset catalog.
    Datasets(datasets::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes, joined by `: `, without saying a thing twice: a cause whose text
/// the message already ends with is left out (the library errors that wrap an I/O error name
/// it in their own text, so anyhow's `{:#}` would print it twice), and a cause that starts by
/// naming what the message ends with (`cannot write F` then `F: reason`) adds only the rest.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let cause = cause.to_string();
        if text.is_empty() {
            text = cause;
        } else if !text.ends_with(&cause) {
            let rest = cause.split_once(": ").filter(|(head, _)| text.ends_with(head)).map_or(&cause[..], |(_, r)| r);
            text = format!("{text}: {rest}");
        }
    }
    text
}

/// Runs one parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(threads) = cli.threads {
        if threads == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;
    }
    let progress = progress::Bars::new(cli.quiet);
    match cli.command {
        Command::Run(args) => run::run(args, cli.threads, &progress),
        Command::Info(args) => info::run(args, &progress),
        Command::Partition(args) => partition::run(args, &progress),
        Command::Generate(args) => generate::run(args, &progress),
        Command::Convert(args) => convert::run(args, &progress),
        Command::Datasets(args) => datasets::run(args),
    }
}
