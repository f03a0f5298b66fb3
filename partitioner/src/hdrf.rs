//! HDRF, High-Degree (are) Replicated First (Petroni et al., CIKM 2015): each edge goes to the
//! partition with the best score `C_rep + C_bal`. `C_rep` favours partitions that already hold
//! an endpoint, the lower-degree endpoint more (`g(u) = 1 + (1 - θ(u))`, `θ(u)` = u's share of
//! the two degrees), so hubs are the ones replicated; `C_bal = λ (max - load) / (1 + max - min)`
//! pulls towards light partitions.

use crate::stream::{Placer, ReplicaSets};

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
    fn choose(&mut self, u: u32, v: u32, loads: &[u64], capacity: u64) -> u32 {
        if self.partial {
            self.degree[u as usize] += 1;
            self.degree[v as usize] += 1;
        }
        let (du, dv) = (f64::from(self.degree[u as usize]), f64::from(self.degree[v as usize]));
        let (theta_u, theta_v) = if du + dv > 0.0 { (du / (du + dv), dv / (du + dv)) } else { (0.5, 0.5) };
        let max = loads.iter().copied().max().unwrap_or(0) as f64;
        let min = loads.iter().copied().min().unwrap_or(0) as f64;
        let scale = self.lambda / (1.0 + max - min);
        let (gain_u, gain_v) = (2.0 - theta_u, 2.0 - theta_v);
        let (ru, rv) = (self.replicas.row(u), self.replicas.row(v));
        let mut best = (f64::NEG_INFINITY, 0u32);
        for (p, &load) in loads.iter().enumerate() {
            if load >= capacity {
                continue;
            }
            let (word, bit) = (p / 64, p % 64);
            let score = (max - load as f64) * scale
                + gain_u * ((ru[word] >> bit) & 1) as f64
                + gain_v * ((rv[word] >> bit) & 1) as f64;
            if score > best.0 {
                best = (score, p as u32);
            }
        }
        best.1
    }

    fn placed(&mut self, u: u32, v: u32, part: u32) {
        self.replicas.insert(u, part);
        self.replicas.insert(v, part);
    }
}
