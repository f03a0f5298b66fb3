//! The floating-point types a program computes in: `f64` (the default, what the references and
//! the Graphalytics definitions use) or `f32` (half the memory traffic per value; the precision
//! of GAP's and the `graph` crate's PageRank and of the crate's SSSP).

use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Sub};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// `f32` or `f64`, with an atomic cell for parallel minimums.
pub trait Real:
    Copy
    + Send
    + Sync
    + Debug
    + PartialEq
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + 'static
{
    /// 0.
    const ZERO: Self;
    /// -0: the identity of addition, bit for bit (`-0.0 + x` is `x` for every `x`).
    const NEG_ZERO: Self;
    /// The nearest value to `x`.
    fn from_f64(x: f64) -> Self;
    /// The value as an `f64` (exact).
    fn to_f64(self) -> f64;
    /// An atomic cell holding a value (its bit pattern).
    type Atomic: Send + Sync;
    /// A cell holding `x`.
    fn atomic(x: Self) -> Self::Atomic;
    /// The cell's value.
    fn load(cell: &Self::Atomic) -> Self;
    /// Lowers the cell to `x` if `x` is smaller; whether it did. For non-negative values only
    /// (they order like their bit patterns). Most attempts fail, so a plain load comes first
    /// and the compare-exchange only when `x` is smaller.
    fn lower_non_negative(cell: &Self::Atomic, x: Self) -> bool;
}

macro_rules! lower {
    ($cell:expr, $bits:expr) => {{
        let bits = $bits;
        let mut current = $cell.load(Ordering::Relaxed);
        loop {
            if bits >= current {
                break false;
            }
            match $cell.compare_exchange_weak(current, bits, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => break true,
                Err(now) => current = now,
            }
        }
    }};
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const NEG_ZERO: f64 = -0.0;

    #[inline]
    fn from_f64(x: f64) -> f64 {
        x
    }

    #[inline]
    fn to_f64(self) -> f64 {
        self
    }

    type Atomic = AtomicU64;

    #[inline]
    fn atomic(x: f64) -> AtomicU64 {
        AtomicU64::new(x.to_bits())
    }

    #[inline]
    fn load(cell: &AtomicU64) -> f64 {
        f64::from_bits(cell.load(Ordering::Relaxed))
    }

    #[inline]
    fn lower_non_negative(cell: &AtomicU64, x: f64) -> bool {
        lower!(cell, x.to_bits())
    }
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const NEG_ZERO: f32 = -0.0;

    #[inline]
    fn from_f64(x: f64) -> f32 {
        x as f32
    }

    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    type Atomic = AtomicU32;

    #[inline]
    fn atomic(x: f32) -> AtomicU32 {
        AtomicU32::new(x.to_bits())
    }

    #[inline]
    fn load(cell: &AtomicU32) -> f32 {
        f32::from_bits(cell.load(Ordering::Relaxed))
    }

    #[inline]
    fn lower_non_negative(cell: &AtomicU32, x: f32) -> bool {
        lower!(cell, x.to_bits())
    }
}

/// The floating-point precision of an algorithm's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// `f64`: the default; results match the sequential references to about 1e-15.
    #[default]
    Double,
    /// `f32`: values, messages and path sums in single precision (about 7 significant digits,
    /// within the Graphalytics tolerance of 1e-4), half the memory per value.
    Single,
}

impl Precision {
    /// Every precision with its name.
    pub const ALL: [(Precision, &'static str); 2] = [(Precision::Double, "double"), (Precision::Single, "single")];

    /// `double` or `single`.
    pub fn name(self) -> &'static str {
        match self {
            Precision::Double => "double",
            Precision::Single => "single",
        }
    }

    /// The precision called `name` (`double`/`f64` or `single`/`f32`, any case).
    pub fn from_name(name: &str) -> Option<Precision> {
        match name.to_ascii_lowercase().as_str() {
            "double" | "f64" => Some(Precision::Double),
            "single" | "f32" => Some(Precision::Single),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_is_the_identity_of_addition_bit_for_bit() {
        for x in [0.0, -0.0, 1.5, -2.25, f64::MIN_POSITIVE / 4.0, f64::INFINITY, f64::NEG_INFINITY, f64::MAX] {
            assert_eq!((f64::NEG_ZERO + x).to_bits(), x.to_bits(), "{x:e}");
            assert_eq!((f32::NEG_ZERO + x as f32).to_bits(), (x as f32).to_bits(), "{x:e}");
        }
        // +0 is not: it turns -0 into +0.
        assert_ne!((f64::ZERO + -0.0f64).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn names_round_trip() {
        for (p, name) in Precision::ALL {
            assert_eq!(p.name(), name);
            assert_eq!(Precision::from_name(name), Some(p));
        }
        assert_eq!(Precision::from_name("F32"), Some(Precision::Single));
        assert_eq!(Precision::from_name("half"), None);
    }

    #[test]
    fn atomic_minimum_of_non_negative_values() {
        fn check<F: Real>(values: [F; 4]) {
            let cell = F::atomic(values[0]);
            assert!(!F::lower_non_negative(&cell, values[1]), "larger does not lower");
            assert!(F::lower_non_negative(&cell, values[2]), "smaller lowers");
            assert_eq!(F::load(&cell), values[2]);
            assert!(F::lower_non_negative(&cell, values[3]), "zero is the smallest");
            assert!(!F::lower_non_negative(&cell, values[3]), "equal does not lower");
            assert_eq!(F::load(&cell), values[3]);
        }
        check::<f64>([2.5, f64::INFINITY, 1e-300, 0.0]);
        check::<f32>([2.5, f32::INFINITY, 1e-40, 0.0]);
    }

    #[test]
    fn conversions() {
        assert_eq!(f32::from_f64(0.1).to_f64(), f64::from(0.1f32));
        assert_eq!(f64::from_f64(0.1), 0.1);
    }
}
