//! `campaigns/<year>/campaign.yaml`: one round, its notice, attachments and
//! publication dates; its cases and revocations are loaded from here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

use super::numbers::Numbers;
use super::{cases, holidays, nofollow, paths, read, revocations, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::holidays::Calendar;
use crate::model::records::CampaignRecord;
use crate::model::site::{Attachment, AttachmentKind, Campaign, Case, Notice, Publicity, Source};

pub(super) fn load_campaign(
    root: &Path,
    dir: &Path,
    cal: Option<&Calendar>,
    numbers: &mut Numbers,
    diags: &mut Diagnostics,
) -> Option<Campaign> {
    super::misnamed_files(root, dir, diags);
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
        Ok(r) => {
            super::lines::warn_comments(&file, &src, diags);
            r
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let fx = FileCtx {
        file: &file,
        src: &src,
    };
    let before = diags.error_count();
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

    let outside = dates_in_year(&rec, &fx, diags);
    claim_numbers(root, &rec, &fx, numbers, diags);

    // Every date must fall in a year the holiday calendar covers.
    let mut dates: Vec<(String, NaiveDate)> = vec![
        ("notice.date".into(), rec.notice.date),
        (
            "application.deadline".into(),
            rec.application.deadline.date(),
        ),
    ];
    if let Some(p) = &rec.publicity {
        dates.push(("publicity.start".into(), p.start));
        dates.extend(p.end.map(|e| ("publicity.end".into(), e)));
    }
    if let Some(r) = &rec.results {
        dates.push(("results.date".into(), r.date));
    }
    for (i, t) in rec.timeline.iter().enumerate() {
        dates.extend(t.start.map(|d| (format!("timeline[{i}].start"), d)));
        dates.extend(t.end.map(|d| (format!("timeline[{i}].end"), d)));
    }
    dates.retain(|(f, _)| !outside.contains(f));
    holidays::check_covered(cal, &fx, &dates, diags);

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

    let attachments = load_attachments(root, dir, &rec, &fx, diags);

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

    let publicity = load_publicity(&rec, cal, &fx, diags);
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

    let cases = cases::load_cases(root, dir, &rec, diags);
    let revocations = cases
        .as_ref()
        .map(|cases| revocations::load_revocations(root, dir, &rec, cases, cal, numbers, diags));

    if let Some(cases) = &cases {
        lists_not_empty(&rec, cases, &fx, diags);
    }

    if diags.error_count() != before {
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

/// Last month of the next year in which a round's results may still be
/// published (the 2024 rules publish them in the autumn; a late decision can
/// slip past New Year, but not further).
const RESULTS_LATEST_MONTH: u32 = 3;

/// A round's dates lie in its year: a folder copied from last year with only
/// `year:` changed would otherwise publish last year's notice at once. The
/// results and the timeline may run into the first months of the next year.
/// Returns the fields reported.
fn dates_in_year(rec: &CampaignRecord, fx: &FileCtx, diags: &mut Diagnostics) -> Vec<String> {
    let year = rec.year;
    let next = year.saturating_add(1);
    let latest =
        NaiveDate::from_ymd_opt(next, RESULTS_LATEST_MONTH + 1, 1).and_then(|d| d.pred_opt());
    let mut outside = Vec::new();
    let mut strict: Vec<(String, NaiveDate)> = vec![
        ("notice.date".into(), rec.notice.date),
        // 24:00 on the last day is the next day at 00:00 once parsed.
        (
            "application.deadline".into(),
            (rec.application.deadline - Duration::seconds(1)).date(),
        ),
    ];
    let mut late: Vec<(String, NaiveDate)> = Vec::new();
    if let Some(p) = &rec.publicity {
        strict.push(("publicity.start".into(), p.start));
    }
    if let Some(r) = &rec.results {
        late.push(("results.date".into(), r.date));
    }
    for (i, t) in rec.timeline.iter().enumerate() {
        for (key, d) in [("start", t.start), ("end", t.end)] {
            if let Some(d) = d {
                late.push((format!("timeline[{i}].{key}"), d));
            }
        }
    }
    for (field, d) in strict {
        if d.year() != year {
            outside.push(field.clone());
            diags.push(
                fx.err(
                    &field,
                    format!("日期 {d} 不在 {year} 年内，而这是 {year} 年的遴选"),
                )
                .help(format!(
                    "改为 {year} 年的日期；从上一年复制的文件夹要把所有日期和文号都换掉"
                )),
            );
        }
    }
    for (field, d) in late {
        let ok = d.year() == year || latest.is_some_and(|l| d.year() == next && d <= l);
        if !ok {
            outside.push(field.clone());
            diags.push(
                fx.err(&field, format!("日期 {d} 不在 {year} 年内（最晚可到 {next} 年 {RESULTS_LATEST_MONTH} 月底），而这是 {year} 年的遴选"))
                    .help(format!("改为 {year} 年的日期；从上一年复制的文件夹要把所有日期和文号都换掉")),
            );
        }
    }
    outside
}

/// Registers the round's 文号 with the site's (each may be used once).
fn claim_numbers(
    root: &Path,
    rec: &CampaignRecord,
    fx: &FileCtx,
    numbers: &mut Numbers,
    diags: &mut Diagnostics,
) {
    numbers.claim(root, &rec.notice.number, fx.err("notice.number", ""), diags);
    if let Some(n) = rec.publicity.as_ref().and_then(|p| p.number.as_deref()) {
        numbers.claim(root, n, fx.err("publicity.number", ""), diags);
    }
    if let Some(r) = &rec.results {
        numbers.claim(root, &r.number, fx.err("results.number", ""), diags);
    }
}

/// A publicity list or final list with no case on it would publish "公示0项"
/// or "批准0项": the round's cases are missing or their stages are not set.
fn lists_not_empty(rec: &CampaignRecord, cases: &[Case], fx: &FileCtx, diags: &mut Diagnostics) {
    if rec.publicity.is_some() && !cases.iter().any(|c| c.stage.is_publicised()) {
        diags.push(
            fx.err("publicity", "公示名单上没有案例：没有一个案例的 stage 是 recommended（推荐）或 approved（批准）")
                .help("在 cases/ 中把进入公示的案例改为 stage: recommended；公示还没确定时删去整个 publicity: 部分"),
        );
    }
    if rec.results.is_some() && !cases.iter().any(|c| c.is_approved()) {
        diags.push(
            fx.err("results", "结果名单上没有案例：没有一个案例的 stage 是 approved（批准）")
                .help("在 cases/ 中把批准的案例改为 stage: approved；结果还没公布时删去整个 results: 部分"),
        );
    }
}

/// The notice's attachments, then its downloads: Markdown becomes pages,
/// documents are read once (these bytes are what is published).
fn load_attachments(
    root: &Path,
    dir: &Path,
    rec: &CampaignRecord,
    fx: &FileCtx,
    diags: &mut Diagnostics,
) -> Vec<Attachment> {
    let mut attachments = Vec::new();
    let mut slugs = BTreeSet::new();
    let listed = rec
        .notice
        .attachments
        .iter()
        .map(|a| ("attachments", true, a));
    let offered = rec.notice.downloads.iter().map(|a| ("downloads", false, a));
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, annexed, a) in listed.chain(offered) {
        let i = index.entry(key).or_default();
        let field = format!("notice.{key}[{i}].file");
        *i += 1;
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
            annexed,
        });
    }
    attachments
}

/// The publicity period, its end computed in working days under holidays.yaml.
fn load_publicity(
    rec: &CampaignRecord,
    cal: Option<&Calendar>,
    fx: &FileCtx,
    diags: &mut Diagnostics,
) -> Option<Publicity> {
    let p = rec.publicity.as_ref()?;
    if p.working_days == 0 {
        diags.push(
            fx.err(
                "publicity.working_days",
                "the publicity period must last at least one working day",
            )
            .help("the rules (第十八条) set 10"),
        );
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
                .help(format!(
                    "write `end: {}`, or remove `end` and let biaogan compute it",
                    end.date()
                )),
            );
        }
    }
    if p.start < rec.notice.date {
        diags.push(fx.err(
            "publicity.start",
            "publicity starts before the notice's date",
        ));
    }
    Some(Publicity {
        number: p.number.clone(),
        title: p.title.clone(),
        start: p.start,
        end,
        working_days: p.working_days,
        until_time: p.objections.until_time,
        instructions: Source {
            file: fx.file.to_path_buf(),
            text: p.objections.instructions.clone(),
        },
    })
}
