//! Open data: the final list as JSON and CSV (schema documented in the README).

use serde::Serialize;

use super::Renderer;
use crate::plan::PageKind;

/// Version of the results.json / results.csv schema; bump on incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct ResultsFile<'a> {
    schema_version: u32,
    year: i32,
    results: Doc<'a>,
    cases: Vec<CaseRecord<'a>>,
}

#[derive(Serialize)]
struct Doc<'a> {
    number: &'a str,
    title: &'a str,
    date: String,
    url: String,
}

#[derive(Serialize)]
struct CaseRecord<'a> {
    serial: usize,
    id: &'a str,
    organization: &'a str,
    credit_code: &'a str,
    region: &'a str,
    field: &'a str,
    focus_area: &'a str,
    title: &'a str,
    methods: &'a [String],
    url: String,
    status: &'static str,
    revocation: Option<Revoked<'a>>,
}

#[derive(Serialize)]
struct Revoked<'a> {
    number: &'a str,
    date: String,
    reason: String,
    url: String,
}

impl Renderer<'_> {
    fn results_records(&self, ci: usize) -> Option<ResultsFile<'_>> {
        let c = &self.site.campaigns[ci];
        let r = c.results.as_ref()?;
        let cases = c
            .cases
            .iter()
            .enumerate()
            .zip(&self.serials[ci])
            .filter_map(|((i, k), serial)| Some((i, k, (*serial)?)))
            .map(|(i, k, serial)| {
                let rev = self.plan.revocation(c, ci, i);
                let url = self.absolute_url(PageKind::Case(ci, i));
                CaseRecord {
                    serial,
                    id: &k.id,
                    organization: &k.organization.name,
                    credit_code: k.organization.credit_code.as_str(),
                    region: &k.organization.region,
                    field: &k.field,
                    focus_area: c.focus_title(&k.focus_area),
                    title: &k.title,
                    methods: &k.methods,
                    url,
                    status: if rev.is_some() { "revoked" } else { "listed" },
                    revocation: rev.map(|(ri, r)| Revoked {
                        number: &r.number,
                        date: r.date.to_string(),
                        reason: r.reason_text(),
                        url: self.absolute_url(PageKind::Revocation(ci, ri)),
                    }),
                }
            })
            .collect();
        Some(ResultsFile {
            schema_version: SCHEMA_VERSION,
            year: c.year,
            results: Doc {
                number: &r.number,
                title: &r.title,
                date: r.date.to_string(),
                url: self.absolute_url(PageKind::Results(ci)),
            },
            cases,
        })
    }

    /// `/<year>/results.json`.
    pub(super) fn results_json(&self, ci: usize) -> Option<String> {
        let f = self.results_records(ci)?;
        serde_json::to_string_pretty(&f).ok().map(|s| s + "\n")
    }

    /// `/<year>/results.csv`: UTF-8 with a byte-order mark and CRLF, so that
    /// spreadsheet software opens the Chinese text correctly.
    pub(super) fn results_csv(&self, ci: usize) -> Option<String> {
        let f = self.results_records(ci)?;
        let mut s = String::from("\u{feff}");
        let header = [
            "序号",
            "组织名称",
            "统一社会信用代码",
            "地区",
            "领域",
            "重点领域",
            "典型经验名称",
            "方法",
            "网址",
            "状态",
            "移除公告文号",
            "移除日期",
            "移除原因",
        ];
        s.push_str(&row(header.iter().map(|h| h.to_string())));
        for c in &f.cases {
            s.push_str(&row([
                c.serial.to_string(),
                c.organization.into(),
                c.credit_code.into(),
                c.region.into(),
                c.field.into(),
                c.focus_area.into(),
                c.title.into(),
                c.methods.join("；"),
                c.url.clone(),
                if c.revocation.is_some() {
                    "已移除".into()
                } else {
                    "在列".into()
                },
                c.revocation
                    .as_ref()
                    .map_or(String::new(), |r| r.number.into()),
                c.revocation
                    .as_ref()
                    .map_or(String::new(), |r| r.date.clone()),
                c.revocation
                    .as_ref()
                    .map_or(String::new(), |r| r.reason.clone()),
            ]));
        }
        Some(s)
    }
}

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            // Cells starting with = + - @ would run as formulas in spreadsheets;
            // so would TAB or CR before one (OWASP's list), so those are
            // neutralised too.
            let c = if c.starts_with(FORMULA_STARTS) {
                format!("'{c}")
            } else {
                c
            };
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        })
        .collect();
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::row;

    #[test]
    fn formula_starts_are_neutralised() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("恒信=1", "恒信=1"),
        ] {
            assert_eq!(row([cell.to_owned()]), format!("{want}\r\n"), "{cell:?}");
        }
    }
}
