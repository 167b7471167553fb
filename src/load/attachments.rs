//! The notice's attachments and downloads in campaign.yaml: Markdown rules
//! published as pages, documents offered for download under their own file names.

use std::collections::BTreeSet;
use std::path::Path;

use super::{nofollow, paths, read, FileCtx};
use crate::diagnostics::Diagnostics;
use crate::model::records::CampaignRecord;
use crate::model::site::{Attachment, AttachmentKind, Source};

/// The notice's attachments: Markdown rules become pages, documents are read
/// once (these bytes are what is published).
pub(super) fn load_attachments(
    root: &Path,
    dir: &Path,
    rec: &CampaignRecord,
    fx: &FileCtx,
    diags: &mut Diagnostics,
) -> Vec<Attachment> {
    let mut attachments = Vec::new();
    let mut slugs = BTreeSet::new();
    // 附件 of the notice first (annexed to the signed text), then the
    // downloads offered beside it (forms); both publish the same way.
    let listed = rec
        .notice
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| ("attachments", i, true, a));
    let offered = rec
        .notice
        .downloads
        .iter()
        .enumerate()
        .map(|(i, a)| ("downloads", i, false, a));
    for (key, i, annexed, a) in listed.chain(offered) {
        let field = format!("notice.{key}[{i}].file");
        let path = match paths::inside(dir, &a.file) {
            Ok(p) => p,
            Err(m) => {
                diags.push(fx.err(&field, m).help(
                    "把文件放在 attachments/ 下，并写相对于本轮文件夹的路径，例如 attachments/form.docx",
                ));
                continue;
            }
        };
        let (is_md, name, slug) = published_name(&path);
        let ok = if is_md {
            paths::is_slug(&slug)
        } else {
            paths::is_file_name(&name)
        };
        if !ok {
            diags.push(fx.err(&field, format!("文件名 `{name}` 不能用在网址中")).help(
                "文件名只用小写英文字母、数字和 -（例如 application-form.docx）；中文名称写在 title 中",
            ));
            continue;
        }
        if !is_md && !paths::is_download_type(&name) {
            diags.push(
                fx.err(&field, format!("`{name}` 不是可以提供下载的文件类型"))
                    .help(format!(
                        "附件请用以下格式之一：{}（HTML 和 SVG 文件会作为网站的一部分运行）",
                        paths::DOWNLOAD_TYPES.join(", ")
                    )),
            );
            continue;
        }
        if !slugs.insert(slug.clone()) {
            diags.push(fx.err(&field, format!("两个附件都会发布为 `{slug}`")));
            continue;
        }
        let kind = if is_md {
            match read(root, &path, diags) {
                Some(text) => AttachmentKind::Page(Source {
                    file: path,
                    text,
                    at: None,
                }),
                None => continue,
            }
        } else {
            // Read now, once: these bytes are what is published (no copy at write time).
            match nofollow::read(root, &path) {
                Ok(bytes) => AttachmentKind::File {
                    path,
                    bytes: bytes.into(),
                },
                Err(r) => {
                    diags.push(r.diagnostic());
                    continue;
                }
            }
        };
        attachments.push(Attachment {
            title: a.title.clone(),
            slug,
            kind,
            annexed,
        });
    }
    attachments
}

/// Whether an attachment is a Markdown page, its file name, and the name it
/// is published under (a page's without `.md`).
fn published_name(path: &Path) -> (bool, String, String) {
    let is_md = path.extension().is_some_and(|e| e == "md");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    let slug = if is_md {
        path.file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned()
    } else {
        name.clone()
    };
    (is_md, name, slug)
}
