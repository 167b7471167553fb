//! `biaogan new round <year>`: a new `campaign.yaml` and `notice.md` that carry
//! over the previous round's settings (fields, focus areas, attachments,
//! application instructions, objection rules) but never its cases, dates or 文号.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::yaml::{commented, scalar};
use super::{todo, write_all, Created};
use crate::load::paths;
use crate::model::records::{AttachmentRecord, CampaignRecord, PublicityRecord};

/// Writes `campaigns/<year>/` from the latest earlier round, if there is one.
pub(crate) fn create(content: &Path, year: i32) -> Result<Created, String> {
    let dir = content.join("campaigns").join(year.to_string());
    let prev = previous(content, year)?;
    let mut files = vec![
        (
            dir.join("campaign.yaml"),
            campaign(year, prev.as_ref()).into_bytes(),
        ),
        (
            dir.join("notice.md"),
            notice(year, prev.as_ref()).into_bytes(),
        ),
    ];
    let mut copied = Vec::new();
    if let Some((pyear, rec)) = &prev {
        let pdir = content.join("campaigns").join(pyear.to_string());
        for a in rec.notice.attachments.iter().chain(&rec.notice.downloads) {
            // Only files inside the earlier round's folder are copied.
            let Ok(from) = paths::inside(&pdir, &a.file) else {
                continue;
            };
            // Read without following links, as the loader does.
            if let Ok(bytes) = crate::load::nofollow::read(content, &from) {
                let to = dir.join(&a.file);
                copied.push(to.clone());
                files.push((to, bytes));
            }
        }
    }
    let written = write_all(&files)?;
    let mut steps = Vec::new();
    if !copied.is_empty() {
        steps.push(format!(
            "附件已从上一年复制：{}。如有新版本，用新文件替换（文件名不变）。",
            names(&copied)
        ));
    }
    steps.push(
        "publicity（公示）和 results（结果公布）两段先保留为注释；到了公示、公布阶段，删掉那几行开头的“# ”再填写。"
            .into(),
    );
    if !holidays_cover(content, year) {
        steps.push(format!(
            "holidays.yaml 里还没有 {year} 年：请按国务院办公厅的放假通知补上 {year} 年的节假日和调休上班日（计算公示期要用）。"
        ));
    }
    steps.push(format!(
        "为每个申报案例运行 biaogan new case {year} <案例 id>。"
    ));
    Ok(Created {
        files: written
            .into_iter()
            .filter(|p| !copied.contains(p))
            .collect(),
        steps,
    })
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("、")
}

/// The latest round before `year`, parsed; `None` when there is none.
fn previous(content: &Path, year: i32) -> Result<Option<(i32, CampaignRecord)>, String> {
    let Ok(entries) = fs::read_dir(content.join("campaigns")) else {
        return Ok(None);
    };
    let latest = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|y| *y < year)
        .max();
    let Some(py) = latest else {
        return Ok(None);
    };
    let file = content
        .join("campaigns")
        .join(py.to_string())
        .join("campaign.yaml");
    let Ok(text) = fs::read_to_string(&file) else {
        return Ok(None);
    };
    let text = text.trim_start_matches('\u{feff}');
    crate::load::yaml::parse::<CampaignRecord>(&file, text)
        .map(|r| Some((py, r)))
        .map_err(|_| {
            format!(
                "{} 有错误，无法沿用 {py} 年的设置。请先运行 biaogan check 改正它，再新建 {year} 年。",
                file.display()
            )
        })
}

/// Whether holidays.yaml has a top-level `<year>:` entry.
fn holidays_cover(content: &Path, year: i32) -> bool {
    fs::read_to_string(content.join("holidays.yaml"))
        .ok()
        .and_then(|t| {
            serde_yaml::from_str::<serde_yaml::Value>(t.trim_start_matches('\u{feff}')).ok()
        })
        .and_then(|v| {
            v.as_mapping()
                .map(|m| m.contains_key(serde_yaml::Value::from(year)))
        })
        .unwrap_or(false)
}

fn notice(year: i32, prev: Option<&(i32, CampaignRecord)>) -> String {
    let reference = match prev {
        Some((py, _)) => {
            format!("可参考 campaigns/{py}/notice.md，但日期、文号和要求都要改成 {year} 年的")
        }
        None => "用 Markdown 书写，“一、”“二、”这样的标题前加“## ”".into(),
    };
    format!(
        "{}\n",
        todo(&format!(
            "{year} 年征集通知的正文。{reference}。写好后删掉这一整行"
        ))
    )
}

fn campaign(year: i32, prev: Option<&(i32, CampaignRecord)>) -> String {
    let mut s = String::new();
    let from = match prev {
        Some((py, _)) => {
            format!("沿用了 {py} 年的设置（领域、重点领域、附件、申报说明、异议规则）")
        }
        None => "没有找到上一年的设置".into(),
    };
    let _ = writeln!(
        s,
        "# {year} 年质量标杆典型经验遴选活动。由 biaogan new round 生成，{from}。\n\
         # 每一处“【待填写：…】”都要换成真实内容，否则 biaogan check 会报“占位内容未填写”。\n\
         # 以 # 开头的行是说明，不会发布。日期写成 {year}-04-15 这样的格式。\n"
    );
    let _ = writeln!(
        s,
        "# 年份：必须与文件夹名 campaigns/{year}/ 一致\nyear: {year}\n"
    );
    notice_block(&mut s, year, prev);
    let (fields, areas) = match prev {
        Some((_, r)) => (r.fields.clone(), Some(&r.focus_areas)),
        None => (vec!["制造".into(), "建筑".into(), "服务".into()], None),
    };
    let _ = writeln!(
        s,
        "\n# 申报领域（案例的 field 只能是其中之一）\nfields: [{}]\n",
        fields
            .iter()
            .map(|f| scalar(f, 0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "# 重点领域：id 供案例的 focus_area 引用（小写字母、数字和 -），title 是简称，text 是通知中的原文"
    );
    let _ = writeln!(s, "focus_areas:");
    match areas {
        Some(areas) if !areas.is_empty() => {
            for a in areas {
                let _ = writeln!(
                    s,
                    "  - id: {}\n    title: {}\n    text: {}",
                    scalar(&a.id, 4),
                    scalar(&a.title, 4),
                    scalar(&a.text, 4)
                );
            }
        }
        _ => {
            let _ = writeln!(
                s,
                "  - id: {}\n    title: {}\n    text: {}",
                todo("重点领域 id，如 tqm"),
                todo("重点领域简称"),
                todo("通知中对这一重点领域的说明")
            );
        }
    }
    timeline_block(&mut s, year, prev);
    application_block(&mut s, year, prev);
    later_blocks(&mut s, year, prev.and_then(|(_, r)| r.publicity.as_ref()));
    s
}

fn notice_block(s: &mut String, year: i32, prev: Option<&(i32, CampaignRecord)>) {
    let last = |what: &str, v: &str| match prev {
        Some((py, _)) => format!("（{py} 年{what}：{v}）"),
        None => String::new(),
    };
    let p = prev.map(|(_, r)| &r.notice);
    let _ = writeln!(s, "# 征集通知：从成文日期那天起在网站上公开");
    let _ = writeln!(s, "notice:");
    let _ = writeln!(
        s,
        "  # 文号，如 中国质协字〔{year}〕50号；全站每个文号只能用一次{}",
        p.map(|n| last("为", &n.number)).unwrap_or_default()
    );
    let _ = writeln!(s, "  number: {}", todo("通知文号"));
    let _ = writeln!(
        s,
        "  # 通知标题{}",
        p.map(|n| last("为", &n.title)).unwrap_or_default()
    );
    let _ = writeln!(s, "  title: {}", todo("通知标题"));
    let _ = writeln!(s, "  # 成文日期，如 {year}-04-15");
    let _ = writeln!(s, "  date: {}", todo("成文日期"));
    let _ = writeln!(s, "  # 主送单位");
    match p {
        Some(n) => {
            let _ = writeln!(s, "  addressee: {}", scalar(&n.addressee, 2));
        }
        None => {
            let _ = writeln!(
                s,
                "  addressee: {}",
                todo("主送单位，如 各会员单位及有关组织")
            );
        }
    }
    let _ = writeln!(
        s,
        "  # 通知正文所在的 Markdown 文件（本文件夹中），一般不用改"
    );
    let _ = writeln!(s, "  body: notice.md");
    let _ = writeln!(
        s,
        "  # 附件：通知的“附件：”所列文件（一般只有管理办法）；title 是显示的标题，file 是 attachments/ 中的文件（.md 发布为网页，.docx、.pdf 等供下载）"
    );
    list_block(s, "attachments", p.map(|n| &n.attachments[..]));
    let _ = writeln!(
        s,
        "  # 资料下载：申报书、编写说明等，显示在通知正文之外，写法同上"
    );
    list_block(s, "downloads", p.map(|n| &n.downloads[..]));
}

/// One list of files of the notice, as the previous round had it.
fn list_block(s: &mut String, key: &str, items: Option<&[AttachmentRecord]>) {
    match items {
        Some(items) if !items.is_empty() => {
            let _ = writeln!(s, "  {key}:");
            for a in items {
                let _ = writeln!(
                    s,
                    "    - title: {}\n      file: {}",
                    scalar(&a.title, 6),
                    scalar(&a.file, 6)
                );
            }
        }
        _ => {
            let _ = writeln!(s, "  {key}: []");
        }
    }
}

fn timeline_block(s: &mut String, year: i32, prev: Option<&(i32, CampaignRecord)>) {
    let _ = writeln!(
        s,
        "\n# 时间安排：stage 是阶段名称；有确切日期的写 start（开始）、end（截止），否则写 period（如 {year}年6月上旬）；note 是备注"
    );
    let entries = prev.map(|(_, r)| r.timeline.as_slice()).unwrap_or_default();
    if entries.is_empty() {
        let _ = writeln!(
            s,
            "timeline:\n  - stage: 提交申报\n    end: {}\n    note: 24点截止",
            todo("申报截止日期")
        );
        return;
    }
    let _ = writeln!(s, "timeline:");
    for e in entries {
        let _ = writeln!(s, "  - stage: {}", scalar(&e.stage, 4));
        if e.start.is_some() {
            let _ = writeln!(s, "    start: {}", todo("开始日期"));
        }
        if e.end.is_some() {
            let _ = writeln!(s, "    end: {}", todo("截止日期"));
        }
        if e.period.is_some() || (e.start.is_none() && e.end.is_none()) {
            let _ = writeln!(
                s,
                "    period: {}",
                todo(&format!("时间，如 {year}年6月上旬"))
            );
        }
        if let Some(n) = &e.note {
            let _ = writeln!(s, "    note: {}", scalar(n, 4));
        }
    }
}

fn application_block(s: &mut String, year: i32, prev: Option<&(i32, CampaignRecord)>) {
    let p = prev.map(|(py, r)| (py, &r.application));
    let _ = writeln!(s, "\n# 申报方式");
    let _ = writeln!(s, "application:");
    let _ = writeln!(s, "  # 申报截止时间，写成带引号的 \"{year}-05-31 24:00\"");
    let _ = writeln!(s, "  deadline: {}", todo("申报截止时间"));
    let _ = writeln!(
        s,
        "  # 在线申报网址（网站上同时显示二维码），以 https:// 开头{}",
        p.map(|(py, a)| format!("（{py} 年为 {}）", a.url))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "  url: {}", todo("在线申报网址"));
    let _ = writeln!(s, "  # 邮件报送说明（可用 Markdown）");
    match p.and_then(|(_, a)| a.email_instructions.as_ref()) {
        Some(t) => {
            let _ = writeln!(s, "  email_instructions: {}", scalar(t, 2));
        }
        None => {
            let _ = writeln!(
                s,
                "  email_instructions: {}",
                todo("邮件报送说明；不需要就删掉这一行")
            );
        }
    }
}

/// The publicity and results blocks, commented out until those phases.
fn later_blocks(s: &mut String, year: i32, prev: Option<&PublicityRecord>) {
    let until = prev
        .map(|p| p.objections.until_time.format("%H:%M").to_string())
        .unwrap_or_else(|| "17:00".into());
    let days = prev.map_or(10, |p| p.working_days);
    let instructions = prev
        .map(|p| scalar(&p.objections.instructions, 4))
        .unwrap_or_else(|| todo("异议受理办法（可用 Markdown）"));
    let publicity = format!(
        "publicity:\n  number: {}\n  title: {}\n  start: {}\n  working_days: {days}\n  objections:\n    until_time: \"{until}\"\n    instructions: {instructions}",
        todo("公示文号"),
        todo("公示标题"),
        todo("公示开始日期")
    );
    let results = format!(
        "results:\n  number: {}\n  title: {}\n  date: {}",
        todo("结果公布文号"),
        todo("结果公布标题"),
        todo("公布日期")
    );
    let _ = writeln!(
        s,
        "\n# —— 公示（到公示阶段再填写）——\n\
         # 删掉下面每行开头的“# ”（VS Code 中选中后按 Ctrl+/），再填写占位内容。\n\
         # start 是公示第一天（从这天起推荐名单公开）；working_days 是公示的工作日数，截止日由 biaogan 按 holidays.yaml 计算；\n\
         # until_time 是截止日受理异议的时间；instructions 是异议受理办法{}。\n{}",
        if prev.is_some() { "（沿用上一年）" } else { "" },
        commented(&publicity)
    );
    let _ = writeln!(
        s,
        "\n# —— 结果公布（到公布阶段再填写）——\n\
         # 删掉下面每行开头的“# ”再填写。date 是公布日期：从这天起正式名单和各案例的经验总结公开。\n\
         # 结果可以在 {} 年年初公布。\n{}",
        year + 1,
        commented(&results)
    );
}
