//! Which folders `--out` may name: replacing one must destroy nothing but
//! an earlier build.

use std::fs;
use std::path::{Path, PathBuf};

use super::{is_marked, MARKER};

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
    if empty || is_marked(out) {
        return Ok(());
    }
    Err(format!(
        "--out {} 不是空文件夹，里面也没有 biaogan 的标记文件 {MARKER}，可能存放着别人的文件；biaogan 每次生成会整体替换 --out，所以拒绝写入。\
         如果它是旧版 biaogan 生成的网站，请确认后删除这个文件夹一次（之后生成的网站都带标记）；否则请换一个空的或新的文件夹",
        out.display()
    ))
}
