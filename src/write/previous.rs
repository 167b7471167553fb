//! The previous build's folder, kept beside `--out` as `.<name>.previous`
//! and written over by the next build.
//!
//! On ext4 without a journal, every file made soon after thousands were
//! deleted costs a scan of the inodes freed lately, and every page written
//! is written out to disk again. At 1,500 cases a build into a new folder,
//! with the replaced one deleted, took 0.49–0.79 s; writing over the kept
//! build's files 0.41–0.58 s; leaving alone those that hold the same bytes
//! already (most, on most days) 0.35–0.41 s, as on tmpfs. What the new
//! build no longer makes is removed after it is written.
//!
//! Only on unix, where a file with a second name (a hard link) can be told
//! apart; elsewhere the replaced output is deleted as before.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::failure::{at, Trouble};
use super::{is_marked, MARKER, MARKER_TEXT};

/// The kept folder's name beside `--out` named `name`.
pub(super) fn name(name: &str) -> String {
    format!(".{name}.previous")
}

/// What a reused folder held before the build wrote into it.
#[derive(Debug, Default)]
pub(super) struct Kept {
    /// Where the folder is found again when the build fails (the kept
    /// folder's name, not the staging one): messages name paths under it.
    shown: PathBuf,
    /// Output-relative paths of its files, `/`-separated.
    files: Vec<String>,
    /// Its folders, parents before children.
    dirs: Vec<String>,
    /// One thread at a time clears a path ([`Kept::clear_way`]): two pages
    /// under a path that was a file both find it in their way.
    clearing: Mutex<()>,
    /// Whether any path was cleared (then the build's files are checked).
    cleared: AtomicBool,
}

/// Moves the kept folder at `previous` to `staging` when it is biaogan's
/// and can be reused, and lists it; `None` when there is none (`staging`
/// is then not made). Whatever could lead a write out of the folder or
/// into a file kept elsewhere is removed first: links, and files with a
/// second name (a deployment may hard-link the published files); so are
/// files whose permissions are not those of a new file (a write would
/// keep them, or fail), or that are someone else's. A kept folder like
/// that is deleted, and an error when it cannot be: it holds an earlier
/// site, which may show what has since been removed.
pub(super) fn take(previous: &Path, staging: &Path) -> io::Result<Option<Kept>> {
    let Ok(meta) = fs::symlink_metadata(previous) else {
        return Ok(None);
    };
    if !cfg!(unix) || !meta.is_dir() || !is_marked(previous) {
        return Ok(None);
    }
    // One build takes it; a build running alongside starts afresh.
    if fs::rename(previous, staging).is_err() {
        return Ok(None);
    }
    // A marker with a second name is removed in cleaning: marked again,
    // the folder stays biaogan's if this build fails.
    let mark = |kept: Kept| match is_marked(staging) {
        true => Ok(kept),
        false => fs::write(staging.join(MARKER), MARKER_TEXT).map(|()| kept),
    };
    match clean_and_list(staging).and_then(mark) {
        Ok(kept) => Ok(Some(Kept {
            shown: previous.to_path_buf(),
            ..kept
        })),
        Err(_) => match fs::remove_dir_all(staging) {
            Ok(()) => Ok(None),
            Err(e) => {
                let _ = fs::rename(staging, previous);
                Err(at("删除上次生成时保留的旧网站", previous)(e))
            }
        },
    }
}

/// Owner, group and permission bits (setgid included) of a file or folder.
#[cfg(unix)]
type Access = (u32, u32, u32);

#[cfg(unix)]
fn access(m: &fs::Metadata) -> Access {
    use std::os::unix::fs::MetadataExt;
    (m.uid(), m.gid(), m.mode() & 0o7777)
}

#[cfg(unix)]
fn clean_and_list(root: &Path) -> io::Result<Kept> {
    use std::os::unix::fs::MetadataExt;
    let (dir_like, file_like) = new_entries(root)?;
    // Owner, group and permission bits (setgid included) as a new folder
    // or file beside it gets them: from the umask, a setgid parent, a
    // default ACL.
    let as_new = |m: &fs::Metadata| access(m) == if m.is_dir() { dir_like } else { file_like };
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

/// The suffix of the probe folder made beside the kept folder.
pub(super) const PROBE: &str = ".probe";

/// The file made in the probe folder.
const PROBE_FILE: &str = "f";

/// Owner, group and permission bits of a folder made beside `root` and of
/// a file made in it: a probe, removed at once.
#[cfg(unix)]
fn new_entries(root: &Path) -> io::Result<(Access, Access)> {
    let probe = super::beside(root, PROBE);
    fs::create_dir(&probe)?;
    let file = probe.join(PROBE_FILE);
    let made =
        fs::write(&file, b"").and_then(|()| Ok((fs::metadata(&probe)?, fs::metadata(&file)?)));
    let _ = fs::remove_dir_all(&probe);
    let (d, f) = made?;
    Ok((access(&d), access(&f)))
}

/// Whether `dir` is a probe folder a killed build left: a real folder
/// holding nothing, or only the probe's empty file.
pub(super) fn is_probe(dir: &Path) -> bool {
    super::left_behind(dir, |e| {
        e.file_name() == PROBE_FILE && e.metadata().is_ok_and(|m| m.is_file() && m.len() == 0)
    })
}

#[cfg(not(unix))]
fn clean_and_list(_: &Path) -> io::Result<Kept> {
    Err(io::Error::other("not reused"))
}

#[cfg(unix)]
fn relative(root: &Path, path: &Path) -> io::Result<String> {
    let rel = path.strip_prefix(root).map_err(io::Error::other)?;
    let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
    parts
        .map(|p| p.join("/"))
        .ok_or_else(|| io::Error::other("file name is not UTF-8"))
}

/// Whether the kept file at `path` holds `bytes` already. It is then left
/// as it is, but for its modification time, set to now: a deployment that
/// copies only newer files must not find it older than the output it
/// replaces (which may have held other bytes).
pub(super) fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let same_size =
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if !same_size {
        return false;
    }
    let mut open = fs::File::options();
    open.read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NOFOLLOW);
    let Ok(mut file) = open.open(path) else {
        return false;
    };
    let mut old = Vec::with_capacity(bytes.len());
    let same = file.read_to_end(&mut old).is_ok() && old == bytes;
    same && file.set_modified(std::time::SystemTime::now()).is_ok()
}

impl Kept {
    /// Removes from `root` every file and folder that is not one of
    /// `made` (output-relative paths) or a folder holding one. When a path
    /// was cleared, checks that each of `made` is a file: two files of one
    /// build where one needs the other's path as a folder are an error, as
    /// they are in a new folder.
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
        if self.cleared.load(Ordering::Relaxed) {
            for f in &files {
                if !fs::symlink_metadata(root.join(f)).is_ok_and(|m| m.is_file()) {
                    return Err(Trouble::Collision(f.to_string()).into_io());
                }
            }
        }
        // A path made as the other kind was cleared when it was written.
        let stale = |p: &&String| !files.contains(p.as_str()) && !dirs.contains(p.as_str());
        for f in self.files.iter().filter(stale) {
            let removed = fs::remove_file(root.join(f));
            ignore_vanished(removed).map_err(at("删除", &self.shown.join(f)))?;
        }
        for d in self.dirs.iter().filter(stale) {
            let removed = fs::remove_dir_all(root.join(d));
            ignore_vanished(removed).map_err(at("删除", &self.shown.join(d)))?;
        }
        Ok(())
    }

    /// Clears the way for a file at `rel` under `root` where the kept
    /// folder has a folder at that path, or a file where the path needs a
    /// folder.
    pub(super) fn clear_way(&self, root: &Path, rel: &str) -> io::Result<()> {
        let _one_at_a_time = self.clearing.lock().unwrap_or_else(|e| e.into_inner());
        self.cleared.store(true, Ordering::Relaxed);
        let (mut path, mut shown) = (root.to_path_buf(), self.shown.clone());
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            path.push(part);
            shown.push(part);
            let Ok(meta) = fs::symlink_metadata(&path) else {
                return Ok(());
            };
            let last = parts.peek().is_none();
            if last && meta.is_dir() {
                ignore_vanished(fs::remove_dir_all(&path)).map_err(at("删除", &shown))?;
            } else if !last && !meta.is_dir() {
                ignore_vanished(fs::remove_file(&path)).map_err(at("删除", &shown))?;
                return Ok(());
            }
        }
        Ok(())
    }
}

/// A removal whose path is already gone (a folder above it went first, or
/// became a file).
fn ignore_vanished(r: io::Result<()>) -> io::Result<()> {
    use io::ErrorKind::{NotADirectory, NotFound};
    match r {
        Err(e) if matches!(e.kind(), NotFound | NotADirectory) => Ok(()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failure in the kept folder names the path under the kept folder's
    /// name, where it is found after the failed build, not the staging one.
    #[test]
    fn a_failure_names_the_path_under_the_kept_folder() {
        let root = tempfile::tempdir().unwrap();
        // A kept file that became a folder: removing it as a file fails.
        fs::create_dir(root.path().join("old.html")).unwrap();
        let kept = Kept {
            shown: PathBuf::from(".public.previous"),
            files: vec!["old.html".into()],
            ..Kept::default()
        };
        let e = kept.prune(root.path(), std::iter::empty()).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("无法删除 .public.previous/old.html（"),
            "{text}"
        );
    }
}
