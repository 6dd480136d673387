//! Tests that drive the `hearken` binary itself: the CLI, crash recovery, the demo's rules
//! and several instances on one database. One test binary, linked once.

mod common;

mod cli;
mod crash;
mod demo_rules;
mod fts5;
mod instances;
mod search10_quality;
