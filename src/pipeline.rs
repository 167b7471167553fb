//! The pipeline as one small API: load → plan → render → write.
//!
//! `build`, `check` and (later) `serve` all go through here; tests drive it directly.

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, Utc};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::base_url::BaseUrl;
use crate::model::site::Site;
use crate::output::Artifact;
use crate::output::Output;
use crate::plan::{self, Plan};
use crate::render::theme::Theme;
use crate::render::{Manifest, Renderer};
use crate::schedule;
use crate::write;

/// Where every build publishes the schedule moment it represents (see [`Loaded::marker`]).
pub const MOMENT_MARKER: &str = ".well-known/biaogan-moment";

/// Inputs of a build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content folder.
    pub content: PathBuf,
    /// "Now" in the site's time zone; `None` = the current time there.
    pub now: Option<NaiveDateTime>,
    /// Include documents that are not yet public (preview only).
    pub drafts: bool,
    /// Overrides site.yaml's base_url.
    pub base_url: Option<BaseUrl>,
    /// A banner shown on every page (previews say what they show); never set by `build`.
    pub banner: Option<String>,
    /// Warnings fail the build as errors do (`--strict`).
    pub strict: bool,
    /// Write the search index. Off only when `scripts/bench` measures what
    /// the index adds to a build (`BIAOGAN_BENCH_NO_SEARCH=1`, read by the
    /// command line); no site is published without it.
    pub search_index: bool,
}

impl Options {
    /// Options for a content folder with defaults.
    pub fn new(content: impl Into<PathBuf>) -> Self {
        Options {
            content: content.into(),
            now: None,
            drafts: false,
            base_url: None,
            banner: None,
            strict: false,
            search_index: true,
        }
    }
}

/// A loaded site with its theme, ready to be rendered at some moment.
pub struct Loaded {
    /// The validated site.
    pub site: Site,
    /// The theme with overrides applied.
    pub theme: Theme,
}

/// Reads and validates the content and the theme.
pub fn load(opts: &Options) -> Result<Loaded, Diagnostics> {
    if !opts.content.is_dir() {
        return Err(Diagnostic::new(
            &opts.content,
            format!("内容文件夹 {} 不存在", opts.content.display()),
        )
        .help("请用 --content 指向存放 site.yaml 的文件夹（不给时为当前文件夹下的 content）")
        .into());
    }
    let site = load::load_site(&opts.content);
    let theme_dir = theme_dir(&opts.content, site.as_ref().ok());
    let theme = Theme::load(theme_dir.as_deref());
    match (site, theme) {
        (Ok(site), Ok(_)) if opts.strict && !site.warnings.is_empty() => {
            Err(site.warnings.strict())
        }
        (Ok(site), Ok(theme)) => {
            if let Some(name) = &site.config.theme {
                if name != "default" && !theme_dir.as_ref().is_some_and(|d| d.is_dir()) {
                    return Err(Diagnostic::new(
                        opts.content.join("site.yaml"),
                        format!("找不到主题 {name}"),
                    )
                    .field("theme")
                    .help(format!(
                        "请在内容文件夹旁边建立 themes/{name}/ 文件夹，或删除 theme 这一行使用默认主题"
                    ))
                    .into());
                }
            }
            if opts.strict && !site.warnings.is_empty() {
                return Err(site.warnings.as_errors());
            }
            Ok(Loaded { site, theme })
        }
        (a, b) => {
            let mut d = Diagnostics::default();
            if let Err(e) = a {
                d.extend(e);
            }
            if let Err(e) = b {
                d.extend(e);
            }
            d.sort();
            Err(d)
        }
    }
}

fn theme_dir(content: &Path, site: Option<&Site>) -> Option<PathBuf> {
    let name = site
        .and_then(|s| s.config.theme.clone())
        .unwrap_or_else(|| "default".into());
    let abs = content.canonicalize().ok()?;
    Some(abs.parent()?.join("themes").join(name))
}

impl Loaded {
    /// "Now" for these options in the site's time zone.
    pub fn now(&self, opts: &Options) -> NaiveDateTime {
        opts.now
            .unwrap_or_else(|| Utc::now().with_timezone(&self.site.tz).naive_local())
    }

    /// The pages public at `now`.
    pub fn plan(&self, opts: &Options) -> Plan {
        plan::plan(&self.site, self.now(opts), opts.drafts)
    }

    /// Renders the whole site in memory.
    pub fn render(&self, opts: &Options) -> Result<Output, Diagnostics> {
        let plan = self.plan(opts);
        let mut out = self.renderer(opts, &plan)?.render_all()?;
        out.insert(MOMENT_MARKER.into(), self.marker(plan.now));
        Ok(out)
    }

    /// The moment marker of a build at `now`: the latest schedule moment not
    /// after `now` (RFC 3339), or `none` before the first. A scheduled deploy
    /// compares it with the published one and deploys only when it differs;
    /// it changes only at moments, so builds between moments stay identical.
    pub fn marker(&self, now: NaiveDateTime) -> Artifact {
        let text = match schedule::current(&self.site, now) {
            Some(m) => schedule::zoned(self.site.tz, m).to_rfc3339(),
            None => "none".into(),
        };
        Artifact::Bytes(format!("{text}\n").into_bytes())
    }

    /// Renders at `now` and checks the links, keeping the plan and the files.
    fn check_at(&self, opts: &Options, now: NaiveDateTime) -> Result<(Plan, Output), Diagnostics> {
        let plan = plan::plan(&self.site, now, opts.drafts);
        let (mut output, manifest) = self.renderer(opts, &plan)?.render_collected()?;
        manifest.check_links()?;
        output.insert(MOMENT_MARKER.into(), self.marker(now));
        Ok((plan, output))
    }

    /// The renderer of `plan` with these options (`serve` re-renders single pages with it).
    pub fn renderer<'a>(
        &'a self,
        opts: &Options,
        plan: &'a Plan,
    ) -> Result<Renderer<'a>, Diagnostics> {
        let base = opts.base_url.as_ref().unwrap_or(&self.site.base_url);
        Renderer::new(&self.site, plan, &self.theme, base, opts.banner.clone())
    }

    /// Replaces the text of the case summaries read from `file`, returning
    /// those cases as (campaign index, case index); empty when no case reads `file`.
    ///
    /// Only a case's own page renders its summary, so `serve` re-renders just
    /// that page after an edit instead of loading the whole site again.
    pub fn replace_summary(&mut self, file: &Path, text: &str) -> Vec<(usize, usize)> {
        let mut cases = Vec::new();
        for (ci, c) in self.site.campaigns.iter_mut().enumerate() {
            for (i, k) in c.cases.iter_mut().enumerate() {
                if let Some(s) = k.summary.as_mut().filter(|s| s.file == file) {
                    s.text = text.to_owned();
                    cases.push((ci, i));
                }
            }
        }
        cases
    }
}

/// Loads, renders and checks every internal link, writing nothing (`biaogan check`).
pub fn check(opts: &Options) -> Result<Output, Diagnostics> {
    check_keeping(opts).map(|c| c.output)
}

/// A site checked in memory, with what it was built from.
pub struct Checked {
    /// The loaded site.
    pub loaded: Loaded,
    /// Its pages at "now".
    pub plan: Plan,
    /// Every file of the site.
    pub output: Output,
}

/// [`check`], keeping the loaded site and its plan (`serve` re-renders single pages with them).
pub fn check_keeping(opts: &Options) -> Result<Checked, Diagnostics> {
    let loaded = load(opts)?;
    let (plan, output) = loaded.check_at(opts, loaded.now(opts))?;
    Ok(Checked {
        loaded,
        plan,
        output,
    })
}

/// Checks the site at "now" and at every later moment of its schedule
/// (`biaogan check`): a commit that is fine today must not break the site
/// on the day the publicity list goes online.
///
/// An error that appears only at a later moment carries that moment (the
/// earliest one); an error present at several moments is reported once.
pub fn check_schedule(opts: &Options) -> Result<Checked, Diagnostics> {
    let loaded = load(opts)?;
    let now = loaded.now(opts);
    let first = loaded.check_at(opts, now);
    let mut errors = match &first {
        Ok(_) => Diagnostics::default(),
        Err(d) => d.clone(),
    };
    for m in schedule::upcoming(&loaded.site, now, None) {
        let plan = plan::plan(&loaded.site, m.at, opts.drafts);
        let Err(later) = loaded.renderer(opts, &plan).and_then(|r| r.check_links()) else {
            continue;
        };
        let at = schedule::zoned(loaded.site.tz, m.at);
        for d in later.0 {
            if !errors.iter().any(|e| {
                Diagnostic {
                    moment: None,
                    ..e.clone()
                } == d
            }) {
                errors.push(d.from_moment(at));
            }
        }
    }
    match first {
        Ok((plan, output)) if errors.is_empty() => Ok(Checked {
            loaded,
            plan,
            output,
        }),
        _ => Err(errors),
    }
}

/// Loads, renders and writes the site to `out` atomically (`biaogan build`).
///
/// Pages go to the staging folder as they are rendered (a large site is never
/// held in memory whole); the link check runs on what was written, and only
/// then is the folder swapped in.
pub fn build(opts: &Options, out: &Path) -> Result<Manifest, Diagnostics> {
    build_reporting(opts, out).map(|(m, _)| m)
}

/// [`build`], also returning the warnings to print (`biaogan build`).
pub fn build_reporting(opts: &Options, out: &Path) -> Result<(Manifest, Diagnostics), Diagnostics> {
    // `public/` and `public/.` name `public`: checked and swapped as such.
    let out = &out.components().collect::<std::path::PathBuf>();
    write::check_out_dir(out, &opts.content)
        .map_err(|m| Diagnostic::new(out, m).help("请用 --out 指定另一个文件夹"))?;
    let loaded = load(opts)?;
    let plan = loaded.plan(opts);
    let renderer = loaded.renderer(opts, &plan)?;
    let manifest = write::atomically(out, |staging| {
        // The marker plans the site at every moment of its schedule: made
        // alongside the pages, not after them on one thread.
        let (rendered, marker) = rayon::join(
            || {
                renderer.render_into(
                    &|path, artifact| staging.put(&path, &artifact),
                    opts.search_index,
                )
            },
            || loaded.marker(plan.now),
        );
        let mut manifest = rendered?;
        manifest.check_links()?;
        staging
            .put(MOMENT_MARKER, &marker)
            .map_err(|e| write_failed(&out.join(MOMENT_MARKER), &e))?;
        manifest.files.insert(MOMENT_MARKER.into());
        manifest.warnings = loaded.site.warnings.clone();
        Ok(manifest)
    })?;
    Ok((manifest, loaded.site.warnings.clone()))
}

/// A file of the site that could not be written: the path in Chinese, then
/// why ([`write::reason`]: what biaogan could not do, or the system's words).
pub fn write_failed(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        path,
        format!("无法写入文件 {}{}", path.display(), write::reason(e)),
    )
    .help(write::help(e))
}
