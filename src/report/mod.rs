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

pub mod baseline;
pub mod exit;
pub mod hub;
pub mod model;
pub mod score;
pub mod suppress;

pub use exit::{FailOn, Gate};
pub use model::{
    Change, CheckOutcome, CheckStatus, REPORT_SCHEMA_VERSION, Report, ResultEntry, Suppressed,
    SuppressionState, SuppressionUse,
};
pub use score::{AreaScore, Score, Tally};
pub use suppress::Suppression;

#[cfg(test)]
mod tests {
    use super::score::check_status;
    use super::*;
    use crate::checks::iam::fixtures::*;
    use crate::checks::{Severity, Status};
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
        // By hand: root-mfa, root-access-keys, root-recent-use,
        // s3-account-public-access-block (the fixture's account has all four on),
        // securityhub-enabled (on in the fixture's region), cloudtrail-multi-region (its
        // trail), guardduty-enabled, config-recording, access-analyzer-enabled and
        // access-analyzer-external-access (on in its region, nothing shared) pass; user-console-mfa, unused-credentials (dev1's password, never used,
        // 400 days old) and password-policy (none) fail; root-hardware-mfa is
        // informational; the rest have nothing in scope.
        assert_eq!((p, f, u), (10, 3, 0));
        assert_eq!(report.score.overall.percent, Some(77));
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
        let gate = |fail_on, min_score| Gate { fail_on, min_score };
        assert_eq!(report.exit_code(&Gate::default()), exit::FINDINGS);
        assert_eq!(
            report.exit_code(&gate(FailOn::High, None)),
            exit::OK,
            "medium is below --fail-on high"
        );
        assert_eq!(report.exit_code(&gate(FailOn::Never, None)), exit::OK);
        assert_eq!(report.exit_code(&gate(FailOn::Never, Some(77))), exit::OK);
        assert_eq!(
            report.exit_code(&gate(FailOn::Never, Some(78))),
            exit::FINDINGS,
            "77% is below --min-score 78"
        );
        assert_eq!(
            report.gate_failures(&gate(FailOn::Never, Some(78))),
            vec!["the score 77% is below --min-score 78".to_string()]
        );
        // Without a baseline nothing is new.
        assert_eq!(report.exit_code(&gate(FailOn::New, None)), exit::OK);
        let mut compared = report.clone();
        let mut older = report.clone();
        older.results.retain(|r| r.check_id != "password-policy");
        compared.compare(&older, "old.json");
        assert_eq!(
            compared.gate_failures(&gate(FailOn::New, None)),
            vec!["1 FAIL result new against the baseline (--fail-on new)".to_string()]
        );
    }
}
