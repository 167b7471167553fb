//! Headless Debian Chromium run once per page (`--dump-dom`): what the
//! hostile-site and SVG tests use to see whether any script ran.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Where Debian installs Chromium; `BIAOGAN_CHROMIUM` overrides it.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Chromium processes at a time.
const WORKERS: usize = 2;
/// Longest a single page may take before the test fails.
const PAGE_TIMEOUT: Duration = Duration::from_secs(90);

pub(crate) fn chromium() -> PathBuf {
    let path = std::env::var_os("BIAOGAN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CHROMIUM));
    assert!(
        path.is_file(),
        "Chromium not found at {}: the browser tests need Debian's `chromium` package \
         (apt-get install chromium), or BIAOGAN_CHROMIUM pointing at a Chromium binary. \
         They fail rather than pass without a browser.",
        path.display()
    );
    path
}

/// Loads `url` in a fresh headless Chromium and returns the DOM after scripts
/// and timers (virtual time) have had their chance to run.
pub(crate) fn dump_dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let err = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > PAGE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium took more than {PAGE_TIMEOUT:?} on {url}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let dom = out.join().unwrap().unwrap();
    let err = err.join().unwrap();
    assert!(
        status.success() && !dom.trim().is_empty(),
        "Chromium failed on {url} ({status}); stderr:\n{}",
        tail(&err, 3000)
    );
    dom
}

fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// Loads every URL, `WORKERS` browsers at a time; results in input order.
pub(crate) fn dump_all(browser: &Path, urls: &[String]) -> Vec<String> {
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![String::new(); urls.len()]);
    thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    let i = *n;
                    *n += 1;
                    i
                };
                if i >= urls.len() {
                    break;
                }
                let dom = dump_dom(browser, &urls[i]);
                results.lock().unwrap()[i] = dom;
            });
        }
    });
    results.into_inner().unwrap()
}

// ---------------------------------------------------------------------------
// What must hold of every page Chromium rendered.
