//! `biaogan serve`: the real server on a free port, fetched over HTTP while
//! the files of a temporary site are edited the ways editors edit them.

use crate::common::fixture;
use crate::common::serve::{
    atomic_edit, atomic_save, serve, serve_options, settle, strip_script, url_path, SseEvent,
    TIMEOUT,
};

use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// A moment after the results and before the revocation in the fixture.
const NOW: &str = "2024-11-01";

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Runs a command that must exit by itself; kills it if it does not.
fn run_briefly(args: &[&str], cwd: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (
                status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("biaogan {args:?} kept running");
        }
        std::thread::park_timeout(std::time::Duration::from_millis(50));
    }
}

#[test]
fn serves_exactly_what_build_writes_plus_the_reload_script() {
    let f = fixture("basic");
    let root = f.dir.path();
    let server = serve(root, &[]);
    // Transparent huge pages are off for the process (main.rs: they cost
    // a third of the peak memory): read from the kernel's view of it.
    #[cfg(target_os = "linux")]
    {
        let status = fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
        let thp = status.lines().find(|l| l.starts_with("THP_enabled:"));
        assert_eq!(
            thp.map(|l| l.split_whitespace().nth(1)),
            Some(Some("0")),
            "{status}"
        );
    }
    let built = run(&["build"], root);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let public = root.join("public");
    let mut files = 0;
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        files += 1;
        let key = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if key == biaogan::write::MARKER {
            // The mark on biaogan's output folder is not part of the site.
            assert_eq!(server.get(&url_path(&key)).status, 404);
            continue;
        }
        let on_disk = fs::read(e.path()).unwrap();
        assert!(
            !String::from_utf8_lossy(&on_disk).contains("__biaogan"),
            "{key}: build output must not carry the reload script"
        );
        let res = server.get(&url_path(&key));
        assert_eq!(res.status, 200, "{key}");
        if key.ends_with(".html") {
            let text = res.text();
            assert!(text.contains("<script src=\"/__biaogan/live.js\""), "{key}");
            assert_eq!(strip_script(&text).into_bytes(), on_disk, "{key}");
            // Without --now or --drafts the preview is the public site: no banner.
            assert!(!text.contains("preview-banner"), "{key}");
        } else {
            assert_eq!(res.body, on_disk, "{key}");
        }
    }
    assert!(files > 10, "only {files} files built");
}

#[test]
fn content_types_methods_and_paths() {
    let f = fixture("basic");
    let root = f.dir.path();
    fs::write(root.join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    let server = serve(root, &["--now", NOW]);
    let opts = serve_options(&f.content(), Some(NOW), false);
    let out = biaogan::pipeline::check(&opts).unwrap();

    // Every kind of file the site has, with its type and charset.
    let types = [
        (".html", "text/html; charset=utf-8"),
        (".css", "text/css; charset=utf-8"),
        (".ics", "text/calendar; charset=utf-8"),
        ("atom.xml", "application/atom+xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        (".json", "application/json; charset=utf-8"),
        (".csv", "text/csv; charset=utf-8"),
        (".svg", "image/svg+xml; charset=utf-8"),
        (".txt", "text/plain; charset=utf-8"),
        (
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ];
    for (suffix, ty) in types {
        let key = out
            .keys()
            .find(|k| k.ends_with(suffix))
            .unwrap_or_else(|| panic!("the fixture has no {suffix} file"));
        let res = server.get(&url_path(key));
        assert_eq!(res.status, 200, "{key}");
        assert_eq!(res.header("content-type"), Some(ty), "{key}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{key}"
        );
    }
    let js = server.get("/__biaogan/live.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    // GET and HEAD only.
    let page = server.get("/");
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );
    for m in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let res = server.request(m, "/");
        assert_eq!(res.status, 405, "{m}");
        assert_eq!(res.header("allow"), Some("GET, HEAD"), "{m}");
    }
    assert_eq!(server.request("POST", "/__biaogan/events").status, 405);

    // Nothing outside the output, however the path is written.
    let secret = root.join("secret.txt");
    let absolute = secret.to_string_lossy().replace('/', "%2F");
    for path in [
        "/../secret.txt".to_owned(),
        "/2024/../../secret.txt".into(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E%2Fsecret.txt".into(),
        "/static/..%2f..%2f..%2fsecret.txt".into(),
        "/static/%2e%2e%5c%2e%2e%5csecret.txt".into(),
        "//secret.txt".into(),
        format!("/{absolute}"),
        format!("//{}", secret.to_string_lossy().trim_start_matches('/')),
        "/C:/secret.txt".into(),
    ] {
        let res = server.get(&path);
        assert!(
            res.status == 403 || res.status == 400,
            "{path}: status {}",
            res.status
        );
        assert!(!res.text().contains("TOP-SECRET"), "{path}");
    }
    let res = server.raw(&format!(
        "GET http://{}/../secret.txt HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr, server.addr
    ));
    assert!(
        res.status == 403 || res.status == 400,
        "absolute-form: {}",
        res.status
    );
    // Paths that exist on disk but are not output: the content's own files.
    for path in [
        secret.to_string_lossy().into_owned(),
        "/campaigns/2024/cases/alpha.yaml".into(),
        "/site.yaml".into(),
    ] {
        let res = server.get(&path);
        assert_eq!(res.status, 404, "{path}");
        assert!(
            !res.text().contains("TOP-SECRET") && !res.text().contains("SENTINEL"),
            "{path}"
        );
    }
    // A page of another site pointing its host name at 127.0.0.1 gets nothing.
    let res = server.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(res.status, 403);

    // No listings; the site's 404 page, with status 404; folders get their slash.
    let not_found = strip_script(&server.get("/no/such/page/").text());
    let want = match &out["404.html"] {
        biaogan::output::Artifact::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(not_found, want);
    for path in [
        "/no/such/page/",
        "/2024/cases/",
        "/static/",
        "/__biaogan/",
        "/index.htm",
    ] {
        let res = server.get(path);
        assert_eq!(res.status, 404, "{path}");
        assert_eq!(
            res.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
    }
    let res = server.get("/2024/notice?x=1");
    assert_eq!(res.status, 301);
    assert_eq!(res.header("location"), Some("/2024/notice/?x=1"));
}

#[test]
fn saves_rebuild_and_reload_open_pages() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    let opts = serve_options(&f.content(), Some(NOW), false);
    let mut events = server.events();
    let first = events.last().site();

    // An atomic save (temporary file renamed over the summary): only its page is re-rendered.
    let alpha = f.path("campaigns/2024/cases/alpha.md");
    atomic_save(
        &alpha,
        &format!(
            "{}\n原子保存的新段落。\n",
            f.read("campaigns/2024/cases/alpha.md")
        ),
    );
    let e = events.wait_for("reload after an atomic save", |e| e.name == "reload");
    assert!(e.site() > first && e.errors().is_empty(), "{e:?}");
    settle(&server, &mut events, &opts);
    assert!(server
        .get("/2024/cases/alpha/")
        .text()
        .contains("原子保存的新段落"));
    // Only that page was re-rendered, and the terminal says how long it took.
    server.wait_stderr(&[
        "已重新生成 /2024/cases/alpha/，用时",
        " 毫秒（content/campaigns/2024/cases/alpha.md 有改动）",
    ]);

    // A record written in place: everything is rebuilt.
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "title: 乙集团精益建造质量管理",
        "title: 乙集团精益建造质量管理（修订）",
    );
    events.wait_for("reload after an in-place write", |e| e.name == "reload");
    settle(&server, &mut events, &opts);
    assert!(server.get("/2024/results/").text().contains("（修订）"));
    server.wait_stderr(&[
        "重新生成完成",
        "（content/campaigns/2024/cases/beta.yaml 有改动）",
    ]);

    // A burst of saves is debounced: far fewer rebuilds than saves, ending on the last.
    let before = events.seen.len();
    let beta = f.path("campaigns/2024/cases/beta.md");
    let saves = 20;
    for i in 0..saves {
        atomic_save(&beta, &format!("## 一、背景\n\n第{i}次保存。\n"));
    }
    events.wait_for("reload after a burst", |e| e.name == "reload");
    settle(&server, &mut events, &opts);
    assert!(server
        .get("/2024/cases/beta/")
        .text()
        .contains(&format!("第{}次保存", saves - 1)));
    let reloads = events.seen[before..]
        .iter()
        .filter(|e| e.name == "reload")
        .count();
    assert!(
        (1..=saves / 4).contains(&reloads),
        "{reloads} reloads for {saves} saves:\n{}",
        server.stderr()
    );
}

#[test]
fn deleted_renamed_and_new_files_and_folders() {
    let f = fixture("basic");
    let root = f.dir.path();
    let server = serve(root, &["--now", NOW]);
    let opts = serve_options(&f.content(), Some(NOW), false);
    let mut events = server.events();
    let cases = f.path("campaigns/2024/cases");

    // A case deleted: it leaves the publicity list.
    assert!(server
        .get("/2024/publicity/")
        .text()
        .contains("丙服务有限公司"));
    fs::remove_file(cases.join("gamma.yaml")).unwrap();
    fs::remove_file(cases.join("gamma.md")).unwrap();
    events.wait_for("reload after a deletion", |e| e.name == "reload");
    settle(&server, &mut events, &opts);
    assert!(!server
        .get("/2024/publicity/")
        .text()
        .contains("丙服务有限公司"));

    // The image folder renamed away: the summary's image is missing; renamed back: fixed.
    fs::rename(cases.join("alpha"), cases.join("alpha-moved")).unwrap();
    let e = events.wait_for("an error for the missing image", |e| e.name == "error");
    assert!(
        e.errors()
            .iter()
            .any(|d| d["file"].as_str().unwrap().ends_with("alpha.md")),
        "{e:?}"
    );
    fs::rename(cases.join("alpha-moved"), cases.join("alpha")).unwrap();
    events.wait_for("the error cleared", |e| e.errors().is_empty());
    settle(&server, &mut events, &opts);

    // A summary renamed, then its record updated.
    fs::rename(cases.join("alpha.md"), cases.join("alpha-summary.md")).unwrap();
    events.wait_for("an error for the missing summary", |e| e.name == "error");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "summary: alpha.md",
        "summary: alpha-summary.md",
    );
    events.wait_for("the error cleared", |e| e.errors().is_empty());
    settle(&server, &mut events, &opts);

    // A folder created, then filled: images of a summary.
    fs::create_dir(cases.join("alpha/more")).unwrap();
    fs::write(
        cases.join("alpha/more/chart.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
    )
    .unwrap();
    let text = format!(
        "{}\n![图2 图表](alpha/more/chart.svg)\n",
        f.read("campaigns/2024/cases/alpha-summary.md")
    );
    atomic_save(&cases.join("alpha-summary.md"), &text);
    settle(&server, &mut events, &opts);
    assert!(server
        .get("/2024/cases/alpha/")
        .text()
        .contains("chart.svg"));

    // A themes folder that did not exist when the server started, created and filled.
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let home = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/home.html"),
    )
    .unwrap();
    assert!(home.contains("{% block content %}"));
    fs::write(
        templates.join("home.html"),
        home.replacen(
            "{% block content %}",
            "{% block content %}<p id=\"theme-override\">本站主题覆盖</p>",
            1,
        ),
    )
    .unwrap();
    settle(&server, &mut events, &opts);
    assert!(server.get("/").text().contains("本站主题覆盖"));
    // And removed again.
    fs::remove_dir_all(root.join("themes")).unwrap();
    settle(&server, &mut events, &opts);
    assert!(!server.get("/").text().contains("本站主题覆盖"));
}

#[test]
fn errors_are_shown_over_the_last_good_site_until_fixed() {
    let f = fixture("basic");
    let root = f.dir.path();
    let mut server = serve(root, &["--now", NOW]);
    let opts = serve_options(&f.content(), Some(NOW), false);
    let mut events = server.events();
    let good = server.get("/2024/cases/alpha/").text();
    let record = f.path("campaigns/2024/cases/alpha.yaml");
    let about = |file: &'static str| {
        move |e: &SseEvent| {
            e.name == "error"
                && e.errors()
                    .iter()
                    .any(|d| d["file"].as_str().unwrap().ends_with(file))
        }
    };

    // Bad YAML.
    atomic_edit(
        &record,
        "title: 甲公司数字化质量追溯",
        "title: [甲公司数字化质量追溯",
    );
    let e = events.wait_for("an error for bad YAML", about("alpha.yaml"));
    let d = &e.errors()[0];
    assert!(d["line"].as_u64().is_some(), "{d}");
    assert!(!d["message"].as_str().unwrap().is_empty(), "{d}");
    let location = d["location"].as_str().unwrap().to_owned();
    // The last good site is still served, the terminal says the same, the server lives on.
    assert_eq!(server.get("/2024/cases/alpha/").text(), good);
    server.wait_stderr(&[&location, "生成失败"]);
    assert!(server.running());
    atomic_edit(
        &record,
        "title: [甲公司数字化质量追溯",
        "title: 甲公司数字化质量追溯",
    );
    let e = events.wait_for("the error cleared", |e| e.errors().is_empty());
    assert_eq!(e.name, "ok", "the site is as before: nothing to reload");
    settle(&server, &mut events, &opts);

    // A failed validation: an invalid credit code, with its field and line.
    atomic_edit(
        &record,
        "credit_code: 91110108MA01ABC1XQ",
        "credit_code: 91110108MA01ABC1XA",
    );
    let e = events.wait_for("an error for the credit code", about("alpha.yaml"));
    let d = &e.errors()[0];
    assert!(d["field"].as_str().unwrap().contains("credit_code"), "{d}");
    assert_eq!(d["line"].as_u64(), Some(3), "{d}");
    atomic_edit(
        &record,
        "credit_code: 91110108MA01ABC1XA",
        "credit_code: 91110108MA01ABC1XQ",
    );
    events.wait_for("the error cleared", |e| e.errors().is_empty());

    // A broken link in a summary (the one-page rebuild checks its links too).
    let summary = f.path("campaigns/2024/cases/alpha.md");
    let text = f.read("campaigns/2024/cases/alpha.md");
    atomic_save(
        &summary,
        &format!("{text}\n见[不存在的页面](/2024/nowhere/)。\n"),
    );
    let e = events.wait_for("an error for the broken link", |e| {
        e.name == "error"
            && e.errors()
                .iter()
                .any(|d| d["message"].as_str().unwrap().contains("/2024/nowhere/"))
    });
    assert!(e.site() > 0);
    assert_eq!(server.get("/2024/cases/alpha/").text(), good);
    atomic_save(&summary, &text);
    events.wait_for("the error cleared", |e| e.errors().is_empty());
    settle(&server, &mut events, &opts);

    // A template error in a theme override, then the override removed.
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    // Written outside the watched folders and moved in: the template appears whole.
    let broken = root.join("case.html");
    fs::write(
        &broken,
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ case.title }</h1>\n{% endblock content %}\n",
    )
    .unwrap();
    fs::rename(&broken, templates.join("case.html")).unwrap();
    let e = events.wait_for("an error for the template", about("case.html"));
    let d = &e.errors()[0];
    assert!(d["file"].as_str().unwrap().ends_with("case.html"), "{d}");
    assert_eq!(d["line"].as_u64(), Some(3), "{d}");
    assert_eq!(server.get("/2024/cases/alpha/").text(), good);
    fs::remove_file(templates.join("case.html")).unwrap();
    events.wait_for("the error cleared", |e| e.errors().is_empty());
    settle(&server, &mut events, &opts);
    assert!(server.running());
}

#[test]
fn a_first_build_that_fails_serves_the_errors_and_recovers() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let mut server = serve(f.dir.path(), &["--now", NOW]);
    let opts = serve_options(&f.content(), Some(NOW), false);
    for path in ["/", "/2024/results/"] {
        let res = server.get(path);
        assert_eq!(res.status, 503, "{path}");
        assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
        let text = res.text();
        assert!(
            text.contains("content/campaigns/2024/cases/alpha.yaml:11:8"),
            "{text}"
        );
        assert!(text.contains("data-build=\"0\""), "{text}");
    }
    let mut events = server.events();
    assert_eq!(events.last().site(), 0);
    assert!(!events.last().errors().is_empty());
    assert!(server.running());
    atomic_edit(
        &f.path("campaigns/2024/cases/alpha.yaml"),
        "stage: nope",
        "stage: approved",
    );
    let e = events.wait_for("the first good site", |e| e.name == "reload");
    assert_eq!(e.site(), 1);
    assert!(e.errors().is_empty());
    settle(&server, &mut events, &opts);
}

#[test]
fn previews_as_of_a_date_and_with_drafts_say_so() {
    let f = fixture("basic");
    let root = f.dir.path();
    let before_results = "2024-09-26";

    let server = serve(root, &["--now", before_results]);
    let mut events = server.events();
    settle(
        &server,
        &mut events,
        &serve_options(&f.content(), Some(before_results), false),
    );
    assert_eq!(server.get("/2024/results/").status, 404);
    assert_eq!(server.get("/2024/publicity/").status, 200);
    let home = server.get("/").text();
    assert!(home.contains("class=preview-banner"), "{home}");
    assert!(home.contains("预览：截至2024年9月26日的网站"), "{home}");
    drop(server);

    let server = serve(root, &["--now", before_results, "--drafts"]);
    let mut events = server.events();
    settle(
        &server,
        &mut events,
        &serve_options(&f.content(), Some(before_results), true),
    );
    assert_eq!(server.get("/2024/results/").status, 200);
    assert!(server
        .get("/")
        .text()
        .contains("预览：截至2024年9月26日的网站，含尚未公开的内容"));
}

#[test]
fn command_line_errors() {
    let f = fixture("basic");
    let root = f.dir.path();
    let help = run(&["serve", "--help"], root);
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--content",
        "--bind",
        "--port",
        "--now",
        "--drafts",
        "--open",
    ] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }

    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, err) = run_briefly(&["serve", "--port", &port], root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port} 已被占用")), "{err}");

    let (code, err) = run_briefly(&["serve", "--content", "nowhere", "--port", "0"], root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("nowhere 不存在"), "{err}");

    for args in [
        &["serve", "--port", "eighty"][..],
        &["serve", "--bind", "example.org"],
        &["serve", "--now", "tomorrow"],
    ] {
        let (code, err) = run_briefly(args, root);
        assert_eq!(code, Some(2), "{args:?}: {err}");
    }
}
