//! Whether a message an editor reads is written in Chinese.

/// Words that name biaogan and its commands (`运行 biaogan new case 2025`):
/// program and command names, not English prose.
const COMMAND_WORDS: &[&str] = &[
    "biaogan",
    "build",
    "check",
    "schedule",
    "serve",
    "new",
    "round",
    "case",
    "event",
    "revocation",
    "help",
];

/// Markers after which a parenthesis holds another program's own words
/// (the operating system's, the template engine's), which follow a Chinese
/// sentence that already says what is wrong.
const FOREIGN_TEXT: &[&str] = &["系统信息：", "模板引擎的说明："];

/// Panics unless `text` is Chinese: it contains CJK characters and no run of
/// three or more English words.
///
/// Allowed inside Chinese text, because editors type them or see them
/// elsewhere as they are: text in backticks (keys and values quoted as
/// written in the YAML), option names (`--content`), file names and paths
/// (`site.yaml`, `campaigns/2024/`), URLs, numbers and dates, keys such as
/// `base_url` or `organization.credit_code` (anything with a digit, `.`,
/// `/`, `_`, `-`, `:`, `=`, `<` or `>` in it is not a word), biaogan's
/// command names ([`COMMAND_WORDS`]), up to two English words in a row
/// (`GitHub Actions`, `Ctrl-C`), and the words of another program in
/// parentheses after `系统信息：` or `模板引擎的说明：`.
pub(crate) fn assert_chinese(text: &str) {
    if let Err(why) = check_chinese(text) {
        panic!("not Chinese ({why}):\n{text}");
    }
}

/// [`assert_chinese`] as a result: the reason it is not Chinese.
pub(crate) fn check_chinese(text: &str) -> Result<(), String> {
    if !text.chars().any(is_cjk) {
        return Err("no Chinese character".into());
    }
    let text = without_foreign_text(&without_backticks(text));
    for segment in text.split(|c: char| !c.is_ascii()) {
        let mut run = Vec::new();
        for token in segment.split_whitespace() {
            let word = token.trim_matches(|c: char| ",.;:!?'\"()[]{}".contains(c));
            let english = !word.is_empty()
                && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
                && !token.starts_with('-')
                && !COMMAND_WORDS.contains(&word.to_ascii_lowercase().as_str());
            if english {
                run.push(word);
                if run.len() >= 3 {
                    return Err(format!("English words: {}", run.join(" ")));
                }
            } else {
                run.clear();
            }
            // A sentence break ends a run too (`foo. Bar`).
            if token.ends_with(['.', ';', ':', '!', '?']) {
                run.clear();
            }
        }
    }
    Ok(())
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The text with every `` `…` `` span replaced by a space.
fn without_backticks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match (c, inside) {
            ('`', _) => {
                inside = !inside;
                out.push(' ');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

/// The text without the parenthesised words of another program.
fn without_foreign_text(text: &str) -> String {
    let mut out = text.to_owned();
    for marker in FOREIGN_TEXT {
        while let Some(at) = out.find(marker) {
            let start = at + marker.len();
            // Up to the closing full-width parenthesis that matches, or the line's end.
            let mut depth = 0;
            let mut end = out[start..].find('\n').map_or(out.len(), |i| start + i);
            for (i, c) in out[start..].char_indices() {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' if depth == 0 => {
                        end = start + i;
                        break;
                    }
                    '）' | ')' => depth -= 1,
                    '\n' => break,
                    _ => {}
                }
            }
            out.replace_range(at..end, " ");
        }
    }
    out
}

#[test]
fn english_sentences_are_caught_and_names_are_not() {
    for ok in [
        "内容文件夹 content 不存在",
        "请用 --content 指向存放 site.yaml 的文件夹",
        "字段 organization.credit_code：`ABC is not valid` 不对",
        "预览地址：http://127.0.0.1:1111/ （按 Ctrl-C 停止）",
        "运行 biaogan new case 2025 hx-auto-parts",
        "写入失败（系统信息：Permission denied (os error 13)）",
        "GitHub Actions 注释",
    ] {
        assert_eq!(check_chinese(ok), Ok(()), "{ok}");
    }
    for bad in [
        "the content folder does not exist",
        "错误：the content folder does not exist",
        "字段 stage：unknown variant `已通过`, expected one of",
        "模板有错误（Variable not found in context）",
    ] {
        assert!(check_chinese(bad).is_err(), "{bad}");
    }
}
