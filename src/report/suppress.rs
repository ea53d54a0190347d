//! Suppressions: a team's recorded decision that a FAIL (or ERROR) is accepted, with a
//! reason and an optional expiry. Applied after the checks, in this one layer; checks
//! never see them.
//!
//! A suppressed result stays in the report, marked with its reason, and leaves the score
//! and the exit code. An expired suppression covers nothing (its results count again) and
//! one that covers nothing is reported as unmatched, so stale entries do not pile up.

use chrono::NaiveDate;

use super::model::{Report, Suppressed, SuppressionState, SuppressionUse};
use crate::checks::Status;
use crate::policy::pattern::{Unknown, Vars, resource_matches_in};

/// One suppression, validated (see `crate::config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// A registered check id.
    pub check: String,
    /// An ARN pattern: `*` matches any run of characters, `?` one character.
    pub resource: String,
    pub reason: String,
    /// The last day it holds.
    pub expires: Option<NaiveDate>,
    /// Where it is written: `postura.toml:12`.
    pub source: String,
}

impl Suppression {
    fn covers(&self, check_id: &str, arn: &str) -> bool {
        self.check == check_id
            && resource_matches_in(&self.resource, arn, Vars::NONE, Unknown::Narrow, false)
    }
}

impl Report {
    /// Marks the FAIL and ERROR results the suppressions cover (the first matching
    /// suppression wins), records what each suppression matched, and rescores. `today` is
    /// the date expiry is judged on.
    pub fn suppress(&mut self, suppressions: &[Suppression], today: NaiveDate) {
        let mut uses: Vec<SuppressionUse> = suppressions
            .iter()
            .map(|s| SuppressionUse {
                check: s.check.clone(),
                resource: s.resource.clone(),
                reason: s.reason.clone(),
                expires: s.expires.map(|d| d.to_string()),
                source: s.source.clone(),
                state: if s.expires.is_some_and(|d| d < today) {
                    SuppressionState::Expired
                } else {
                    SuppressionState::Unmatched
                },
                matched: 0,
            })
            .collect();
        for r in &mut self.results {
            r.suppressed = None;
            if r.status == Status::Pass {
                continue;
            }
            // Every live suppression that covers the result counts it (so none is called
            // unmatched for standing behind another); the first one is the one applied.
            let mut first = None;
            for (i, (s, u)) in suppressions.iter().zip(uses.iter_mut()).enumerate() {
                if u.state != SuppressionState::Expired && s.covers(&r.check_id, &r.resource.arn) {
                    u.state = SuppressionState::Active;
                    u.matched += 1;
                    first.get_or_insert(i);
                }
            }
            if let Some(s) = first.map(|i| &suppressions[i]) {
                r.suppressed = Some(Suppressed {
                    reason: s.reason.clone(),
                    expires: s.expires.map(|d| d.to_string()),
                    source: s.source.clone(),
                });
            }
        }
        self.suppressions = uses;
        self.rescore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::iam::ROOT_USER;
    use crate::report::CheckStatus;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn report() -> Report {
        let mut root = row(ROOT_USER);
        root.mfa_active = true;
        let mut dev = row("dev1");
        dev.password_enabled = Some(true);
        Report::evaluate(&inventory(vec![root, dev]))
    }

    fn suppression(check: &str, resource: &str, expires: Option<&str>) -> Suppression {
        Suppression {
            check: check.into(),
            resource: resource.into(),
            reason: "break-glass user, reviewed quarterly".into(),
            expires: expires.map(day),
            source: "postura.toml:3".into(),
        }
    }

    #[test]
    fn a_suppressed_failure_stays_marked_and_leaves_the_score() {
        let mut r = report();
        let before = r.score.overall.clone();
        let status = |r: &Report, id: &str| r.checks.iter().find(|c| c.id == id).map(|c| c.status);
        assert_eq!(status(&r, "user-console-mfa"), Some(CheckStatus::Failed));
        r.suppress(
            &[suppression(
                "user-console-mfa",
                "arn:aws:iam::*:user/dev?",
                Some("2027-01-31"),
            )],
            day("2027-01-31"),
        );
        let res = r
            .results
            .iter()
            .find(|x| x.check_id == "user-console-mfa")
            .expect("result kept");
        assert_eq!(res.status, Status::Fail, "the status is not rewritten");
        let s = res.suppressed.as_ref().expect("marked");
        assert_eq!(s.reason, "break-glass user, reviewed quarterly");
        assert_eq!(s.expires.as_deref(), Some("2027-01-31"));
        assert_eq!(s.source, "postura.toml:3");
        // The check's only FAIL is suppressed: it no longer fails, and had no PASS, so it
        // is not applicable; the score rises by one failed check.
        assert_eq!(
            status(&r, "user-console-mfa"),
            Some(CheckStatus::NotApplicable)
        );
        assert_eq!(r.score.overall.failed, before.failed - 1);
        assert_eq!(r.suppressions[0].state, SuppressionState::Active);
        assert_eq!(r.suppressions[0].matched, 1);
        assert_eq!(
            r.checks
                .iter()
                .find(|c| c.id == "user-console-mfa")
                .map(|c| c.suppressed),
            Some(1)
        );
        // Gating ignores it: the other failures still fail the run.
        assert!(
            r.counted(Status::Fail)
                .all(|x| x.check_id != "user-console-mfa")
        );
    }

    #[test]
    fn expired_and_unmatched_suppressions_cover_nothing_and_are_reported() {
        let mut r = report();
        let before = r.score.overall.clone();
        r.suppress(
            &[
                suppression("user-console-mfa", "*", Some("2026-11-30")),
                // Matches only a PASS (root has MFA): nothing to suppress.
                suppression("root-mfa", "*", None),
                // A pattern is matched against the whole ARN, case-sensitively.
                suppression("user-console-mfa", "arn:aws:iam::*:user/DEV1", None),
            ],
            day("2026-12-01"),
        );
        assert!(r.results.iter().all(|x| x.suppressed.is_none()));
        let states: Vec<_> = r.suppressions.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            vec![
                SuppressionState::Expired,
                SuppressionState::Unmatched,
                SuppressionState::Unmatched
            ]
        );
        assert_eq!(r.score.overall, before);
    }
}
