//! `biaogan serve` against hostile clients, over real sockets: half-sent and
//! idle connections are closed, connections and event streams are bounded,
//! only one exact loopback Host and path targets are answered, and every
//! response carries the Content-Security-Policy.

use crate::common::fixture;
use crate::common::serve::{serve, Server, TIMEOUT};

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;

const NOW: &str = "2024-11-01";

/// What a connection did after the client stopped sending: whether the
/// server closed it (rather than the wait running out) and what it sent.
fn closed_by_server(mut s: TcpStream) -> (bool, String) {
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (true, String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                return (true, String::from_utf8_lossy(&got).into_owned())
            }
            Err(_) => return (false, String::from_utf8_lossy(&got).into_owned()),
        }
    }
}

#[test]
fn a_half_sent_request_is_closed() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: a", server.addr).unwrap();
    let (closed, got) = closed_by_server(s);
    assert!(closed, "a half-sent request was kept open for {TIMEOUT:?}");
    assert!(
        !got.contains(" 200 "),
        "answered a half-sent request: {got}"
    );
    // A connection that sends nothing at all is closed too.
    let (closed, _) = closed_by_server(TcpStream::connect(server.addr).unwrap());
    assert!(closed, "a silent connection was kept open for {TIMEOUT:?}");
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        s,
        "GET /robots.txt HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    let mut length = 0;
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).unwrap();
    // The response is complete and the connection kept alive; now it idles.
    let mut rest = Vec::new();
    let outcome = r.read_to_end(&mut rest);
    assert!(
        outcome.is_ok()
            || outcome
                .as_ref()
                .is_err_and(|e| e.kind() == ErrorKind::ConnectionReset),
        "an idle connection was kept open for {TIMEOUT:?}: {outcome:?}"
    );
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}

#[test]
fn silent_connections_and_open_pages_cannot_starve_the_preview() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    // More silent connections than the server serves at once.
    let silent: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    let res = server.get("/");
    assert_eq!(res.status, 200);
    drop(silent);
    // Event streams are capped below the connection limit: the rest get 503.
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..40 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET /__biaogan/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line.starts_with("HTTP/1.1 503") {
            refused += 1;
        } else {
            assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        }
        streams.push(r);
    }
    assert_eq!(
        refused,
        8,
        "32 event streams are allowed, not {}",
        40 - refused
    );
    assert_eq!(server.get("/").status, 200);
    drop(streams);
    // A page opened now gets its stream back.
    server.events();
}

fn status_of(server: &Server, head: &str) -> u16 {
    server
        .raw(&format!("{head}Connection: close\r\n\r\n"))
        .status
}

#[test]
fn only_one_exact_loopback_host_and_path_targets_are_answered() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    let port = server.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let head = format!("GET / HTTP/1.1\r\nHost: {host}\r\n");
        assert_eq!(status_of(&server, &head), 200, "{host}");
    }
    for (host, want) in [
        ("[::1].evil.com", 400),
        (&format!("[::1].evil.com:{port}"), 400),
        ("localhost.evil.com", 403),
        ("preview.localhost", 403),
        ("127.0.0.1.nip.io", 403),
        ("localhost:80x", 400),
        ("localhost:", 400),
    ] {
        let head = format!("GET / HTTP/1.1\r\nHost: {host}\r\n");
        assert_eq!(status_of(&server, &head), want, "{host}");
    }
    let twice = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\n");
    assert_eq!(status_of(&server, &twice), 400, "two Host headers");
    let same_twice = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n";
    assert_eq!(status_of(&server, same_twice), 400, "the same Host twice");
    assert_eq!(status_of(&server, "GET / HTTP/1.1\r\n"), 400, "no Host");
    for target in [
        format!("http://127.0.0.1:{port}/"),
        "http://evil.example/".to_owned(),
        format!("HTTP://localhost:{port}/robots.txt"),
    ] {
        let head = format!("GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n");
        assert_eq!(status_of(&server, &head), 400, "{target}");
    }
    let head = format!("OPTIONS * HTTP/1.1\r\nHost: localhost:{port}\r\n");
    assert_eq!(status_of(&server, &head), 400, "asterisk-form");
}

/// The response head of `GET path` (the event stream's body never ends).
fn head_of(server: &Server, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let mut r = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let status = head[9..12].parse().unwrap();
    (status, head)
}

fn assert_policy(what: &str, head: &str) {
    let csp = head
        .lines()
        .find_map(|l| l.strip_prefix("content-security-policy:"))
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy in\n{head}"));
    for d in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(d), "{what}: {d} missing from {csp}");
    }
    assert!(!csp.contains("unsafe"), "{what}: {csp}");
    assert!(head.contains("x-frame-options: deny"), "{what}:\n{head}");
}

#[test]
fn every_preview_response_carries_the_content_security_policy() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", NOW]);
    for (path, status) in [
        ("/", 200),
        ("/2024/notice/", 200),
        ("/2024/notice", 301),
        ("/static/style.css", 200),
        ("/2024/cases/alpha/arch.svg", 200),
        ("/__biaogan/live.js", 200),
        ("/__biaogan/events", 200),
        ("/no/such/page/", 404),
        ("/%2e%2e/etc/passwd", 403),
    ] {
        let (got, head) = head_of(&server, path);
        assert_eq!(got, status, "{path}");
        assert_policy(path, &head);
    }
    let refused = server.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(refused.status, 403);
    assert!(refused.header("content-security-policy").is_some());
    let post = server.raw(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr
    ));
    assert_eq!(post.status, 405);
    assert!(post.header("content-security-policy").is_some());

    // The page shown while no build has succeeded.
    let broken = fixture("basic");
    broken.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let server = serve(broken.dir.path(), &["--now", NOW]);
    let (status, head) = head_of(&server, "/");
    assert_eq!(status, 503);
    assert_policy("the error page", &head);
}
