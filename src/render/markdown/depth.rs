//! Nesting limits: a hostile file with thousands of nested block quotes,
//! lists or HTML elements is refused before the parser and the sanitiser
//! spend quadratic time on it.

/// Deepest nesting accepted. Real documents stay below ten; the sanitiser's
/// work grows with the square of the depth, so a hostile file is refused.
pub(super) const MAX_DEPTH: usize = 200;

/// The first line where block quotes or raw HTML elements nest too deeply.
pub(super) fn too_deep(text: &str) -> Option<(usize, &'static str)> {
    let mut html_depth: usize = 0;
    for (i, line) in text.lines().enumerate() {
        if container_depth(line) > MAX_DEPTH {
            return Some((i + 1, "引用和列表"));
        }
        let b = line.as_bytes();
        // `match_indices` finds `<` with a fast byte search: most lines of
        // a summary have none, and this runs over every document twice.
        for (j, _) in line.match_indices('<') {
            if j + 1 < b.len() {
                if b[j + 1] == b'/' {
                    html_depth = html_depth.saturating_sub(1);
                } else if b[j + 1].is_ascii_alphabetic() {
                    let name: String = line[j + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    const VOID: [&str; 14] = [
                        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "param", "source", "track", "wbr",
                    ];
                    if VOID.contains(&name.as_str()) {
                        continue;
                    }
                    html_depth += 1;
                    if html_depth > MAX_DEPTH {
                        return Some((i + 1, "HTML 标签"));
                    }
                }
            }
        }
    }
    None
}

/// An upper bound on the block quotes and list items open on `line`: its
/// leading `>` and list markers, plus half its indentation (a nested item is
/// indented at least two columns per level, so depth built up over several
/// lines shows as indentation).
fn container_depth(line: &str) -> usize {
    let b = line.as_bytes();
    let (mut markers, mut columns, mut i) = (0, 0, 0);
    while i < b.len() {
        match b[i] {
            b' ' => columns += 1,
            b'\t' => columns += 4,
            b'>' => markers += 1,
            b'-' | b'+' | b'*' if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => markers += 1,
            b'0'..=b'9' => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let after = b.get(i + digits);
                if digits <= 9
                    && matches!(after, Some(b'.' | b')'))
                    && matches!(b.get(i + digits + 1), None | Some(b' ' | b'\t'))
                {
                    markers += 1;
                    i += digits + 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
        i += 1;
    }
    markers + columns / 2
}
