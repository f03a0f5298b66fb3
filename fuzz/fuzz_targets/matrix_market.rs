//! Fuzzes the Matrix Market reader.
#![no_main]
use dgraph_datasets::{formats::matrix_market, progress::Silent, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // Keep huge declared sizes from making the fuzzer allocate gigabytes.
    let options = ReadOptions { max_vertices: 1 << 20, ..ReadOptions::default() };
    if let Ok((g, _)) = matrix_market::read_from(Path::new("fuzz.mtx"), data, &options, &Silent) {
        assert_eq!(g.check(), Ok(()));
    }
});
