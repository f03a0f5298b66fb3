//! The native binary format, `.dgraph`: a 64-byte header followed by an rkyv archive of the
//! built graph (CSR, reverse CSR, weights, id map, metadata). Opening a file memory-maps it,
//! checks the header, the payload checksum and the archive (rkyv validation), then checks the
//! graph invariants, and serves the arrays straight from the map: nothing is parsed or copied.
//!
//! ```text
//! offset  size  field
//!      0     8  magic  "DGRAPH\r\n"
//!      8     4  format version (u32 LE), currently 1
//!     12     4  flags (u32 LE), 0
//!     16     8  payload length in bytes (u64 LE)
//!     24     8  payload checksum (u64 LE): xxh3-64 of the xxh3-64s of its 8 MiB chunks
//!     32     8  xxh3-64 of the 64 header bytes, this field read as zero (u64 LE)
//!     40    24  zero
//!     64     -  payload: rkyv archive of `GraphFile`
//! ```

use std::path::Path;
use std::sync::{Arc, OnceLock};

use memmap2::Mmap;
use rkyv::rancor::BoxedError;
use rkyv::with::{InlineAsBox, Map};
use xxhash_rust::xxh3::xxh3_64;

use super::write::write_atomically;
use super::{file_len, open_file};
use crate::buffer::{Buffer, Plain};
use crate::csr::Csr;
use crate::error::{Error, Result};
use crate::graph::{Graph, Metadata};
use crate::ids::IdMap;
use crate::progress::{Progress, Unit};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"DGRAPH\r\n";
const HEADER_BYTES: usize = 64;

#[derive(rkyv::Archive, rkyv::Serialize)]
struct CsrFile<'a> {
    #[rkyv(with = InlineAsBox)]
    offsets: &'a [u64],
    #[rkyv(with = InlineAsBox)]
    targets: &'a [u32],
    #[rkyv(with = Map<InlineAsBox>)]
    weights: Option<&'a [f64]>,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct Parameter {
    key: String,
    value: String,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct GraphFile<'a> {
    name: String,
    parameters: Vec<Parameter>,
    directed: bool,
    self_loops: u64,
    content_checksum: u64,
    /// `Some(first)` for a contiguous id range, else the ids are listed in `ids`.
    id_range_first: Option<u64>,
    vertex_count: u64,
    #[rkyv(with = InlineAsBox)]
    ids: &'a [u64],
    out: CsrFile<'a>,
    inc: Option<CsrFile<'a>>,
}

fn csr_file(csr: &Csr) -> CsrFile<'_> {
    CsrFile { offsets: csr.offsets(), targets: csr.targets(), weights: csr.weights() }
}

/// The header and the archive of `graph`.
fn archive(graph: &Graph) -> Result<([u8; HEADER_BYTES], rkyv::util::AlignedVec)> {
    let (id_range_first, ids): (Option<u64>, &[u64]) = match graph.ids() {
        IdMap::Range { first, .. } => (Some(*first), &[]),
        IdMap::Sorted(ids) => (None, ids),
    };
    let file = GraphFile {
        name: graph.metadata().name.clone(),
        parameters: graph
            .metadata()
            .parameters
            .iter()
            .map(|(k, v)| Parameter { key: k.clone(), value: v.clone() })
            .collect(),
        directed: graph.is_directed(),
        self_loops: graph.self_loops,
        content_checksum: graph.checksum(),
        id_range_first,
        vertex_count: graph.vertex_count() as u64,
        ids,
        out: csr_file(&graph.out),
        inc: graph.inc.as_ref().map(csr_file),
    };
    let payload = rkyv::to_bytes::<BoxedError>(&file)
        .map_err(|e| Error::Unsupported(format!("cannot archive the graph: {e}")))?;
    Ok((header(FORMAT_VERSION, &payload), payload))
}

/// Serialises `graph` into header + payload bytes.
pub fn to_bytes(graph: &Graph) -> Result<Vec<u8>> {
    let (header, payload) = archive(graph)?;
    let mut bytes = Vec::with_capacity(HEADER_BYTES + payload.len());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

fn header(version: u32, payload: &[u8]) -> [u8; HEADER_BYTES] {
    let mut h = [0u8; HEADER_BYTES];
    h[0..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&version.to_le_bytes());
    h[16..24].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    h[24..32].copy_from_slice(&payload_checksum(payload).to_le_bytes());
    let sum = header_checksum(&h);
    h[32..40].copy_from_slice(&sum.to_le_bytes());
    h
}

/// The payload checksum: chunks of 8 MiB are hashed in parallel, then their hashes are hashed.
fn payload_checksum(payload: &[u8]) -> u64 {
    use rayon::prelude::*;
    let sums: Vec<u8> = payload.par_chunks(8 << 20).flat_map_iter(|c| xxh3_64(c).to_le_bytes()).collect();
    xxh3_64(&sums)
}

/// xxh3-64 of the 64 header bytes with the checksum field (32..40) read as zero.
fn header_checksum(h: &[u8]) -> u64 {
    let mut copy = [0u8; HEADER_BYTES];
    copy.copy_from_slice(&h[..HEADER_BYTES]);
    copy[32..40].fill(0);
    xxh3_64(&copy)
}

/// Wraps an archive payload in a valid header (checksums included). Used by the fuzzer to get
/// past the checksums and exercise archive validation and the invariant checks.
#[doc(hidden)]
pub fn frame_payload(payload: &[u8]) -> Vec<u8> {
    let mut bytes = header(FORMAT_VERSION, payload).to_vec();
    bytes.extend_from_slice(payload);
    bytes
}

/// Writes `graph` to `path` as a `.dgraph` file (atomically).
pub fn write(graph: &Graph, path: &Path, progress: &dyn Progress) -> Result<()> {
    progress.start(&format!("writing {}", path.display()), None, Unit::Steps);
    // Header and payload are written one after the other: no third copy of the graph.
    let (header, payload) = archive(graph)?;
    let result = write_atomically(&[path], |_, out| {
        out.write_all(&header)?;
        out.write_all(&payload)
    });
    progress.finish();
    result
}

/// Opens a `.dgraph` file by memory-mapping it.
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::Invalid`] if it is not a `.dgraph` file,
/// [`Error::FutureVersion`] for a newer format, [`Error::Corrupt`] when truncated, damaged
/// (checksum), or when its archive or graph invariants do not hold.
pub fn open(path: &Path) -> Result<Graph> {
    let file = open_file(path)?;
    let len = file_len(&file, path)?;
    if len < HEADER_BYTES as u64 {
        return Err(Error::corrupt(
            path,
            format!("truncated: {len} bytes, shorter than the {HEADER_BYTES}-byte header"),
        ));
    }
    // SAFETY: the map is read-only and private to this process. Like every memory-mapped
    // reader, we rely on the file not being truncated or rewritten by another process while
    // it is open; dgraph itself only ever replaces files by renaming a new file over them,
    // which leaves existing maps intact.
    // `populate` faults the whole file in with one call instead of one fault per page.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(|e| Error::io(path, e))?;
    from_map(path, Arc::new(map))
}

/// Opens a `.dgraph` image held in memory (copied into an aligned buffer first).
pub fn from_bytes(name: &Path, bytes: &[u8]) -> Result<Graph> {
    let mut anon = memmap2::MmapMut::map_anon(bytes.len().max(1)).map_err(|e| Error::io(name, e))?;
    anon[..bytes.len()].copy_from_slice(bytes);
    let map = anon.make_read_only().map_err(|e| Error::io(name, e))?;
    if bytes.is_empty() {
        return Err(Error::corrupt(name, format!("truncated: 0 bytes, shorter than the {HEADER_BYTES}-byte header")));
    }
    from_map_len(name, Arc::new(map), bytes.len())
}

fn from_map(path: &Path, map: Arc<Mmap>) -> Result<Graph> {
    let len = map.len();
    from_map_len(path, map, len)
}

fn from_map_len(path: &Path, map: Arc<Mmap>, len: usize) -> Result<Graph> {
    let bytes = &map[..len];
    if bytes.len() < HEADER_BYTES {
        return Err(Error::corrupt(
            path,
            format!("truncated: {} bytes, shorter than the {HEADER_BYTES}-byte header", bytes.len()),
        ));
    }
    let h = &bytes[..HEADER_BYTES];
    if &h[0..8] != MAGIC {
        return Err(Error::invalid(path, "not a .dgraph file (its first bytes are not the dgraph magic number)"));
    }
    let le_u64 = |r: std::ops::Range<usize>| u64::from_le_bytes(h[r].try_into().unwrap_or([0; 8]));
    if header_checksum(h) != le_u64(32..40) {
        return Err(Error::corrupt(path, "the header checksum does not match"));
    }
    let version = u32::from_le_bytes(h[8..12].try_into().unwrap_or([0; 4]));
    if version > FORMAT_VERSION {
        return Err(Error::FutureVersion { path: path.into(), found: version, supported: FORMAT_VERSION });
    }
    if u32::from_le_bytes(h[12..16].try_into().unwrap_or([0; 4])) != 0 {
        return Err(Error::corrupt(path, "unknown flags set in the header"));
    }
    if version == 0 {
        return Err(Error::corrupt(path, "format version 0 does not exist"));
    }
    let payload_len = le_u64(16..24);
    let actual = (bytes.len() - HEADER_BYTES) as u64;
    if payload_len != actual {
        return Err(Error::corrupt(
            path,
            format!("truncated or extended: the header announces {payload_len} payload bytes, the file has {actual}"),
        ));
    }
    let payload = &bytes[HEADER_BYTES..];
    if payload_checksum(payload) != le_u64(24..32) {
        return Err(Error::corrupt(path, "the payload checksum does not match: the file was modified or damaged"));
    }
    let archived = rkyv::access::<ArchivedGraphFile<'_>, BoxedError>(payload)
        .map_err(|e| Error::corrupt(path, format!("invalid archive: {e}")))?;
    let out = map_csr(path, &map, &archived.out)?;
    let inc = archived.inc.as_ref().map(|c| map_csr(path, &map, c)).transpose()?;
    let n = out.vertex_count();
    let ids = match archived.id_range_first.as_ref() {
        Some(first) => {
            let len = u32::try_from(n).map_err(|_| Error::corrupt(path, "too many vertices"))?;
            IdMap::Range { first: first.to_native(), len }
        }
        None => IdMap::Sorted(map_slice(path, &map, archived.ids.get())?),
    };
    if archived.vertex_count.to_native() != n as u64 {
        return Err(Error::corrupt(path, "the vertex count disagrees with the adjacency"));
    }
    let metadata = Metadata {
        name: archived.name.to_string(),
        parameters: archived.parameters.iter().map(|p| (p.key.to_string(), p.value.to_string())).collect(),
    };
    let checksum = OnceLock::new();
    let _ = checksum.set(archived.content_checksum.to_native());
    let graph = Graph {
        metadata,
        directed: archived.directed,
        out,
        inc,
        ids,
        self_loops: archived.self_loops.to_native(),
        checksum,
        weight_summary: OnceLock::new(),
    };
    if graph.is_directed() != graph.inc.is_some() {
        return Err(Error::corrupt(path, "a directed graph needs in-edges, an undirected one none"));
    }
    graph.check().map_err(|e| Error::corrupt(path, e))?;
    Ok(graph)
}

fn map_csr(path: &Path, map: &Arc<Mmap>, c: &ArchivedCsrFile<'_>) -> Result<Csr> {
    Ok(Csr {
        offsets: map_slice(path, map, c.offsets.get())?,
        targets: map_slice(path, map, c.targets.get())?,
        weights: c.weights.as_ref().map(|w| map_slice(path, map, w.get())).transpose()?,
    })
}

/// A `Buffer` viewing an archived little-endian slice inside `map`.
fn map_slice<A, T: Plain>(path: &Path, map: &Arc<Mmap>, slice: &[A]) -> Result<Buffer<T>> {
    const { assert!(std::mem::size_of::<A>() == std::mem::size_of::<T>()) };
    let offset = (slice.as_ptr() as usize).wrapping_sub(map.as_ptr() as usize);
    Buffer::mapped(map.clone(), offset, slice.len())
        .ok_or_else(|| Error::corrupt(path, "an array lies outside the file or is misaligned"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generators::Generator;
    use crate::progress::Silent;

    fn sample() -> Graph {
        let list = crate::EdgeList {
            edges: vec![(10, 20), (20, 30), (30, 10), (30, 30)],
            weights: Some(vec![0.5, 1.5, 2.5, 3.5]),
            directed: true,
            ..Default::default()
        };
        let (mut g, _) = Graph::from_edge_list("sample", &list, crate::BuildOptions::default()).expect("builds");
        g.metadata_mut().parameters.insert("bfs.source-vertex".into(), "10".into());
        g
    }

    #[test]
    fn round_trip_through_a_file_is_exact_and_mapped() {
        let dir = tempfile::tempdir().expect("dir");
        for g in [sample(), Generator::Kron { scale: 9 }.generate(1, false, &Silent).expect("kron").0] {
            let path = dir.path().join("g.dgraph");
            write(&g, &path, &Silent).expect("writes");
            let back = open(&path).expect("opens");
            assert!(back.out_edges().targets.is_mapped());
            assert_eq!(back.out_edges(), g.out_edges());
            assert_eq!(back.in_edges(), g.in_edges());
            assert_eq!(back.ids(), g.ids());
            assert_eq!(back.metadata(), g.metadata());
            assert_eq!(back.is_directed(), g.is_directed());
            assert_eq!(back.checksum(), g.checksum());
            assert_eq!(back.stats(), g.stats());
        }
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let bytes = to_bytes(&sample()).expect("bytes");
        let name = Path::new("g.dgraph");
        let msg = |b: &[u8]| from_bytes(name, b).expect_err("must fail").to_string();
        assert!(msg(&bytes[..10]).contains("shorter than the 64-byte header"));
        assert!(msg(&bytes[..bytes.len() - 1]).contains("truncated"));
        assert!(
            msg(b"hello world, this is not a graph file at all, not even close.....").contains("not a .dgraph file")
        );
        // Every single flipped byte is detected, wherever it is.
        for i in (0..bytes.len()).step_by(7).chain([8, 12, 16, 24, 32, bytes.len() - 1]) {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(from_bytes(name, &b).is_err(), "flip at {i} went unnoticed");
        }
        let mut b = bytes.clone();
        b[HEADER_BYTES + 5] ^= 1;
        assert!(msg(&b).contains("payload checksum"));
    }

    #[test]
    fn future_versions_are_named() {
        let bytes = to_bytes(&sample()).expect("bytes");
        let payload = &bytes[HEADER_BYTES..];
        let mut future = header(FORMAT_VERSION + 1, payload).to_vec();
        future.extend_from_slice(payload);
        let err = from_bytes(Path::new("new.dgraph"), &future).expect_err("future");
        assert!(matches!(err, Error::FutureVersion { found: 2, supported: 1, .. }), "{err}");
        assert!(err.to_string().contains("format version 2"));
    }

    #[test]
    fn a_valid_archive_with_broken_invariants_is_refused() {
        // Build a graph whose CSR lies (target out of range), archive it with valid checksums.
        let mut g = sample();
        let mut targets = std::mem::take(&mut g.out.targets).into_vec();
        targets[0] = 99;
        g.out.targets = targets.into();
        let bytes = to_bytes(&g).expect("bytes");
        let err = from_bytes(Path::new("liar.dgraph"), &bytes).expect_err("invariants").to_string();
        assert!(err.contains("out-edges"), "{err}");
    }
}
