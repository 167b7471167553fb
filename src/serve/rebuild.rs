//! Rebuilding after changes: the whole pipeline, or just the pages a summary
//! edit affects, and what to tell the terminal and the browsers.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::output::{Artifact, Output};
use crate::pipeline::{self, Checked, Loaded, Options};
use crate::plan::{PageKind, Plan};
use crate::render::search::{self, Search};
use crate::render::RenderedPage;

use super::watch::Batch;
use super::{Site, Snapshot};

/// Owns the loaded site between rebuilds and the state the server shows.
pub(super) struct Builder {
    opts: Options,
    /// The content folder as the watcher names it (canonical).
    content_abs: Option<PathBuf>,
    /// The site of the latest build and the plan it was rendered with; kept
    /// only while that build succeeded, since only then can a single page be
    /// re-rendered on top of it.
    current: Option<(Loaded, Plan)>,
    /// The search index of `current`, made once the site is published
    /// ([`Builder::prepare_search`]) and then updated document by document.
    search: Option<Search>,
    /// Pages re-rendered whose search documents [`Builder::finish_search`]
    /// has still to index.
    unindexed: Vec<String>,
    /// An index update failed: the site's index files may lag behind its
    /// pages, so the next edit makes and publishes the whole index.
    index_stale: bool,
    site: Option<Arc<Site>>,
    site_id: u64,
    errors: Arc<Diagnostics>,
}

/// What one rebuild did, for the terminal.
pub(super) struct Report {
    /// `None` for a full build, else the URLs re-rendered.
    pages: Option<Vec<String>>,
    /// The changed files that caused it, as the user names them.
    changed: Vec<String>,
    elapsed: Duration,
    outcome: Outcome,
    /// Whether browsers must hear about it.
    pub publish: bool,
}

enum Outcome {
    /// A new site: its number of pages and files.
    Built { pages: usize, files: usize },
    /// The site is as it was.
    Unchanged,
    /// The previous build failed; this one succeeded with the same site.
    Fixed,
    /// The build failed.
    Failed(Arc<Diagnostics>),
}

impl Builder {
    /// A builder for these options; nothing is built yet.
    pub(crate) fn new(opts: Options) -> Self {
        Builder {
            content_abs: opts.content.canonicalize().ok(),
            opts,
            current: None,
            search: None,
            unindexed: Vec::new(),
            index_stale: false,
            site: None,
            site_id: 0,
            errors: Arc::default(),
        }
    }

    /// What the server shows now.
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            site_id: self.site_id,
            site: self.site.clone(),
            errors: self.errors.clone(),
        }
    }

    /// Loads and renders everything.
    pub(crate) fn full(&mut self) -> Report {
        self.guarded(Vec::new(), |b| (None, b.build_all()))
    }

    /// Rebuilds after the changes of `batch`: only the affected pages when
    /// nothing but case summaries changed, else everything.
    pub(crate) fn apply(&mut self, batch: &Batch) -> Report {
        self.content_abs = self
            .opts
            .content
            .canonicalize()
            .ok()
            .or(self.content_abs.take());
        let changed = batch.paths.iter().map(|p| self.shown(p)).collect();
        self.guarded(changed, |b| {
            let edits = if batch.rescan {
                None
            } else {
                b.summary_edits(&batch.paths)
            };
            match edits {
                Some(edits) => {
                    let (urls, result) = b.rerender(edits);
                    (Some(urls), result)
                }
                None => (None, b.build_all()),
            }
        })
    }

    /// Runs a rebuild, timing it. A panic is a bug in biaogan, but the
    /// preview must outlive it like any content error: it is reported as
    /// one, and the next change rebuilds everything.
    fn guarded(
        &mut self,
        changed: Vec<String>,
        rebuild: impl FnOnce(&mut Builder) -> (Option<Vec<String>>, (Outcome, bool)),
    ) -> Report {
        let started = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| rebuild(&mut *self)));
        let (pages, (outcome, publish)) = result.unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "程序崩溃".into());
            self.current = None;
            let d = Diagnostic::new(
                &self.opts.content,
                format!("生成网站时发生内部错误（{what}）"),
            )
            .help("这是 biaogan 的程序错误，请连同引起它的修改一起报告");
            (None, self.failed(d.into()))
        });
        Report {
            pages,
            changed,
            elapsed: started.elapsed(),
            outcome,
            publish,
        }
    }

    /// The pipeline of `build` (that of `check`), in memory.
    fn build_all(&mut self) -> (Outcome, bool) {
        self.search = None;
        self.unindexed.clear();
        self.index_stale = false;
        match pipeline::check_keeping(&self.opts) {
            Ok(Checked {
                loaded,
                plan,
                output,
            }) => {
                // Warnings do not stop the preview; the terminal shows them as `check` does.
                if !loaded.site.warnings.is_empty() {
                    eprintln!("{}", loaded.site.warnings);
                }
                self.current = Some((loaded, plan));
                let pages = output.keys().filter(|k| k.ends_with(".html")).count();
                let files = output.len();
                self.succeeded(into_site(output), Outcome::Built { pages, files })
            }
            Err(d) => {
                self.current = None;
                self.failed(d)
            }
        }
    }

    /// Case summaries that changed, with their new text, when they are all
    /// that changed; `None` when a full build is needed.
    ///
    /// Editors save through temporary files and backups beside the file
    /// (`.alpha.md.swp`, `alpha.md~`, `alpha.md.tmp`), gone by the time the
    /// events arrive; such vanished files do not stand in the way, unless the
    /// loader may have read them (records, summaries, image folders).
    fn summary_edits(&self, paths: &BTreeSet<PathBuf>) -> Option<Vec<(PathBuf, String)>> {
        if !self.errors.is_empty() {
            return None;
        }
        let (loaded, _) = self.current.as_ref()?;
        let content_abs = self.content_abs.as_ref()?;
        let mut edits = Vec::new();
        let mut vanished = Vec::new();
        for p in paths {
            let file = self.opts.content.join(p.strip_prefix(content_abs).ok()?);
            if p.is_file() && reads_summary(loaded, &file) {
                // Read as the loader reads (no link, UTF-8, no control character,
                // no placeholder); anything refused is left to the full build,
                // which reports it without the contents.
                let text = crate::load::read_file(&loaded.site.root, &file).ok()?;
                edits.push((file, text));
            } else if !p.exists() && p.symlink_metadata().is_err() {
                vanished.push(file);
            } else {
                return None;
            }
        }
        let harmless = |f: &PathBuf| {
            let record = f.extension().is_some_and(|e| e == "yaml" || e == "yml");
            let beside_an_edit = edits.iter().any(|(e, _)| e.parent() == f.parent());
            !record && beside_an_edit && !reads_summary(loaded, f) && !in_assets(loaded, f)
        };
        (!edits.is_empty() && vanished.iter().all(harmless)).then_some(edits)
    }

    /// Replaces summaries and re-renders the pages showing them on top of the current site.
    fn rerender(&mut self, edits: Vec<(PathBuf, String)>) -> (Vec<String>, (Outcome, bool)) {
        let Some((loaded, plan)) = self.current.as_mut() else {
            return (Vec::new(), self.build_all());
        };
        let mut cases = BTreeSet::new();
        for (file, text) in edits {
            // What the sanitiser removes, printed as a full build prints it.
            let source = crate::model::site::Source {
                file,
                text,
                at: None,
            };
            let warnings = crate::render::markdown::warnings(&source);
            if !warnings.is_empty() {
                eprintln!("{}", Diagnostics(warnings));
            }
            cases.extend(loaded.replace_summary(&source.file, &source.text));
        }
        let pages: Vec<_> = plan
            .pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::Case(ci, i) if cases.contains(&(ci, i))))
            .collect();
        let urls: Vec<String> = pages.iter().map(|p| p.url.clone()).collect();
        let renderer = match loaded.renderer(&self.opts, plan) {
            Ok(r) => r,
            Err(d) => {
                self.current = None;
                return (urls, self.failed(d));
            }
        };
        let mut site: Site = self.site.as_deref().cloned().unwrap_or_default();
        let mut diags = Diagnostics::default();
        let mut scans = BTreeMap::new();
        for page in pages {
            match renderer.render_page(page) {
                Ok(RenderedPage { files, scan }) => {
                    scans.insert(page.path.clone(), scan);
                    // The page's folder holds only its own files (index.html and its images).
                    let dir = page.url.trim_start_matches('/');
                    if dir.ends_with('/') {
                        site.retain(|k, _| !k.starts_with(dir));
                    }
                    for (k, a) in files {
                        site.insert(Arc::from(k), Arc::new(a));
                    }
                }
                Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
            }
        }
        drop(renderer);
        // The link check of `check`, for the re-rendered pages only, on the
        // scans the renderer made: their links must reach a file of the site,
        // and their own anchors. Other pages are not parsed again (that would
        // cost as much as a full build on a large site), so links from these
        // pages to other pages' anchors are left to the next full build.
        if diags.is_empty() {
            if let Err(d) = links::check_scans(&scans, &|k| site.contains_key(k)) {
                diags.extend(d);
            }
        }
        let result = match diags.into_result(()) {
            Ok(()) => {
                self.unindexed.extend(urls.iter().cloned());
                self.succeeded(
                    site,
                    Outcome::Built {
                        pages: urls.len(),
                        files: 0,
                    },
                )
            }
            Err(d) => {
                // The next change rebuilds everything: the loaded site now holds the broken text.
                self.current = None;
                self.failed(d)
            }
        };
        (urls, result)
    }

    /// Brings the search index up to the pages the last rebuild
    /// re-rendered, after they were published. A summary has terms in
    /// nearly every shard, so this regathers most of the index (about 0.3 s
    /// at 5,000 cases): the edited page is shown first, and its search
    /// results follow. Returns whether there
    /// is a new snapshot to publish; it keeps the site's number, so open
    /// pages are not reloaded a second time.
    pub(crate) fn finish_search(&mut self) -> bool {
        // As in `guarded`: a bug must not end the preview. The index is
        // made again from scratch at the next edit.
        panic::catch_unwind(AssertUnwindSafe(|| self.index_unindexed())).unwrap_or_else(|_| {
            self.search = None;
            self.index_stale = true;
            false
        })
    }

    /// Makes the search index of the current site when there is none (at
    /// start-up and after a full rebuild), so that a summary edit only
    /// updates it: the whole index takes about a second at 5,000 cases, and
    /// an edit saved while the first edit made it waited that long. Call
    /// it once the site is published; it publishes nothing, the built site
    /// already holds these index files (unless an update failed: then the
    /// next edit makes the index and publishes all of it).
    pub(crate) fn prepare_search(&mut self) {
        let Some((loaded, plan)) = self.current.as_ref() else {
            return;
        };
        if self.search.is_none() && !self.index_stale {
            // As in `finish_search`: a bug leaves the index to the next edit.
            let built = panic::catch_unwind(AssertUnwindSafe(|| Search::build(&loaded.site, plan)));
            self.search = built.ok();
        }
    }

    fn index_unindexed(&mut self) -> bool {
        let urls = std::mem::take(&mut self.unindexed);
        let (Some((loaded, plan)), Some(site)) = (self.current.as_ref(), self.site.as_deref())
        else {
            return false;
        };
        if urls.is_empty() {
            return false;
        }
        let (whole, files) = match self.search.as_mut() {
            Some(s) => s.update(&loaded.site, plan, &urls),
            None => {
                let s = self.search.insert(Search::build(&loaded.site, plan));
                (true, s.files())
            }
        };
        self.index_stale = false;
        let mut site = site.clone();
        if whole {
            site.retain(|k, _| !search::is_index_file(k));
        }
        for (k, bytes) in files {
            site.insert(Arc::from(k), Arc::new(Artifact::Bytes(bytes)));
        }
        self.site = Some(Arc::new(site));
        true
    }

    fn succeeded(&mut self, site: Site, built: Outcome) -> (Outcome, bool) {
        let was_failing = !self.errors.is_empty();
        self.errors = Arc::default();
        if self.site.as_deref() == Some(&site) {
            // Nothing to reload; only an overlay to remove.
            return if was_failing {
                (Outcome::Fixed, true)
            } else {
                (Outcome::Unchanged, false)
            };
        }
        self.site = Some(Arc::new(site));
        self.site_id += 1;
        (built, true)
    }

    fn failed(&mut self, d: Diagnostics) -> (Outcome, bool) {
        let changed = *self.errors != d;
        self.errors = Arc::new(d);
        (Outcome::Failed(self.errors.clone()), changed)
    }

    /// A watched path as the user knows it: under the content folder as given.
    fn shown(&self, p: &Path) -> String {
        let rel = self
            .content_abs
            .as_ref()
            .and_then(|c| p.strip_prefix(c).ok().map(|r| self.opts.content.join(r)));
        let theme = || {
            let base = self.content_abs.as_ref()?.parent()?;
            p.strip_prefix(base).ok().map(Path::to_path_buf)
        };
        rel.or_else(theme)
            .unwrap_or_else(|| p.to_path_buf())
            .display()
            .to_string()
    }
}

fn into_site(output: Output) -> Site {
    output
        .into_iter()
        .map(|(k, a)| (Arc::from(k), Arc::new(a)))
        .collect()
}

fn reads_summary(loaded: &Loaded, file: &Path) -> bool {
    loaded.site.campaigns.iter().any(|c| {
        c.cases
            .iter()
            .any(|k| k.summary.as_ref().is_some_and(|s| s.file == file))
    })
}

fn in_assets(loaded: &Loaded, file: &Path) -> bool {
    loaded
        .site
        .campaigns
        .iter()
        .any(|c| c.cases.iter().any(|k| file.starts_with(&k.assets_dir)))
}

impl Report {
    /// Prints one line (and the errors, when the build failed) to standard error.
    pub(crate) fn print(&self) {
        let clock = chrono::Local::now().format("%H:%M:%S");
        let ms = self.elapsed.as_secs_f64() * 1000.0;
        let cause = match self.changed.as_slice() {
            [] => String::new(),
            [one] => format!("（{one} 有改动）"),
            [one, rest @ ..] => format!("（{one} 等 {} 个文件有改动）", rest.len() + 1),
        };
        let what = match &self.pages {
            None if self.changed.is_empty() => "生成完成".to_owned(),
            None => "重新生成完成".to_owned(),
            Some(urls) if urls.is_empty() => {
                "没有页面需要重新生成（这篇经验总结尚未公开）".to_owned()
            }
            Some(urls) => format!("已重新生成 {}", urls.join("、")),
        };
        match &self.outcome {
            Outcome::Built { pages, files } if self.pages.is_none() => eprintln!(
                "[{clock}] {what}：{pages} 个页面（共 {files} 个文件），用时 {ms:.0} 毫秒{cause}"
            ),
            Outcome::Built { .. } => {
                eprintln!("[{clock}] {what}，用时 {ms:.1} 毫秒{cause}")
            }
            Outcome::Unchanged => {
                eprintln!("[{clock}] {what}，用时 {ms:.0} 毫秒，网站没有变化{cause}")
            }
            Outcome::Fixed => {
                eprintln!("[{clock}] 错误已修正：{what}，用时 {ms:.0} 毫秒，网站与之前相同{cause}")
            }
            Outcome::Failed(d) => {
                eprintln!("{d}");
                eprintln!(
                    "[{clock}] 生成失败，用时 {ms:.0} 毫秒{cause}；浏览器中会显示错误，仍在提供上一次成功生成的网站"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The index made once the site is published is the one the site holds,
    /// so that a summary edit only updates it.
    #[test]
    fn the_prepared_index_is_the_published_one() {
        let mut opts = Options::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        opts.now = crate::model::dates::parse_date("2025-01-01")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0));
        let mut b = Builder::new(opts);
        b.full();
        assert!(b.search.is_none());
        b.prepare_search();
        let files = b.search.as_ref().expect("an index").files();
        let site = b.site.as_deref().expect("a site");
        assert!(files.len() > 2);
        for (path, bytes) in files {
            match site.get(path.as_str()).map(|a| &**a) {
                Some(Artifact::Bytes(published)) => assert!(*published == bytes, "{path}"),
                _ => panic!("{path} is not published"),
            }
        }
        // Nothing was edited: nothing to publish again.
        assert!(!b.finish_search());
    }
}
