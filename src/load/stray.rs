//! Files an editor meant as content but biaogan would not read: Windows hides
//! extensions, so a record saved as `nm-dairy.yaml.txt` or `nm-dairy.Yaml`
//! looks right in Explorer and would silently drop off the site.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// An error for a file whose name shows it was meant as a record (`.yaml`) or
/// Markdown (`.md`) file but is not named so; `None` for any other file.
pub(super) fn misnamed(path: &Path) -> Option<Diagnostic> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    for (ext, kind) in [
        (".yaml.txt", "记录"),
        (".yml.txt", "记录"),
        (".md.txt", "Markdown 文本"),
    ] {
        if lower.ends_with(ext) {
            let base = &name[..name.len() - ext.len()];
            let right = if kind == "记录" {
                format!("{base}.yaml")
            } else {
                format!("{base}.md")
            };
            return Some(
                Diagnostic::new(
                    path,
                    format!("`{name}` 不会被读取：它看起来是一个{kind}文件，但文件名以 .txt 结尾"),
                )
                .help(format!(
                    "Windows 隐藏了扩展名：把文件改名为 {right}（在资源管理器中勾选“查看 → 文件扩展名”可看到完整文件名）"
                )),
            );
        }
    }
    let (base, ext) = name.rsplit_once('.')?;
    let (kind, right) = match ext {
        "yaml" | "md" => return None,
        e if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => ("记录", "yaml"),
        e if e.eq_ignore_ascii_case("md") => ("Markdown 文本", "md"),
        _ => return None,
    };
    Some(
        Diagnostic::new(
            path,
            format!("`{name}` 不会被读取：它看起来是一个{kind}文件，但扩展名不是小写的 .{right}"),
        )
        .help(format!("把文件改名为 {base}.{right}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(name: &str) -> Option<String> {
        misnamed(Path::new(name)).and_then(|d| d.help)
    }

    #[test]
    fn names_the_right_file_name() {
        assert!(fix("nm-dairy.yaml.txt")
            .unwrap()
            .contains("改名为 nm-dairy.yaml"));
        assert!(fix("nm-dairy.YAML.TXT")
            .unwrap()
            .contains("改名为 nm-dairy.yaml"));
        assert!(fix("nm-dairy.yml")
            .unwrap()
            .contains("改名为 nm-dairy.yaml"));
        assert!(fix("nm-dairy.Yaml")
            .unwrap()
            .contains("改名为 nm-dairy.yaml"));
        assert!(fix("nm-dairy.md.txt")
            .unwrap()
            .contains("改名为 nm-dairy.md"));
        assert!(fix("nm-dairy.MD").unwrap().contains("改名为 nm-dairy.md"));
    }

    #[test]
    fn leaves_other_files_alone() {
        for name in [
            "a.yaml",
            "a.md",
            "arch.svg",
            "form.docx",
            "notes.txt",
            "Thumbs.db",
            "x",
        ] {
            assert!(misnamed(Path::new(name)).is_none(), "{name}");
        }
    }
}
