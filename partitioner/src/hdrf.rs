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
        let classes = [
            (r.lightest(u, v, loads, |a, b| a & b), gain_u + gain_v),
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
