//! A real browser for the tests: headless Debian Chromium driven through
//! chromedriver's WebDriver HTTP API (plain JSON calls, no client crate).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::serve::{call, TIMEOUT};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Starting a browser on a busy machine can take a while.
const SESSION_TIMEOUT: Duration = Duration::from_secs(90);

/// A chromedriver with one headless Chromium session, both stopped when dropped.
pub(crate) struct Browser {
    driver: Child,
    addr: SocketAddr,
    /// The WebDriver session id, for commands without a helper here.
    pub(crate) session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) fn start() -> Browser {
        for (bin, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                Path::new(bin).exists(),
                "{bin} is missing: the browser test needs Debian's `{package}` \
                 (apt-get install chromium chromium-driver; .ci/run installs both)"
            );
        }
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let (tx, rx) = mpsc::channel();
        let out = driver.stdout.take().unwrap();
        // Read all along: a full pipe would block chromedriver.
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + TIMEOUT;
        let port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromedriver did not say its port in {TIMEOUT:?}"));
            if let Some(p) = line.split("started successfully on port ").nth(1) {
                break p.trim().trim_end_matches('.').parse::<u16>().expect("port");
            }
        };
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--no-proxy-server",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        }}});
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let res = browser.command("POST", "/session", Some(&caps), SESSION_TIMEOUT);
        browser.session = res["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"))
            .to_owned();
        browser
    }

    /// One WebDriver command; its `value`.
    pub(crate) fn command(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Value {
        let res = call(self.addr, method, path, body, timeout);
        let v: Value = serde_json::from_slice(&res.body)
            .unwrap_or_else(|_| panic!("{method} {path}: {} {}", res.status, res.text()));
        assert_eq!(res.status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    /// Sets the window size (the phone tests use 360 px wide).
    pub(crate) fn resize(&self, width: u32, height: u32) {
        let rect = format!("/session/{}/window/rect", self.session);
        let size = json!({ "width": width, "height": height });
        self.command("POST", &rect, Some(&size), SESSION_TIMEOUT);
    }

    pub(crate) fn goto(&self, url: &str) {
        let path = format!("/session/{}/url", self.session);
        self.command("POST", &path, Some(&json!({ "url": url })), SESSION_TIMEOUT);
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub(crate) fn eval(&self, script: &str) -> Value {
        let path = format!("/session/{}/execute/sync", self.session);
        let body = json!({ "script": script, "args": [] });
        let res = call(self.addr, "POST", &path, Some(&body), TIMEOUT);
        let v: Value = serde_json::from_slice(&res.body).unwrap_or(Value::Null);
        // While the page reloads, a script may find no document: that is "not yet".
        if res.status == 200 {
            v["value"].clone()
        } else {
            Value::Null
        }
    }

    /// Polls `script` until it returns something other than null, false or "".
    pub(crate) fn wait(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let mut last;
        loop {
            last = self.eval(script);
            let truthy =
                !matches!(&last, Value::Null | Value::Bool(false)) && last.as_str() != Some("");
            if truthy {
                return last;
            }
            if Instant::now() > deadline {
                panic!("{what}: not within {TIMEOUT:?} (last result: {last})");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The search page (`/search/`, static/search.js).
impl Browser {
    /// Loads `/search/?q=…` and returns the result links, with the timing
    /// search.js recorded (ms from the query to the passages on screen).
    pub(crate) fn search(&self, base: &str, q: &str) -> (Vec<String>, f64) {
        self.search_at(&format!("{base}/search/?q={}", super::percent(q)), q)
    }

    /// Loads a search page address (`…/search/?q=…&year=…`) and returns as
    /// [`Browser::search`]; `what` names it in a timeout.
    pub(crate) fn search_at(&self, url: &str, what: &str) -> (Vec<String>, f64) {
        self.goto(url);
        self.results(what)
    }

    /// Waits until the page's search is done (after a load, a keystroke or
    /// a choice) and returns its results as [`Browser::search`].
    pub(crate) fn results(&self, q: &str) -> (Vec<String>, f64) {
        let v = self.wait(
            &format!("results for {q}"),
            "var l = document.getElementById('search-results'); \
             if (!l || l.getAttribute('data-state') !== 'done') return null; \
             return {links: Array.from(l.querySelectorAll('a')).map(a => a.getAttribute('href')), \
                     marks: Array.from(l.querySelectorAll('mark')).map(m => m.textContent), \
                     ms: window.biaoganSearchTiming ? window.biaoganSearchTiming.passages : -1};",
        );
        let links: Vec<String> = v["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        if !links.is_empty() {
            let marks = v["marks"].as_array().unwrap();
            assert!(!marks.is_empty(), "{q}: no passage marked: {v}");
        }
        (links, v["ms"].as_f64().unwrap_or(-1.0))
    }

    /// Types `q` into the search field as keystrokes would (one input event
    /// per character) and returns ms from the last keystroke until the
    /// results with passages are on screen.
    pub(crate) fn type_query(&self, q: &str) -> f64 {
        let script = format!(
            "var i = document.getElementById('q'), l = document.getElementById('search-results'); \
             window.__done = null; \
             new MutationObserver(function (ms, o) {{ \
               if (l.getAttribute('data-state') === 'done' && l.children.length) {{ window.__done = performance.now(); o.disconnect(); }} \
             }}).observe(l, {{attributes: true, childList: true}}); \
             var q = {}; i.value = ''; \
             for (var k = 1; k <= q.length; k++) {{ i.value = q.slice(0, k); i.dispatchEvent(new Event('input')); }} \
             window.__t0 = performance.now(); return true;",
            json!(q)
        );
        self.eval(&script);
        self.wait(
            "typed results",
            "return window.__done ? window.__done - window.__t0 : null;",
        )
        .as_f64()
        .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = call(self.addr, "DELETE", &path, None, TIMEOUT);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
