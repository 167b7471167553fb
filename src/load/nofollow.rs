//! Reading the content and theme trees without ever following a link.
//!
//! A symlink or hard link added in a pull request could otherwise publish, or
//! print in an error, a file from outside the content folder (a CI secret, a
//! private key). Every file is opened one path component at a time below its
//! root with `O_NOFOLLOW`, so a link anywhere on the way is refused, never
//! followed; and it is read once, so the bytes checked are the bytes published.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, FileType};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Why a file or folder below a root was not read.
#[derive(Debug)]
pub enum Refusal {
    /// `link` is a symbolic link; `target` is its text (never what it points to).
    Link {
        /// The link, as the user names it.
        link: PathBuf,
        /// Where it points, as written in the link.
        target: String,
    },
    /// A regular file with more than one name: it may share its bytes with a file outside.
    HardLink {
        /// The file.
        path: PathBuf,
        /// How many names it has.
        links: u64,
    },
    /// Not a regular file or folder (a pipe, a device) where one was expected.
    Special {
        /// The path.
        path: PathBuf,
        /// `文件` or `文件夹`.
        expected: &'static str,
    },
    /// Missing or unreadable.
    Io {
        /// The path.
        path: PathBuf,
        /// What the system said.
        error: io::Error,
    },
}

impl Refusal {
    /// The path the problem is about: the link itself for a link on the way.
    pub fn path(&self) -> &Path {
        match self {
            Refusal::Link { link, .. } => link,
            Refusal::HardLink { path, .. }
            | Refusal::Special { path, .. }
            | Refusal::Io { path, .. } => path,
        }
    }

    /// Whether the path simply does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Refusal::Io { error, .. } if error.kind() == io::ErrorKind::NotFound)
    }

    /// The refusal as an error about its path, with how to fix it.
    pub fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::new(self.path(), self.to_string());
        match self {
            Refusal::Link { .. } => d.help("删除这个链接，把文件或文件夹本身复制到这里"),
            Refusal::HardLink { .. } => {
                d.help("复制出一个独立的普通文件替换它（例如 cp 文件 新文件 && mv 新文件 文件）")
            }
            _ => d,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Link { link, target } => write!(
                f,
                "{} 是符号链接（指向 {target}）；为防止发布或显示内容文件夹之外的文件，biaogan 不跟随任何链接",
                link.display()
            ),
            Refusal::HardLink { path, links } => write!(
                f,
                "{} 是硬链接（同一份内容有 {links} 个文件名），可能与内容文件夹之外的文件共用内容，biaogan 不读取它",
                path.display()
            ),
            Refusal::Special { path, expected } => {
                write!(f, "{} 不是普通{expected}", path.display())
            }
            Refusal::Io { path, error } => write!(f, "无法读取 {}：{error}", path.display()),
        }
    }
}

/// Reads the regular file `path` (below `root`) without following any link on the way.
pub fn read(root: &Path, path: &Path) -> Result<Vec<u8>, Refusal> {
    sys::read(root, &below(root, path)?, path)
}

/// Checks that the folder `dir` (below `root`, or `root` itself) is reached without a link.
pub fn check_dir(root: &Path, dir: &Path) -> Result<(), Refusal> {
    sys::check_dir(root, &below(root, dir)?, dir)
}

/// Whether something (a link included) is at `path`; links are not followed.
pub fn is_there(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// An entry of a folder: its path and its own type (a link is not followed).
pub type Entry = (PathBuf, FileType);

/// The entries of folder `dir` (below `root`) in name order, each link among
/// them refused; an error when `dir` itself cannot be reached without a link.
pub fn list(root: &Path, dir: &Path) -> Result<Vec<Result<Entry, Refusal>>, Refusal> {
    check_dir(root, dir)?;
    let io = |error| Refusal::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut v = Vec::new();
    for e in fs::read_dir(dir).map_err(io)? {
        let e = e.map_err(io)?;
        let ty = e.file_type().map_err(io)?;
        v.push((e.path(), ty));
    }
    // The file system's listing order must never reach the output.
    v.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(v.into_iter().map(|(p, ty)| entry(p, ty)).collect())
}

/// Every regular file below `dir` (below `root`), sorted, and every link met on the way.
pub fn files_below(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Refusal>) {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        match list(root, &d) {
            Ok(entries) => {
                for e in entries {
                    match e {
                        Ok((p, ty)) if ty.is_dir() => todo.push(p),
                        Ok((p, ty)) if ty.is_file() => files.push(p),
                        Ok((p, _)) => refused.push(Refusal::Special {
                            path: p,
                            expected: "文件",
                        }),
                        Err(r) => refused.push(r),
                    }
                }
            }
            Err(r) => refused.push(r),
        }
    }
    files.sort();
    (files, refused)
}

fn entry(path: PathBuf, ty: FileType) -> Result<Entry, Refusal> {
    if ty.is_symlink() {
        let target = fs::read_link(&path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        return Err(Refusal::Link { link: path, target });
    }
    Ok((path, ty))
}

/// The names leading from `root` to `path`; only plain names may be on the way.
fn below(root: &Path, path: &Path) -> Result<Vec<OsString>, Refusal> {
    let outside = || Refusal::Io {
        path: path.to_path_buf(),
        error: io::Error::other(format!("不在 {} 之内", root.display())),
    };
    let rel = path.strip_prefix(root).map_err(|_| outside())?;
    let mut names = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) => names.push(n.to_owned()),
            Component::CurDir => {}
            _ => return Err(outside()),
        }
    }
    Ok(names)
}

#[cfg(unix)]
mod sys {
    //! `openat` with `O_NOFOLLOW`, one name at a time: no link is followed,
    //! even one swapped in while the path is being walked.

    use std::ffi::{CString, OsStr, OsString};
    use std::fs::{File, OpenOptions};
    use std::io::{self, Read};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    use std::path::{Path, PathBuf};

    use super::Refusal;

    pub(super) fn read(root: &Path, names: &[OsString], path: &Path) -> Result<Vec<u8>, Refusal> {
        let io = |error| Refusal::Io {
            path: path.to_path_buf(),
            error,
        };
        let Some((last, dirs)) = names.split_last() else {
            return Err(Refusal::Special {
                path: path.to_path_buf(),
                expected: "文件",
            });
        };
        let dir = walk(root, dirs)?;
        let fd = open_at(&dir, last, false).map_err(|e| refusal(&dir, root, names, e))?;
        let mut file = File::from(fd);
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(Refusal::Special {
                path: path.to_path_buf(),
                expected: "文件",
            });
        }
        if meta.nlink() > 1 {
            return Err(Refusal::HardLink {
                path: path.to_path_buf(),
                links: meta.nlink(),
            });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes).map_err(io)?;
        Ok(bytes)
    }

    pub(super) fn check_dir(root: &Path, names: &[OsString], _dir: &Path) -> Result<(), Refusal> {
        walk(root, names).map(drop)
    }

    /// Opens the folder `root/names…`, refusing a link at any step.
    fn walk(root: &Path, names: &[OsString]) -> Result<OwnedFd, Refusal> {
        let mut dir: OwnedFd = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
            .open(root)
            .map_err(|error| Refusal::Io {
                path: root.to_path_buf(),
                error,
            })?
            .into();
        for (i, name) in names.iter().enumerate() {
            dir = open_at(&dir, name, true).map_err(|e| refusal(&dir, root, &names[..=i], e))?;
        }
        Ok(dir)
    }

    /// What went wrong opening the last of `names` in `dir`: a link, or the error.
    fn refusal(dir: &OwnedFd, root: &Path, names: &[OsString], error: io::Error) -> Refusal {
        let path: PathBuf = names.iter().fold(root.to_path_buf(), |p, n| p.join(n));
        let is_loop = error.raw_os_error() == Some(libc::ELOOP);
        let not_dir = error.raw_os_error() == Some(libc::ENOTDIR);
        match names.last().and_then(|n| link_text(dir, n)) {
            Some(target) if is_loop || not_dir => Refusal::Link { link: path, target },
            _ if not_dir => Refusal::Special {
                path,
                expected: "文件夹",
            },
            _ => Refusal::Io { path, error },
        }
    }

    /// Opens `name` in `dir`, failing (ELOOP) if it is a link.
    fn open_at(dir: &OwnedFd, name: &OsStr, folder: bool) -> io::Result<OwnedFd> {
        let c = CString::new(name.as_bytes()).map_err(|_| io::ErrorKind::InvalidInput)?;
        // Non-blocking so a named pipe cannot hang the build; it is refused after fstat.
        let kind = if folder {
            libc::O_DIRECTORY
        } else {
            libc::O_NONBLOCK | libc::O_NOCTTY
        };
        let flags = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC | kind;
        // SAFETY: `dir` is an open descriptor and `c` a NUL-terminated name; the result is checked.
        let fd = unsafe { libc::openat(dir.as_raw_fd(), c.as_ptr(), flags) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// The text of the link `name` in `dir`, if it is one.
    fn link_text(dir: &OwnedFd, name: &OsStr) -> Option<String> {
        let c = CString::new(name.as_bytes()).ok()?;
        let mut buf = vec![0u8; 4096];
        // SAFETY: `buf` is writable for its length; the result is checked.
        let n = unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                c.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        let n = usize::try_from(n).ok()?;
        buf.truncate(n);
        Some(String::from_utf8_lossy(&buf).into_owned())
    }
}

#[cfg(not(unix))]
mod sys {
    //! Elsewhere: each step is looked at without following it, then read.
    //! (Hard links cannot be told apart on stable Rust there.)

    use std::ffi::OsString;
    use std::fs;
    use std::path::Path;

    use super::Refusal;

    pub(super) fn read(root: &Path, names: &[OsString], path: &Path) -> Result<Vec<u8>, Refusal> {
        check_dir(root, names, path)?;
        fs::read(path).map_err(|error| Refusal::Io {
            path: path.to_path_buf(),
            error,
        })
    }

    pub(super) fn check_dir(root: &Path, names: &[OsString], _dir: &Path) -> Result<(), Refusal> {
        let mut p = root.to_path_buf();
        for n in names {
            p.push(n);
            let meta = fs::symlink_metadata(&p).map_err(|error| Refusal::Io {
                path: p.clone(),
                error,
            })?;
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&p)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                return Err(Refusal::Link { link: p, target });
            }
        }
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    const SECRET: &str = "SENTINEL-secret-7f3a";

    fn tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        fs::create_dir_all(root.join("events")).unwrap();
        fs::write(root.join("events/a.yaml"), "ok").unwrap();
        let secret = dir.path().join("secret.txt");
        fs::write(&secret, SECRET).unwrap();
        (dir, root, secret)
    }

    #[test]
    fn reads_plain_files() {
        let (_d, root, _) = tree();
        assert_eq!(read(&root, &root.join("events/a.yaml")).unwrap(), b"ok");
        assert_eq!(read(&root, &root.join("./events/a.yaml")).unwrap(), b"ok");
        assert!(read(&root, &root.join("events/none.yaml"))
            .unwrap_err()
            .is_not_found());
    }

    #[test]
    fn refuses_a_linked_file_naming_link_and_target_only() {
        let (_d, root, secret) = tree();
        symlink(&secret, root.join("events/b.yaml")).unwrap();
        let r = read(&root, &root.join("events/b.yaml")).unwrap_err();
        let text = r.to_string();
        assert!(matches!(r, Refusal::Link { .. }), "{text}");
        assert!(
            text.contains("events/b.yaml") && text.contains("secret.txt"),
            "{text}"
        );
        assert!(!text.contains(SECRET));
    }

    #[test]
    fn refuses_a_linked_folder_on_the_way() {
        let (d, root, _) = tree();
        let outside = d.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("x.yaml"), SECRET).unwrap();
        symlink(&outside, root.join("cases")).unwrap();
        let r = read(&root, &root.join("cases/x.yaml")).unwrap_err();
        assert!(
            matches!(&r, Refusal::Link { link, .. } if link.ends_with("content/cases")),
            "{r}"
        );
        assert!(matches!(
            check_dir(&root, &root.join("cases")),
            Err(Refusal::Link { .. })
        ));
        assert!(list(&root, &root.join("cases")).is_err());
    }

    #[test]
    fn lists_links_as_refusals() {
        let (_d, root, secret) = tree();
        symlink(&secret, root.join("events/b.yaml")).unwrap();
        let entries = list(&root, &root.join("events")).unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries[0].is_ok());
        assert!(matches!(entries[1], Err(Refusal::Link { .. })));
        let (files, refused) = files_below(&root, &root);
        assert_eq!(files, vec![root.join("events/a.yaml")]);
        assert_eq!(refused.len(), 1);
    }

    #[test]
    fn refuses_hard_links_and_pipes() {
        let (_d, root, secret) = tree();
        fs::hard_link(&secret, root.join("events/h.yaml")).unwrap();
        let r = read(&root, &root.join("events/h.yaml")).unwrap_err();
        assert!(matches!(r, Refusal::HardLink { links: 2, .. }), "{r}");
        assert!(!r.to_string().contains(SECRET));
        let fifo = std::ffi::CString::new(root.join("events/p.yaml").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let r = read(&root, &root.join("events/p.yaml")).unwrap_err();
        assert!(matches!(r, Refusal::Special { .. }), "{r}");
    }

    #[test]
    fn refuses_paths_outside_the_root() {
        let (_d, root, secret) = tree();
        assert!(read(&root, &secret).is_err());
        assert!(read(&root, &root.join("../secret.txt")).is_err());
    }
}
