//! Counter-based randomness: every random value is a pure function of (seed, stream, index), so
//! generators give byte-identical graphs whatever the number of threads.

/// SplitMix64's finaliser: a strong 64-bit mixing function.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The random value number `index` of `stream` for `seed`.
#[inline]
pub(crate) fn hash3(seed: u64, stream: u64, index: u64) -> u64 {
    mix64(mix64(seed ^ mix64(stream.wrapping_add(0x9e37_79b9_7f4a_7c15))).wrapping_add(index))
}

/// A SplitMix64 sequence.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(state: u64) -> Self {
        SplitMix(state)
    }

    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
    #[inline]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// A uniformly random permutation of `0..n` (Fisher-Yates), a function of `seed` only.
pub(crate) fn permutation(n: u32, seed: u64) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n).collect();
    let mut rng = SplitMix::new(hash3(seed, 0x7065_726d, 0));
    for i in (1..p.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        p.swap(i, j);
    }
    p
}

/// An integer weight in `1..=255` as in Graph500 and GAP, for edge `index`.
#[inline]
pub(crate) fn weight(seed: u64, index: u64) -> f64 {
    (1 + hash3(seed, 0x7765_6967, index) % 255) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_a_bijection_and_seeded() {
        let mut p = permutation(1000, 3);
        assert_ne!(p, (0..1000).collect::<Vec<_>>());
        assert_eq!(p, permutation(1000, 3));
        assert_ne!(p, permutation(1000, 4));
        p.sort_unstable();
        assert_eq!(p, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn below_stays_in_range_and_weights_in_1_to_255() {
        let mut r = SplitMix::new(1);
        assert!((0..10_000).all(|_| r.below(7) < 7));
        assert!((0..10_000).all(|i| (1.0..=255.0).contains(&weight(9, i))));
    }
}
