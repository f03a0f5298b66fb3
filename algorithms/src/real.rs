//! The floating-point types a program computes in: `f64` (the default, what the references and
//! the Graphalytics definitions use) or `f32` (half the memory traffic per value; the precision
//! that GAP's and the `graph` crate's PageRank use).

use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Sub};

/// `f32` or `f64`.
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
    /// The nearest value to `x`.
    fn from_f64(x: f64) -> Self;
    /// The value as an `f64` (exact).
    fn to_f64(self) -> f64;
}

impl Real for f64 {
    const ZERO: f64 = 0.0;

    #[inline]
    fn from_f64(x: f64) -> f64 {
        x
    }

    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
}

impl Real for f32 {
    const ZERO: f32 = 0.0;

    #[inline]
    fn from_f64(x: f64) -> f32 {
        x as f32
    }

    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

/// The floating-point precision of an algorithm's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// `f64`: the default; results match the sequential references to about 1e-15.
    #[default]
    Double,
    /// `f32`: values and messages in single precision (about 7 significant digits, within the
    /// Graphalytics tolerance of 1e-4), half the memory per value.
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
    fn names_round_trip() {
        for (p, name) in Precision::ALL {
            assert_eq!(p.name(), name);
            assert_eq!(Precision::from_name(name), Some(p));
        }
        assert_eq!(Precision::from_name("F32"), Some(Precision::Single));
        assert_eq!(Precision::from_name("half"), None);
    }

    #[test]
    fn conversions() {
        assert_eq!(f32::from_f64(0.1).to_f64(), f64::from(0.1f32));
        assert_eq!(f64::from_f64(0.1), 0.1);
    }
}
