//! Harness for `biaogan serve`: the real binary on a free port, a small HTTP
//! client (raw requests too, so that paths reach the server unnormalised), a
//! Server-Sent Events reader, and a check that what is served equals what the
//! pipeline builds from the same files.
//!
//! Nothing here sleeps for a fixed time: every wait polls for a condition, up
//! to [`TIMEOUT`], so a slow machine is slow, not wrong.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use biaogan::output::{Artifact, Output};
use biaogan::pipeline::{self, Options};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// The longest any wait lasts.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `biaogan serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// The server's process number.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Starts `biaogan serve --port 0 <args>` in `cwd` and waits for its address.
pub(crate) fn serve(cwd: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .arg("serve")
        .args(["--port", "0"])
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start biaogan serve");
    let stderr = Arc::new(Mutex::new(String::new()));
    // Both pipes are drained all along: a full pipe would block the server.
    let err_pipe = child.stderr.take().unwrap();
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut r = BufReader::new(err_pipe);
        let mut line = String::new();
        while r.read_line(&mut line).unwrap_or(0) > 0 {
            sink.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    let out_pipe = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out_pipe).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let mut server = Server {
        child,
        addr: "127.0.0.1:1".parse().unwrap(),
        stderr,
    };
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                // `预览地址：http://127.0.0.1:1111/ （按 Ctrl-C 停止）`
                if let Some(at) = line.find("http://") {
                    let url = line[at..].split_whitespace().next().unwrap_or("");
                    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
                    server.addr = hostport.parse().expect("address");
                    return server;
                }
            }
            Err(_) => panic!(
                "biaogan serve printed no address in {TIMEOUT:?}; status {:?}; stderr:\n{}",
                server.child.try_wait(),
                server.stderr()
            ),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Characters of an output path that must be percent-encoded in a request
/// (non-ASCII ones always are).
const PATH: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b'?').add(b'#').add(b'"');

/// An output path (`2024/notice/index.html`) as a request path.
pub(crate) fn url_path(key: &str) -> String {
    format!("/{}", utf8_percent_encode(key, PATH))
}

impl Server {
    /// Everything the server printed on standard error so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until standard error contains all of `texts` (it is read by
    /// another thread, so it may lag behind events), and returns it.
    pub(crate) fn wait_stderr(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let log = self.stderr();
            if texts.iter().all(|t| log.contains(t)) {
                return log;
            }
            if Instant::now() > deadline {
                panic!("standard error lacks one of {texts:?} after {TIMEOUT:?}:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the process is still running.
    pub(crate) fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `GET path`.
    pub(crate) fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// `METHOD path` with the usual headers.
    pub(crate) fn request(&self, method: &str, path: &str) -> Response {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Sends `request` as it is and reads the whole response.
    pub(crate) fn raw(&self, request: &str) -> Response {
        http(
            self.addr,
            request.as_bytes(),
            request.starts_with("HEAD "),
            TIMEOUT,
        )
    }

    /// Opens the reload event stream; its first event is `hello`.
    pub(crate) fn events(&self) -> Events {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET /__biaogan/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut r = BufReader::new(s);
        let (status, headers) = read_head(&mut r);
        assert_eq!(status, 200);
        assert!(
            headers
                .get("content-type")
                .is_some_and(|t| t.starts_with("text/event-stream")),
            "{headers:?}"
        );
        assert_eq!(
            headers.get("transfer-encoding").map(String::as_str),
            Some("chunked")
        );
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut pending = String::new();
            loop {
                let Some(chunk) = read_chunk(&mut r) else {
                    return;
                };
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let block: String = pending.drain(..end + 2).collect();
                    let mut name = String::from("message");
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim().to_owned();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if data.is_empty() {
                        continue; // a keep-alive comment
                    }
                    let data = serde_json::from_str(&data).expect("event data is JSON");
                    if tx.send(SseEvent { name, data }).is_err() {
                        return;
                    }
                }
            }
        });
        let events = Events {
            rx,
            seen: Vec::new(),
        };
        let hello = events.next_event().expect("a hello event");
        assert_eq!(hello.name, "hello");
        Events {
            seen: vec![hello],
            ..events
        }
    }
}

/// `METHOD path` with an optional JSON body to a local HTTP server (a WebDriver).
pub(crate) fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
    timeout: Duration,
) -> Response {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    http(addr, request.as_bytes(), method == "HEAD", timeout)
}

fn http(addr: SocketAddr, request: &[u8], head: bool, timeout: Duration) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(timeout)).unwrap();
    s.write_all(request).unwrap();
    let mut r = BufReader::new(s);
    let (status, headers) = read_head(&mut r);
    let mut body = Vec::new();
    if head {
        // No body follows a HEAD response, whatever Content-Length says.
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        while let Some(c) = read_chunk(&mut r) {
            body.extend(c);
        }
    } else if let Some(n) = headers.get("content-length") {
        body.resize(n.parse().unwrap(), 0);
        r.read_exact(&mut body).unwrap();
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    Response {
        status,
        headers,
        body,
    }
}

fn read_head(r: &mut impl BufRead) -> (u16, BTreeMap<String, String>) {
    let mut line = String::new();
    r.read_line(&mut line).expect("status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        r.read_line(&mut line).expect("header");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    (status, headers)
}

/// One chunk of a chunked body; `None` at its end or when the connection closes.
fn read_chunk(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
    let mut chunk = vec![0; size + 2];
    r.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    (size > 0).then_some(chunk)
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub(crate) struct SseEvent {
    pub name: String,
    pub data: serde_json::Value,
}

impl SseEvent {
    /// The number of the site the state is about.
    pub(crate) fn site(&self) -> u64 {
        self.data["site"].as_u64().unwrap()
    }
    pub(crate) fn errors(&self) -> &Vec<serde_json::Value> {
        self.data["errors"].as_array().unwrap()
    }
}

/// The events of one connection, as they arrive.
pub(crate) struct Events {
    rx: Receiver<SseEvent>,
    /// Every event received so far.
    pub seen: Vec<SseEvent>,
}

impl Events {
    fn next_event(&self) -> Option<SseEvent> {
        self.rx.recv_timeout(TIMEOUT).ok()
    }

    /// The latest state received.
    pub(crate) fn last(&self) -> &SseEvent {
        self.seen.last().unwrap()
    }

    /// Waits for an event `pred` accepts (earlier ones are kept in `seen`).
    pub(crate) fn wait_for(&mut self, what: &str, pred: impl Fn(&SseEvent) -> bool) -> SseEvent {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) => {
                    self.seen.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Err(_) => panic!("no event {what} in {TIMEOUT:?}; received: {:#?}", self.seen),
            }
        }
    }

    /// Waits for the next event, if one comes within `d`.
    pub(crate) fn poll(&mut self, d: Duration) -> Option<SseEvent> {
        let e = self.rx.recv_timeout(d).ok()?;
        self.seen.push(e.clone());
        Some(e)
    }
}

/// Removes the reload script `serve` adds to pages.
pub(crate) fn strip_script(html: &str) -> String {
    let Some(start) = html.find("<script src=\"/__biaogan/live.js\"") else {
        return html.to_owned();
    };
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// Where served files differ from `expected`, as a readable list (empty when equal).
pub(crate) fn differences(server: &Server, expected: &Output) -> Vec<String> {
    let mut diffs = Vec::new();
    for (key, artifact) in expected {
        let want = match artifact {
            Artifact::Bytes(b) => b.clone(),
            Artifact::Shared(b) => b.to_vec(),
        };
        let res = server.get(&url_path(key));
        let got = if key.ends_with(".html") {
            let text = res.text();
            if !text.contains("/__biaogan/live.js") {
                diffs.push(format!("{key}: no reload script"));
            }
            strip_script(&text).into_bytes()
        } else {
            res.body
        };
        if res.status != 200 {
            diffs.push(format!("{key}: status {}", res.status));
        } else if got != want {
            diffs.push(format!(
                "{key}: served {} bytes, built {} bytes",
                got.len(),
                want.len()
            ));
        }
    }
    diffs
}

/// Options as `serve` uses them with these flags.
pub(crate) fn serve_options(content: &Path, now: Option<&str>, drafts: bool) -> Options {
    let mut o = Options::new(content);
    o.now = now.map(super::now_at);
    o.drafts = drafts;
    o.banner = biaogan::serve::banner(o.now, drafts);
    o
}

/// Waits until the server serves exactly what the pipeline builds from the
/// files now (a rebuild may come in several steps, each announced by an event).
pub(crate) fn settle(server: &Server, events: &mut Events, opts: &Options) {
    let expected = match pipeline::check(opts) {
        Ok(out) => out,
        Err(d) => panic!("the content does not build:\n{d}"),
    };
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let diffs = differences(server, &expected);
        if diffs.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "after {TIMEOUT:?} the server still differs from the build:\n{}\nevents: {:#?}\nstderr:\n{}",
                diffs.join("\n"),
                events.seen,
                server.stderr()
            );
        }
        events.poll(Duration::from_millis(500));
    }
}

/// Saves `text` to `path` the way most editors do: a temporary file beside it, renamed over it.
pub(crate) fn atomic_save(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp: PathBuf = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// Replaces `from` by `to` in a file (the text must be there) with an atomic
/// save, so that no half-written state is ever seen.
pub(crate) fn atomic_edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    atomic_save(path, &text.replacen(from, to, 1));
}
