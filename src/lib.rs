//! biaogan (标杆): the static-site generator for the quality-benchmark typical
//! experience selection.
//!
//! The pipeline, one module per step: [`load`] (read, parse, validate) →
//! [`model`] (typed records and the round's state at "now") → [`plan`] (which
//! pages exist) → [`render`] (Tera, Markdown) → [`write`] (atomic swap).
//! [`pipeline`] strings them together for the CLI, the server ([`serve`]) and the tests.

pub mod cli_text;
pub mod diagnostics;
#[cfg(test)]
mod fixtures;
pub mod links;
pub mod load;
pub mod model;
pub mod new;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod schedule;
pub mod serve;
pub mod urls;
pub mod write;
