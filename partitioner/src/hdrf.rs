//! HDRF, High-Degree (are) Replicated First (Petroni et al., CIKM 2015): each edge goes to the
//! partition with the best score `C_rep + C_bal`. `C_rep` favours partitions that already hold
//! an endpoint, the lower-degree endpoint more (`g(u) = 1 + (1 - θ(u))`, `θ(u)` = u's share of
//! the two partial degrees), so hubs are the ones replicated; `C_bal = λ (max - load) / (1 + max
//! - min)` pulls towards light partitions.

use crate::stream::{Placer, ReplicaSets};

/// HDRF placement state.
pub(crate) struct Hdrf {
    pub(crate) replicas: ReplicaSets,
    /// Degrees seen so far in the stream.
    pub(crate) partial: Vec<u32>,
    /// Balance weight λ (1 in the paper's main results).
    pub(crate) lambda: f64,
}

impl Placer for Hdrf {
    fn choose(&mut self, u: u32, v: u32, loads: &[u64], capacity: u64) -> u32 {
        self.partial[u as usize] += 1;
        self.partial[v as usize] += 1;
        let (du, dv) = (f64::from(self.partial[u as usize]), f64::from(self.partial[v as usize]));
        let (theta_u, theta_v) = (du / (du + dv), dv / (du + dv));
        let max = loads.iter().copied().max().unwrap_or(0) as f64;
        let min = loads.iter().copied().min().unwrap_or(0) as f64;
        let mut best = (f64::NEG_INFINITY, 0u32);
        for (p, &load) in loads.iter().enumerate() {
            if load >= capacity {
                continue;
            }
            let p = p as u32;
            let mut score = self.lambda * (max - load as f64) / (1.0 + max - min);
            if self.replicas.contains(u, p) {
                score += 2.0 - theta_u;
            }
            if self.replicas.contains(v, p) {
                score += 2.0 - theta_v;
            }
            if score > best.0 {
                best = (score, p);
            }
        }
        best.1
    }

    fn placed(&mut self, u: u32, v: u32, part: u32) {
        self.replicas.insert(u, part);
        self.replicas.insert(v, part);
    }
}
