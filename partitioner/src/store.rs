//! A partitioned graph on disk: one file per partition plus `manifest.json`, so that workers
//! and the out-of-core store load partitions without partitioning again.
//!
//! ```text
//! DIR/manifest.json        what was partitioned, how, and each file's size and xxh3 checksum
//! DIR/part-00000.dgp ...   "DGPART\r\n", format version (u32 LE), 4 zero bytes, then an rkyv
//!                          archive of one `Piece`: the partition's replicas (global and
//!                          external ids, master partition of each) and its edges as a CSR in
//!                          local ids (both directions of an undirected edge, as in the graph)
//! ```
//!
//! Every load checks the file's size and checksum against the manifest, validates the archive
//! and then the piece's invariants, so a damaged, truncated, swapped or hand-edited file is an
//! error that names it, never a wrong graph.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rkyv::rancor::BoxedError;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use dgraph_datasets::Graph;

use crate::PartitionMap;

/// The manifest's file name inside a partition directory.
pub const MANIFEST: &str = "manifest.json";
/// The format version of the manifest and the partition files this build writes and reads.
pub const STORE_VERSION: u32 = 1;
const FORMAT: &str = "dgraph-partitions";
const MAGIC: &[u8; 8] = b"DGPART\r\n";
const HEADER_BYTES: usize = 16;

/// One partition: its replicas and its edges in local ids (local id = position in `vertices`).
#[derive(Debug, Clone, PartialEq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Piece {
    /// This partition's number.
    pub index: u32,
    /// Partitions in all.
    pub parts: u32,
    /// Whether the graph is directed.
    pub directed: bool,
    /// Dense ids (in the whole graph) of the replicas, increasing.
    pub vertices: Vec<u32>,
    /// External ids of the replicas.
    pub ids: Vec<u64>,
    /// Master partition of each replica.
    pub master: Vec<u32>,
    /// Row offsets of the local out-CSR, one row per replica.
    pub offsets: Vec<u64>,
    /// Targets in local ids, each row increasing.
    pub targets: Vec<u32>,
    /// One weight per target, for a weighted graph.
    pub weights: Option<Vec<f64>>,
}

impl Piece {
    /// Edges in this partition (an undirected edge counts once).
    pub fn edge_count(&self) -> u64 {
        if self.directed {
            return self.targets.len() as u64;
        }
        let loops = (0..self.vertices.len())
            .map(|v| self.row(v).iter().filter(|&&t| t as usize == v).count() as u64)
            .sum::<u64>();
        (self.targets.len() as u64 + loops) / 2
    }

    /// Replicas whose master is this partition.
    pub fn master_count(&self) -> u64 {
        self.master.iter().filter(|&&m| m == self.index).count() as u64
    }

    fn row(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Checks the invariants a loader relies on; the message says which one fails.
    fn check(&self, vertices_in_graph: u64) -> Result<(), String> {
        let n = self.vertices.len();
        if self.ids.len() != n || self.master.len() != n || self.offsets.len() != n + 1 {
            return Err(format!(
                "{} vertices but {} ids, {} masters and {} row offsets",
                n,
                self.ids.len(),
                self.master.len(),
                self.offsets.len()
            ));
        }
        if self.vertices.windows(2).any(|w| w[0] >= w[1]) {
            return Err("vertex ids are not strictly increasing".into());
        }
        if let Some(&last) = self.vertices.last() {
            if u64::from(last) >= vertices_in_graph {
                return Err(format!("vertex {last} beyond the graph's {vertices_in_graph} vertices"));
            }
        }
        if let Some(&m) = self.master.iter().find(|&&m| m >= self.parts) {
            return Err(format!("master partition {m} of {} partitions", self.parts));
        }
        if self.offsets[0] != 0
            || self.offsets.windows(2).any(|w| w[0] > w[1])
            || self.offsets[n] != self.targets.len() as u64
        {
            return Err("row offsets are not a prefix sum of the targets".into());
        }
        if (0..n).any(|v| self.row(v).windows(2).any(|w| w[0] > w[1])) {
            return Err("a row's targets are not sorted".into());
        }
        if let Some(&t) = self.targets.iter().find(|&&t| t as usize >= n) {
            return Err(format!("target {t} beyond the partition's {n} vertices"));
        }
        if self.weights.as_ref().is_some_and(|w| w.len() != self.targets.len()) {
            return Err("weights and targets differ in number".into());
        }
        Ok(())
    }
}

/// What a partition directory holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"dgraph-partitions"`.
    pub format: String,
    /// [`STORE_VERSION`] when written.
    pub version: u32,
    /// The graph's name.
    pub graph: String,
    /// The graph's content checksum (`xxh3:...`).
    pub graph_checksum: String,
    /// Vertices and edges of the whole graph.
    pub vertices: u64,
    /// Edges of the whole graph (an undirected edge counts once).
    pub edges: u64,
    /// Whether the graph is directed.
    pub directed: bool,
    /// Whether edges carry weights.
    pub weighted: bool,
    /// The strategy's name.
    pub strategy: String,
    /// Number of partitions.
    pub parts: u32,
    /// Replication factor of the partitioning.
    pub replication_factor: f64,
    /// Largest partition's edges over the mean.
    pub edge_balance: f64,
    /// One entry per partition, in order.
    pub partitions: Vec<PieceEntry>,
}

/// One partition file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PieceEntry {
    /// File name inside the directory.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// `xxh3:` and the 16 hex digits of the file's xxh3-64.
    pub checksum: String,
    /// Edges in the partition.
    pub edges: u64,
    /// Replicas in the partition.
    pub replicas: u64,
    /// Masters in the partition.
    pub masters: u64,
}

/// Why a partition directory cannot be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Writing failed (nothing of the new partitioning is left behind).
    #[error(transparent)]
    Write(#[from] dgraph_datasets::Error),
    /// The directory holds something else than a partitioning.
    #[error("{}: {reason}", path.display())]
    NotPartitions {
        /// The directory.
        path: PathBuf,
        /// Why it is not written over.
        reason: String,
    },
    /// The manifest cannot be used.
    #[error("{}: bad manifest: {reason}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A partition file does not match its manifest entry or is not valid.
    #[error("{}: {reason}", path.display())]
    Corrupt {
        /// The partition file.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
    /// A partition number beyond the manifest.
    #[error("partition {index} asked of a partitioning into {parts}")]
    NoSuchPartition {
        /// The partition asked for.
        index: u32,
        /// Partitions there are.
        parts: u32,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

fn checksum_string(bytes: &[u8]) -> String {
    format!("xxh3:{:016x}", xxh3_64(bytes))
}

/// Every partition of `map` as a [`Piece`], built in parallel.
pub fn pieces(graph: &Graph, map: &PartitionMap) -> Vec<Piece> {
    let csr = graph.out_edges();
    let directed = graph.is_directed();
    // Each partition's edges, in the map's (CSR) order, with their entries (for the weights).
    let mut buckets: Vec<Vec<(u32, u32, usize)>> = vec![Vec::new(); map.parts as usize];
    map.for_each_edge(graph, |u, v, i, p| buckets[p as usize].push((u, v, i)));
    buckets
        .into_par_iter()
        .enumerate()
        .map(|(index, edges)| {
            let mut vertices: Vec<u32> = edges.iter().flat_map(|&(u, v, _)| [u, v]).collect();
            vertices.par_sort_unstable();
            vertices.dedup();
            let local = |v: u32| vertices.partition_point(|&x| x < v) as u32;
            // The stored entries: an undirected edge both ways (a self-loop once), as the
            // graph's CSR stores them. Placed by source in the order made (a stable counting
            // sort), a row lists its smaller neighbours (from earlier sources' edges, in their
            // order) before its own edges: increasing, as the graph's rows.
            let copies = |&(u, v, i): &(u32, u32, usize)| {
                let (lu, lv) = (local(u), local(v));
                std::iter::once((lu, lv, i)).chain((!directed && u != v).then_some((lv, lu, i)))
            };
            let entries: Vec<(u32, u32, usize)> = edges.iter().flat_map(copies).collect();
            let mut offsets = vec![0u64; vertices.len() + 1];
            for &(lu, _, _) in &entries {
                offsets[lu as usize + 1] += 1;
            }
            for r in 0..vertices.len() {
                offsets[r + 1] += offsets[r];
            }
            let mut next = offsets.clone();
            let mut order = vec![0usize; entries.len()];
            for (k, &(lu, _, _)) in entries.iter().enumerate() {
                order[next[lu as usize] as usize] = k;
                next[lu as usize] += 1;
            }
            Piece {
                index: index as u32,
                parts: map.parts,
                directed,
                ids: vertices.iter().map(|&v| graph.ids().external(v)).collect(),
                master: vertices.iter().map(|&v| map.master[v as usize]).collect(),
                offsets,
                targets: order.iter().map(|&k| entries[k].1).collect(),
                weights: csr.weights().map(|w| order.iter().map(|&k| w[entries[k].2]).collect()),
                vertices,
            }
        })
        .collect()
}

fn piece_file(index: u32) -> String {
    format!("part-{index:05}.dgp")
}

/// Writes `map` of `graph` (made by the strategy called `strategy`) to `dir`: one file per
/// partition and the manifest, all or nothing. A directory that already holds a partitioning
/// is replaced (its old partition files removed); one that holds anything else is refused.
pub fn write(graph: &Graph, map: &PartitionMap, strategy: &str, dir: &Path) -> Result<Manifest, StoreError> {
    if dir.exists() {
        let mut listing = std::fs::read_dir(dir).map_err(io(dir))?;
        if !dir.join(MANIFEST).exists() && listing.next().is_some() {
            return Err(StoreError::NotPartitions {
                path: dir.to_path_buf(),
                reason: format!("exists, is not empty and has no {MANIFEST}: not written over"),
            });
        }
    } else {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let old =
        std::fs::read_to_string(dir.join(MANIFEST)).ok().and_then(|text| serde_json::from_str::<Manifest>(&text).ok());
    let pieces = pieces(graph, map);
    let files: Vec<Vec<u8>> = pieces
        .par_iter()
        .map(|p| {
            let payload = rkyv::to_bytes::<BoxedError>(p).map_err(|e| StoreError::Corrupt {
                path: dir.join(piece_file(p.index)),
                reason: format!("cannot archive: {e}"),
            })?;
            let mut bytes = Vec::with_capacity(HEADER_BYTES + payload.len());
            bytes.extend_from_slice(MAGIC);
            bytes.extend_from_slice(&STORE_VERSION.to_le_bytes());
            bytes.extend_from_slice(&[0; 4]);
            bytes.extend_from_slice(&payload);
            Ok(bytes)
        })
        .collect::<Result<_, StoreError>>()?;
    // The pieces already hold the quality: every vertex with an edge has exactly one master.
    let edges: Vec<u64> = pieces.iter().map(Piece::edge_count).collect();
    let replicas: u64 = pieces.iter().map(|p| p.vertices.len() as u64).sum();
    let connected: u64 = pieces.iter().map(Piece::master_count).sum();
    let max_edges = edges.iter().copied().max().unwrap_or(0);
    let total_edges: u64 = edges.iter().sum();
    let manifest = Manifest {
        format: FORMAT.into(),
        version: STORE_VERSION,
        graph: graph.metadata().name.clone(),
        graph_checksum: graph.checksum_string(),
        vertices: graph.vertex_count() as u64,
        edges: graph.edge_count(),
        directed: graph.is_directed(),
        weighted: graph.is_weighted(),
        strategy: strategy.into(),
        parts: map.parts,
        replication_factor: if connected == 0 { 1.0 } else { replicas as f64 / connected as f64 },
        edge_balance: if total_edges == 0 { 1.0 } else { max_edges as f64 * edges.len() as f64 / total_edges as f64 },
        partitions: pieces
            .iter()
            .zip(&files)
            .zip(&edges)
            .map(|((p, bytes), &edges)| PieceEntry {
                file: piece_file(p.index),
                bytes: bytes.len() as u64,
                checksum: checksum_string(bytes),
                edges,
                replicas: p.vertices.len() as u64,
                masters: p.master_count(),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| StoreError::Manifest { path: dir.join(MANIFEST), reason: e.to_string() })?;
    let mut paths: Vec<PathBuf> = manifest.partitions.iter().map(|e| dir.join(&e.file)).collect();
    paths.push(dir.join(MANIFEST));
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    dgraph_datasets::formats::write_atomically(&refs, |i, out| match files.get(i) {
        Some(bytes) => out.write_all(bytes),
        None => out.write_all(text.as_bytes()),
    })?;
    // Partition files of a previous, larger partitioning are no longer listed: remove them.
    for entry in old.iter().flat_map(|m| &m.partitions) {
        if !manifest.partitions.iter().any(|e| e.file == entry.file) && plain_name(&entry.file) {
            let _ = std::fs::remove_file(dir.join(&entry.file));
        }
    }
    Ok(manifest)
}

/// A file name with no directory part (the manifest may only name files beside it).
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

/// A partition directory opened for loading.
#[derive(Debug, Clone)]
pub struct Partitioned {
    dir: PathBuf,
    /// Its manifest, checked for consistency.
    pub manifest: Manifest,
}

impl Partitioned {
    /// Opens `path`: a partition directory or its `manifest.json`.
    pub fn open(path: &Path) -> Result<Partitioned, StoreError> {
        let (dir, file) = if path.is_dir() {
            (path.to_path_buf(), path.join(MANIFEST))
        } else {
            (path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf), path.to_path_buf())
        };
        let text = std::fs::read_to_string(&file).map_err(io(&file))?;
        let bad = |reason: String| StoreError::Manifest { path: file.clone(), reason };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if manifest.format != FORMAT {
            return Err(bad(format!("format is {:?}, expected {FORMAT:?}", manifest.format)));
        }
        if manifest.version != STORE_VERSION {
            return Err(bad(format!("version {} (this build reads version {STORE_VERSION})", manifest.version)));
        }
        if manifest.parts == 0 || manifest.partitions.len() != manifest.parts as usize {
            return Err(bad(format!("{} partitions listed for parts = {}", manifest.partitions.len(), manifest.parts)));
        }
        if let Some(e) = manifest.partitions.iter().find(|e| !plain_name(&e.file)) {
            return Err(bad(format!("file {:?} is not a plain file name", e.file)));
        }
        let listed: u64 = manifest.partitions.iter().map(|e| e.edges).sum();
        if listed != manifest.edges {
            return Err(bad(format!("partitions list {listed} edges, the graph has {}", manifest.edges)));
        }
        Ok(Partitioned { dir, manifest })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads partition `index`, checking it against the manifest.
    pub fn load(&self, index: u32) -> Result<Piece, StoreError> {
        let m = &self.manifest;
        let entry = m.partitions.get(index as usize).ok_or(StoreError::NoSuchPartition { index, parts: m.parts })?;
        let path = self.dir.join(&entry.file);
        let corrupt = |reason: String| StoreError::Corrupt { path: path.clone(), reason };
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        if bytes.len() as u64 != entry.bytes {
            return Err(corrupt(format!("{} bytes, the manifest says {}", bytes.len(), entry.bytes)));
        }
        let sum = checksum_string(&bytes);
        if sum != entry.checksum {
            return Err(corrupt(format!("checksum {sum}, the manifest says {}", entry.checksum)));
        }
        if bytes.len() < HEADER_BYTES || &bytes[..8] != MAGIC {
            return Err(corrupt("not a dgraph partition file".into()));
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version != STORE_VERSION {
            return Err(corrupt(format!("format version {version}, this build reads {STORE_VERSION}")));
        }
        let mut aligned = rkyv::util::AlignedVec::<16>::with_capacity(bytes.len() - HEADER_BYTES);
        aligned.extend_from_slice(&bytes[HEADER_BYTES..]);
        let piece =
            rkyv::from_bytes::<Piece, BoxedError>(&aligned).map_err(|e| corrupt(format!("invalid archive: {e}")))?;
        piece.check(m.vertices).map_err(&corrupt)?;
        let found = (piece.index, piece.parts, piece.directed, piece.weights.is_some());
        if found != (index, m.parts, m.directed, m.weighted) {
            return Err(corrupt(format!(
                "holds partition {} of {} (directed {}, weighted {}); the manifest expects partition {index} of {} \
                 (directed {}, weighted {})",
                found.0, found.1, found.2, found.3, m.parts, m.directed, m.weighted
            )));
        }
        if (piece.edge_count(), piece.vertices.len() as u64) != (entry.edges, entry.replicas) {
            return Err(corrupt(format!(
                "{} edges and {} replicas, the manifest says {} and {}",
                piece.edge_count(),
                piece.vertices.len(),
                entry.edges,
                entry.replicas
            )));
        }
        Ok(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{partition, StrategyKind};
    use dgraph_datasets::{generators::Generator, progress::Silent};
    use std::collections::HashMap;

    #[test]
    fn pieces_hold_every_edge_once_in_local_ids() {
        for directed in [false, true] {
            let (g, _) = Generator::Kron { scale: 9 }.generate(2, true, &Silent).expect("kron");
            let g = if directed { g.to_directed() } else { g };
            let map = partition(&g, StrategyKind::Hdrf, 5, 1).expect("map");
            let pieces = pieces(&g, &map);
            let mut seen: Vec<(u32, u32, u64)> = pieces
                .iter()
                .flat_map(|p| {
                    (0..p.vertices.len()).flat_map(move |v| {
                        let range = p.offsets[v] as usize..p.offsets[v + 1] as usize;
                        range.map(move |i| {
                            let w = p.weights.as_ref().map_or(0, |w| w[i].to_bits());
                            (p.vertices[v], p.vertices[p.targets[i] as usize], w)
                        })
                    })
                })
                .collect();
            let csr = g.out_edges();
            let mut all: Vec<(u32, u32, u64)> = (0..g.vertex_count() as u32)
                .flat_map(|u| {
                    let ws = csr.neighbor_weights(u).expect("weighted");
                    csr.neighbors(u).iter().zip(ws).map(move |(&v, w)| (u, v, w.to_bits()))
                })
                .collect();
            // Each piece lists its entries in the graph's CSR order: an undirected edge's second
            // copy (the k-th `v -> u` of its pair, `u < v`) pairs with the k-th `u -> v`.
            let mut copies: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
            map.for_each_edge(&g, |u, v, _, p| copies.entry((u, v)).or_default().push(p));
            let (mut own, mut second) = (HashMap::<(u32, u32), usize>::new(), HashMap::<(u32, u32), usize>::new());
            let mut expected = vec![Vec::new(); pieces.len()];
            for &(u, v, w) in &all {
                let (key, counted) = if directed || u <= v { ((u, v), &mut own) } else { ((v, u), &mut second) };
                let k = counted.entry(key).or_default();
                expected[copies[&key][*k] as usize].push((u, v, w));
                *k += 1;
            }
            let mut at = 0;
            for (piece, expected) in pieces.iter().zip(&expected) {
                let rows = piece.offsets.len() - 1;
                assert_eq!(&seen[at..at + expected.len()], &expected[..], "piece {} of {rows} rows", piece.index);
                at += expected.len();
            }
            seen.sort_unstable();
            all.sort_unstable();
            assert_eq!(seen, all);
            assert_eq!(pieces.iter().map(Piece::edge_count).sum::<u64>(), g.edge_count());
            assert_eq!(pieces.iter().map(Piece::master_count).sum::<u64>(), g.vertex_count() as u64 - isolated(&g));
            assert!(pieces.iter().all(|p| p.check(g.vertex_count() as u64).is_ok()));
        }
    }

    fn isolated(g: &Graph) -> u64 {
        (0..g.vertex_count() as u32).filter(|&v| g.total_degree(v) == 0).count() as u64
    }

    fn written(dir: &Path) -> (Graph, PartitionMap, Partitioned) {
        let (g, _) = Generator::Kron { scale: 8 }.generate(4, true, &Silent).expect("kron");
        let map = partition(&g, StrategyKind::Hep, 4, 1).expect("map");
        let manifest = write(&g, &map, "hep", dir).expect("writes");
        assert_eq!(manifest.partitions.len(), 4);
        let q = crate::quality(&g, &map);
        assert!((manifest.replication_factor - q.replication_factor).abs() < 1e-12);
        assert!((manifest.edge_balance - q.edge_balance).abs() < 1e-12);
        let opened = Partitioned::open(dir).expect("opens");
        (g, map, opened)
    }

    #[test]
    fn written_partitions_load_back_identical() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (g, map, opened) = written(dir.path());
        let expected = pieces(&g, &map);
        for (k, piece) in expected.iter().enumerate() {
            assert_eq!(&opened.load(k as u32).expect("loads"), piece);
        }
        assert!(matches!(opened.load(4), Err(StoreError::NoSuchPartition { index: 4, parts: 4 })));
        // Opening the manifest itself works too; rewriting with fewer parts removes old files.
        assert!(Partitioned::open(&dir.path().join(MANIFEST)).is_ok());
        write(&g, &partition(&g, StrategyKind::Dbh, 2, 1).expect("map"), "dbh", dir.path()).expect("rewrites");
        assert!(!dir.path().join(piece_file(3)).exists() && dir.path().join(piece_file(1)).exists());
    }

    #[test]
    fn damaged_files_and_manifests_are_named_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, _, opened) = written(dir.path());
        let part = dir.path().join(piece_file(2));
        let mut bytes = std::fs::read(&part).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(&part, &bytes).expect("write");
        let err = opened.load(2).expect_err("flipped byte").to_string();
        assert!(err.contains("part-00002.dgp") && err.contains("checksum"), "{err}");
        bytes.truncate(middle);
        std::fs::write(&part, &bytes).expect("write");
        let err = opened.load(2).expect_err("truncated").to_string();
        assert!(err.contains("bytes, the manifest says"), "{err}");
        // A valid file in the wrong place: partition 0's file under partition 1's name, with
        // the manifest entry made to match the bytes.
        let mut m = opened.manifest.clone();
        let zero = std::fs::read(dir.path().join(piece_file(0))).expect("read");
        std::fs::write(dir.path().join(piece_file(1)), &zero).expect("write");
        m.partitions[1].bytes = zero.len() as u64;
        m.partitions[1].checksum = checksum_string(&zero);
        let swapped = Partitioned { dir: dir.path().to_path_buf(), manifest: m };
        let err = swapped.load(1).expect_err("swapped").to_string();
        assert!(err.contains("holds partition 0 of 4"), "{err}");

        let manifest = dir.path().join(MANIFEST);
        let text = std::fs::read_to_string(&manifest).expect("read");
        for (edit, expect) in [
            (text.replace("\"parts\": 4", "\"parts\": 5"), "4 partitions listed for parts = 5"),
            (text.replace("part-00003.dgp", "../part-00003.dgp"), "not a plain file name"),
            (text.replace("dgraph-partitions", "something-else"), "expected \"dgraph-partitions\""),
            (text.replace("\"version\": 1", "\"version\": 9"), "version 9"),
            (text[..text.len() / 2].to_string(), "bad manifest"),
        ] {
            std::fs::write(&manifest, &edit).expect("write");
            let err = Partitioned::open(dir.path()).expect_err(expect).to_string();
            assert!(err.contains(expect) && err.contains("manifest.json"), "{expect}: {err}");
        }
        let elsewhere = tempfile::tempdir().expect("tempdir");
        std::fs::write(elsewhere.path().join("notes.txt"), "mine").expect("write");
        let (g, _) = Generator::Kron { scale: 6 }.generate(1, false, &Silent).expect("kron");
        let map = partition(&g, StrategyKind::Random, 2, 1).expect("map");
        let err = write(&g, &map, "random", elsewhere.path()).expect_err("not ours").to_string();
        assert!(err.contains("not written over"), "{err}");
    }
}
