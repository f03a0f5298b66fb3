//! `dgraph partition`: partition a graph with one strategy or all of them, at one or several
//! part counts, and report the quality (replication factor, edge and master balance, edges and
//! replicas per partition) and the speed.

use std::time::Instant;

use dgraph_datasets::progress::Progress;
use dgraph_partitioner::{partition_with, quality, PartitionOptions, StrategyKind};
use serde_json::json;

use super::input::InputArgs;

/// Arguments of `dgraph partition`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A graph file or dataset name [default: kron-16].
    pub input: Option<String>,
    /// Number of partitions; a comma-separated list runs each (e.g. 16,64).
    #[arg(long, short, value_name = "P[,P...]", value_delimiter = ',', required = true, allow_negative_numbers = true)]
    pub parts: Vec<u32>,
    /// Strategy: random, canonical, 2d, dbh, greedy, hdrf, ne, hep, or all (one row each).
    #[arg(long, short, value_name = "NAME", default_value = "hdrf", value_parser = parse_strategies)]
    pub strategy: Strategies,
    /// Largest allowed edge balance (max / mean edges per partition), >= 1.
    #[arg(long, value_name = "B", default_value_t = 1.05, allow_negative_numbers = true)]
    pub balance: f64,
    /// HDRF's balance weight lambda.
    #[arg(long, value_name = "L", default_value_t = 1.0, allow_negative_numbers = true)]
    pub lambda: f64,
    /// HEP's degree threshold tau: vertices with more than tau x the mean degree are hubs,
    /// whose edges among themselves are streamed instead of expanded. Lower is faster, higher
    /// closer to NE's replication (50: within 3% of it on kron-18 and kron-20; 20: 4% / 7%)
    #[arg(long, value_name = "T", default_value_t = 50.0, allow_negative_numbers = true)]
    pub tau: f64,
    /// Seed of the hashing strategies.
    #[arg(long = "partition-seed", value_name = "N", default_value_t = 1)]
    pub partition_seed: u64,
    /// Print a JSON array, one object per strategy and part count.
    #[arg(long)]
    pub json: bool,
    /// Write the partitioned graph to directory DIR: one file per partition and a manifest
    /// with checksums (one strategy and one part count only). `dgraph info DIR` checks it.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub read: InputArgs,
}

/// One strategy or all of them.
#[derive(Debug, Clone)]
pub struct Strategies(Vec<StrategyKind>);

fn parse_strategies(s: &str) -> Result<Strategies, String> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(Strategies(StrategyKind::ALL.iter().map(|(k, _)| *k).collect()));
    }
    StrategyKind::from_name(s).map(|k| Strategies(vec![k])).ok_or_else(|| {
        let known: Vec<&str> = StrategyKind::ALL.iter().map(|(_, n)| *n).collect();
        format!("unknown strategy {s:?}; known: {}, all", known.join(", "))
    })
}

pub fn run(args: Args, progress: &dyn Progress) -> anyhow::Result<()> {
    let input = args.read.load(args.input.as_deref(), progress)?;
    let g = &input.graph;
    let options = PartitionOptions {
        seed: args.partition_seed,
        balance: args.balance,
        hdrf_lambda: args.lambda,
        hep_tau: args.tau,
    };
    if args.output.is_some() && (args.parts.len() != 1 || args.strategy.0.len() != 1) {
        anyhow::bail!("--output writes one partitioning: give one --parts count and one --strategy");
    }
    // Every request checked before the table starts: a bad one prints only its error.
    for &parts in &args.parts {
        options.check(g, parts)?;
    }
    let (mut rows, mut last) = (Vec::new(), None);
    if !args.json {
        eprintln!("{}", input.summary_line());
        println!(
            "{:<10} {:>5} {:>12} {:>9} {:>9} {:>9} {:>12}",
            "strategy", "parts", "replication", "edge-bal", "mast-bal", "seconds", "edges/s"
        );
    }
    for &parts in &args.parts {
        for &strategy in &args.strategy.0 {
            let start = Instant::now();
            let map = partition_with(g, strategy, parts, &options)?;
            let seconds = start.elapsed().as_secs_f64();
            let q = quality(g, &map);
            let rate = g.edge_count() as f64 / seconds.max(1e-9);
            if !args.json {
                println!(
                    "{:<10} {:>5} {:>12.3} {:>9.3} {:>9.3} {:>9.3} {:>12.0}",
                    strategy.name(),
                    parts,
                    q.replication_factor,
                    q.edge_balance,
                    q.master_balance,
                    seconds,
                    rate
                );
            }
            rows.push(json!({
                "strategy": strategy.name(),
                "parts": parts,
                "replication_factor": q.replication_factor,
                "edge_balance": q.edge_balance,
                "master_balance": q.master_balance,
                "seconds": seconds,
                "edges_per_second": rate,
                "edges": q.edges,
                "replicas": q.replicas,
                "graph": g.metadata().name,
                "checksum": g.checksum_string(),
            }));
            last = Some(q);
            if let Some(dir) = &args.output {
                let start = Instant::now();
                let manifest = dgraph_partitioner::store::write(g, &map, strategy.name(), dir)?;
                let bytes: u64 = manifest.partitions.iter().map(|e| e.bytes).sum();
                eprintln!(
                    "wrote {} partition files ({bytes} bytes) and {} to {} in {:.3} s",
                    manifest.parts,
                    dgraph_partitioner::store::MANIFEST,
                    dir.display(),
                    start.elapsed().as_secs_f64()
                );
            }
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else if let Some(q) = last.filter(|_| rows.len() == 1) {
        // One partitioning: show the partitions themselves.
        println!("{:>9} {:>12} {:>12}", "partition", "edges", "replicas");
        for (i, (e, r)) in q.edges.iter().zip(&q.replicas).enumerate() {
            println!("{i:>9} {e:>12} {r:>12}");
        }
    }
    Ok(())
}
