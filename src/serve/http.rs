//! The HTTP side of `serve`: files of the last good site, the reload event
//! stream and the reload script, with the checks a local preview needs.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{watch, Semaphore};

use super::{Site, Snapshot};
use crate::output::Artifact;
use crate::render::escape;
use crate::urls::{path_of, percent_decode};

/// Where open pages listen for rebuilds.
const EVENTS_PATH: &str = "/__biaogan/events";
/// The reload and error-overlay script injected into served pages.
const SCRIPT_PATH: &str = "/__biaogan/live.js";
const SCRIPT: &str = include_str!("live.js");

#[derive(Clone)]
struct AppState {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    /// Only local host names are accepted (see [`check_target`]).
    local_only: bool,
    /// One permit per open event stream (see [`MAX_EVENT_STREAMS`]).
    streams: Arc<Semaphore>,
}

/// The address to tell the user: a wildcard bind is reached through loopback.
pub(super) fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// A request head not complete in this time is dropped (slowloris), and a
/// kept-alive connection that sends nothing for as long is closed: hyper's
/// header timer runs from the moment it waits for a request.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once; more wait in the system's queue until one
/// closes (which the timeout above guarantees for all but event streams).
const MAX_CONNECTIONS: usize = 64;
/// Open pages listening for rebuilds; fewer than [`MAX_CONNECTIONS`], so
/// that event streams alone never take every connection.
const MAX_EVENT_STREAMS: usize = 32;
/// The most a request head may take (hyper's read buffer; 8 KiB at least).
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Every preview response's policy: only the site itself (which includes the
/// reload script and its event stream), never inside another site's frame.
const CSP: &str = "default-src 'self'; base-uri 'none'; form-action 'none'; \
                   object-src 'none'; frame-ancestors 'none'";

/// Serves until the process is stopped.
pub(super) async fn serve(
    listener: std::net::TcpListener,
    snapshots: watch::Receiver<Arc<Snapshot>>,
) -> std::io::Result<()> {
    let local_only = listener.local_addr()?.ip().is_loopback();
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let state = AppState {
        snapshots,
        local_only,
        streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
    };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(()); // the semaphore is never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or a connection reset before it was
            // accepted: wait a moment rather than stop the preview.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away or times out is no error of the preview.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// Checks every request's target and host, and marks every response as not
/// to be cached, sniffed, framed or run with anything but the site's own
/// files: a preview changes on each save, shows unpublished documents, and a
/// download must never run as a page.
async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = match check_target(req.headers(), req.uri(), st.local_only) {
        Ok(()) => next.run(req).await,
        Err((status, why)) => plain(status, why),
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Why a request is refused, if it is: its target must be a path, and it
/// must carry exactly one well-formed Host header that, on a loopback
/// address, names this machine exactly. A web page elsewhere could otherwise
/// point a host name at 127.0.0.1 (DNS rebinding) and read unpublished
/// documents from the preview.
fn check_target(
    headers: &HeaderMap,
    uri: &Uri,
    local_only: bool,
) -> Result<(), (StatusCode, &'static str)> {
    const BAD: StatusCode = StatusCode::BAD_REQUEST;
    if uri.scheme().is_some() || uri.authority().is_some() || !uri.path().starts_with('/') {
        return Err((BAD, "拒绝：请求目标必须是以 / 开头的路径\n"));
    }
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Err((BAD, "拒绝：请求必须有且只有一个 Host 头\n"));
    };
    let name = host
        .to_str()
        .ok()
        .and_then(host_name)
        .ok_or((BAD, "拒绝：Host 头不是主机名（可带端口）\n"))?;
    if local_only && !is_local_name(name) {
        return Err((
            StatusCode::FORBIDDEN,
            "拒绝：这个预览只接受通过 localhost、127.0.0.1 或 [::1] 访问\n",
        ));
    }
    Ok(())
}

/// The name of a Host header value (`name`, `name:port`, `[v6]:port`), if well formed.
fn host_name(host: &str) -> Option<&str> {
    let (name, rest) = if host.starts_with('[') {
        host.split_at(host.find(']')? + 1)
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_ok = match rest.strip_prefix(':') {
        None => rest.is_empty(),
        Some(p) => (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()),
    };
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    (port_ok && name_ok).then_some(name)
}

/// Exactly the loopback names a browser on this machine uses.
fn is_local_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]"
}

/// One event per state the page should know about: `hello` on connecting,
/// then `reload` (a new site), `error` (the build failed) or `ok` (fixed, and
/// the site is as before). Every event carries the whole state as JSON, so a
/// page that missed some still ends up right.
async fn events(State(st): State<AppState>) -> Response {
    let Ok(permit) = st.streams.clone().try_acquire_owned() else {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "打开的预览页面太多了；请关掉一些页面后刷新\n",
        );
    };
    let rx = st.snapshots.clone();
    // The permit lives in the stream's state: it is returned when the page goes.
    let stream =
        futures_util::stream::unfold((rx, None, permit), |(mut rx, seen, permit)| async move {
            if seen.is_some() && rx.changed().await.is_err() {
                return None;
            }
            let snap = rx.borrow_and_update().clone();
            let name = match seen {
                None => "hello",
                Some(id) if id != snap.site_id => "reload",
                Some(_) if !snap.errors.is_empty() => "error",
                Some(_) => "ok",
            };
            let event = Event::default().event(name).data(state_json(&snap));
            Some((Ok::<_, Infallible>(event), (rx, Some(snap.site_id), permit)))
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The state as the browser script reads it.
fn state_json(snap: &Snapshot) -> String {
    let errors: Vec<serde_json::Value> = snap
        .errors
        .iter()
        .map(|d| {
            serde_json::json!({
                "location": d.location(),
                "file": d.file.display().to_string(),
                "line": d.line,
                "column": d.column,
                "field": d.field,
                "message": d.message,
                "help": d.help,
                "source": d.source_line,
            })
        })
        .collect();
    serde_json::json!({ "site": snap.site_id, "errors": errors }).to_string()
}

async fn script() -> Response {
    with_type(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
    )
}

/// Everything that is not the event stream or the script: a file of the site.
async fn file(State(st): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut res = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "预览只接受 GET 和 HEAD 请求\n",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let snap = st.snapshots.borrow().clone();
    let key = match resolve(uri.path()) {
        Ok(k) => k,
        Err((status, why)) => return plain(status, why),
    };
    let Some(site) = &snap.site else {
        return error_page(&snap);
    };
    if let Some(a) = site.get(key.as_str()) {
        return artifact(&key, a, snap.site_id, StatusCode::OK);
    } else if !key.ends_with("index.html")
        && site.contains_key(path_of(&format!("{key}/")).as_str())
    {
        // `/2024/notice` → `/2024/notice/`, as static hosts do, so relative links work.
        let mut to = format!("{}/", uri.path());
        if let Some(q) = uri.query() {
            to.push('?');
            to.push_str(q);
        }
        let mut res = plain(StatusCode::MOVED_PERMANENTLY, "已移到带 / 结尾的地址\n");
        if let Ok(v) = HeaderValue::from_str(&to) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    not_found(site, snap.site_id).await
}

async fn not_found(site: &Site, site_id: u64) -> Response {
    if let Some(a) = site.get("404.html") {
        return artifact("404.html", a, site_id, StatusCode::NOT_FOUND);
    }
    plain(StatusCode::NOT_FOUND, "找不到这个页面\n")
}

/// A file of the site; pages get the reload script. Files of the content
/// folder are served from the bytes read at build time, never from disk.
fn artifact(key: &str, a: &Artifact, site_id: u64, status: StatusCode) -> Response {
    let ty = content_type(key);
    let body = match a {
        Artifact::Bytes(b) if ty.starts_with("text/html") => inject(b, site_id),
        Artifact::Bytes(b) => b.clone(),
        Artifact::Shared(b) => b.to_vec(),
    };
    with_type(status, ty, body)
}

/// Shown for every page while no build has succeeded yet.
fn error_page(snap: &Snapshot) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>网站未能生成</title>\n</head>\n<body>\n<h1>网站未能生成：内容有错误</h1>\n\
         <p>修正下列错误并保存，页面会自动刷新。</p>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape(&snap.errors.to_string())
    );
    with_type(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        inject(html.as_bytes(), snap.site_id),
    )
}

/// Adds the reload script before `</body>`, telling it which site the page comes from.
pub(super) fn inject(html: &[u8], site_id: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-build=\"{site_id}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_type(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

fn with_type(status: StatusCode, ty: &'static str, body: Vec<u8>) -> Response {
    let mut res = (status, Body::from(body)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    res
}

/// The output path a request path names, or why it is refused.
///
/// Requests are answered from the in-memory site, so no path can reach the
/// disk; these checks still refuse anything that tries (`..`, encoded or not,
/// absolute and drive paths, backslashes, control characters) rather than
/// quietly answering 404.
pub(super) fn resolve(raw: &str) -> Result<String, (StatusCode, &'static str)> {
    const BAD: StatusCode = StatusCode::BAD_REQUEST;
    const OUTSIDE: (StatusCode, &str) = (StatusCode::FORBIDDEN, "拒绝：这个路径指向网站以外\n");
    let Some(rest) = raw.strip_prefix('/') else {
        return Err((BAD, "拒绝：路径必须以 / 开头\n"));
    };
    let bytes = percent_decode(rest);
    let decoded = std::str::from_utf8(&bytes).map_err(|_| (BAD, "拒绝：路径不是 UTF-8 编码\n"))?;
    if decoded.chars().any(|c| c.is_control()) {
        return Err((BAD, "拒绝：路径中有控制字符\n"));
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        let empty_inside = s.is_empty() && i != last;
        if empty_inside || *s == "." || *s == ".." || s.contains(['\\', ':']) {
            return Err(OUTSIDE);
        }
    }
    Ok(path_of(decoded))
}

/// The media type of an output file, with its charset when it is text.
pub(super) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "xml" if name == "atom.xml" || name.ends_with(".atom.xml") => {
            "application/atom+xml; charset=utf-8"
        }
        "rss" => "application/rss+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(resolve("/").unwrap(), "index.html");
        assert_eq!(resolve("/2024/notice/").unwrap(), "2024/notice/index.html");
        assert_eq!(resolve("/static/style.css").unwrap(), "static/style.css");
        assert_eq!(
            resolve("/2024/%E9%99%84%E4%BB%B6.docx").unwrap(),
            "2024/附件.docx"
        );
    }

    #[test]
    fn paths_leaving_the_site_are_refused() {
        for p in [
            "/../etc/passwd",
            "/2024/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/static/..\\..\\x",
            "/static/%5c..%5cx",
            "/C:/Windows/win.ini",
            "/./index.html",
        ] {
            assert_eq!(
                resolve(p).map_err(|e| e.0),
                Err(StatusCode::FORBIDDEN),
                "{p}"
            );
        }
        for p in ["/%00", "/a%0d%0aSet-Cookie:x", "/%ff", "relative"] {
            assert_eq!(
                resolve(p).map_err(|e| e.0),
                Err(StatusCode::BAD_REQUEST),
                "{p}"
            );
        }
    }

    #[test]
    fn text_types_carry_a_charset() {
        for (p, t) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("events.ics", "text/calendar; charset=utf-8"),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("2024/results.json", "application/json; charset=utf-8"),
            ("2024/results.csv", "text/csv; charset=utf-8"),
            ("a/arch.SVG", "image/svg+xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            (
                "form.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(p), t, "{p}");
        }
    }

    fn check(hosts: &[&str], target: &str, local_only: bool) -> Result<(), StatusCode> {
        let mut m = HeaderMap::new();
        for h in hosts {
            m.append(header::HOST, HeaderValue::from_str(h).unwrap());
        }
        check_target(&m, &target.parse().unwrap(), local_only).map_err(|e| e.0)
    }

    #[test]
    fn only_one_exact_local_host_passes() {
        for h in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:8080",
        ] {
            assert_eq!(check(&[h], "/", true), Ok(()), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "preview.localhost",
            "localhost.",
            "10.0.0.1",
            "127.0.0.2",
            "[::ffff:127.0.0.1]",
        ] {
            assert_eq!(check(&[h], "/", true), Err(StatusCode::FORBIDDEN), "{h}");
        }
        for h in [
            "[::1].evil.com",
            "[::1]evil",
            "localhost:",
            "localhost:80a",
            "localhost:123456",
            "localhost:80:80",
            "local host",
            "",
            "user@localhost",
        ] {
            assert_eq!(check(&[h], "/", true), Err(StatusCode::BAD_REQUEST), "{h}");
        }
        let twice = check(&["localhost", "localhost"], "/", true);
        assert_eq!(twice, Err(StatusCode::BAD_REQUEST));
        assert_eq!(check(&[], "/", true), Err(StatusCode::BAD_REQUEST));
        // On a public address any well-formed name passes, but not the rest.
        assert_eq!(check(&["192.168.1.9:1111"], "/", false), Ok(()));
        assert_eq!(
            check(&["[::1].x"], "/", false),
            Err(StatusCode::BAD_REQUEST)
        );
    }

    #[test]
    fn only_path_targets_pass() {
        for t in [
            "http://localhost/",
            "http://evil.example/x",
            "localhost:80",
            "*",
        ] {
            assert_eq!(
                check(&["localhost"], t, true),
                Err(StatusCode::BAD_REQUEST),
                "{t}"
            );
        }
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>", 7);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__biaogan/live.js\" data-build=\"7\"></script></body></html>"
        );
        let out = inject(b"<p>no body end", 1);
        assert!(String::from_utf8(out)
            .unwrap()
            .ends_with("data-build=\"1\"></script>"));
    }
}
