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
        records::<RevocationRecord>(root, &rdir, "hx-auto-parts.yaml（与案例编号相同）", diags);
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
                Some(s) => format!(
                    "是否想写 {s}？case 写 campaigns/{}/cases/ 中案例的文件名（不带 .yaml）",
                    camp.year
                ),
                None => format!(
                    "case 写 campaigns/{}/cases/ 中案例的文件名（不带 .yaml）",
                    camp.year
                ),
            };
            diags.push(
                fx.err("case", format!("本轮没有案例 `{}`", rec.case))
                    .help(hint),
            );
            continue;
        };
        if !cases[ci].is_approved() {
            diags.push(
                fx.err(
                    "case",
                    format!(
                        "案例 `{}` 从未列入正式名单（stage 是 {}），不能从名单中撤销",
                        rec.case,
                        stage_name(cases[ci].stage)
                    ),
                )
                .help("撤销只针对已批准公布的案例（第二十一条）：核对 case 写的案例编号"),
            );
            continue;
        }
        match &camp.results {
            Some(r) if rec.date < r.date => {
                diags.push(
                    fx.err(
                        "date",
                        format!("撤销公告日期是 {}，但结果在 {} 才公布", rec.date, r.date),
                    )
                    .help("名单公布之后才能撤销其中的案例：核对 date"),
                );
                continue;
            }
            None => {
                diags.push(fx.err(
                    "case",
                    "本轮还没有公布结果（campaign.yaml 中没有 results），没有可以撤销的名单",
                ));
                continue;
            }
            _ => {}
        }
        match (rec.reason, rec.domain) {
            (RevocationReason::MajorIncident, None) => {
                diags.push(
                    fx.err("domain", "reason 为 major_incident（三年内发生重大责任事故）时必须写 domain（事故领域）")
                        .help("加一行 domain:，可选：integrity（诚信）、quality（质量）、safety（安全）、environment（环保）"),
                );
                continue;
            }
            (RevocationReason::Falsification, Some(_)) => {
                diags.push(
                    fx.err("domain", "domain 只用于 reason: major_incident")
                        .help("删掉 domain，或者把 reason 改为 major_incident"),
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
                        "案例 `{}` 已经由 revocations/{}.yaml 撤销",
                        rec.case, other.id
                    ),
                )
                .field("case")
                .at_opt(&src, yaml::locate(&src, &["case"]))
                .help("每个案例只保留一条撤销记录"),
            );
            continue;
        }
        let md = path.with_extension("md");
        let body = if nofollow::is_there(&md) {
            match paths::inside(&rdir, &format!("{id}.md")) {
                Ok(p) => read(root, &p, diags).map(|text| Source {
                    file: p,
                    text,
                    at: None,
                }),
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
