//! The HTTP side of `serve`: files of the last good site, the reload event
//! stream and the reload script, with the checks a local preview needs.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::Stream;
use tokio::sync::watch;

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
    /// Only local host names are accepted (see [`host_allowed`]).
    local_only: bool,
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

/// Serves until the listener fails.
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
    };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    axum::serve(listener, app).await
}

/// Checks every request's host and marks every response as not to be cached
/// or sniffed: a preview changes on each save, and a download must never run
/// as a page.
async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if st.local_only && !host_allowed(req.headers(), req.uri()) {
        return plain(
            StatusCode::FORBIDDEN,
            "refused: this preview answers only to localhost and loopback addresses\n",
        );
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// Whether the request names this machine: a web page elsewhere could
/// otherwise point a host name at 127.0.0.1 (DNS rebinding) and read
/// unpublished documents from the preview.
fn host_allowed(headers: &HeaderMap, uri: &Uri) -> bool {
    let named = uri.authority().map(|a| a.host().to_owned()).or_else(|| {
        headers
            .get(header::HOST)
            .map(|h| h.to_str().map(strip_port).unwrap_or("invalid").to_owned())
    });
    // A request without any host comes from no browser, so from no web page.
    named.is_none_or(|h| is_local_name(&h))
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

fn is_local_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One event per state the page should know about: `hello` on connecting,
/// then `reload` (a new site), `error` (the build failed) or `ok` (fixed, and
/// the site is as before). Every event carries the whole state as JSON, so a
/// page that missed some still ends up right.
async fn events(State(st): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = st.snapshots.clone();
    let stream = futures_util::stream::unfold((rx, None), |(mut rx, seen)| async move {
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
        Some((Ok(event), (rx, Some(snap.site_id))))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
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
            "only GET and HEAD are allowed\n",
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
        let mut res = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
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
    plain(StatusCode::NOT_FOUND, "not found\n")
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
    const OUTSIDE: (StatusCode, &str) =
        (StatusCode::FORBIDDEN, "refused: the path leaves the site\n");
    let Some(rest) = raw.strip_prefix('/') else {
        return Err((BAD, "the path must start with /\n"));
    };
    let bytes = percent_decode(rest);
    let decoded = std::str::from_utf8(&bytes).map_err(|_| (BAD, "the path is not UTF-8\n"))?;
    if decoded.chars().any(|c| c.is_control()) {
        return Err((BAD, "the path has control characters\n"));
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

    #[test]
    fn only_local_host_names_pass() {
        let uri: Uri = "/".parse().unwrap();
        let with = |h: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            host_allowed(&m, &uri)
        };
        for h in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:80",
            "[::1]:8080",
            "preview.localhost",
        ] {
            assert!(with(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "10.0.0.1",
        ] {
            assert!(!with(h), "{h}");
        }
        assert!(host_allowed(&HeaderMap::new(), &uri));
        let absolute: Uri = "http://evil.example/".parse().unwrap();
        assert!(!host_allowed(&HeaderMap::new(), &absolute));
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
