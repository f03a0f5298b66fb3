//! The official Graphalytics validation rules (§6 of the validation README): exact match for
//! BFS and CDLP, equivalence for WCC, relative epsilon 1e-4 for PageRank, LCC and SSSP (infinity
//! only matches infinity, a zero reference needs an exact zero).

use std::collections::HashMap;

use crate::Algorithm;

/// The relative tolerance of epsilon-checked algorithms.
pub const EPSILON: f64 = 1e-4;

/// A parsed output file: `(external id, value text)` per line.
pub fn parse_output(text: &str) -> Result<Vec<(u64, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let (id, value) =
                l.split_once(' ').ok_or_else(|| format!("line {}: expected \"id value\", found {l:?}", i + 1))?;
            let id = id.parse().map_err(|_| format!("line {}: bad vertex id {id:?}", i + 1))?;
            Ok((id, value.trim().to_string()))
        })
        .collect()
}

fn parse_f64(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "infinity" | "inf" | "+infinity" => Some(f64::INFINITY),
        other => other.parse().ok(),
    }
}

/// Compares `ours` with the `reference` under `algorithm`'s rule; `Err` describes the first
/// difference.
pub fn compare(algorithm: Algorithm, reference: &[(u64, String)], ours: &[(u64, String)]) -> Result<(), String> {
    if reference.len() != ours.len() {
        return Err(format!("{} rows, the reference has {}", ours.len(), reference.len()));
    }
    let ours_by_id: HashMap<u64, &str> = ours.iter().map(|(id, v)| (*id, v.as_str())).collect();
    let mut mapping: HashMap<&str, &str> = HashMap::new();
    let mut reverse: HashMap<&str, &str> = HashMap::new();
    for (id, r) in reference {
        let s = *ours_by_id.get(id).ok_or_else(|| format!("vertex {id} is missing"))?;
        let ok = match algorithm {
            Algorithm::Bfs | Algorithm::Cdlp | Algorithm::TriangleCount => {
                r.parse::<i64>().ok().is_some_and(|r| s.parse::<i64>() == Ok(r))
            }
            Algorithm::Wcc => {
                // A bijective renaming of labels.
                *mapping.entry(r.as_str()).or_insert(s) == s && *reverse.entry(s).or_insert(r.as_str()) == r.as_str()
            }
            Algorithm::PageRank | Algorithm::Lcc | Algorithm::Sssp => match (parse_f64(r), parse_f64(s)) {
                (Some(r), Some(s)) if r.is_infinite() || s.is_infinite() => r == s,
                (Some(r), Some(s)) => (r - s).abs() <= EPSILON * r,
                _ => false,
            },
        };
        if !ok {
            return Err(format!("vertex {id}: {s}, the reference says {r}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(u64, &str)]) -> Vec<(u64, String)> {
        pairs.iter().map(|(i, v)| (*i, v.to_string())).collect()
    }

    #[test]
    fn rules_follow_the_validator() {
        let r = rows(&[(1, "0"), (2, "infinity")]);
        assert!(compare(Algorithm::Sssp, &r, &rows(&[(1, "0.0"), (2, "inf")])).is_ok());
        assert!(compare(Algorithm::Sssp, &r, &rows(&[(1, "1e-300"), (2, "inf")])).is_err());
        assert!(compare(Algorithm::Sssp, &r, &rows(&[(1, "0"), (2, "5")])).is_err());
        let pr = rows(&[(1, "0.5")]);
        assert!(compare(Algorithm::PageRank, &pr, &rows(&[(1, "0.50004")])).is_ok());
        assert!(compare(Algorithm::PageRank, &pr, &rows(&[(1, "0.5001")])).is_err());
        assert!(compare(Algorithm::PageRank, &pr, &rows(&[(1, "NaN")])).is_err());
        let w = rows(&[(1, "1"), (2, "1"), (3, "3")]);
        assert!(compare(Algorithm::Wcc, &w, &rows(&[(1, "7"), (2, "7"), (3, "9")])).is_ok());
        assert!(compare(Algorithm::Wcc, &w, &rows(&[(1, "7"), (2, "7"), (3, "7")])).is_err());
        assert!(compare(Algorithm::Wcc, &w, &rows(&[(1, "7"), (2, "8"), (3, "9")])).is_err());
        assert!(compare(Algorithm::Bfs, &rows(&[(1, "2")]), &rows(&[(1, "3")])).is_err());
        assert!(compare(Algorithm::Bfs, &rows(&[(1, "2")]), &rows(&[(2, "2")])).is_err());
        assert!(compare(Algorithm::Bfs, &rows(&[(1, "2")]), &rows(&[])).is_err());
    }
}
