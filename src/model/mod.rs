//! The campaign as typed data: records, rules and the state at "now".

pub mod base_url;
pub mod credit_code;
pub mod dates;
pub mod holidays;
pub mod phase;
pub mod publicity;
pub mod records;
pub mod required;
pub mod site;
pub mod stage;
