//! HDRF, High-Degree (are) Replicated First (Petroni et al., CIKM 2015): each edge goes to the
//! partition with the best score `C_rep + C_bal`. `C_rep` favours partitions that already hold
//! an endpoint, the lower-degree endpoint more (`g(u) = 1 + (1 - θ(u))`, `θ(u)` = u's share of
//! the two degrees), so hubs are the ones replicated; `C_bal = λ (max - load) / (1 + max - min)`
//! pulls towards light partitions.

use dgraph_datasets::prefetch::prefetch;

use crate::stream::{Loads, Placer, ReplicaSets};

/// HDRF placement state.
pub(crate) struct Hdrf {
    pub(crate) replicas: ReplicaSets,
    /// Degrees: seen so far in the stream (the paper's partial degrees) when `partial`, else
    /// given in full (HEP knows them).
    pub(crate) degree: Vec<u32>,
    pub(crate) partial: bool,
    /// Balance weight λ (1 in the paper's main results).
    pub(crate) lambda: f64,
}

impl Placer for Hdrf {
    fn choose(&mut self, u: u32, v: u32, loads: &Loads) -> u32 {
        if self.partial {
            self.degree[u as usize] += 1;
            self.degree[v as usize] += 1;
        }
        let (du, dv) = (f64::from(self.degree[u as usize]), f64::from(self.degree[v as usize]));
        let (theta_u, theta_v) = if du + dv > 0.0 { (du / (du + dv), dv / (du + dv)) } else { (0.5, 0.5) };
        let (max, min) = (loads.max() as f64, loads.min() as f64);
        let scale = self.lambda / (1.0 + max - min);
        let (gain_u, gain_v) = (2.0 - theta_u, 2.0 - theta_v);
        let score = |p: u32, gain: f64| (max - loads.of(p) as f64) * scale + gain;
        // Within each class of partitions (holding both endpoints, only u, only v, neither) the
        // score falls with the load, so the best of a class is its lightest open partition;
        // that of "neither" is beaten by the lightest open one overall, whatever its class.
        // Ties: the lowest id, as a scan of every partition in order would choose.
        let r = &self.replicas;
        let both = r.lightest(u, v, loads, |a, b| a & b);
        // A partition holding both ends scores at least `gain_u + gain_v`; one holding one end
        // (or none) at most its gain plus the largest balance term, `(max - min) * scale`. When
        // the smaller gain exceeds that term (by more than rounding), the best of "both" wins
        // outright and the other classes need no search: a hub-to-hub edge's ends share most
        // partitions, so this is the common case in HEP's hub phase.
        if let Some(p) = both {
            if gain_u.min(gain_v) > (max - min) * scale + 1e-9 {
                return p;
            }
        }
        let classes = [
            (both, gain_u + gain_v),
            (r.lightest(u, v, loads, |a, b| a & !b), gain_u),
            (r.lightest(u, v, loads, |a, b| !a & b), gain_v),
        ];
        let all = loads.lightest_open();
        let mut best = (f64::NEG_INFINITY, 0u32);
        if loads.is_open(all) {
            let (ru, rv) = (r.row(u), r.row(v));
            let (w, b) = (all as usize / 64, all % 64);
            let bit = |row: &[u64]| f64::from(u8::from(row[w] >> b & 1 == 1));
            best = (score(all, gain_u * bit(ru) + gain_v * bit(rv)), all);
        }
        for (p, gain) in classes {
            if let Some(p) = p {
                let s = score(p, gain);
                if s > best.0 || (s == best.0 && p < best.1) {
                    best = (s, p);
                }
            }
        }
        best.1
    }

    fn placed(&mut self, u: u32, v: u32, part: u32) {
        self.replicas.insert(u, part);
        self.replicas.insert(v, part);
    }

    fn prefetch(&self, u: u32, v: u32) {
        for x in [u, v] {
            prefetch(&self.degree[x as usize]);
            prefetch(&self.replicas.row(x)[0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::numbers;

    /// HDRF's choice by its definition: every open partition's score, the best (ties: the
    /// lowest id; with `lambda > 0` partitions of equal score hold equal loads).
    fn scan(h: &Hdrf, u: u32, v: u32, loads: &Loads, parts: u32) -> u32 {
        let (du, dv) = (f64::from(h.degree[u as usize]), f64::from(h.degree[v as usize]));
        let (max, min) = (loads.max() as f64, loads.min() as f64);
        let holds = |x: u32, p: u32| h.replicas.row(x)[p as usize / 64] >> (p % 64) & 1 == 1;
        let mut best = (f64::NEG_INFINITY, 0);
        for p in (0..parts).filter(|&p| loads.is_open(p)) {
            let rep = [(u, du / (du + dv)), (v, dv / (du + dv))]
                .iter()
                .map(|&(x, theta)| if holds(x, p) { 2.0 - theta } else { 0.0 })
                .sum::<f64>();
            let score = h.lambda * (max - loads.of(p) as f64) / (1.0 + max - min) + rep;
            if score > best.0 {
                best = (score, p);
            }
        }
        best.1
    }

    #[test]
    fn choices_are_the_best_score_of_every_partition() {
        // Four vertices with random replica sets among 70 partitions (two words), some nearly
        // full (so "both" classes are large, as a hub pair's are), random loads, degrees and
        // positive balance weights, including those under which one end's class may beat
        // "both". (With a weight of 0 the load is no part of the score, and `choose` still
        // prefers the lighter of partitions that tie.)
        let mut next = numbers(11);
        let parts = 70;
        for round in 0..400 {
            let capacity = 1_000;
            let per: Vec<u64> = (0..parts).map(|_| 900 + next() % [2, 5, 60, 101][round % 4]).collect();
            let mut loads = Loads::new(per, capacity);
            let mut replicas = ReplicaSets::new(4, parts);
            for v in 0..4u32 {
                let keep = [2, 30, 97, 100][(v as usize + round) % 4];
                for p in (0..parts).filter(|_| next() % 100 < keep) {
                    replicas.insert(v, p);
                }
            }
            let degree: Vec<u32> = (0..4).map(|_| 1 + next() as u32 % [3, 700, 60_000][round % 3]).collect();
            let lambda = [0.05, 0.3, 1.0, 2.5, 40.0][round % 5];
            let mut h = Hdrf { replicas, degree, partial: false, lambda };
            for (u, v) in [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)] {
                let expected = scan(&h, u, v, &loads, parts);
                assert_eq!(h.choose(u, v, &loads), expected, "round {round}, edge {u}-{v}");
                loads.add(expected);
                h.placed(u, v, expected);
            }
        }
    }
}
