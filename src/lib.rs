//! postura: audit an AWS account's security posture.
//!
//! The crate is the pipeline, one module per stage:
//! [`collect`] (AWS I/O) -> [`inventory`] (plain data) -> [`checks`] (pure) ->
//! [`report`] (score, exit code) -> [`output`] (renderers). [`cli`] wires them to the
//! command line.

pub mod checks;
pub mod cli;
pub mod collect;
pub mod error;
pub mod inventory;
pub mod output;
pub mod policy;
pub mod report;
