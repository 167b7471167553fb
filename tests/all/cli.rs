//! The command line: exit statuses, messages, atomic output, reproducible builds.

use crate::common::biaogan;
use crate::common::fixture;

use std::fs;
use std::path::Path;
use std::process::Command;

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn build_check_and_exit_statuses() {
    let f = fixture("basic");
    let root = f.dir.path();
    let ok = biaogan(&["build", "--now", "2024-10-20"], root);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(root.join("public/2024/results/index.html").exists());
    let check = biaogan(&["check", "--now", "2024-10-20"], root);
    assert_eq!(check.status.code(), Some(0));

    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let bad = biaogan(&["check", "--now", "2024-10-20"], root);
    assert_eq!(bad.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(msg.contains("alpha.yaml:11:8"), "{msg}");
    assert!(msg.contains("字段 stage"), "{msg}");
    assert!(msg.contains("提示："), "{msg}");

    let usage = biaogan(&["build", "--now", "yesterday"], root);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("2024-09-25"));
    assert_eq!(biaogan(&["frobnicate"], root).status.code(), Some(2));
}

#[test]
fn help_explains_every_flag() {
    let out = biaogan(&["build", "--help"], Path::new("."));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--content", "--out", "--now", "--base-url"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let out = biaogan(&["check", "--help"], Path::new("."));
    assert!(String::from_utf8_lossy(&out.stdout).contains("不写文件"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_identical() {
    let f = fixture("basic");
    let root = f.dir.path();
    assert!(biaogan(&["build", "--now", "2024-10-20"], root)
        .status
        .success());
    let before = tree(&root.join("public"));
    // A content error.
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let out = biaogan(&["build", "--now", "2024-10-21"], root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&root.join("public")), before);
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: nope",
        "stage: approved",
    );
    // A failure in the middle of writing.
    let out = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(["build", "--now", "2024-05-01"])
        .current_dir(root)
        .env("BIAOGAN_FAIL_WRITE", "2024/notice/index.html")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("测试用的写入故障"));
    assert_eq!(tree(&root.join("public")), before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn files_of_removed_content_do_not_linger() {
    let f = fixture("basic");
    let root = f.dir.path();
    assert!(biaogan(&["build", "--now", "2024-10-20"], root)
        .status
        .success());
    assert!(root.join("public/2024/notice/form.docx").exists());
    assert!(root.join("public/2024/cases/alpha/arch.svg").exists());
    f.remove_download_and_figure();
    assert!(biaogan(&["build", "--now", "2024-10-20"], root)
        .status
        .success());
    assert!(!root.join("public/2024/notice/form.docx").exists());
    assert!(!root.join("public/2024/cases/alpha/arch.svg").exists());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let f = fixture("basic");
    let root = f.dir.path();
    fs::write(root.join("Cargo.toml"), "").unwrap();
    for out in ["content", ".", "/", "content/sub"] {
        let o = biaogan(&["build", "--now", "2024-10-20", "--out", out], root);
        assert_eq!(o.status.code(), Some(1), "--out {out} must be refused");
        assert!(String::from_utf8_lossy(&o.stderr).contains("拒绝"), "{out}");
    }
    assert!(root.join("content/site.yaml").exists());
    // A link is refused however it is written, before anything is built;
    // `public/.` is `public`.
    #[cfg(unix)]
    {
        fs::create_dir(root.join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("linked")).unwrap();
        for out in ["linked", "linked/", "linked/."] {
            let o = biaogan(&["build", "--now", "2024-10-20", "--out", out], root);
            assert_eq!(o.status.code(), Some(1), "--out {out} must be refused");
            assert!(
                String::from_utf8_lossy(&o.stderr).contains("符号链接"),
                "{out}"
            );
        }
    }
    let o = biaogan(&["build", "--now", "2024-10-20", "--out", "public/."], root);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(root.join("public/index.html").is_file());
}

#[test]
fn builds_are_reproducible_across_threads_time_zones_and_locales() {
    let f = fixture("basic");
    let root = f.dir.path();
    let run = |out: &str, threads: &str, tz: &str, lang: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_biaogan"))
            .args(["build", "--now", "2024-10-20", "--out", out])
            .current_dir(root)
            .env("RAYON_NUM_THREADS", threads)
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .output()
            .unwrap();
        assert!(o.status.success());
        tree(&root.join(out))
    };
    let a = run("a", "1", "UTC", "C");
    let b = run("b", "8", "America/New_York", "zh_CN.UTF-8");
    assert!(!a.is_empty());
    assert_eq!(a, b);
}
