//! Shared machinery of the text readers: streaming block reads split at line boundaries and
//! parsed in parallel, line and field scanning, and id/weight tokens with precise errors.
//!
//! A file is never held whole in memory: it is read in blocks of [`BLOCK_BYTES`]; each block is
//! cut at its last newline (the tail is carried into the next block) and split into pieces that
//! rayon parses concurrently. Pieces report their line count so that errors get global line
//! numbers; the first error in file order wins.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::progress::Progress;

/// Bytes read per block.
pub(crate) const BLOCK_BYTES: usize = 16 << 20;
/// Smallest piece handed to one rayon task.
const MIN_PIECE_BYTES: usize = 256 << 10;

/// An error inside a piece: line relative to the piece (1-based) and column (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LocalError {
    pub(crate) line: u64,
    pub(crate) column: u64,
    pub(crate) message: String,
}

/// What a piece parser returns.
pub(crate) struct Parsed<T> {
    pub(crate) value: T,
    /// Lines in the piece (the last one may lack its newline).
    pub(crate) lines: u64,
    pub(crate) error: Option<LocalError>,
}

/// A parsed piece with the global number of its first line.
pub(crate) struct Piece<T> {
    pub(crate) value: T,
    pub(crate) first_line: u64,
}

/// Reads `reader` to the end in blocks and parses each block's pieces in parallel with `parse`.
/// `first_line` is the global number of the first line read (for files with a header parsed
/// before). Advances `progress` by bytes.
pub(crate) fn parse_parallel<R: Read, T: Send>(
    name: &Path,
    mut reader: R,
    first_line: u64,
    progress: &dyn Progress,
    parse: impl Fn(&[u8]) -> Parsed<T> + Sync,
) -> Result<Vec<Piece<T>>> {
    let mut pieces = Vec::new();
    let mut buffer: Vec<u8> = Vec::new();
    let mut next_line = first_line;
    let mut eof = false;
    let mut blocks = 0usize;
    while !eof {
        // Fill up to one block after the carried tail. Blocks start at 64 KiB and double up to
        // BLOCK_BYTES, so a small file costs a small buffer.
        let block = (64usize << 10 << blocks.min(8)).min(BLOCK_BYTES);
        blocks += 1;
        let carried = buffer.len();
        buffer.resize(carried + block, 0);
        let mut filled = carried;
        while filled < buffer.len() {
            match reader.read(&mut buffer[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => filled += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(name, e)),
            }
        }
        buffer.truncate(filled);
        progress.advance((filled - carried) as u64);
        let end = if eof {
            buffer.len()
        } else {
            match memchr::memrchr(b'\n', &buffer) {
                Some(i) => i + 1,
                None => continue, // a line longer than the buffer: read more
            }
        };
        let block = &buffer[..end];
        let results: Vec<Parsed<T>> = split_pieces(block).par_iter().map(|&(s, e)| parse(&block[s..e])).collect();
        for parsed in results {
            if let Some(err) = parsed.error {
                return Err(Error::parse(name, next_line + err.line - 1, err.column, err.message));
            }
            pieces.push(Piece { value: parsed.value, first_line: next_line });
            next_line += parsed.lines;
        }
        buffer.drain(..end);
    }
    Ok(pieces)
}

/// Cuts `block` into byte ranges that end just after a newline (or at the end of the block).
fn split_pieces(block: &[u8]) -> Vec<(usize, usize)> {
    let wanted = rayon::current_num_threads() * 4;
    let size = (block.len() / wanted.max(1)).max(MIN_PIECE_BYTES);
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < block.len() {
        let goal = start + size;
        let end = if goal >= block.len() {
            block.len()
        } else {
            memchr::memchr(b'\n', &block[goal..]).map_or(block.len(), |i| goal + i + 1)
        };
        ranges.push((start, end));
        start = end;
    }
    ranges
}

/// Iterates over the lines of a piece: `(line slice without '\n' or '\r', byte offset)`.
pub(crate) fn lines(piece: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = piece;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

/// Whitespace-separated fields of one line, with their 1-based columns.
pub(crate) struct Fields<'a> {
    line: &'a [u8],
    pos: usize,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(line: &'a [u8]) -> Self {
        Fields { line, pos: 0 }
    }

    /// The fields of `line` from byte `pos` on (columns still count from the line's start).
    pub(crate) fn starting_at(line: &'a [u8], pos: usize) -> Self {
        Fields { line, pos }
    }

    /// The column just past the last field returned (where a missing field was expected).
    pub(crate) fn column(&self) -> u64 {
        self.pos as u64 + 1
    }
}

impl<'a> Iterator for Fields<'a> {
    /// `(1-based column, field bytes)`
    type Item = (u64, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let line = self.line;
        let mut i = self.pos;
        while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        if i == line.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
            i += 1;
        }
        self.pos = i;
        Some((start as u64 + 1, &line[start..i]))
    }
}

/// The first non-blank byte of a line.
#[inline]
pub(crate) fn first_byte(line: &[u8]) -> Option<u8> {
    line.iter().copied().find(|&b| b != b' ' && b != b'\t')
}

/// A field as shown in messages: quoted, lossy UTF-8, at most 40 characters.
pub(crate) fn shown(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field);
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push_str("...");
    }
    format!("{s:?}")
}

/// Parses a non-negative decimal id. `what` names the field in messages ("a vertex id").
#[inline]
pub(crate) fn parse_u64(field: &[u8], what: &str) -> std::result::Result<u64, String> {
    if !field.is_empty() && field.len() <= 19 && field.iter().all(u8::is_ascii_digit) {
        return Ok(field.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')));
    }
    slow_parse_u64(field, what)
}

#[cold]
fn slow_parse_u64(field: &[u8], what: &str) -> std::result::Result<u64, String> {
    let digits = field.strip_prefix(b"+").unwrap_or(field);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        if field.len() > 1 && field[0] == b'-' && field[1..].iter().all(u8::is_ascii_digit) {
            return Err(format!("{what} cannot be negative, found {}", shown(field)));
        }
        return Err(format!("expected {what}, found {}", shown(field)));
    }
    digits
        .iter()
        .try_fold(0u64, |acc, &d| acc.checked_mul(10)?.checked_add(u64::from(d - b'0')))
        .ok_or_else(|| format!("{what} {} is above the largest id, u64::MAX = {}", shown(field), u64::MAX))
}

/// Parses a finite decimal weight.
#[inline]
pub(crate) fn parse_weight(field: &[u8]) -> std::result::Result<f64, String> {
    let value = std::str::from_utf8(field)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or_else(|| format!("expected a weight (a decimal number), found {}", shown(field)))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("weight {} is not a finite number", shown(field)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn ids_parse_with_precise_messages() {
        assert_eq!(parse_u64(b"0", "a vertex id"), Ok(0));
        assert_eq!(parse_u64(b"18446744073709551615", "a vertex id"), Ok(u64::MAX));
        assert_eq!(parse_u64(b"+7", "a vertex id"), Ok(7));
        let over = parse_u64(b"18446744073709551616", "a vertex id").expect_err("overflow");
        assert!(over.contains("above the largest id"), "{over}");
        let neg = parse_u64(b"-3", "a vertex id").expect_err("negative");
        assert!(neg.contains("cannot be negative"), "{neg}");
        assert_eq!(parse_u64(b"x1", "a vertex id"), Err("expected a vertex id, found \"x1\"".into()));
        assert!(parse_u64(b"", "a vertex id").is_err());
    }

    #[test]
    fn weights_must_be_finite_numbers() {
        assert_eq!(parse_weight(b"0.25"), Ok(0.25));
        assert_eq!(parse_weight(b"-2e3"), Ok(-2000.0));
        for bad in [&b"nan"[..], b"inf", b"-Infinity"] {
            assert!(parse_weight(bad).expect_err("not finite").contains("not a finite number"));
        }
        assert!(parse_weight(b"abc").expect_err("text").contains("expected a weight"));
    }

    #[test]
    fn fields_and_lines_split_as_documented() {
        let f: Vec<_> = Fields::new(b"  12\t 34 x").collect();
        assert_eq!(f, vec![(3, &b"12"[..]), (7, &b"34"[..]), (10, &b"x"[..])]);
        let l: Vec<_> = lines(b"a\r\nb\n\nc").collect();
        assert_eq!(l, vec![&b"a"[..], b"b", b"", b"c"]);
    }

    #[test]
    fn parallel_parse_numbers_lines_globally_across_blocks() {
        // 3 blocks' worth of lines; the bad line is near the end.
        let line = b"1234567 7654321\n";
        let count = 2 * BLOCK_BYTES / line.len() + 10;
        let mut text = line.repeat(count);
        text.extend_from_slice(b"1 oops\n");
        let result = parse_parallel(Path::new("f.el"), &text[..], 1, &Silent, |piece| {
            let mut n = 0;
            for l in lines(piece) {
                n += 1;
                if l.ends_with(b"oops") {
                    return Parsed {
                        value: (),
                        lines: n,
                        error: Some(LocalError { line: n, column: 3, message: "bad".into() }),
                    };
                }
            }
            Parsed { value: (), lines: n, error: None }
        });
        let err = result.err().expect("error found").to_string();
        assert_eq!(err, format!("f.el:{}:3: bad", count + 1));
    }

    #[test]
    fn pieces_end_at_newlines() {
        let text = b"1 2\n".repeat(200_000);
        for (s, e) in split_pieces(&text) {
            assert!(e == text.len() || text[e - 1] == b'\n');
            assert!(s == 0 || text[s - 1] == b'\n');
        }
    }
}
