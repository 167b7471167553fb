//! The official holiday calendar (国务院办公厅 节假日安排) and working-day arithmetic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// A date known to be a working day under the official calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct WorkingDay(NaiveDate);

impl WorkingDay {
    /// The calendar date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// A computation needed a year the calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingYear(pub i32);

impl fmt::Display for MissingYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "holidays.yaml 里没有 {y} 年的安排：使用 {y} 年的日期之前，请按国务院办公厅发布的 {y} 年节假日安排（放假日和调休上班日）补上",
            y = self.0
        )
    }
}

/// One year's arrangement: days off and weekend days that are working days.
#[derive(Debug, Clone, Default)]
pub struct YearRules {
    /// Dates offices are closed although they are weekdays (or any day in a holiday range).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend dates that are working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

/// What holidays.yaml says of a day, for month grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayMark {
    /// 法定节假日 (放假).
    Holiday,
    /// 调休上班: a weekend day that is a working day.
    Workday,
}

/// The holiday calendar for the years it covers.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearRules>,
}

impl Calendar {
    /// Builds a calendar from per-year rules.
    pub fn new(years: BTreeMap<i32, YearRules>) -> Self {
        Calendar { years }
    }

    /// The years covered.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Fails with [`MissingYear`] unless the calendar covers `date`'s year.
    pub fn covers(&self, date: NaiveDate) -> Result<(), MissingYear> {
        if self.years.contains_key(&date.year()) {
            Ok(())
        } else {
            Err(MissingYear(date.year()))
        }
    }

    /// How holidays.yaml marks `date`, if at all: a holiday, or a weekend
    /// day that is a working day (调休上班). Years it does not cover are unmarked.
    pub fn mark(&self, date: NaiveDate) -> Option<DayMark> {
        let rules = self.years.get(&date.year())?;
        if rules.workdays.contains(&date) {
            Some(DayMark::Workday)
        } else if rules.holidays.contains(&date) {
            Some(DayMark::Holiday)
        } else {
            None
        }
    }

    /// Whether offices work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, MissingYear> {
        let rules = self
            .years
            .get(&date.year())
            .ok_or(MissingYear(date.year()))?;
        if rules.workdays.contains(&date) {
            return Ok(true);
        }
        if rules.holidays.contains(&date) {
            return Ok(false);
        }
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The `n`-th working day counting from `start`, where `start` itself is
    /// day 1 when it is a working day (the usual reading of "公示期为N个工作日").
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<WorkingDay, MissingYear> {
        let mut count = 0;
        let mut day = start;
        loop {
            if self.is_working_day(day)? {
                count += 1;
                if count >= n.max(1) {
                    return Ok(WorkingDay(day));
                }
            }
            day = day.succ_opt().ok_or(MissingYear(day.year() + 1))?;
        }
    }

    /// Working days in `from..=to` (0 when `to` is before `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, MissingYear> {
        let mut count = 0;
        let mut day = from;
        while day <= to {
            if self.is_working_day(day)? {
                count += 1;
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn range(a: &str, b: &str) -> Vec<NaiveDate> {
        d(a).iter_days().take_while(|x| *x <= d(b)).collect()
    }

    /// The official 2024 and 2025 arrangements (国办发明电〔2023〕7号, 〔2024〕12号).
    fn official() -> Calendar {
        let mut y24 = YearRules::default();
        for (a, b) in [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ] {
            y24.holidays.extend(range(a, b));
        }
        for w in [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ] {
            y24.workdays.insert(d(w));
        }
        let mut y25 = YearRules::default();
        for (a, b) in [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ] {
            y25.holidays.extend(range(a, b));
        }
        for w in [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ] {
            y25.workdays.insert(d(w));
        }
        Calendar::new(BTreeMap::from([(2024, y24), (2025, y25)]))
    }

    #[test]
    fn national_day_2024_ends_on_a_working_saturday() {
        let end = official().add_working_days(d("2024-09-25"), 10).unwrap();
        assert_eq!(end.date(), d("2024-10-12"));
        assert_eq!(end.date().weekday(), Weekday::Sat);
    }

    #[test]
    fn spring_festival_2024() {
        // 2024-02-05 (Mon) .. 02-09 are 5 days, 02-10..17 off, 02-18 (Sun) works.
        let end = official().add_working_days(d("2024-02-05"), 10).unwrap();
        assert_eq!(end.date(), d("2024-02-22"));
    }

    #[test]
    fn spring_festival_2025_with_adjusted_sunday_and_saturday() {
        // 01-24 Fri(1), 01-26 Sun works(2), 01-27 Mon(3), 01-28..02-04 off,
        // 02-05 (4) .. 02-07 (6), 02-08 Sat works (7), 02-10..02-12 (8..10).
        let end = official().add_working_days(d("2025-01-24"), 10).unwrap();
        assert_eq!(end.date(), d("2025-02-12"));
    }

    #[test]
    fn start_on_a_holiday_is_not_counted() {
        let end = official().add_working_days(d("2024-10-01"), 1).unwrap();
        assert_eq!(end.date(), d("2024-10-08"));
    }

    #[test]
    fn plain_august_fortnight() {
        let end = official().add_working_days(d("2024-08-05"), 10).unwrap();
        assert_eq!(end.date(), d("2024-08-16"));
        assert_eq!(
            official()
                .working_days_between(d("2024-08-05"), d("2024-08-16"))
                .unwrap(),
            10
        );
    }

    #[test]
    fn crossing_into_an_uncovered_year_names_the_year() {
        let err = official()
            .add_working_days(d("2025-12-20"), 10)
            .unwrap_err();
        assert_eq!(err, MissingYear(2026));
        assert!(err.to_string().contains("2026"));
    }
}
