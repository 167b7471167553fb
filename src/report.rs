//! Diagnostics for machines: one JSON document, or GitHub Actions annotations
//! (`::error file=…,line=…::…`) so errors show on the commit's diff.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// How `check` and `build` print their problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// 给人看：带出错位置标记，写到标准错误
    #[default]
    Text,
    /// 一份 JSON 文档，写到标准输出
    Json,
    /// GitHub Actions 注释，写到标准输出
    Github,
}

#[derive(Serialize)]
struct Entry<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    moment: Option<String>,
}

impl<'a> From<&'a Diagnostic> for Entry<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Entry {
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            field: d.field.as_deref(),
            message: &d.message,
            help: d.help.as_deref(),
            moment: d.moment.map(|m| m.to_rfc3339()),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    errors: Vec<Entry<'a>>,
    warnings: Vec<Entry<'a>>,
}

/// The JSON document for `problems`, split by severity (both lists empty
/// when the content is fine).
pub fn json(problems: &Diagnostics) -> String {
    let is_error = |d: &&Diagnostic| d.severity == Severity::Error;
    let doc = Document {
        errors: problems.iter().filter(is_error).map(Entry::from).collect(),
        warnings: problems
            .iter()
            .filter(|d| !is_error(d))
            .map(Entry::from)
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// One `::error` or `::warning` workflow command per problem, newline-terminated.
pub fn github(problems: &Diagnostics) -> String {
    let mut out = String::new();
    for d in problems.iter() {
        let mut props = vec![format!("file={}", property(&d.file.display().to_string()))];
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = d.column {
            props.push(format!("col={c}"));
        }
        let title = match &d.field {
            Some(f) => format!("biaogan: {f}"),
            None => "biaogan".to_owned(),
        };
        props.push(format!("title={}", property(&title)));
        let mut text = d.dated_message();
        if let Some(h) = &d.help {
            text.push_str("\n提示：");
            text.push_str(h);
        }
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            data(&text)
        ));
    }
    out
}

/// Escapes a command's message (GitHub's `escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`): also `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_escape_separators_and_data_escapes_newlines() {
        assert_eq!(property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(data("a,b:c%\r\n"), "a,b:c%25%0D%0A");
    }

    #[test]
    fn github_annotation_names_file_line_column_and_field() {
        let d = Diagnostic::new("content/site.yaml", "bad, really: bad")
            .at("x: 1\ny: 2\n", 2, 3)
            .field("y")
            .help("fix it");
        let out = github(&d.into());
        assert_eq!(
            out,
            "::error file=content/site.yaml,line=2,col=3,title=biaogan%3A y::bad, really: bad%0A提示：fix it\n"
        );
    }
}
