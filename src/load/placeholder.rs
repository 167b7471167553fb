//! Template placeholders (`【待填写：…】`) that `biaogan new` writes: a file that
//! still holds one is refused, so nothing half-made is ever published.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The start of every placeholder; the templates use `【待填写：说明】`.
pub const MARKER: &str = "【待填写";

/// An error at the first placeholder left in `text`, naming the lines of all
/// of them; `None` when there is none. YAML comments may mention the marker.
pub fn check(path: &Path, text: &str) -> Option<Diagnostic> {
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = if yaml { strip_comment(line) } else { line };
        if let Some(byte) = content.find(MARKER) {
            let column = content[..byte].chars().count() + 1;
            found.push((i + 1, column, key_of(content)));
        }
    }
    let (line, column, key) = found.first()?.clone();
    let lines: Vec<String> = found.iter().map(|(l, ..)| l.to_string()).collect();
    let what = if key.is_empty() {
        String::new()
    } else {
        format!("`{key}` ")
    };
    let mut d = Diagnostic::new(
        path,
        format!(
            "占位内容未填写：{what}还是模板中的“{MARKER}…】”（共 {} 处，在第 {} 行）",
            found.len(),
            lines.join("、")
        ),
    )
    .help("把每一处“【待填写：…】”（连同括号）换成真实内容；不需要的可选项整行删除。改完再运行 biaogan check");
    // Position only: the line itself may lie in a `confidential:` block.
    d.line = Some(line);
    d.column = Some(column);
    Some(d)
}

/// The line without a trailing `# comment` (a `#` at the start or after a
/// space, outside quotes, as YAML reads it).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return &line[..i],
            None => {}
        }
        prev = c;
    }
    line
}

/// The mapping key on the line (`name` in `  name: …`), or "".
fn key_of(line: &str) -> String {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    match t.split_once(':') {
        Some((k, _)) if !k.contains(MARKER) && !k.trim().is_empty() => {
            k.trim().trim_start_matches('{').trim().to_owned()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_placeholder_outside_comments() {
        let text = "# 把【待填写：…】换掉\ntitle: 【待填写：标题】\nnumber: 文号 # 【待填写】\nurl: '#x 【待填写：网址】'\n";
        let d = check(Path::new("a.yaml"), text).expect("placeholders found");
        assert_eq!((d.line, d.column), (Some(2), Some(8)));
        assert!(d.message.contains("占位内容未填写"), "{}", d.message);
        assert!(d.message.contains("`title`"), "{}", d.message);
        assert!(d.message.contains("共 2 处，在第 2、4 行"), "{}", d.message);
        assert!(d.source_line.is_none());
    }

    #[test]
    fn markdown_has_no_comments_and_filled_files_pass() {
        assert!(check(Path::new("a.md"), "# 【待填写：正文】\n").is_some());
        assert!(check(Path::new("a.yaml"), "title: 标题 # 说明\n").is_none());
        assert!(check(Path::new("a.md"), "正文\n").is_none());
    }
}
