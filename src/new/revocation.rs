//! `biaogan new revocation <year> <case-id>`: an announcement that removes a
//! case from the final list (管理办法第二十一条).

use std::fmt::Write as _;
use std::path::Path;

use super::{round_dir, todo, write_all, Created};

/// Writes `campaigns/<year>/revocations/<case-id>.yaml` and its `.md` body.
pub(crate) fn create(content: &Path, year: i32, case: &str) -> Result<Created, String> {
    let dir = round_dir(content, year)?;
    let case_file = dir.join("cases").join(format!("{case}.yaml"));
    if !case_file.is_file() {
        return Err(format!(
            "{year} 年没有案例 {case}（{} 不存在）。请核对案例 id：它是 cases/ 中的文件名，不含 .yaml。",
            case_file.display()
        ));
    }
    let rdir = dir.join("revocations");
    let files = vec![
        (
            rdir.join(format!("{case}.yaml")),
            record(year, case).into_bytes(),
        ),
        (rdir.join(format!("{case}.md")), body().into_bytes()),
    ];
    let written = write_all(&files)?;
    Ok(Created {
        files: written,
        steps: vec![
            format!("从 date 那天起，{case} 从正式名单中移除，它的经验总结页改为指向这份公告（旧链接仍然有效）。案例文件本身不要删除。"),
            "公告不需要正文时，删掉 .md 文件即可。".into(),
        ],
    })
}

fn record(year: i32, case: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# 撤销 {year} 年案例 {case} 的质量标杆典型经验称号（管理办法第二十一条）。\n\
         # 每一处“【待填写：…】”都要换成真实内容，否则 biaogan check 会报“占位内容未填写”。\n\
         # 以 # 开头的行是说明，不会发布。\n"
    );
    let _ = writeln!(
        s,
        "# 被撤销的案例 id（cases/ 中的文件名），不用改\ncase: {case}"
    );
    let _ = writeln!(
        s,
        "# 撤销公告的文号，如 中国质协字〔{}〕12号；全站每个文号只能用一次\nnumber: {}",
        year + 1,
        todo("文号")
    );
    let _ = writeln!(
        s,
        "# 公布日期：不能早于结果公布日期；从这一天起案例从名单中移除\ndate: {}",
        todo("公布日期")
    );
    let _ = writeln!(
        s,
        "# 撤销原因，可选：falsification（申报材料弄虚作假）、major_incident（三年内发生重大责任事故）\nreason: {}",
        todo("撤销原因")
    );
    let _ = writeln!(
        s,
        "# 事故领域，仅在 reason 为 major_incident 时填写，可选：integrity（诚信）、quality（质量）、safety（安全）、environment（环保）；\n\
         # reason 为 falsification 时删掉下一行\n\
         domain: {}",
        todo("事故领域")
    );
    let _ = writeln!(
        s,
        "# 事故发生日期，仅在 reason 为 major_incident 时填写，须在公布日期前三年之内（第二十一条“三年内”）；\n\
         # reason 为 falsification 时删掉下一行\n\
         incident_date: {}",
        todo("事故发生日期")
    );
    s
}

fn body() -> String {
    format!(
        "{}\n",
        todo("撤销公告正文（Markdown）：写了正文，它就是公告全文，须写明事实、依据（第二十一条）和移除决定；写好后删掉这一整行。不需要正文就删掉这个文件，公告使用自动生成的一段话")
    )
}
