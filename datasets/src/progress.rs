//! Progress reporting hooks: the library reports stages and amounts; the CLI draws them
//! (indicatif bars), library users may ignore them with [`Silent`].

/// Receives progress of long operations. Implementations must be cheap and thread-safe.
pub trait Progress: Sync {
    /// A new stage starts (`"reading web.el"`); `total` is its size in `unit`s when known.
    fn start(&self, stage: &str, total: Option<u64>, unit: Unit);
    /// `amount` more units of the current stage are done.
    fn advance(&self, amount: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// What a stage counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes read or written.
    Bytes,
    /// Edges generated or built.
    Edges,
    /// No meaningful amount: a spinner.
    Steps,
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &str, _: Option<u64>, _: Unit) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
