//! The publicity status on every kind of day (issue 11, item 4): the basic
//! fixture's period 2024-09-25…10-12 spans a weekend, National Day and the
//! 调休 Saturday 10-12, its last day.

use crate::common::fixture;

const PAGE: &str = "2024/publicity/index.html";

/// The status line of the publicity page and the phase line of the home page at `now`.
fn lines(now: &str) -> (String, String) {
    let site = fixture("basic").site(now);
    (
        site.page(PAGE).one(".status"),
        site.page("index.html").one(".phase"),
    )
}

#[test]
fn a_working_day_counts_itself() {
    let (status, phase) = lines("2024-09-25 09:00");
    assert_eq!(status, "公示中，还剩10个工作日（含今天）");
    assert_eq!(phase, "当前阶段：公示中，还剩10个工作日（含今天）");
}

#[test]
fn a_weekend_inside_the_period_says_it_is_not_a_working_day() {
    // Saturday 09-28; 09-29 (a Sunday) is worked, then 09-30 and 10-08…10-12.
    let (status, phase) = lines("2024-09-28 10:00");
    assert_eq!(status, "公示中，今天非工作日，还剩7个工作日");
    assert_eq!(phase, "当前阶段：公示中，今天非工作日，还剩7个工作日");
}

#[test]
fn a_holiday_inside_the_period_is_not_the_last_working_day() {
    for now in ["2024-10-03 10:00", "2024-10-07 22:00"] {
        let (status, _) = lines(now);
        assert_eq!(status, "公示中，今天非工作日，还剩5个工作日", "{now}");
    }
}

#[test]
fn the_last_day_is_open_until_five_and_closed_that_evening() {
    let (status, _) = lines("2024-10-12 16:59");
    assert_eq!(status, "公示中，今天是最后一个工作日");
    let (status, phase) = lines("2024-10-12 17:00");
    assert_eq!(status, "公示期已结束");
    assert_eq!(phase, "当前阶段：公示结束，待公布结果");
}

#[test]
fn no_label_is_said_twice() {
    for now in [
        "2024-09-25 09:00",
        "2024-10-12 18:00",
        "2024-10-20",
        "2024-12-31",
    ] {
        let site = fixture("basic").site(now);
        for path in ["index.html", "2024/index.html", PAGE] {
            let page = site.page(path);
            for line in page.all(".phase, .status") {
                for word in ["公示中", "公示期已结束", "结果已公布", "公示结束"] {
                    assert!(line.matches(word).count() <= 1, "{path} at {now}: {line}");
                }
                assert!(!line.contains("（公示"), "{path} at {now}: {line}");
            }
        }
    }
}

#[test]
fn the_publicity_page_says_the_deadline_once_and_agrees_with_the_notice() {
    for (name, sample) in [("basic", false), ("sample", true)] {
        let text = if sample {
            let mut o = biaogan::pipeline::Options::new(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            );
            o.now = Some(crate::common::now_at("2024-08-06"));
            let out = biaogan::pipeline::check(&o).unwrap_or_else(|d| panic!("{d}"));
            crate::common::Site { out }.page(PAGE).one("main")
        } else {
            fixture("basic").site("2024-09-26").page(PAGE).one("main")
        };
        // 10 working days (第十八条); objections must arrive by the deadline.
        assert_eq!(text.matches("17:00").count(), 1, "{name}: {text}");
        assert!(!text.contains("邮戳"), "{name}: {text}");
        assert_eq!(text.matches("现予以公示").count(), 1, "{name}: {text}");
        assert!(text.contains("以办公室收到的时间为准"), "{name}");
    }
}
