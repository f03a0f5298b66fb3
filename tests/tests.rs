//! All integration tests, built as one binary (`autotests = false`).

mod build_properties;
mod cli;
mod engine;
mod formats;
