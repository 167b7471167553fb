//! Writing values carried over from earlier records back as YAML text.

/// `value` as a YAML scalar that reads back as the same string, for a key
/// indented by `indent` spaces: plain when safe, a `|` block for several lines.
pub(crate) fn scalar(value: &str, indent: usize) -> String {
    if value.contains('\n') && !value.starts_with([' ', '\t', '\n']) {
        let pad = " ".repeat(indent + 2);
        let chomp = if value.ends_with('\n') { "" } else { "-" };
        let mut s = format!("|{chomp}\n");
        for line in value.trim_end_matches('\n').lines() {
            if line.is_empty() {
                s.push('\n');
            } else {
                s.push_str(&format!("{pad}{line}\n"));
            }
        }
        return s.trim_end_matches('\n').to_owned();
    }
    match serde_yaml::to_string(value) {
        Ok(s) if !s.trim_end().contains('\n') => s.trim_end().to_owned(),
        // JSON strings are valid YAML double-quoted scalars.
        _ => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// Every line of `text` as a YAML comment, so that deleting the leading
/// `# ` of each line gives back `text`.
pub(crate) fn commented(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "#".to_owned()
            } else {
                format!("# {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: &str) {
        let doc = format!("a:\n  b: {}\n", scalar(v, 2));
        let parsed: serde_yaml::Value = serde_yaml::from_str(&doc).expect(&doc);
        assert_eq!(parsed["a"]["b"].as_str(), Some(v), "{doc}");
    }

    #[test]
    fn scalars_read_back_unchanged() {
        for v in [
            "中国质协字〔2024〕50号",
            "a: b #c",
            "- x",
            "2024-05-31 24:00",
            "yes",
            "第一段\n\n第二段\n",
            "第一段\n第二段",
            "  缩进\n开头",
            "",
            "null",
            "'引号'",
        ] {
            round_trip(v);
        }
    }
}
