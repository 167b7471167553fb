//! Load: read the content folder, parse every record, validate, and build the [`Site`].
//!
//! All problems of all files are collected; a site is returned only when
//! there are none.

mod history;
pub mod nofollow;
pub mod paths;
pub mod placeholder;
pub mod svg;
pub mod text;
pub mod values;
pub mod yaml;

mod stray;

mod attachments;
mod attributes;
mod campaign;
mod cases;
mod choices;
mod documents;
mod duplicates;
mod events;
mod holidays;
mod lines;
mod numbers;
mod revocations;
mod secret;
mod serde_errors;
mod syntax;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::base_url::BaseUrl;
use crate::model::records::SiteRecord;
use crate::model::site::Site;

/// Reads and validates the whole content folder.
pub fn load_site(root: &Path) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "内容文件夹不存在")
            .help("用 --content 指定放有 site.yaml 的文件夹")
            .into());
    }
    let site_file = root.join("site.yaml");
    let config = read(root, &site_file, &mut diags).and_then(|src| {
        let rec = yaml::parse::<SiteRecord>(&site_file, &src)
            .map_err(|d| diags.push(d))
            .ok()?;
        lines::warn_comments(&site_file, &src, &mut diags);
        Some((rec, src))
    });
    let mut tz = chrono_tz::Asia::Shanghai;
    let mut base_url = None;
    if let Some((c, src)) = &config {
        let fx = FileCtx {
            file: &site_file,
            src,
        };
        match c.timezone.parse::<Tz>() {
            Ok(t) => tz = t,
            Err(_) => diags.push(
                fx.err("timezone", format!("`{}` 不是已知的时区", c.timezone))
                    .help("写 IANA 时区名，例如 Asia/Shanghai"),
            ),
        }
        if let Some(m) = attributes::language_problem(&c.language) {
            diags.push(
                fx.err("language", m)
                    .help("写网页的语言代码，简体中文网站写 zh-CN"),
            );
        }
        if let Some(m) = attributes::email_problem(&c.office.email) {
            diags.push(
                fx.err("office.email", m)
                    .help("只写邮箱地址本身，例如 qmb@caq.org.cn，不加引号、空格或其他文字"),
            );
        }
        match BaseUrl::parse(&c.base_url) {
            Ok(u) => base_url = Some(u),
            Err(m) => diags.push(
                fx.err("base_url", m)
                    .help("写出站点的完整网址，例如 https://biaogan.caq.org.cn"),
            ),
        }
    }
    if let Some((c, src)) = &config {
        // The theme is read from themes/<name>/ beside the content folder: a
        // path here would read (and publish) files from anywhere.
        if let Some(name) = c.theme.as_deref().filter(|n| !paths::is_slug(n)) {
            let fx = FileCtx {
                file: &site_file,
                src,
            };
            diags.push(
                fx.err(
                    "theme",
                    format!("`{name}` 不是主题名：主题名只能用小写字母、数字、`-` 和 `_`"),
                )
                .help("写 themes/ 下的文件夹名，例如 theme: default，不要写路径"),
            );
        }
    }
    let calendar = holidays::load_calendar(root, &root.join("holidays.yaml"), &mut diags);
    let mut campaigns = Vec::new();
    // Rounds that failed to load: events naming their cases are not blamed for it.
    let mut broken = BTreeSet::new();
    let mut numbers = numbers::Numbers::default();
    misnamed_files(root, root, &mut diags);
    let cdir = root.join("campaigns");
    for (dir, ty) in sorted_entries(root, &cdir, &mut diags) {
        if ty.is_dir() {
            match campaign::load_campaign(root, &dir, calendar.as_ref(), &mut numbers, &mut diags) {
                Some(c) => campaigns.push(c),
                None => {
                    broken.insert(
                        dir.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                }
            }
        }
    }
    campaigns.sort_by_key(|c| c.year);
    let events = events::load_events(
        root,
        &root.join("events"),
        &campaigns,
        &broken,
        calendar.as_ref(),
        &mut diags,
    );
    let (errors, warnings) = diags.clone().split();
    match (config, calendar, base_url) {
        (Some((config, _)), Some(calendar), Some(base_url)) if errors.is_empty() => Ok(Site {
            warnings: {
                let mut w = warnings;
                w.extend(history::warnings(root, &campaigns));
                w.extend(documents::warnings(&campaigns, &events));
                w.sort();
                w
            },
            root: root.to_path_buf(),
            config,
            base_url,
            tz,
            calendar,
            campaigns,
            events,
        }),
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// Reads a text file below `root`, without following links (see [`nofollow`]).
fn read(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    read_file(root, path).map_err(|d| diags.push(d)).ok()
}

/// Reads a text file of the content as every reader must: without following
/// links, as UTF-8, free of control characters and unfilled placeholders
/// (`serve`'s summary fast path reads through here too).
pub(crate) fn read_file(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let bytes = nofollow::read(root, path).map_err(|r| match r {
        nofollow::Refusal::Io { error, .. } => {
            Diagnostic::new(path, format!("无法读取这个文件：{error}"))
        }
        r => r.diagnostic(),
    })?;
    let text = utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let mut d = Diagnostic::new(path, "这个文件不是 UTF-8 编码")
            .help("用 UTF-8 编码（不要用 GBK/ANSI）重新保存这个文件");
        d.line = Some(line);
        d
    })?;
    // Old Notepad and some WPS options start UTF-8 files with a byte-order
    // mark; it is invisible to editors, so it must change nothing.
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    // Records and Markdown alike: no control character reaches any output.
    text::check_file(path, &text)?;
    match placeholder::check(path, &text) {
        Some(d) => Err(d),
        None => Ok(text),
    }
}

/// `bytes` as text. Content is mostly Chinese, on which the standard check
/// (byte by byte outside ASCII) was 2–4 % of a build's CPU; simdutf8 checks
/// 32 bytes at a time, and the standard check runs only to place an error.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return String::from_utf8(bytes);
    }
    // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// The entries of `dir` (if it exists) in name order, with their own types;
/// every link among them, or on the way to `dir`, is reported and left out.
fn sorted_entries(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<nofollow::Entry> {
    if !nofollow::is_there(dir) {
        return Vec::new();
    }
    match nofollow::list(root, dir) {
        Ok(entries) => entries
            .into_iter()
            .filter_map(|e| e.map_err(|r| diags.push(r.diagnostic())).ok())
            .collect(),
        Err(nofollow::Refusal::Io { error, .. }) => {
            diags.push(Diagnostic::new(dir, format!("无法列出这个文件夹：{error}")));
            Vec::new()
        }
        Err(r) => {
            diags.push(r.diagnostic());
            Vec::new()
        }
    }
}

/// Context for validating one file: where it is and its text.
struct FileCtx<'a> {
    file: &'a Path,
    src: &'a str,
}

impl FileCtx<'_> {
    /// A diagnostic about `field` (dotted path), placed where the field is.
    fn err(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        let path: Vec<&str> = field
            .split(['.', '[', ']'])
            .filter(|s| !s.is_empty())
            .collect();
        // Fall back to the nearest ancestor that can be found.
        let mut pos = None;
        for n in (1..=path.len()).rev() {
            pos = yaml::locate(self.src, &path[..n]);
            if pos.is_some() {
                break;
            }
        }
        let d = Diagnostic::new(self.file, message)
            .field(field)
            .at_opt(self.src, pos);
        secret::guard(d, self.src)
    }
}

/// The `*.yaml` records of a folder whose file names are URL segments, read
/// and parsed: (path, id, text, record), and the folder's other files that are
/// not misnamed records (for the caller to judge). Problems are added to `diags`.
#[allow(clippy::type_complexity)]
fn records<T: serde::de::DeserializeOwned>(
    root: &Path,
    dir: &Path,
    example: &str,
    diags: &mut Diagnostics,
) -> (Vec<(PathBuf, String, String, T)>, Vec<PathBuf>) {
    let mut v = Vec::new();
    let mut others = Vec::new();
    for (path, ty) in sorted_entries(root, dir, diags) {
        if !ty.is_file() {
            continue;
        }
        if path.extension().is_none_or(|e| e != "yaml") {
            match stray::misnamed(&path) {
                Some(d) => diags.push(d),
                None => others.push(path),
            }
            continue;
        }
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        if !paths::is_slug(&id) {
            diags.push(
                Diagnostic::new(&path, format!("`{id}` 不能用在网址中"))
                    .help(format!("文件名只用小写英文字母、数字和 -，例如 {example}")),
            );
            continue;
        }
        let Some(src) = read(root, &path, diags) else {
            continue;
        };
        match yaml::parse::<T>(&path, &src) {
            Ok(rec) => {
                lines::warn_comments(&path, &src, diags);
                v.push((path, id, src, rec));
            }
            Err(d) => diags.push(d),
        }
    }
    (v, others)
}

/// Reports the files directly in `dir` that were meant as records or Markdown
/// but are misnamed (see [`stray`]).
fn misnamed_files(root: &Path, dir: &Path, diags: &mut Diagnostics) {
    for (path, ty) in sorted_entries(root, dir, diags) {
        if let Some(d) = ty.is_file().then(|| stray::misnamed(&path)).flatten() {
            diags.push(d);
        }
    }
}
