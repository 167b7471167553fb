//! biaogan's integration tests, one crate with a module per area (as mdBook's
//! `tests/testsuite` and ripgrep's `tests/tests.rs` do): one test binary to
//! link instead of one per file. Run one area with `cargo test --test all cli::`.

mod common;

mod archive;
mod browser;
mod browser_hostile;
mod checkers;
mod chinese;
mod cli;
mod deploy;
mod documents;
mod errors;
mod events;
#[cfg(unix)]
mod files;
mod inputs;
mod loader;
mod markdown;
mod new;
mod no_panic;
mod pages;
mod phone;
mod publicity_days;
#[cfg(unix)]
mod rebuild;
mod records;
mod revocations;
mod schedule;
mod search;
mod search_reading;
mod serve;
mod serve_hardening;
mod svg;
mod trust;
mod yaml_messages;
