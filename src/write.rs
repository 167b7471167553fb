//! Write: put a rendered site on disk beside `--out`, then swap it in whole.
//!
//! A build that fails at any point leaves the previous output untouched; a
//! build that succeeds leaves no file of removed content behind.

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

/// Refuses output folders whose replacement would destroy something else.
pub fn check_out_dir(out: &Path, content: &Path) -> Result<(), String> {
    // Looked at before anything else: `abs` below resolves links.
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            let target = fs::read_link(out)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(format!(
                "--out {} 是符号链接（指向 {target}）；biaogan 不替换链接，也不写入链接指向的文件夹。请给 --out 一个真实的文件夹路径",
                out.display()
            ));
        }
    }
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists so `./public/..` and links are seen for what they are.
        let mut existing = p.clone();
        let mut tail = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    tail.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut r = existing.canonicalize().unwrap_or(existing);
        for t in tail.iter().rev() {
            r.push(t);
        }
        r
    };
    let out_abs = abs(out);
    let content_abs = abs(content);
    if out_abs.parent().is_none() {
        return Err(format!(
            "拒绝把网站写到 {}：它是文件系统的根目录",
            out.display()
        ));
    }
    if content_abs.starts_with(&out_abs) {
        return Err(format!(
            "拒绝把网站写到 {}：内容文件夹 {} 就在它里面，生成时会被整体替换掉",
            out.display(),
            content.display()
        ));
    }
    if out_abs.starts_with(&content_abs) {
        return Err(format!(
            "拒绝把网站写到 {}：它在内容文件夹里面",
            out.display()
        ));
    }
    if out_abs.join(".git").exists() || out_abs.join("Cargo.toml").exists() {
        return Err(format!(
            "拒绝把网站写到 {}：它像是代码仓库的根目录（有 .git 或 Cargo.toml）",
            out.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME") {
        if out_abs == abs(Path::new(&home)) {
            return Err(format!("拒绝把网站写到 {}：它是用户主目录", out.display()));
        }
    }
    not_someone_elses(out)
}

/// Refuses an existing `out` unless it is empty or was written by biaogan.
///
/// Folders of builds from before the marker existed are refused too: telling
/// them apart from a folder of someone's files by their look (an index.html,
/// a sitemap) could destroy documents, while a refusal costs one deletion.
fn not_someone_elses(out: &Path) -> Result<(), String> {
    let Ok(meta) = fs::metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(format!(
            "--out {} 是一个文件，不是文件夹；biaogan 不会替换它。请给 --out 一个文件夹路径",
            out.display()
        ));
    }
    let empty = fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    let marked = fs::read(out.join(MARKER)).is_ok_and(|t| t == MARKER_TEXT.as_bytes());
    if empty || marked {
        return Ok(());
    }
    Err(format!(
        "--out {} 不是空文件夹，里面也没有 biaogan 的标记文件 {MARKER}，可能存放着别人的文件；biaogan 每次生成会整体替换 --out，所以拒绝写入。\
         如果它是旧版 biaogan 生成的网站，请确认后删除这个文件夹一次（之后生成的网站都带标记）；否则请换一个空的或新的文件夹",
        out.display()
    ))
}

/// Runs `fill` on a fresh folder beside `out` and swaps it in when `fill`
/// succeeds; on any failure the folder is removed and `out` is untouched.
pub fn atomically<T>(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<T, Diagnostics>,
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
    fs::create_dir_all(&staging).map_err(io_err)?;
    let result = fill(&staging).and_then(|v| {
        fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io_err)?;
        swap(&staging, out, &parent, &name)
            .map(|()| v)
            .map_err(io_err)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Writes one file of the site under `dir` (a staging folder).
pub fn put(dir: &Path, rel: &str, artifact: &Artifact) -> io::Result<()> {
    let target = dir.join(rel);
    if let Some(p) = target.parent() {
        // A stat is cheaper than a mkdir that fails: mkdir locks the parent.
        if !p.is_dir() {
            fs::create_dir_all(p)?;
        }
    }
    match artifact {
        Artifact::Bytes(b) => fs::write(&target, b)?,
        Artifact::Shared(b) => fs::write(&target, b)?,
    }
    fail_point(rel)
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

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(out, &old)?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    fs::remove_dir_all(&old)
}
