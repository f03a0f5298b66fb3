//! Graph data benchmarks: read-and-build of a text edge list, opening the same graph as
//! `.dgraph`, generating it, and writing it. The graph is `kron-S`, written with both directions
//! of every edge (as GAP's `.el` inputs); S is `DGRAPH_BENCH_SCALE` (default 16; the figures in
//! the notes use 20 and 22).
//!
//! `cargo bench --bench io` (criterion; throughput in bytes/s or edges/s).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dgraph::datasets::formats::{self, native};
use dgraph::datasets::generators::Generator;
use dgraph::datasets::progress::Silent;
use dgraph::ReadOptions;

/// As the `dgraph` binary: large arrays on huge pages.
#[global_allocator]
static ALLOC: dgraph::datasets::pages::HugePageAlloc = dgraph::datasets::pages::HugePageAlloc;

fn scale() -> u32 {
    std::env::var("DGRAPH_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(16)
}

fn io(c: &mut Criterion) {
    let scale = scale();
    let generator = Generator::Kron { scale };
    let dir = tempfile::tempdir().expect("temp dir");
    let (graph, _) = generator.generate(1, false, &Silent).expect("generates");
    let directed = graph.to_directed();
    let el = dir.path().join("kron.el");
    let bin = dir.path().join("kron.dgraph");
    formats::write(&directed, &el, None, &Silent).expect("writes .el");
    native::write(&directed, &bin, &Silent).expect("writes .dgraph");
    let text_bytes = std::fs::metadata(&el).map(|m| m.len()).unwrap_or(0);
    let name = generator.name();

    let mut group = c.benchmark_group("io");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text_bytes));
    group.bench_function(format!("read_build_el/{name}"), |b| {
        b.iter(|| formats::read(&el, &ReadOptions::default(), &Silent).expect("reads"))
    });
    group.bench_function(format!("open_dgraph/{name}"), |b| b.iter(|| native::open(Path::new(&bin)).expect("opens")));
    group.throughput(Throughput::Elements(generator.raw_edge_count()));
    group.bench_function(format!("generate/{name}"), |b| {
        b.iter(|| generator.generate(1, false, &Silent).expect("generates"))
    });
    group.throughput(Throughput::Bytes(text_bytes));
    let out = dir.path().join("out.el");
    group.bench_function(format!("write_el/{name}"), |b| {
        b.iter(|| formats::write(&directed, &out, None, &Silent).expect("writes"))
    });
    group.finish();
}

mod harness {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, io);
}

criterion_main!(harness::benches);
