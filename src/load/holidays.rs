//! `holidays.yaml`: the working-day calendar that publicity periods and
//! deadlines are counted in.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use super::{read, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::holidays::{Calendar, YearRules};
use crate::model::records::HolidayYear;

pub(super) fn load_calendar(root: &Path, file: &Path, diags: &mut Diagnostics) -> Option<Calendar> {
    let src = read(root, file, diags)?;
    let years: BTreeMap<i32, HolidayYear> = match yaml::parse(file, &src) {
        Ok(y) => {
            super::lines::warn_comments(file, &src, diags);
            y
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut out = BTreeMap::new();
    let before = diags.error_count();
    for (year, rec) in years {
        let rules = year_rules(file, &src, year, &rec, diags);
        out.insert(year, rules);
    }
    (diags.error_count() == before).then(|| Calendar::new(out))
}

/// One year's holidays and working days, each mistake reported at its line.
fn year_rules(
    file: &Path,
    src: &str,
    year: i32,
    rec: &HolidayYear,
    diags: &mut Diagnostics,
) -> YearRules {
    let y = year.to_string();
    let mut rules = YearRules::default();
    for (i, h) in rec.holidays.iter().enumerate() {
        let idx = i.to_string();
        let at = yaml::locate(src, &[&y, "holidays", &idx]);
        let err = |message: String, help: &str| {
            Diagnostic::new(file, message)
                .field(format!("{year}.holidays[{i}]"))
                .at_opt(src, at)
                .help(help)
        };
        if h.start > h.end {
            diags.push(err(
                format!("放假区间的开始日期 {} 晚于结束日期 {}", h.start, h.end),
                "把 start 和 end 对调",
            ));
            continue;
        }
        if h.start.year() != year || h.end.year() != year {
            diags.push(err(
                format!("放假区间 {} 至 {} 不在 {year} 年内", h.start, h.end),
                "把它写在所在年份下面；跨年的假期在 12 月 31 日处拆成两段",
            ));
            continue;
        }
        rules
            .holidays
            .extend(h.start.iter_days().take_while(|d| *d <= h.end));
    }
    let list = yaml::locate(src, &[&y, "workdays"]);
    for (i, w) in rec.workdays.iter().enumerate() {
        // The date itself, in a flow list `[2024-02-04, …]` or one per line.
        let at = list
            .and_then(|(l, _)| date_at(src, l, &w.to_string()))
            .or(list);
        let d = Diagnostic::new(file, "")
            .field(format!("{year}.workdays[{i}]"))
            .at_opt(src, at);
        if w.year() != year {
            diags.push(Diagnostic {
                message: format!("{w} 不在 {year} 年内"),
                help: Some("把它写在所在年份的 workdays 下面".into()),
                ..d
            });
        } else if !matches!(w.weekday(), Weekday::Sat | Weekday::Sun) {
            diags.push(Diagnostic {
                message: format!("{w} 是工作日（周一至周五）：workdays 只列出调休上班的周六、周日"),
                help: Some("删除这个日期，或者对照国务院办公厅的节假日安排通知核对日期".into()),
                ..d
            });
        } else if rules.holidays.contains(w) {
            diags.push(Diagnostic {
                message: format!("{w} 同时写成了放假日和调休上班日"),
                help: Some("对照节假日安排通知，删除错误的一处".into()),
                ..d
            });
        } else {
            rules.workdays.insert(*w);
        }
    }
    rules
}

/// Line and column of `text` at or after line `from`.
fn date_at(src: &str, from: usize, text: &str) -> Option<(usize, usize)> {
    src.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, l)| l.find(text).map(|b| (i + 1, l[..b].chars().count() + 1)))
}

/// Reports each of `dates` (field, date) in a year `cal` does not cover: the
/// working-day calendar may be asked about any of them, and a date past the
/// last year listed is most often a typo or a copied record.
pub(super) fn check_covered(
    cal: Option<&Calendar>,
    fx: &FileCtx,
    dates: &[(String, NaiveDate)],
    diags: &mut Diagnostics,
) {
    let Some(cal) = cal else { return };
    for (field, d) in dates {
        if let Err(m) = cal.covers(*d) {
            diags.push(fx.err(field, m.to_string()));
        }
    }
}
