//! Where a publicity period stands at a given moment.

use chrono::NaiveDateTime;

use super::holidays::{Calendar, MissingYear};
use super::site::Publicity;

/// Status of the publicity at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicityStatus {
    /// Before the first day.
    NotYetOpen,
    /// Objections are being accepted.
    Open {
        /// Working days from today (counted if a working day) to the last day.
        days_left: u32,
        /// Whether today is a working day: on a weekend or holiday inside the
        /// period the office is closed, and today does not count.
        working_today: bool,
    },
    /// After the last day's closing time.
    Closed,
}

impl PublicityStatus {
    /// Computes the status of `p` at `now`.
    pub fn at(p: &Publicity, cal: &Calendar, now: NaiveDateTime) -> Result<Self, MissingYear> {
        if now.date() < p.start {
            return Ok(PublicityStatus::NotYetOpen);
        }
        if now >= p.closes_at() {
            return Ok(PublicityStatus::Closed);
        }
        // The last day is a working day on or after today, so this is at least 1.
        let days_left = cal.working_days_between(now.date(), p.end.date())?;
        let working_today = cal.is_working_day(now.date())?;
        Ok(PublicityStatus::Open {
            days_left,
            working_today,
        })
    }

    /// Chinese wording for the publicity page: `公示中，还剩8个工作日（含今天）`.
    pub fn label(self) -> String {
        match (self, self.detail()) {
            (PublicityStatus::NotYetOpen, _) => "公示尚未开始".into(),
            (PublicityStatus::Open { .. }, Some(detail)) => format!("公示中，{detail}"),
            (PublicityStatus::Open { .. }, None) => "公示中".into(),
            (PublicityStatus::Closed, _) => "公示期已结束".into(),
        }
    }

    /// While open, what follows the phase name `公示中`, so that a page that
    /// already says 公示中 adds only this: `还剩8个工作日（含今天）`.
    pub fn detail(self) -> Option<String> {
        match self {
            PublicityStatus::Open {
                days_left: 1,
                working_today: true,
            } => Some("今天是最后一个工作日".into()),
            PublicityStatus::Open {
                days_left,
                working_today: true,
            } => Some(format!("还剩{days_left}个工作日（含今天）")),
            PublicityStatus::Open {
                days_left,
                working_today: false,
            } => Some(format!("今天非工作日，还剩{days_left}个工作日")),
            PublicityStatus::NotYetOpen | PublicityStatus::Closed => None,
        }
    }

    /// Short machine name, for CSS classes and tests.
    pub fn key(self) -> &'static str {
        match self {
            PublicityStatus::NotYetOpen => "upcoming",
            PublicityStatus::Open { .. } => "open",
            PublicityStatus::Closed => "closed",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::model::holidays::YearRules;
    use crate::model::site::Source;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 2024's National Day: 10-01…10-07 off, Sunday 09-29 and Saturday 10-12 worked.
    fn calendar() -> Calendar {
        let mut y = YearRules::default();
        y.holidays
            .extend(d("2024-10-01").iter_days().take(7).collect::<Vec<_>>());
        y.workdays.extend([d("2024-09-29"), d("2024-10-12")]);
        Calendar::new(BTreeMap::from([(2024, y)]))
    }

    /// The period: 10 working days from Thursday 2024-09-26 end on Monday 10-14.
    fn publicity(cal: &Calendar) -> Publicity {
        Publicity {
            number: None,
            title: "公示".into(),
            start: d("2024-09-26"),
            end: cal.add_working_days(d("2024-09-26"), 10).unwrap(),
            working_days: 10,
            until_time: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            instructions: Source {
                file: PathBuf::from("campaign.yaml"),
                text: String::new(),
                at: None,
            },
        }
    }

    fn at(now: &str) -> PublicityStatus {
        let cal = calendar();
        let p = publicity(&cal);
        let now = NaiveDateTime::parse_from_str(now, "%Y-%m-%d %H:%M").unwrap();
        PublicityStatus::at(&p, &cal, now).unwrap()
    }

    #[test]
    fn the_period_ends_on_the_tenth_working_day() {
        let cal = calendar();
        assert_eq!(publicity(&cal).end.date(), d("2024-10-14"));
    }

    #[test]
    fn working_days_count_today() {
        assert_eq!(
            at("2024-09-26 09:00").label(),
            "公示中，还剩10个工作日（含今天）"
        );
        assert_eq!(
            at("2024-10-12 10:00").label(),
            "公示中，还剩2个工作日（含今天）"
        );
    }

    #[test]
    fn a_weekend_inside_the_period_is_not_the_last_working_day() {
        let s = at("2024-10-13 10:00");
        assert_eq!(s.label(), "公示中，今天非工作日，还剩1个工作日");
        assert_eq!(s.detail().as_deref(), Some("今天非工作日，还剩1个工作日"));
        assert_eq!(
            at("2024-09-28 10:00").label(),
            "公示中，今天非工作日，还剩8个工作日"
        );
    }

    #[test]
    fn a_holiday_inside_the_period_says_so() {
        // 10-08…10-11, 10-12 (调休) and 10-14 remain.
        assert_eq!(
            at("2024-10-03 12:00").label(),
            "公示中，今天非工作日，还剩6个工作日"
        );
        assert_eq!(
            at("2024-10-07 23:59").label(),
            "公示中，今天非工作日，还剩6个工作日"
        );
    }

    #[test]
    fn the_last_day_closes_at_five() {
        assert_eq!(
            at("2024-10-14 16:59").label(),
            "公示中，今天是最后一个工作日"
        );
        assert_eq!(at("2024-10-14 17:00"), PublicityStatus::Closed);
        assert_eq!(at("2024-10-14 20:00").label(), "公示期已结束");
        assert_eq!(at("2024-10-14 20:00").detail(), None);
    }

    #[test]
    fn before_the_first_day_it_has_not_started() {
        assert_eq!(at("2024-09-25 23:59").label(), "公示尚未开始");
    }
}
