//! `campaigns/<year>/cases/<id>.yaml` and their summaries: the applications.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::Duration;
use rayon::prelude::*;

use super::{nofollow, paths, read, read_file, sorted_entries, stray, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::records::{CampaignRecord, CaseRecord};
use crate::model::site::{Case, Source};
use crate::model::stage::Stage;

pub(super) fn load_cases(
    root: &Path,
    dir: &Path,
    camp: &CampaignRecord,
    diags: &mut Diagnostics,
) -> Option<Vec<Case>> {
    let cdir = dir.join("cases");
    let before = diags.error_count();
    let mut cases: Vec<Case> = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut orders: BTreeMap<i64, String> = BTreeMap::new();
    // The last minute before the deadline: a certificate valid that day counts.
    let last_day = (camp.application.deadline - Duration::seconds(1)).date();
    let (records, markdown) = list(root, &cdir, diags);
    // Summary files some record names, for finding the ones none does.
    let mut referenced = BTreeSet::new();
    // Records whose `summary:` is fine as far as it goes (an error about it
    // already covers a Markdown file it fails to name).
    let mut read_ids = BTreeSet::new();
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
        super::lines::warn_comments(&path, &src, diags);
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
                Ok(p) => {
                    read_ids.insert(id.clone());
                    referenced.insert(p.clone());
                    read(root, &p, diags)
                        .filter(|text| not_blank(&p, text, diags))
                        .map(|text| Source { file: p, text })
                }
                Err(m) => {
                    diags.push(fx.err("summary", m).help(format!(
                        "write the summary as cases/{id}.md and set `summary: {id}.md`"
                    )));
                    None
                }
            },
            None => {
                if !rec.stage.is_publicised() {
                    read_ids.insert(id.clone());
                } else {
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
    unread_summaries(&markdown, &referenced, &read_ids, diags);
    cases.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    (diags.error_count() == before).then_some(cases)
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
    referenced: &BTreeSet<PathBuf>,
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
