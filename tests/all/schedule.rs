//! The publication schedule is exact, `check` validates every future state,
//! and the diagnostic formats parse.

use crate::common;
use crate::common::biaogan;
use crate::common::fixture;

use std::path::Path;

use biaogan::output::Output;
use biaogan::pipeline::{self, Loaded, Options};
use biaogan::schedule;
use chrono::{Duration, NaiveDateTime};

fn render(loaded: &Loaded, content: &Path, at: NaiveDateTime) -> Output {
    let mut o = Options::new(content);
    o.now = Some(at);
    loaded
        .render(&o)
        .unwrap_or_else(|d| panic!("build at {at} failed:\n{d}"))
}

/// Builds at every moment, a minute before it, and at pseudo-random times
/// between moments; the output may change only at the moments.
fn assert_exact(content: &Path) -> usize {
    let loaded = pipeline::load(&Options::new(content)).unwrap_or_else(|d| panic!("{d}"));
    let moments = schedule::moments(&loaded.site);
    assert!(!moments.is_empty());
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random_minutes = |span: i64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as i64) % span.max(1)
    };
    let first = moments[0].at;
    let mut previous = render(&loaded, content, first - Duration::days(30));
    for (i, m) in moments.iter().enumerate() {
        let before = render(&loaded, content, m.at - Duration::minutes(1));
        assert!(
            before == previous,
            "{content:?}: the site changed before {} (no moment there)",
            m.at
        );
        let at = render(&loaded, content, m.at);
        assert!(
            at != before,
            "{content:?}: moment {} {:?} changes nothing",
            m.at,
            m.changes
        );
        let next = moments
            .get(i + 1)
            .map_or(m.at + Duration::days(400), |n| n.at);
        let span = (next - m.at).num_minutes();
        for _ in 0..3 {
            let t = m.at + Duration::minutes(random_minutes(span)) + Duration::seconds(17);
            if t < next {
                assert!(
                    render(&loaded, content, t) == at,
                    "{content:?}: the site changed at {t}, between {} and {next} (no moment there)",
                    m.at
                );
            }
        }
        previous = at;
    }
    moments.len()
}

#[test]
fn schedule_is_exact_on_the_fixture_sites() {
    for name in ["basic", "hostile"] {
        let f = fixture(name);
        assert_exact(&f.content());
    }
}

/// Two rounds: the newer notice while the older round is finished, and a
/// variant where neither round's final list ever comes (the older round
/// then leaves the home page and the navigation on 1 January).
#[test]
fn schedule_is_exact_on_two_rounds() {
    let f = fixture("two-rounds");
    assert_exact(&f.content());
    for year in ["2024", "2025"] {
        let round = format!("campaigns/{year}/campaign.yaml");
        let text = f.read(&round);
        f.write(&round, &text[..text.find("results:").unwrap()]);
    }
    std::fs::remove_dir_all(f.path("campaigns/2024/revocations")).unwrap();
    assert_exact(&f.content());
    // The moment the unfinished round leaves is listed, in words.
    let text = biaogan(&["schedule", "--now", "2025-06-01"], f.dir.path());
    let text = String::from_utf8(text.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("2024年遴选移出首页的当前遴选和导航"));
    assert!(
        line.is_some_and(|l| l.starts_with("2026年1月1日")),
        "{text}"
    );
}

#[test]
fn schedule_is_exact_on_the_sample_site() {
    let n = assert_exact(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert!(n > 10, "{n} moments");
}

#[test]
fn schedule_command_lists_publicity_start_in_text_and_json() {
    let f = fixture("basic");
    let root = f.dir.path();
    let text = biaogan(&["schedule", "--now", "2024-09-01"], root);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("2024年9月25日 00:00　公示开始：/2024/publicity/ 上线"),
        "{text}"
    );
    let json = biaogan(
        &[
            "schedule",
            "--now",
            "2024-09-01",
            "--until",
            "2024-09-30",
            "--format",
            "json",
        ],
        root,
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list[0]["at"], "2024-09-25T00:00:00+08:00");
    assert!(list
        .iter()
        .all(|m| m["at"].as_str().unwrap() <= "2024-09-30T00:00:00+08:00"));
    assert!(list[0]["changes"][0]
        .as_str()
        .unwrap()
        .contains("/2024/publicity/"));
}

fn break_instructions(f: &common::Fixture) {
    f.edit(
        "campaigns/2024/campaign.yaml",
        "异议须说明事实并提供证据。",
        "异议须说明事实并提供证据，见[异议表](/2024/no-such-form/)。",
    );
}

#[test]
fn check_finds_an_error_that_appears_only_when_publicity_starts() {
    let f = fixture("basic");
    break_instructions(&f);
    let root = f.dir.path();
    let only_now = biaogan(&["check", "--now", "2024-09-01", "--only-now"], root);
    assert_eq!(
        only_now.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&only_now.stderr)
    );
    let all = biaogan(&["check", "--now", "2024-09-01"], root);
    assert_eq!(all.status.code(), Some(1));
    let err = String::from_utf8_lossy(&all.stderr);
    assert!(err.contains("自2024年9月25日 00:00起："), "{err}");
    assert!(err.contains("/2024/no-such-form/"), "{err}");
    // Reported once, at the earliest moment, not at every countdown day.
    assert_eq!(err.matches("/2024/no-such-form/ 无效").count(), 1, "{err}");
}

#[test]
fn json_diagnostics_parse_with_moment() {
    let f = fixture("basic");
    break_instructions(&f);
    let out = biaogan(
        &["check", "--now", "2024-09-01", "--format", "json"],
        f.dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    let e = &errors[0];
    assert_eq!(e["moment"], "2024-09-25T00:00:00+08:00");
    assert!(e["message"].as_str().unwrap().contains("no-such-form"));
    assert!(
        e["file"].as_str().unwrap().ends_with("campaign.yaml"),
        "{e}"
    );
    // Markdown held in a YAML value is placed at that value (`instructions: |`).
    assert_eq!(e["line"], 31, "{e}");
    for key in ["line", "column", "field", "help"] {
        assert!(e.get(key).is_some(), "{key} missing in {e}");
    }
    assert_eq!(v["warnings"], serde_json::json!([]));

    let fine = fixture("basic");
    let ok = biaogan(
        &["check", "--now", "2024-10-20", "--format", "json"],
        fine.dir.path(),
    );
    assert_eq!(ok.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["errors"], serde_json::json!([]));
}

/// Parses `::error k=v,k=v::message` as the Actions runner does.
fn parse_annotation(line: &str) -> (Vec<(String, String)>, String) {
    let unescape = |s: &str| {
        s.replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let rest = line.strip_prefix("::error ").expect(line);
    let (props, msg) = rest.split_once("::").expect(line);
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect(p);
            (k.to_owned(), unescape(v))
        })
        .collect();
    (props, unescape(msg))
}

#[test]
fn github_annotations_parse_and_name_the_position() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let out = biaogan(
        &["build", "--now", "2024-10-20", "--format", "github"],
        f.dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let (props, msg) = parse_annotation(lines[0]);
    let get = |k: &str| props.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone());
    assert!(get("file").unwrap().ends_with("alpha.yaml"), "{props:?}");
    assert!(get("line").unwrap().parse::<usize>().unwrap() > 0);
    assert!(get("col").unwrap().parse::<usize>().unwrap() > 0);
    assert!(get("title").unwrap().contains("stage"), "{props:?}");
    assert!(msg.contains("nope"), "{msg}");
}
