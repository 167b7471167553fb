//! `campaigns/<year>/cases/<id>.yaml` and their summaries: the applications.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Duration;
use rayon::prelude::*;

use super::{paths, read, read_file, sorted_entries, yaml, FileCtx};
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

/// A stage as written in YAML (`recommended`).
pub(super) fn stage_name(s: Stage) -> String {
    serde_yaml::to_string(&s)
        .map(|t| t.trim().to_owned())
        .unwrap_or_default()
}
