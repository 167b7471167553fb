//! A static web host for a built site, as nginx or object storage would serve
//! it: `/dir/` → `dir/index.html`, unknown paths → `404.html`, query strings
//! ignored. It records every request target, so browser tests can assert
//! that a page made no request it should not.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A response a test adds for one path beside the site's files.
type Route = Box<dyn Fn(&str) -> Option<(&'static str, Vec<u8>)> + Send + Sync>;

/// How to start a [`StaticSite`].
pub(crate) struct StaticSiteBuilder {
    root: PathBuf,
    csp: Option<&'static str>,
    route: Option<Route>,
}

impl StaticSiteBuilder {
    /// Sends this `Content-Security-Policy` with every response.
    pub(crate) fn csp(mut self, policy: &'static str) -> Self {
        self.csp = Some(policy);
        self
    }

    /// Answers the paths `route` returns `Some((content type, body))` for,
    /// before looking at the site's files.
    pub(crate) fn route(
        mut self,
        route: impl Fn(&str) -> Option<(&'static str, Vec<u8>)> + Send + Sync + 'static,
    ) -> Self {
        self.route = Some(Box::new(route));
        self
    }

    /// Listens on a free local port for the rest of the test process.
    pub(crate) fn start(self) -> StaticSite {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let host = Arc::new(Host {
            root: self.root,
            csp: self.csp,
            route: self.route,
            requests: Arc::clone(&requests),
        });
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let host = Arc::clone(&host);
                thread::spawn(move || {
                    let _ = host.answer(stream);
                });
            }
        });
        StaticSite { addr, requests }
    }
}

/// A running static host; see the module documentation.
pub(crate) struct StaticSite {
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl StaticSite {
    /// A host for the built site in `root`.
    pub(crate) fn builder(root: impl Into<PathBuf>) -> StaticSiteBuilder {
        StaticSiteBuilder {
            root: root.into(),
            csp: None,
            route: None,
        }
    }

    /// `http://127.0.0.1:port` + `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request target received so far, in order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

struct Host {
    root: PathBuf,
    csp: Option<&'static str>,
    route: Option<Route>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Host {
    /// Answers the requests of one connection, kept open between them as
    /// static hosts (nginx) keep it, so that page timings measured through
    /// it are not a new connection per file.
    fn answer(&self, stream: TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut out = stream;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            self.answer_one(&line, &mut reader, &mut out)?;
        }
    }

    fn answer_one(
        &self,
        line: &str,
        reader: &mut BufReader<TcpStream>,
        out: &mut TcpStream,
    ) -> std::io::Result<()> {
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
        }
        let Some(target) = line.split_whitespace().nth(1) else {
            return Ok(());
        };
        self.requests.lock().unwrap().push(target.to_owned());
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let (status, ctype, body) = match self.route.as_ref().and_then(|r| r(&path)) {
            Some((ctype, body)) => ("200 OK", ctype, body),
            None => match file_for(&self.root, &path) {
                Some(file) => ("200 OK", content_type(&file), std::fs::read(&file)?),
                None => (
                    "404 Not Found",
                    "text/html; charset=utf-8",
                    std::fs::read(self.root.join("404.html")).unwrap_or_default(),
                ),
            },
        };
        let csp = self
            .csp
            .map(|p| format!("Content-Security-Policy: {p}\r\n"))
            .unwrap_or_default();
        // Head and body in one write: two small writes meet Nagle's
        // algorithm and the client's delayed ACK, a 40 ms stall per file
        // that no real host has.
        let mut response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{csp}\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(&body);
        out.write_all(&response)?;
        out.flush()
    }
}

/// The built file a URL path names, like a static web server would find it.
fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s.contains('\\')) {
        return None;
    }
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
