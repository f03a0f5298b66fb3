//! DIMACS shortest-path files (9th DIMACS challenge, `.gr`): `c` comment lines, one problem
//! line `p sp NODES ARCS`, then `a SOURCE TARGET WEIGHT` arc lines with vertices `1..=NODES`.
//!
//! ```text
//! c a tiny road network
//! p sp 3 2
//! a 1 2 7
//! a 2 3 4
//! ```
//!
//! The graph is directed and weighted; the body must hold exactly `ARCS` arcs.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::edges::{into_segments, parse_edge_piece, IdRule, LineRules, WeightRule};
use super::text::{parse_u64, shown, Fields};
use super::{edge_list::stem, text::parse_parallel, ReadOptions};
use crate::build::BuildReport;
use crate::error::{Error, Result};
use crate::graph::{check_vertex_limit, Graph, Metadata};
use crate::ids::IdMap;
use crate::progress::Progress;

/// Reads a DIMACS `.gr` file from any reader; `name` is used in messages.
pub fn read_from(
    name: &Path,
    reader: impl Read,
    options: &ReadOptions,
    progress: &dyn Progress,
) -> Result<(Graph, BuildReport)> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line_no = 0u64;
    let mut bytes = Vec::new();
    // Comments, then the problem line.
    let (nodes, arcs) = loop {
        bytes.clear();
        line_no += 1;
        if reader.read_until(b'\n', &mut bytes).map_err(|e| Error::io(name, e))? == 0 {
            return Err(Error::invalid(name, "no problem line \"p sp NODES ARCS\""));
        }
        let line = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut fields = Fields::new(line);
        match fields.next() {
            None => continue,
            Some((_, b"c")) => continue,
            Some((_, b"p")) => {}
            Some((c, f)) => {
                return Err(Error::parse(
                    name,
                    line_no,
                    c,
                    format!("expected a comment or the problem line \"p sp NODES ARCS\", found {}", shown(f)),
                ))
            }
        }
        match fields.next() {
            Some((_, b"sp")) => {}
            Some((c, f)) => {
                return Err(Error::parse(name, line_no, c, format!("expected problem type \"sp\", found {}", shown(f))))
            }
            None => return Err(Error::parse(name, line_no, fields.column(), "expected problem type \"sp\"")),
        }
        let mut count = |what: &str| -> Result<u64> {
            let (c, f) = fields
                .next()
                .ok_or_else(|| Error::parse(name, line_no, fields.column(), format!("expected {what}")))?;
            parse_u64(f, what).map_err(|m| Error::parse(name, line_no, c, m))
        };
        break (count("a node count")?, count("an arc count")?);
    };
    check_vertex_limit(name, nodes, options.max_vertices)?;
    let ids = IdMap::Range { first: 1, len: nodes as u32 };
    let resolver = ids.resolver();
    let missing = |id: u64| format!("vertex {id} is outside 1..={nodes} declared in the problem line");
    let rules = LineRules {
        comments: b"c",
        prefix: Some(b"a"),
        weights: WeightRule::Required,
        integer_weights: false,
        ids: IdRule::Known { resolver: &resolver, missing: &missing },
    };
    let pieces = parse_parallel(name, reader, line_no + 1, progress, |piece| parse_edge_piece(piece, &rules))?;
    let found: u64 = pieces.iter().map(|p| p.value.len() as u64).sum();
    if found != arcs {
        return Err(Error::invalid(name, format!("the problem line announces {arcs} arcs but the file has {found}")));
    }
    drop(resolver);
    let segments = into_segments(pieces, true);
    let metadata = Metadata { name: stem(name), ..Metadata::default() };
    Ok(Graph::build(metadata, ids, segments, true, options.build))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn read(text: &str) -> Result<(Graph, BuildReport)> {
        read_from(Path::new("r.gr"), text.as_bytes(), &ReadOptions::default(), &Silent)
    }

    #[test]
    fn reads_arcs() {
        let (g, _) = read("c hi\np sp 3 2\nc mid\na 1 2 7\na 2 3 4\n").expect("reads");
        assert!(g.is_directed() && g.is_weighted());
        assert_eq!((g.vertex_count(), g.edge_count()), (3, 2));
        assert_eq!(g.out_edges().neighbor_weights(1), Some(&[4.0][..]));
    }

    #[test]
    fn malformed_files_are_errors() {
        let err = |t: &str| read(t).expect_err("should fail").to_string();
        assert!(err("c only\n").contains("no problem line"));
        assert!(err("p sp 2 2\na 1 2 1\n").contains("announces 2 arcs but the file has 1"));
        assert_eq!(err("p sp 2 1\na 1 3 1\n"), "r.gr:2:5: vertex 3 is outside 1..=2 declared in the problem line");
        assert!(err("p sp 2 1\np sp 2 1\n").starts_with("r.gr:2:1: expected an edge line starting with \"a\""));
        assert!(err("p max 2 1\n").starts_with("r.gr:1:3: expected problem type"));
        assert!(err("a 1 2 3\n").starts_with("r.gr:1:1: expected a comment or the problem line"));
        assert!(err("p sp 2 1\na 1 2\n").starts_with("r.gr:2:6: expected a weight"));
    }
}
