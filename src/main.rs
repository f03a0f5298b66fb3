//! The `dgraph` binary: parse arguments, run, map errors to exit codes (0 ok, 1 error, 2 usage).

use std::process::ExitCode;

fn main() -> ExitCode {
    dgraph::cli::main()
}
