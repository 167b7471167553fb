//! Load: read the content folder, parse every record, validate, and build the [`Site`].
//!
//! All problems of all files are collected; a site is returned only when
//! there are none.

mod history;
pub mod nofollow;
pub mod paths;
pub mod placeholder;
pub mod svg;
pub mod text;
pub mod values;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::base_url::BaseUrl;
use crate::model::holidays::{Calendar, YearRules};
use crate::model::records::{
    CampaignRecord, CaseRecord, EventRecord, EventStatus, HolidayYear, RevocationReason,
    RevocationRecord, SiteRecord,
};
use crate::model::site::{
    Attachment, AttachmentKind, Campaign, Case, Event, Notice, Publicity, Revocation, Site, Source,
};
use crate::model::stage::Stage;

/// Reads and validates the whole content folder.
pub fn load_site(root: &Path) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "the content folder does not exist")
            .help("pass --content DIR pointing at the folder that holds site.yaml")
            .into());
    }
    let site_file = root.join("site.yaml");
    let config = read(root, &site_file, &mut diags).and_then(|src| {
        yaml::parse::<SiteRecord>(&site_file, &src)
            .map_err(|d| diags.push(d))
            .ok()
            .map(|r| (r, src))
    });
    let mut tz = chrono_tz::Asia::Shanghai;
    let mut base_url = None;
    if let Some((c, src)) = &config {
        let fx = FileCtx {
            file: &site_file,
            src,
        };
        match c.timezone.parse::<Tz>() {
            Ok(t) => tz = t,
            Err(_) => diags.push(
                fx.err(
                    "timezone",
                    format!("`{}` is not a known time zone", c.timezone),
                )
                .help("use an IANA name such as Asia/Shanghai"),
            ),
        }
        match BaseUrl::parse(&c.base_url) {
            Ok(u) => base_url = Some(u),
            Err(m) => diags.push(
                fx.err("base_url", m)
                    .help("写出站点的完整网址，例如 https://biaogan.caq.org.cn"),
            ),
        }
    }
    if let Some((c, src)) = &config {
        // The theme is read from themes/<name>/ beside the content folder: a
        // path here would read (and publish) files from anywhere.
        if let Some(name) = c.theme.as_deref().filter(|n| !paths::is_slug(n)) {
            let fx = FileCtx {
                file: &site_file,
                src,
            };
            diags.push(
                fx.err(
                    "theme",
                    format!("`{name}` 不是主题名：主题名只能用小写字母、数字、`-` 和 `_`"),
                )
                .help("写 themes/ 下的文件夹名，例如 theme: default，不要写路径"),
            );
        }
    }
    let calendar = load_calendar(root, &root.join("holidays.yaml"), &mut diags);
    let mut campaigns = Vec::new();
    // Rounds that failed to load: events naming their cases are not blamed for it.
    let mut broken = BTreeSet::new();
    let cdir = root.join("campaigns");
    for (dir, ty) in sorted_entries(root, &cdir, &mut diags) {
        if ty.is_dir() {
            match load_campaign(root, &dir, calendar.as_ref(), &mut diags) {
                Some(c) => campaigns.push(c),
                None => {
                    broken.insert(
                        dir.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                }
            }
        }
    }
    campaigns.sort_by_key(|c| c.year);
    let events = load_events(root, &root.join("events"), &campaigns, &broken, &mut diags);
    match (config, calendar, base_url) {
        (Some((config, _)), Some(calendar), Some(base_url)) if diags.is_empty() => Ok(Site {
            root: root.to_path_buf(),
            config,
            base_url,
            tz,
            calendar,
            warnings: history::warnings(root, &campaigns),
            campaigns,
            events,
        }),
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// Reads a text file below `root`, without following links (see [`nofollow`]).
fn read(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    read_file(root, path).map_err(|d| diags.push(d)).ok()
}

/// Reads a text file of the content as every reader must: without following
/// links, as UTF-8, free of control characters and unfilled placeholders
/// (`serve`'s summary fast path reads through here too).
pub(crate) fn read_file(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let bytes = nofollow::read(root, path).map_err(|r| match r {
        nofollow::Refusal::Io { error, .. } => {
            Diagnostic::new(path, format!("cannot read the file: {error}"))
        }
        r => r.diagnostic(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let mut d = Diagnostic::new(path, "the file is not valid UTF-8")
            .help("save the file as UTF-8 (not GBK)");
        d.line = Some(line);
        d
    })?;
    // Records and Markdown alike: no control character reaches any output.
    text::check_file(path, &text)?;
    match placeholder::check(path, &text) {
        Some(d) => Err(d),
        None => Ok(text),
    }
}

/// The entries of `dir` (if it exists) in name order, with their own types;
/// every link among them, or on the way to `dir`, is reported and left out.
fn sorted_entries(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<nofollow::Entry> {
    if !nofollow::is_there(dir) {
        return Vec::new();
    }
    match nofollow::list(root, dir) {
        Ok(entries) => entries
            .into_iter()
            .filter_map(|e| e.map_err(|r| diags.push(r.diagnostic())).ok())
            .collect(),
        Err(nofollow::Refusal::Io { error, .. }) => {
            diags.push(Diagnostic::new(
                dir,
                format!("cannot list the folder: {error}"),
            ));
            Vec::new()
        }
        Err(r) => {
            diags.push(r.diagnostic());
            Vec::new()
        }
    }
}

fn load_calendar(root: &Path, file: &Path, diags: &mut Diagnostics) -> Option<Calendar> {
    let src = read(root, file, diags)?;
    let years: BTreeMap<i32, HolidayYear> = match yaml::parse(file, &src) {
        Ok(y) => y,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut out = BTreeMap::new();
    let before = diags.len();
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
    (diags.len() == before).then(|| Calendar::new(out))
}

/// Context for validating one file: where it is and its text.
struct FileCtx<'a> {
    file: &'a Path,
    src: &'a str,
}

impl FileCtx<'_> {
    /// A diagnostic about `field` (dotted path), placed where the field is.
    fn err(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        let path: Vec<&str> = field
            .split(['.', '[', ']'])
            .filter(|s| !s.is_empty())
            .collect();
        // Fall back to the nearest ancestor that can be found.
        let mut pos = None;
        for n in (1..=path.len()).rev() {
            pos = yaml::locate(self.src, &path[..n]);
            if pos.is_some() {
                break;
            }
        }
        Diagnostic::new(self.file, message)
            .field(field)
            .at_opt(self.src, pos)
    }
}

fn load_campaign(
    root: &Path,
    dir: &Path,
    cal: Option<&Calendar>,
    diags: &mut Diagnostics,
) -> Option<Campaign> {
    let file = dir.join("campaign.yaml");
    if !nofollow::is_there(&file) {
        diags.push(
            Diagnostic::new(&file, "missing campaign.yaml")
                .help("every folder under campaigns/ is one round and needs a campaign.yaml"),
        );
        return None;
    }
    let src = read(root, &file, diags)?;
    let rec: CampaignRecord = match yaml::parse(&file, &src) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let fx = FileCtx {
        file: &file,
        src: &src,
    };
    let before = diags.len();
    let dir_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if dir_name != rec.year.to_string() {
        diags.push(
            fx.err(
                "year",
                format!(
                    "year is {} but the folder is campaigns/{dir_name}/",
                    rec.year
                ),
            )
            .help("name the folder after the year, or correct `year`"),
        );
    }

    // Every date must fall in a year the holiday calendar covers.
    if let Some(cal) = cal {
        let mut dates: Vec<(&str, NaiveDate)> = vec![
            ("notice.date", rec.notice.date),
            ("application.deadline", rec.application.deadline.date()),
        ];
        if let Some(p) = &rec.publicity {
            dates.push(("publicity.start", p.start));
        }
        if let Some(r) = &rec.results {
            dates.push(("results.date", r.date));
        }
        for (field, d) in dates {
            if let Err(m) = cal.covers(d) {
                diags.push(fx.err(field, m.to_string()));
            }
        }
    }

    let notice_body = {
        match paths::inside(dir, &rec.notice.body) {
            Ok(p) => read(root, &p, diags).map(|text| Source { file: p, text }),
            Err(m) => {
                diags.push(
                    fx.err("notice.body", m)
                        .help("point `body` at the notice's Markdown file, e.g. notice.md"),
                );
                None
            }
        }
    };

    let mut attachments = Vec::new();
    let mut slugs = BTreeSet::new();
    for (i, a) in rec.notice.attachments.iter().enumerate() {
        let field = format!("notice.attachments[{i}].file");
        let path = match paths::inside(dir, &a.file) {
            Ok(p) => p,
            Err(m) => {
                diags.push(fx.err(&field, m).help(
                    "put the file under attachments/ and name it relative to the campaign folder",
                ));
                continue;
            }
        };
        let is_md = path.extension().is_some_and(|e| e == "md");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let slug = if is_md {
            path.file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned()
        } else {
            name.clone()
        };
        let ok = if is_md {
            paths::is_slug(&slug)
        } else {
            paths::is_file_name(&name)
        };
        if !ok {
            diags.push(fx.err(&field, format!("`{name}` cannot be used in a web address")).help(
                "rename the file with lower-case letters, digits and `-` (e.g. application-form.docx); the title shows the Chinese name",
            ));
            continue;
        }
        if !is_md && !paths::is_download_type(&name) {
            diags.push(
                fx.err(&field, format!("`{name}` is not a document type that can be offered for download"))
                    .help(format!(
                        "publish documents as one of: {} (HTML and SVG files would run as part of the site)",
                        paths::DOWNLOAD_TYPES.join(", ")
                    )),
            );
            continue;
        }
        if !slugs.insert(slug.clone()) {
            diags.push(fx.err(
                &field,
                format!("two attachments would both be published as `{slug}`"),
            ));
            continue;
        }
        let kind = if is_md {
            match read(root, &path, diags) {
                Some(text) => AttachmentKind::Page(Source { file: path, text }),
                None => continue,
            }
        } else {
            // Read now, once: these bytes are what is published (no copy at write time).
            match nofollow::read(root, &path) {
                Ok(bytes) => AttachmentKind::File {
                    path,
                    bytes: bytes.into(),
                },
                Err(r) => {
                    diags.push(r.diagnostic());
                    continue;
                }
            }
        };
        attachments.push(Attachment {
            title: a.title.clone(),
            slug,
            kind,
        });
    }

    let mut focus_ids = BTreeSet::new();
    for (i, f) in rec.focus_areas.iter().enumerate() {
        if !paths::is_slug(&f.id) {
            diags.push(
                fx.err(
                    &format!("focus_areas[{i}].id"),
                    format!("`{}` is not a valid id", f.id),
                )
                .help("use lower-case letters, digits and `-`"),
            );
        }
        if !focus_ids.insert(f.id.as_str()) {
            diags.push(fx.err(
                &format!("focus_areas[{i}].id"),
                format!("duplicate focus area id `{}`", f.id),
            ));
        }
    }
    for (i, t) in rec.timeline.iter().enumerate() {
        if t.start.is_none() && t.end.is_none() && t.period.is_none() {
            diags.push(
                fx.err(
                    &format!("timeline[{i}]"),
                    format!("timeline entry `{}` has no date", t.stage),
                )
                .help("give `start`/`end` dates or a free-text `period`"),
            );
        }
        if let (Some(s), Some(e)) = (t.start, t.end) {
            if s > e {
                diags.push(fx.err(
                    &format!("timeline[{i}].end"),
                    format!("ends {e} before it starts {s}"),
                ));
            }
        }
    }
    if rec.application.deadline.date() < rec.notice.date {
        diags.push(fx.err(
            "application.deadline",
            "the application deadline is before the notice's date",
        ));
    }
    if !paths::is_web_address(&rec.application.url) {
        diags.push(
            fx.err(
                "application.url",
                format!("`{}` is not a web address", rec.application.url),
            )
            .help("write the full https:// address"),
        );
    }

    let publicity = rec.publicity.as_ref().and_then(|p| {
        if p.working_days == 0 {
            diags.push(fx.err("publicity.working_days", "the publicity period must last at least one working day").help("the rules (第十八条) set 10"));
            return None;
        }
        let cal = cal?;
        let end = match cal.add_working_days(p.start, p.working_days) {
            Ok(e) => e,
            Err(m) => {
                diags.push(fx.err("publicity.start", m.to_string()));
                return None;
            }
        };
        if let Some(given) = p.end {
            if given != end.date() {
                diags.push(
                    fx.err(
                        "publicity.end",
                        format!(
                            "end is {given}, but {} working days from {} end on {} under holidays.yaml",
                            p.working_days,
                            p.start,
                            end.date()
                        ),
                    )
                    .help(format!("write `end: {}`, or remove `end` and let biaogan compute it", end.date())),
                );
            }
        }
        if p.start < rec.notice.date {
            diags.push(fx.err("publicity.start", "publicity starts before the notice's date"));
        }
        Some(Publicity {
            number: p.number.clone(),
            title: p.title.clone(),
            start: p.start,
            end,
            working_days: p.working_days,
            until_time: p.objections.until_time,
            instructions: Source { file: file.clone(), text: p.objections.instructions.clone() },
        })
    });
    if let (Some(r), Some(p)) = (&rec.results, &publicity) {
        if r.date < p.end.date() {
            diags.push(
                fx.err(
                    "results.date",
                    format!(
                        "results are announced on {} but publicity runs until {}",
                        r.date,
                        p.end.date()
                    ),
                )
                .help("the final list can only be published after the publicity period (第十九条)"),
            );
        }
    }
    if rec.results.is_some() && rec.publicity.is_none() {
        diags.push(
            fx.err("results", "results without a publicity period")
                .help("add `publicity:`; the rules require publicity before results (第十八条)"),
        );
    }

    let cases = load_cases(root, dir, &rec, diags);
    let revocations = cases
        .as_ref()
        .map(|cases| load_revocations(root, dir, &rec, cases, diags));

    if diags.len() != before {
        return None;
    }
    Some(Campaign {
        year: rec.year,
        dir: dir.to_path_buf(),
        notice: Notice {
            number: rec.notice.number,
            title: rec.notice.title,
            date: rec.notice.date,
            addressee: rec.notice.addressee,
            body: notice_body?,
            attachments,
        },
        focus_areas: rec.focus_areas,
        fields: rec.fields,
        timeline: rec.timeline,
        application: rec.application,
        publicity,
        results: rec.results,
        cases: cases?,
        revocations: revocations?,
    })
}

fn load_revocations(
    root: &Path,
    dir: &Path,
    camp: &CampaignRecord,
    cases: &[Case],
    diags: &mut Diagnostics,
) -> Vec<Revocation> {
    let rdir = dir.join("revocations");
    let mut out: Vec<Revocation> = Vec::new();
    for (path, id, src, rec) in
        records::<RevocationRecord>(root, &rdir, "hx-auto-parts.yaml (the case id)", diags)
    {
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        let Some(ci) = cases.iter().position(|c| c.id == rec.case) else {
            let ids: Vec<String> = cases
                .iter()
                .filter(|c| c.is_approved())
                .map(|c| c.id.clone())
                .collect();
            let hint = match yaml::suggest(&rec.case, &ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "`case` is the file name of a case in campaigns/{}/cases/ without .yaml",
                    camp.year
                ),
            };
            diags.push(
                fx.err("case", format!("unknown case `{}`", rec.case))
                    .help(hint),
            );
            continue;
        };
        if !cases[ci].is_approved() {
            diags.push(
                fx.err("case", format!("case `{}` was never on the final list (stage `{}`), so it cannot be removed from it", rec.case, stage_name(cases[ci].stage)))
                    .help("a revocation removes an approved case (第二十一条); check the case id"),
            );
            continue;
        }
        match &camp.results {
            Some(r) if rec.date < r.date => {
                diags.push(
                    fx.err(
                        "date",
                        format!(
                            "the revocation is dated {} but the results were published on {}",
                            rec.date, r.date
                        ),
                    )
                    .help("a case can only be removed after the list was published"),
                );
                continue;
            }
            None => {
                diags.push(fx.err(
                    "case",
                    "the round has no results yet, so nothing can be removed from its list",
                ));
                continue;
            }
            _ => {}
        }
        match (rec.reason, rec.domain) {
            (RevocationReason::MajorIncident, None) => {
                diags.push(
                    fx.err("domain", "a major incident needs its domain")
                        .help("add `domain:` with one of integrity, quality, safety, environment"),
                );
                continue;
            }
            (RevocationReason::Falsification, Some(_)) => {
                diags.push(
                    fx.err(
                        "domain",
                        "`domain` only applies to `reason: major_incident`",
                    )
                    .help("remove `domain`, or change the reason"),
                );
                continue;
            }
            _ => {}
        }
        if let Some(d) = incident_date_problem(&rec, &fx) {
            diags.push(d);
            continue;
        }
        if let Some(other) = out.iter().find(|r| r.case == ci) {
            diags.push(
                Diagnostic::new(
                    &path,
                    format!(
                        "case `{}` is already removed by revocations/{}.yaml",
                        rec.case, other.id
                    ),
                )
                .field("case")
                .at_opt(&src, yaml::locate(&src, &["case"]))
                .help("keep one revocation per case"),
            );
            continue;
        }
        let md = path.with_extension("md");
        let body = if nofollow::is_there(&md) {
            match paths::inside(&rdir, &format!("{id}.md")) {
                Ok(p) => read(root, &p, diags).map(|text| Source { file: p, text }),
                Err(m) => {
                    diags.push(Diagnostic::new(&md, m));
                    None
                }
            }
        } else {
            None
        };
        out.push(Revocation {
            id,
            case: ci,
            number: rec.number,
            date: rec.date,
            reason: rec.reason,
            domain: rec.domain,
            incident_date: rec.incident_date,
            body,
        });
    }
    out.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    out
}

/// What is wrong with a revocation's `incident_date`: 第二十一条 removes a
/// case for a major incident 三年内, so a major incident needs its date, within
/// the three years before the announcement; other grounds take none.
fn incident_date_problem(rec: &RevocationRecord, fx: &FileCtx<'_>) -> Option<Diagnostic> {
    let announced = rec.date;
    match (rec.reason, rec.incident_date) {
        (RevocationReason::MajorIncident, None) => Some(
            // Placed at `reason`, the line that asks for the date.
            fx.err("reason", "reason 为 major_incident 时必须填写 incident_date（事故发生日期）")
                .help("加一行 `incident_date: 2025-01-16`（事故发生的日期）；第二十一条只移除三年内发生重大责任事故的组织"),
        ),
        (RevocationReason::Falsification, Some(_)) => Some(
            fx.err("incident_date", "incident_date 只用于 reason: major_incident")
                .help("删掉 incident_date，或把 reason 改为 major_incident"),
        ),
        (RevocationReason::MajorIncident, Some(day)) if day > announced => Some(
            fx.err(
                "incident_date",
                format!("事故日期 {day} 晚于公告日期 {announced}"),
            )
            .help("核对 incident_date 和 date：事故应发生在公告之前"),
        ),
        (RevocationReason::MajorIncident, Some(day))
            if announced
                .checked_sub_months(chrono::Months::new(36))
                .is_some_and(|earliest| day < earliest) =>
        {
            Some(
                fx.err(
                    "incident_date",
                    format!("事故日期 {day} 早于公告日期 {announced} 前三年"),
                )
                .help("第二十一条只移除三年内发生重大责任事故的组织；核对 incident_date，超过三年的事故不能作为移除依据"),
            )
        }
        _ => None,
    }
}

/// The `*.yaml` records of a folder whose file names are URL segments, read
/// and parsed: (path, id, text, record). Problems are added to `diags`.
fn records<T: serde::de::DeserializeOwned>(
    root: &Path,
    dir: &Path,
    example: &str,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, String, String, T)> {
    let mut v = Vec::new();
    for (path, ty) in sorted_entries(root, dir, diags) {
        if path.extension().is_none_or(|e| e != "yaml") || !ty.is_file() {
            continue;
        }
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        if !paths::is_slug(&id) {
            diags.push(
                Diagnostic::new(&path, format!("`{id}` cannot be used in a web address")).help(
                    format!(
                        "rename the file with lower-case letters, digits and `-`, e.g. {example}"
                    ),
                ),
            );
            continue;
        }
        let Some(src) = read(root, &path, diags) else {
            continue;
        };
        match yaml::parse::<T>(&path, &src) {
            Ok(rec) => v.push((path, id, src, rec)),
            Err(d) => diags.push(d),
        }
    }
    v
}

fn load_events(
    root: &Path,
    edir: &Path,
    campaigns: &[Campaign],
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<Event> {
    let mut out = Vec::new();
    for (path, id, src, rec) in
        records::<EventRecord>(root, edir, "2024-09-lecture-beijing.yaml", diags)
    {
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        let before = diags.len();
        if let Some(url) = rec.registration.as_ref().and_then(|r| r.url.as_ref()) {
            if !paths::is_web_address(url) {
                diags.push(
                    fx.err("registration.url", format!("`{url}` is not a web address"))
                        .help("write the full https:// address of the registration page"),
                );
            }
        }
        if rec.end < rec.start {
            diags.push(fx.err(
                "end",
                format!(
                    "the event ends ({}) before it starts ({})",
                    rec.end, rec.start
                ),
            ));
        }
        let mut hosts = Vec::new();
        for (i, h) in rec.hosts.iter().enumerate() {
            let found = h.split_once('/').and_then(|(y, id)| {
                let ci = campaigns.iter().position(|c| c.year.to_string() == y)?;
                let k = campaigns[ci].case_index(id)?;
                Some((ci, k))
            });
            if found.is_none() && h.split_once('/').is_some_and(|(y, _)| broken.contains(y)) {
                continue;
            }
            match found {
                Some((ci, k)) if campaigns[ci].cases[k].is_approved() => hosts.push((ci, k)),
                Some(_) => diags.push(
                    fx.err(
                        &format!("hosts[{i}]"),
                        format!("host `{h}` is not an approved case"),
                    )
                    .help("hosts are cases on a final list"),
                ),
                None => diags.push(
                    fx.err(&format!("hosts[{i}]"), format!("unknown host `{h}`"))
                        .help("write hosts as <year>/<case id>, e.g. 2024/hx-auto-parts"),
                ),
            }
        }
        if rec.status != EventStatus::Scheduled && rec.changes.is_empty() {
            diags.push(
                fx.err("status", format!("a {} event needs an entry under `changes` saying what changed", if rec.status == EventStatus::Cancelled { "cancelled" } else { "postponed" }))
                    .help("add `changes: [{date: YYYY-MM-DD, note: 说明变更}]`; each entry makes calendars update the event"),
            );
        }
        for w in rec.changes.windows(2) {
            if w[1].date < w[0].date {
                diags.push(
                    fx.err("changes", "changes must be listed oldest first")
                        .help("append new changes at the end"),
                );
                break;
            }
        }
        if let Some(first) = rec.changes.first() {
            if first.date < rec.announced {
                diags.push(fx.err(
                    "changes",
                    format!(
                        "a change dated {} is before the event was announced ({})",
                        first.date, rec.announced
                    ),
                ));
            }
        }
        if diags.len() != before {
            continue;
        }
        let body = rec.body.map(|text| Source {
            file: path.clone(),
            text,
        });
        out.push(Event {
            id,
            title: rec.title,
            kind: rec.kind,
            start: rec.start,
            end: rec.end,
            city: rec.city,
            venue: rec.venue,
            hosts,
            registration: rec.registration,
            status: rec.status,
            announced: rec.announced,
            body,
            changes: rec.changes,
        });
    }
    out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    out
}

fn load_cases(
    root: &Path,
    dir: &Path,
    camp: &CampaignRecord,
    diags: &mut Diagnostics,
) -> Option<Vec<Case>> {
    let cdir = dir.join("cases");
    let before = diags.len();
    let mut cases: Vec<Case> = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut orders: BTreeMap<i64, String> = BTreeMap::new();
    // The last minute before the deadline: a certificate valid that day counts.
    let last_day = (camp.application.deadline - Duration::seconds(1)).date();
    let records: Vec<PathBuf> = sorted_entries(root, &cdir, diags)
        .into_iter()
        .filter(|(p, ty)| p.extension().is_some_and(|e| e == "yaml" || e == "yml") && ty.is_file())
        .map(|(p, _)| p)
        .collect();
    // Reading and parsing is most of the work for a large round: do it in
    // parallel, then validate in file order so errors come out the same way.
    let mut parsed: BTreeMap<PathBuf, Result<(String, CaseRecord), Diagnostic>> = records
        .par_iter()
        .map(|p| {
            let r = read_file(root, p)
                .and_then(|src| yaml::parse::<CaseRecord>(p, &src).map(|rec| (src, rec)));
            (p.clone(), r)
        })
        .collect();
    for path in records {
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        if !paths::is_slug(&id) {
            diags.push(Diagnostic::new(&path, format!("`{id}` cannot be a case id (it is the web address of the case)")).help(
                "rename the file with lower-case letters, digits and `-`, e.g. hx-auto-parts.yaml",
            ));
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), path.clone()) {
            diags.push(
                Diagnostic::new(
                    &path,
                    format!(
                        "duplicate case id `{id}`: {} has the same id",
                        first.display()
                    ),
                )
                .help("keep one record per case; ids are file names without .yaml"),
            );
            continue;
        }
        let (src, rec) = match parsed.remove(&path) {
            Some(Ok(r)) => r,
            Some(Err(d)) => {
                diags.push(d);
                continue;
            }
            None => continue,
        };
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        if !camp.fields.contains(&rec.field) {
            diags.push(
                fx.err("field", format!("unknown field (领域) `{}`", rec.field))
                    .help(format!("use one of: {}", camp.fields.join(", "))),
            );
        }
        if !camp.focus_areas.iter().any(|f| f.id == rec.focus_area) {
            let ids: Vec<String> = camp.focus_areas.iter().map(|f| f.id.clone()).collect();
            let hint = match yaml::suggest(&rec.focus_area, &ids) {
                Some(s) => format!(
                    "did you mean `{s}`? Focus areas of {}: {}",
                    camp.year,
                    ids.join(", ")
                ),
                None => format!(
                    "use one of the focus areas in campaign.yaml: {}",
                    ids.join(", ")
                ),
            };
            diags.push(
                fx.err(
                    "focus_area",
                    format!("unknown focus area `{}`", rec.focus_area),
                )
                .help(hint),
            );
        }
        if rec.stage.is_qualified() {
            match &rec.iso9001 {
                None => diags.push(
                    fx.err("iso9001", format!("a case at stage `{}` must have an ISO 9001 certificate", stage_name(rec.stage)))
                        .help("add `iso9001: {certificate: ..., valid_until: YYYY-MM-DD}` (管理办法 第八条（三）)"),
                ),
                Some(iso) if iso.valid_until < last_day => diags.push(
                    fx.err(
                        "iso9001.valid_until",
                        format!(
                            "the ISO 9001 certificate expired on {}, before the application deadline {}",
                            iso.valid_until, last_day
                        ),
                    )
                    .help("an applicant must hold a valid certificate (第八条（三）): correct the date, or set the stage to `ineligible`"),
                ),
                Some(_) => {}
            }
        }
        if rec.objection.is_some() && !rec.stage.at_least(Stage::Recommended) {
            diags.push(
                fx.err("objection", format!("an objection is only possible for a case on the publicity list, but the stage is `{}`", stage_name(rec.stage)))
                    .help("set the stage to `recommended` or `approved`, or remove `objection`"),
            );
        }
        let summary = match &rec.summary {
            Some(rel) => match paths::inside(&cdir, rel) {
                Ok(p) => read(root, &p, diags).map(|text| Source { file: p, text }),
                Err(m) => {
                    diags.push(fx.err("summary", m).help(format!(
                        "write the summary as cases/{id}.md and set `summary: {id}.md`"
                    )));
                    None
                }
            },
            None => {
                if rec.stage.is_publicised() {
                    diags.push(
                        fx.err(
                            "summary",
                            format!(
                                "a case at stage `{}` needs its experience summary",
                                stage_name(rec.stage)
                            ),
                        )
                        .help(format!("write cases/{id}.md and add `summary: {id}.md`")),
                    );
                }
                None
            }
        };
        if let Some(o) = rec.order {
            if let Some(other) = orders.insert(o, id.clone()) {
                diags.push(
                    fx.err("order", format!("order {o} is also used by case `{other}`"))
                        .help("give every case its own position"),
                );
            }
        }
        cases.push(Case {
            file: path.clone(),
            assets_dir: cdir.join(&id),
            id,
            organization: rec.organization,
            field: rec.field,
            focus_area: rec.focus_area,
            title: rec.title,
            methods: rec.methods,
            summary,
            order: rec.order.unwrap_or(i64::MAX),
            stage: rec.stage,
            objection: rec.objection.map(|o| o.outcome),
        });
    }
    cases.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    (diags.len() == before).then_some(cases)
}

fn stage_name(s: Stage) -> String {
    serde_yaml::to_string(&s)
        .map(|t| t.trim().to_owned())
        .unwrap_or_default()
}
