//! Where on disk a build's new folder goes.
//!
//! ext4 puts a new folder in its parent's block group, and each file in its
//! folder's group. Without a journal it also passes over every inode freed
//! in the last minutes, reading each, before it takes a free one; so right
//! after an output of thousands of files was deleted, each new file cost a
//! scan of thousands (1,500 cases from nothing on disk: 0.42–1.05 s, on
//! tmpfs 0.36 s). A folder made inside one marked as the top of a tree
//! (`FS_TOPDIR_FL`, as the file system's root is) is placed by ext4 in the
//! group with the fewest folders among those with more room than average
//! (the Orlov allocator), and the site written into it follows it there:
//! 0.38–0.42 s in five builds of six, 0.57 s in the sixth, which likely
//! met the deleted output's group again (emptied, it is such a group too).
//! Elsewhere, or when the mark is refused, the folder is made where it is
//! asked for.

use std::fs;
use std::io;
use std::path::Path;

/// The suffix of the folder the new one is made in, beside it; it is
/// removed at once, and one left by a killed build is swept.
pub(super) const NEST: &str = ".nest";

/// How a folder was made.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Made {
    /// In a nest marked as a top folder, then moved into place.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    AsTop,
    /// Where it was asked for: the file system refused the mark.
    InPlace,
}

/// Makes the folder `dir` (its parent exists), away from the parent's
/// block group where the file system allows it.
pub(super) fn make(dir: &Path) -> io::Result<Made> {
    #[cfg(target_os = "linux")]
    if make_as_top(dir).is_ok() {
        return Ok(Made::AsTop);
    }
    fs::create_dir(dir).map(|()| Made::InPlace)
}

/// Makes `dir` in a nest marked as a top folder and moves it into place.
#[cfg(target_os = "linux")]
fn make_as_top(dir: &Path) -> io::Result<()> {
    let nest = marked_nest(dir)?;
    let inner = nest.join(varied_name());
    let moved = fs::create_dir(&inner).and_then(|()| fs::rename(&inner, dir));
    let _ = fs::remove_dir_all(&nest);
    moved
}

/// The nest beside `dir`, made and marked as a top folder (removed again
/// when it cannot be marked).
#[cfg(target_os = "linux")]
fn marked_nest(dir: &Path) -> io::Result<std::path::PathBuf> {
    let nest = super::beside(dir, NEST);
    fs::create_dir(&nest)?;
    match mark_top(&nest) {
        Ok(()) => Ok(nest),
        Err(e) => {
            let _ = fs::remove_dir(&nest);
            Err(e)
        }
    }
}

/// A name that differs from build to build: ext4 looks for the emptiest
/// group starting at a hash of the name, which decides between groups
/// equally empty; a fixed one would pick the same group each time.
#[cfg(target_os = "linux")]
fn varied_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// `FS_TOPDIR_FL` of `linux/fs.h` (chattr's `T`).
#[cfg(target_os = "linux")]
const TOPDIR: libc::c_int = 0x0002_0000;

/// Marks the folder `dir` as the top of a tree: the file system spreads
/// the folders made in it (ext4's Orlov allocator).
#[cfg(target_os = "linux")]
fn mark_top(dir: &Path) -> io::Result<()> {
    let folder = open_folder(dir)?;
    let marked = flags(&folder)? | TOPDIR;
    // SAFETY: FS_IOC_SETFLAGS reads one int through a valid pointer.
    let set = unsafe {
        libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(&folder),
            libc::FS_IOC_SETFLAGS,
            &marked,
        )
    };
    match set {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

#[cfg(target_os = "linux")]
fn open_folder(dir: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::File::options()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dir)
}

/// The inode flags of an open file or folder (`lsattr`).
#[cfg(target_os = "linux")]
fn flags(file: &fs::File) -> io::Result<libc::c_int> {
    let mut flags: libc::c_int = 0;
    // SAFETY: FS_IOC_GETFLAGS writes one int through a valid pointer.
    let got = unsafe {
        libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(file),
            libc::FS_IOC_GETFLAGS,
            &mut flags,
        )
    };
    match got {
        0 => Ok(flags),
        _ => Err(io::Error::last_os_error()),
    }
}

/// Whether `dir` is a nest a killed build left: a real folder holding
/// nothing, or one empty folder.
pub(super) fn is_nest(dir: &Path) -> bool {
    super::left_behind(dir, |e| {
        let p = e.path();
        fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir())
            && fs::read_dir(&p).is_ok_and(|mut d| d.next().is_none())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Whether the file system of `path` is ext4 (or ext2/3: one magic).
    #[cfg(target_os = "linux")]
    fn on_ext4(path: &Path) -> bool {
        let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: statfs writes into a zeroed struct through a valid pointer.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::statfs(path.as_ptr(), &mut st) } == 0;
        ok && st.f_type == 0xEF53
    }

    #[test]
    fn the_folder_is_made_empty_and_nothing_is_left_beside_it() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(".public.building-1");
        let made = make(&dir).unwrap();
        #[cfg(target_os = "linux")]
        if on_ext4(root.path()) {
            assert_eq!(made, Made::AsTop);
        }
        eprintln!("made {made:?}");
        assert_eq!(names(root.path()), [".public.building-1"]);
        assert!(names(&dir).is_empty());
        // A folder like any other: files go in, and it can be removed.
        fs::write(dir.join("index.html"), "x").unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    /// On ext4 (where the tests' temporary folders usually are) the nest
    /// is marked before anything is made in it, and what is made in it is
    /// not; a file system without inode flags refuses the mark.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_nest_is_marked_as_a_top_folder_on_ext4() {
        let root = tempfile::tempdir().unwrap();
        let nest = marked_nest(&root.path().join("dir"));
        if on_ext4(root.path()) {
            let nest = nest.unwrap();
            assert_eq!(nest, root.path().join("dir.nest"));
            let got = flags(&open_folder(&nest).unwrap()).unwrap();
            assert_eq!(got & TOPDIR, TOPDIR, "{got:#x}");
            let inner = nest.join("inner");
            fs::create_dir(&inner).unwrap();
            assert_eq!(flags(&open_folder(&inner).unwrap()).unwrap() & TOPDIR, 0);
        } else {
            eprintln!("not ext4: the mark is checked only where it is taken ({nest:?})");
            if nest.is_err() {
                // Refused (tmpfs, btrfs, xfs): nothing is left.
                assert!(names(root.path()).is_empty());
            }
        }
    }

    #[test]
    fn a_nest_holds_nothing_or_one_empty_folder() {
        let root = tempfile::tempdir().unwrap();
        let nest = root.path().join("n");
        fs::create_dir(&nest).unwrap();
        assert!(is_nest(&nest));
        fs::create_dir(nest.join("1-2")).unwrap();
        assert!(is_nest(&nest));
        fs::write(nest.join("1-2/page.html"), "x").unwrap();
        assert!(!is_nest(&nest));
        fs::remove_file(nest.join("1-2/page.html")).unwrap();
        fs::write(nest.join("f"), "").unwrap();
        assert!(!is_nest(&nest));
        assert!(!is_nest(&root.path().join("missing")));
    }
}
