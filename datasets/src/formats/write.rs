//! Writing text formats: atomic file creation (temporary file renamed on success) and parallel
//! formatting of edge lines in vertex blocks, written in order.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::vertex_blocks;
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::progress::{Progress, Unit};

/// Writes several files so that either all appear complete or none does: each is written to a
/// temporary file in its directory and renamed once every file is written. `fill(i, out)`
/// writes file `i`.
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written; no file is left behind.
pub fn write_atomically(
    paths: &[&Path],
    mut fill: impl FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut temps = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".dgraph-partial-");
        // Like any file the user creates: 0666 less the umask (tempfile's default is 0600,
        // which the rename would keep).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder.tempfile_in(&dir).map_err(|e| match std::fs::metadata(&dir) {
            // The directory is missing or unreadable: the system's reason for it.
            Err(why) => Error::io(*path, why),
            // The temporary file's random name, which tempfile's message adds, means nothing
            // to the user: keep the reason only.
            Ok(_) => Error::io(*path, std::io::Error::new(e.kind(), e.kind().to_string())),
        })?;
        let mut writer = BufWriter::with_capacity(1 << 20, temp);
        fill(i, &mut writer).map_err(|e| Error::io(*path, e))?;
        let temp = writer.into_inner().map_err(|e| Error::io(*path, e.into_error()))?;
        temps.push(temp);
    }
    for (temp, path) in temps.into_iter().zip(paths) {
        temp.persist(path).map_err(|e| Error::io(*path, e.error))?;
    }
    Ok(())
}

/// How edge lines are written.
pub(crate) struct EdgeStyle {
    /// Written before each line (`"a "` for DIMACS-like output); empty for none.
    pub(crate) prefix: &'static str,
    /// Write dense ids + 1 (Matrix Market) instead of external ids.
    pub(crate) one_based_dense: bool,
    /// Write an undirected edge with the larger endpoint first (Matrix Market lower triangle).
    pub(crate) larger_first: bool,
}

/// Writes every edge as one line `u v [w]`: each arc of a directed graph, each edge of an
/// undirected graph once.
pub(crate) fn write_edges(
    graph: &Graph,
    out: &mut dyn Write,
    style: &EdgeStyle,
    progress: &dyn Progress,
) -> std::io::Result<()> {
    let csr = graph.out_edges();
    let directed = graph.is_directed();
    let ids = graph.ids();
    progress.start("writing edges", Some(graph.edge_count()), Unit::Edges);
    let blocks = vertex_blocks(csr.offsets());
    let id_of = |v: u32| if style.one_based_dense { u64::from(v) + 1 } else { ids.external(v) };
    for batch in blocks.chunks(64) {
        let texts: Vec<(Vec<u8>, u64)> = batch
            .par_iter()
            .map(|range| {
                let mut text =
                    Vec::with_capacity(16 * (csr.offsets()[range.end] - csr.offsets()[range.start]) as usize);
                let mut count = 0;
                let mut buf = itoa::Buffer::new();
                for u in range.clone() {
                    let u = u as u32;
                    let weights = csr.neighbor_weights(u);
                    for (i, &v) in csr.neighbors(u).iter().enumerate() {
                        if !directed && v < u {
                            continue;
                        }
                        let (a, b) = if !directed && style.larger_first { (v, u) } else { (u, v) };
                        text.extend_from_slice(style.prefix.as_bytes());
                        text.extend_from_slice(buf.format(id_of(a)).as_bytes());
                        text.push(b' ');
                        text.extend_from_slice(buf.format(id_of(b)).as_bytes());
                        if let Some(w) = weights {
                            // `{}` prints the shortest text that reads back as the same f64.
                            let _ = write!(text, " {}", w[i]);
                        }
                        text.push(b'\n');
                        count += 1;
                    }
                }
                (text, count)
            })
            .collect();
        for (text, count) in texts {
            out.write_all(&text)?;
            progress.advance(count);
        }
    }
    progress.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn written_files_get_the_permissions_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let (ours, plain) = (dir.path().join("ours.txt"), dir.path().join("plain.txt"));
        write_atomically(&[&ours], |_, out| out.write_all(b"x")).expect("writes");
        std::fs::write(&plain, b"x").expect("writes");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&ours), mode(&plain));
    }
}
