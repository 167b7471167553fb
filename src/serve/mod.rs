//! `biaogan serve`: the editors' preview.
//!
//! Builds the site in memory with the same [`pipeline`](crate::pipeline) as
//! `build`, serves it over HTTP, watches the content folder and the themes,
//! rebuilds on every save and tells open pages (Server-Sent Events) to reload
//! or to show what broke. Content errors never stop the server: it keeps the
//! last good site and shows the errors over it.
//!
//! Threads: the HTTP server runs on a single-threaded tokio runtime on the
//! calling thread; one builder thread owns the watcher and the loaded site and
//! publishes each result as a [`Snapshot`] through a `tokio::sync::watch`
//! channel, which request handlers and event streams read.

mod http;
mod rebuild;
mod watch;

use std::fmt;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;

use chrono::{NaiveDateTime, NaiveTime};

use crate::diagnostics::Diagnostics;
use crate::output::Artifact;
use crate::pipeline::Options;
use crate::render::chinese;
use rebuild::Builder;
use watch::Watch;

/// How to run the preview server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// What to build; `banner` is replaced by the one [`banner`] derives from `now` and `drafts`.
    pub options: Options,
    /// Address to listen on (loopback by default: previews may show unpublished documents).
    pub bind: IpAddr,
    /// Port to listen on; 0 lets the system pick a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Why the server could not start; content errors are never one.
#[derive(Debug)]
pub enum ServeError {
    /// The content folder does not exist.
    ContentMissing(PathBuf),
    /// Another program already listens on the address.
    AddrInUse(SocketAddr),
    /// Listening, watching or running failed otherwise.
    Io(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::ContentMissing(p) => write!(
                f,
                "错误：内容文件夹 {} 不存在\n  = 提示：请用 --content 指向存放 site.yaml 的文件夹",
                p.display()
            ),
            ServeError::AddrInUse(a) => write!(
                f,
                "错误：{a} 已被占用（是不是已经有一个 biaogan serve 在运行？）\n  = 提示：请先停止另一个预览，或用 --port 换一个端口（--port 0 自动选择空闲端口）"
            ),
            ServeError::Io(m) => write!(f, "错误：{m}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// The banner previews carry: which moment they show and whether drafts are included.
pub fn banner(now: Option<NaiveDateTime>, drafts: bool) -> Option<String> {
    let moment = now.map(|n| {
        if n.time() == NaiveTime::MIN {
            chinese::date(n.date())
        } else {
            format!("{}{}", chinese::date(n.date()), chinese::time(n.time()))
        }
    });
    match (moment, drafts) {
        (None, false) => None,
        (None, true) => Some("预览：含尚未公开的内容".into()),
        (Some(m), false) => Some(format!("预览：截至{m}的网站")),
        (Some(m), true) => Some(format!("预览：截至{m}的网站，含尚未公开的内容")),
    }
}

/// The site as served: output path to content, cheap to clone so that a
/// one-page rebuild shares every other file with the previous site.
pub(crate) type Site = std::collections::BTreeMap<Arc<str>, Arc<Artifact>>;

/// What the server shows at one moment.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// Numbers the good sites, 0 before the first one; served pages carry it
    /// so that a browser can tell it shows an outdated site.
    pub site_id: u64,
    /// The last site that built without errors.
    pub site: Option<Arc<Site>>,
    /// Errors of the latest build; empty when it succeeded.
    pub errors: Arc<Diagnostics>,
}

/// Builds, watches and serves until the process is stopped.
///
/// Returns only when the server cannot start (missing content folder, port
/// in use) or stops working (the runtime or the watcher failed).
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let mut opts = config.options;
    opts.banner = banner(opts.now, opts.drafts);
    if !opts.content.is_dir() {
        return Err(ServeError::ContentMissing(opts.content));
    }
    let addr = SocketAddr::new(config.bind, config.port);
    // Bind before building so that a busy port is reported at once.
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => ServeError::AddrInUse(addr),
        _ => ServeError::Io(format!("无法在 {addr} 上监听（系统信息：{e}）")),
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| ServeError::Io(format!("无法在 {addr} 上监听（系统信息：{e}）")))?;

    // Watch before the first build so that no save made during it is lost.
    let (tx, rx) = mpsc::channel();
    let mut watch = Watch::start(&opts.content, tx)?;
    let mut builder = Builder::new(opts);
    let report = builder.full();
    report.print();
    let (publish, snapshots) = tokio::sync::watch::channel(Arc::new(builder.snapshot()));

    std::thread::Builder::new()
        .name("biaogan-rebuild".into())
        .spawn(move || {
            builder.prepare_search();
            // Ends when the watcher stops sending, i.e. never while serving.
            while let Some(batch) = watch.next_batch(&rx) {
                watch.refresh(&batch);
                let report = builder.apply(&batch);
                report.print();
                if report.publish {
                    publish.send_replace(Arc::new(builder.snapshot()));
                }
                // The edited pages are out; now their search documents.
                if builder.finish_search() {
                    publish.send_replace(Arc::new(builder.snapshot()));
                }
                builder.prepare_search();
            }
        })
        .map_err(|e| ServeError::Io(format!("无法启动重新生成的线程（系统信息：{e}）")))?;

    let url = http::url_of(local);
    if !local.ip().is_loopback() {
        eprintln!(
            "警告：正在 {local} 上监听，其他电脑也能看到这个预览，包括 --drafts 显示的尚未公开的内容"
        );
    }
    // The one line on standard output, so that scripts and tests can find the address.
    println!("预览地址：{url} （按 Ctrl-C 停止）");
    let _ = io::stdout().flush();
    if config.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("无法启动 HTTP 服务（系统信息：{e}）")))?;
    runtime
        .block_on(http::serve(listener, snapshots))
        .map_err(|e| ServeError::Io(format!("HTTP 服务意外停止（系统信息：{e}）")))
}

/// Opens `url` with the desktop's default browser; failing is only worth a note.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only prctl, a plain system call;
        // the browser gets transparent huge pages back (see main.rs).
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
                Ok(())
            });
        }
    }
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        eprintln!("注意：无法打开浏览器（系统信息：{e}），请自己在浏览器中打开 {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn banners_say_what_the_preview_shows() {
        assert_eq!(banner(None, false), None);
        assert_eq!(
            banner(Some(at("2024-09-26 00:00")), false).as_deref(),
            Some("预览：截至2024年9月26日的网站")
        );
        assert_eq!(
            banner(Some(at("2024-09-26 17:30")), false).as_deref(),
            Some("预览：截至2024年9月26日17:30的网站")
        );
        assert_eq!(
            banner(None, true).as_deref(),
            Some("预览：含尚未公开的内容")
        );
        assert_eq!(
            banner(Some(at("2024-09-26 00:00")), true).as_deref(),
            Some("预览：截至2024年9月26日的网站，含尚未公开的内容")
        );
    }
}
