//! Markdown as editors write it, through the real command: broken links at
//! the Markdown line, sanitiser removals as warnings, Word indents, images
//! only from the case folder or https hosts that allow it, and the values
//! that would make invalid markup refused where they are written.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{fixture, Fixture};

/// Results published, before the basic fixture revokes alpha.
const NOW: &str = "2024-10-21";
const SUMMARY: &str = "campaigns/2024/cases/alpha.md";
const PAGE: &str = "2024/cases/alpha/index.html";

/// `biaogan check` on the fixture (with `--strict` when asked): exit status and standard error.
fn check(f: &Fixture, strict: bool) -> (i32, String) {
    let content = f.content();
    let mut args = vec![
        "check",
        "--content",
        content.to_str().unwrap(),
        "--now",
        NOW,
    ];
    if strict {
        args.push("--strict");
    }
    let out: Output = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(&args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The basic fixture with `extra` appended to alpha's summary, and the line it starts on.
fn with_summary(extra: &str) -> (Fixture, usize) {
    let f = fixture("basic");
    let text = f.read(SUMMARY);
    let line = text.lines().count() + 2;
    f.write(SUMMARY, &format!("{}\n\n{extra}\n", text.trim_end()));
    (f, line)
}

fn assert_has(out: &str, words: &[&str]) {
    for w in words {
        assert!(out.contains(w), "no {w:?} in:\n{out}");
    }
}

#[test]
fn a_broken_link_in_a_summary_is_reported_at_its_line_and_column() {
    let (f, line) = with_summary("详见[不存在的页面](/2024/nowhere/)。");
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &[
            &format!("{SUMMARY}:{line}:3"),
            "链接 /2024/nowhere/ 无效",
            "网站中没有 /2024/nowhere/",
            "页面 /2024/cases/alpha/",
        ],
    );
    assert!(!err.contains("public/"), "{err}");
}

#[test]
fn a_broken_link_in_raw_html_is_reported_at_its_line() {
    let (f, line) = with_summary("正文\n\n<p>见 <a href=\"/2024/gone/\">旧页面</a></p>");
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &[
            &format!("{SUMMARY}:{}:6", line + 2),
            "链接 /2024/gone/ 无效",
        ],
    );
}

#[test]
fn a_broken_link_from_a_template_is_reported_at_the_template() {
    let f = fixture("basic");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built_in = std::fs::read_to_string(root.join("themes/default/templates/404.html")).unwrap();
    let dir = f.dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&dir).unwrap();
    let at = built_in.find("{% endblock").expect("404.html has a block");
    let edited = format!(
        "{}<a href=\"/no-such-template-link/\">x</a>{}",
        &built_in[..at],
        &built_in[at..]
    );
    std::fs::write(dir.join("404.html"), edited).unwrap();
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &[
            "themes/default/templates/404.html",
            "链接 /no-such-template-link/ 无效",
            "模板",
        ],
    );
}

#[test]
fn what_the_sanitiser_removes_is_a_warning_with_line_count_and_advice() {
    let (f, line) = with_summary(concat!(
        "<iframe src=\"https://v.qq.com/x/page/a.html\"></iframe>\n\n",
        "<video src=\"https://example.org/v.mp4\"></video>\n\n",
        "<p style=\"color:red\" align=\"center\">红字<font color=\"red\">强调</font></p>\n\n",
        "<p onclick=\"x()\">点击</p>\n\n",
        "<iframe src=\"https://v.qq.com/x/page/b.html\"></iframe>\n\n",
        "<blink>闪</blink>",
    ));
    let (code, err) = check(&f, false);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &err,
        &[
            &format!("{SUMMARY}:{line}:1：已删除 <iframe>：网站不嵌入外部视频或网页，可改为链接"),
            "（本文件共 2 处，这里是第一处）",
            &format!("{SUMMARY}:{}:1：已删除 <video>：", line + 2),
            &format!(
                "{SUMMARY}:{}:4：已删除 style=：格式由网站统一设置，已忽略",
                line + 4
            ),
            &format!("{SUMMARY}:{}:22：已删除 align=", line + 4),
            "已删除 <font>：格式由网站统一设置，已忽略",
            &format!("{SUMMARY}:{}:4：已删除 事件属性 onclick=", line + 6),
            "已删除 <blink>",
        ],
    );
    let (code, err) = check(&f, true);
    assert_eq!(code, 1, "--strict must fail on sanitiser warnings:\n{err}");
    let page = f.site(NOW).text(PAGE);
    assert!(!page.contains("<iframe") && !page.contains("onclick") && page.contains("红字"));
}

#[test]
fn links_whose_address_is_dropped_become_text_with_a_warning() {
    let (f, line) =
        with_summary("见<a href=\"javascript:alert(1)\">这里</a>和[那里](vbscript:x)。");
    let (code, err) = check(&f, false);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &err,
        &[
            &format!("{SUMMARY}:{line}:2：已删除 javascript: 链接地址"),
            "vbscript:",
        ],
    );
    let page = f.site(NOW).page(PAGE);
    assert_eq!(page.count(".summary a:not([href])"), 0);
    assert!(page.one(".summary").contains("见这里和那里。"));
}

#[test]
fn a_raw_img_resolves_like_the_markdown_form() {
    let (f, line) =
        with_summary("<img src=\"alpha/arch.svg\" alt=\"架构图\">\n\n<img src=\"alpha/arch.svg\">");
    let (code, err) = check(&f, false);
    assert_eq!(code, 0, "{err}");
    // Without alt: a warning, and published with an empty alt.
    assert_has(
        &err,
        &[
            &format!("{SUMMARY}:{}:1：图片缺少文字说明", line + 2),
            "读屏软件",
        ],
    );
    let page = f.site(NOW).page(PAGE);
    let srcs = page.attrs(".summary img", "src");
    assert!(
        srcs.iter().filter(|s| *s == "arch.svg").count() >= 3,
        "{srcs:?}"
    );
    assert_eq!(page.count(".summary img:not([alt])"), 0);
    // The same SVG screening as the Markdown form.
    let (f, line) = with_summary("<img src=\"alpha/bad.svg\" alt=\"坏图\">");
    f.write(
        "campaigns/2024/cases/alpha/bad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &["alpha/bad.svg:1:", "<script>", &format!("alpha.md:{line}")],
    );
}

#[test]
fn images_come_from_the_case_folder_or_https_hosts_that_allow_it() {
    for (image, words) in [
        (
            "http://www.caq.org.cn/logo.png",
            &["http://", "https://"][..],
        ),
        (
            "https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png",
            &["微信公众号", "mmbiz.qpic.cn", "下载", "cases/"][..],
        ),
        (
            "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0",
            &["微信公众号", "下载"][..],
        ),
        ("https://wx.qlogo.cn/mmhead/abc/0", &["微信公众号"][..]),
        (
            "https://wx2.sinaimg.cn/large/abc.jpg",
            &["新浪微博", "下载"][..],
        ),
        (
            "alpha/Arch.svg",
            &["找不到图片文件 alpha/Arch.svg", "是否想写 alpha/arch.svg？"][..],
        ),
        ("alpha/arhc.svg", &["是否想写 alpha/arch.svg？"][..]),
        (
            "data:image/png;base64,AAAA",
            &["不是文件，也不是 https:// 地址"][..],
        ),
    ] {
        for form in [
            format!("![图](<{image}>)"),
            format!("<img src=\"{image}\" alt=\"图\">"),
        ] {
            let (f, line) = with_summary(&format!("正文{form}"));
            let (code, err) = check(&f, false);
            assert_eq!(code, 1, "{form}: {err}");
            assert_has(&err, &[&format!("{SUMMARY}:{line}:3")]);
            assert_has(&err, words);
        }
    }
    let (f, _) = with_summary("![图](https://www.caq.org.cn/logo.png)");
    let (code, err) = check(&f, true);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn word_indents_never_make_code_blocks() {
    let f = fixture("basic");
    let summary = concat!(
        "\u{feff}    甲公司首段。\r\n",
        "\r\n",
        "## 二、做法\r\n",
        "\t乙段落。\r\n",
        "\r\n",
        "\u{3000}\u{3000}丙段落。\r\n",
        "\u{3000}\u{3000}丁段落。\r\n",
        "\r\n",
        "  \u{3000}  戊段落。\r\n",
        "\r\n",
        "1. 条目\r\n",
        "\r\n",
        "        己段落。\r\n",
        "\r\n",
        "```\r\n",
        "    代码\r\n",
        "```\r\n",
        "\r\n",
        "质量\r\n管理\r\n",
    );
    f.write(SUMMARY, summary);
    let page = f.site(NOW).page(PAGE);
    let paragraphs = page.all(".summary p");
    for p in [
        "甲公司首段。",
        "乙段落。",
        "丙段落。",
        "丁段落。",
        "戊段落。",
        "己段落。",
        "质量管理",
    ] {
        assert!(
            paragraphs.iter().any(|t| t == p),
            "{p} is not a paragraph: {paragraphs:?}"
        );
    }
    assert_eq!(
        page.all(".summary pre"),
        ["代码"].map(|s| format!("    {s}").trim().to_owned())
    );
    assert_eq!(page.count(".summary pre"), 1);
}

#[test]
fn values_that_would_break_markup_are_refused_at_their_line() {
    for (file, from, to, at, words) in [
        (
            "site.yaml",
            "title: 测试标杆站",
            "title: 测试标杆站\nlanguage: \"zh-CN\\\" x=\\\"\"",
            "site.yaml:2:11",
            &["不是语言代码", "zh-CN"][..],
        ),
        (
            "site.yaml",
            "email: office@example.org",
            "email: \"office@example.org\\\"><b>\"",
            "site.yaml:8:10",
            &["邮箱", "不能出现在邮箱地址里的字符“\"”"][..],
        ),
        (
            "site.yaml",
            "email: office@example.org",
            "email: office@ example.org",
            "site.yaml:8:10",
            &["空格"][..],
        ),
    ] {
        let f = fixture("basic");
        f.edit(file, from, to);
        let (code, err) = check(&f, false);
        assert_eq!(code, 1, "{to}: {err}");
        assert_has(&err, &[at]);
        assert_has(&err, words);
    }
    let f = fixture("hostile");
    f.edit(
        "events/2024-12-lecture-beijing.yaml",
        "url: \"https://example.org/register?x=",
        "url: \"https://example.org/register?x=\\\"><b>",
    );
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &[
            "2024-12-lecture-beijing.yaml:10:8",
            "网址",
            "“\"”",
            "完整网址",
        ],
    );
}

#[test]
fn a_broken_link_in_the_notice_or_a_revocation_is_reported_at_its_line() {
    let f = fixture("basic");
    let notice = "campaigns/2024/notice.md";
    let text = f.read(notice);
    let line = text.lines().count() + 2;
    f.write(
        notice,
        &format!("{}\n\n见[细则](/2024/rules-old/)。\n", text.trim_end()),
    );
    let (code, err) = check(&f, false);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &[
            &format!("{notice}:{line}:2"),
            "链接 /2024/rules-old/ 无效",
            "页面 /2024/notice/",
        ],
    );
    assert!(!err.contains("templates"), "{err}");
}
