//! The theme: Tera templates and static assets, built in, overridable per site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::nofollow;

/// The default theme, embedded so biaogan runs on any content folder.
static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's text and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Shown in errors: the override's path, or `themes/default/templates/x（内置）`.
    pub origin: PathBuf,
    /// Template text.
    pub text: String,
}

/// The resolved theme: built-in files with the site's overrides applied.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`notice.html`) to source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Static asset path (`style.css`) to bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme overlaid with `dir` (a site's themes/<name>), if it exists.
    ///
    /// The override is read below the folder holding `themes/`, without
    /// following links: a linked template or static file is refused, never
    /// published.
    pub fn load(dir: Option<&Path>) -> Result<Theme, Diagnostics> {
        let mut t = Theme::default();
        let mut diags = Diagnostics::default();
        collect_embedded(&DEFAULT, &mut t);
        let Some((dir, root)) = dir.and_then(|d| Some((d, d.parent()?.parent()?))) else {
            return Ok(t);
        };
        if !nofollow::is_there(dir) {
            return Ok(t);
        }
        if let Err(r) = nofollow::check_dir(root, dir) {
            diags.push(r.diagnostic());
            return Err(diags);
        }
        for (sub, is_tpl) in [("templates", true), ("static", false)] {
            let base = dir.join(sub);
            if !nofollow::is_there(&base) {
                continue;
            }
            let (files, refused) = nofollow::files_below(root, &base);
            refused.iter().for_each(|r| diags.push(r.diagnostic()));
            for f in files {
                let Ok(rel) = f.strip_prefix(&base) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                match nofollow::read(root, &f) {
                    Ok(bytes) if is_tpl => {
                        match String::from_utf8(bytes) {
                            Ok(text) => {
                                t.templates.insert(
                                    name,
                                    TemplateSource {
                                        origin: f.clone(),
                                        text,
                                    },
                                );
                            }
                            Err(_) => diags.push(Diagnostic::new(&f, "模板不是 UTF-8 编码").help(
                                "请用 UTF-8 编码另存这个模板（记事本：另存为 → 编码选 UTF-8）",
                            )),
                        }
                    }
                    Ok(bytes) => {
                        t.assets.insert(name, bytes);
                    }
                    Err(r) => diags.push(r.diagnostic()),
                }
            }
        }
        diags.into_result(t)
    }
}

fn collect_embedded(dir: &Dir<'static>, t: &mut Theme) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            t.templates.insert(
                name.to_owned(),
                TemplateSource {
                    origin: PathBuf::from(format!("themes/default/{path}（内置）")),
                    text: f.contents_utf8().unwrap_or("").to_owned(),
                },
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            t.assets.insert(name.to_owned(), f.contents().to_vec());
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, t);
    }
}
