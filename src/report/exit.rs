//! The exit code: what a run tells the shell (documented in the README and `--help`).

use super::model::Report;
use crate::checks::{Severity, Status};

/// No FAIL at or above `--fail-on`, and nothing left unevaluated.
pub const OK: u8 = 0;
/// postura could not run (bad input, no credentials, unreachable endpoint).
pub const ERROR: u8 = 1;
/// The command line was invalid.
pub const USAGE: u8 = 2;
/// At least one FAIL at or above the `--fail-on` severity.
pub const FINDINGS: u8 = 3;
/// No such FAIL, but some results are ERROR: the scan is incomplete.
pub const INCOMPLETE: u8 = 4;

impl Report {
    /// The process exit code for this report: see this module.
    pub fn exit_code(&self, fail_on: Severity) -> u8 {
        if self
            .results
            .iter()
            .any(|r| r.status == Status::Fail && r.severity <= fail_on)
        {
            FINDINGS
        } else if self.results.iter().any(|r| r.status == Status::Error) {
            INCOMPLETE
        } else {
            OK
        }
    }
}
