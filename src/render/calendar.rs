//! The event calendar: events grouped by month, and month grids.

use chrono::{Datelike, NaiveDate};

use super::views::{DayCell, EventView, Link, MonthGrid, MonthGroup};
use crate::model::holidays::{Calendar, DayMark};

/// Groups events (already sorted by start) by the month they start in.
pub(crate) fn by_month(events: Vec<EventView>) -> Vec<MonthGroup> {
    let mut groups: Vec<MonthGroup> = Vec::new();
    for e in events {
        let key = format!("{:04}-{:02}", e.day.year(), e.day.month());
        match groups.last_mut() {
            Some(g) if g.key == key => g.events.push(e),
            _ => groups.push(MonthGroup {
                label: format!("{}年{}月", e.day.year(), e.day.month()),
                key,
                events: vec![e],
            }),
        }
    }
    groups
}

/// One grid per month that has events, weeks starting on Monday, with the
/// holidays and 调休 working days of `calendar` marked.
pub(crate) fn month_grids(events: &[EventView], calendar: &Calendar) -> Vec<MonthGrid> {
    let mut months: Vec<(i32, u32)> = events
        .iter()
        .map(|e| (e.day.year(), e.day.month()))
        .collect();
    months.dedup();
    months
        .into_iter()
        .filter_map(|(y, m)| {
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let lead = first.weekday().num_days_from_monday() as usize;
            let mut cells: Vec<Option<DayCell>> = vec![None; lead];
            let mut day = first;
            while day.month() == m {
                let todays = events
                    .iter()
                    .filter(|e| e.day == day)
                    .map(|e| Link {
                        title: e.title.clone(),
                        url: e.url.clone(),
                    })
                    .collect();
                cells.push(Some(DayCell {
                    day: day.day(),
                    events: todays,
                    mark: calendar.mark(day).map(|m| match m {
                        DayMark::Holiday => "holiday",
                        DayMark::Workday => "workday",
                    }),
                }));
                day = day.succ_opt()?;
            }
            while !cells.len().is_multiple_of(7) {
                cells.push(None);
            }
            Some(MonthGrid {
                label: format!("{y}年{m}月"),
                weeks: cells.chunks(7).map(<[_]>::to_vec).collect(),
            })
        })
        .collect()
}
