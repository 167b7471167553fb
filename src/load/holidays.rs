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
        let y = year.to_string();
        let mut rules = YearRules::default();
        for (i, h) in rec.holidays.iter().enumerate() {
            let idx = i.to_string();
            let at = yaml::locate(&src, &[&y, "holidays", &idx]);
            if h.start > h.end {
                diags.push(
                    Diagnostic::new(
                        file,
                        format!("holiday range starts {} after it ends {}", h.start, h.end),
                    )
                    .field(format!("{year}.holidays[{i}]"))
                    .at_opt(&src, at)
                    .help("swap start and end"),
                );
                continue;
            }
            if h.start.year() != year || h.end.year() != year {
                diags.push(
                    Diagnostic::new(
                        file,
                        format!("holiday {}..{} is not in {year}", h.start, h.end),
                    )
                    .field(format!("{year}.holidays[{i}]"))
                    .at_opt(&src, at)
                    .help("list it under the year it falls in, or split it at the year end"),
                );
                continue;
            }
            rules
                .holidays
                .extend(h.start.iter_days().take_while(|d| *d <= h.end));
        }
        for (i, w) in rec.workdays.iter().enumerate() {
            let at = yaml::locate(&src, &[&y, "workdays"]);
            let field = format!("{year}.workdays[{i}]");
            if w.year() != year {
                diags.push(
                    Diagnostic::new(file, format!("{w} is not in {year}"))
                        .field(field)
                        .at_opt(&src, at),
                );
            } else if !matches!(w.weekday(), Weekday::Sat | Weekday::Sun) {
                diags.push(
                    Diagnostic::new(file, format!("{w} is a weekday; `workdays` lists only weekend days that are working days"))
                        .field(field)
                        .at_opt(&src, at)
                        .help("remove it, or check the date against the State Council notice"),
                );
            } else if rules.holidays.contains(w) {
                diags.push(
                    Diagnostic::new(
                        file,
                        format!("{w} is listed both as a holiday and as a working day"),
                    )
                    .field(field)
                    .at_opt(&src, at),
                );
            } else {
                rules.workdays.insert(*w);
            }
        }
        out.insert(year, rules);
    }
    (diags.error_count() == before).then(|| Calendar::new(out))
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
