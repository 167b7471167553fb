//! Where a publicity period stands at a given moment.

use chrono::NaiveDateTime;

use super::holidays::{Calendar, MissingYear};
use super::site::Publicity;

/// Status of the publicity at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicityStatus {
    /// Before the first day.
    NotYetOpen,
    /// Objections are being accepted; working days left including today.
    Open {
        /// Working days from today (if a working day) to the last day.
        days_left: u32,
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
        let days_left = cal.working_days_between(now.date(), p.end.date())?.max(1);
        Ok(PublicityStatus::Open { days_left })
    }

    /// Chinese wording for pages.
    pub fn label(self) -> String {
        match self {
            PublicityStatus::NotYetOpen => "公示尚未开始".into(),
            PublicityStatus::Open { days_left: 1 } => "公示中，今天是最后一个工作日".into(),
            PublicityStatus::Open { days_left } => format!("公示中，还剩{days_left}个工作日"),
            PublicityStatus::Closed => "公示期已结束".into(),
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
