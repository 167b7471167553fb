//! The Markdown of the sample site and the test fixtures, for unit tests
//! that compare two ways of reading the same documents.

use std::path::{Path, PathBuf};

/// Every `.md` file of `content/` and of each site in `tests/sites/`, with
/// the site folder it belongs to, in path order.
pub(crate) fn markdown() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sites = vec![root.join("content")];
    if let Ok(dir) = std::fs::read_dir(root.join("tests/sites")) {
        sites.extend(dir.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    let mut out = Vec::new();
    for site in sites {
        let mut dirs = vec![site.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    out.push((site.clone(), p));
                }
            }
        }
    }
    out.sort();
    out
}
