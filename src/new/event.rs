//! `biaogan new event <id>`: an exchange event (专家讲座、经验分享、现场参观、深入学).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::yaml::scalar;
use super::{todo, write_all, Created};
use crate::model::records::SiteRecord;

/// Writes `events/<id>.yaml`; the contact comes from the office in site.yaml.
pub(crate) fn create(content: &Path, id: &str) -> Result<Created, String> {
    let contact = fs::read_to_string(content.join("site.yaml"))
        .ok()
        .and_then(|t| serde_yaml::from_str::<SiteRecord>(t.trim_start_matches('\u{feff}')).ok())
        .map(|s| format!("{} {}", s.office.department, s.office.phone));
    let file = content.join("events").join(format!("{id}.yaml"));
    let written = write_all(&[(file, record(id, contact.as_deref()).into_bytes())])?;
    Ok(Created {
        files: written,
        steps: vec![
            "活动从 announced 那天起公开；公开后如果改期或取消，改 status，并在 changes 里按时间顺序记下每次变更（日历订阅会随之更新）。".into(),
        ],
    })
}

fn record(id: &str, contact: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# 交流活动 {id}。文件名 {id} 也是网址 /events/{id}/ 的一部分，公开后不要再改。\n\
         # 每一处“【待填写：…】”都要换成真实内容，否则 biaogan check 会报“占位内容未填写”。\n\
         # 以 # 开头的行是说明，不会发布。\n"
    );
    let _ = writeln!(s, "# 活动名称\ntitle: {}", todo("活动名称"));
    let _ = writeln!(
        s,
        "# 活动类型，可选：lecture（专家讲座）、sharing（标杆经验分享）、site_visit（现场参观交流）、deep_learning（标杆深入学）\nkind: {}",
        todo("活动类型")
    );
    let _ = writeln!(
        s,
        "# 开始、结束时间（北京时间），写成 2025-09-20T09:00\nstart: {}\nend: {}",
        todo("开始时间"),
        todo("结束时间")
    );
    let _ = writeln!(s, "# 城市，如 北京\ncity: {}", todo("城市"));
    let _ = writeln!(s, "# 地点（含详细地址）\nvenue: {}", todo("地点"));
    let _ = writeln!(
        s,
        "# 承办或分享经验的标杆组织：写成 年份/案例 id，如 [2024/hx-auto-parts]，须是正式名单上的案例；没有就保留 []\nhosts: []"
    );
    let _ = writeln!(s, "# 报名方式\nregistration:");
    let _ = writeln!(
        s,
        "  # 报名截止日期，如 2025-09-13\n  deadline: {}",
        todo("报名截止日期")
    );
    let _ = writeln!(
        s,
        "  # 报名网址，以 https:// 开头\n  url: {}",
        todo("报名网址")
    );
    let contact = contact.map_or_else(|| todo("联系部门和电话"), |c| scalar(c, 2));
    let _ = writeln!(
        s,
        "  # 联系方式（默认取自 site.yaml 的办公室）\n  contact: {contact}"
    );
    let _ = writeln!(
        s,
        "# 状态，可选：scheduled（按计划举行）、postponed（延期）、cancelled（取消）；后两种须在 changes 中说明\nstatus: scheduled"
    );
    let _ = writeln!(
        s,
        "# 公开日期：从这一天起活动出现在网站和日历订阅中，如 2025-09-01\nannounced: {}",
        todo("公开日期")
    );
    let _ = writeln!(
        s,
        "# 变更记录（改期、取消时使用），按时间先后排列；每条从它的 date 当天起公开，如：\n\
         # changes:\n\
         #   - {{date: 2025-09-10, note: 因场地调整，活动改至9月27日举行。}}\n\
         # 活动最后按计划举行时，只改时间、地点的变更不用写 status；\n\
         # 活动最后延期或取消时，除最后一条外每条都写变更后的状态，如 {{date: …, note: …, status: postponed}}"
    );
    let _ = writeln!(
        s,
        "# 活动介绍（Markdown）：每行前保留两个空格，段落之间空一行\nbody: |\n  {}",
        todo("活动介绍")
    );
    s
}
