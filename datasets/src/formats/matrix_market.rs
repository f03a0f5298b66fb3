//! Matrix Market coordinate files: a banner, `%` comments, a size line `rows cols entries`,
//! then one `row col [value]` line per entry, 1-based.
//!
//! ```text
//! %%MatrixMarket matrix coordinate real symmetric
//! % a triangle
//! 3 3 3
//! 2 1 0.5
//! 3 1 1.0
//! 3 2 2.5
//! ```
//!
//! Fields `pattern` (no values), `integer` and `real` (values become weights); symmetry
//! `general` (a directed graph) or `symmetric` (undirected). Vertices are `1..=rows`; the
//! matrix must be square; the body must hold exactly the announced number of entries.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::edges::{into_segments, parse_edge_piece, IdRule, LineRules, WeightRule};
use super::text::{parse_parallel, parse_u64, Fields};
use super::write::{write_atomically, write_edges, EdgeStyle};
use super::{edge_list::stem, ReadOptions};
use crate::build::BuildReport;
use crate::error::{Error, Result};
use crate::graph::{check_vertex_limit, Graph, Metadata};
use crate::ids::IdMap;
use crate::progress::Progress;

/// Reads a Matrix Market file from any reader; `name` is used in messages.
pub fn read_from(
    name: &Path,
    reader: impl Read,
    options: &ReadOptions,
    progress: &dyn Progress,
) -> Result<(Graph, BuildReport)> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = String::new();
    let mut line_no = 0u64;
    let mut next_line = |line: &mut String| -> Result<bool> {
        line.clear();
        line_no += 1;
        let mut bytes = Vec::new();
        let k = reader.read_until(b'\n', &mut bytes).map_err(|e| Error::io(name, e))?;
        *line = String::from_utf8_lossy(&bytes).trim_end().to_string();
        Ok(k > 0)
    };
    if !next_line(&mut line)? {
        return Err(Error::invalid(name, "empty file: expected a %%MatrixMarket banner"));
    }
    let banner: Vec<String> = line.split_whitespace().map(str::to_ascii_lowercase).collect();
    if banner.first().map(String::as_str) != Some("%%matrixmarket") || banner.len() != 5 {
        return Err(Error::parse(
            name,
            1,
            1,
            format!("expected \"%%MatrixMarket matrix coordinate FIELD SYMMETRY\", found {line:?}"),
        ));
    }
    if banner[1] != "matrix" || banner[2] != "coordinate" {
        return Err(Error::Unsupported(format!(
            "{}:1: only \"matrix coordinate\" files hold graphs, found {:?}",
            name.display(),
            line
        )));
    }
    let (weights, integer) = match banner[3].as_str() {
        "pattern" => (WeightRule::Forbidden, false),
        "integer" => (WeightRule::Required, true),
        "real" => (WeightRule::Required, false),
        other => {
            return Err(Error::Unsupported(format!(
                "{}:1: field {other:?} is not supported (pattern, integer or real)",
                name.display()
            )))
        }
    };
    let directed = match banner[4].as_str() {
        "general" => true,
        "symmetric" => false,
        other => {
            return Err(Error::Unsupported(format!(
                "{}:1: symmetry {other:?} is not supported (general or symmetric)",
                name.display()
            )))
        }
    };
    // Comments, then the size line.
    let size_line = loop {
        if !next_line(&mut line)? {
            return Err(Error::invalid(name, "no size line \"rows cols entries\" after the banner"));
        }
        let t = line.trim_start();
        if !t.is_empty() && !t.starts_with('%') {
            break line_no;
        }
    };
    let mut fields = Fields::new(line.as_bytes());
    let mut size = [0u64; 3];
    for (i, what) in ["a row count", "a column count", "an entry count"].iter().enumerate() {
        let (c, f) = fields.next().ok_or_else(|| {
            Error::parse(name, size_line, fields.column(), format!("expected {what} in the size line"))
        })?;
        size[i] = parse_u64(f, what).map_err(|m| Error::parse(name, size_line, c, m))?;
    }
    let [rows, cols, entries] = size;
    if rows != cols {
        return Err(Error::invalid(name, format!("the matrix is {rows} x {cols}; a graph needs a square matrix")));
    }
    check_vertex_limit(name, rows, options.max_vertices)?;
    let ids = IdMap::Range { first: 1, len: rows as u32 };
    let resolver = ids.resolver();
    let missing = |id: u64| format!("index {id} is outside 1..={rows} declared in the size line");
    let rules = LineRules {
        comments: b"%",
        prefix: None,
        weights,
        integer_weights: integer,
        ids: IdRule::Known { resolver: &resolver, missing: &missing },
    };
    let pieces = parse_parallel(name, reader, size_line + 1, progress, |piece| parse_edge_piece(piece, &rules))?;
    let found: u64 = pieces.iter().map(|p| p.value.len() as u64).sum();
    if found != entries {
        return Err(Error::invalid(
            name,
            format!("the size line announces {entries} entries but the body has {found}"),
        ));
    }
    drop(resolver);
    let segments = into_segments(pieces, weights == WeightRule::Required);
    let metadata = Metadata { name: stem(name), ..Metadata::default() };
    Ok(Graph::build(metadata, ids, segments, directed, options.build))
}

/// Writes `graph` as a Matrix Market file. Vertices are numbered `1..=n` in the order of their
/// external ids (Matrix Market cannot carry other ids); undirected graphs are written
/// `symmetric` (lower triangle), weights as `real` values.
pub(crate) fn write_file(graph: &Graph, path: &Path, progress: &dyn Progress) -> Result<()> {
    let field = if graph.is_weighted() { "real" } else { "pattern" };
    let symmetry = if graph.is_directed() { "general" } else { "symmetric" };
    let n = graph.vertex_count();
    let header = format!(
        "%%MatrixMarket matrix coordinate {field} {symmetry}\n% written by dgraph: {}\n{n} {n} {}\n",
        graph.metadata().name,
        graph.edge_count()
    );
    let style = EdgeStyle { prefix: "", one_based_dense: true, larger_first: true };
    write_atomically(&[path], |_, out| {
        out.write_all(header.as_bytes())?;
        write_edges(graph, out, &style, progress)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn read(text: &str) -> Result<(Graph, BuildReport)> {
        read_from(Path::new("m.mtx"), text.as_bytes(), &ReadOptions::default(), &Silent)
    }

    #[test]
    fn reads_symmetric_real_and_general_pattern() {
        let (g, _) =
            read("%%MatrixMarket matrix coordinate real symmetric\n% c\n3 3 2\n2 1 0.5\n3 3 1\n").expect("reads");
        assert!(!g.is_directed() && g.is_weighted());
        assert_eq!((g.vertex_count(), g.edge_count()), (3, 2));
        assert_eq!(g.ids().external(0), 1);
        let (g, _) = read("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n").expect("reads");
        assert!(g.is_directed() && !g.is_weighted());
    }

    #[test]
    fn header_and_body_must_agree() {
        let err = |t: &str| read(t).expect_err("should fail").to_string();
        assert!(err("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 2 1.0\n")
            .contains("announces 2 entries but the body has 1"));
        assert!(err("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 1.0\n2 1 1.0\n")
            .contains("announces 1 entries but the body has 2"));
        assert_eq!(
            err("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 3 1.0\n"),
            "m.mtx:3:3: index 3 is outside 1..=2 declared in the size line"
        );
        assert!(err("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2\n")
            .starts_with("m.mtx:3:4: expected a weight"));
        assert!(err("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2 5\n")
            .starts_with("m.mtx:3:5: unexpected field"));
        assert!(err("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 2 1.5\n")
            .starts_with("m.mtx:3:5: expected an integer"));
        assert!(err("%%MatrixMarket matrix coordinate real general\n2 3 0\n").contains("square"));
        assert!(err("%%MatrixMarket matrix array real general\n2 2\n").contains("coordinate"));
        assert!(err("%%MatrixMarket matrix coordinate complex general\n").contains("complex"));
        assert!(err("1 2\n").starts_with("m.mtx:1:1: expected \"%%MatrixMarket"));
        assert!(err("").contains("empty file"));
        assert!(err("%%MatrixMarket matrix coordinate real general\n% only comments\n").contains("no size line"));
    }
}
