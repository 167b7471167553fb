//! Everything an editor reads from biaogan outside the YAML loader is in
//! Chinese: `--help`, command-line errors, build/check/schedule/serve
//! output, write errors, template errors, the preview's bodies and overlay.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::biaogan;
use crate::common::chinese::assert_chinese;
use crate::common::fixture;
use crate::common::serve::serve;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every command's path, as typed after `biaogan`.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["build"],
    &["check"],
    &["schedule"],
    &["serve"],
    &["new"],
    &["new", "round"],
    &["new", "case"],
    &["new", "event"],
    &["new", "revocation"],
];

#[test]
fn help_of_every_command_is_chinese() {
    let here = Path::new(".");
    for command in COMMANDS {
        for flag in ["--help", "-h"] {
            let mut args = command.to_vec();
            args.push(flag);
            let o = biaogan(&args, here);
            let text = stdout(&o);
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
            assert_chinese(&text);
            assert!(text.contains("用法：biaogan"), "{args:?}:\n{text}");
            assert!(text.contains("选项："), "{args:?}:\n{text}");
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Arguments",
                "Print",
                "default:",
            ] {
                assert!(!text.contains(english), "{args:?}: {english} in\n{text}");
            }
        }
        // `biaogan help <command>` shows the same page.
        if !command.is_empty() {
            let mut args = vec!["help"];
            args.extend_from_slice(command);
            let o = biaogan(&args, here);
            assert_eq!(o.status.code(), Some(0), "{args:?}");
            assert_chinese(&stdout(&o));
        }
    }
    for args in [&["help"][..], &["help", "help"], &["new", "help"]] {
        let o = biaogan(args, here);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert_chinese(&stdout(&o));
    }
    let o = biaogan(&["-V"], here);
    assert!(stdout(&o).starts_with("biaogan "));
    // Without a command: the help, on standard error, exit status 2.
    let o = biaogan(&[], here);
    assert_eq!(o.status.code(), Some(2));
    assert_chinese(&stderr(&o));
}

#[test]
fn command_line_mistakes_are_explained_in_chinese() {
    let here = Path::new(".");
    for (args, words) in [
        (&["check", "--nwo", "2024-10-20"][..], "--nwo"),
        (&["chek"], "chek"),
        (&["build", "--now"], "--now"),
        (&["build", "--now", "yesterday"], "yesterday"),
        (&["check", "--now", "2024-13-01"], "2024-13-01"),
        (&["schedule", "--until", "明天"], "明天"),
        (&["build", "--base-url", "ftp://example.org"], "https://"),
        (&["build", "--base-url", "https://例子.中国/"], "xn--"),
        (&["check", "--format", "xml"], "text、json、github"),
        (&["serve", "--port", "eighty"], "eighty"),
        (&["serve", "--bind", "example.org"], "127.0.0.1"),
        (&["new", "case", "2025"], "<案例id>"),
        (&["new", "round", "twenty"], "twenty"),
    ] {
        let o = biaogan(args, here);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {words} missing from {err}");
        assert_chinese(&err);
    }
}

/// The `message` and `help` of every problem in a `--format json` report.
fn json_texts(out: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let mut texts = Vec::new();
    for list in ["errors", "warnings"] {
        for d in v[list].as_array().unwrap() {
            for key in ["message", "help"] {
                if let Some(t) = d[key].as_str() {
                    texts.push(t.to_owned());
                }
            }
        }
    }
    texts
}

/// Runs `args` with `--format json` in `cwd` and checks that it fails with
/// problems written in Chinese, one of them containing `words`.
fn fails_in_chinese(cwd: &Path, args: &[&str], env: &[(&str, &str)], words: &str) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(&all)
        .current_dir(cwd)
        .env_remove("BIAOGAN_FAIL_WRITE")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    let texts = json_texts(&stdout(&o));
    assert!(!texts.is_empty(), "{args:?}: no problem reported");
    assert!(
        texts.iter().any(|t| t.contains(words)),
        "{args:?}: {words} missing from {texts:?}"
    );
    for t in &texts {
        assert_chinese(t);
    }
    // The terminal lines around the report are Chinese too.
    for line in stderr(&o).lines().filter(|l| !l.trim().is_empty()) {
        assert_chinese(line);
    }
}

#[test]
fn every_diagnostic_outside_the_loader_is_in_chinese() {
    let f = fixture("basic");
    let root = f.dir.path();
    let with = |cmd: &'static str, more: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec![cmd, "--now", "2024-10-20"];
        v.extend_from_slice(more);
        v
    };

    // A missing content folder, for each command that reads one.
    for cmd in ["check", "build"] {
        let args = [cmd, "--content", "nowhere"];
        fails_in_chinese(root, &args, &[], "不存在");
    }
    let o = biaogan(&["schedule", "--content", "nowhere"], root);
    assert_eq!(o.status.code(), Some(1));
    assert_chinese(&stderr(&o));

    // Output folders that are not ours, and a write failing half way.
    fs::create_dir_all(root.join("mine")).unwrap();
    fs::write(root.join("mine/报告.docx"), "x").unwrap();
    fails_in_chinese(root, &with("build", &["--out", "mine"]), &[], "标记文件");
    fails_in_chinese(root, &with("build", &["--out", "content"]), &[], "拒绝");
    fails_in_chinese(
        root,
        &with("build", &[]),
        &[("BIAOGAN_FAIL_WRITE", "index.html")],
        "无法写入",
    );

    // A theme that does not exist.
    let site = f.read("site.yaml");
    f.write("site.yaml", &format!("{site}theme: nope\n"));
    fails_in_chinese(root, &with("check", &[]), &[], "找不到主题 nope");
    f.write("site.yaml", &site);

    // Template errors: a syntax error, and an unknown variable that breaks
    // only at a later moment (the results page), reported with that moment.
    let theme = template_overrides(root);
    fs::write(
        theme.join("home.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    )
    .unwrap();
    fails_in_chinese(root, &with("check", &[]), &[], "模板语法有误");
    fs::remove_file(theme.join("home.html")).unwrap();
    fs::write(
        theme.join("results.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ missing_var.x }}</p>\n{% endblock content %}\n",
    )
    .unwrap();
    fails_in_chinese(
        root,
        &["check", "--now", "2024-05-01"],
        &[],
        "模板用到的变量 missing_var 不存在",
    );
    let o = biaogan(&["check", "--now", "2024-05-01"], root);
    let err = stderr(&o);
    assert!(err.contains("错误：") && err.contains("自2024年"), "{err}");
    assert!(err.contains("发现 1 个错误"), "{err}");
    // GitHub annotations: the message part is Chinese.
    let o = biaogan(
        &["check", "--now", "2024-05-01", "--format", "github"],
        root,
    );
    let out = stdout(&o);
    let annotation = out.lines().next().unwrap_or("");
    let message = annotation.split("::").nth(2).unwrap_or("");
    assert!(!message.is_empty(), "{out}");
    assert_chinese(&message.replace("%0A", "\n"));
    fs::remove_file(theme.join("results.html")).unwrap();

    // A passing check says so in Chinese, naming the later moments only when there are some.
    let o = biaogan(&["check", "--now", "2024-05-01"], root);
    let err = stderr(&o);
    assert!(err.starts_with("检查通过：现在及以后 "), "{err}");
    assert_chinese(&err);
    let o = biaogan(&["check", "--now", "2030-01-01"], root);
    let err = stderr(&o);
    assert!(err.starts_with("检查通过：共 "), "{err}");
    assert!(!err.contains("以后"), "{err}");
    let o = biaogan(&["build", "--now", "2024-05-01"], root);
    assert!(stderr(&o).starts_with("生成完成："), "{}", stderr(&o));
    assert_chinese(&stderr(&o));
}

/// The text of an HTML page, tags dropped.
fn page_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").unwrap();
    doc.select(&body)
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_preview_speaks_chinese() {
    let f = fixture("basic");
    let root = f.dir.path();
    // No good build yet: every page is the 503 page listing the errors.
    let theme = template_overrides(root);
    fs::write(
        theme.join("home.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    )
    .unwrap();
    let server = serve(root, &["--now", "2024-10-20"]);
    let page = server.get("/");
    assert_eq!(page.status, 503);
    let text = page_text(&page.text());
    assert!(text.contains("模板语法有误"), "{text}");
    for line in text
        .lines()
        .filter(|l| l.chars().any(|c| c.is_alphabetic()))
    {
        // Source lines quoted under a message are the template's own text.
        if !line.contains(" | ") {
            assert_chinese(line);
        }
    }
    let log = server.wait_stderr(&["生成失败"]);
    for line in log
        .lines()
        .filter(|l| !l.contains(" | ") && !l.trim().is_empty())
    {
        if line.trim() != "|" {
            assert_chinese(line);
        }
    }

    // Fixed: the overlay's state says so, then refusals in Chinese.
    let mut events = server.events();
    fs::remove_file(theme.join("home.html")).unwrap();
    events.wait_for("the fixed site", |e| e.name == "reload");
    let refused = server.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(refused.status, 403);
    assert_chinese(&refused.text());
    let post = server.request("POST", "/");
    assert_eq!(post.status, 405);
    assert_chinese(&post.text());
    let outside = server.get("/%2e%2e/etc/passwd");
    assert_eq!(outside.status, 403);
    assert_chinese(&outside.text());
    let no_host = server.raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400);
    assert_chinese(&no_host.text());

    // A template error while serving: the event carries Chinese messages.
    fs::write(
        theme.join("home.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    )
    .unwrap();
    let e = events.wait_for("the error", |e| e.name == "error");
    for d in e.errors() {
        assert_chinese(d["message"].as_str().unwrap());
        if let Some(h) = d["help"].as_str() {
            assert_chinese(h);
        }
    }
    for line in server.stderr().lines() {
        if line.starts_with('[') {
            assert_chinese(line);
        }
    }
}

#[test]
fn the_preview_cannot_start_and_says_why_in_chinese() {
    let f = fixture("basic");
    let root = f.dir.path();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    for args in [
        &["serve", "--port", &port][..],
        &["serve", "--content", "nowhere", "--port", "0"],
    ] {
        let o = biaogan(args, root);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        for line in stderr(&o).lines() {
            assert_chinese(line);
        }
    }
}

/// A broken link in a template is reported in Chinese, at the template
/// (the message comes from `src/links.rs`).
#[test]
fn a_broken_link_in_a_template_is_reported_in_chinese() {
    let f = fixture("basic");
    let root = f.dir.path();
    let theme = template_overrides(root);
    fs::write(
        theme.join("404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"/nowhere/\">x</a>\n{% endblock content %}\n",
    )
    .unwrap();
    fails_in_chinese(root, &["check", "--now", "2024-10-20"], &[], "/nowhere/");
}

/// The folder where a site overrides the built-in templates, created.
fn template_overrides(root: &Path) -> PathBuf {
    let dir = root.join("themes/default/templates");
    fs::create_dir_all(&dir).unwrap();
    dir
}
