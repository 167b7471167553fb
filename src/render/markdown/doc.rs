//! One document being rendered: where it is, how offsets become lines and
//! columns, and the errors and warnings found in it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::images::{self, Resolved};
use super::indent::Prepared;
use super::Images;
use crate::diagnostics::Diagnostic;
use crate::links::Place;
use crate::load::svg;

/// A warning before repeats are collapsed.
struct Note {
    offset: usize,
    message: String,
    help: String,
    count: usize,
}

/// A document with its findings.
pub(super) struct Doc<'a> {
    pub(super) file: &'a Path,
    original: &'a str,
    pub(super) prepared: Prepared,
    /// Whether offsets are lines of `file` (false for Markdown held in a YAML value).
    positioned: bool,
    /// For Markdown held in a YAML value: where the value is in `file`.
    held_at: Option<(usize, usize)>,
    images: Option<&'a Images<'a>>,
    pub(super) errors: Vec<Diagnostic>,
    /// Warnings by kind (`<iframe>`, `style=`), one per kind and file.
    notes: BTreeMap<String, Note>,
    /// Images to publish beside the page.
    pub(super) published: Vec<(String, Arc<[u8]>)>,
    /// Every link and image address with where it was written.
    pub(super) origins: Vec<(String, Place)>,
}

impl<'a> Doc<'a> {
    /// A document of `file`; `images` is `None` when only warnings are wanted.
    pub(super) fn new(
        file: &'a Path,
        original: &'a str,
        prepared: Prepared,
        images: Option<&'a Images<'a>>,
    ) -> Self {
        Doc {
            file,
            original,
            prepared,
            positioned: !file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e == "yml"),
            held_at: None,
            images,
            errors: Vec::new(),
            notes: BTreeMap::new(),
            published: Vec::new(),
            origins: Vec::new(),
        }
    }

    /// Places everything found in Markdown held in a YAML value at that value.
    pub(super) fn held_at(mut self, at: Option<(usize, usize)>) -> Self {
        self.held_at = at;
        self
    }

    /// Where byte `offset` of the prepared text was written.
    pub(super) fn place(&self, offset: usize) -> Place {
        if !self.positioned {
            // The YAML value's position; its own line is not shown (it may
            // sit beside others, and the value can span lines).
            return Place {
                position: self.held_at,
                ..Place::file(self.file)
            };
        }
        let (line, column) = self.prepared.position(offset);
        Place {
            file: self.file.to_path_buf(),
            position: Some((line, column)),
            source_line: self
                .prepared
                .source_line(self.original, line)
                .map(str::to_owned),
        }
    }

    fn diagnostic(&self, offset: usize, message: String, help: String) -> Diagnostic {
        let place = self.place(offset);
        let mut d = Diagnostic::new(self.file, message).help(help);
        if let Some((line, column)) = place.position {
            d.line = Some(line);
            d.column = Some(column);
            d.source_line = place.source_line;
        }
        d
    }

    /// Records an error at `offset`.
    pub(super) fn error(&mut self, offset: usize, message: String, help: String) {
        let d = self.diagnostic(offset, message, help);
        self.errors.push(d);
    }

    /// Records a warning of kind `key`; repeats of a kind are counted, not repeated.
    pub(super) fn warn(&mut self, key: &str, offset: usize, message: String, help: &str) {
        self.notes
            .entry(key.to_owned())
            .and_modify(|n| n.count += 1)
            .or_insert(Note {
                offset,
                message,
                help: help.to_owned(),
                count: 1,
            });
    }

    /// The warnings, one per kind, at the first place of each.
    pub(super) fn warnings(&mut self) -> Vec<Diagnostic> {
        let notes = std::mem::take(&mut self.notes);
        notes
            .into_values()
            .map(|n| {
                let message = match n.count {
                    1 => n.message,
                    c => format!("{}（本文件共 {c} 处，这里是第一处）", n.message),
                };
                self.diagnostic(n.offset, message, n.help).warning()
            })
            .collect()
    }

    /// Records a link written at `offset`, for the link check.
    pub(super) fn link(&mut self, url: &str, offset: usize) {
        let place = self.place(offset);
        self.origins.push((url.to_owned(), place));
    }

    /// Resolves an image address written at `offset`: the address to publish,
    /// or `None` after recording the error (always `None` when only warnings are wanted).
    pub(super) fn image(&mut self, url: &str, offset: usize) -> Option<String> {
        let images = self.images?;
        match images::resolve(url, images) {
            Ok(Resolved::Web) => Some(url.trim().to_owned()),
            Ok(Resolved::Local { rel, disk, bytes }) => {
                if !self.published.iter().any(|(r, _)| *r == rel) {
                    if rel.to_ascii_lowercase().ends_with(".svg") {
                        let place = self.place(offset);
                        let used_at = match place.position {
                            Some((line, _)) => format!("{}:{line}", self.file.display()),
                            None => self.file.display().to_string(),
                        };
                        self.errors
                            .extend(svg::check_bytes(&disk, &bytes, &used_at));
                    }
                    self.published.push((rel.clone(), bytes));
                }
                Some(rel)
            }
            Err(r) => {
                self.error(offset, r.message, r.help);
                None
            }
        }
    }
}
