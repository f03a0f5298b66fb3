//! Fuzzes the Graphalytics reader: the input is split at the first two NUL bytes into the
//! properties text, the vertex file and the edge file.
#![no_main]
use dgraph_datasets::{formats::graphalytics, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (Some(props), Some(v), Some(e)) = (parts.next(), parts.next(), parts.next()) else { return };
    let props = String::from_utf8_lossy(props);
    let options = ReadOptions { max_vertices: 1 << 20, ..ReadOptions::default() };
    if let Ok((g, _)) = graphalytics::read_from_memory(Path::new("fuzz.properties"), &props, v, e, &options) {
        assert_eq!(g.check(), Ok(()));
    }
});
