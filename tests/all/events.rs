//! The exchange-event calendar: pages, month grid, iCalendar feeds (parsed
//! with a real iCalendar parser) and the Atom feed (parsed with a real Atom parser).

use crate::common::{biaogan, fixture};

use icalendar::{Calendar, CalendarComponent, Component, EventLike};

#[test]
fn an_event_is_visible_from_its_announced_date() {
    let f = fixture("basic");
    let before = f.site("2024-10-31");
    assert!(!before.has("events/2024-11-lecture-beijing/index.html"));
    assert!(!before.has("events/2024-11-lecture-beijing.ics"));
    assert!(!before.text("events.ics").contains("BEGIN:VEVENT"));
    assert_eq!(before.page("events/index.html").count(".event"), 0);
    let after = f.site("2024-11-01");
    assert!(after.has("events/2024-11-lecture-beijing/index.html"));
    assert_eq!(
        after.page("events/index.html").count(".event"),
        2,
        "the Chengdu visit is announced on 11-05"
    );
}

#[test]
fn events_page_splits_upcoming_and_past_by_month_with_a_grid() {
    let site = fixture("basic").site("2024-12-01");
    let p = site.page("events/index.html");
    assert_eq!(
        p.all("section[aria-labelledby=upcoming-h] h3.month"),
        ["2024年12月"]
    );
    assert_eq!(
        p.all("section[aria-labelledby=past-h] h3.month"),
        ["2024年11月"]
    );
    assert_eq!(p.all(".month-grid caption"), ["2024年12月"]);
    // December 2024 starts on a Sunday: the first row has six empty cells.
    let first_week = &p.rows(".month-grid")[0];
    assert_eq!(first_week.iter().filter(|c| c.is_empty()).count(), 6);
    let cell10 = p.rows(".month-grid")[2][1].clone();
    assert!(
        cell10.starts_with("10") && cell10.contains("标杆经验分享会"),
        "{cell10}"
    );
    let cancelled: Vec<String> = p.all(".event-cancelled .status");
    assert_eq!(cancelled, ["活动取消"]);
}

#[test]
fn event_page_shows_kind_time_weekday_place_hosts_and_registration() {
    let site = fixture("basic").site("2024-11-10");
    let p = site.page("events/2024-12-sharing-hangzhou/index.html");
    let meta = p.all(".case-meta dd");
    assert_eq!(meta[0], "标杆经验分享");
    assert_eq!(
        meta[1],
        "2024年12月10日（星期二）09:00 至 12月11日（星期三）12:00"
    );
    assert_eq!(meta[2], "杭州");
    assert_eq!(
        p.attrs(".hosts a", "href"),
        ["/2024/cases/alpha/", "/2024/cases/beta/"]
    );
    assert!(p.one(".case-meta").contains("2024年12月5日17:00"));
    assert_eq!(p.count(".share svg.qr"), 1);
    let lecture = site.page("events/2024-11-lecture-beijing/index.html");
    assert!(lecture
        .one(".case-meta")
        .contains("2024年11月20日（星期三）09:00—17:00"));
    assert!(
        lecture.one(".doc-body").contains("讲座介绍第二行"),
        "CJK soft break dropped"
    );
}

#[test]
fn a_cancelled_event_says_so_at_the_top() {
    let site = fixture("basic").site("2024-11-25");
    let p = site.page("events/2024-12-visit-chengdu/index.html");
    let first = p.all("article > *")[0].clone();
    assert!(first.starts_with("活动取消"), "{first}");
    assert!(first.contains("本次活动取消"));
    assert_eq!(p.attrs("article > :first-child", "role"), ["alert"]);
}

fn parse(text: &str) -> Calendar {
    text.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("not valid iCalendar: {e}\n{text}"))
}

fn events(cal: &Calendar) -> Vec<&icalendar::Event> {
    cal.components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn the_calendar_feed_is_rfc_5545() {
    let site = fixture("basic").site("2024-11-25");
    let text = site.text("events.ics");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
    }
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai"));
    let cal = parse(&text);
    let evs = events(&cal);
    assert_eq!(evs.len(), 3);
    let uids: Vec<&str> = evs.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(
        uids,
        [
            "2024-11-lecture-beijing@example.org",
            "2024-12-sharing-hangzhou@example.org",
            "2024-12-visit-chengdu@example.org"
        ]
    );
    let lecture = evs[0];
    assert_eq!(lecture.property_value("DTSTART"), Some("20241120T090000"));
    assert_eq!(
        lecture.properties()["DTSTART"].params()["TZID"].value(),
        "Asia/Shanghai"
    );
    assert_eq!(lecture.property_value("DTSTAMP"), Some("20241031T160000Z"));
    assert_eq!(
        lecture.get_location(),
        Some("北京 测试培训中心, 第一会议室; 三层"),
        "commas and semicolons round-trip"
    );
    assert_eq!(lecture.property_value("SEQUENCE"), Some("0"));
    // The long title was folded and unfolds intact.
    assert!(evs[1].get_summary().unwrap().ends_with("正确处理"));
    let cancelled = evs[2];
    assert_eq!(cancelled.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(cancelled.property_value("SEQUENCE"), Some("1"));
    assert!(cancelled.get_summary().unwrap().starts_with("【取消】"));
    // One event's own file.
    let one = parse(&site.text("events/2024-12-visit-chengdu.ics"));
    assert_eq!(events(&one).len(), 1);
}

#[test]
fn the_sequence_rises_when_a_change_is_recorded_and_uids_stay() {
    let f = fixture("basic");
    let before = parse(
        &f.site("2024-11-25")
            .text("events/2024-11-lecture-beijing.ics"),
    );
    f.edit(
        "events/2024-11-lecture-beijing.yaml",
        "announced: 2024-11-01",
        "announced: 2024-11-01\nstatus: postponed\nchanges:\n  - {date: 2024-11-10, note: 延期至12月举行}",
    );
    f.edit(
        "events/2024-11-lecture-beijing.yaml",
        "status: scheduled\n",
        "",
    );
    let after = parse(
        &f.site("2024-11-25")
            .text("events/2024-11-lecture-beijing.ics"),
    );
    let (b, a) = (events(&before)[0], events(&after)[0]);
    assert_eq!(b.get_uid(), a.get_uid());
    let seq = |e: &icalendar::Event| {
        e.property_value("SEQUENCE")
            .unwrap()
            .parse::<u32>()
            .unwrap()
    };
    assert!(seq(a) > seq(b));
    assert_eq!(a.property_value("STATUS"), Some("TENTATIVE"));
    assert_eq!(a.property_value("DTSTAMP"), Some("20241109T160000Z"));
    let page = f
        .site("2024-11-25")
        .page("events/2024-11-lecture-beijing/index.html");
    assert!(page
        .one(".event-status")
        .contains("活动延期：延期至12月举行"));
}

/// A change is public from its date, not from the day it was written into
/// the record: before it the event reads, in its page, its calendar entry
/// and the feed, as announced; with several changes, each earlier one with
/// its own status. The schedule lists each change's day.
#[test]
fn a_change_is_public_from_its_date_on() {
    let f = fixture("basic");
    // Announced 5 November, cancelled 20 November.
    let event = "events/2024-12-visit-chengdu.yaml";
    let ics = "events/2024-12-visit-chengdu.ics";
    let page = "events/2024-12-visit-chengdu/index.html";
    let at = |now: &str| {
        let site = f.site(now);
        let cal = parse(&site.text(ics));
        let e = events(&cal)[0];
        let status = site.page(page).all(".event-status").join("");
        let props =
            ["STATUS", "SEQUENCE", "DTSTAMP"].map(|p| e.property_value(p).unwrap().to_owned());
        (props, status, site.text("atom.xml"))
    };
    let (props, status, feed) = at("2024-11-19");
    assert_eq!(props, ["CONFIRMED", "0", "20241104T160000Z"]);
    assert!(!status.contains("取消"), "{status}");
    assert!(!feed.contains("活动取消"), "the feed before the change");
    // A drafts preview shows what is dated ahead, this change too.
    let mut drafts = f.options("2024-11-19");
    drafts.drafts = true;
    let preview = crate::common::Site {
        out: biaogan::pipeline::check(&drafts).unwrap(),
    };
    let status = preview.page(page).all(".event-status").join("");
    assert!(status.contains("活动取消"), "{status}");
    assert!(preview.text(ics).contains("STATUS:CANCELLED"));
    let (props, status, feed) = at("2024-11-20");
    assert_eq!(props, ["CANCELLED", "1", "20241119T160000Z"]);
    assert!(
        status.contains("活动取消：因承办单位工作安排调整"),
        "{status}"
    );
    assert!(feed.contains("活动取消"));
    let schedule = biaogan(&["schedule", "--now", "2024-11-01"], f.dir.path());
    let schedule = String::from_utf8_lossy(&schedule.stdout);
    assert!(
        schedule.contains("2024年11月20日 00:00　活动变更：/events/2024-12-visit-chengdu/"),
        "{schedule}"
    );

    // Postponed first, then cancelled: in between, 活动延期.
    f.edit(
        event,
        "changes:\n",
        "changes:\n  - {date: 2024-11-12, note: 活动延期，时间另行通知。, status: postponed}\n",
    );
    let (props, status, _) = at("2024-11-15");
    assert_eq!(props, ["TENTATIVE", "1", "20241111T160000Z"]);
    assert!(
        status.contains("活动延期：活动延期，时间另行通知。"),
        "{status}"
    );
    assert!(!status.contains("取消"), "{status}");
    let (props, _, _) = at("2024-11-21");
    assert_eq!(props[..2], ["CANCELLED", "2"]);

    // Several changes: each but the last says what the event reads after it.
    f.edit(event, ", status: postponed}", "}");
    let errors = f.errors("2024-11-21").to_string();
    assert!(
        errors.contains("changes[0]") && errors.contains("每条变更都要写明变更后的状态"),
        "{errors}"
    );
    f.edit(
        event,
        "时间另行通知。}",
        "时间另行通知。, status: postponed}",
    );
    // The last change's status is the event's: said twice, it must agree.
    f.edit(
        event,
        "本次活动取消。}",
        "本次活动取消。, status: postponed}",
    );
    let errors = f.errors("2024-11-21").to_string();
    assert!(errors.contains("changes[1].status"), "{errors}");
    assert!(errors.contains("最后一次变更的 status 是 postponed（活动延期），活动的 status 却是 cancelled（活动取消）"), "{errors}");
}

/// Changes of time or place alone need no status: they keep the status
/// before them (the event stays 按计划举行, or stays 延期), each counted from
/// its date; an event postponed or cancelled in the end must give the
/// status of every earlier change.
#[test]
fn changes_of_time_or_place_alone_keep_the_status_before_them() {
    let f = fixture("basic");
    let event = "events/2024-11-lecture-beijing.yaml";
    let status_on = |now: &str| {
        let site = f.site(now);
        let cal = parse(&site.text("events/2024-11-lecture-beijing.ics"));
        let e = events(&cal)[0];
        let page = site.page("events/2024-11-lecture-beijing/index.html");
        let changes = page.all("section[aria-labelledby=changes-h] li").join(" ");
        (e.property_value("STATUS").unwrap().to_owned(), changes)
    };
    f.edit(
        event,
        "announced: 2024-11-01",
        "announced: 2024-11-01\nchanges:\n  - {date: 2024-11-03, note: 时间改为上午十点。}\n  - {date: 2024-11-05, note: 活动延期。, status: postponed}\n  - {date: 2024-11-07, note: 地点改为第二会议室。}\n  - {date: 2024-11-09, note: 改至11月20日下午举行。}",
    );
    let (status, changes) = status_on("2024-11-04");
    assert_eq!(status, "CONFIRMED");
    assert!(
        changes.contains("上午十点") && !changes.contains("延期"),
        "{changes}"
    );
    // After the postponement, a change of place alone: still postponed.
    assert_eq!(status_on("2024-11-08").0, "TENTATIVE");
    // The last change: the event's own status.
    assert_eq!(status_on("2024-11-10").0, "CONFIRMED");
    // Cancelled in the end: the earlier changes without a status are errors.
    f.edit(event, "status: scheduled", "status: cancelled");
    let errors = f.errors("2024-11-10").to_string();
    for i in [0, 2] {
        assert!(errors.contains(&format!("changes[{i}]")), "{errors}");
    }
    assert!(!errors.contains("changes[1]"), "{errors}");
}

/// A change's date is checked where it is written: before the event was
/// announced, out of order, or after the event (probably a mistyped year,
/// a warning); each message points at that change's `date`.
#[test]
fn a_change_date_out_of_place_is_named_at_its_entry() {
    let f = fixture("basic");
    let event = "events/2024-12-visit-chengdu.yaml";
    let messages = |now: &str| -> Vec<(String, String, Option<usize>, bool)> {
        let d: Vec<_> = match biaogan::pipeline::load(&f.options(now)) {
            Ok(loaded) => loaded.site.warnings.iter().cloned().collect(),
            Err(d) => d.iter().cloned().collect(),
        };
        d.into_iter()
            .filter(|d| d.field.as_deref().is_some_and(|f| f.starts_with("changes")))
            .map(|d| {
                let warning = d.is_warning();
                (d.field.unwrap_or_default(), d.message, d.line, warning)
            })
            .collect()
    };
    f.edit(
        event,
        "  - {date: 2024-11-20, ",
        "  - {date: 2024-11-10, note: 时间调整。, status: scheduled}\n  - {date: 2024-11-08, ",
    );
    // An error at `field`, on `line`, saying `text`.
    let said = |field: &str, text: &str, line: usize| {
        let m = messages("2024-11-01");
        let found = m.iter().any(|(f, msg, l, warning)| {
            f == field && msg.contains(text) && *l == Some(line) && !warning
        });
        assert!(found, "{field} {text}: {m:?}");
    };
    said("changes[1].date", "按日期从早到晚", 12);
    f.edit(
        event,
        "{date: 2024-11-10, note: 时间调整。, status: scheduled}",
        "{date: 2024-11-01, note: 时间调整。, status: scheduled}",
    );
    said("changes[0].date", "早于活动发布日期", 11);
    f.edit(
        event,
        "{date: 2024-11-01, note: 时间调整。, status: scheduled}",
        "{date: 2024-11-10, note: 时间调整。, status: scheduled}",
    );
    f.edit(event, "{date: 2024-11-08, ", "{date: 2024-12-20, ");
    let m = messages("2024-11-01");
    assert_eq!(m.len(), 1, "{m:?}");
    let (field, msg, line, warning) = &m[0];
    assert_eq!(
        (field.as_str(), *line, *warning),
        ("changes[1].date", Some(12), true)
    );
    assert!(msg.contains("晚于活动结束日期 2024-12-18"), "{msg}");
    // An end written 24:00 ends on its own day, as everywhere else: a change
    // the next day is after the event.
    f.edit(event, "end: 2024-12-18T17:00", "end: \"2024-12-18 24:00\"");
    f.edit(event, "{date: 2024-12-20, ", "{date: 2024-12-19, ");
    let m = messages("2024-11-01");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].3 && m[0].1.contains("晚于活动结束日期 2024-12-18"),
        "{m:?}"
    );
}

#[test]
fn the_atom_feed_is_valid_with_stable_ids() {
    let f = fixture("basic");
    let parse = |now: &str| {
        atom_syndication::Feed::read_from(f.site(now).text("atom.xml").as_bytes()).unwrap()
    };
    let early = parse("2024-09-26");
    let late = parse("2024-12-20");
    let titles: Vec<String> = late
        .entries()
        .iter()
        .map(|e| e.title().to_string())
        .collect();
    assert_eq!(late.entries().len(), 7, "{titles:#?}");
    // Newest first: the revocation, then the events, results, publicity, notice.
    assert!(titles[0].starts_with("关于将"), "{titles:#?}");
    assert!(
        titles.last().unwrap().starts_with("关于开展2024年"),
        "{titles:#?}"
    );
    let id_of = |feed: &atom_syndication::Feed, prefix: &str| {
        feed.entries()
            .iter()
            .find(|e| e.title().starts_with(prefix))
            .map(|e| e.id().to_owned())
            .unwrap()
    };
    assert_eq!(
        id_of(&early, "关于开展"),
        id_of(&late, "关于开展"),
        "ids do not change between builds"
    );
    assert_eq!(
        id_of(&late, "关于开展"),
        "tag:example.org,2024-04-15:/2024/notice/"
    );
    for e in late.entries() {
        assert!(e.links()[0].href().starts_with("https://example.org/"));
    }
    assert_eq!(early.entries().len(), 2);
}

#[test]
fn open_data_has_a_stable_documented_schema() {
    let site = fixture("basic").site("2024-10-20");
    let json: serde_json::Value = serde_json::from_str(&site.text("2024/results.json")).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["results"]["number"], "中国质协字〔2024〕88号");
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["organization"], "乙建设集团有限公司");
    assert_eq!(cases[0]["credit_code"], "91330100MA2B3C4D5N");
    assert_eq!(cases[0]["status"], "listed");
    assert!(cases[0]["revocation"].is_null());
    let csv = site.text("2024/results.csv");
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM so spreadsheets read UTF-8"
    );
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert!(lines[0].starts_with("序号,组织名称,统一社会信用代码"));
    assert_eq!(lines.len(), 4, "header, two rows, final empty");
    assert!(lines[1].starts_with("1,乙建设集团有限公司,91330100MA2B3C4D5N,浙江省,建筑"));
    assert!(!site.has("2024/results.json") || site.has("2024/results/index.html"));
    assert!(
        !fixture("basic").site("2024-10-19").has("2024/results.json"),
        "not before the results"
    );
}

#[test]
fn check_fails_on_a_broken_internal_link_naming_page_and_link() {
    let f = fixture("basic");
    f.write(
        "campaigns/2024/cases/beta.md",
        "## 一、背景\n\n见[名单](/2024/resultz/)和[本页](#nowhere)。\n",
    );
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 2, "{d}");
    // Reported where they were written, not at the page.
    assert!(d
        .iter()
        .all(|e| e.file.ends_with("campaigns/2024/cases/beta.md") && e.line == Some(3)));
    assert!(d
        .iter()
        .any(|e| e.message.contains("链接 /2024/resultz/ 无效")
            && e.message.contains("页面 /2024/cases/beta/")));
    assert!(d
        .iter()
        .any(|e| e.message.contains("链接 #nowhere 无效") && e.column == Some(23)));
}

#[test]
fn every_page_has_a_description_and_open_graph_tags() {
    let site = fixture("basic").site("2024-12-20");
    for p in site.html_pages() {
        let page = site.page(&p);
        for prop in [
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
        ] {
            let v = page.attrs(&format!("meta[property=\"{prop}\"]"), "content");
            assert!(v.len() == 1 && !v[0].is_empty(), "{p}: {prop}");
        }
        assert!(
            !page.attrs("meta[name=description]", "content")[0].is_empty(),
            "{p}"
        );
    }
    assert!(site.text("robots.txt").contains("Sitemap:"));
    assert!(site.has("404.html"));
}

#[test]
fn links_in_raw_html_and_footnotes_of_a_summary_are_checked_too() {
    // Summaries bring their links from the Markdown; raw HTML and footnotes
    // take the slower path through the HTML, which must catch these as well.
    let f = fixture("basic");
    f.write(
        "campaigns/2024/cases/beta.md",
        "## 一、背景\n\n<p><a href=\"/2024/nope/\">原始链接</a></p>\n\n注释[^1]。\n\n[^1]: 见[名单](/2024/results/#gone)。\n",
    );
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 2, "{d}");
    let at = |e: &biaogan::diagnostics::Diagnostic| (e.file.ends_with("beta.md"), e.line);
    assert!(d
        .iter()
        .any(|e| e.message.contains("链接 /2024/nope/ 无效") && at(e) == (true, Some(3))));
    assert!(d
        .iter()
        .any(|e| e.message.contains("没有 #gone 这个位置") && at(e) == (true, Some(7))));
}

/// Two October events of the basic fixture: an evening ending at 24:00 on
/// the 调休 Saturday 10-12, and a sharing day on 10-20.
fn with_october_events() -> crate::common::Fixture {
    let f = fixture("basic");
    f.write(
        "events/2024-10-evening-suzhou.yaml",
        "title: 质量沙龙（苏州站）\nkind: lecture\nstart: 2024-10-12T19:00\nend: 2024-10-12T24:00\ncity: 苏州\nvenue: 会议中心\nhosts: []\nstatus: scheduled\nannounced: 2024-09-01\n",
    );
    f.write(
        "events/2024-10-sharing-wuxi.yaml",
        "title: 标杆经验分享会（无锡站）\nkind: sharing\nstart: 2024-10-20T09:00\nend: 2024-10-20T17:00\ncity: 无锡\nvenue: 报告厅\nhosts: []\nstatus: scheduled\nannounced: 2024-09-01\n",
    );
    f
}

#[test]
fn an_event_ending_at_24_00_ends_at_24_00_of_its_day() {
    let f = with_october_events();
    let site = f.site("2024-09-20");
    let p = site.page("events/2024-10-evening-suzhou/index.html");
    assert_eq!(
        p.all(".case-meta dd")[1],
        "2024年10月12日（星期六）19:00—24:00"
    );
    let list = site.page("events/index.html");
    assert!(list
        .all(".event-when")
        .contains(&"2024年10月12日（星期六）19:00—24:00 · 苏州".to_owned()));
    assert!(!site.text("atom.xml").contains("10月13日"));
}

#[test]
fn postponed_and_cancelled_events_are_their_own_group_and_months_read_one_way() {
    let f = with_october_events();
    let site = f.site("2024-12-20");
    let p = site.page("events/index.html");
    assert_eq!(
        p.all("section[aria-labelledby=changed-h] .event h3"),
        ["现场参观交流（成都站）"]
    );
    let past = p.all("section[aria-labelledby=past-h] .event h4");
    assert!(!past.iter().any(|t| t.contains("成都")), "{past:?}");
    // Newest month first, and within a month newest event first.
    assert_eq!(
        p.all("section[aria-labelledby=past-h] h3.month"),
        ["2024年12月", "2024年11月", "2024年10月"]
    );
    let october: Vec<&String> = past
        .iter()
        .filter(|t| t.contains("无锡") || t.contains("苏州"))
        .collect();
    assert_eq!(october, ["标杆经验分享会（无锡站）", "质量沙龙（苏州站）"]);
    // Upcoming: oldest first in both.
    let early = f.site("2024-09-20").page("events/index.html");
    assert_eq!(
        early.all("section[aria-labelledby=upcoming-h] .event h4"),
        ["质量沙龙（苏州站）", "标杆经验分享会（无锡站）"]
    );
    // Natural label for the organisations that host the event.
    let host = site.page("events/2024-12-sharing-hangzhou/index.html");
    assert!(host.all(".case-meta dt").contains(&"标杆组织".to_owned()));
    assert!(!site
        .text("events/2024-12-sharing-hangzhou/index.html")
        .contains("承办标杆"));
}

#[test]
fn the_month_grid_marks_holidays_and_workdays_in_words() {
    let site = with_october_events().site("2024-09-20");
    let p = site.page("events/index.html");
    assert_eq!(p.all(".month-grid caption"), ["2024年10月"]);
    // 10-01…10-07 国庆节, 10-12 调休上班: a character and hidden words, not colour alone.
    assert_eq!(p.count(".month-grid td.day-holiday"), 7);
    assert_eq!(
        p.all(".month-grid td.day-workday .day"),
        ["12 班（调休上班）"]
    );
    assert!(p
        .all(".month-grid td.day-holiday .day")
        .iter()
        .all(|d| d.ends_with("休（法定节假日）")));
    assert_eq!(p.one(".grid-legend"), "休法定节假日　班调休上班日");
}

#[test]
fn feed_and_calendar_summaries_are_sentences() {
    let site = fixture("basic").site("2024-11-25");
    let atom = site.text("atom.xml");
    let summaries: Vec<&str> = atom
        .split("<summary>")
        .skip(1)
        .filter_map(|s| s.split("</summary>").next())
        .collect();
    assert!(!summaries.is_empty());
    for s in &summaries {
        assert!(s.ends_with('。'), "{s}");
    }
    assert!(
        summaries
            .contains(&"现场参观交流，原定2024年12月18日（星期三）13:30—17:00，成都。活动取消。"),
        "{summaries:?}"
    );
}
