//! Partitioning speed of every strategy on `kron-S` (S = `DGRAPH_BENCH_SCALE`, default 16) for
//! 16 and 64 parts; throughput in edges. The quality side (replication factor, balance) of the
//! same runs is printed by `dgraph partition kron-S --parts 16,64 --strategy all`.
//!
//! `cargo bench --bench partition`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dgraph::datasets::generators::Generator;
use dgraph::datasets::progress::Silent;
use dgraph::partitioner::{partition_with, quality, PartitionOptions, StrategyKind};

/// As the `dgraph` binary: large arrays on huge pages.
#[global_allocator]
static ALLOC: dgraph::datasets::pages::HugePageAlloc = dgraph::datasets::pages::HugePageAlloc;

fn scale() -> u32 {
    std::env::var("DGRAPH_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(16)
}

fn strategies(c: &mut Criterion) {
    let generator = Generator::Kron { scale: scale() };
    let (g, _) = generator.generate(1, false, &Silent).expect("generates");
    let name = generator.name();
    let mut group = c.benchmark_group("partition");
    group.sample_size(10);
    group.throughput(Throughput::Elements(g.edge_count()));
    let options = PartitionOptions::default();
    for parts in [16, 64] {
        for (strategy, label) in StrategyKind::ALL {
            let map = partition_with(&g, strategy, parts, &options).expect("partitions");
            let q = quality(&g, &map);
            eprintln!(
                "{label} p={parts} {name}: replication {:.3}, edge balance {:.3}",
                q.replication_factor, q.edge_balance
            );
            group.bench_function(format!("{label}/p{parts}/{name}"), |b| {
                b.iter(|| partition_with(&g, strategy, parts, &options).expect("partitions"))
            });
        }
    }
    group.finish();
}

mod harness {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, strategies);
}

criterion_main!(harness::benches);
