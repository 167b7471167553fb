//! Where an image of a document may come from: a file in the case's folder,
//! read once without following links, or an `https://` address on a host
//! that allows other sites to show its images. The Markdown form
//! `![说明](id/x.svg)` and a raw `<img src="id/x.svg">` both come here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Images;
use crate::load::{nofollow, paths};

/// An image reference that may be published.
pub(super) enum Resolved {
    /// An `https://` address, published as written.
    Web,
    /// A file of the case, published beside the page.
    Local {
        /// Address relative to the page.
        rel: String,
        /// Where it was read.
        disk: PathBuf,
        /// The bytes checked, and published.
        bytes: Arc<[u8]>,
    },
}

/// Why an image reference cannot be published, and how to fix it.
pub(super) struct Refused {
    /// What is wrong.
    pub(super) message: String,
    /// How to fix it.
    pub(super) help: String,
}

fn refused(message: String, help: impl Into<String>) -> Refused {
    Refused {
        message,
        help: help.into(),
    }
}

const DOWNLOAD: &str =
    "把图片下载下来，放进案例文件夹（cases/案例编号/），再写成 ![图片说明](案例编号/文件名)";

/// Hosts that refuse to serve their images to other sites, with whose they are.
fn blocking_host(host: &str) -> Option<&'static str> {
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if under("qpic.cn") || under("qlogo.cn") {
        Some("微信公众号")
    } else if under("sinaimg.cn") {
        Some("新浪微博")
    } else {
        None
    }
}

/// The host of an absolute address, lower-case, without user and port.
fn host_of(url: &str) -> String {
    let rest = url.split_once("//").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    host.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// Checks an image reference and, for a local file, reads it.
pub(super) fn resolve(url: &str, images: &Images) -> Result<Resolved, Refused> {
    let url = url.trim();
    if url.is_empty() {
        return Err(refused("图片地址是空的".into(), DOWNLOAD));
    }
    let lower = url.to_ascii_lowercase();
    let scheme = super::sanitise::scheme(url);
    if scheme.is_some() || lower.starts_with("//") {
        let host = host_of(url);
        if let Some(owner) = blocking_host(&host) {
            return Err(refused(
                format!(
                    "图片 {url} 在{owner}的图片服务器 {host} 上：它不允许其他网站显示它的图片，读者只会看到空白或“未经允许不可引用”"
                ),
                DOWNLOAD,
            ));
        }
        return match scheme.as_deref() {
            Some("https") => Ok(Resolved::Web),
            Some("http") => Err(refused(
                format!(
                    "图片 {url} 用的是不加密的 http:// 地址：网站是 https 的，浏览器会拦截这张图片"
                ),
                format!("改为 https:// 开头的地址（先在浏览器中确认能打开），或{DOWNLOAD}"),
            )),
            _ => Err(refused(
                format!("图片地址 {url} 不是文件，也不是 https:// 地址"),
                format!("图片只能是案例文件夹中的文件或 https:// 地址：{DOWNLOAD}"),
            )),
        };
    }
    local(url, images)
}

fn local(url: &str, images: &Images) -> Result<Resolved, Refused> {
    let Images::From { root, base, dir } = images else {
        return Err(refused(
            format!("图片 {url}：只有案例摘要可以使用本地图片"),
            "把图片放到网上（https:// 地址）再引用，或删除这张图片",
        ));
    };
    let case = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let in_folder =
        format!("把图片放进案例文件夹 cases/{case}/，再写成 ![图片说明]({case}/文件名)");
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.contains('\\') {
        return Err(refused(
            format!("图片地址 {url} 用了反斜杠 \\"),
            format!("路径中请用 /，如 {case}/图片.png"),
        ));
    }
    if path.starts_with('/') || path.split('/').any(|s| s == "..") {
        return Err(refused(
            format!("图片地址 {url} 指向了案例文件夹以外"),
            in_folder,
        ));
    }
    let disk = base.join(path);
    let rel = match disk.strip_prefix(dir) {
        Ok(r) => r.to_string_lossy().replace('\\', "/"),
        Err(_) => {
            return Err(refused(
                format!("图片 {url} 不在案例文件夹 cases/{case}/ 中"),
                in_folder,
            ))
        }
    };
    if !nofollow::is_there(&disk) {
        let hint = match similar_name(&disk) {
            Some(name) => {
                let written = match path.rsplit_once('/') {
                    Some((folder, _)) => format!("{folder}/{name}"),
                    None => name,
                };
                format!("是否想写 {written}？文件名要与文件完全一致（包括大小写）")
            }
            None => in_folder,
        };
        return Err(refused(format!("找不到图片文件 {url}"), hint));
    }
    if !rel.split('/').all(paths::is_file_name) {
        return Err(refused(
            format!("图片文件名 {url} 含有中文、空格或其他符号"),
            "把文件改名为只含英文字母、数字、- 和 _ 的名字（如 chart-1.png），并同样修改引用",
        ));
    }
    let ext = Path::new(&rel)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp"
    ) {
        return Err(refused(
            format!("图片 {url} 不是网页能显示的图片格式"),
            "请另存为 PNG、JPEG、GIF、SVG 或 WebP 格式",
        ));
    }
    // The SVG screening runs on these same bytes (see `svg::check_bytes`).
    let bytes = nofollow::read(root, &disk).map_err(|r| {
        let d = r.diagnostic();
        refused(
            format!("图片 {url} 无法读取：{}", d.message),
            in_folder.clone(),
        )
    })?;
    Ok(Resolved::Local {
        rel,
        disk,
        bytes: bytes.into(),
    })
}

/// A file beside `missing` whose name differs only in case, or by a letter or two.
fn similar_name(missing: &Path) -> Option<String> {
    let want = missing.file_name()?.to_string_lossy().into_owned();
    let names: Vec<String> = std::fs::read_dir(missing.parent()?)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(&want)) {
        return Some(n.clone());
    }
    let lower = want.to_lowercase();
    names
        .into_iter()
        .map(|n| (strsim::levenshtein(&n.to_lowercase(), &lower), n))
        .filter(|(d, n)| *d <= 2.max(n.chars().count() / 5))
        .min()
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_hosts_are_recognised() {
        for url in [
            "https://mmbiz.qpic.cn/mmbiz_png/x/640",
            "http://mmbiz.qpic.cn/a.jpg",
            "https://wx.qlogo.cn/a",
            "https://WX1.SINAIMG.CN/large/a.jpg",
            "//mmbiz.qpic.cn/a",
        ] {
            let e = resolve(url, &Images::None).err().unwrap();
            assert!(e.message.contains("不允许其他网站"), "{url}: {}", e.message);
        }
        assert!(matches!(
            resolve("https://www.caq.org.cn/a.png", &Images::None),
            Ok(Resolved::Web)
        ));
        assert!(resolve("https://notqpic.cn/a.png", &Images::None).is_ok());
    }

    #[test]
    fn http_and_other_schemes_are_refused() {
        let e = resolve("http://www.caq.org.cn/a.png", &Images::None)
            .err()
            .unwrap();
        assert!(e.message.contains("http://") && e.help.contains("https://"));
        let e = resolve("data:image/png;base64,AAAA", &Images::None)
            .err()
            .unwrap();
        assert!(e.message.contains("不是文件"), "{}", e.message);
    }
}
