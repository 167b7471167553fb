//! Benchmark corpus generator (issue 6).
//!
//! ```text
//! cargo run --release --example corpus -- --cases N --out DIR [--seed S] [--no-extras]
//! cargo run --release --example corpus -- hugo --content DIR --out HUGODIR
//! ```
//!
//! The first form writes a complete, valid content tree (site.yaml,
//! holidays.yaml for 2024–2026, one 2024 round with notice, attachments and N
//! case records with ~10,000-character Chinese summaries, plus events/ and
//! revocations/ unless `--no-extras`). The same seed always gives the same
//! bytes. `--out` must not exist or be empty.
//!
//! The second form converts a content tree (loaded with biaogan's own loader)
//! into an equivalent Hugo site — same Markdown, comparable templates — for
//! `scripts/bench`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use biaogan::model::credit_code::check_char;

// ---------------------------------------------------------------- PRNG

/// SplitMix64: tiny, fast, good enough and fully deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T: ?Sized>(&mut self, v: &[&'a T]) -> &'a T {
        v[self.below(v.len())]
    }
}

// ---------------------------------------------------------------- vocabulary

const REGIONS: &[(&str, &str, &str)] = &[
    ("北京市", "110108", "京"),
    ("天津市", "120116", "津"),
    ("上海市", "310115", "沪"),
    ("重庆市", "500112", "渝"),
    ("江苏省", "320500", "苏"),
    ("浙江省", "330100", "浙"),
    ("广东省", "440300", "粤"),
    ("山东省", "370200", "鲁"),
    ("四川省", "510100", "川"),
    ("湖北省", "420100", "鄂"),
    ("湖南省", "430100", "湘"),
    ("安徽省", "340100", "皖"),
    ("福建省", "350200", "闽"),
    ("河南省", "410100", "豫"),
    ("辽宁省", "210200", "辽"),
    ("陕西省", "610100", "陕"),
];

const NAME_HEADS: &[&str] = &[
    "华", "中", "海", "恒", "远", "瑞", "新", "金", "宏", "永", "泰", "广", "长", "东", "天", "鼎",
    "博", "安", "正", "信", "汇", "德", "明", "盛",
];
const NAME_TAILS: &[&str] = &[
    "兴", "达", "通", "源", "丰", "创", "航", "诚", "润", "星", "峰", "科", "力", "安", "联", "拓",
    "驰", "泽", "睿", "晟",
];

/// (field, industry words for names and titles, slug word)
const INDUSTRIES: &[(&str, &str, &str)] = &[
    ("制造", "汽车零部件", "auto-parts"),
    ("制造", "精密机械", "machinery"),
    ("制造", "电子科技", "electronics"),
    ("制造", "新材料", "materials"),
    ("制造", "装备制造", "equipment"),
    ("制造", "医疗器械", "medical"),
    ("制造", "食品", "food"),
    ("制造", "化工", "chemicals"),
    ("制造", "电力设备", "power"),
    ("建筑", "建设工程", "construction"),
    ("建筑", "路桥建设", "bridges"),
    ("建筑", "建筑安装", "installation"),
    ("服务", "物流", "logistics"),
    ("服务", "软件信息服务", "software"),
    ("服务", "检验检测", "testing"),
    ("服务", "物业服务", "property"),
    ("服务", "医疗健康服务", "health"),
];

const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"];

const METHODS: &[&str] = &[
    "卓越绩效模式",
    "质量管理小组",
    "精益现场管理",
    "六西格玛",
    "SPC",
    "QFD",
    "FMEA",
    "质量信得过班组",
    "数字化质量追溯",
    "全面质量管理",
    "标准化作业",
    "供应商质量协同",
    "8D问题解决",
    "质量成本管理",
    "可靠性工程",
];

const TITLE_OBJECTS: &[&str] = &[
    "全过程质量管控",
    "产品一次合格率提升",
    "供应链质量协同",
    "现场质量改进",
    "质量数据治理",
    "顾客满意度提升",
    "工程质量精细化管理",
    "服务质量标准化",
    "质量追溯体系建设",
    "关键工序能力提升",
];

const TITLE_PATTERNS: &[&str] = &[
    "基于{m}的{o}实践",
    "以{m}为抓手推进{o}",
    "{m}驱动的{o}经验",
    "构建{m}体系，实现{o}",
    "{o}的{m}创新与应用",
];

const SUBJECTS: &[&str] = &[
    "公司",
    "集团",
    "公司质量管理部",
    "各事业部",
    "生产车间",
    "研发中心",
    "供应链管理中心",
    "项目部",
    "质量管理小组",
    "公司领导班子",
];

const CLAUSES: &[&str] = &[
    "坚持以顾客为关注焦点",
    "建立覆盖全员、全过程、全要素的质量管理体系",
    "将质量目标逐级分解到部门、班组和岗位",
    "运用统计过程控制方法监控关键工序的过程能力",
    "通过质量功能展开把顾客需求转化为设计要求",
    "以失效模式与影响分析识别潜在风险并提前采取预防措施",
    "推动质量管理数字化、网络化、智能化升级",
    "搭建覆盖设计、采购、制造、交付和服务的质量数据平台",
    "组织质量管理小组围绕现场问题开展课题攻关",
    "实施供应商分级管理和联合质量改进",
    "建立质量问题快速响应和闭环管理机制",
    "持续开展对标学习，查找差距并制定改进计划",
    "把质量要求固化到作业指导书和标准化作业中",
    "利用大数据分析识别质量波动的主要原因",
    "完善质量考核与激励办法，调动全员参与的积极性",
    "开展质量文化建设，营造人人重视质量的氛围",
    "推行精益现场管理，减少浪费并稳定过程",
    "运用六西格玛方法降低关键特性的波动",
    "构建从原材料到成品的全链条质量追溯体系",
    "定期开展管理评审，确保体系持续适宜、充分和有效",
    "围绕顾客投诉开展根本原因分析和纠正措施验证",
    "加强计量检测能力建设，夯实质量管理的技术基础",
    "推进产业链上下游协同开展质量共性技术攻关",
    "结合卓越绩效评价准则开展自我评价和改进",
    "将风险思维融入产品实现的各个环节",
];

const OUTCOMES: &[&str] = &[
    "产品一次交验合格率",
    "顾客满意度",
    "关键工序一次合格率",
    "过程检验覆盖率",
    "供应商来料合格率",
    "准时交付率",
    "顾客投诉处理及时率",
    "质量改进项目完成率",
];

const CONNECTIVES: &[&str] = &[
    "同时，",
    "在此基础上，",
    "此外，",
    "与此同时，",
    "为此，",
    "实践中，",
    "",
];

const H2: &[&str] = &[
    "一、组织概况",
    "二、背景与问题",
    "三、主要做法",
    "四、实施成效",
    "五、经验与启示",
];

const H3: &[&str] = &[
    "（一）强化顶层设计，明确质量战略",
    "（二）夯实基础管理，完善体系运行",
    "（三）聚焦关键过程，推进持续改进",
    "（四）深化数字赋能，提升管控效率",
    "（五）协同产业链条，共建质量生态",
    "（六）培育质量文化，激发全员活力",
];

const FOCUS: &[(&str, &str, &str)] = &[
    ("tqm", "全面质量管理", "加强全面质量管理，深化运用卓越绩效模式、质量管理小组、精益现场管理、质量信得过班组建设、六西格玛等先进适用的质量管理理念、方法和工具，建立长期有效的推进机制，实现全员、全过程、全要素、全数据的新型质量管理的典型经验。"),
    ("digital", "质量管理数字化", "通过5G、人工智能、区块链、大数据、物联网等新一代信息技术与组织质量管理融合应用，促进质量管理数字化关键业务场景创新，推动质量管理活动数字化、网络化、智能化升级的典型经验。"),
    ("technology", "质量技术创新", "通过运用质量工程技术、数字技术等技术方法实现重大质量管理突破，对质量管理模式产生重大变革，取得显著的科技成果和知识产权成果，有效提升组织品牌影响的典型经验。"),
    ("supply-chain", "产业链供应链协同", "通过创新产业链供应链质量管控模式，协同上下游组织开展质量瓶颈问题分析、质量共性技术攻关等，推进产业链供应链协同创新的典型经验。"),
];

const CITIES: &[(&str, &str)] = &[
    ("北京", "国家会议中心"),
    ("上海", "上海国际会议中心"),
    ("杭州", "杭州国际博览中心"),
    ("深圳", "深圳会展中心"),
    ("成都", "成都世纪城国际会议中心"),
    ("武汉", "武汉国际博览中心"),
];

// ---------------------------------------------------------------- text generation

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    s.push_str(r.pick(CONNECTIVES));
    s.push_str(r.pick(SUBJECTS));
    let n = r.range(2, 3);
    for i in 0..n {
        if i > 0 {
            s.push('，');
        }
        s.push_str(r.pick(CLAUSES));
    }
    if r.chance(0.35) {
        let a = r.range(820, 960) as f64 / 10.0;
        let b = (a + r.range(5, 35) as f64 / 10.0).min(99.9);
        let _ = write!(s, "，{}由{a:.1}%提升至{b:.1}%", r.pick(OUTCOMES));
    }
    s.push('。');
    s
}

/// A paragraph of 3–6 sentences; sometimes hard-wrapped between two Chinese characters.
fn paragraph(r: &mut Rng) -> String {
    let mut p = String::new();
    for _ in 0..r.range(3, 6) {
        p.push_str(&sentence(r));
    }
    if r.chance(0.3) {
        if r.chance(0.2) {
            // Now and then a word in bold.
            let m = r.pick(METHODS);
            p.push_str(&format!("其中，**{m}**的应用贯穿始终。"));
        }
        let chars: Vec<char> = p.chars().collect();
        let mut out = String::with_capacity(p.len() + 4);
        let breaks = r.range(1, 2);
        let mut at: Vec<usize> = (0..breaks).map(|_| r.range(10, chars.len() - 10)).collect();
        at.sort_unstable();
        for (i, c) in chars.iter().enumerate() {
            out.push(*c);
            if at.contains(&i) && is_han(*c) && chars.get(i + 1).is_some_and(|n| is_han(*n)) {
                out.push('\n');
            }
        }
        p = out;
    }
    p
}

fn bullet_list(r: &mut Rng, ordered: bool) -> String {
    let mut s = String::new();
    for i in 0..r.range(3, 6) {
        let item = format!("{}，{}。", r.pick(CLAUSES), r.pick(CLAUSES));
        if ordered {
            let _ = writeln!(s, "{}. {item}", i + 1);
        } else {
            let _ = writeln!(s, "- {item}");
        }
    }
    s
}

fn table(r: &mut Rng) -> String {
    let mut s = String::from("| 指标 | 2021年 | 2022年 | 2023年 |\n|---|---:|---:|---:|\n");
    let mut used = Vec::new();
    for _ in 0..r.range(4, 6) {
        let mut o = r.pick(OUTCOMES);
        while used.contains(&o) {
            o = r.pick(OUTCOMES);
        }
        used.push(o);
        let a = r.range(800, 940) as f64 / 10.0;
        let b = (a + r.range(5, 25) as f64 / 10.0).min(99.9);
        let c = (b + r.range(3, 20) as f64 / 10.0).min(99.9);
        let _ = writeln!(s, "| {o} | {a:.1}% | {b:.1}% | {c:.1}% |");
    }
    s
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A ~10,000-character experience summary in the usual structure.
fn summary(r: &mut Rng, id: &str, org: &str, title: &str) -> String {
    let target = r.range(9_200, 10_800);
    // Blocks per H2 section; paragraphs are appended until the target is reached.
    let mut sections: Vec<Vec<String>> = vec![Vec::new(); H2.len()];
    let h3_count = r.range(4, H3.len());
    let mut subs: Vec<Vec<String>> = vec![Vec::new(); h3_count];

    sections[0].push(format!(
        "{org}始终把质量作为立身之本。本文介绍{org}“{title}”的思路做法、推进要点、特色亮点和实施成效。"
    ));
    sections[0].push(paragraph(r));
    sections[1].push(paragraph(r));
    sections[1].push(format!("面临的主要问题包括：\n\n{}", bullet_list(r, false)));
    sections[2].push(paragraph(r));
    sections[2].push(format!("![图1 {title}总体框架]({id}/fig1.svg)"));
    for (i, s) in subs.iter_mut().enumerate() {
        s.push(paragraph(r));
        if i == 1 {
            s.push(format!("主要措施如下：\n\n{}", bullet_list(r, true)));
        }
    }
    sections[3].push(paragraph(r));
    sections[3].push(format!("表1 近三年主要质量指标\n\n{}", table(r)));
    sections[4].push(bullet_list(r, false));
    sections[4].push(paragraph(r));

    let total = |sections: &Vec<Vec<String>>, subs: &Vec<Vec<String>>| -> usize {
        sections
            .iter()
            .chain(subs.iter())
            .flatten()
            .map(|b| chars(b))
            .sum()
    };
    let mut k = 0;
    while total(&sections, &subs) < target {
        match k % 5 {
            0..=2 => subs[k % h3_count].push(paragraph(r)),
            3 => sections[3].insert(1, paragraph(r)),
            _ => sections[1].push(paragraph(r)),
        }
        k += 1;
    }

    let mut md = String::with_capacity(target * 4);
    for (i, h) in H2.iter().enumerate() {
        let _ = writeln!(md, "## {h}\n");
        for b in &sections[i] {
            md.push_str(b.trim_end());
            md.push_str("\n\n");
        }
        if i == 2 {
            for (j, s) in subs.iter().enumerate() {
                let _ = writeln!(md, "### {}\n", H3[j]);
                for b in s {
                    md.push_str(b.trim_end());
                    md.push_str("\n\n");
                }
            }
        }
    }
    md.truncate(md.trim_end().len());
    md.push('\n');
    md
}

fn figure(title: &str) -> String {
    let steps = ["顾客需求", "质量策划", "过程控制", "检验改进", "顾客满意"];
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"160\" viewBox=\"0 0 640 160\">\n",
    );
    let _ = writeln!(s, "<title>{title}总体框架</title>");
    for (i, step) in steps.iter().enumerate() {
        let x = 10 + i * 126;
        let _ = writeln!(
            s,
            "<rect x=\"{x}\" y=\"50\" width=\"110\" height=\"60\" rx=\"8\" fill=\"#eef3fb\" stroke=\"#1f4e8c\"/><text x=\"{}\" y=\"86\" font-size=\"16\" text-anchor=\"middle\">{step}</text>",
            x + 55
        );
        if i + 1 < steps.len() {
            let _ = writeln!(
                s,
                "<path d=\"M{} 80 h14\" stroke=\"#1f4e8c\" stroke-width=\"2\"/>",
                x + 111
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

fn credit_code(r: &mut Rng, region_code: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut s = format!("91{region_code}MA");
    for _ in 0..7 {
        s.push(ALPHABET[r.below(ALPHABET.len())] as char);
    }
    let c = check_char(&s).expect("alphabet characters only");
    s.push(c);
    s
}

// ---------------------------------------------------------------- fixed files

const HOLIDAYS: &str = "\
# 国办发明电〔2023〕7号
2024:
  holidays:
    - {name: 元旦, start: 2024-01-01, end: 2024-01-01}
    - {name: 春节, start: 2024-02-10, end: 2024-02-17}
    - {name: 清明节, start: 2024-04-04, end: 2024-04-06}
    - {name: 劳动节, start: 2024-05-01, end: 2024-05-05}
    - {name: 端午节, start: 2024-06-10, end: 2024-06-10}
    - {name: 中秋节, start: 2024-09-15, end: 2024-09-17}
    - {name: 国庆节, start: 2024-10-01, end: 2024-10-07}
  workdays: [2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29, 2024-10-12]
# 国办发明电〔2024〕12号
2025:
  holidays:
    - {name: 元旦, start: 2025-01-01, end: 2025-01-01}
    - {name: 春节, start: 2025-01-28, end: 2025-02-04}
    - {name: 清明节, start: 2025-04-04, end: 2025-04-06}
    - {name: 劳动节, start: 2025-05-01, end: 2025-05-05}
    - {name: 端午节, start: 2025-05-31, end: 2025-06-02}
    - {name: 国庆节、中秋节, start: 2025-10-01, end: 2025-10-08}
  workdays: [2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11]
# 国办发明电〔2025〕7号
2026:
  holidays:
    - {name: 元旦, start: 2026-01-01, end: 2026-01-03}
    - {name: 春节, start: 2026-02-15, end: 2026-02-23}
    - {name: 清明节, start: 2026-04-04, end: 2026-04-06}
    - {name: 劳动节, start: 2026-05-01, end: 2026-05-05}
    - {name: 端午节, start: 2026-06-19, end: 2026-06-21}
    - {name: 中秋节, start: 2026-09-25, end: 2026-09-27}
    - {name: 国庆节, start: 2026-10-01, end: 2026-10-07}
  workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
";

const SITE: &str = "\
title: 质量标杆典型经验遴选与交流
base_url: https://biaogan.example.org
description: 中国质量协会质量标杆典型经验遴选与交流活动：通知、公示、结果公布与典型经验。
office:
  name: 中国质量协会质量标杆活动办公室
  department: 质量活动推进部
  contact: 王老师
  phone: （010）68000000
  email: biaogan@example.org
  address: 北京市西城区三里河路1号
footer: 京ICP备00000000号
";

fn campaign_yaml() -> String {
    let mut s = String::from(
        "\
year: 2024
notice:
  number: 中国质协字〔2024〕50号
  title: 关于开展2024年质量标杆典型经验遴选与交流活动的通知
  date: 2024-04-15
  addressee: 各会员单位及有关组织
  body: notice.md
  attachments:
    - {title: 质量标杆典型经验遴选管理办法, file: attachments/rules.md}
    - {title: 质量标杆典型经验申报书, file: attachments/application-form.docx}
    - {title: 典型经验编写指南, file: attachments/writing-guide.pdf}
focus_areas:
",
    );
    for (id, title, text) in FOCUS {
        let _ = writeln!(s, "  - {{id: {id}, title: {title}, text: {text}}}");
    }
    s.push_str(
        "\
fields: [制造, 建筑, 服务]
timeline:
  - {stage: 提交申报, end: 2024-05-31, note: 24点截止}
  - {stage: 资格审查, period: 2024年6月上旬}
  - {stage: 资料评审, period: 2024年6月中旬至7月下旬}
  - {stage: 答辩评审, period: 2024年8月下旬至9月中旬}
  - {stage: 公示, start: 2024-09-25, end: 2024-10-12}
  - {stage: 结果公布, period: 2024年10月下旬}
application:
  deadline: \"2024-05-31 24:00\"
  url: https://biaogan.example.org/apply
  email_instructions: 在线申报完成后，请将申报书（盖章扫描件）和典型经验材料发送至 biaogan@example.org，邮件标题注明“单位名称＋典型经验名称”。
publicity:
  number: 公示〔2024〕1号
  title: 关于2024年质量标杆典型经验推荐名单的公示
  start: 2024-09-25
  working_days: 10
  end: 2024-10-12
  objections:
    until_time: \"17:00\"
    instructions: |
      公示期内，任何单位和个人对推荐名单有异议的，可向活动办公室书面提出。个人须签署真实姓名并提供联系方式；单位须加盖公章。

      异议须说明事实并提供必要的证据材料。逾期或匿名提出的异议不予受理。
results:
  number: 中国质协字〔2024〕88号
  title: 关于公布2024年质量标杆典型经验名单的通知
  date: 2024-10-20
",
    );
    s
}

fn notice_md(r: &mut Rng) -> String {
    let mut s = String::from("为深入贯彻落实《质量强国建设纲要》，引导各类组织学习借鉴先进质量管理经验，中国质量协会决定开展2024年质量标杆典型经验遴选与交流活动。现将有关事宜通知如下。\n\n## 一、典型经验遴选\n\n### （一）遴选对象\n\n面向制造、建筑、服务领域的各类\n组织。\n\n### （二）申报要求\n\n");
    s.push_str(&paragraph(r));
    s.push_str("\n\n");
    s.push_str(&bullet_list(r, true));
    s.push_str("\n## 二、交流活动\n\n");
    s.push_str(&paragraph(r));
    s.push_str("\n\n## 三、联系方式\n\n联系人：王老师，电话：（010）68000000。\n");
    s
}

fn rules_md(r: &mut Rng) -> String {
    let mut s = String::new();
    let chapters = [
        "总则",
        "遴选原则",
        "申报条件",
        "遴选程序",
        "监督管理",
        "附则",
    ];
    let mut art = 1;
    for (i, ch) in chapters.iter().enumerate() {
        let _ = writeln!(s, "## 第{}章 {ch}\n", zh_num(i + 1));
        for _ in 0..r.range(2, 4) {
            let _ = writeln!(s, "**第{}条** {}\n", zh_num(art), sentence(r));
            art += 1;
        }
    }
    s
}

fn zh_num(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => format!("{}十{}", D[n / 10], D[n % 10]),
    }
}

// ---------------------------------------------------------------- generation

struct GenArgs {
    cases: usize,
    out: PathBuf,
    seed: u64,
    extras: bool,
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p)?;
    }
    fs::write(path, bytes)
}

fn generate(a: &GenArgs) -> std::io::Result<(usize, usize, u64)> {
    if a.out.exists() && fs::read_dir(&a.out)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "{} exists and is not empty; choose a new folder",
            a.out.display()
        )));
    }
    let mut r = Rng(a.seed ^ 0x6269_616F_6761_6E00);
    let root = &a.out;
    let camp = root.join("campaigns/2024");
    write(&root.join("site.yaml"), SITE)?;
    write(&root.join("holidays.yaml"), HOLIDAYS)?;
    write(&camp.join("campaign.yaml"), campaign_yaml())?;
    write(&camp.join("notice.md"), notice_md(&mut r))?;
    write(&camp.join("attachments/rules.md"), rules_md(&mut r))?;
    // Stand-ins for the binary downloads: deterministic filler of a realistic size.
    let mut docx = b"PK\x03\x04 biaogan benchmark stand-in for a .docx\n".to_vec();
    docx.extend((0..40_000).map(|_| (r.next() & 0xff) as u8));
    write(&camp.join("attachments/application-form.docx"), &docx)?;
    let mut pdf = b"%PDF-1.4\n% biaogan benchmark stand-in\n".to_vec();
    pdf.extend((0..120_000).map(|_| (r.next() & 0xff) as u8));
    write(&camp.join("attachments/writing-guide.pdf"), &pdf)?;

    let mut approved_ids = Vec::new();
    let mut summary_bytes = 0usize;
    let mut summaries = 0usize;
    let width = a.cases.to_string().len().max(4);
    for n in 1..=a.cases {
        let (region, code, abbr) = REGIONS[r.below(REGIONS.len())];
        let (field, industry, slug) = INDUSTRIES[r.below(INDUSTRIES.len())];
        let name = format!(
            "{}{}{}{}{}",
            region.trim_end_matches(['省', '市']),
            r.pick(NAME_HEADS),
            r.pick(NAME_TAILS),
            industry,
            r.pick(SUFFIXES)
        );
        let pinyin_abbr = format!(
            "{}{}",
            (b'a' + r.below(26) as u8) as char,
            (b'a' + r.below(26) as u8) as char
        );
        let id = format!("{pinyin_abbr}-{slug}-{n:0width$}");
        let _ = abbr;
        let m1 = r.pick(METHODS);
        let mut methods = vec![m1];
        for _ in 0..r.below(3) {
            let m = r.pick(METHODS);
            if !methods.contains(&m) {
                methods.push(m);
            }
        }
        let title = r
            .pick(TITLE_PATTERNS)
            .replace("{m}", m1)
            .replace("{o}", r.pick(TITLE_OBJECTS));
        let focus = FOCUS[r.below(FOCUS.len())].0;
        // Most cases are approved: they are the pages of the site.
        let roll = r.below(100);
        let (stage, objection) = match roll {
            0..=3 => ("applied", None),
            4..=7 => ("ineligible", None),
            8..=9 => ("withdrawn", None),
            10..=14 => ("qualified", None),
            15..=21 => ("shortlisted", None),
            22..=23 => ("recommended", Some("upheld")),
            24..=25 => ("recommended", None),
            26..=28 => ("approved", Some("dismissed")),
            _ => ("approved", None),
        };
        let has_summary = !matches!(stage, "applied" | "ineligible" | "withdrawn");
        let mut y = String::new();
        let _ = writeln!(
            y,
            "organization:\n  name: {name}\n  credit_code: {}\n  region: {region}",
            credit_code(&mut r, code)
        );
        let _ = writeln!(y, "field: {field}\nfocus_area: {focus}\ntitle: {title}");
        let _ = writeln!(y, "methods: [{}]", methods.join(", "));
        if has_summary {
            let _ = writeln!(y, "summary: {id}.md");
        }
        let _ = writeln!(y, "order: {n}\nstage: {stage}");
        if let Some(o) = objection {
            let _ = writeln!(y, "objection: {{outcome: {o}}}");
        }
        if stage != "applied" && stage != "ineligible" {
            let _ = writeln!(
                y,
                "iso9001: {{certificate: \"00124Q{:05}R{}M\", valid_until: {}-{:02}-{:02}}}",
                r.below(100_000),
                r.range(1, 5),
                r.range(2025, 2027),
                r.range(1, 12),
                r.range(1, 28)
            );
        }
        let _ = writeln!(
            y,
            "confidential:\n  scores: {{material: {}.{}, defence: {}.{}}}\n  reviewer_comments: 材料翔实，数据支撑充分。\n  contact: {{name: 联系人{n}, phone: \"138{:08}\"}}",
            r.range(70, 95),
            r.below(10),
            r.range(70, 95),
            r.below(10),
            r.below(100_000_000)
        );
        write(&camp.join(format!("cases/{id}.yaml")), &y)?;
        if has_summary {
            let md = summary(&mut r, &id, &name, &title);
            summary_bytes += md.len();
            summaries += 1;
            write(&camp.join(format!("cases/{id}.md")), &md)?;
            write(&camp.join(format!("cases/{id}/fig1.svg")), figure(&title))?;
        }
        if stage == "approved" && objection.is_none() {
            approved_ids.push(id);
        }
    }

    if a.extras && !approved_ids.is_empty() {
        // Revocations: about one in 500 approved cases.
        let revoked = (approved_ids.len() / 500).max(1);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < revoked.min(approved_ids.len()) {
            let k = r.below(approved_ids.len());
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        for (i, k) in chosen.iter().enumerate() {
            let id = &approved_ids[*k];
            let mut y = format!(
                "case: {id}\nnumber: 中国质协字〔2025〕{}号\ndate: 2025-03-{:02}\n",
                10 + i,
                r.range(3, 28)
            );
            if r.chance(0.5) {
                y.push_str("reason: falsification\n");
            } else {
                let _ = writeln!(
                    y,
                    // A fixed incident date: no extra draw, so the rest of the corpus stays as it was.
                    "reason: major_incident\ndomain: {}\nincident_date: 2025-01-16",
                    r.pick(&["integrity", "quality", "safety", "environment"])
                );
            }
            write(&camp.join(format!("revocations/{id}.yaml")), &y)?;
            write(
                &camp.join(format!("revocations/{id}.md")),
                format!("经核查，该组织{}\n", sentence(&mut r)),
            )?;
        }
        // Events: about one per 100 approved cases, at least three.
        let kinds = ["lecture", "sharing", "site_visit", "deep_learning"];
        let events = (approved_ids.len() / 100).max(3);
        for i in 0..events {
            let (city, venue) = CITIES[r.below(CITIES.len())];
            let month = 3 + i % 9;
            let day = r.range(1, 26);
            let kind = kinds[i % kinds.len()];
            let hosts: Vec<String> = (0..r.range(1, 3))
                .map(|_| format!("2024/{}", approved_ids[r.below(approved_ids.len())]))
                .collect();
            let status = match r.below(10) {
                0 => "postponed",
                1 => "cancelled",
                _ => "scheduled",
            };
            let mut y = format!(
                "title: 2025年质量标杆经验交流活动（{city}站第{}期）\nkind: {kind}\nstart: 2025-{month:02}-{day:02}T09:00\nend: 2025-{month:02}-{day:02}T17:00\ncity: {city}\nvenue: {venue}\nhosts: [{}]\nregistration:\n  deadline: 2025-{month:02}-{:02}\n  url: https://biaogan.example.org/events/2025-{:03}/register\n  contact: 质量活动推进部 （010）68000000\nstatus: {status}\nannounced: 2025-{:02}-01\nbody: |\n  {}\n\n  {}\n",
                i + 1,
                hosts.join(", "),
                day.saturating_sub(7).max(1),
                i + 1,
                month - 1,
                paragraph(&mut r).replace('\n', ""),
                paragraph(&mut r).replace('\n', ""),
            );
            if status != "scheduled" {
                let what = if status == "postponed" {
                    "活动延期，新的日期另行通知。"
                } else {
                    "因故取消本期活动。"
                };
                let _ = writeln!(
                    y,
                    "changes:\n  - {{date: 2025-{:02}-15, note: {what}}}",
                    month - 1
                );
            }
            write(&root.join(format!("events/2025-{:03}.yaml", i + 1)), &y)?;
        }
    }
    Ok((a.cases, summaries, summary_bytes as u64))
}

// ---------------------------------------------------------------- Hugo conversion

const HUGO_BASEOF: &str = r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 120 }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsHome }}website{{ else }}article{{ end }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:locale" content="zh_CN">
<link rel="stylesheet" href="/static/style.css">
</head>
<body class="section-{{ .Section }}">
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header">
  <div class="wrap">
    <p class="site-title"><a href="/">{{ site.Title }}</a></p>
    <p class="site-publisher">{{ site.Params.publisher }}</p>
    <nav aria-label="主导航"><ul>
    {{ range site.Menus.main }}<li><a href="{{ .URL }}">{{ .Name }}</a></li>{{ end }}
    </ul></nav>
  </div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
{{ block "main" . }}{{ end }}
</div>
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>{{ site.Params.office_name }} · 地址：{{ site.Params.office_address }} · 电话：{{ site.Params.office_phone }} · 电子邮箱：<a href="mailto:{{ site.Params.office_email }}">{{ site.Params.office_email }}</a></p>
    <p>{{ site.Params.footer }}</p>
  </div>
</footer>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<nav class="breadcrumbs" aria-label="位置"><a href="/">首页</a> › <a href="/{{ .Params.year }}/">{{ .Params.year }}年</a> › <a href="/{{ .Params.year }}/results/">结果公布</a> › <span aria-current="page">典型经验</span></nav>
<article class="case">
  <header>
    <h1>{{ .Title }}</h1>
    <dl class="case-meta">
      <dt>组织名称</dt><dd>{{ .Params.organization }}</dd>
      <dt>地区</dt><dd>{{ .Params.region }}</dd>
      <dt>领域</dt><dd>{{ .Params.field }}</dd>
      <dt>重点领域</dt><dd>{{ .Params.focus_area }}</dd>
      {{ with .Params.methods }}<dt>方法</dt><dd><ul class="tags">{{ range . }}<li>{{ . }}</li>{{ end }}</ul></dd>{{ end }}
    </dl>
    <p class="case-source">{{ .Params.year }}年质量标杆典型经验（第{{ .Params.serial }}项），见{{ site.Params.results_number }}《<a href="/{{ .Params.year }}/results/">{{ site.Params.results_title }}</a>》。</p>
  </header>
  <nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">目录</h2>{{ .TableOfContents }}</nav>
  <div class="summary">{{ .Content }}</div>
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<nav class="breadcrumbs" aria-label="位置"><a href="/">首页</a> › <span aria-current="page">{{ .Title }}</span></nav>
<article class="document">
  <header class="doc-head"><p class="doc-number">{{ .Params.number }}</p><h1 class="doc-title">{{ .Title }}</h1></header>
  {{ .Content }}
  <table class="case-list">
    <caption>{{ .Title }}</caption>
    <thead><tr><th scope="col">序号</th><th scope="col">组织名称</th><th scope="col">典型经验名称</th><th scope="col">领域</th><th scope="col">重点领域</th><th scope="col">地区</th></tr></thead>
    <tbody>
    {{ range $i, $p := (site.GetPage "/2024/cases").Pages.ByWeight }}<tr><td>{{ add $i 1 }}</td><th scope="row">{{ $p.Params.organization }}</th><td><a href="{{ $p.RelPermalink }}">{{ $p.Title }}</a></td><td>{{ $p.Params.field }}</td><td>{{ $p.Params.focus_area }}</td><td>{{ $p.Params.region }}</td></tr>{{ end }}
    </tbody>
  </table>
</article>
{{ end }}
"#;

const HUGO_PAGE: &str = r#"{{ define "main" }}
<article class="document">
  <header class="doc-head"><h1 class="doc-title">{{ .Title }}</h1></header>
  {{ with .TableOfContents }}<nav class="toc">{{ . }}</nav>{{ end }}
  {{ .Content }}
</article>
{{ end }}
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_404: &str =
    r#"{{ define "main" }}<h1>页面未找到</h1><p>您访问的页面不存在或已移动。</p>{{ end }}"#;

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn to_hugo(content: &Path, out: &Path) -> Result<usize, String> {
    let site = biaogan::load::load_site(content).map_err(|d| d.to_string())?;
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| e.to_string())?;
    }
    let w = |p: &str, s: &[u8]| write(&out.join(p), s).map_err(|e| format!("{p}: {e}"));
    let cfg = &site.config;
    let c = site.campaigns.last().ok_or("the content has no campaign")?;
    let results = c.results.as_ref().ok_or("the campaign has no results")?;
    let y = c.year;
    w(
        "hugo.toml",
        format!(
            r#"baseURL = {base}
languageCode = "zh-CN"
title = {title}
disableKinds = ["taxonomy", "term", "RSS"]
enableRobotsTXT = true
[params]
publisher = {publisher}
office_name = {on}
office_address = {oa}
office_phone = {op}
office_email = {oe}
footer = {footer}
results_number = {rn}
results_title = {rt}
[markup.goldmark.extensions.cjk]
enable = true
eastAsianLineBreaks = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
[[menus.main]]
name = "首页"
url = "/"
[[menus.main]]
name = "{y}年通知"
url = "/{y}/notice/"
[[menus.main]]
name = "公示"
url = "/{y}/publicity/"
[[menus.main]]
name = "结果公布"
url = "/{y}/results/"
"#,
            base = yaml_str(&cfg.base_url),
            title = yaml_str(&cfg.title),
            publisher = yaml_str(&cfg.publisher),
            on = yaml_str(&cfg.office.name),
            oa = yaml_str(&cfg.office.address),
            op = yaml_str(&cfg.office.phone),
            oe = yaml_str(&cfg.office.email),
            footer = yaml_str(cfg.footer.as_deref().unwrap_or("")),
            rn = yaml_str(&results.number),
            rt = yaml_str(&results.title),
        )
        .as_bytes(),
    )?;
    w("layouts/_default/baseof.html", HUGO_BASEOF.as_bytes())?;
    w("layouts/_default/single.html", HUGO_SINGLE.as_bytes())?;
    w("layouts/_default/list.html", HUGO_LIST.as_bytes())?;
    w("layouts/_default/page.html", HUGO_PAGE.as_bytes())?;
    w("layouts/index.html", HUGO_HOME.as_bytes())?;
    w("layouts/404.html", HUGO_404.as_bytes())?;
    w(
        "static/static/style.css",
        include_bytes!("../themes/default/static/style.css"),
    )?;
    w(
        "content/_index.md",
        format!("---\ntitle: {}\n---\n", yaml_str(&cfg.title)).as_bytes(),
    )?;
    w(
        &format!("content/{y}/_index.md"),
        format!("---\ntitle: \"{y}年质量标杆典型经验遴选\"\n---\n").as_bytes(),
    )?;
    // The notice, its Markdown attachments and the publicity list.
    w(
        &format!("content/{y}/notice/index.md"),
        format!(
            "---\ntitle: {}\nlayout: page\n---\n{}",
            yaml_str(&c.notice.title),
            c.notice.body.text
        )
        .as_bytes(),
    )?;
    for a in &c.notice.attachments {
        match &a.kind {
            biaogan::model::site::AttachmentKind::Page(src) => w(
                &format!("content/{y}/notice/{}/index.md", a.slug),
                format!(
                    "---\ntitle: {}\nlayout: page\n---\n{}",
                    yaml_str(&a.title),
                    src.text
                )
                .as_bytes(),
            )?,
            biaogan::model::site::AttachmentKind::File { path, .. } => {
                let bytes = fs::read(path).map_err(|e| e.to_string())?;
                w(&format!("static/{y}/notice/{}", a.slug), &bytes)?
            }
        }
    }
    // The final list is the cases section's list page, published at /<year>/results/.
    w(
        &format!("content/{y}/cases/_index.md"),
        format!(
            "---\ntitle: {}\nnumber: {}\nurl: /{y}/results/\n---\n经资格审查、资料评审、答辩评审和公示，现予公布。\n",
            yaml_str(&results.title),
            yaml_str(&results.number)
        )
        .as_bytes(),
    )?;
    if let Some(p) = &c.publicity {
        w(
            &format!("content/{y}/publicity/_index.md"),
            format!(
                "---\ntitle: {}\nnumber: {}\n---\n{}",
                yaml_str(&p.title),
                yaml_str(p.number.as_deref().unwrap_or("")),
                p.instructions.text
            )
            .as_bytes(),
        )?;
    }
    let mut pages = 0;
    for (i, k) in c.approved_cases().enumerate() {
        let Some(src) = &k.summary else { continue };
        let methods: Vec<String> = k.methods.iter().map(|m| yaml_str(m)).collect();
        // Summaries reference images as <id>/fig1.svg; in a page bundle they sit beside index.md.
        let body = src.text.replace(&format!("]({}/", k.id), "](");
        let fm = format!(
            "---\ntitle: {}\nweight: {}\nyear: {y}\nserial: {}\norganization: {}\nregion: {}\nfield: {}\nfocus_area: {}\nmethods: [{}]\n---\n",
            yaml_str(&k.title),
            i + 1,
            i + 1,
            yaml_str(&k.organization.name),
            yaml_str(&k.organization.region),
            yaml_str(&k.field),
            yaml_str(c.focus_title(&k.focus_area)),
            methods.join(", ")
        );
        let dir = format!("content/{y}/cases/{}", k.id);
        w(&format!("{dir}/index.md"), format!("{fm}{body}").as_bytes())?;
        if let Ok(rd) = fs::read_dir(&k.assets_dir) {
            for e in rd.flatten() {
                let bytes = fs::read(e.path()).map_err(|e| e.to_string())?;
                w(
                    &format!("{dir}/{}", e.file_name().to_string_lossy()),
                    &bytes,
                )?;
            }
        }
        pages += 1;
    }
    Ok(pages)
}

// ---------------------------------------------------------------- command line

fn usage() -> ExitCode {
    eprintln!(
        "usage: corpus --cases N --out DIR [--seed S] [--no-extras]\n       corpus hugo --content DIR --out HUGODIR"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    if args.first().map(String::as_str) == Some("hugo") {
        let (Some(content), Some(out)) = (value("--content"), value("--out")) else {
            return usage();
        };
        return match to_hugo(Path::new(&content), Path::new(&out)) {
            Ok(n) => {
                eprintln!("converted {n} case pages into the Hugo site {out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    let (Some(cases), Some(out)) = (value("--cases"), value("--out")) else {
        return usage();
    };
    let Ok(cases) = cases.parse::<usize>() else {
        return usage();
    };
    let seed = match value("--seed").map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(s)) => s,
        Some(Err(_)) => return usage(),
    };
    let a = GenArgs {
        cases,
        out: PathBuf::from(out),
        seed,
        extras: !args.iter().any(|a| a == "--no-extras"),
    };
    match generate(&a) {
        Ok((n, summaries, bytes)) => {
            eprintln!(
                "wrote {n} cases ({summaries} summaries, {:.1} MB of Markdown) into {}",
                bytes as f64 / 1e6,
                a.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
