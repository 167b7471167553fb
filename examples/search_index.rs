//! Times the search index of a content folder alone (for `scripts/bench`):
//! load and plan as `build` does, then build the index files three times.
//!
//!   search_index --content DIR --now YYYY-MM-DD
//!
//! Prints `index_ms=<best of 3> files=<n> bytes=<total> chars=<text indexed>`.

use std::process::ExitCode;
use std::time::Instant;

use biaogan::pipeline::{self, Options};
use biaogan::render::search;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(content) = arg("--content") else {
        eprintln!("usage: search_index --content DIR [--now YYYY-MM-DD]");
        return ExitCode::from(2);
    };
    let mut opts = Options::new(content);
    opts.now = arg("--now")
        .and_then(|d| biaogan::model::dates::parse_date(&d).ok())
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default());
    let loaded = match pipeline::load(&opts) {
        Ok(l) => l,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let plan = loaded.plan(&opts);
    let mut best = f64::MAX;
    let mut files = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        files = search::files(&loaded.site, &plan);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    let chars: usize = search::text::documents(&loaded.site, &plan)
        .iter()
        .map(|d| d.text.chars().count())
        .sum();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "index_ms={best:.1} files={} bytes={bytes} chars={chars}",
        files.len()
    );
    ExitCode::SUCCESS
}
