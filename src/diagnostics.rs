//! Errors about the content, carrying where they come from and how to fix them.
//!
//! Every problem found while loading, validating or rendering a site becomes a
//! [`Diagnostic`]; a build collects all of them ([`Diagnostics`]) and reports
//! them together, so an editor fixes a whole batch at once.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use unicode_width::UnicodeWidthStr;

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build fails.
    #[default]
    Error,
    /// Reported, but the build goes on (it fails under `--strict`).
    Warning,
}

/// One problem in the content, with its source location when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it stops the build.
    pub severity: Severity,
    /// The file the problem is in, as the user named it (content dir joined).
    pub file: PathBuf,
    /// 1-based line, when the parser really knows it.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// The field, as a dotted path (`organization.credit_code`).
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source line, kept to draw a snippet under the message.
    pub source_line: Option<String>,
    /// The scheduled moment from which the problem exists; `None` when it exists now.
    pub moment: Option<DateTime<FixedOffset>>,
}

impl Diagnostic {
    /// A problem with a whole file (no position).
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            help: None,
            source_line: None,
            moment: None,
        }
    }

    /// True for a warning (printed; an error only under `--strict`).
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// Makes it a warning: reported, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Names the field the problem is about.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Places the problem at a line and column of `source` (the file's text).
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        if line == 0 {
            return self;
        }
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Places the problem at an optional position.
    pub fn at_opt(self, source: &str, pos: Option<(usize, usize)>) -> Self {
        match pos {
            Some((l, c)) => self.at(source, l, c),
            None => self,
        }
    }

    /// Marks the problem as appearing only from a later scheduled moment.
    pub fn from_moment(mut self, moment: DateTime<FixedOffset>) -> Self {
        self.moment = Some(moment);
        self
    }

    /// The message with the moment it appears at, when it is a later one
    /// (`自2024年9月25日 00:00起：…`).
    pub fn dated_message(&self) -> String {
        match self.moment {
            Some(m) => format!("自{}起：{}", chinese_moment(m), self.message),
            None => self.message.clone(),
        }
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{kind}：{}", self.location())?;
        match &self.field {
            Some(field) => writeln!(f, "：字段 {field}：{}", self.dated_message())?,
            None => writeln!(f, "：{}", self.dated_message())?,
        }
        if let (Some(line), Some(full)) = (self.line, &self.source_line) {
            let (src, column) = window(full, self.column.unwrap_or(1));
            let src = src.as_str();
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {src}")?;
            if let Some(col) = self.column.map(|_| column) {
                // Columns count characters; a CJK character takes two cells on
                // a terminal, so the caret is placed by display width.
                let prefix: String = src.chars().take(col.saturating_sub(1)).collect();
                let rest: String = src.chars().skip(col.saturating_sub(1)).collect();
                let token = rest.split_whitespace().next().unwrap_or("");
                let width = UnicodeWidthStr::width(token).max(1);
                writeln!(
                    f,
                    "{pad} | {}{}",
                    " ".repeat(UnicodeWidthStr::width(prefix.as_str())),
                    "^".repeat(width)
                )?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = 提示：{help}")?;
        }
        Ok(())
    }
}

/// Widest source line drawn whole, in terminal cells; a longer one is cut to
/// a window around the column, so the caret stays on screen.
const WINDOW: usize = 80;

/// The part of `line` shown around 1-based character column `col`, with `…`
/// where it is cut, and the column within it. Widths count a CJK character as two.
fn window(line: &str, col: usize) -> (String, usize) {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = line.chars().collect();
    let w = |c: &char| UnicodeWidthChar::width(*c).unwrap_or(0);
    if chars.iter().map(w).sum::<usize>() <= WINDOW {
        return (line.to_owned(), col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    // About a third of the window before the column, the rest after it.
    let mut start = at;
    let mut before = 0;
    while start > 0 && before + w(&chars[start - 1]) <= WINDOW / 3 {
        start -= 1;
        before += w(&chars[start]);
    }
    let mut end = start;
    let mut width = 0;
    while end < chars.len() && width + w(&chars[end]) <= WINDOW - 4 {
        width += w(&chars[end]);
        end += 1;
    }
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, at - start + 1 + usize::from(start > 0))
}

/// `2024年9月25日 00:00`: a moment as the schedule and messages write it.
pub fn chinese_moment(m: DateTime<FixedOffset>) -> String {
    m.format("%Y年%-m月%-d日 %H:%M").to_string()
}

/// All the problems of one build, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Number of errors (warnings not counted): loaders compare it before and
    /// after a record to know whether the record is usable.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| !d.is_warning()).count()
    }

    /// Adds all problems of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts by file, line and column so reports are reproducible.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }

    /// Splits into (errors, warnings).
    pub fn split(self) -> (Diagnostics, Diagnostics) {
        let (w, e): (Vec<_>, Vec<_>) = self.0.into_iter().partition(Diagnostic::is_warning);
        (Diagnostics(e), Diagnostics(w))
    }

    /// The same problems with every warning made an error (`--strict`).
    pub fn strict(self) -> Diagnostics {
        Diagnostics(
            self.0
                .into_iter()
                .map(|d| Diagnostic {
                    severity: Severity::Error,
                    ..d
                })
                .collect(),
        )
    }

    /// `Ok(value)` when there are no problems, else all of them.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.sort();
            Err(self)
        }
    }

    /// The same problems as errors (`--strict` fails on warnings).
    pub fn as_errors(mut self) -> Diagnostics {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
        self
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        f.write_str(&summary(self))
    }
}

/// `发现 2 个错误、1 个警告`: the closing line of a report.
pub fn summary(d: &Diagnostics) -> String {
    let warnings = d.iter().filter(|d| d.is_warning()).count();
    match (d.len() - warnings, warnings) {
        (0, w) if w > 0 => format!("发现 {w} 个警告"),
        (e, 0) => format!("发现 {e} 个错误"),
        (e, w) => format!("发现 {e} 个错误、{w} 个警告"),
    }
}
