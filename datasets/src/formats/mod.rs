//! File formats: choosing one by extension or name, and the read and write entry points.
//!
//! | format | extensions | read | write |
//! |---|---|---|---|
//! | plain / SNAP edge list `u v [w]` | `.el` `.wel` `.txt` `.edges` `.tsv` `.snap` | yes | yes |
//! | LDBC Graphalytics (`.properties` + `.v` + `.e`) | `.properties` | yes | yes |
//! | Matrix Market coordinate | `.mtx` | yes | yes |
//! | DIMACS shortest path | `.gr` | yes | no |
//! | dgraph binary (rkyv archive, memory-mapped) | `.dgraph` | yes | yes |

pub mod dimacs;
pub mod edge_list;
pub(crate) mod edges;
pub mod graphalytics;
pub mod matrix_market;
pub mod native;
pub(crate) mod text;
mod write;

pub use write::write_atomically;

use std::path::Path;

use crate::build::{BuildOptions, BuildReport};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::ids::MAX_VERTICES;
use crate::progress::{Progress, Unit};

/// A graph file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain or SNAP edge list: one `source target [weight]` line per edge.
    EdgeList,
    /// Like [`Format::EdgeList`], but every edge must carry a weight (`.wel`).
    WeightedEdgeList,
    /// LDBC Graphalytics: a `.properties` file naming a `.v` and an `.e` file.
    Graphalytics,
    /// Matrix Market coordinate format.
    MatrixMarket,
    /// DIMACS shortest-path challenge format (`p sp`, `a u v w`).
    Dimacs,
    /// dgraph's binary format.
    Native,
}

impl Format {
    /// Every format with the names accepted by `--format` and the extensions recognised.
    pub const ALL: [(Format, &'static str, &'static [&'static str]); 6] = [
        (Format::EdgeList, "el", &["el", "txt", "edges", "tsv", "snap"]),
        (Format::WeightedEdgeList, "wel", &["wel"]),
        (Format::Graphalytics, "graphalytics", &["properties"]),
        (Format::MatrixMarket, "mtx", &["mtx"]),
        (Format::Dimacs, "gr", &["gr"]),
        (Format::Native, "dgraph", &["dgraph"]),
    ];

    /// The format named `name` (as given to `--format`), or one of its extensions.
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim_start_matches('.').to_ascii_lowercase();
        Self::ALL.iter().find(|(_, n, exts)| *n == name || exts.contains(&name.as_str())).map(|(f, _, _)| *f)
    }

    /// The format implied by a path's extension.
    pub fn from_path(path: &Path) -> Result<Format> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
        Self::from_name(&extension).filter(|_| !extension.is_empty()).ok_or_else(|| Error::UnknownFormat {
            path: path.into(),
            extension,
            known: Self::known_extensions(),
        })
    }

    /// The `--format` names, comma-separated.
    pub fn names() -> String {
        Self::ALL.iter().map(|(_, n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    fn known_extensions() -> String {
        Self::ALL.iter().flat_map(|(_, _, e)| e.iter().map(|e| format!(".{e}"))).collect::<Vec<_>>().join(" ")
    }

    /// Whether dgraph can write this format.
    pub fn writable(self) -> bool {
        self != Format::Dimacs
    }
}

/// How to read a graph file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadOptions {
    /// The format; `None` chooses by extension.
    pub format: Option<Format>,
    /// For edge lists, which carry no directedness: each line is one undirected edge.
    /// Ignored by formats that say whether they are directed.
    pub undirected: bool,
    /// What to do with the edges while building.
    pub build: BuildOptions,
    /// Refuse graphs with more distinct vertices than this (at most [`MAX_VERTICES`]).
    pub max_vertices: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { format: None, undirected: false, build: BuildOptions::default(), max_vertices: MAX_VERTICES }
    }
}

/// A graph read from a file with what the build found. `report` is `None` for `.dgraph` files,
/// which are opened, not built.
#[derive(Debug)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// The build report of text formats.
    pub report: Option<BuildReport>,
}

/// Reads the graph at `path` in the format given by `options` or its extension.
///
/// # Errors
/// Any [`Error`]: a missing or unreadable file, a parse error with its position, an invalid
/// file, a damaged `.dgraph` file, too many vertices.
pub fn read(path: &Path, options: &ReadOptions, progress: &dyn Progress) -> Result<Loaded> {
    let format = match options.format {
        Some(f) => f,
        None => Format::from_path(path)?,
    };
    let (graph, report) = match format {
        Format::EdgeList | Format::WeightedEdgeList => read_file(path, progress, |file| {
            edge_list::read_from(path, file, options, format == Format::WeightedEdgeList, progress)
        })?,
        Format::Graphalytics => graphalytics::read_file(path, options, progress)?,
        Format::MatrixMarket => {
            read_file(path, progress, |file| matrix_market::read_from(path, file, options, progress))?
        }
        Format::Dimacs => read_file(path, progress, |file| dimacs::read_from(path, file, options, progress))?,
        Format::Native => return Ok(Loaded { graph: native::open(path)?, report: None }),
    };
    Ok(Loaded { graph, report: Some(report) })
}

/// Writes `graph` to `path` in `format` (or the format of its extension). The file appears
/// only when complete: it is written beside its final name and renamed at the end, so an error
/// leaves no partial file behind.
///
/// # Errors
/// [`Error::Unsupported`] for a read-only format or a `.wel` file of an unweighted graph,
/// [`Error::Io`] when the file cannot be written.
pub fn write(graph: &Graph, path: &Path, format: Option<Format>, progress: &dyn Progress) -> Result<()> {
    let format = match format {
        Some(f) => f,
        None => Format::from_path(path)?,
    };
    match format {
        Format::EdgeList => edge_list::write_file(graph, path, progress),
        Format::WeightedEdgeList => {
            if !graph.is_weighted() {
                return Err(Error::Unsupported(format!(
                    "{}: a .wel file needs weights and this graph has none; write .el instead",
                    path.display()
                )));
            }
            edge_list::write_file(graph, path, progress)
        }
        Format::Graphalytics => graphalytics::write_file(graph, path, progress),
        Format::MatrixMarket => matrix_market::write_file(graph, path, progress),
        Format::Native => native::write(graph, path, progress),
        Format::Dimacs => Err(Error::Unsupported(format!(
            "{}: dgraph reads DIMACS .gr files but does not write them",
            path.display()
        ))),
    }
}

/// Opens `path` and reads it with `read`, which reports progress in bytes of the file.
fn read_file<T>(path: &Path, progress: &dyn Progress, read: impl FnOnce(std::fs::File) -> Result<T>) -> Result<T> {
    let file = open_file(path)?;
    progress.start(&format!("reading {}", path.display()), Some(file_len(&file, path)?), Unit::Bytes);
    let result = read(file);
    progress.finish();
    result
}

pub(crate) fn open_file(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    if file.metadata().map_err(|e| Error::io(path, e))?.is_dir() {
        return Err(Error::invalid(path, "is a directory, not a graph file"));
    }
    Ok(file)
}

pub(crate) fn file_len(file: &std::fs::File, path: &Path) -> Result<u64> {
    Ok(file.metadata().map_err(|e| Error::io(path, e))?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_chosen_by_extension_or_name() {
        assert_eq!(Format::from_path(Path::new("a/web.el")).ok(), Some(Format::EdgeList));
        assert_eq!(Format::from_path(Path::new("x.WEL")).ok(), Some(Format::WeightedEdgeList));
        assert_eq!(Format::from_path(Path::new("g.properties")).ok(), Some(Format::Graphalytics));
        assert_eq!(Format::from_name("mtx"), Some(Format::MatrixMarket));
        let err = Format::from_path(Path::new("graph.xyz")).expect_err("unknown");
        assert!(err.to_string().contains(".el"), "{err}");
        assert!(Format::from_path(Path::new("noext")).is_err());
    }
}
