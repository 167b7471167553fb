//! The files a render makes and where they go: shared by `render` (which
//! makes them), `write` (disk), `serve` (memory) and the tests. A leaf: it
//! depends on no other module of the crate.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

/// The content of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Artifact {
    /// Made by the build itself: pages, feeds, data files.
    Bytes(Vec<u8>),
    /// A file of the content folder (an image, a download), as read once
    /// when loading or rendering: these bytes, never the file on disk
    /// again, are written and served, so nothing can be swapped in between.
    Shared(Arc<[u8]>),
}

impl Artifact {
    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Artifact::Bytes(b) => b,
            Artifact::Shared(b) => b,
        }
    }
}

/// The whole rendered site: output-relative path (`2024/notice/index.html`) to content.
pub type Output = BTreeMap<String, Artifact>;

/// Receives each rendered file as soon as it is made (output-relative path
/// and content); called from several threads at once.
pub type Sink<'a> = dyn Fn(String, Artifact) -> io::Result<()> + Sync + 'a;
