//! `campaigns/<year>/campaign.yaml`: one round, its notice, attachments and
//! publication dates; its cases and revocations are loaded from here.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::numbers::Numbers;
use super::{attachments, cases, holidays, nofollow, paths, read, revocations, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::holidays::Calendar;
use crate::model::records::CampaignRecord;
use crate::model::site::{Campaign, Case, Notice, Publicity, Source};

/// Reads and checks one round: its campaign.yaml, notice, attachments,
/// cases and revocations (`None` when anything in it is wrong).
pub(super) fn load_campaign(
    root: &Path,
    dir: &Path,
    cal: Option<&Calendar>,
    numbers: &mut Numbers,
    diags: &mut Diagnostics,
) -> Option<Campaign> {
    super::misnamed_files(root, dir, diags);
    let file = dir.join("campaign.yaml");
    let (src, rec) = read_record(root, &file, diags)?;
    let fx = FileCtx {
        file: &file,
        src: &src,
    };
    let before = diags.error_count();
    check_year(dir, &rec, &fx, diags);
    let outside = dates_in_year(&rec, &fx, diags);
    claim_numbers(root, &rec, &fx, numbers, diags);
    holidays::check_covered(cal, &fx, &calendar_dates(&rec, &outside), diags);
    let notice_body = notice_body(root, dir, &rec, &fx, diags);
    let attachments = attachments::load_attachments(root, dir, &rec, &fx, diags);
    check_focus_areas(&rec, &fx, diags);
    check_timeline(&rec, &fx, diags);
    check_application(&rec, &fx, diags);
    let publicity = load_publicity(&rec, cal, &fx, diags);
    check_results(&rec, publicity.as_ref(), &fx, diags);
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

/// campaign.yaml's text and record, when it exists and parses.
fn read_record(
    root: &Path,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<(String, CampaignRecord)> {
    if !nofollow::is_there(file) {
        diags.push(
            Diagnostic::new(file, "缺少 campaign.yaml")
                .help("campaigns/ 下的每个文件夹是一轮遴选，都要有 campaign.yaml（可用 biaogan new round <年份> 生成）"),
        );
        return None;
    }
    let src = read(root, file, diags)?;
    match yaml::parse(file, &src) {
        Ok(r) => {
            super::lines::warn_comments(file, &src, diags);
            Some((src, r))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The folder is named after the round's year.
fn check_year(dir: &Path, rec: &CampaignRecord, fx: &FileCtx, diags: &mut Diagnostics) {
    let dir_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if dir_name != rec.year.to_string() {
        diags.push(
            fx.err(
                "year",
                format!("year 是 {}，但文件夹是 campaigns/{dir_name}/", rec.year),
            )
            .help("文件夹以年份命名，或者改正 year"),
        );
    }
}

/// The round's dates the holiday calendar must cover (leaving out those
/// already reported as outside the round's year).
fn calendar_dates(rec: &CampaignRecord, outside: &[String]) -> Vec<(String, NaiveDate)> {
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
    dates
}

/// The notice's Markdown text.
fn notice_body(
    root: &Path,
    dir: &Path,
    rec: &CampaignRecord,
    fx: &FileCtx,
    diags: &mut Diagnostics,
) -> Option<Source> {
    match paths::inside(dir, &rec.notice.body) {
        Ok(p) => read(root, &p, diags).map(|text| Source {
            file: p,
            text,
            at: None,
        }),
        Err(m) => {
            diags.push(
                fx.err("notice.body", m)
                    .help("body 写通知正文的 Markdown 文件名，例如 notice.md"),
            );
            None
        }
    }
}

/// Focus area ids are usable in web addresses and unique.
fn check_focus_areas(rec: &CampaignRecord, fx: &FileCtx, diags: &mut Diagnostics) {
    let mut focus_ids = BTreeSet::new();
    for (i, f) in rec.focus_areas.iter().enumerate() {
        let field = format!("focus_areas[{i}].id");
        if !paths::is_slug(&f.id) {
            diags.push(
                fx.err(&field, format!("`{}` 不能作为重点方向的 id", f.id))
                    .help("id 只用小写英文字母、数字和 -"),
            );
        }
        if !focus_ids.insert(f.id.as_str()) {
            diags.push(fx.err(&field, format!("重点方向的 id `{}` 重复", f.id)));
        }
    }
}

/// Each timeline entry has a date or a period, and does not end before it starts.
fn check_timeline(rec: &CampaignRecord, fx: &FileCtx, diags: &mut Diagnostics) {
    for (i, t) in rec.timeline.iter().enumerate() {
        if t.start.is_none() && t.end.is_none() && t.period.is_none() {
            diags.push(
                fx.err(
                    &format!("timeline[{i}]"),
                    format!("日程“{}”没有日期", t.stage),
                )
                .help("写上 start/end 日期，或者用 period 写一段文字（如 2024年6月上旬）"),
            );
        }
        if let (Some(s), Some(e)) = (t.start, t.end) {
            if s > e {
                diags.push(fx.err(
                    &format!("timeline[{i}].end"),
                    format!("结束日期 {e} 早于开始日期 {s}"),
                ));
            }
        }
    }
}

/// The deadline follows the notice; the application address is a web address.
fn check_application(rec: &CampaignRecord, fx: &FileCtx, diags: &mut Diagnostics) {
    if rec.application.deadline.date() < rec.notice.date {
        diags.push(fx.err("application.deadline", "申报截止时间早于通知日期"));
    }
    if !paths::is_web_address(&rec.application.url) {
        diags.push(
            fx.err(
                "application.url",
                format!("`{}` 不是网址", rec.application.url),
            )
            .help("写完整的 https:// 网址"),
        );
    } else if let Some(m) = super::attributes::address_problem(&rec.application.url) {
        diags.push(
            fx.err("application.url", m)
                .help("从浏览器地址栏复制申报系统的完整网址，不要加引号、空格或其他文字"),
        );
    }
}

/// Results come after a publicity period that has ended.
fn check_results(
    rec: &CampaignRecord,
    publicity: Option<&Publicity>,
    fx: &FileCtx,
    diags: &mut Diagnostics,
) {
    if let (Some(r), Some(p)) = (&rec.results, publicity) {
        if r.date < p.end.date() {
            diags.push(
                fx.err(
                    "results.date",
                    format!("结果在 {} 公布，但公示期到 {} 才结束", r.date, p.end.date()),
                )
                .help("公示期结束后才能公布正式名单（第十九条）"),
            );
        }
    }
    if rec.results.is_some() && rec.publicity.is_none() {
        diags.push(
            fx.err("results", "有 results（结果）却没有 publicity（公示）")
                .help("加上 publicity: 部分；管理办法要求先公示、后公布结果（第十八条）"),
        );
    }
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
        (
            "application.deadline".into(),
            dates::last_day(rec.application.deadline),
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
            fx.err("publicity.working_days", "公示期至少要有一个工作日")
                .help("管理办法（第十八条）规定为 10 个工作日"),
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
                        "end 是 {given}，但按 holidays.yaml 从 {1} 起 {0} 个工作日应到 {2} 结束",
                        p.working_days,
                        p.start,
                        end.date()
                    ),
                )
                .help(format!(
                    "写成 end: {}，或者删去 end 让 biaogan 计算",
                    end.date()
                )),
            );
        }
    }
    if p.start < rec.notice.date {
        diags.push(fx.err("publicity.start", "公示开始日期早于通知日期"));
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
            at: yaml::locate(fx.src, &["publicity", "objections", "instructions"]),
        },
    })
}
