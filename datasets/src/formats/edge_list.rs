//! Plain and SNAP edge lists: one edge per line, `source target [weight]`, fields separated by
//! spaces or tabs; lines starting with `#` or `%` are comments.
//!
//! ```text
//! # FromNodeId  ToNodeId
//! 0 1
//! 0 2 0.5
//! ```
//!
//! An edge list does not say whether it is directed: it is read as directed unless the caller
//! asks for undirected (then each line is one undirected edge). Either every edge has a weight
//! or none does. Ids are any `u64`; dense ids follow their order.

use std::io::Read;
use std::path::Path;

use super::edges::{densify, into_segments, parse_edge_piece, weighted_consistently, IdRule, LineRules, WeightRule};
use super::text::parse_parallel;
use super::write::{write_atomically, write_edges, EdgeStyle};
use super::ReadOptions;
use crate::build::BuildReport;
use crate::error::{Error, Result};
use crate::graph::{Graph, Metadata};
use crate::progress::Progress;

/// Reads an edge list from any reader; `name` is used in messages.
pub fn read_from(
    name: &Path,
    reader: impl Read,
    options: &ReadOptions,
    require_weights: bool,
    progress: &dyn Progress,
) -> Result<(Graph, BuildReport)> {
    let rules = LineRules {
        comments: b"#%",
        prefix: None,
        weights: if require_weights { WeightRule::Required } else { WeightRule::Optional },
        integer_weights: false,
        ids: IdRule::Raw,
    };
    let mut pieces = parse_parallel(name, reader, 1, progress, |piece| parse_edge_piece(piece, &rules))?;
    if pieces.iter().all(|p| p.value.len() == 0) {
        return Err(Error::invalid(name, "no edges: the file is empty or holds only comments"));
    }
    let weighted = weighted_consistently(name, &pieces)?;
    let ids = densify(name, &mut pieces, options.max_vertices)?;
    let segments = into_segments(pieces, weighted);
    let metadata = Metadata { name: stem(name), ..Metadata::default() };
    Ok(Graph::build(metadata, ids, segments, !options.undirected, options.build))
}

/// Writes `graph` as an edge list with external ids (weights as a third column when present).
pub(crate) fn write_file(graph: &Graph, path: &Path, progress: &dyn Progress) -> Result<()> {
    let style = EdgeStyle { prefix: "", one_based_dense: false, larger_first: false };
    write_atomically(&[path], |_, out| write_edges(graph, out, &style, progress))
}

pub(crate) fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn read(text: &str, options: &ReadOptions) -> Result<(Graph, BuildReport)> {
        read_from(Path::new("web.el"), text.as_bytes(), options, false, &Silent)
    }

    fn error(text: &str) -> String {
        read(text, &ReadOptions::default()).expect_err("should fail").to_string()
    }

    #[test]
    fn reads_comments_tabs_crlf_and_weights() {
        let (g, report) = read("# c\n% c\n1\t2 0.5\r\n\n  2 3 1.5\n3 1 2", &ReadOptions::default()).expect("reads");
        assert_eq!((g.vertex_count(), g.edge_count(), report.input_edges), (3, 3, 3));
        assert!(g.is_directed() && g.is_weighted());
        assert_eq!(g.out_edges().neighbor_weights(0), Some(&[0.5][..]));
    }

    #[test]
    fn sparse_and_huge_ids_map_to_dense_ids_in_order() {
        let (g, _) = read("18446744073709551615 5\n5 70000000000\n", &ReadOptions::default()).expect("reads");
        assert_eq!(g.ids().external(0), 5);
        assert_eq!(g.ids().external(2), u64::MAX);
        let (g, _) = read("10 1000\n1000 30\n", &ReadOptions::default()).expect("reads");
        assert_eq!((0..3).map(|v| g.ids().external(v)).collect::<Vec<_>>(), vec![10, 30, 1000]);
    }

    #[test]
    fn undirected_option_makes_each_line_one_edge() {
        let options = ReadOptions { undirected: true, ..ReadOptions::default() };
        let (g, _) = read("0 1\n1 2\n", &options).expect("reads");
        assert!(!g.is_directed());
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.out_edges().neighbors(1), &[0, 2]);
    }

    #[test]
    fn bad_lines_are_reported_with_file_line_column_and_text() {
        assert_eq!(error("1 2\n3 4\nx1 5\n"), "web.el:3:1: expected a vertex id, found \"x1\"");
        assert_eq!(error("1 2\n\n7   -4\n"), "web.el:3:5: a vertex id cannot be negative, found \"-4\"");
        assert!(
            error("1 18446744073709551616\n").starts_with("web.el:1:3: a vertex id \"18446744073709551616\" is above")
        );
        assert_eq!(error("1 2 abc\n"), "web.el:1:5: expected a weight (a decimal number), found \"abc\"");
        assert_eq!(error("1 2 NaN\n"), "web.el:1:5: weight \"NaN\" is not a finite number");
        assert_eq!(error("1 2 inf\n"), "web.el:1:5: weight \"inf\" is not a finite number");
        assert!(error("1\n").starts_with("web.el:1:2: expected a target vertex id"));
        assert!(error("1 2 3 4\n").starts_with("web.el:1:7: unexpected field \"4\""));
        assert!(error("1 2 3\n2 3\n").starts_with("web.el:2:1: this edge has no weight, but line 1 has one"));
        assert!(error("1 2\n2 3 1\n").starts_with("web.el:2:1: this edge has a weight, but line 1 has none"));
    }

    #[test]
    fn empty_files_are_refused() {
        assert_eq!(error(""), "web.el: no edges: the file is empty or holds only comments");
        assert_eq!(error("# only a comment\n\n"), "web.el: no edges: the file is empty or holds only comments");
    }

    #[test]
    fn vertex_limit_applies_to_distinct_ids() {
        let options = ReadOptions { max_vertices: 3, ..ReadOptions::default() };
        assert!(read("0 1\n1 2\n", &options).is_ok());
        let err = read("0 1\n2 3\n", &options).expect_err("4 > 3").to_string();
        assert!(err.contains("more than 3 distinct vertices"), "{err}");
        let err = read("0 100000000000\n2 3\n", &options).expect_err("wide ids").to_string();
        assert!(err.contains("more than 3 distinct vertices"), "{err}");
    }
}
