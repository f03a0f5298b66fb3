//! The dataset catalog: named, reproducible graphs. Generators (`kron-S`, `urand-S`,
//! `grid-RxC`) are built on demand and cached as `.dgraph` files in the user's cache directory
//! (`$DGRAPH_CACHE_DIR`, else `$XDG_CACHE_HOME/dgraph`, else `~/.cache/dgraph`), keyed by name,
//! seed, weights and format version. The 14 LDBC Graphalytics validation graphs are embedded in
//! the binary. Entries with a pinned checksum are verified when built, so a result can always
//! say exactly which graph it ran on.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::build::BuildReport;
use crate::error::{Error, Result};
use crate::formats::native::{self, FORMAT_VERSION};
use crate::formats::{graphalytics, ReadOptions};
use crate::generators::Generator;
use crate::graph::Graph;
use crate::progress::Progress;

/// The dataset used when a command is given no input.
pub const DEFAULT_DATASET: &str = "kron-16";
/// The seed of generated datasets unless another is asked for.
pub const DEFAULT_SEED: u64 = 1;

/// A Graphalytics validation graph embedded in the binary.
pub struct Embedded {
    /// Catalog name, e.g. `example-directed`.
    pub name: &'static str,
    /// The `.properties` text.
    pub properties: &'static str,
    /// The `.v` file.
    pub vertices: &'static [u8],
    /// The `.e` file.
    pub edges: &'static [u8],
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(Embedded {
            name: $name,
            properties: include_str!(concat!("../data/graphalytics/", $name, "/", $name, ".properties")),
            vertices: include_bytes!(concat!("../data/graphalytics/", $name, "/", $name, ".v")),
            edges: include_bytes!(concat!("../data/graphalytics/", $name, "/", $name, ".e")),
        }),*]
    };
}

/// The LDBC Graphalytics validation graphs (Apache-2.0; see `data/graphalytics/NOTICE.txt`).
pub const GRAPHALYTICS: &[Embedded] = embedded!(
    "example-directed",
    "example-undirected",
    "test-bfs-directed",
    "test-bfs-undirected",
    "test-cdlp-directed",
    "test-cdlp-undirected",
    "test-lcc-directed",
    "test-lcc-undirected",
    "test-pr-directed",
    "test-pr-undirected",
    "test-sssp-directed",
    "test-sssp-undirected",
    "test-wcc-directed",
    "test-wcc-undirected",
);

/// Checksums ([`Graph::checksum`]) of catalog graphs as built with [`DEFAULT_SEED`] and no
/// weights (grids always have weights). A generated graph that disagrees is refused: the
/// generator would have changed what a name means.
pub const PINNED: &[(&str, u64)] = &[
    ("example-directed", 0x28137a29a02b978e),
    ("example-undirected", 0xae612b2a03f76a2b),
    ("test-bfs-directed", 0x8e1e012fc0ba74a8),
    ("test-bfs-undirected", 0xb10f8926f9e2a140),
    ("test-cdlp-directed", 0xf228fa3b8526b14c),
    ("test-cdlp-undirected", 0xbea1eb5e125be123),
    ("test-lcc-directed", 0xb89a3be1b8152206),
    ("test-lcc-undirected", 0x6a32b81c5a4b2226),
    ("test-pr-directed", 0x0e3e1ae606816ee1),
    ("test-pr-undirected", 0xc6b8ad47ae4e5968),
    ("test-sssp-directed", 0x83d0ea6f67f96fcd),
    ("test-sssp-undirected", 0x53074a10b8f77578),
    ("test-wcc-directed", 0xfc1e9ffae1902049),
    ("test-wcc-undirected", 0xf4dfd5952500b6ca),
    ("kron-10", 0x90e6c5297f71c7fd),
    ("kron-16", 0x2c36747da0200d6d),
    ("kron-18", 0xb305b4070d50ceac),
    ("urand-10", 0x682373556d6d0173),
    ("urand-16", 0x9d7cc432a07b1de7),
    ("grid-10x10", 0x37c53f7853ea602a),
    ("grid-100x100", 0xe64b506b41687155),
];

/// A named dataset.
pub enum Dataset {
    /// Made by a generator.
    Generated(Generator),
    /// An embedded Graphalytics graph.
    Graphalytics(&'static Embedded),
}

/// Finds `name` in the catalog: `Ok(None)` if it is not a catalog name, an error if it names a
/// generator with an invalid size.
pub fn lookup(name: &str) -> Result<Option<Dataset>> {
    if let Some(g) = GRAPHALYTICS.iter().find(|e| e.name == name) {
        return Ok(Some(Dataset::Graphalytics(g)));
    }
    Ok(Generator::parse(name)?.map(Dataset::Generated))
}

/// How to load a catalog dataset.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Seed of generated datasets.
    pub seed: u64,
    /// Give generated datasets weights.
    pub weighted: bool,
    /// Read and write the cache of generated datasets.
    pub use_cache: bool,
    /// Options for the Graphalytics readers.
    pub read: ReadOptions,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { seed: DEFAULT_SEED, weighted: false, use_cache: true, read: ReadOptions::default() }
    }
}

/// Where a loaded dataset came from.
#[derive(Debug)]
pub enum Origin {
    /// Opened from the cache file.
    Cache(PathBuf),
    /// Built now (and cached at the path, if caching worked).
    Built(BuildReport, Option<PathBuf>),
}

/// Loads the dataset `name` (see [`lookup`]).
pub fn load(name: &str, options: &LoadOptions, progress: &dyn Progress) -> Result<Graph> {
    Ok(load_with_origin(name, options, progress)?.0)
}

/// Loads the dataset `name` and says whether it came from the cache.
pub fn load_with_origin(name: &str, options: &LoadOptions, progress: &dyn Progress) -> Result<(Graph, Origin)> {
    let dataset = lookup(name)?.ok_or_else(|| Error::UnknownDataset { name: name.into(), known: known_names() })?;
    match dataset {
        Dataset::Graphalytics(e) => {
            let (g, report) = read_embedded(e, &options.read, progress)?;
            Ok((g, Origin::Built(report, None)))
        }
        Dataset::Generated(generator) => {
            let cache = options.use_cache.then(|| cache_path(&generator, options.seed, options.weighted)).flatten();
            if let Some(path) = &cache {
                if path.exists() {
                    // A damaged cache file is rebuilt rather than reported: it is only a cache.
                    if let Ok(g) = native::open(path) {
                        return Ok((g, Origin::Cache(path.clone())));
                    }
                }
            }
            let (graph, report) = generator.generate(options.seed, options.weighted, progress)?;
            verify_pin(&generator, options, &graph)?;
            let cached = cache.filter(|path| {
                path.parent().is_some_and(|d| std::fs::create_dir_all(d).is_ok())
                    && native::write(&graph, path, &crate::progress::Silent).is_ok()
            });
            Ok((graph, Origin::Built(report, cached)))
        }
    }
}

fn verify_pin(generator: &Generator, options: &LoadOptions, graph: &Graph) -> Result<()> {
    let canonical = options.seed == DEFAULT_SEED && (!options.weighted || generator.always_weighted());
    let name = generator.name();
    match PINNED.iter().find(|(n, _)| *n == name) {
        Some(&(_, pinned)) if canonical && graph.checksum() != pinned => Err(Error::InvalidArgument(format!(
            "{name}: generated graph has checksum {} but the catalog pins xxh3:{pinned:016x}; the generator changed",
            graph.checksum_string()
        ))),
        _ => Ok(()),
    }
}

/// Reads an embedded Graphalytics graph.
pub fn read_embedded(e: &Embedded, options: &ReadOptions, progress: &dyn Progress) -> Result<(Graph, BuildReport)> {
    let props = PathBuf::from(format!("{}.properties", e.name));
    graphalytics::read_parts(&props, e.properties, options, progress, &|file| {
        let data: &'static [u8] = if file.ends_with(".v") { e.vertices } else { e.edges };
        Ok((PathBuf::from(file), Box::new(Cursor::new(data))))
    })
}

/// The cache directory: `$DGRAPH_CACHE_DIR`, `$XDG_CACHE_HOME/dgraph` or `~/.cache/dgraph`.
pub fn cache_dir() -> Option<PathBuf> {
    let var = |k| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("DGRAPH_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|p| p.join("dgraph")))
        .or_else(|| var("HOME").map(|p| p.join(".cache").join("dgraph")))
}

/// The cache file of a generated dataset.
pub fn cache_path(generator: &Generator, seed: u64, weighted: bool) -> Option<PathBuf> {
    let w = if weighted && !generator.always_weighted() { "-weighted" } else { "" };
    Some(cache_dir()?.join(format!("{}-seed{seed}{w}-v{FORMAT_VERSION}.dgraph", generator.name())))
}

/// One line of the catalog listing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The name to pass as INPUT.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The pinned checksum, if any.
    pub checksum: Option<String>,
}

/// The catalog: Graphalytics graphs, then standard sizes of each generator.
pub fn entries() -> Vec<Entry> {
    let pinned = |name: &str| PINNED.iter().find(|(n, _)| *n == name).map(|(_, c)| format!("xxh3:{c:016x}"));
    let mut list: Vec<Entry> = GRAPHALYTICS
        .iter()
        .map(|e| Entry {
            name: e.name.into(),
            description: "LDBC Graphalytics validation graph (embedded)".into(),
            checksum: pinned(e.name),
        })
        .collect();
    let families = [
        ("kron-S", "Graph500 Kronecker, 2^S vertices, edge factor 16, undirected (S = 1..=30)"),
        ("urand-S", "uniform random, 2^S vertices, edge factor 16, undirected (S = 1..=30)"),
        ("grid-RxC", "R x C grid with weights 1..=255, undirected, large diameter"),
    ];
    for (name, description) in families {
        list.push(Entry { name: name.into(), description: description.into(), checksum: None });
    }
    for (name, _) in PINNED.iter().filter(|(n, _)| !GRAPHALYTICS.iter().any(|e| e.name == *n)) {
        let description = match Generator::parse(name) {
            Ok(Some(g)) => format!("{} vertices, {} edges drawn", g.vertex_count(), g.raw_edge_count()),
            _ => String::new(),
        };
        list.push(Entry { name: (*name).into(), description, checksum: pinned(name) });
    }
    list
}

/// The catalog's names, comma-separated, for messages.
pub fn known_names() -> String {
    let mut names: Vec<&str> = GRAPHALYTICS.iter().map(|e| e.name).collect();
    names.extend(["kron-S", "urand-S", "grid-RxC"]);
    names.join(", ")
}

/// Whether `input` should be treated as a catalog name rather than a path: it is not an
/// existing file and it is a catalog name.
pub fn is_dataset_name(input: &str) -> bool {
    !Path::new(input).exists() && matches!(lookup(input), Ok(Some(_)) | Err(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn embedded_graphs_match_their_pins_and_properties() {
        for e in GRAPHALYTICS {
            let (g, _) = read_embedded(e, &ReadOptions::default(), &Silent).expect("reads");
            let pinned = PINNED.iter().find(|(n, _)| *n == e.name).map(|p| p.1);
            assert_eq!(Some(g.checksum()), pinned, "{}", e.name);
            assert_eq!(g.is_directed(), e.name.ends_with("-directed"), "{}", e.name);
        }
    }

    #[test]
    fn small_generated_graphs_match_their_pins() {
        let options = LoadOptions { use_cache: false, ..LoadOptions::default() };
        for name in ["kron-10", "urand-10", "grid-10x10"] {
            let g = load(name, &options, &Silent).expect("generates");
            let pinned = PINNED.iter().find(|(n, _)| *n == name).map(|p| p.1);
            assert_eq!(Some(g.checksum()), pinned, "{name}");
        }
    }

    #[test]
    fn unknown_names_list_the_catalog() {
        let err = load("nope", &LoadOptions::default(), &Silent).expect_err("unknown").to_string();
        assert!(err.contains("example-directed") && err.contains("kron-S"), "{err}");
        assert!(lookup("kron-99").is_err());
        assert!(entries().iter().any(|e| e.name == "kron-16" && e.checksum.is_some()));
    }

    #[test]
    fn cache_paths_key_name_seed_weights_and_version() {
        let g = Generator::Kron { scale: 5 };
        let a = cache_path(&g, 1, false);
        let b = cache_path(&g, 2, false);
        let c = cache_path(&g, 1, true);
        assert!(a != b && a != c);
        if let Some(a) = a {
            assert!(a.to_string_lossy().ends_with(&format!("kron-5-seed1-v{FORMAT_VERSION}.dgraph")));
        }
    }
}
