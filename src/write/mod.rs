//! Write: put a rendered site on disk beside `--out`, then swap it in whole.
//!
//! A build that fails at any point leaves the previous output untouched; a
//! build that succeeds leaves no file of removed content behind. The output
//! it replaces is kept beside it, to be written over by the next build
//! ([`previous`]).

mod out_dir;
mod previous;

pub use out_dir::check_out_dir;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Artifact;

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

/// The folder a build writes into, beside `--out`, until it is swapped in.
pub struct Staging {
    dir: PathBuf,
    /// It is the kept previous output ([`previous`]): a file that already
    /// holds the bytes to write is left as it is (its pages are not written
    /// to disk again), and a path that changed kind is cleared.
    reused: bool,
}

impl Staging {
    /// Writes one file of the site (`rel` is output-relative).
    pub fn put(&self, rel: &str, artifact: &Artifact) -> io::Result<()> {
        let target = self.dir.join(rel);
        let bytes = artifact.bytes();
        if !self.reused {
            write_file(&target, bytes)?;
        } else if !previous::holds(&target, bytes) && write_file(&target, bytes).is_err() {
            // A folder where this file goes, or a file where its folder goes.
            previous::clear_way(&self.dir, rel)?;
            write_file(&target, bytes)?;
        }
        fail_point(rel)
    }
}

/// Runs `fill` on a folder beside `out` (the previous build's, if kept,
/// else a new one) and swaps it in when `fill` succeeds; on any failure
/// `out` is untouched.
pub fn atomically<T: Written>(
    out: &Path,
    fill: impl FnOnce(&Staging) -> Result<T, Diagnostics>,
) -> Result<T, Diagnostics> {
    let io_err = |e: io::Error| -> Diagnostics {
        Diagnostic::new(
            out,
            format!(
                "写入网站文件夹 {} 失败，原来的网站保持不变（系统信息：{e}）",
                out.display()
            ),
        )
        .help("请确认有写入这个文件夹的权限、磁盘没有写满，再重新生成")
        .into()
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_err)?;
    }
    let previous = parent.join(previous::name(&name));
    let kept = previous::take(&previous, &staging);
    if kept.is_none() {
        fs::create_dir_all(&staging).map_err(io_err)?;
    }
    let folder = Staging {
        dir: staging.clone(),
        reused: kept.is_some(),
    };
    let result = fill(&folder).and_then(|v| {
        if let Some(kept) = &kept {
            let made = v.written().chain([MARKER]);
            kept.prune(&staging, made).map_err(io_err)?;
        }
        folder
            .put(MARKER, &Artifact::Bytes(MARKER_TEXT.into()))
            .map_err(io_err)?;
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        swap(&staging, out, &previous, &old)
            .map(|()| v)
            .map_err(io_err)
    });
    if result.is_err() {
        // A kept folder stays for the next build; a new one goes.
        if kept.is_none() || fs::rename(&staging, &previous).is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
    }
    result
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
fn swap(staging: &Path, out: &Path, previous: &Path, old: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    let keep = fs::symlink_metadata(previous).is_err();
    let old = if keep { previous } else { old };
    if !keep && old.exists() {
        fs::remove_dir_all(old)?;
    }
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(old, out);
        return Err(e);
    }
    if keep {
        Ok(())
    } else {
        fs::remove_dir_all(old)
    }
}
