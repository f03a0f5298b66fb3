//! The edge-line parser shared by every text format (`u v [w]` lines, DIMACS `a u v w`, Matrix
//! Market entries), and the step that turns raw external ids into dense ids.

use std::path::Path;

use rayon::prelude::*;

use super::text::{first_byte, lines, parse_u64, parse_weight, shown, Fields, LocalError, Parsed, Piece};
use crate::build::Segment;
use crate::error::{Error, Result};
use crate::graph::check_vertex_limit;
use crate::ids::{IdMap, RankBitmap, Resolver};

/// Whether lines carry a weight after the two vertex ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeightRule {
    /// All lines have one, or none has (decided by the file).
    Optional,
    /// Every line has one.
    Required,
    /// No line has one.
    Forbidden,
}

/// How vertex ids are turned into dense ids.
pub(crate) enum IdRule<'a> {
    /// Any ids; dense ids are assigned after the whole file is read ([`densify`]).
    Raw,
    /// Ids declared beforehand (a `.v` file, a header's size); others are errors.
    Known { resolver: &'a Resolver<'a>, missing: &'a (dyn Fn(u64) -> String + Sync) },
}

/// The grammar of one edge line.
pub(crate) struct LineRules<'a> {
    /// First non-blank bytes that start a comment line.
    pub(crate) comments: &'a [u8],
    /// A leading field every edge line must have (DIMACS: `a`).
    pub(crate) prefix: Option<&'a [u8]>,
    pub(crate) weights: WeightRule,
    /// Weights must be whole numbers (Matrix Market `integer`).
    pub(crate) integer_weights: bool,
    pub(crate) ids: IdRule<'a>,
}

/// The edges of one piece: dense ids (`narrow`, also raw ids while they fit in `u32`) or raw
/// ids that do not fit (`wide`).
#[derive(Default)]
pub(crate) struct EdgeChunk {
    pub(crate) narrow: Vec<[u32; 2]>,
    pub(crate) wide: Vec<[u64; 2]>,
    pub(crate) weights: Vec<f64>,
    /// Piece-relative line of the first edge with / without a weight.
    pub(crate) first_weighted: Option<u64>,
    pub(crate) first_unweighted: Option<u64>,
    pub(crate) max_id: u64,
}

impl EdgeChunk {
    pub(crate) fn len(&self) -> usize {
        self.narrow.len() + self.wide.len()
    }
}

/// Parses the edge lines of one piece.
pub(crate) fn parse_edge_piece(piece: &[u8], rules: &LineRules<'_>) -> Parsed<EdgeChunk> {
    let mut chunk = EdgeChunk { narrow: Vec::with_capacity(piece.len() / 12), ..EdgeChunk::default() };
    let mut line_no = 0;
    for line in lines(piece) {
        line_no += 1;
        let Some(first) = first_byte(line) else { continue };
        if rules.comments.contains(&first) {
            continue;
        }
        if let Err((column, message)) = parse_edge_line(line, line_no, rules, &mut chunk) {
            return Parsed { value: chunk, lines: line_no, error: Some(LocalError { line: line_no, column, message }) };
        }
    }
    Parsed { value: chunk, lines: line_no, error: None }
}

#[inline]
fn parse_edge_line(
    line: &[u8],
    line_no: u64,
    rules: &LineRules<'_>,
    chunk: &mut EdgeChunk,
) -> Result<(), (u64, String)> {
    let mut fields = Fields::new(line);
    if let Some(prefix) = rules.prefix {
        match fields.next() {
            Some((_, f)) if f == prefix => {}
            Some((c, f)) => {
                let want = String::from_utf8_lossy(prefix);
                return Err((c, format!("expected an edge line starting with {want:?}, found {}", shown(f))));
            }
            None => return Err((1, "expected an edge line".into())),
        }
    }
    let fast = if rules.prefix.is_none() { fast_pair(line) } else { None };
    let (u, cu, v, cv) = match fast {
        Some((u, v, cv, end)) => {
            fields = Fields::starting_at(line, end);
            (u, 1, v, cv)
        }
        None => {
            let (cu, fu) = fields.next().ok_or_else(|| (fields.column(), "expected a source vertex id".to_string()))?;
            let u = parse_u64(fu, "a vertex id").map_err(|m| (cu, m))?;
            let (cv, fv) = fields.next().ok_or_else(|| {
                (fields.column(), "expected a target vertex id after the source, found the end of the line".to_string())
            })?;
            (u, cu, parse_u64(fv, "a vertex id").map_err(|m| (cv, m))?, cv)
        }
    };
    match (fields.next(), rules.weights) {
        (Some((c, f)), WeightRule::Forbidden) => {
            return Err((
                c,
                format!("unexpected field {} after the target: this file's edges have no weight", shown(f)),
            ));
        }
        (None, WeightRule::Required) => {
            return Err((
                fields.column(),
                "expected a weight after the target vertex, found the end of the line".into(),
            ));
        }
        (Some((c, f)), _) => {
            let w = parse_weight(f).map_err(|m| (c, m))?;
            if rules.integer_weights && w.fract() != 0.0 {
                return Err((c, format!("expected an integer value, found {}", shown(f))));
            }
            chunk.weights.push(w);
            chunk.first_weighted.get_or_insert(line_no);
        }
        (None, _) => {
            chunk.first_unweighted.get_or_insert(line_no);
        }
    }
    if let Some((c, f)) = fields.next() {
        return Err((c, format!("unexpected field {} after the edge", shown(f))));
    }
    match &rules.ids {
        IdRule::Known { resolver, missing } => {
            let du = resolver.dense(u).ok_or_else(|| (cu, missing(u)))?;
            let dv = resolver.dense(v).ok_or_else(|| (cv, missing(v)))?;
            chunk.narrow.push([du, dv]);
        }
        IdRule::Raw => {
            chunk.max_id = chunk.max_id.max(u).max(v);
            if chunk.wide.is_empty() && chunk.max_id <= u64::from(u32::MAX) {
                chunk.narrow.push([u as u32, v as u32]);
            } else {
                if chunk.wide.is_empty() {
                    chunk.wide = chunk.narrow.drain(..).map(|[a, b]| [u64::from(a), u64::from(b)]).collect();
                }
                chunk.wide.push([u, v]);
            }
        }
    }
    Ok(())
}

/// The common case `digits<blanks>digits` at the start of a line, in one pass over its bytes:
/// `(u, v, column of v, index after v)`. `None` sends the line to the general parser, which
/// also produces the precise error messages.
#[inline]
fn fast_pair(line: &[u8]) -> Option<(u64, u64, u64, usize)> {
    #[inline]
    fn digits(b: &[u8], mut i: usize) -> Option<(u64, usize)> {
        let start = i;
        let mut x = 0u64;
        while i < b.len() && b[i].is_ascii_digit() {
            x = x.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
            i += 1;
        }
        let blank_or_end = i == b.len() || b[i] == b' ' || b[i] == b'\t';
        (i > start && i - start <= 19 && blank_or_end).then_some((x, i))
    }
    let (u, mut i) = digits(line, 0)?;
    while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
        i += 1;
    }
    let column_v = i as u64 + 1;
    let (v, end) = digits(line, i)?;
    Some((u, v, column_v, end))
}

/// Checks that either every edge has a weight or none has, and returns whether they do.
pub(crate) fn weighted_consistently(name: &Path, pieces: &[Piece<EdgeChunk>]) -> Result<bool> {
    let first =
        |pick: fn(&EdgeChunk) -> Option<u64>| pieces.iter().find_map(|p| pick(&p.value).map(|l| p.first_line + l - 1));
    match (first(|c| c.first_weighted), first(|c| c.first_unweighted)) {
        (Some(w), Some(u)) if w < u => Err(Error::parse(
            name,
            u,
            1,
            format!("this edge has no weight, but line {w} has one: give every edge a weight or none"),
        )),
        (Some(w), Some(u)) => Err(Error::parse(
            name,
            w,
            1,
            format!("this edge has a weight, but line {u} has none: give every edge a weight or none"),
        )),
        (Some(_), None) => Ok(true),
        _ => Ok(false),
    }
}

/// Turns the pieces of a file into segments of dense edges.
pub(crate) fn into_segments(pieces: Vec<Piece<EdgeChunk>>, weighted: bool) -> Vec<Segment> {
    pieces
        .into_iter()
        .map(|p| Segment { edges: p.value.narrow, weights: weighted.then_some(p.value.weights) })
        .collect()
}

/// Assigns dense ids to raw ids (ascending order of external id) and rewrites the edges.
pub(crate) fn densify(name: &Path, pieces: &mut [Piece<EdgeChunk>], max_vertices: u64) -> Result<IdMap> {
    let endpoints: u64 = pieces.iter().map(|p| 2 * p.value.len() as u64).sum();
    let any_wide = pieces.iter().any(|p| !p.value.wide.is_empty());
    let max = pieces.iter().map(|p| p.value.max_id).max().unwrap_or(0);
    if !any_wide && max / 64 <= endpoints.max(1 << 16) {
        // Ids fit in u32 and are not too sparse: a presence bitmap ranks them in O(1).
        // One bitmap per rayon fold (a few per thread), OR-ed together: no atomics.
        let len = (max / 64 + 1) as usize;
        let words = pieces
            .par_iter()
            .fold(
                || vec![0u64; len],
                |mut words, p| {
                    for &[u, v] in &p.value.narrow {
                        words[u as usize / 64] |= 1 << (u % 64);
                        words[v as usize / 64] |= 1 << (v % 64);
                    }
                    words
                },
            )
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x |= y);
                a
            })
            .unwrap_or_else(|| vec![0u64; len]);
        let count: u64 = words.par_iter().map(|w| u64::from(w.count_ones())).sum();
        check_vertex_limit(name, count, max_vertices)?;
        if count == max + 1 {
            return Ok(IdMap::Range { first: 0, len: count as u32 });
        }
        let bitmap = RankBitmap::with_words(0, words);
        pieces.par_iter_mut().for_each(|p| {
            for e in &mut p.value.narrow {
                for id in e.iter_mut() {
                    *id =
                        bitmap.rank(u64::from(*id)).unwrap_or_else(|| unreachable!("every endpoint is in the bitmap"));
                }
            }
        });
        return Ok(IdMap::from_sorted(bitmap.ids()));
    }
    // General case: sort the distinct ids.
    let mut ids: Vec<u64> = pieces
        .par_iter()
        .flat_map_iter(|p| {
            let narrow = p.value.narrow.iter().flat_map(|e| e.map(u64::from));
            narrow.chain(p.value.wide.iter().flat_map(|e| *e))
        })
        .collect();
    ids.par_sort_unstable();
    ids.dedup();
    check_vertex_limit(name, ids.len() as u64, max_vertices)?;
    let map = IdMap::from_sorted(ids);
    let resolver = map.resolver();
    let dense = |id: u64| resolver.dense(id).unwrap_or_else(|| unreachable!("every endpoint is in the map"));
    pieces.par_iter_mut().for_each(|p| {
        let chunk = &mut p.value;
        let mut edges: Vec<[u32; 2]> = chunk.narrow.iter().map(|e| e.map(|id| dense(u64::from(id)))).collect();
        edges.extend(chunk.wide.iter().map(|e| e.map(dense)));
        chunk.narrow = edges;
        chunk.wide = Vec::new();
    });
    drop(resolver);
    Ok(map)
}
