//! `campaigns/<year>/revocations/<case>.yaml`: removals from a final list (第二十一条).

use std::path::Path;

use super::numbers::Numbers;
use super::{cases::stage_name, holidays, nofollow, paths, read, records, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::holidays::Calendar;
use crate::model::records::{CampaignRecord, RevocationReason, RevocationRecord};
use crate::model::site::{Case, Revocation, Source};

pub(super) fn load_revocations(
    root: &Path,
    dir: &Path,
    camp: &CampaignRecord,
    cases: &[Case],
    cal: Option<&Calendar>,
    numbers: &mut Numbers,
    diags: &mut Diagnostics,
) -> Vec<Revocation> {
    let rdir = dir.join("revocations");
    let mut out: Vec<Revocation> = Vec::new();
    let (records, others) =
        records::<RevocationRecord>(root, &rdir, "hx-auto-parts.yaml (the case id)", diags);
    for md in others
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        if !nofollow::is_there(&md.with_extension("yaml")) {
            let stem = md.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            diags.push(
                Diagnostic::new(md, "撤销公告的正文没有对应的记录，这个文件不会被读取，案例也不会被撤销")
                    .help(format!("在同一文件夹中建立 {stem}.yaml（biaogan new revocation {} {stem}），或删除这个文件", camp.year)),
            );
        }
    }
    for (path, id, src, rec) in records {
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        numbers.claim(root, &rec.number, fx.err("number", ""), diags);
        holidays::check_covered(cal, &fx, &[("date".into(), rec.date)], diags);
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
