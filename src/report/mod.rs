//! The report: findings joined with their metadata, the scores, and the exit code.
//!
//! Score formula (the README repeats it; it can be recomputed from the JSON alone):
//! a check FAILS if any of its results is FAIL; otherwise it is UNKNOWN if any result is
//! ERROR; otherwise it PASSES if it has at least one PASS; a check with no results (no
//! resource in scope) is NOT_APPLICABLE and left out. The score of an area, and the overall
//! score, is `round(100 * passed / (passed + failed + unknown))` over its checks, like
//! Security Hub's security score (passed controls over controls with data). A check that
//! could not be evaluated therefore lowers the score instead of hiding. Checks of severity
//! `informational` are listed with their status but left out of the score.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::checks::{self, Area, Finding, Metadata, Resource, Severity, Status};
use crate::inventory::{Account, ApiCallCount, Gap, Inventory, Tool};

/// The JSON report's version: bumped on any change that could break a consumer.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Exit codes, as documented in the README and `--help`.
pub mod exit {
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub account: Account,
    pub regions: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub score: Score,
    pub checks: Vec<CheckOutcome>,
    pub results: Vec<ResultEntry>,
    pub gaps: Vec<Gap>,
    pub api_calls: Vec<ApiCallCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckStatus {
    Passed,
    Failed,
    Unknown,
    NotApplicable,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub area: Area,
    pub status: CheckStatus,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultEntry {
    pub check_id: String,
    pub title: String,
    pub status: Status,
    pub severity: Severity,
    pub area: Area,
    pub resource: Resource,
    pub message: String,
    /// `"CIS 1.9"`, `"FSBP IAM.5"`, ...
    pub compliance: Vec<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub evidence: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// `None` when no check in scope had data.
    pub percent: Option<u32>,
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

impl Tally {
    fn add(&mut self, status: CheckStatus) {
        match status {
            CheckStatus::Passed => self.passed += 1,
            CheckStatus::Failed => self.failed += 1,
            CheckStatus::Unknown => self.unknown += 1,
            CheckStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    fn finish(mut self) -> Self {
        let judged = self.passed + self.failed + self.unknown;
        self.percent = (judged > 0).then(|| {
            // Round half up, in integers: round(100 * passed / judged).
            ((200 * self.passed + judged) / (2 * judged)) as u32
        });
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AreaScore {
    pub area: Area,
    pub title: String,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Score {
    #[serde(flatten)]
    pub overall: Tally,
    pub areas: Vec<AreaScore>,
    /// Results counted by status; `coverage_percent` = (PASS + FAIL) / all results.
    pub results_pass: usize,
    pub results_fail: usize,
    pub results_error: usize,
    pub coverage_percent: Option<u32>,
}

fn check_status(pass: usize, fail: usize, error: usize) -> CheckStatus {
    if fail > 0 {
        CheckStatus::Failed
    } else if error > 0 {
        CheckStatus::Unknown
    } else if pass > 0 {
        CheckStatus::Passed
    } else {
        CheckStatus::NotApplicable
    }
}

impl Report {
    /// Runs every check over the inventory and builds the report.
    pub fn evaluate(inv: &Inventory) -> Report {
        Self::from_findings(inv, checks::run_all(inv))
    }

    pub fn from_findings(inv: &Inventory, findings: Vec<Finding>) -> Report {
        let mut results: Vec<ResultEntry> = findings
            .into_iter()
            .filter_map(|f| {
                let m = Metadata::of(&f.check_id)?;
                Some(ResultEntry {
                    title: m.title.clone(),
                    severity: m.severity,
                    area: m.area,
                    compliance: m.compliance.labels(),
                    check_id: f.check_id,
                    status: f.status,
                    resource: f.resource,
                    message: f.message,
                    evidence: f.evidence,
                })
            })
            .collect();
        // Stable order: failures first, most severe first, then by check and resource.
        results.sort_by(|a, b| {
            (
                b.status == Status::Fail,
                a.severity,
                &a.check_id,
                &a.resource.arn,
            )
                .cmp(&(
                    a.status == Status::Fail,
                    b.severity,
                    &b.check_id,
                    &b.resource.arn,
                ))
        });

        let mut checks_out = Vec::new();
        let mut overall = Tally::default();
        let mut areas: BTreeMap<Area, Tally> = BTreeMap::new();
        for c in checks::REGISTRY {
            let Some(m) = Metadata::of(c.id) else {
                continue;
            };
            let count = |s: Status| {
                results
                    .iter()
                    .filter(|r| r.check_id == c.id && r.status == s)
                    .count()
            };
            let (pass, fail, error) = (
                count(Status::Pass),
                count(Status::Fail),
                count(Status::Error),
            );
            let status = check_status(pass, fail, error);
            // Informational checks are reported but not scored: they record a choice
            // (virtual root MFA, say), not a weakness.
            if m.severity != Severity::Informational {
                overall.add(status);
                areas.entry(m.area).or_default().add(status);
            }
            checks_out.push(CheckOutcome {
                id: c.id.to_string(),
                title: m.title.clone(),
                severity: m.severity,
                area: m.area,
                status,
                pass,
                fail,
                error,
            });
        }
        let count = |s: Status| results.iter().filter(|r| r.status == s).count();
        let (rp, rf, re) = (
            count(Status::Pass),
            count(Status::Fail),
            count(Status::Error),
        );
        let total = rp + rf + re;
        let score = Score {
            overall: overall.finish(),
            areas: areas
                .into_iter()
                .map(|(area, t)| AreaScore {
                    area,
                    title: area.title().to_string(),
                    tally: t.finish(),
                })
                .collect(),
            results_pass: rp,
            results_fail: rf,
            results_error: re,
            coverage_percent: (total > 0).then(|| ((200 * (rp + rf) + total) / (2 * total)) as u32),
        };

        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool::this(),
            account: inv.account.clone(),
            regions: inv.regions.clone(),
            started_at: inv.started_at,
            finished_at: inv.finished_at,
            score,
            checks: checks_out,
            results,
            gaps: inv.gaps(),
            api_calls: inv.api_calls.clone(),
        }
    }

    /// The process exit code for this report: see [`exit`].
    pub fn exit_code(&self, fail_on: Severity) -> u8 {
        if self
            .results
            .iter()
            .any(|r| r.status == Status::Fail && r.severity <= fail_on)
        {
            exit::FINDINGS
        } else if self.results.iter().any(|r| r.status == Status::Error) {
            exit::INCOMPLETE
        } else {
            exit::OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::iam::ROOT_USER;

    #[test]
    fn tally_rounds_like_security_hub() {
        let t = Tally {
            passed: 2,
            failed: 1,
            unknown: 0,
            ..Default::default()
        }
        .finish();
        assert_eq!(t.percent, Some(67));
        let t = Tally {
            passed: 1,
            failed: 1,
            unknown: 0,
            ..Default::default()
        }
        .finish();
        assert_eq!(t.percent, Some(50));
        let t = Tally {
            not_applicable: 3,
            ..Default::default()
        }
        .finish();
        assert_eq!(t.percent, None);
    }

    #[test]
    fn check_status_never_turns_errors_into_passes() {
        assert_eq!(check_status(5, 0, 1), CheckStatus::Unknown);
        assert_eq!(check_status(5, 1, 1), CheckStatus::Failed);
        assert_eq!(check_status(1, 0, 0), CheckStatus::Passed);
        assert_eq!(check_status(0, 0, 0), CheckStatus::NotApplicable);
    }

    #[test]
    fn report_scores_and_exit_codes() {
        let mut root = row(ROOT_USER);
        root.mfa_active = true;
        let mut dev = row("dev1");
        dev.password_enabled = Some(true);
        let report = Report::evaluate(&inventory(vec![root, dev]));
        let status = |id: &str| report.checks.iter().find(|c| c.id == id).map(|c| c.status);
        assert_eq!(status("root-mfa"), Some(CheckStatus::Passed));
        assert_eq!(status("user-console-mfa"), Some(CheckStatus::Failed));
        // No role trusts GitHub in the fixture: nothing to judge.
        assert_eq!(
            status("github-oidc-trust"),
            Some(CheckStatus::NotApplicable)
        );
        // The score is reproducible from `checks` alone.
        let n = |s: CheckStatus| {
            report
                .checks
                .iter()
                .filter(|c| c.status == s && c.severity != Severity::Informational)
                .count()
        };
        let (p, f, u) = (
            n(CheckStatus::Passed),
            n(CheckStatus::Failed),
            n(CheckStatus::Unknown),
        );
        let expected = (100.0 * p as f64 / (p + f + u) as f64).round() as u32;
        assert_eq!(report.score.overall.percent, Some(expected));
        // By hand: root-mfa, root-access-keys and root-recent-use pass; user-console-mfa,
        // unused-credentials (dev1's password, never used, 400 days old) and
        // password-policy (none) fail; root-hardware-mfa is informational; the rest have
        // nothing in scope.
        assert_eq!((p, f, u), (3, 3, 0));
        assert_eq!(report.score.overall.percent, Some(50));
        assert!(f >= 2, "user-console-mfa and password-policy fail");
        assert_eq!(
            report.results[0].status,
            Status::Fail,
            "failures come first"
        );
        let mfa = report
            .results
            .iter()
            .find(|r| r.check_id == "user-console-mfa");
        assert_eq!(
            mfa.map(|r| r.compliance.clone()),
            Some(vec!["CIS 1.9".into(), "FSBP IAM.5".into()])
        );
        let severities: Vec<_> = report
            .results
            .iter()
            .take_while(|r| r.status == Status::Fail)
            .map(|r| r.severity)
            .collect();
        assert!(
            severities.windows(2).all(|w| w[0] <= w[1]),
            "most severe first: {severities:?}"
        );
        assert_eq!(report.exit_code(Severity::Low), exit::FINDINGS);
        assert_eq!(
            report.exit_code(Severity::High),
            exit::OK,
            "medium is below --fail-on high"
        );
    }
}
