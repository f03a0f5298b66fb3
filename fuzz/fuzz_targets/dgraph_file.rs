//! Fuzzes opening `.dgraph` images: damaged files must give errors, never panics or graphs
//! that break their invariants. When the first byte is odd, the rest is taken as an archive
//! payload and framed with a valid header, so that the fuzzer gets past the checksums and
//! exercises rkyv validation and the graph invariant checks.
#![no_main]
use dgraph_datasets::formats::native;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let framed;
    let bytes = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => {
            framed = native::frame_payload(rest);
            &framed[..]
        }
        _ => data,
    };
    if let Ok(g) = native::from_bytes(Path::new("fuzz.dgraph"), bytes) {
        assert_eq!(g.check(), Ok(()));
        let _ = g.stats();
    }
});
