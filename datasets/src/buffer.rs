//! `Buffer<T>`: a read-only array that is either owned (`Vec<T>`) or a window into a
//! memory-mapped `.dgraph` file, so that opening a binary graph copies nothing.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use memmap2::Mmap;

#[cfg(not(target_endian = "little"))]
compile_error!("dgraph's memory-mapped graph files assume a little-endian machine");

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
    impl Sealed for f64 {}
}

/// Plain element types that may be viewed directly in a mapped file: every bit pattern is a
/// valid value and the in-file encoding (little-endian) equals the in-memory one.
pub trait Plain: sealed::Sealed + Copy + Send + Sync + 'static {}
impl Plain for u32 {}
impl Plain for u64 {}
impl Plain for f64 {}

/// A read-only array of `T`, owned or borrowed from a shared memory map.
pub struct Buffer<T: Plain> {
    inner: Inner<T>,
}

enum Inner<T> {
    Owned(Vec<T>),
    Mapped { map: Arc<Mmap>, offset: usize, len: usize, _element: PhantomData<T> },
}

impl<T: Plain> Buffer<T> {
    /// A view of `len` elements at byte `offset` of `map`, or `None` when that range is out of
    /// bounds or misaligned for `T`.
    pub(crate) fn mapped(map: Arc<Mmap>, offset: usize, len: usize) -> Option<Self> {
        let bytes = len.checked_mul(std::mem::size_of::<T>())?;
        let end = offset.checked_add(bytes)?;
        if end > map.len() || (map.as_ptr() as usize + offset) % std::mem::align_of::<T>() != 0 {
            return None;
        }
        Some(Buffer { inner: Inner::Mapped { map, offset, len, _element: PhantomData } })
    }

    /// Whether the data lives in a memory-mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.inner, Inner::Mapped { .. })
    }

    /// Bytes of heap memory held (0 for a mapped view: the page cache holds it).
    pub fn heap_bytes(&self) -> usize {
        match &self.inner {
            Inner::Owned(v) => v.capacity() * std::mem::size_of::<T>(),
            Inner::Mapped { .. } => 0,
        }
    }

    /// Bytes of data viewed, owned or mapped.
    pub fn data_bytes(&self) -> usize {
        self.len() * std::mem::size_of::<T>()
    }

    /// An owned copy of the elements.
    pub fn into_vec(self) -> Vec<T> {
        match self.inner {
            Inner::Owned(v) => v,
            Inner::Mapped { .. } => self.deref().to_vec(),
        }
    }
}

impl<T: Plain> Deref for Buffer<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.inner {
            Inner::Owned(v) => v,
            Inner::Mapped { map, offset, len, .. } => {
                // SAFETY: `Buffer::mapped` checked that `offset .. offset + len * size_of::<T>()`
                // lies inside the map and that the start is aligned for `T`. The map is kept
                // alive by the `Arc` we hold for as long as the returned borrow of `self`, it is
                // mapped read-only, and `T: Plain` accepts every bit pattern with the
                // little-endian layout that the file uses (checked at compile time above).
                unsafe { std::slice::from_raw_parts(map.as_ptr().add(*offset).cast::<T>(), *len) }
            }
        }
    }
}

impl<T: Plain> From<Vec<T>> for Buffer<T> {
    fn from(v: Vec<T>) -> Self {
        Buffer { inner: Inner::Owned(v) }
    }
}

impl<T: Plain> Default for Buffer<T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<T: Plain + fmt::Debug> fmt::Debug for Buffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_mapped() { "mapped" } else { "owned" };
        write!(f, "Buffer<{kind}, len {}>", self.len())
    }
}

impl<T: Plain + PartialEq> PartialEq for Buffer<T> {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn mapped_view_reads_the_file_and_rejects_bad_ranges() {
        let mut file = tempfile::tempfile().expect("temp file");
        let values: Vec<u64> = (0..100).map(|i| i * 3).collect();
        for v in &values {
            file.write_all(&v.to_le_bytes()).expect("write");
        }
        // SAFETY: the temporary file is private to this test and not modified while mapped.
        let map = Arc::new(unsafe { Mmap::map(&file) }.expect("map"));
        let view = Buffer::<u64>::mapped(map.clone(), 8, 99).expect("in bounds");
        assert!(view.is_mapped());
        assert_eq!(&view[..], &values[1..]);
        assert_eq!(view.heap_bytes(), 0);
        assert!(Buffer::<u64>::mapped(map.clone(), 8, 100).is_none(), "past the end");
        assert!(Buffer::<u64>::mapped(map.clone(), 4, 1).is_none(), "misaligned");
        assert!(Buffer::<u64>::mapped(map, usize::MAX, 1).is_none(), "overflow");
        assert_eq!(view.into_vec(), values[1..].to_vec());
    }
}
