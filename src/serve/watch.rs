//! Watching the content folder and the themes for changes.
//!
//! notify reports file-system events and notify-debouncer-full groups each
//! save's events (an atomic save is a create, a write and a rename); batches
//! that keep coming close together (a burst of saves, a `git checkout`) are
//! then merged here into one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::ServeError;

/// How long a path must be quiet before its events are reported.
const DEBOUNCE: Duration = Duration::from_millis(12);
/// How long to wait for more batches before rebuilding: longer than the
/// debouncer's tick (a quarter of `DEBOUNCE`), so that one burst reported
/// over several ticks still makes one rebuild.
const SETTLE: Duration = Duration::from_millis(6);

/// Paths that changed, from one or more debounced batches.
#[derive(Debug, Default)]
pub(super) struct Batch {
    /// Changed files and folders, under the content folder or the themes.
    pub paths: BTreeSet<PathBuf>,
    /// The watcher may have missed events: only a full rebuild is safe.
    pub rescan: bool,
}

impl Batch {
    fn merge(&mut self, other: Batch) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
    }
}

/// A folder watched recursively for as long as it exists.
struct Root {
    path: PathBuf,
    watched: bool,
}

/// The watcher of the content folder and of the themes folder beside it.
pub(super) struct Watch {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    roots: Vec<Root>,
}

impl Watch {
    /// Watches `content` and `../themes`, sending each batch of changes to `tx`.
    ///
    /// The folder holding both is watched too (not recursively), so that a
    /// content or themes folder created, deleted or replaced later is noticed.
    pub(crate) fn start(content: &Path, tx: Sender<Batch>) -> Result<Watch, ServeError> {
        let content = content.canonicalize().map_err(|e| {
            ServeError::Io(format!(
                "无法监视文件夹 {} 的变化（系统信息：{e}）",
                content.display()
            ))
        })?;
        let parent = content.parent().map(Path::to_path_buf);
        let mut roots = vec![content];
        if let Some(p) = &parent {
            roots.push(p.join("themes"));
        }
        let filter: Vec<PathBuf> = roots.clone();
        let handler = move |result: DebounceEventResult| {
            let mut batch = Batch::default();
            match result {
                Ok(events) => {
                    for e in events {
                        batch.rescan |= e.need_rescan();
                        // Reading files (the build itself, a served image) must not cause a rebuild.
                        if matches!(e.kind, EventKind::Access(_)) {
                            continue;
                        }
                        let relevant = e
                            .paths
                            .iter()
                            .filter(|p| filter.iter().any(|r| p.starts_with(r)));
                        batch.paths.extend(relevant.cloned());
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("警告：监视文件变化时出错（系统信息：{e}），将整体重新生成");
                    }
                    batch.rescan = true;
                }
            }
            if batch.rescan || !batch.paths.is_empty() {
                // Fails only when the rebuild thread is gone, i.e. the server is stopping.
                let _ = tx.send(batch);
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler)
            .map_err(|e| ServeError::Io(format!("无法监视文件变化（系统信息：{e}）")))?;
        if let Some(p) = &parent {
            if let Err(e) = debouncer.watch(p, RecursiveMode::NonRecursive) {
                eprintln!(
                    "警告：无法监视文件夹 {}（系统信息：{e}）；之后新建的内容或主题文件夹不会被发现",
                    p.display()
                );
            }
        }
        let mut watch = Watch {
            debouncer,
            roots: roots
                .into_iter()
                .map(|path| Root {
                    path,
                    watched: false,
                })
                .collect(),
        };
        watch.refresh(&Batch::default());
        if !watch.roots[0].watched {
            return Err(ServeError::Io(format!(
                "无法监视文件夹 {} 的变化",
                watch.roots[0].path.display()
            )));
        }
        Ok(watch)
    }

    /// Waits for changes; `None` when the watcher has stopped.
    pub(crate) fn next_batch(&self, rx: &Receiver<Batch>) -> Option<Batch> {
        let mut batch = rx.recv().ok()?;
        loop {
            match rx.recv_timeout(SETTLE) {
                Ok(more) => batch.merge(more),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    return Some(batch)
                }
            }
        }
    }

    /// Watches roots that appeared, forgets those that went, and watches
    /// again those that were replaced (a watch follows the folder that was
    /// deleted or renamed, not the new one at the same path).
    pub(crate) fn refresh(&mut self, batch: &Batch) {
        for root in &mut self.roots {
            let replaced = batch.rescan || batch.paths.contains(&root.path);
            let exists = root.path.is_dir();
            if root.watched && (replaced || !exists) {
                // Fails when the folder is already gone, which is what we want anyway.
                let _ = self.debouncer.unwatch(&root.path);
                root.watched = false;
            }
            if !root.watched && exists {
                match self.debouncer.watch(&root.path, RecursiveMode::Recursive) {
                    Ok(()) => root.watched = true,
                    Err(e) => eprintln!(
                        "警告：无法监视文件夹 {}（系统信息：{e}）",
                        root.path.display()
                    ),
                }
            }
        }
    }
}
