//! dgraph
