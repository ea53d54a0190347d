//! The exit code: what a run tells the shell (documented in the README and `--help`).

use super::model::{Change, Report};
use crate::checks::{Severity, Status};

/// No FAIL at or above `--fail-on`, the score at or above `--min-score`, and nothing left
/// unevaluated.
pub const OK: u8 = 0;
/// postura could not run (bad input, no credentials, unreachable endpoint).
pub const ERROR: u8 = 1;
/// The command line was invalid.
pub const USAGE: u8 = 2;
/// At least one FAIL at or above the `--fail-on` severity, or the score below
/// `--min-score`.
pub const FINDINGS: u8 = 3;
/// No such FAIL, but some results are ERROR: the scan is incomplete.
pub const INCOMPLETE: u8 = 4;

/// Which FAIL results fail the run (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Informational,
    /// FAILs that are new against the baseline (`--baseline`), of severity low or worse.
    New,
    /// No FAIL fails the run (the score and ERRORs still can).
    Never,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Critical => "critical",
            FailOn::High => "high",
            FailOn::Medium => "medium",
            FailOn::Low => "low",
            FailOn::Informational => "informational",
            FailOn::New => "new",
            FailOn::Never => "never",
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low | FailOn::New => Some(Severity::Low),
            FailOn::Informational => Some(Severity::Informational),
            FailOn::Never => None,
        }
    }
}

/// What fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    pub fail_on: FailOn,
    /// Exit 3 when the overall score is below this (or there is no score).
    pub min_score: Option<u8>,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            fail_on: FailOn::Low,
            min_score: None,
        }
    }
}

impl Report {
    /// Why the run fails the gate (exit 3), one sentence each; empty when it does not.
    /// Suppressed results never count.
    pub fn gate_failures(&self, gate: &Gate) -> Vec<String> {
        let mut why = Vec::new();
        if let Some(worst) = gate.fail_on.severity() {
            let failing: Vec<_> = self
                .counted(Status::Fail)
                .filter(|r| r.severity <= worst)
                .filter(|r| gate.fail_on != FailOn::New || r.change == Some(Change::New))
                .collect();
            if !failing.is_empty() {
                let what = if gate.fail_on == FailOn::New {
                    "new against the baseline".to_string()
                } else {
                    format!("at or above {worst}")
                };
                why.push(format!(
                    "{} FAIL result{} {what} (--fail-on {})",
                    failing.len(),
                    if failing.len() == 1 { "" } else { "s" },
                    gate.fail_on.as_str()
                ));
            }
        }
        if let Some(min) = gate.min_score {
            match self.score.overall.percent {
                Some(p) if p >= u32::from(min) => {}
                Some(p) => why.push(format!("the score {p}% is below --min-score {min}")),
                None => why.push(format!(
                    "no check had data, so there is no score to hold to --min-score {min}"
                )),
            }
        }
        why
    }

    /// The process exit code for this report: see this module.
    pub fn exit_code(&self, gate: &Gate) -> u8 {
        if !self.gate_failures(gate).is_empty() {
            FINDINGS
        } else if self.counted(Status::Error).next().is_some() {
            INCOMPLETE
        } else {
            OK
        }
    }
}
