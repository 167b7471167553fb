//! Organisations across rounds: a removal from an earlier final list weighs
//! on the same organisation's later applications (管理办法 第八条（二）: no
//! bad record in the last three years).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};

use super::cases::stage_name;
use super::{read_file, FileCtx};
use crate::diagnostics::Diagnostics;
use crate::model::site::Campaign;
use crate::model::stage::Stage;

/// A removal as later rounds see it.
struct Removal<'a> {
    year: i32,
    date: NaiveDate,
    number: &'a str,
}

/// Warnings for every case at `qualified` or later whose organisation (by
/// credit code) was removed from an earlier round's list within three years
/// before this round's notice, or since. The case record is read again only
/// for a warning, to point at its line.
pub(super) fn warnings(root: &Path, campaigns: &[Campaign]) -> Diagnostics {
    let mut removed: BTreeMap<&str, Vec<Removal<'_>>> = BTreeMap::new();
    for c in campaigns {
        for r in &c.revocations {
            let Some(k) = c.cases.get(r.case) else {
                continue;
            };
            removed
                .entry(k.organization.credit_code.as_str())
                .or_default()
                .push(Removal {
                    year: c.year,
                    date: r.date,
                    number: &r.number,
                });
        }
    }
    let mut diags = Diagnostics::default();
    if removed.is_empty() {
        return diags;
    }
    for c in campaigns {
        for k in c
            .cases
            .iter()
            .filter(|k| k.stage.at_least(Stage::Qualified))
        {
            let Some(list) = removed.get(k.organization.credit_code.as_str()) else {
                continue;
            };
            for r in list
                .iter()
                .filter(|r| r.year < c.year && weighs_on(r.date, c.notice.date))
            {
                let src = read_file(root, &k.file).unwrap_or_default();
                let fx = FileCtx {
                    file: &k.file,
                    src: &src,
                };
                diags.push(
                    fx.err(
                        "organization.credit_code",
                        format!(
                            "{}（统一社会信用代码 {}）的典型经验已于{}年{}月{}日被移出{}年名单（{}），属近三年内的不良记录，但本轮阶段为 `{}`",
                            k.organization.name,
                            k.organization.credit_code,
                            r.date.year(),
                            r.date.month(),
                            r.date.day(),
                            r.year,
                            r.number,
                            stage_name(k.stage)
                        ),
                    )
                    .help("管理办法第八条（二）要求近三年无不良记录：请核实申报资格，不符合条件的将 stage 改为 `ineligible`")
                    .warning(),
                );
            }
        }
    }
    diags.sort();
    diags
}

/// Whether a removal on `removed` is a bad record for a round announced on
/// `notice`: it falls within the three years before the notice, or after it.
fn weighs_on(removed: NaiveDate, notice: NaiveDate) -> bool {
    let since = notice
        .checked_sub_months(Months::new(36))
        .unwrap_or(NaiveDate::MIN);
    removed >= since
}

#[cfg(test)]
mod tests {
    use super::weighs_on;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn three_years_before_the_notice_or_later() {
        let notice = d("2027-03-20");
        assert!(weighs_on(d("2024-03-20"), notice));
        assert!(!weighs_on(d("2024-03-19"), notice));
        assert!(
            weighs_on(d("2027-06-01"), notice),
            "removed during the round"
        );
        assert!(weighs_on(d("2025-01-01"), notice));
    }
}
