//! Paths named in records: they must stay inside the content folder.

use std::path::{Component, Path, PathBuf};

/// Resolves `rel` (as written in a record) against `base` (a folder of the
/// content), refusing anything that could leave it: absolute paths and `..`.
pub fn inside(base: &Path, rel: &str) -> Result<PathBuf, String> {
    if rel.trim().is_empty() {
        return Err("路径是空的".into());
    }
    if rel.contains('\\') {
        return Err(format!("`{rel}` 中用了 `\\`：路径请用 `/` 分隔"));
    }
    let p = Path::new(rel);
    for c in p.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => {
                return Err(format!(
                    "`{rel}` 中用了 `..`：路径只能指向内容文件夹里面的文件"
                ))
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "`{rel}` 是绝对路径：请写相对于 {} 的路径",
                    base.display()
                ))
            }
        }
    }
    let joined = base.join(p);
    // Links are not resolved here: the file is read without following any
    // (see `nofollow`), so a link is refused where it is read.
    if !super::nofollow::is_there(&joined) {
        return Err(format!("`{rel}` 不存在（找的是 {}）", joined.display()));
    }
    Ok(joined)
}

/// Whether `s` is an absolute http(s) address (links editors give to the outside).
pub fn is_web_address(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Whether `s` is a safe URL segment: lower-case ASCII letters, digits, `-` and `_`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Whether `s` is a safe file name for a download (`a-z A-Z 0-9 . - _`, no leading dot).
pub fn is_file_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// File types that may be published as downloads. Anything a browser would
/// run (HTML, SVG, scripts) is refused: it would execute on the site's own address.
pub const DOWNLOAD_TYPES: [&str; 14] = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "odt", "ods", "txt", "zip", "rar",
    "7z",
];

/// Whether `name` has an extension from [`DOWNLOAD_TYPES`].
pub fn is_download_type(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|e| DOWNLOAD_TYPES.contains(&e.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        let root = std::env::temp_dir();
        assert!(inside(&root, "../etc/passwd").unwrap_err().contains(".."));
        assert!(inside(&root, "/etc/passwd")
            .unwrap_err()
            .contains("绝对路径"));
        assert!(inside(&root, "a\\b").is_err());
        assert!(inside(&root, "").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_refused_where_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        std::fs::create_dir(&root).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("x.md")).unwrap();
        let p = inside(&root, "x.md").unwrap();
        let err = super::super::nofollow::read(&root, &p)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("符号链接") && err.contains("/etc/hostname"),
            "{err}"
        );
    }

    #[test]
    fn download_types() {
        assert!(is_download_type("form.DOCX"));
        assert!(!is_download_type("page.html"));
        assert!(!is_download_type("logo.svg"));
        assert!(!is_download_type("noext"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("hx-auto-parts"));
        assert!(!is_slug("../x"));
        assert!(!is_slug("Caps"));
        assert!(!is_slug("中文"));
        assert!(is_file_name("form-2024.docx"));
        assert!(!is_file_name(".htaccess"));
    }
}
