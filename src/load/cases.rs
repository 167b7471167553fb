//! `campaigns/<year>/cases/<id>.yaml` and their summaries: the applications.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{nofollow, paths, read_file, sorted_entries, stray, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::records::{CampaignRecord, CaseRecord};
use crate::model::site::{Case, Source};
use crate::model::stage::Stage;

/// What the cases of one round share while they are checked one by one.
struct Round<'a> {
    cdir: PathBuf,
    camp: &'a CampaignRecord,
    /// The last day before the deadline: a certificate valid that day counts.
    last_day: NaiveDate,
    /// Ids seen, with their file.
    seen: BTreeMap<String, PathBuf>,
    /// Positions on the lists, with the case holding each.
    orders: BTreeMap<i64, String>,
    /// Summary files some record names, for finding the ones none does.
    referenced: HashSet<PathBuf>,
    /// Records whose `summary:` is fine as far as it goes (an error about it
    /// already covers a Markdown file it fails to name).
    read_ids: BTreeSet<String>,
}

/// Reads, checks and returns the cases of a round (`None` when any is wrong).
pub(super) fn load_cases(
    root: &Path,
    dir: &Path,
    camp: &CampaignRecord,
    diags: &mut Diagnostics,
) -> Option<Vec<Case>> {
    let cdir = dir.join("cases");
    let before = diags.error_count();
    let (records, markdown) = list(root, &cdir, diags);
    let parsed = parse_all(root, &cdir, &records);
    let mut round = Round {
        cdir,
        camp,
        last_day: dates::last_day(camp.application.deadline),
        seen: BTreeMap::new(),
        orders: BTreeMap::new(),
        referenced: HashSet::new(),
        read_ids: BTreeSet::new(),
    };
    let mut cases: Vec<Case> = Vec::new();
    // Validated in file order so errors come out the same way every time.
    for (path, parsed) in records.into_iter().zip(parsed) {
        let Some(id) = round.claim_id(&path, diags) else {
            continue;
        };
        match parsed {
            Ok(parsed) => cases.push(round.case(path, id, parsed, diags)),
            Err(d) => diags.push(d),
        }
    }
    unread_summaries(&markdown, &round.referenced, &round.read_ids, diags);
    cases.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    (diags.error_count() == before).then_some(cases)
}

/// A record read and parsed, with the summary file it names read too and
/// the warnings about its comments.
struct Parsed {
    src: String,
    rec: CaseRecord,
    summary: Option<Summary>,
    comments: Vec<Diagnostic>,
}

/// A summary file read ahead: its path (inside the cases folder) and text,
/// or why `summary:` names no file there.
type Summary = Result<(PathBuf, Result<String, Diagnostic>), String>;

/// Reads and parses every record (in the order of `records`) and reads the
/// summary each names. This is most of the work for a large round (the
/// summaries are most of its bytes), so it runs in parallel, with every
/// check that looks at one file alone; the checks across records follow in
/// file order.
fn parse_all(root: &Path, cdir: &Path, records: &[PathBuf]) -> Vec<Result<Parsed, Diagnostic>> {
    records
        .par_iter()
        .map(|p| {
            read_file(root, p)
                .and_then(|src| yaml::parse::<CaseRecord>(p, &src).map(|rec| (src, rec)))
                .map(|(src, rec)| Parsed {
                    summary: rec
                        .summary
                        .as_ref()
                        .map(|rel| read_summary(root, cdir, rel)),
                    comments: super::lines::comment_warnings(p, &src),
                    src,
                    rec,
                })
        })
        .collect()
}

/// The summary file `rel` names in `cdir`, read.
fn read_summary(root: &Path, cdir: &Path, rel: &str) -> Summary {
    paths::inside(cdir, rel).map(|f| {
        let text = read_file(root, &f);
        (f, text)
    })
}

impl Round<'_> {
    /// The case id of a record file, if it is usable and not taken.
    fn claim_id(&mut self, path: &Path, diags: &mut Diagnostics) -> Option<String> {
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        if !paths::is_slug(&id) {
            diags.push(
                Diagnostic::new(
                    path,
                    format!("`{id}` 不能作为案例编号：文件名就是案例页面的网址"),
                )
                .help("文件名只用小写英文字母、数字和 -，例如 hx-auto-parts.yaml"),
            );
            return None;
        }
        if let Some(first) = self.seen.insert(id.clone(), path.to_path_buf()) {
            diags.push(
                Diagnostic::new(
                    path,
                    format!("案例编号 `{id}` 重复：{} 用了同一个编号", first.display()),
                )
                .help("每个案例只保留一条记录；编号就是去掉 .yaml 的文件名"),
            );
            return None;
        }
        Some(id)
    }

    /// Checks one parsed record and builds its case.
    fn case(&mut self, path: PathBuf, id: String, parsed: Parsed, diags: &mut Diagnostics) -> Case {
        let Parsed {
            src,
            rec,
            summary,
            comments,
        } = parsed;
        comments.into_iter().for_each(|d| diags.push(d));
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        check_field_and_focus(self.camp, &fx, &rec, diags);
        check_stage(&fx, &rec, self.last_day, diags);
        let summary = self.summary(&fx, &id, &rec, summary, diags);
        if let Some(o) = rec.order {
            if let Some(other) = self.orders.insert(o, id.clone()) {
                diags.push(
                    fx.err("order", format!("排序 {o} 已经被案例 `{other}` 使用"))
                        .help("每个案例的 order 各不相同"),
                );
            }
        }
        Case {
            assets_dir: self.cdir.join(&id),
            file: path,
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
        }
    }

    /// The experience summary named by `summary:`, read; required from the
    /// publicity list on.
    fn summary(
        &mut self,
        fx: &FileCtx,
        id: &str,
        rec: &CaseRecord,
        read_ahead: Option<Summary>,
        diags: &mut Diagnostics,
    ) -> Option<Source> {
        // Read ahead whenever the record names a summary (`parse_all`).
        let Some(read) = read_ahead else {
            if rec.stage.is_publicised() {
                diags.push(
                    fx.err(
                        "summary",
                        format!(
                            "stage 是 {}（{}）的案例必须有经验总结",
                            stage_name(rec.stage),
                            rec.stage.label()
                        ),
                    )
                    .help(format!("写好 cases/{id}.md，并加上 summary: {id}.md")),
                );
            } else {
                self.read_ids.insert(id.to_owned());
            }
            return None;
        };
        match read {
            Ok((p, text)) => {
                self.read_ids.insert(id.to_owned());
                self.referenced.insert(p.clone());
                text.map_err(|d| diags.push(d))
                    .ok()
                    .filter(|text| not_blank(&p, text, diags))
                    .map(|text| Source {
                        file: p,
                        text,
                        at: None,
                    })
            }
            Err(m) => {
                diags.push(fx.err("summary", m).help(format!(
                    "把经验总结写在 cases/{id}.md 中，并写 summary: {id}.md"
                )));
                None
            }
        }
    }
}

/// `field` and `focus_area` are among those the round's campaign.yaml lists.
fn check_field_and_focus(
    camp: &CampaignRecord,
    fx: &FileCtx,
    rec: &CaseRecord,
    diags: &mut Diagnostics,
) {
    if !camp.fields.contains(&rec.field) {
        diags.push(
            fx.err(
                "field",
                format!("`{}` 不是本轮 campaign.yaml 中列出的领域", rec.field),
            )
            .help(format!("field 可选：{}", camp.fields.join("、"))),
        );
    }
    if !camp.focus_areas.iter().any(|f| f.id == rec.focus_area) {
        let ids: Vec<String> = camp.focus_areas.iter().map(|f| f.id.clone()).collect();
        let listed = camp
            .focus_areas
            .iter()
            .map(|f| format!("{}（{}）", f.id, f.title))
            .collect::<Vec<_>>()
            .join("、");
        let by_title = camp
            .focus_areas
            .iter()
            .find(|f| f.title == rec.focus_area.trim())
            .map(|f| f.id.clone());
        let mut hint = format!("{} 年的 focus_area 可选：{listed}", camp.year);
        if let Some(s) = by_title.or_else(|| yaml::suggest(&rec.focus_area, &ids)) {
            hint = format!("是否想写 {s}？{hint}");
        }
        diags.push(
            fx.err(
                "focus_area",
                format!(
                    "`{}` 不是本轮 campaign.yaml 中的重点方向：这里写重点方向的 id",
                    rec.focus_area
                ),
            )
            .help(hint),
        );
    }
}

/// The ISO 9001 certificate from the eligibility check on, and an objection
/// only for a case on the publicity list.
fn check_stage(fx: &FileCtx, rec: &CaseRecord, last_day: NaiveDate, diags: &mut Diagnostics) {
    // Written out only for a message: most records have none.
    let stage = || format!("{}（{}）", stage_name(rec.stage), rec.stage.label());
    if rec.stage.is_qualified() {
        match &rec.iso9001 {
            None => diags.push(
                fx.err("iso9001", format!("stage 是 {} 的案例必须有 ISO 9001 证书", stage()))
                    .help("加上 iso9001: {certificate: 证书编号, valid_until: YYYY-MM-DD}（管理办法 第八条（三））"),
            ),
            Some(iso) if iso.valid_until < last_day => diags.push(
                fx.err(
                    "iso9001.valid_until",
                    format!(
                        "ISO 9001 证书 {} 到期，早于申报截止日 {}",
                        iso.valid_until, last_day
                    ),
                )
                .help("申报单位须持有有效证书（第八条（三））：改正日期，或者把 stage 改为 ineligible（资格审查未通过）"),
            ),
            Some(_) => {}
        }
    }
    if rec.objection.is_some() && !rec.stage.at_least(Stage::Recommended) {
        diags.push(
            fx.err(
                "objection",
                format!("只有列入公示名单的案例才会有异议，但 stage 是 {}", stage()),
            )
            .help("把 stage 改为 recommended（推荐）或 approved（批准），或者删除 objection"),
        );
    }
}

/// The case records (`*.yaml`) and Markdown files directly in `cases/`;
/// misnamed records are reported. Other files (images) are left alone.
fn list(root: &Path, cdir: &Path, diags: &mut Diagnostics) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut records = Vec::new();
    let mut markdown = Vec::new();
    for (path, ty) in sorted_entries(root, cdir, diags) {
        if !ty.is_file() {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml") => records.push(path),
            Some("md") => markdown.push(path),
            _ => {
                if let Some(d) = stray::misnamed(&path) {
                    diags.push(d);
                }
            }
        }
    }
    (records, markdown)
}

/// A summary holding only whitespace would publish an empty case page.
fn not_blank(file: &Path, text: &str, diags: &mut Diagnostics) -> bool {
    if !text.trim().is_empty() {
        return true;
    }
    diags.push(
        Diagnostic::new(file, "经验总结是空的，发布后案例页面没有正文")
            .help("写入经验总结的正文（Markdown），或者暂时不写 `summary:`（案例进入公示前必须有经验总结）"),
    );
    false
}

/// Reports Markdown files in `cases/` that no record names as its summary:
/// they would never be published, though the editor expects them to be.
fn unread_summaries(
    markdown: &[PathBuf],
    referenced: &HashSet<PathBuf>,
    read_ids: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    for md in markdown.iter().filter(|p| !referenced.contains(*p)) {
        let stem = md.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let record = md.with_extension("yaml");
        let help = if read_ids.contains(stem) {
            format!("如果这是 {stem} 的经验总结，在 {stem}.yaml 中写 `summary: {stem}.md`；不需要的话删除这个文件")
        } else if nofollow::is_there(&record) {
            // The record's own errors (its `summary:`) are reported already.
            continue;
        } else {
            format!("没有 {stem}.yaml 这条案例记录：检查文件名是否与记录一致，或先建立记录（biaogan new case <年份> {stem}）")
        };
        diags
            .push(Diagnostic::new(md, "这个经验总结没有被任何案例记录引用，不会被发布").help(help));
    }
}

/// A stage as written in YAML (`recommended`).
pub(super) fn stage_name(s: Stage) -> String {
    serde_yaml::to_string(&s)
        .map(|t| t.trim().to_owned())
        .unwrap_or_default()
}
