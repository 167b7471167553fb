//! Write: put a rendered site on disk beside `--out`, then swap it in whole.
//!
//! A build that fails at any point leaves the previous output untouched; a
//! build that succeeds leaves no file of removed content behind. The output
//! it replaces is kept beside it, to be written over by the next build
//! ([`previous`]).

mod failure;
mod out_dir;
mod placement;
mod previous;

pub use failure::{help, reason};
pub use out_dir::check_out_dir;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::output::Artifact;
use failure::{at, Failed, Trouble};
use previous::Kept;

/// The file biaogan puts in every output folder: replacing a folder that has
/// it destroys only an earlier build, never documents someone keeps there.
/// It is not part of the rendered site (no sitemap entry, never served).
pub const MARKER: &str = ".biaogan-output";

/// The marker's fixed text; a file of that name with other text does not count.
pub const MARKER_TEXT: &str =
    "本文件夹由 biaogan 生成，每次生成会整体替换。This folder is written by biaogan and replaced on every build.\n";

/// Whether `dir` holds biaogan's marker: a plain file with the fixed text
/// (a link, a pipe or a device of that name is not read).
fn is_marked(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    let plain = fs::symlink_metadata(&marker)
        .is_ok_and(|m| m.is_file() && m.len() == MARKER_TEXT.len() as u64);
    plain && fs::read(&marker).is_ok_and(|t| t == MARKER_TEXT.as_bytes())
}

/// What a build wrote into its folder: everything else there is removed.
pub trait Written {
    /// Output-relative paths of the files written.
    fn written(&self) -> impl Iterator<Item = &str>;
}

/// Runs `fill` on a folder beside `out` (the previous build's, if kept,
/// else a new one) and swaps it in when `fill` succeeds; on any failure
/// `out` is untouched.
pub fn atomically<T: Written>(
    out: &Path,
    fill: impl FnOnce(&Staging) -> Result<T, Diagnostics>,
) -> Result<T, Diagnostics> {
    let staging = Staging::open(out).map_err(|e| failure::before(out, &e))?;
    match fill(&staging) {
        Ok(v) => match staging.finish(out, v.written()) {
            Ok(()) => Ok(v),
            Err(Failed::Before(e)) => Err(failure::before(out, &e)),
            Err(Failed::After { old, error }) => Err(failure::after(out, &old, &error)),
        },
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// The folder a build writes into, beside `--out`, until it is swapped in.
pub struct Staging {
    dir: PathBuf,
    /// Where the replaced output is kept ([`previous`]).
    previous: PathBuf,
    /// Where it goes when something is at `previous` already.
    old: PathBuf,
    /// What the folder held when it was the kept previous output: a file
    /// that already holds the bytes to write is then left as it is (on
    /// disk, a page written again is written out again), one that does not
    /// is made anew, and a path that changed kind is cleared.
    kept: Option<Kept>,
}

impl Staging {
    /// The kept previous output of `out` if it can be reused, else a new
    /// folder.
    fn open(out: &Path) -> io::Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(at("创建文件夹", &parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let building = format!(".{name}.building-");
        sweep(&parent, &building);
        let dir = parent.join(format!("{building}{pid}"));
        remove_leftover(&dir)?;
        let previous = parent.join(previous::name(&name));
        let kept = previous::take(&previous, &dir)?;
        if kept.is_none() {
            // Marked at once: a build killed midway leaves a folder the
            // next one may remove.
            placement::make(&dir).map_err(at("创建文件夹", &dir))?;
            let marker = dir.join(MARKER);
            fs::write(&marker, MARKER_TEXT).map_err(at("写入", &marker))?;
        }
        let old = parent.join(format!(".{name}.old-{pid}"));
        Ok(Staging {
            dir,
            previous,
            old,
            kept,
        })
    }

    /// Writes one file of the site (`rel` is output-relative).
    pub fn put(&self, rel: &str, artifact: &Artifact) -> io::Result<()> {
        let target = self.dir.join(rel);
        let bytes = artifact.bytes();
        match &self.kept {
            None => write_file(&target, bytes)?,
            Some(kept) if !previous::holds(&target, bytes) => {
                // A changed file is a new file: a download of the old one
                // still being served (from two builds ago) keeps its bytes.
                let _ = fs::remove_file(&target);
                if write_file(&target, bytes).is_err() {
                    // A folder where this file goes, or a file where its folder goes.
                    kept.clear_way(&self.dir, rel)?;
                    write_file(&target, bytes)?;
                }
            }
            Some(_) => {}
        }
        fail_point(rel)
    }

    /// Removes what the build did not write (from a kept folder), marks
    /// the folder as biaogan's and swaps it in.
    fn finish<'a>(self, out: &Path, written: impl Iterator<Item = &'a str>) -> Result<(), Failed> {
        let result = self.complete(written).map_err(Failed::Before);
        match result.and_then(|()| swap(&self.dir, out, &self.previous, &self.old)) {
            Err(Failed::Before(e)) => {
                self.abandon();
                Err(Failed::Before(e))
            }
            done => done,
        }
    }

    fn complete<'a>(&self, written: impl Iterator<Item = &'a str>) -> io::Result<()> {
        if let Some(kept) = &self.kept {
            kept.prune(&self.dir, written.chain([MARKER]))?;
        }
        self.put(MARKER, &Artifact::Bytes(MARKER_TEXT.into()))
            .map_err(at("写入", &self.dir.join(MARKER)))
    }

    /// After a failure: a kept folder stays for the next build (it is
    /// marked); a new one goes.
    fn abandon(self) {
        if self.kept.is_none() || fs::rename(&self.dir, &self.previous).is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder biaogan left at `path` (marked, or empty); anything
/// else there is an error naming it, never deleted.
fn remove_leftover(path: &Path) -> io::Result<()> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let empty = || fs::read_dir(path).is_ok_and(|mut d| d.next().is_none());
    if meta.is_dir() && (is_marked(path) || empty()) {
        return fs::remove_dir_all(path).map_err(at("删除", path));
    }
    Err(Trouble::NotOurs(path.to_path_buf()).into_io())
}

/// Removes the staging folders of builds of the same output that were
/// killed midway (marked, named for a process that no longer runs): one
/// may hold a whole earlier site. So are their probe folders
/// (`previous::PROBE`), when they hold nothing but the probe, and the
/// nests their folders were made in (`placement::NEST`), when they hold
/// nothing but an empty folder. Those two are this process's too, if its
/// number is theirs (a container's builds all run as one number): it
/// makes them only after this sweep, and one left would be in its way.
fn sweep(parent: &Path, building: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let this = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(building)) else {
            continue;
        };
        let (pid, ours, this_ones): (&str, fn(&Path) -> bool, bool) =
            if let Some(pid) = rest.strip_suffix(previous::PROBE) {
                (pid, previous::is_probe, true)
            } else if let Some(pid) = rest.strip_suffix(placement::NEST) {
                (pid, placement::is_nest, true)
            } else {
                (rest, is_marked, false)
            };
        let Ok(pid) = pid.parse::<i32>() else {
            continue;
        };
        let gone = if pid as u32 == this {
            this_ones
        } else {
            !runs(pid)
        };
        let path = entry.path();
        if gone && ours(&path) {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// The path of `dir` with `suffix` added to its name: a helper folder made
/// beside it for a moment (`previous::PROBE`, `placement::NEST`).
fn beside(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `dir` is such a helper folder as a killed build leaves it: a
/// real folder holding nothing, or one entry that `made` accepts.
fn left_behind(dir: &Path, made: impl Fn(&fs::DirEntry) -> bool) -> bool {
    let is_dir = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    let entries: Vec<_> = entries.take(2).collect();
    is_dir
        && match entries.as_slice() {
            [] => true,
            [Ok(e)] => made(e),
            _ => false,
        }
}

/// Whether a process numbered `pid` runs (unknown: it does).
fn runs(pid: i32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

fn write_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(p) = target.parent() {
        // A stat is cheaper than a mkdir that fails: mkdir locks the parent.
        if !p.is_dir() {
            fs::create_dir_all(p)?;
        }
    }
    fs::write(target, bytes)
}

/// Test hook: `BIAOGAN_FAIL_WRITE=<path>` fails the build after writing that file,
/// to prove that a failure mid-write leaves the previous output intact.
fn fail_point(rel: &str) -> io::Result<()> {
    static TARGET: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    match TARGET.get_or_init(|| std::env::var("BIAOGAN_FAIL_WRITE").ok()) {
        Some(p) if p == rel => Err(io::Error::other(format!("测试用的写入故障：{rel}"))),
        _ => Ok(()),
    }
}

/// Puts `staging` in place of `out`, keeping the replaced output at
/// `previous`, or deleting it when something is there already (left by a
/// build running alongside, or not biaogan's: never touched).
fn swap(staging: &Path, out: &Path, previous: &Path, old: &Path) -> Result<(), Failed> {
    if !out.exists() {
        return fs::rename(staging, out)
            .map_err(at("把新网站移到", out))
            .map_err(Failed::Before);
    }
    // Off unix a kept folder cannot be reused (`previous::take`).
    let keep = cfg!(unix) && fs::symlink_metadata(previous).is_err();
    let old = if keep { previous } else { old };
    if !keep {
        remove_leftover(old).map_err(Failed::Before)?;
    }
    fs::rename(out, old)
        .map_err(at("把原来的网站移到", old))
        .map_err(Failed::Before)?;
    if let Err(e) = fs::rename(staging, out).map_err(at("把新网站移到", out)) {
        // Put the previous site back before reporting.
        let _ = fs::rename(old, out);
        return Err(Failed::Before(e));
    }
    if keep {
        return Ok(());
    }
    fs::remove_dir_all(old).map_err(|error| Failed::After {
        old: old.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A probe or a nest under this process's own number is in its way
    /// (every build in a container may run as one number): swept. Its own
    /// staging folder is left to `remove_leftover`.
    #[test]
    fn this_processs_own_probe_and_nest_are_swept() {
        let root = tempfile::tempdir().unwrap();
        let pid = std::process::id();
        let nest = root
            .path()
            .join(format!(".public.building-{pid}{}", placement::NEST));
        fs::create_dir_all(nest.join("1-2")).unwrap();
        let probe = root
            .path()
            .join(format!(".public.building-{pid}{}", previous::PROBE));
        fs::create_dir(&probe).unwrap();
        let staging = root.path().join(format!(".public.building-{pid}"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        sweep(root.path(), ".public.building-");
        assert!(!nest.exists());
        assert!(!probe.exists());
        assert!(staging.exists());
    }
}
