//! How writing the output fails, and the message for each failure: it
//! names the file or folder that failed, not only `--out`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A failure at one path beside or inside `--out`, carried inside an
/// `io::Error` so that `?` keeps working; [`diagnostic`] reads it back.
#[derive(Debug)]
pub(super) enum Trouble {
    /// Doing something (in Chinese, a verb: 删除, 写入 …) to `path` failed.
    At {
        doing: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    /// A folder at a name biaogan writes to is not one biaogan left.
    NotOurs(PathBuf),
    /// Two files of one build where one needs the other's path as a folder.
    Collision(String),
}

impl fmt::Display for Trouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trouble::At { doing, path, error } => {
                write!(f, "无法{doing} {}（系统信息：{error}）", path.display())
            }
            Trouble::NotOurs(path) => write!(
                f,
                "{} 已经存在，但不是 biaogan 留下的文件夹，biaogan 不会删除它",
                path.display()
            ),
            Trouble::Collision(rel) => write!(f, "{rel} 与同一次生成的另一个文件路径冲突"),
        }
    }
}

impl std::error::Error for Trouble {}

impl Trouble {
    /// The `io::Error` carrying it.
    pub(super) fn into_io(self) -> io::Error {
        let kind = match &self {
            Trouble::At { error, .. } => error.kind(),
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, self)
    }
}

/// Wraps a failure of doing `doing` to `path` (see [`Trouble::At`]).
pub(super) fn at<'a>(
    doing: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> io::Error + 'a {
    move |error| {
        Trouble::At {
            doing,
            path: path.to_path_buf(),
            error,
        }
        .into_io()
    }
}

/// How finishing a build failed: before the swap (`out` untouched), or
/// after it, deleting the replaced output.
pub(super) enum Failed {
    Before(io::Error),
    After { old: PathBuf, error: io::Error },
}

/// The [`Trouble`] an error carries, if any.
fn trouble(e: &io::Error) -> Option<&Trouble> {
    e.get_ref().and_then(|r| r.downcast_ref::<Trouble>())
}

/// Why `e` happened, to follow a message that names what failed: a
/// [`Trouble`]'s own words after a colon, else the system's in parentheses.
pub fn reason(e: &io::Error) -> String {
    match trouble(e) {
        Some(t) => format!("：{t}"),
        None => format!("（系统信息：{e}）"),
    }
}

/// The message for a build of `out` that failed before the swap: `out` is
/// as it was. Names the path that failed when the error carries one.
pub(super) fn before(out: &Path, e: &io::Error) -> Diagnostics {
    let file = match trouble(e) {
        Some(Trouble::At { path, .. } | Trouble::NotOurs(path)) => path.clone(),
        _ => out.to_path_buf(),
    };
    let message = format!(
        "写入网站文件夹 {} 失败，原来的网站保持不变{}",
        out.display(),
        reason(e)
    );
    Diagnostic::new(file, message).help(help(e)).into()
}

/// How to fix `e`: for a message about any file of the output.
pub fn help(e: &io::Error) -> &'static str {
    match trouble(e) {
        Some(Trouble::NotOurs(_)) => "请确认其中没有需要的文件后删除它，再重新生成",
        Some(Trouble::Collision(_)) => "请把问题报告给 biaogan 的维护者",
        Some(Trouble::At { doing, .. }) if doing.starts_with("删除") => {
            "请确认有删除它的权限，或手动删除它，再重新生成"
        }
        _ => "请确认有写入这个文件夹的权限、磁盘没有写满，再重新生成",
    }
}

/// The message for a build whose new site is in place at `out`, but whose
/// replaced output at `old` could not be deleted.
pub(super) fn after(out: &Path, old: &Path, error: &io::Error) -> Diagnostics {
    Diagnostic::new(
        old,
        format!(
            "新网站已经写入 {}，但换下来的旧网站 {} 无法删除（系统信息：{error}）",
            out.display(),
            old.display()
        ),
    )
    .help("旧网站不会被发布；请确认权限后手动删除这个文件夹")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(d: Diagnostics) -> Diagnostic {
        d.iter().next().cloned().expect("one diagnostic")
    }

    #[test]
    fn a_failure_at_a_path_names_that_path() {
        let out = Path::new("public");
        let file = Path::new(".public.building-7/2024/old.html");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        let d = only(before(out, &at("删除", file)(denied)));
        assert_eq!(d.file, file);
        assert!(d.message.starts_with("写入网站文件夹 public 失败，原来的网站保持不变：无法删除 .public.building-7/2024/old.html（系统信息："), "{}", d.message);
        assert!(
            d.help.as_deref().unwrap_or("").contains("手动删除"),
            "{:?}",
            d.help
        );
        // After a file's name, its reason is not nested in a second 系统信息.
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        let why = reason(&at("删除", file)(denied));
        assert!(
            why.starts_with("：无法删除 .public.building-7/2024/old.html（系统信息："),
            "{why}"
        );
        assert_eq!(why.matches("系统信息").count(), 1, "{why}");
        let d = only(before(out, &Trouble::NotOurs(file.into()).into_io()));
        assert_eq!(d.file, file);
        assert!(d.help.as_deref().unwrap_or("").contains("删除它"));
    }

    #[test]
    fn a_failure_without_a_path_names_the_output() {
        let out = Path::new("public");
        let d = only(before(out, &io::Error::other("disk full")));
        assert_eq!(d.file, out);
        assert_eq!(
            d.message,
            "写入网站文件夹 public 失败，原来的网站保持不变（系统信息：disk full）"
        );
    }
}
