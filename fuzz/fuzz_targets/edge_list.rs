//! Fuzzes the edge-list reader: any bytes give a graph whose invariants hold, or an error.
#![no_main]
use dgraph_datasets::{formats::edge_list, progress::Silent, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let undirected = data.first().is_some_and(|b| b & 1 == 1);
    let options = ReadOptions { undirected, ..ReadOptions::default() };
    if let Ok((g, _)) = edge_list::read_from(Path::new("fuzz.el"), data, &options, false, &Silent) {
        assert_eq!(g.check(), Ok(()));
        let _ = g.stats();
    }
});
