//! Baselines: this report against an earlier one (`--baseline`, `postura diff`).
//!
//! Results are matched by check id and resource ARN, never by message text (messages
//! carry counts and dates that change between scans). A FAIL is `new` when the baseline
//! had no FAIL under its key, `unchanged` when it had; a result that is not FAIL now but
//! was FAIL then is `resolved` only when it PASSes now (an ERROR proves nothing). A
//! baseline FAIL with no result now is listed as gone when its region was scanned this
//! time (a region not scanned says nothing about it).

use std::collections::HashSet;

use super::model::{Baseline, Change, GoneResult, Report};
use crate::checks::Status;
use crate::inventory::GLOBAL_REGION;

impl Report {
    /// Marks each result against `old` and records the comparison; `file` names the
    /// baseline as the user gave it. The caller checks that both are of one account.
    pub fn compare(&mut self, old: &Report, file: &str) {
        let failed_before: HashSet<(&str, &str, &str)> = old
            .results
            .iter()
            .filter(|r| r.status == Status::Fail)
            .map(|r| r.key())
            .collect();
        let (mut new, mut unchanged, mut resolved) = (0, 0, 0);
        for r in &mut self.results {
            let was_failing = failed_before.contains(&r.key());
            r.change = match (r.status, was_failing) {
                (Status::Fail, false) => Some(Change::New),
                (Status::Fail, true) => Some(Change::Unchanged),
                (Status::Pass, true) => Some(Change::Resolved),
                _ => None,
            };
            match r.change {
                Some(Change::New) => new += 1,
                Some(Change::Unchanged) => unchanged += 1,
                Some(Change::Resolved) => resolved += 1,
                None => {}
            }
        }
        let present: HashSet<(&str, &str, &str)> = self.results.iter().map(|r| r.key()).collect();
        // Where a check could not be evaluated now (an ERROR stands in for the resources
        // of a region, or of the account), its old failures are unknown, not gone.
        let unevaluated: HashSet<(&str, &str)> = self
            .results
            .iter()
            .filter(|r| r.status == Status::Error)
            .map(|r| (r.check_id.as_str(), r.resource.region.as_str()))
            .collect();
        let scanned =
            |region: &str| region == GLOBAL_REGION || self.regions.iter().any(|r| r == region);
        let mut seen = HashSet::new();
        let (mut gone, mut not_rechecked) = (Vec::new(), Vec::new());
        // A failure whose resource is an ERROR now is not re-checked either.
        for r in self
            .results
            .iter()
            .filter(|r| r.status == Status::Error && failed_before.contains(&r.key()))
        {
            not_rechecked.push(GoneResult {
                check_id: r.check_id.clone(),
                title: r.title.clone(),
                severity: r.severity,
                resource: r.resource.clone(),
                message: r.message.clone(),
            });
        }
        for r in old
            .results
            .iter()
            .filter(|r| r.status == Status::Fail && scanned(&r.resource.region))
            .filter(|r| !present.contains(&r.key()))
            .filter(|r| seen.insert(r.key()))
        {
            let entry = GoneResult {
                check_id: r.check_id.clone(),
                title: r.title.clone(),
                severity: r.severity,
                resource: r.resource.clone(),
                message: r.message.clone(),
            };
            let check = r.check_id.as_str();
            if unevaluated.contains(&(check, r.resource.region.as_str()))
                || unevaluated.contains(&(check, GLOBAL_REGION))
            {
                not_rechecked.push(entry);
            } else {
                gone.push(entry);
            }
        }
        self.baseline = Some(Baseline {
            file: file.to_string(),
            finished_at: old.finished_at,
            new,
            unchanged,
            resolved: resolved + gone.len(),
            gone,
            not_rechecked,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::iam::ROOT_USER;

    fn report(dev_mfa: bool, second_user: Option<&str>) -> Report {
        let mut root = row(ROOT_USER);
        root.mfa_active = true;
        let mut rows = vec![root];
        let mut dev = row("dev1");
        dev.password_enabled = Some(true);
        dev.mfa_active = dev_mfa;
        rows.push(dev);
        if let Some(name) = second_user {
            let mut u = row(name);
            u.password_enabled = Some(true);
            rows.push(u);
        }
        Report::evaluate(&inventory(rows))
    }

    fn change(r: &Report, check: &str, user: &str) -> Option<Change> {
        r.results
            .iter()
            .find(|x| x.check_id == check && x.resource.id == user)
            .and_then(|x| x.change)
    }

    #[test]
    fn results_are_new_unchanged_or_resolved_by_check_and_arn() {
        let old = report(false, Some("contractor"));
        let mut now = report(false, Some("ops2"));
        // Messages may differ between scans; only the key matters.
        for r in &mut now.results {
            r.message.push_str(" (re-worded)");
        }
        now.compare(&old, "previous.json");
        assert_eq!(
            change(&now, "user-console-mfa", "dev1"),
            Some(Change::Unchanged)
        );
        assert_eq!(change(&now, "user-console-mfa", "ops2"), Some(Change::New));
        let b = now.baseline.as_ref().expect("compared");
        assert_eq!(b.file, "previous.json");
        assert!(b.new >= 1 && b.unchanged >= 1);
        // contractor is gone: its failures are listed, and counted as resolved.
        assert!(
            b.gone
                .iter()
                .any(|g| g.check_id == "user-console-mfa" && g.resource.id == "contractor")
        );
        assert_eq!(b.resolved, b.gone.len());
        // A result that passes now after failing before is resolved.
        let mut fixed = report(true, None);
        fixed.compare(&old, "previous.json");
        assert_eq!(
            change(&fixed, "user-console-mfa", "dev1"),
            Some(Change::Resolved)
        );
        assert_eq!(
            change(&fixed, "root-mfa", ROOT_USER),
            None,
            "passed both times"
        );
    }

    #[test]
    fn a_check_that_cannot_be_evaluated_now_resolves_nothing() {
        let old = report(false, Some("contractor"));
        let mut now = report(false, None);
        // The user list could not be read: one ERROR for the account stands in for every
        // user, under the account's ARN.
        now.results.retain(|r| r.check_id != "user-console-mfa");
        let mut stand_in = old
            .results
            .iter()
            .find(|r| r.check_id == "root-mfa")
            .expect("root result")
            .clone();
        stand_in.check_id = "user-console-mfa".into();
        stand_in.status = Status::Error;
        now.results.push(stand_in);
        now.compare(&old, "old.json");
        let b = now.baseline.as_ref().expect("compared");
        assert!(
            b.gone.iter().all(|g| g.check_id != "user-console-mfa"),
            "{:?}",
            b.gone
        );
        assert!(
            b.not_rechecked
                .iter()
                .any(|g| g.check_id == "user-console-mfa" && g.resource.id == "dev1")
        );
        assert_eq!(b.resolved, b.gone.len());
    }

    #[test]
    fn results_sharing_an_arn_are_told_apart_by_id() {
        let old = report(false, None);
        let mut now = old.clone();
        // A second result under the same ARN (as a user's second inline policy is).
        let mut twin = now
            .results
            .iter()
            .find(|r| r.check_id == "user-console-mfa" && r.status == Status::Fail)
            .expect("a failure")
            .clone();
        twin.resource.id = format!("{}:second-policy", twin.resource.id);
        now.results.push(twin);
        now.compare(&old, "old.json");
        let changes: Vec<_> = now
            .results
            .iter()
            .filter(|r| r.check_id == "user-console-mfa" && r.status == Status::Fail)
            .map(|r| r.change)
            .collect();
        assert_eq!(changes, vec![Some(Change::Unchanged), Some(Change::New)]);
    }

    #[test]
    fn an_error_now_is_not_a_resolution_and_unscanned_regions_are_not_gone() {
        let old = report(false, None);
        let mut now = report(false, None);
        for r in now
            .results
            .iter_mut()
            .filter(|r| r.check_id == "user-console-mfa")
        {
            r.status = Status::Error;
        }
        let mut old = old;
        // A failure in a region this scan did not cover.
        let mut elsewhere = old.results[0].clone();
        elsewhere.status = Status::Fail;
        elsewhere.resource.region = "ap-south-2".into();
        elsewhere.resource.arn = "arn:aws:ec2:ap-south-2:123456789012:security-group/sg-1".into();
        old.results.push(elsewhere);
        now.compare(&old, "b.json");
        assert_eq!(change(&now, "user-console-mfa", "dev1"), None);
        let b = now.baseline.as_ref().expect("compared");
        assert!(b.gone.iter().all(|g| g.resource.region != "ap-south-2"));
        assert!(
            b.gone.iter().all(|g| g.check_id != "user-console-mfa"),
            "an ERROR result is present, not gone"
        );
        assert!(
            b.not_rechecked
                .iter()
                .any(|g| g.check_id == "user-console-mfa" && g.resource.id == "dev1"),
            "{:?}",
            b.not_rechecked
        );
    }
}
