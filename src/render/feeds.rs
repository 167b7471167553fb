//! Machine-readable companions of the pages: the announcements list, the Atom
//! feed and the sitemap. All take their documents from the plan.

use chrono::{NaiveDate, TimeZone};

use super::views::Announcement;
use super::{chinese, escape, Renderer};
use crate::model::records::EventStatus;
use crate::model::site::AttachmentKind;
use crate::output::{Artifact, Output};
use crate::plan::{FileKind, PageKind};

impl Renderer<'_> {
    /// Adds the planned files that are not pages (downloads, open data,
    /// iCalendar) and the site-wide ones: sitemap, robots.txt, Atom, all events.
    pub(super) fn machine_files(&self, out: &mut Output) {
        let bytes = |s: String| Artifact::Bytes(s.into_bytes());
        out.insert("sitemap.xml".into(), bytes(self.sitemap()));
        out.insert(
            "robots.txt".into(),
            bytes(format!(
                "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                self.base.base_url
            )),
        );
        out.insert("atom.xml".into(), bytes(self.atom()));
        let events: Vec<usize> = (0..self.site.events.len())
            .filter(|&ei| self.plan.has(PageKind::Event(ei)))
            .collect();
        out.insert(
            "events.ics".into(),
            bytes(self.ics(&events, &format!("{}：交流活动", self.base.title))),
        );
        for f in &self.plan.files {
            let made = match f.kind {
                FileKind::Attachment(ci, ai) => {
                    match &self.site.campaigns[ci].notice.attachments[ai].kind {
                        AttachmentKind::File { bytes, .. } => Some(Artifact::Shared(bytes.clone())),
                        AttachmentKind::Page(_) => None,
                    }
                }
                FileKind::ResultsJson(ci) => self.results_json(ci).map(bytes),
                FileKind::ResultsCsv(ci) => self.results_csv(ci).map(bytes),
                FileKind::EventCalendar(ei) => {
                    Some(bytes(self.ics(&[ei], &self.site.events[ei].title)))
                }
            };
            if let Some(a) = made {
                out.insert(f.path.clone(), a);
            }
        }
    }

    /// Every public document, newest first (ties by URL, for reproducible output).
    pub(super) fn announcements(&self) -> Vec<Announcement> {
        let mut v = Vec::new();
        let mut push = |kind: &str,
                        title: String,
                        number: Option<String>,
                        (day, first_day): (NaiveDate, NaiveDate),
                        url: String,
                        summary: String| {
            v.push(Announcement {
                kind: kind.into(),
                title,
                number,
                date: chinese::date(day),
                iso_date: day.to_string(),
                url,
                summary,
                day,
                first_day,
            })
        };
        for p in &self.plan.pages {
            let site = self.site;
            match p.kind {
                PageKind::Notice(ci) => {
                    let c = &site.campaigns[ci];
                    let n = &c.notice;
                    push(
                        "通知",
                        n.title.clone(),
                        Some(n.number.clone()),
                        (n.date, n.date),
                        p.url.clone(),
                        format!(
                            "{}年质量标杆典型经验遴选开始申报，截止时间{}。",
                            c.year,
                            chinese::deadline(c.application.deadline)
                        ),
                    );
                }
                PageKind::Publicity(ci) => {
                    let c = &site.campaigns[ci];
                    if let Some(pb) = &c.publicity {
                        push(
                            "公示",
                            pb.title.clone(),
                            pb.number.clone(),
                            (pb.start, pb.start),
                            p.url.clone(),
                            format!(
                                "公示期：{}（{}个工作日）。",
                                chinese::period(pb.start, pb.end.date()),
                                pb.working_days
                            ),
                        );
                    }
                }
                PageKind::Results(ci) => {
                    let c = &site.campaigns[ci];
                    if let Some(r) = &c.results {
                        push(
                            "结果公布",
                            r.title.clone(),
                            Some(r.number.clone()),
                            (r.date, r.date),
                            p.url.clone(),
                            format!(
                                "{}个典型经验入选{}年质量标杆典型经验名单。",
                                c.approved_cases().count(),
                                c.year
                            ),
                        );
                    }
                }
                PageKind::Revocation(ci, ri) => {
                    let c = &site.campaigns[ci];
                    let r = &c.revocations[ri];
                    push(
                        "移除公告",
                        chinese::revocation_title(
                            &c.cases[r.case].organization.name,
                            &c.cases[r.case].title,
                            c.year,
                        ),
                        Some(r.number.clone()),
                        (r.date, r.date),
                        p.url.clone(),
                        format!(
                            "因{}，从{}年质量标杆典型经验名单中移除。",
                            r.reason_text(),
                            c.year
                        ),
                    );
                }
                PageKind::Event(ei) => {
                    let e = &site.events[ei];
                    let public = self.plan.event(e);
                    push(
                        "交流活动",
                        e.title.clone(),
                        None,
                        (public.updated, e.announced),
                        p.url.clone(),
                        match public.status {
                            EventStatus::Scheduled => format!(
                                "{}，{}，{}。",
                                e.kind.label(),
                                chinese::event_span(e.start, e.end),
                                e.city
                            ),
                            _ => format!(
                                "{}，原定{}，{}。{}。",
                                e.kind.label(),
                                chinese::event_span(e.start, e.end),
                                e.city,
                                public.status.label()
                            ),
                        },
                    );
                }
                _ => {}
            }
        }
        v.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.url.cmp(&b.url)));
        v
    }

    /// `/atom.xml`: one entry per announcement, with stable tag URIs as ids.
    pub(super) fn atom(&self) -> String {
        let base = &self.base.base_url;
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or(base)
            .split('/')
            .next()
            .unwrap_or("localhost");
        let items = self.announcements();
        let stamp = |d: NaiveDate| -> String {
            let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            match self.site.tz.from_local_datetime(&midnight).earliest() {
                Some(t) => t.to_rfc3339(),
                None => format!("{d}T00:00:00Z"),
            }
        };
        let updated = items
            .iter()
            .map(|a| a.day)
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), stamp);
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
        s.push_str(&format!(
            "  <title>{}</title>\n",
            escape(&format!("{}：通知公告", self.base.title))
        ));
        s.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&self.base.description)
        ));
        s.push_str(&format!(
            "  <id>tag:{},2024:announcements</id>\n",
            escape(host)
        ));
        s.push_str(&format!(
            "  <link rel=\"self\" href=\"{}/atom.xml\"/>\n",
            escape(base)
        ));
        s.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/announcements/\"/>\n",
            escape(base)
        ));
        s.push_str(&format!("  <updated>{updated}</updated>\n"));
        s.push_str(&format!(
            "  <author><name>{}</name><email>{}</email></author>\n",
            escape(&self.base.office.name),
            escape(&self.base.office.email)
        ));
        for a in &items {
            // The id keeps the first publication date of the address, so an
            // event's later changes update the entry instead of adding one.
            s.push_str("  <entry>\n");
            s.push_str(&format!(
                "    <id>tag:{},{}:{}</id>\n",
                escape(host),
                a.first_day,
                escape(&a.url)
            ));
            let title = match &a.number {
                Some(n) => format!("{}（{}）", a.title, n),
                None => a.title.clone(),
            };
            s.push_str(&format!("    <title>{}</title>\n", escape(&title)));
            s.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n",
                escape(base),
                escape(&a.url)
            ));
            s.push_str(&format!("    <category term=\"{}\"/>\n", escape(&a.kind)));
            s.push_str(&format!(
                "    <published>{}</published>\n",
                stamp(a.first_day)
            ));
            s.push_str(&format!("    <updated>{}</updated>\n", stamp(a.day)));
            s.push_str(&format!("    <summary>{}</summary>\n", escape(&a.summary)));
            s.push_str("  </entry>\n");
        }
        s.push_str("</feed>\n");
        s
    }

    /// `/sitemap.xml`: every public page and nothing else.
    pub(super) fn sitemap(&self) -> String {
        let mut s = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        s.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in &self.plan.pages {
            if p.kind == PageKind::NotFound {
                continue;
            }
            s.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                escape(&format!("{}{}", self.base.base_url, p.url))
            ));
        }
        s.push_str("</urlset>\n");
        s
    }
}
