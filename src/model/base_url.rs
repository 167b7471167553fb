//! The address the site is published at, checked once where it enters
//! (site.yaml or `--base-url`): every page, feed, calendar, sitemap and
//! robots.txt writes it verbatim, so it can hold nothing that would end a
//! line, an attribute or a URL.

use std::fmt;

/// An absolute `http(s)://host[:port][/path]` address without a trailing
/// slash, query or fragment, in printable ASCII only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Parses `s`, or says in Chinese what is wrong with it.
    pub fn parse(s: &str) -> Result<Self, String> {
        if let Some(c) = s.chars().find(|c| c.is_control() || c.is_whitespace()) {
            return Err(format!(
                "网址中有空白或控制字符 U+{:04X}；网址必须连续书写，不能含空格或换行",
                c as u32
            ));
        }
        if !s.is_ascii() {
            return Err(
                "网址只能由 ASCII 字符组成；中文域名请写成 xn-- 开头的形式，中文路径请用 %XX 编码"
                    .into(),
            );
        }
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or("网址必须以 https:// 或 http:// 开头")?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(format!(
                "`{host}` 不是有效的主机名：只能用字母、数字、`-` 和 `.`（不能含用户名、密码或 IPv6 地址）"
            ));
        }
        if port
            .is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err("端口号只能是数字，例如 :8080".into());
        }
        if path.contains(['?', '#']) {
            return Err("网址不能带 ? 查询参数或 # 片段，只写到站点所在的路径".into());
        }
        if !path_ok(path) {
            return Err("网址路径只能用字母、数字和 - . _ ~ / 以及 %XX 编码".into());
        }
        Ok(BaseUrl(s.trim_end_matches('/').to_owned()))
    }

    /// The address without a trailing slash, ready to prefix `/path`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `path` holds only unreserved characters, `/` and `%XX` escapes.
fn path_ok(path: &str) -> bool {
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b[i].is_ascii_alphanumeric() || b"/-._~".contains(&b[i])) {
            return false;
        }
        i += 1;
    }
    true
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::BaseUrl;

    #[test]
    fn accepts_plain_site_addresses() {
        for (s, want) in [
            ("https://biaogan.caq.org.cn", "https://biaogan.caq.org.cn"),
            ("https://biaogan.caq.org.cn/", "https://biaogan.caq.org.cn"),
            (
                "http://localhost:1111/site/2024",
                "http://localhost:1111/site/2024",
            ),
            (
                "https://example.org/%E6%A0%87",
                "https://example.org/%E6%A0%87",
            ),
        ] {
            assert_eq!(BaseUrl::parse(s).unwrap().as_str(), want, "{s}");
        }
    }

    #[test]
    fn refuses_anything_that_could_break_out() {
        for s in [
            "https://example.org\r\nDisallow: /",
            "https://example.org\nATTACH:x",
            "https://example.org/a b",
            "https://example.org\u{b}",
            " https://example.org",
            "https://example.org\u{2028}",
            "example.org",
            "javascript:alert(1)",
            "ftp://example.org",
            "https://",
            "https:///path",
            "https://user:pw@example.org",
            "https://example.org?a=1",
            "https://example.org/#x",
            "https://example.org/\"><script>",
            "https://example.org/a%zz",
            "https://example.org:80x",
            "https://exa_mple.org",
            "https://例子.中国",
        ] {
            assert!(BaseUrl::parse(s).is_err(), "{s:?}");
        }
    }
}
