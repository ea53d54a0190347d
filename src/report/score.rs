//! The scores: each check's outcome from its results, and the percentages per area and
//! overall (the formula is in the documentation of [`crate::report`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{CheckOutcome, CheckStatus, ResultEntry};
use crate::checks::{self, Area, Metadata, Severity, Status};

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
    pub(crate) fn add(&mut self, status: CheckStatus) {
        match status {
            CheckStatus::Passed => self.passed += 1,
            CheckStatus::Failed => self.failed += 1,
            CheckStatus::Unknown => self.unknown += 1,
            CheckStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    pub(crate) fn finish(mut self) -> Self {
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

pub(crate) fn check_status(pass: usize, fail: usize, error: usize) -> CheckStatus {
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

/// The per-check outcomes and the scores of a report's results, by the formula in the
/// module documentation of [`crate::report`].
pub fn score(results: &[ResultEntry]) -> (Vec<CheckOutcome>, Score) {
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
                .filter(|r| r.check_id == c.id && r.status == s && r.counts())
                .count()
        };
        let suppressed = results
            .iter()
            .filter(|r| r.check_id == c.id && !r.counts())
            .count();
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
            suppressed,
        });
    }
    let count = |s: Status| {
        results
            .iter()
            .filter(|r| r.status == s && r.counts())
            .count()
    };
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

    (checks_out, score)
}
