//! Bad input on disk, through the public API: each gives a clear error, never a panic.

use std::path::{Path, PathBuf};

use dgraph::datasets::formats::{self, native};
use dgraph::datasets::progress::Silent;
use dgraph::datasets::{catalog, Error};
use dgraph::ReadOptions;

fn read(path: &Path) -> Result<dgraph::Graph, Error> {
    formats::read(path, &ReadOptions::default(), &Silent).map(|l| l.graph)
}

fn write_file(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn missing_file_names_the_path() {
    let err = read(Path::new("/no/such/web.el")).expect_err("missing");
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().starts_with("/no/such/web.el: "), "{err}");
}

#[test]
fn graphalytics_files_on_disk() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let props = write_file(d, "g.properties", b"graph.g.directed = false\n");
    write_file(d, "g.v", b"1\n2\n3\n");
    write_file(d, "g.e", b"1 2\n2 3\n");
    let g = read(&props).expect("reads");
    assert_eq!((g.vertex_count(), g.edge_count(), g.is_directed()), (3, 2, false));

    write_file(d, "g.e", b"1 2\n2 4\n");
    assert_eq!(
        read(&props).expect_err("missing vertex").to_string(),
        format!("{}:2:3: vertex 4 is not listed in {}", d.join("g.e").display(), d.join("g.v").display())
    );
    write_file(d, "g.v", b"1\n2\n2\n");
    assert!(read(&props)
        .expect_err("duplicate vertex")
        .to_string()
        .contains("vertex 2 is listed twice (first on line 2)"));
    std::fs::remove_file(d.join("g.v")).expect("rm");
    assert!(read(&props).expect_err("no .v").to_string().contains("g.v"));
}

#[test]
fn matrix_market_header_disagreeing_with_body() {
    let dir = tempfile::tempdir().expect("dir");
    let p = write_file(dir.path(), "m.mtx", b"%%MatrixMarket matrix coordinate integer general\n3 3 4\n1 2 1\n2 3 1\n");
    let err = read(&p).expect_err("count").to_string();
    assert!(err.contains("announces 4 entries but the body has 2"), "{err}");
}

#[test]
fn damaged_dgraph_files_on_disk() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let g = catalog::load("example-directed", &catalog::LoadOptions::default(), &Silent).expect("catalog");
    let good = d.join("g.dgraph");
    native::write(&g, &good, &Silent).expect("write");
    let bytes = std::fs::read(&good).expect("read");
    assert_eq!(read(&good).expect("opens").checksum(), g.checksum());

    let truncated = write_file(d, "t.dgraph", &bytes[..bytes.len() / 2]);
    assert!(matches!(read(&truncated), Err(Error::Corrupt { .. })));

    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x01;
    let flipped = write_file(d, "f.dgraph", &flipped);
    let err = read(&flipped).expect_err("flipped");
    assert!(err.to_string().contains("checksum"), "{err}");

    // A file from a future version: bump the version and re-seal the header checksum the way a
    // future dgraph would (the payload is unchanged).
    let mut future = native::frame_payload(&bytes[64..]);
    future[8] = 9;
    let mut copy = future[..64].to_vec();
    copy[32..40].fill(0);
    let sum = xxh3(&copy);
    future[32..40].copy_from_slice(&sum.to_le_bytes());
    let future = write_file(d, "future.dgraph", &future);
    assert!(matches!(read(&future), Err(Error::FutureVersion { found: 9, .. })));

    let empty = write_file(d, "e.dgraph", b"");
    assert!(read(&empty).expect_err("empty").to_string().contains("truncated"));
}

/// xxh3-64, computed by the same crate the format uses.
fn xxh3(bytes: &[u8]) -> u64 {
    // The format's header checksum is public knowledge (documented in native.rs); recompute it
    // through a tiny round trip: frame an empty payload and compare is not possible, so use the
    // reference implementation via the datasets crate's dependency.
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[test]
fn writing_a_read_only_format_or_to_a_missing_directory_fails_cleanly() {
    let g = catalog::load("example-directed", &catalog::LoadOptions::default(), &Silent).expect("catalog");
    let err = formats::write(&g, Path::new("out.gr"), None, &Silent).expect_err("read-only");
    assert!(err.to_string().contains("does not write"), "{err}");
    let err = formats::write(&g, Path::new("/no/such/dir/out.el"), None, &Silent).expect_err("no dir");
    assert!(err.to_string().contains("/no/such/dir/out.el"), "{err}");
}

/// `bytes` (a `.dgraph` image) with the first run of the `from` words (u32 LE) in its archive
/// replaced by `to`, reframed so that the checksums hold: what a faulty writer or a hand-made
/// file looks like.
fn patched(bytes: &[u8], from: &[u32], to: &[u32]) -> Vec<u8> {
    let words = |w: &[u32]| -> Vec<u8> { w.iter().flat_map(|x| x.to_le_bytes()).collect() };
    let (from, to) = (words(from), words(to));
    let mut payload = bytes[64..].to_vec();
    let at = payload.windows(from.len()).position(|w| w == from).expect("the words are in the archive");
    payload[at..at + to.len()].copy_from_slice(&to);
    native::frame_payload(&payload)
}

#[test]
fn a_dgraph_file_whose_in_edges_do_not_mirror_its_out_edges_is_refused() {
    let opened = |bytes: &[u8]| native::from_bytes(Path::new("crafted.dgraph"), bytes);
    // The undirected path 0-1-2-3-4: rows [1] [0 2] [1 3] [2 4] [3].
    let path = dgraph::Graph::from_edges((0..4u64).map(|k| (k, k + 1)), false).expect("builds");
    let bytes = native::to_bytes(&path).expect("serialises");
    let targets = [1, 0, 2, 1, 3, 2, 4, 3];
    assert!(opened(&bytes).is_ok());
    // Row 2 lists 4 instead of 3 (vertex 4 is then listed twice but lists one vertex); row 4
    // lists 2 instead of 3 (every vertex lists as many as list it, but not the same ones).
    for broken in [[1, 0, 2, 1, 4, 2, 4, 3], [1, 0, 2, 1, 3, 2, 4, 2]] {
        let err = opened(&patched(&bytes, &targets, &broken)).expect_err("asymmetric");
        assert!(matches!(err, Error::Corrupt { .. }) && err.to_string().contains("symmetric"), "{err}");
    }
    // Directed 0 -> 3, 1 -> 3, 2 -> 3 (dense ids): in-row 3 is [0 1 2], made [0 1 1].
    let directed = dgraph::Graph::from_edges([(0, 3), (1, 3), (2, 3)], true).expect("builds");
    let bytes = native::to_bytes(&directed).expect("serialises");
    assert!(opened(&bytes).is_ok());
    let err = opened(&patched(&bytes, &[0, 1, 2], &[0, 1, 1])).expect_err("not the transpose");
    assert!(err.to_string().contains("transpose"), "{err}");
}
