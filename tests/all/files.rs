//! Files from outside the content folder: no link is followed anywhere in the
//! content or theme trees, a hard link is refused, the bytes checked are the
//! bytes written and served, and `--out` never replaces someone else's folder.
//!
//! Every link points at a file holding [`SECRET`]; it must never appear in
//! what biaogan prints, writes or serves.

use crate::common;
use crate::common::biaogan;
use crate::common::fixture;
use crate::common::serve::{serve, SseEvent};

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use biaogan::pipeline;

/// A moment when the results (and so the case pages) are public.
const NOW: &str = "2024-11-01";
/// The text of every file outside the content folder.
const SECRET: &str = "SECRET-SENTINEL-4d9b";

/// A file outside the content folder (beside it) holding the secret.
fn outside(f: &common::Fixture, name: &str, text: &str) -> PathBuf {
    let p = f.dir.path().join("outside").join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

/// Replaces `rel` (under content/) by a symlink to `target`.
fn link(f: &common::Fixture, rel: &str, target: &Path) {
    let p = f.path(rel);
    if let Ok(m) = fs::symlink_metadata(&p) {
        if m.is_dir() {
            fs::remove_dir_all(&p).unwrap();
        } else {
            fs::remove_file(&p).unwrap();
        }
    }
    symlink(target, &p).unwrap();
}

/// Files under `dir` whose bytes contain the secret.
fn leaking_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let b = fs::read(e.path()).unwrap_or_default();
            b.windows(SECRET.len()).any(|w| w == SECRET.as_bytes())
        })
        .map(|e| e.into_path())
        .collect()
}

/// `check` and `build` both fail naming `named` (the link, as a path tail) and
/// `words`; the secret is in neither output nor any written file.
fn assert_refused(f: &common::Fixture, named: &str, words: &[&str]) {
    let root = f.dir.path();
    for args in [
        vec!["check", "--now", NOW],
        vec!["build", "--now", NOW, "--out", "public"],
    ] {
        let o = biaogan(&args, root);
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(1), "{args:?} must fail:\n{printed}");
        assert!(
            !printed.contains(SECRET),
            "the secret was printed:\n{printed}"
        );
        assert!(printed.contains(named), "{named} not named:\n{printed}");
        for w in words {
            assert!(printed.contains(w), "{w:?} not said:\n{printed}");
        }
    }
    assert!(!root.join("public").exists(), "a failed build wrote output");
}

const LINK: &str = "符号链接";

#[test]
fn a_linked_record_is_refused_naming_link_and_target_never_its_text() {
    let f = fixture("basic");
    // Invalid as a case: the old loader echoed it in the parse error.
    let secret = outside(&f, "credentials.yaml", &format!("token: {SECRET}\n"));
    link(&f, "campaigns/2024/cases/zeta.yaml", &secret);
    assert_refused(&f, "cases/zeta.yaml", &[LINK, "outside/credentials.yaml"]);
}

#[test]
fn a_linked_event_site_or_holidays_file_is_refused() {
    for rel in ["events/zz.yaml", "site.yaml", "holidays.yaml"] {
        let f = fixture("basic");
        let secret = outside(&f, "x.yaml", &format!("token: {SECRET}\n"));
        link(&f, rel, &secret);
        assert_refused(&f, rel, &[LINK, "outside/x.yaml"]);
    }
}

#[test]
fn a_linked_folder_is_refused_even_when_its_files_are_valid() {
    for (rel, from) in [
        ("events", "events"),
        ("campaigns/2024/cases", "campaigns/2024/cases"),
    ] {
        let f = fixture("basic");
        // A faithful copy, with the secret in a title: only the link is wrong.
        let copy = f.dir.path().join("outside/folder");
        common::copy_dir(&f.path(from), &copy);
        let first = fs::read_dir(&copy)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .min()
            .unwrap();
        let text = fs::read_to_string(&first).unwrap();
        fs::write(
            &first,
            text.replacen("title: ", &format!("title: {SECRET}"), 1),
        )
        .unwrap();
        link(&f, rel, &copy);
        assert_refused(&f, rel, &[LINK, "outside/folder"]);
    }
}

#[test]
fn a_linked_summary_image_or_download_is_refused() {
    let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{SECRET}</title></svg>");
    for (rel, name, text) in [
        (
            "campaigns/2024/cases/alpha.md",
            "s.md",
            format!("# {SECRET}\n"),
        ),
        ("campaigns/2024/cases/alpha/arch.svg", "s.svg", svg),
        (
            "campaigns/2024/attachments/form.docx",
            "s.docx",
            SECRET.to_owned(),
        ),
        ("campaigns/2024/notice.md", "n.md", format!("{SECRET}\n")),
    ] {
        let f = fixture("basic");
        let secret = outside(&f, name, &text);
        link(&f, rel, &secret);
        assert_refused(&f, rel, &[LINK, &format!("outside/{name}")]);
    }
}

#[test]
fn a_link_in_the_theme_is_refused() {
    // The whole static folder, and one template.
    let f = fixture("basic");
    outside(&f, "keys/id_ed25519", SECRET);
    fs::create_dir_all(f.dir.path().join("themes/default")).unwrap();
    symlink(
        f.dir.path().join("outside/keys"),
        f.dir.path().join("themes/default/static"),
    )
    .unwrap();
    assert_refused(&f, "themes/default/static", &[LINK, "outside/keys"]);

    let f = fixture("basic");
    let secret = outside(&f, "t.html", SECRET);
    fs::create_dir_all(f.dir.path().join("themes/default/templates")).unwrap();
    symlink(
        &secret,
        f.dir.path().join("themes/default/templates/404.html"),
    )
    .unwrap();
    assert_refused(&f, "templates/404.html", &[LINK, "outside/t.html"]);
}

#[test]
fn a_theme_named_by_a_path_is_refused() {
    for name in ["../outside", "/tmp", "a/b"] {
        let f = fixture("basic");
        outside(&f, "static/leak.txt", SECRET);
        let site = f.read("site.yaml");
        f.write("site.yaml", &format!("{site}theme: \"{name}\"\n"));
        assert_refused(&f, "site.yaml", &["theme", "主题名"]);
    }
}

#[test]
fn a_hard_link_is_refused() {
    let f = fixture("basic");
    let secret = outside(&f, "x.yaml", &format!("token: {SECRET}\n"));
    fs::hard_link(&secret, f.path("events/zz.yaml")).unwrap();
    assert_refused(&f, "events/zz.yaml", &["硬链接"]);
    let f = fixture("basic");
    let secret = outside(&f, "s.docx", SECRET);
    fs::remove_file(f.path("campaigns/2024/attachments/form.docx")).unwrap();
    fs::hard_link(&secret, f.path("campaigns/2024/attachments/form.docx")).unwrap();
    assert_refused(&f, "attachments/form.docx", &["硬链接"]);
}

/// An image flipped between a real file and a link to the secret while the
/// site is built over and over: no build may write the secret (the bytes
/// checked are the bytes written, with no second look at the path).
#[test]
fn an_image_flipped_to_a_link_during_builds_never_publishes_the_secret() {
    let f = fixture("basic");
    let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{SECRET}</title></svg>");
    let secret = outside(&f, "s.svg", &svg);
    let image = f.path("campaigns/2024/cases/alpha/arch.svg");
    let real = fs::read(&image).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flipper = {
        let (stop, image) = (stop.clone(), image.clone());
        std::thread::spawn(move || {
            let tmp = image.with_file_name(".flip");
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // Renamed over the image, so the path always exists.
                let _ = fs::remove_file(&tmp);
                if n.is_multiple_of(2) {
                    symlink(&secret, &tmp).unwrap();
                } else {
                    fs::write(&tmp, &real).unwrap();
                }
                fs::rename(&tmp, &image).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
            n
        })
    };
    let out = f.dir.path().join("public");
    let opts = f.options(NOW);
    let (mut built, mut refused) = (0, 0);
    for _ in 0..100 {
        match pipeline::build(&opts, &out) {
            Ok(_) => built += 1,
            Err(d) => {
                let text = d.to_string();
                assert!(!text.contains(SECRET), "{text}");
                refused += 1;
            }
        }
        assert_eq!(leaking_files(&out), Vec::<PathBuf>::new());
    }
    stop.store(true, Ordering::Relaxed);
    let flips = flipper.join().unwrap();
    // Both states were met, so the race was really run.
    assert!(
        built > 0 && refused > 0,
        "built {built}, refused {refused}, flips {flips}"
    );
}

#[test]
fn the_preview_never_serves_a_file_swapped_for_a_link() {
    let f = fixture("basic");
    let root = f.dir.path();
    let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{SECRET}</title></svg>");
    let secret_svg = outside(&f, "s.svg", &svg);
    let secret_md = outside(&f, "s.md", &format!("# {SECRET}\n"));
    let server = serve(root, &["--now", NOW]);
    let mut events = server.events();
    let image = server.get("/2024/cases/alpha/arch.svg");
    assert_eq!(image.status, 200);
    let page = server.get("/2024/cases/alpha/");
    assert_eq!(page.status, 200);
    let refused = |tail: &'static str| {
        move |e: &SseEvent| {
            e.name == "error"
                && e.errors().iter().any(|d| {
                    let message = d["message"].as_str().unwrap();
                    let file = d["file"].as_str().unwrap();
                    (file.ends_with(tail) || message.contains(tail)) && message.contains(LINK)
                })
        }
    };
    // Swapped in by a rename, as an editor or an attacker's script would.
    let swap = |rel: &str, target: &Path| {
        let p = f.path(rel);
        let tmp = p.with_file_name(".swap");
        symlink(target, &tmp).unwrap();
        fs::rename(&tmp, &p).unwrap();
    };

    swap("campaigns/2024/cases/alpha/arch.svg", &secret_svg);
    let e = events.wait_for("the linked image refused", refused("alpha/arch.svg"));
    assert!(!e.data.to_string().contains(SECRET));
    let now = server.get("/2024/cases/alpha/arch.svg");
    assert!(!now.text().contains(SECRET));
    assert_eq!(now.body, image.body, "the image as last built is served");

    fs::remove_file(f.path("campaigns/2024/cases/alpha/arch.svg")).unwrap();
    fs::write(f.path("campaigns/2024/cases/alpha/arch.svg"), &image.body).unwrap();
    events.wait_for("the error cleared", |e| e.errors().is_empty());

    // The summary fast path reads the file as the loader does.
    swap("campaigns/2024/cases/alpha.md", &secret_md);
    let e = events.wait_for("the linked summary refused", refused("alpha.md"));
    assert!(!e.data.to_string().contains(SECRET));
    for path in ["/2024/cases/alpha/", "/", "/2024/results/"] {
        let r = server.get(path);
        assert!(!r.text().contains(SECRET), "{path} serves the secret");
    }
    assert!(!server.stderr().contains(SECRET));
}

#[test]
fn out_refuses_a_folder_biaogan_did_not_write_and_a_link() {
    let f = fixture("basic");
    let root = f.dir.path();
    let build = |out: &str| biaogan(&["build", "--now", NOW, "--out", out], root);
    let said = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // Someone's documents.
    fs::create_dir(root.join("precious")).unwrap();
    fs::write(root.join("precious/plan.docx"), "keep").unwrap();
    let o = build("precious");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        said(&o).contains(".biaogan-output") && said(&o).contains("precious"),
        "{}",
        said(&o)
    );
    assert_eq!(fs::read(root.join("precious/plan.docx")).unwrap(), b"keep");
    assert_eq!(fs::read_dir(root.join("precious")).unwrap().count(), 1);

    // A marker with other text does not count.
    fs::write(root.join("precious/.biaogan-output"), "x").unwrap();
    assert_eq!(build("precious").status.code(), Some(1));
    assert!(root.join("precious/plan.docx").exists());

    // A link: neither replaced nor written through.
    fs::create_dir(root.join("real")).unwrap();
    symlink(root.join("real"), root.join("linked")).unwrap();
    let o = build("linked");
    assert_eq!(o.status.code(), Some(1));
    assert!(said(&o).contains(LINK), "{}", said(&o));
    assert!(fs::symlink_metadata(root.join("linked"))
        .unwrap()
        .is_symlink());
    assert_eq!(fs::read_dir(root.join("real")).unwrap().count(), 0);

    // A file.
    fs::write(root.join("afile"), "keep").unwrap();
    assert_eq!(build("afile").status.code(), Some(1));
    assert_eq!(fs::read(root.join("afile")).unwrap(), b"keep");

    // An empty folder is taken, marked, and rebuilt over; the marker is not part of the site.
    fs::create_dir(root.join("empty")).unwrap();
    assert!(build("empty").status.success());
    let marker = fs::read_to_string(root.join("empty/.biaogan-output")).unwrap();
    assert_eq!(marker, biaogan::write::MARKER_TEXT);
    assert!(build("empty").status.success());
    let sitemap = fs::read_to_string(root.join("empty/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("biaogan-output"));
    let site = f.check(NOW).unwrap();
    assert!(site.keys().all(|k| !k.contains("biaogan-output")));
}
