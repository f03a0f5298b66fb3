//! The typed errors of the datasets crate: every failure names the file, and where it can, the
//! line, the column and the offending text.

use std::fmt;
use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a file something went wrong: `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file (or the name of an in-memory source).
    pub path: PathBuf,
    /// 1-based line number.
    pub line: u64,
    /// 1-based byte column within the line.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// Everything that can go wrong while reading, building, writing or finding a graph.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused an operation on a file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line of a text file does not follow its format.
    #[error("{position}: {message}")]
    Parse {
        /// Where the offending text starts.
        position: Position,
        /// What was expected and what was found.
        message: String,
    },
    /// A file is well-formed line by line but wrong as a whole (empty, a header that disagrees
    /// with its body, a missing companion file...).
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A binary `.dgraph` file is damaged: truncated, checksum mismatch, invalid archive.
    #[error("{}: damaged .dgraph file: {message}", path.display())]
    Corrupt {
        /// The file concerned.
        path: PathBuf,
        /// What check failed.
        message: String,
    },
    /// A `.dgraph` file was written by a newer version of the format.
    #[error("{}: written in .dgraph format version {found}; this build reads version {supported} (upgrade dgraph)", path.display())]
    FutureVersion {
        /// The file concerned.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// The graph has more distinct vertices than dense `u32` ids can number.
    #[error("{}: the graph has more than {limit} distinct vertices (found at least {found}); dgraph numbers vertices with 32-bit ids", path.display())]
    TooManyVertices {
        /// The input concerned.
        path: PathBuf,
        /// Distinct vertices found (a lower bound when reading stopped early).
        found: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The file's format could not be determined from its name.
    #[error("{}: unknown graph format (extension {extension:?}); known: {known}; or pass --format", path.display())]
    UnknownFormat {
        /// The file concerned.
        path: PathBuf,
        /// Its extension, possibly empty.
        extension: String,
        /// The known extensions, for the message.
        known: String,
    },
    /// A name is neither a file nor a catalog dataset.
    #[error("{name:?} is neither a file nor a dataset name; datasets: {known}")]
    UnknownDataset {
        /// The name given.
        name: String,
        /// The catalog's names, for the message.
        known: String,
    },
    /// An argument is out of range (a generator scale, a grid size...).
    #[error("{0}")]
    InvalidArgument(String),
    /// The requested operation cannot be done with this graph or format.
    #[error("{0}")]
    Unsupported(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    pub(crate) fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Invalid { path: path.into(), message: message.into() }
    }

    pub(crate) fn corrupt(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Corrupt { path: path.into(), message: message.into() }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: u64, column: u64, message: impl Into<String>) -> Self {
        Error::Parse { position: Position { path: path.into(), line, column }, message: message.into() }
    }
}
