//! Values the theme writes into HTML attributes (`<html lang>`, `mailto:`
//! and web links): escaping keeps them inert, but a quote, space or angle
//! bracket still makes an invalid page and a broken link, so such values are
//! refused where they are written.

/// Why `url` (already known to start with http:// or https://) cannot be a
/// link, or `None` when it can.
pub(super) fn address_problem(url: &str) -> Option<String> {
    let bad = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(*c))?;
    Some(format!(
        "网址 {url} 中有不能出现在网址里的字符“{}”",
        shown(bad)
    ))
}

/// Why `email` cannot be a `mailto:` link, or `None` when it can.
pub(super) fn email_problem(email: &str) -> Option<String> {
    let ok_local = |c: char| c.is_ascii_alphanumeric() || ".!#$%&*+/=?^_{|}~-".contains(c);
    let ok_domain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let Some((local, domain)) = email.split_once('@') else {
        return Some(format!("邮箱 {email} 中没有 @"));
    };
    let bad = local
        .chars()
        .find(|c| !ok_local(*c))
        .or_else(|| domain.chars().find(|c| !ok_domain(*c)));
    match bad {
        Some(c) => Some(format!(
            "邮箱 {email} 中有不能出现在邮箱地址里的字符“{}”",
            shown(c)
        )),
        None if local.is_empty() || !domain.contains('.') => Some(format!("邮箱 {email} 不完整")),
        None => None,
    }
}

/// Why `lang` is not a language tag such as `zh-CN`, or `None` when it is.
pub(super) fn language_problem(lang: &str) -> Option<String> {
    let mut parts = lang.split('-');
    let first = parts.next().unwrap_or("");
    let first_ok = (2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    (!(first_ok && rest_ok)).then(|| format!("{lang} 不是语言代码"))
}

fn shown(c: char) -> String {
    match c {
        ' ' => "空格".into(),
        '\u{3000}' => "全角空格".into(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_spaces_and_brackets_are_refused() {
        assert!(address_problem("https://example.org/a?b=1&c=%20").is_none());
        assert!(address_problem("https://example.org/?x=\"><script>")
            .unwrap()
            .contains("“\"”"));
        assert!(address_problem("https://example.org/a b")
            .unwrap()
            .contains("空格"));
        assert!(email_problem("qmb@caq.org.cn").is_none());
        assert!(email_problem("a@b.org\"><script>").is_some());
        assert!(email_problem("qmb@caq").is_some());
        assert!(language_problem("zh-CN").is_none() && language_problem("zh-Hans-CN").is_none());
        assert!(language_problem("zh-CN\" onmouseover=\"x").is_some());
        assert!(language_problem("中文").is_some());
    }
}
