//! LDBC Graphalytics graphs: a `.properties` file that names a vertex file (`.v`, one id per
//! line) and an edge file (`.e`, `source target [weight]` per line), says whether the graph is
//! directed, and carries the algorithms' parameters (kept in [`Metadata::parameters`]).
//!
//! ```text
//! graph.example.vertex-file = example.v
//! graph.example.edge-file = example.e
//! graph.example.directed = true
//! graph.example.edge-properties.names = weight
//! graph.example.bfs.source-vertex = 1
//! ```
//!
//! Every edge endpoint must be listed in the `.v` file, and no vertex twice.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::edges::{into_segments, parse_edge_piece, IdRule, LineRules, WeightRule};
use super::text::{first_byte, lines, parse_parallel, parse_u64, shown, Fields, LocalError, Parsed};
use super::write::{write_atomically, write_edges, EdgeStyle};
use super::{edge_list::stem, open_file, ReadOptions};
use crate::build::BuildReport;
use crate::error::{Error, Result};
use crate::graph::{check_vertex_limit, Graph, Metadata};
use crate::ids::IdMap;
use crate::progress::{Progress, Unit};

/// Keys under `graph.NAME.` that describe the files rather than the algorithms.
const FILE_KEYS: [&str; 7] = [
    "vertex-file",
    "edge-file",
    "directed",
    "meta.vertices",
    "meta.edges",
    "edge-properties.names",
    "edge-properties.types",
];

/// The parsed `.properties` file.
pub(crate) struct Properties {
    pub(crate) name: String,
    pub(crate) vertex_file: String,
    pub(crate) edge_file: String,
    pub(crate) directed: bool,
    pub(crate) weighted: bool,
    pub(crate) vertices: Option<u64>,
    pub(crate) edges: Option<u64>,
    pub(crate) parameters: BTreeMap<String, String>,
}

/// Parses a Java-style properties file (`key = value`, `#` or `!` comments).
pub(crate) fn parse_properties(path: &Path, text: &str) -> Result<Properties> {
    let mut all = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err(Error::parse(path, i as u64 + 1, 1, format!("expected \"key = value\", found {:?}", line)));
        };
        all.insert(line[..split].trim().to_string(), (i as u64 + 1, line[split + 1..].trim().to_string()));
    }
    // The graph's name is the NAME of `graph.NAME.directed` (or of the file stem).
    let stem = stem(path);
    let name = all
        .keys()
        .find_map(|k| k.strip_prefix("graph.")?.strip_suffix(".directed").map(str::to_string))
        .unwrap_or(stem);
    let prefix = format!("graph.{name}.");
    let get = |key: &str| all.get(&format!("{prefix}{key}"));
    let directed = match get("directed") {
        Some((_, v)) if v == "true" => true,
        Some((_, v)) if v == "false" => false,
        Some((line, v)) => {
            return Err(Error::parse(path, *line, 1, format!("{prefix}directed must be true or false, found {v:?}")))
        }
        None => {
            return Err(Error::invalid(
                path,
                format!("missing {prefix}directed: the file must say whether the graph is directed"),
            ))
        }
    };
    let count = |key: &str| -> Result<Option<u64>> {
        match get(key) {
            None => Ok(None),
            Some((line, v)) => v
                .parse()
                .map(Some)
                .map_err(|_| Error::parse(path, *line, 1, format!("{prefix}{key} must be a count, found {v:?}"))),
        }
    };
    let weighted = get("edge-properties.names").is_some_and(|(_, v)| v.split(',').any(|p| p.trim() == "weight"));
    let parameters = all
        .iter()
        .filter_map(|(k, (_, v))| Some((k.strip_prefix(&prefix)?.to_string(), v.clone())))
        .filter(|(k, _)| !FILE_KEYS.contains(&k.as_str()))
        .collect();
    Ok(Properties {
        vertex_file: get("vertex-file").map_or_else(|| format!("{name}.v"), |(_, v)| v.clone()),
        edge_file: get("edge-file").map_or_else(|| format!("{name}.e"), |(_, v)| v.clone()),
        vertices: count("meta.vertices")?,
        edges: count("meta.edges")?,
        name,
        directed,
        weighted,
        parameters,
    })
}

/// Reads a Graphalytics graph held in memory: the properties text and the contents of its
/// vertex and edge files (whatever names the properties give them).
pub fn read_from_memory(
    name: &Path,
    properties: &str,
    vertices: &[u8],
    edges: &[u8],
    options: &ReadOptions,
) -> Result<(Graph, BuildReport)> {
    read_parts(name, properties, options, &crate::progress::Silent, &|file| {
        let data = if file == parse_properties(name, properties)?.vertex_file { vertices } else { edges };
        Ok((PathBuf::from(file), Box::new(std::io::Cursor::new(data.to_vec()))))
    })
}

/// Reads the graph described by the `.properties` file at `path`.
pub(crate) fn read_file(path: &Path, options: &ReadOptions, progress: &dyn Progress) -> Result<(Graph, BuildReport)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    read_parts(path, &text, options, progress, &|file| {
        let p = dir.join(file);
        let f = open_file(&p)?;
        let len = f.metadata().map(|m| m.len()).ok();
        progress.start(&format!("reading {}", p.display()), len, Unit::Bytes);
        Ok((p, Box::new(f)))
    })
}

type Opener<'a> = dyn Fn(&str) -> Result<(PathBuf, Box<dyn Read + 'a>)> + 'a;

/// Reads a Graphalytics graph given its properties text and a way to open its files.
pub(crate) fn read_parts(
    path: &Path,
    properties: &str,
    options: &ReadOptions,
    progress: &dyn Progress,
    open: &Opener<'_>,
) -> Result<(Graph, BuildReport)> {
    let props = parse_properties(path, properties)?;
    let (v_path, v_reader) = open(&props.vertex_file)?;
    let ids = read_vertices(&v_path, v_reader, options.max_vertices, progress)?;
    progress.finish();
    if let Some(expected) = props.vertices.filter(|&e| e != ids.len() as u64) {
        return Err(Error::invalid(
            &v_path,
            format!("lists {} vertices but {} says meta.vertices = {expected}", ids.len(), path.display()),
        ));
    }
    let (e_path, e_reader) = open(&props.edge_file)?;
    let resolver = ids.resolver();
    let v_name = v_path.display().to_string();
    let missing = move |id: u64| format!("vertex {id} is not listed in {v_name}");
    let rules = LineRules {
        comments: b"#%",
        prefix: None,
        weights: if props.weighted { WeightRule::Required } else { WeightRule::Forbidden },
        integer_weights: false,
        ids: IdRule::Known { resolver: &resolver, missing: &missing },
    };
    let pieces = parse_parallel(&e_path, e_reader, 1, progress, |piece| parse_edge_piece(piece, &rules))?;
    progress.finish();
    let segments = into_segments(pieces, props.weighted);
    let edges: u64 = segments.iter().map(|s| s.edges.len() as u64).sum();
    if let Some(expected) = props.edges.filter(|&e| e != edges) {
        return Err(Error::invalid(
            &e_path,
            format!("holds {edges} edges but {} says meta.edges = {expected}", path.display()),
        ));
    }
    drop(resolver);
    let metadata = Metadata { name: props.name, parameters: props.parameters };
    Ok(Graph::build(metadata, ids, segments, props.directed, options.build))
}

/// Reads a `.v` file: one vertex id per line, each at most once.
fn read_vertices(path: &Path, reader: Box<dyn Read + '_>, max_vertices: u64, progress: &dyn Progress) -> Result<IdMap> {
    let pieces = parse_parallel(path, reader, 1, progress, |piece| {
        let mut ids: Vec<(u64, u64)> = Vec::new();
        let mut n = 0;
        for line in lines(piece) {
            n += 1;
            if first_byte(line).is_none_or(|b| b == b'#' || b == b'%') {
                continue;
            }
            let mut fields = Fields::new(line);
            let parsed = fields.next().map(|(c, f)| (c, parse_u64(f, "a vertex id")));
            let error = match (parsed, fields.next()) {
                (Some((_, Ok(id))), None) => {
                    ids.push((id, n));
                    continue;
                }
                (Some((c, Err(m))), _) => LocalError { line: n, column: c, message: m },
                (_, Some((c, f))) => LocalError {
                    line: n,
                    column: c,
                    message: format!("expected one vertex id per line, found {} after it", shown(f)),
                },
                (None, None) => continue,
            };
            return Parsed { value: ids, lines: n, error: Some(error) };
        }
        Parsed { value: ids, lines: n, error: None }
    })?;
    let mut ids: Vec<(u64, u64)> = pieces
        .into_par_iter()
        .flat_map_iter(|p| p.value.into_iter().map(move |(id, line)| (id, p.first_line + line - 1)))
        .collect();
    ids.par_sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0].0 == w[1].0) {
        let (id, first, again) = (w[0].0, w[0].1, w[1].1);
        return Err(Error::parse(path, again, 1, format!("vertex {id} is listed twice (first on line {first})")));
    }
    check_vertex_limit(path, ids.len() as u64, max_vertices)?;
    Ok(IdMap::from_sorted(ids.into_iter().map(|(id, _)| id).collect()))
}

/// Writes `graph` as `NAME.properties`, `NAME.v` and `NAME.e` beside `path` (`NAME.properties`).
pub(crate) fn write_file(graph: &Graph, path: &Path, progress: &dyn Progress) -> Result<()> {
    let name = stem(path);
    if name.is_empty() {
        return Err(Error::invalid(path, "a Graphalytics graph needs a file name (NAME.properties)"));
    }
    let v_path = path.with_extension("v");
    let e_path = path.with_extension("e");
    let properties = properties_text(graph, &name);
    write_atomically(&[path, &v_path, &e_path], |i, out| match i {
        0 => out.write_all(properties.as_bytes()),
        1 => {
            let mut buf = itoa::Buffer::new();
            for v in 0..graph.vertex_count() as u32 {
                out.write_all(buf.format(graph.ids().external(v)).as_bytes())?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        _ => write_edges(graph, out, &EdgeStyle { prefix: "", one_based_dense: false, larger_first: false }, progress),
    })
}

fn properties_text(graph: &Graph, name: &str) -> String {
    let mut text = format!(
        "# Graphalytics graph written by dgraph\n\
         graph.{name}.vertex-file = {name}.v\n\
         graph.{name}.edge-file = {name}.e\n\
         graph.{name}.meta.vertices = {}\n\
         graph.{name}.meta.edges = {}\n\
         graph.{name}.directed = {}\n",
        graph.vertex_count(),
        graph.edge_count(),
        graph.is_directed(),
    );
    if graph.is_weighted() {
        text.push_str(&format!(
            "graph.{name}.edge-properties.names = weight\ngraph.{name}.edge-properties.types = real\n"
        ));
    }
    for (k, v) in &graph.metadata().parameters {
        text.push_str(&format!("graph.{name}.{k} = {v}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    const PROPS: &str =
        "graph.g.directed = true\ngraph.g.edge-properties.names = weight\ngraph.g.bfs.source-vertex = 5\n";

    fn read(props: &str, v: &str, e: &str) -> Result<(Graph, BuildReport)> {
        let (v, e) = (v.as_bytes().to_vec(), e.as_bytes().to_vec());
        read_parts(Path::new("g.properties"), props, &ReadOptions::default(), &Silent, &move |f| {
            let data = if f.ends_with(".v") { v.clone() } else { e.clone() };
            Ok((PathBuf::from(f), Box::new(std::io::Cursor::new(data))))
        })
    }

    #[test]
    fn reads_vertices_edges_and_parameters() {
        let (g, _) = read(PROPS, "5\n9\n7\n", "5 7 0.5\n7 9 1.5\n").expect("reads");
        assert_eq!((g.vertex_count(), g.edge_count()), (3, 2));
        assert_eq!(g.metadata().parameters.get("bfs.source-vertex").map(String::as_str), Some("5"));
        assert_eq!(g.ids().external(1), 7);
    }

    #[test]
    fn undeclared_and_duplicate_vertices_are_errors() {
        let err = read(PROPS, "5\n7\n", "5 7 0.5\n7 42 1.0\n").expect_err("42 missing").to_string();
        assert_eq!(err, "g.e:2:3: vertex 42 is not listed in g.v");
        let err = read(PROPS, "5\n7\n5\n", "5 7 0.5\n").expect_err("duplicate").to_string();
        assert_eq!(err, "g.v:3:1: vertex 5 is listed twice (first on line 1)");
        let err = read(PROPS, "5 6\n", "").expect_err("two ids").to_string();
        assert!(err.starts_with("g.v:1:3: expected one vertex id per line"), "{err}");
    }

    #[test]
    fn properties_must_say_directedness_and_weights_must_match() {
        let err = read("graph.g.vertex-file = g.v\n", "1\n", "").expect_err("no directed").to_string();
        assert!(err.contains("missing graph.g.directed"), "{err}");
        let err = read("graph.g.directed = true\n", "1\n2\n", "1 2 0.5\n").expect_err("weight").to_string();
        assert!(err.starts_with("g.e:1:5: unexpected field \"0.5\""), "{err}");
        let err = read(PROPS, "1\n2\n", "1 2\n").expect_err("no weight").to_string();
        assert!(err.starts_with("g.e:1:4: expected a weight"), "{err}");
        let err = read("graph.g.directed = true\ngraph.g.meta.edges = 3\n", "1\n2\n", "1 2\n")
            .expect_err("count")
            .to_string();
        assert!(err.contains("meta.edges = 3"), "{err}");
    }
}
