//! Dates, numbers and sizes written the way Chinese official documents write them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// `2024年4月15日`.
pub fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2024年8月5日至8月16日` (the year is not repeated within one year).
pub fn period(a: NaiveDate, b: NaiveDate) -> String {
    if a.year() == b.year() {
        format!("{}至{}月{}日", date(a), b.month(), b.day())
    } else {
        format!("{}至{}", date(a), date(b))
    }
}

/// `星期一`.
pub fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// `17:00`.
pub fn time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// A deadline: midnight is written as 24:00 of the day before, as notices do.
pub fn deadline(dt: NaiveDateTime) -> String {
    if dt.time() == NaiveTime::MIN {
        if let Some(prev) = dt.date().pred_opt() {
            return format!("{}24:00", date(prev));
        }
    }
    format!("{}{}", date(dt.date()), time(dt.time()))
}

/// When an event takes place, the one wording every page, feed and
/// calendar uses: `2024年9月20日（星期五）09:00—17:00`, or across days
/// `2024年10月17日（星期四）09:00 至 10月18日（星期五）12:00`. An end at
/// midnight is 24:00 of the day before (`T24:00` in the record), never
/// 00:00 of the day it starts.
pub fn event_span(start: NaiveDateTime, end: NaiveDateTime) -> String {
    let (end_day, end_time) = match end.date().pred_opt() {
        Some(prev) if end.time() == NaiveTime::MIN && end.date() > start.date() => {
            (prev, "24:00".to_owned())
        }
        _ => (end.date(), time(end.time())),
    };
    let day = |d: NaiveDate| format!("{}（{}）", date(d), weekday(d));
    let from = format!("{}{}", day(start.date()), time(start.time()));
    if end_day <= start.date() {
        return format!("{from}—{end_time}");
    }
    let to = match end_day.year() == start.year() {
        true => format!(
            "{}月{}日（{}）",
            end_day.month(),
            end_day.day(),
            weekday(end_day)
        ),
        false => day(end_day),
    };
    format!("{from} 至 {to}{end_time}")
}

/// A deadline as a notice words it: `2024年5月31日24点`, `2024年6月1日17点30分`.
pub fn deadline_spoken(dt: NaiveDateTime) -> String {
    let (day, h, m) = match dt.date().pred_opt() {
        Some(prev) if dt.time() == NaiveTime::MIN => (prev, 24, 0),
        _ => (dt.date(), dt.hour(), dt.minute()),
    };
    match m {
        0 => format!("{}{h}点", date(day)),
        _ => format!("{}{h}点{m}分", date(day)),
    }
}

/// Whether a heading carries its own number (`第一章 总则`, `一、背景`,
/// `（二）做法`, `1. 目标`), so a list of headings must not number it again.
pub fn numbered_heading(text: &str) -> bool {
    let t = text.trim_start();
    let numeral = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let ordinal = t.strip_prefix('第').is_some_and(|r| {
        let rest = r.trim_start_matches(numeral);
        rest.len() < r.len() && rest.starts_with(['章', '节', '条', '部', '篇'])
    });
    let chinese_numbered = ordinal
        || t.strip_prefix('（').is_some_and(|r| r.starts_with(numeral))
        || t.split_once('、')
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(numeral));
    let arabic = t
        .split_once(['.', '、', '．'])
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    chinese_numbered || arabic
}

/// A title in quotation marks: `“…”`, with the title's own `“…”` turned
/// into `‘…’` as quotes inside quotes are written (GB/T 15834).
pub fn quote(title: &str) -> String {
    let inner: String = title
        .chars()
        .map(|ch| match ch {
            '“' => '‘',
            '”' => '’',
            other => other,
        })
        .collect();
    format!("“{inner}”")
}

/// The title of an announcement removing `case_title` of `organization`
/// from the list of `year`.
pub fn revocation_title(organization: &str, case_title: &str, year: i32) -> String {
    format!(
        "关于将{organization}{}从{year}年质量标杆典型经验名单中移除的公告",
        quote(case_title)
    )
}

/// The size of a final list, the same on every page: `共20项`, and once
/// cases were removed `共20项（其中1项已移除）`.
pub fn list_count(approved: usize, removed: usize) -> String {
    match removed {
        0 => format!("共{approved}项"),
        _ => format!("共{approved}项（其中{removed}项已移除）"),
    }
}

/// `一`, `二`, ... `二十` for section numbering.
pub fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

/// `28.4 KB`.
pub fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    }
}

/// The kind of a download, from its extension.
pub fn file_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "doc" | "docx" => "Word 文档",
        "xls" | "xlsx" => "Excel 表格",
        "ppt" | "pptx" => "PowerPoint 演示文稿",
        "pdf" => "PDF 文件",
        "zip" | "rar" | "7z" => "压缩包",
        "wps" => "WPS 文档",
        "txt" => "文本文件",
        _ => "文件",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn official_forms() {
        assert_eq!(date(d("2024-04-15")), "2024年4月15日");
        assert_eq!(
            period(d("2024-08-05"), d("2024-08-16")),
            "2024年8月5日至8月16日"
        );
        assert_eq!(
            period(d("2024-12-25"), d("2025-01-08")),
            "2024年12月25日至2025年1月8日"
        );
        assert_eq!(weekday(d("2024-10-12")), "星期六");
        assert_eq!(
            deadline(d("2024-06-01").and_time(NaiveTime::MIN)),
            "2024年5月31日24:00"
        );
        assert_eq!(numeral(4), "四");
        assert_eq!(numeral(12), "十二");
        assert_eq!(numeral(23), "二十三");
        assert_eq!(size(29082), "28.4 KB");
        assert_eq!(file_type("a.DOCX"), "Word 文档");
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn event_spans_one_wording() {
        assert_eq!(
            event_span(at("2024-10-17 09:00"), at("2024-10-18 12:00")),
            "2024年10月17日（星期四）09:00 至 10月18日（星期五）12:00"
        );
        assert_eq!(
            event_span(at("2024-09-20 09:00"), at("2024-09-20 17:00")),
            "2024年9月20日（星期五）09:00—17:00"
        );
        // T24:00 is stored as the next day's 00:00: 24:00 of its own day.
        assert_eq!(
            event_span(at("2024-09-20 19:00"), at("2024-09-21 00:00")),
            "2024年9月20日（星期五）19:00—24:00"
        );
        assert_eq!(
            event_span(at("2024-12-31 09:00"), at("2025-01-02 00:00")),
            "2024年12月31日（星期二）09:00 至 2025年1月1日（星期三）24:00"
        );
        assert_eq!(deadline_spoken(at("2024-06-01 00:00")), "2024年5月31日24点");
        assert_eq!(
            deadline_spoken(at("2024-06-01 17:30")),
            "2024年6月1日17点30分"
        );
    }

    #[test]
    fn numbered_headings() {
        for h in [
            "一、背景",
            "（二）做法",
            "第一章 总则",
            "1. 目标",
            "12、成效",
        ] {
            assert!(numbered_heading(h), "{h}");
        }
        for h in ["背景", "一体化管理", "5G应用", "第三方评价"] {
            assert!(!numbered_heading(h), "{h}");
        }
    }

    #[test]
    fn quotes_nest() {
        assert_eq!(quote("数字化追溯"), "“数字化追溯”");
        assert_eq!(quote("“小组大成效”——长效机制"), "“‘小组大成效’——长效机制”");
        assert_eq!(
            revocation_title("甲公司", "“小组”活动", 2024),
            "关于将甲公司“‘小组’活动”从2024年质量标杆典型经验名单中移除的公告"
        );
    }
}
