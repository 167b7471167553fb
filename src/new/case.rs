//! `biaogan new case <year> <id>`: a case record and its experience summary.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::{round_dir, todo, write_all, Created};
use crate::model::records::CampaignRecord;
use crate::model::stage::Stage;

/// Every stage with its meaning, in procedure order, for the template's comment.
const STAGES: [(Stage, &str, &str); 7] = [
    (Stage::Applied, "applied", "已申报"),
    (Stage::Ineligible, "ineligible", "资格审查未通过"),
    (Stage::Qualified, "qualified", "通过资格审查"),
    (Stage::Shortlisted, "shortlisted", "通过资料评审"),
    (
        Stage::Recommended,
        "recommended",
        "通过答辩评审，列入公示的推荐名单",
    ),
    (Stage::Approved, "approved", "列入正式公布的名单"),
    (Stage::Withdrawn, "withdrawn", "申报组织撤回"),
];

/// Writes `campaigns/<year>/cases/<id>.yaml` and `<id>.md`.
pub(crate) fn create(content: &Path, year: i32, id: &str) -> Result<Created, String> {
    let dir = round_dir(content, year)?;
    let round = fs::read_to_string(dir.join("campaign.yaml"))
        .ok()
        .and_then(|t| {
            serde_yaml::from_str::<CampaignRecord>(t.trim_start_matches('\u{feff}')).ok()
        });
    let cases = dir.join("cases");
    let files = vec![
        (
            cases.join(format!("{id}.yaml")),
            record(year, id, round.as_ref()).into_bytes(),
        ),
        (cases.join(format!("{id}.md")), summary(id).into_bytes()),
    ];
    let written = write_all(&files)?;
    Ok(Created {
        files: written,
        steps: vec![
            format!(
                "经验总结里的图片放在 {} 文件夹中。",
                cases.join(id).display()
            ),
            "随着评审推进修改 stage；推荐名单公示前，stage 为 recommended 的案例必须有经验总结。"
                .into(),
        ],
    })
}

fn record(year: i32, id: &str, round: Option<&CampaignRecord>) -> String {
    let fields = round
        .map(|r| r.fields.join("、"))
        .unwrap_or_else(|| "见 campaign.yaml 的 fields".into());
    let areas = round
        .map(|r| {
            r.focus_areas
                .iter()
                .map(|a| format!("{}（{}）", a.id, a.title))
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_else(|| "见 campaign.yaml 的 focus_areas".into());
    let stages = STAGES
        .iter()
        .map(|(_, k, m)| format!("{k}（{m}）"))
        .collect::<Vec<_>>()
        .join("、");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {year} 年申报案例 {id}。文件名 {id} 也是网址 /{year}/cases/{id}/ 的一部分，公布后不要再改。\n\
         # 每一处“【待填写：…】”都要换成真实内容，否则 biaogan check 会报“占位内容未填写”。\n\
         # 以 # 开头的行是说明，不会发布。日期写成 {year}-05-31 这样的格式。\n"
    );
    let _ = writeln!(s, "# 申报组织（公开）\norganization:");
    let _ = writeln!(
        s,
        "  # 组织全称，与营业执照一致\n  name: {}",
        todo("申报组织全称")
    );
    let _ = writeln!(
        s,
        "  # 统一社会信用代码：18 位，biaogan 会核对最后一位校验码\n  credit_code: {}",
        todo("统一社会信用代码")
    );
    let _ = writeln!(
        s,
        "  # 所在省级地区，如 北京市、浙江省\n  region: {}",
        todo("省级地区")
    );
    let _ = writeln!(s, "# 申报领域，可选：{fields}\nfield: {}", todo("领域"));
    let _ = writeln!(
        s,
        "# 重点领域 id，可选：{areas}\nfocus_area: {}",
        todo("重点领域 id")
    );
    let _ = writeln!(s, "# 典型经验名称（公开）\ntitle: {}", todo("典型经验名称"));
    let _ = writeln!(
        s,
        "# 方法标签，如 [精益管理, 六西格玛]；没有就保留 []\nmethods: []"
    );
    let _ = writeln!(
        s,
        "# 经验总结正文：同一文件夹中的 Markdown 文件，一般不用改\nsummary: {id}.md"
    );
    let _ = writeln!(
        s,
        "# 在名单中的位置，数字小的在前；不写则按文件名排。需要时删掉下一行开头的“# ”\n# order: 1"
    );
    let _ = writeln!(s, "# 评审进度，可选：{stages}\nstage: applied");
    let _ = writeln!(
        s,
        "# 公示期间收到异议时删掉下一行开头的“# ”：dismissed（异议不成立）、upheld（异议成立，不列入正式名单）\n# objection: {{outcome: dismissed}}"
    );
    let _ = writeln!(
        s,
        "# ISO 9001 质量管理体系认证证书（管理办法第八条（三）），通过资格审查的案例必须有，申报截止时须在有效期内\niso9001:"
    );
    let _ = writeln!(s, "  certificate: {}", todo("证书编号"));
    let _ = writeln!(s, "  valid_until: {}", todo("有效期至，如 2027-09-24"));
    let _ = writeln!(
        s,
        "# 保密内容：评分、评审意见、联系人、电话、财务数据等都写在 confidential 下面。\n\
         # biaogan 从不把这里的任何内容发布到网站、数据文件或错误信息中。需要时删掉行首的“# ”：\n\
         confidential:\n\
         #  contact_person: 联系人姓名\n\
         #  phone: '13800000000'\n\
         #  scores: {{material: 85.0, defence: 86.5}}\n\
         #  reviewer_comments: 评审意见"
    );
    s
}

fn summary(id: &str) -> String {
    format!(
        "{}\n",
        todo(&format!(
            "典型经验总结正文（约一万字）。各节用“## 一、背景”这样的标题；图片放在 {id}/ 文件夹中，写成 ![图片说明]({id}/图片.png)。写好后删掉这一整行"
        ))
    )
}
