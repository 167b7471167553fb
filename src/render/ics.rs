//! iCalendar (RFC 5545) feeds of the exchange events.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::Renderer;
use crate::model::records::EventStatus;
use crate::plan::PageKind;

impl Renderer<'_> {
    /// A calendar with the given announced events (indices into `site.events`).
    pub(super) fn ics(&self, events: &[usize], name: &str) -> String {
        let shanghai = self.site.tz == chrono_tz::Asia::Shanghai;
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//biaogan//Quality benchmark events//ZH".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "METHOD:PUBLISH".to_owned(),
            format!("X-WR-CALNAME:{}", text(name)),
        ];
        if shanghai {
            // China has kept +08:00 without daylight saving since 1991.
            lines.extend(
                [
                    "BEGIN:VTIMEZONE",
                    "TZID:Asia/Shanghai",
                    "BEGIN:STANDARD",
                    "DTSTART:19700101T000000",
                    "TZOFFSETFROM:+0800",
                    "TZOFFSETTO:+0800",
                    "TZNAME:CST",
                    "END:STANDARD",
                    "END:VTIMEZONE",
                ]
                .map(str::to_owned),
            );
            lines.push("X-WR-TIMEZONE:Asia/Shanghai".to_owned());
        }
        let host = self
            .base
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("localhost")
            .split('/')
            .next()
            .unwrap_or("localhost")
            .to_owned();
        for &ei in events {
            let e = &self.site.events[ei];
            let local = |t: NaiveDateTime| -> String {
                if shanghai {
                    format!(";TZID=Asia/Shanghai:{}", t.format("%Y%m%dT%H%M%S"))
                } else {
                    format!(":{}", utc(self, t))
                }
            };
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}@{}", e.id, host));
            // As public at this build's moment: a change from its date on.
            let public = self.plan.event(e);
            lines.push(format!("DTSTAMP:{}", utc_day(self, public.updated)));
            lines.push(format!("LAST-MODIFIED:{}", utc_day(self, public.updated)));
            lines.push(format!("DTSTART{}", local(e.start)));
            lines.push(format!("DTEND{}", local(e.end)));
            lines.push(format!("SEQUENCE:{}", public.changes.len()));
            let prefix = match public.status {
                EventStatus::Scheduled => "",
                EventStatus::Postponed => "【延期】",
                EventStatus::Cancelled => "【取消】",
            };
            lines.push(format!("SUMMARY:{}", text(&format!("{prefix}{}", e.title))));
            lines.push(format!(
                "LOCATION:{}",
                text(&format!("{} {}", e.city, e.venue))
            ));
            lines.push(format!("CATEGORIES:{}", text(e.kind.label())));
            lines.push(format!(
                "STATUS:{}",
                match public.status {
                    EventStatus::Scheduled => "CONFIRMED",
                    EventStatus::Postponed => "TENTATIVE",
                    EventStatus::Cancelled => "CANCELLED",
                }
            ));
            let mut desc = vec![format!(
                "{}，{}。",
                e.kind.label(),
                super::chinese::event_span(e.start, e.end)
            )];
            for c in public.changes {
                desc.push(format!("{}：{}", super::chinese::date(c.date), c.note));
            }
            if let Some(r) = &e.registration {
                if let Some(d) = r.deadline {
                    desc.push(format!("报名截止：{}", super::chinese::deadline(d)));
                }
                if let Some(c) = &r.contact {
                    desc.push(format!("联系方式：{c}"));
                }
            }
            let url = self.absolute_url(PageKind::Event(ei));
            desc.push(format!("详情：{url}"));
            lines.push(format!("DESCRIPTION:{}", text(&desc.join("\n"))));
            lines.push(format!("URL:{url}"));
            lines.push("END:VEVENT".into());
        }
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for l in lines {
            out.push_str(&fold(&l));
        }
        out
    }
}

fn utc(r: &Renderer, t: NaiveDateTime) -> String {
    match r.site.tz.from_local_datetime(&t).earliest() {
        Some(z) => z.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string(),
        None => t.format("%Y%m%dT%H%M%SZ").to_string(),
    }
}

fn utc_day(r: &Renderer, d: NaiveDate) -> String {
    utc(r, d.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1).
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_on_character_boundaries() {
        let line = format!("SUMMARY:{}", "质量标杆".repeat(20));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
