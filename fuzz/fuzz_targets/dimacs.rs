//! Fuzzes the DIMACS `.gr` reader.
#![no_main]
use dgraph_datasets::{formats::dimacs, progress::Silent, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { max_vertices: 1 << 20, ..ReadOptions::default() };
    if let Ok((g, _)) = dimacs::read_from(Path::new("fuzz.gr"), data, &options, &Silent) {
        assert_eq!(g.check(), Ok(()));
    }
});
