//! The previous build's folder, kept beside `--out` as `.<name>.previous`
//! and written over by the next build.
//!
//! On ext4 without a journal, every file made soon after thousands were
//! deleted costs a scan of the inodes freed lately, and every page written
//! is written out to disk again. At 1,500 cases a build into a new folder,
//! with the replaced one deleted, took 0.49–0.79 s; writing over the kept
//! build's files 0.41–0.58 s; leaving alone those that hold the same bytes
//! already (most, on most days) 0.35–0.37 s, as on tmpfs. What the new
//! build no longer makes is removed after it is written.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use super::is_marked;

/// The kept folder's name beside `--out` named `name`.
pub(super) fn name(name: &str) -> String {
    format!(".{name}.previous")
}

/// What a reused folder held before the build wrote into it.
#[derive(Debug, Default)]
pub(super) struct Kept {
    /// Output-relative paths of its files, `/`-separated.
    files: Vec<String>,
    /// Its folders, parents before children.
    dirs: Vec<String>,
}

/// Moves the kept folder at `previous` to `staging` when it is biaogan's
/// and can be reused, and lists it; `None` when there is none (`staging`
/// is then not made). Whatever could lead a write out of the folder or
/// into a file kept elsewhere is removed first: links, and files with a
/// second name (a deployment may hard-link the published files); so are
/// files whose permissions are not those of a new file (a write would
/// keep them, or fail), or that are someone else's. A folder like that
/// is not reused.
pub(super) fn take(previous: &Path, staging: &Path) -> Option<Kept> {
    let meta = fs::symlink_metadata(previous).ok()?;
    if !meta.is_dir() || !is_marked(previous) {
        return None;
    }
    // One build takes it; a build running alongside starts afresh.
    fs::rename(previous, staging).ok()?;
    match list(staging) {
        Ok(kept) => Some(kept),
        Err(_) => {
            // Not reusable after all: start from an empty folder, leaving
            // what cannot be removed where it was.
            if fs::remove_dir_all(staging).is_err() {
                let _ = fs::rename(staging, previous);
            }
            None
        }
    }
}

#[cfg(unix)]
fn list(root: &Path) -> io::Result<Kept> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let modes = new_modes();
    // Ours, and with the permissions a new file or folder gets (or at
    // least writable, where the umask cannot be read).
    let as_new = |m: &fs::Metadata| {
        let mode = m.mode() & 0o7777;
        let fits = match modes {
            Some((file, dir)) => mode == if m.is_dir() { dir } else { file },
            None => mode & 0o200 != 0,
        };
        m.uid() == me && fits
    };
    let unusable = || io::Error::other("a folder biaogan cannot write into");
    if !as_new(&fs::symlink_metadata(root)?) {
        return Err(unusable());
    }
    let mut kept = Kept::default();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry?;
        let rel = relative(root, entry.path())?;
        let kind = entry.file_type();
        let meta = entry.metadata()?;
        if kind.is_dir() {
            if !as_new(&meta) {
                return Err(unusable());
            }
            kept.dirs.push(rel);
        } else if kind.is_file() && meta.nlink() == 1 && as_new(&meta) {
            kept.files.push(rel);
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(kept)
}

/// The permissions of a file and of a folder made now (from the umask in
/// `/proc/self/status`; reading the umask with `umask()` would change it
/// while other threads run).
#[cfg(unix)]
fn new_modes() -> Option<(u32, u32)> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    let umask = u32::from_str_radix(line.trim(), 8).ok()?;
    Some((0o666 & !umask, 0o777 & !umask))
}

/// Hard links cannot be told apart here: nothing is reused.
#[cfg(not(unix))]
fn list(_: &Path) -> io::Result<Kept> {
    Err(io::Error::other("not reused"))
}

fn relative(root: &Path, path: &Path) -> io::Result<String> {
    let rel = path.strip_prefix(root).map_err(io::Error::other)?;
    let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
    parts
        .map(|p| p.join("/"))
        .ok_or_else(|| io::Error::other("file name is not UTF-8"))
}

impl Kept {
    /// Removes from `root` every file and folder that is not one of
    /// `made` (output-relative paths) or a folder holding one.
    pub(super) fn prune<'a>(
        &self,
        root: &Path,
        made: impl Iterator<Item = &'a str>,
    ) -> io::Result<()> {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for path in made {
            files.insert(path);
            let mut rest = path;
            while let Some((dir, _)) = rest.rsplit_once('/') {
                if !dirs.insert(dir) {
                    break;
                }
                rest = dir;
            }
        }
        // A path made as the other kind was cleared when it was written.
        let stale = |p: &&String| !files.contains(p.as_str()) && !dirs.contains(p.as_str());
        for f in self.files.iter().filter(stale) {
            gone(fs::remove_file(root.join(f)))?;
        }
        for d in self.dirs.iter().filter(stale) {
            gone(fs::remove_dir_all(root.join(d)))?;
        }
        Ok(())
    }
}

/// Whether the kept file at `path` holds `bytes` already (then it is left
/// as it is: on disk, a page written again is written out again).
pub(super) fn holds(path: &Path, bytes: &[u8]) -> bool {
    let same_size =
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Clears the way for a file at `rel` under `root` where a kept folder
/// has a folder at that path, or a file where the path needs a folder.
pub(super) fn clear_way(root: &Path, rel: &str) -> io::Result<()> {
    let mut at = root.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        let Ok(meta) = fs::symlink_metadata(&at) else {
            return Ok(());
        };
        let last = parts.peek().is_none();
        if last && meta.is_dir() {
            gone(fs::remove_dir_all(&at))?;
        } else if !last && !meta.is_dir() {
            gone(fs::remove_file(&at))?;
            return Ok(());
        }
    }
    Ok(())
}

/// A removal whose path is already gone (a folder above it went first, or
/// became a file).
fn gone(r: io::Result<()>) -> io::Result<()> {
    use io::ErrorKind::{NotADirectory, NotFound};
    match r {
        Err(e) if matches!(e.kind(), NotFound | NotADirectory) => Ok(()),
        r => r,
    }
}
