//! Builds over the kept previous build (`.public.previous`): the same site
//! as a build from nothing, written into the kept files, never through a
//! link nor into a file that has a second name, and never into a folder
//! of that name that biaogan did not write.

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::common::{biaogan, fixture, Fixture};

fn build(root: &Path, now: &str, out: &str) {
    let o = biaogan(&["build", "--now", now, "--out", out], root);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Every entry under `dir`, not following links: path, kind, permissions,
/// file bytes.
fn entries(dir: &Path) -> Vec<(String, char, u32, Vec<u8>)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            let t = e.file_type();
            let (kind, bytes) = if t.is_file() {
                ('f', fs::read(e.path()).unwrap())
            } else if t.is_dir() {
                ('d', Vec::new())
            } else {
                ('l', Vec::new())
            };
            let mode = e.metadata().unwrap().mode() & 0o7777;
            (rel.into_owned(), kind, mode, bytes)
        })
        .collect();
    v.sort();
    v
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `basic` fixture built twice at `now`: the first output is then kept
/// as `.public.previous`.
fn built_twice(now: &str) -> Fixture {
    let f = fixture("basic");
    build(f.dir.path(), now, "public");
    build(f.dir.path(), now, "public");
    f
}

/// The `basic` fixture in a setgid folder (a group's shared folder), built
/// twice: the first output is kept as `.public.previous`.
fn built_twice_in_a_shared_folder() -> Fixture {
    let f = fixture("basic");
    let root = f.dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o2755)).unwrap();
    build(root, "2024-05-01", "public");
    build(root, "2024-05-01", "public");
    f
}

fn inode(p: &Path) -> u64 {
    fs::symlink_metadata(p).unwrap().ino()
}

#[test]
fn a_file_is_never_older_than_in_the_output_it_replaces() {
    // A file the kept output holds unchanged is left as it is, but a
    // deployment copying only newer files must still take it.
    let f = fixture("basic");
    let root = f.dir.path();
    build(root, "2024-05-01", "public");
    build(root, "2024-10-20", "public");
    build(root, "2024-05-01", "public");
    let replaced = root.join(".public.previous");
    let mtime = |p: &Path| fs::metadata(p).unwrap().modified().unwrap();
    let mut compared = 0;
    for (rel, kind, _, _) in entries(&root.join("public")) {
        let (new, old) = (root.join("public").join(&rel), replaced.join(&rel));
        if kind == 'f' && old.is_file() {
            assert!(mtime(&new) >= mtime(&old), "{rel}");
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared}");
    // A changed summary is written.
    let page = "2024/cases/alpha/index.html";
    f.edit(
        "campaigns/2024/cases/alpha.md",
        "全面质量管理",
        "全面质量管理与精益求精",
    );
    build(root, "2024-10-20", "public");
    build(root, "2024-10-20", "public");
    let text = fs::read_to_string(root.join("public").join(page)).unwrap();
    assert!(text.contains("精益求精"));
}

#[test]
fn a_build_over_the_kept_build_equals_a_build_from_nothing() {
    let f = fixture("basic");
    let root = f.dir.path();
    build(root, "2024-10-20", "public");
    build(root, "2024-10-21", "public");
    let kept = root.join(".public.previous");
    assert!(kept.join(".biaogan-output").is_file());
    let css = inode(&kept.join("static/style.css"));
    // A download of a page being served from the kept folder's file.
    let mut reading = fs::File::open(kept.join("index.html")).unwrap();
    let old_home = fs::read(kept.join("index.html")).unwrap();
    // Content removed, and an earlier moment: fewer pages and folders.
    f.remove_download_and_figure();
    build(root, "2024-05-01", "public");
    // An unchanged file is reused, not made anew.
    assert_eq!(inode(&root.join("public/static/style.css")), css);
    // A changed one is made anew: the download keeps its bytes.
    let mut read = Vec::new();
    std::io::Read::read_to_end(&mut reading, &mut read).unwrap();
    assert_eq!(read, old_home);
    assert_ne!(fs::read(root.join("public/index.html")).unwrap(), old_home);
    build(root, "2024-05-01", "fresh");
    assert!(!root.join(".fresh.previous").exists());
    let public = entries(&root.join("public"));
    assert_eq!(public, entries(&root.join("fresh")));
    assert!(!root.join("public/2024/notice/form.docx").exists());
    assert!(!root.join("public/2024/cases").exists());
}

#[test]
fn a_kept_build_is_never_written_through_a_link_or_a_second_name() {
    let f = built_twice("2024-05-01");
    let root = f.dir.path();
    let kept = root.join(".public.previous");
    // A deployment's hard-linked copy of a published page.
    let deployed = root.join("deployed.html");
    fs::hard_link(kept.join("index.html"), &deployed).unwrap();
    let before = fs::read(&deployed).unwrap();
    // Links where a folder and a file go, pointing outside.
    let outside = root.join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "x").unwrap();
    fs::set_permissions(outside.join("keep.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_dir_all(kept.join("announcements")).unwrap();
    symlink(&outside, kept.join("announcements")).unwrap();
    fs::remove_file(kept.join("404.html")).unwrap();
    symlink(outside.join("keep.txt"), kept.join("404.html")).unwrap();
    // A folder where a file goes, a file where a folder goes.
    fs::remove_file(kept.join("sitemap.xml")).unwrap();
    fs::create_dir_all(kept.join("sitemap.xml/x")).unwrap();
    fs::remove_dir_all(kept.join("events")).unwrap();
    fs::write(kept.join("events"), "x").unwrap();
    // A file a write would fail on (unless by root), or keep read-only.
    let robots = kept.join("robots.txt");
    fs::set_permissions(&robots, fs::Permissions::from_mode(0o444)).unwrap();
    // Writable, but its permissions would be kept.
    let ics = kept.join("events.ics");
    fs::set_permissions(&ics, fs::Permissions::from_mode(0o600)).unwrap();

    // A file of the right size with other bytes (the style sheet is the
    // same at every moment).
    let css = kept.join("static/style.css");
    let mut bytes = fs::read(&css).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(&css, bytes).unwrap();
    // Where several pages need a folder (the cases are public at the
    // next build's moment), a file.
    fs::write(kept.join("2024/cases"), "x").unwrap();

    // A later moment: the home page changes.
    build(root, "2024-10-20", "public");
    assert_eq!(fs::read(&deployed).unwrap(), before);
    assert_ne!(fs::read(root.join("public/index.html")).unwrap(), before);
    let kept_text = [(String::from("keep.txt"), 'f', 0o644, b"x".to_vec())];
    assert_eq!(entries(&outside), kept_text);
    build(root, "2024-10-20", "fresh");
    assert_eq!(entries(&root.join("public")), entries(&root.join("fresh")));
}

#[test]
fn a_kept_folder_biaogan_did_not_write_is_left_alone() {
    let f = fixture("basic");
    let root = f.dir.path();
    let marker = root.join("marker.txt");
    fs::write(&marker, biaogan::write::MARKER_TEXT).unwrap();
    fs::create_dir(root.join("elsewhere")).unwrap();
    fs::write(root.join("elsewhere/notes.txt"), "mine").unwrap();
    // Someone's folder of that name, a link of that name, and a folder
    // whose marker is a link to the marker's text.
    for out in ["public", "site", "web"] {
        let kept = root.join(format!(".{out}.previous"));
        match out {
            "site" => symlink(root.join("elsewhere"), &kept).unwrap(),
            _ => {
                fs::create_dir(&kept).unwrap();
                fs::write(kept.join("notes.txt"), "mine").unwrap();
            }
        }
        if out == "web" {
            symlink(&marker, kept.join(".biaogan-output")).unwrap();
        }
        let held = entries(&kept);
        for now in ["2024-05-01", "2024-10-20", "2024-10-21"] {
            build(root, now, out);
        }
        assert_eq!(entries(&kept), held, "{out}");
        assert!(root.join(out).join("index.html").is_file());
    }
    assert!(fs::symlink_metadata(root.join(".site.previous"))
        .unwrap()
        .file_type()
        .is_symlink());
    // Nothing else is left beside the output.
    let expected = [
        ".public.previous",
        ".site.previous",
        ".web.previous",
        "content",
        "elsewhere",
        "marker.txt",
        "public",
        "site",
        "web",
    ];
    assert_eq!(names_in(root), expected);
}

#[test]
fn a_failed_build_over_the_kept_build_keeps_it_and_the_output() {
    let f = fixture("basic");
    let root = f.dir.path();
    build(root, "2024-05-01", "public");
    build(root, "2024-10-20", "public");
    // The whole output hard-linked by a deployment, marker included.
    let deployed = root.join("deployed");
    fs::create_dir(&deployed).unwrap();
    let marker = root.join(".public.previous/.biaogan-output");
    fs::hard_link(&marker, deployed.join(".biaogan-output")).unwrap();
    let published = entries(&root.join("public"));
    let o = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(["build", "--now", "2024-10-21"])
        .current_dir(root)
        .env("BIAOGAN_FAIL_WRITE", "2024/notice/index.html")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(entries(&root.join("public")), published);
    let beside = names_in(root);
    assert_eq!(
        beside,
        [".public.previous", "content", "deployed", "public"]
    );
    // The kept folder, half written over, still serves the next build.
    let kept = inode(&root.join(".public.previous/static/style.css"));
    build(root, "2024-10-21", "public");
    assert_eq!(inode(&root.join("public/static/style.css")), kept);
    build(root, "2024-10-21", "fresh");
    assert_eq!(entries(&root.join("public")), entries(&root.join("fresh")));
}

#[test]
fn a_kept_folder_biaogan_cannot_write_into_is_not_reused() {
    let mode = |p: &Path| fs::metadata(p).unwrap().mode() & 0o7777;
    // A read-only folder inside it, then the kept folder itself read-only.
    for inside in ["static", ""] {
        let f = built_twice("2024-05-01");
        let root = f.dir.path();
        let dir = root.join(".public.previous").join(inside);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
        build(root, "2024-10-20", "public");
        build(root, "2024-10-20", "fresh");
        let (public, fresh) = (root.join("public"), root.join("fresh"));
        assert_eq!(entries(&public), entries(&fresh), "{inside}");
        assert_eq!(mode(&public), mode(&fresh), "{inside}");
        // Left where it was when it cannot be removed (not as root): let
        // the temporary folder go.
        if dir.exists() {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

#[test]
fn a_kept_folder_under_a_shared_group_folder_is_reused() {
    // Folders made in a setgid folder (a group's shared folder) are setgid
    // too: that is a new folder's mode there, not a change to undo.
    let f = built_twice_in_a_shared_folder();
    let root = f.dir.path();
    let kept = root.join(".public.previous");
    assert_ne!(fs::metadata(&kept).unwrap().mode() & 0o2000, 0);
    let css = inode(&kept.join("static/style.css"));
    build(root, "2024-10-20", "public");
    assert_eq!(inode(&root.join("public/static/style.css")), css);
}

#[test]
fn a_kept_folder_of_another_group_than_a_new_one_is_not_reused() {
    // The parent became a group's shared folder after the kept output was
    // made: a new output's files belong to that group, so the kept ones,
    // readable to a web server of that group only if new, must not stay.
    // Shared already, so that only the group differs, not the setgid bit.
    let f = built_twice_in_a_shared_folder();
    let root = f.dir.path();
    let group = 1;
    if std::os::unix::fs::chown(root, None, Some(group)).is_err() {
        eprintln!("skipped: cannot give the test folder another group");
        return;
    }
    fs::set_permissions(root, fs::Permissions::from_mode(0o2755)).unwrap();
    build(root, "2024-10-20", "public");
    let gid = |p: &Path| fs::metadata(p).unwrap().gid();
    for rel in ["", "index.html", "static", "static/style.css"] {
        assert_eq!(gid(&root.join("public").join(rel)), group, "{rel}");
    }
}

#[test]
fn a_killed_builds_folders_are_swept_and_someone_elses_are_not() {
    let f = fixture("basic");
    let root = f.dir.path();
    // Numbers of processes that do not run (above Linux's largest pid).
    let killed = root.join(".public.building-2147483000");
    fs::create_dir(&killed).unwrap();
    fs::write(killed.join(".biaogan-output"), biaogan::write::MARKER_TEXT).unwrap();
    fs::write(killed.join("index.html"), "an earlier site").unwrap();
    let someones = root.join(".public.building-2147483001");
    fs::create_dir(&someones).unwrap();
    fs::write(someones.join("draft.txt"), "mine").unwrap();
    // The probe folder of a build killed while it looked at the kept
    // folder's permissions, and a folder of that kind of name holding more.
    let probe = root.join(".public.building-2147483000.probe");
    fs::create_dir(&probe).unwrap();
    fs::write(probe.join("f"), "").unwrap();
    let not_a_probe = root.join(".public.building-2147483001.probe");
    fs::create_dir(&not_a_probe).unwrap();
    fs::write(not_a_probe.join("f"), "mine").unwrap();
    // The nest of a build killed while it made its folder (Linux), and a
    // folder of that kind of name holding more.
    let nest = root.join(".public.building-2147483000.nest");
    fs::create_dir_all(nest.join("2147483000-1")).unwrap();
    let not_a_nest = root.join(".public.building-2147483001.nest");
    fs::create_dir_all(not_a_nest.join("d")).unwrap();
    fs::write(not_a_nest.join("d/draft.txt"), "mine").unwrap();
    build(root, "2024-05-01", "public");
    assert!(!killed.exists());
    assert!(!probe.exists());
    assert!(!nest.exists());
    assert!(not_a_nest.join("d/draft.txt").exists());
    let kept = [("draft.txt".to_owned(), 'f', 0o644, b"mine".to_vec())];
    assert_eq!(entries(&someones), kept);
    let kept = [("f".to_owned(), 'f', 0o644, b"mine".to_vec())];
    assert_eq!(entries(&not_a_probe), kept);
}
