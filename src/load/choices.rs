//! The values of the records' enumerations (`stage`, `outcome`, `reason`,
//! `domain`, `kind`, `status`) with their meaning in Chinese, so a message can
//! list them as `applied（已申报）、ineligible（资格审查未通过）…`, and the
//! value an editor meant when they wrote the meaning instead of the key.

/// Each value as written in YAML, its meaning, and other Chinese words
/// editors use for it.
const VALUES: &[(&str, &str, &[&str])] = &[
    ("applied", "已申报", &["申报", "已提交"]),
    (
        "ineligible",
        "资格审查未通过",
        &["未通过资格审查", "不合格", "不符合条件"],
    ),
    ("qualified", "资格审查通过", &["通过资格审查"]),
    (
        "shortlisted",
        "通过资料评审，进入答辩",
        &["通过资料评审", "资料评审通过", "入围"],
    ),
    (
        "recommended",
        "通过答辩评审，列入推荐名单公示",
        &["推荐", "公示", "通过答辩评审", "推荐名单"],
    ),
    (
        "approved",
        "批准公布，列入正式名单",
        &[
            "批准",
            "已批准",
            "已通过",
            "通过",
            "正式公布",
            "入选",
            "公布",
        ],
    ),
    ("withdrawn", "申报单位已撤回", &["撤回", "已撤回"]),
    ("dismissed", "异议不成立", &["不成立"]),
    ("upheld", "异议成立", &["成立"]),
    ("falsification", "申报材料弄虚作假", &["弄虚作假", "造假"]),
    (
        "major_incident",
        "三年内发生重大责任事故",
        &["重大责任事故", "重大事故", "事故"],
    ),
    ("integrity", "诚信", &[]),
    ("quality", "质量", &[]),
    ("safety", "安全", &[]),
    ("environment", "环保", &["环境"]),
    ("lecture", "专家讲座", &["讲座"]),
    ("sharing", "标杆经验分享", &["经验分享", "分享"]),
    ("site_visit", "现场参观交流", &["现场参观", "参观"]),
    ("deep_learning", "标杆深入学", &["深入学"]),
    ("scheduled", "按计划举行", &["按计划", "正常"]),
    ("postponed", "延期", &["活动延期", "推迟"]),
    ("cancelled", "取消", &["活动取消", "已取消"]),
];

/// The meaning of a value, when it is one of the enumerations'.
pub(crate) fn meaning(value: &str) -> Option<&'static str> {
    VALUES.iter().find(|v| v.0 == value).map(|v| v.1)
}

/// `applied（已申报）、ineligible（资格审查未通过）…` for `allowed`.
pub(crate) fn listed(allowed: &[String]) -> String {
    allowed
        .iter()
        .map(|a| match meaning(a) {
            Some(m) => format!("{a}（{m}）"),
            None => a.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The allowed value whose meaning (or another Chinese word for it) `written` is.
pub(crate) fn by_meaning(written: &str, allowed: &[String]) -> Option<String> {
    let w = written.trim();
    if w.is_empty() {
        return None;
    }
    let candidates = VALUES.iter().filter(|v| allowed.iter().any(|a| a == v.0));
    let exact = candidates
        .clone()
        .find(|v| v.1 == w || v.2.contains(&w))
        .map(|v| v.0.to_owned());
    exact.or_else(|| {
        let mut near = candidates.filter(|v| v.1.contains(w) || w.contains(v.1));
        match (near.next(), near.next()) {
            (Some(v), None) => Some(v.0.to_owned()),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<String> {
        [
            "applied",
            "ineligible",
            "qualified",
            "shortlisted",
            "recommended",
            "approved",
            "withdrawn",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn values_are_listed_with_their_meaning() {
        let l = listed(&stages());
        assert!(
            l.starts_with(
                "applied（已申报）、ineligible（资格审查未通过）、qualified（资格审查通过）"
            ),
            "{l}"
        );
    }

    #[test]
    fn chinese_meaning_finds_the_key() {
        assert_eq!(by_meaning("已通过", &stages()).as_deref(), Some("approved"));
        assert_eq!(by_meaning("已批准", &stages()).as_deref(), Some("approved"));
        assert_eq!(
            by_meaning("已撤回", &stages()).as_deref(),
            Some("withdrawn")
        );
        assert_eq!(
            by_meaning("资格审查通过", &stages()).as_deref(),
            Some("qualified")
        );
        assert_eq!(by_meaning("随便", &stages()), None);
        // Only values allowed here are suggested.
        let outcome = ["dismissed".to_owned(), "upheld".to_owned()];
        assert_eq!(by_meaning("成立", &outcome).as_deref(), Some("upheld"));
        assert_eq!(by_meaning("已批准", &outcome), None);
    }
}
