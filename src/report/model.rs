//! The report's data: findings joined with their check's metadata, in the shape the JSON
//! contract publishes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::score::Score;
use crate::checks::{self, Area, Finding, Metadata, Resource, Severity, Status};
use crate::inventory::{Account, ApiCallCount, Collected, Gap, Inventory, SkippedRegion, Tool};

/// The JSON report's version: bumped on any change that could break a consumer.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub account: Account,
    /// The regions scanned; every regional result names its own.
    pub regions: Vec<String>,
    /// The account's regions that were not scanned, and why; a gap when the list of
    /// regions could not be read.
    pub skipped_regions: Collected<Vec<SkippedRegion>>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub score: Score,
    /// Security Hub's own security score, reproduced, per region where it is on.
    #[serde(default)]
    pub security_hub: Vec<super::hub::HubScore>,
    pub checks: Vec<CheckOutcome>,
    pub results: Vec<ResultEntry>,
    pub gaps: Vec<Gap>,
    pub api_calls: Vec<ApiCallCount>,
    /// The suppressions of the configuration, each with what it matched (`--config`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<SuppressionUse>,
    /// The comparison with an earlier report (`--baseline`, `postura diff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
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
    /// Results left out of the counts above (and of the score) by a suppression.
    #[serde(default)]
    pub suppressed: usize,
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
    /// Set when a suppression of the configuration covers this result: it stays in every
    /// output, marked, and out of the score and the exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
    /// Against the baseline: `new` (FAIL now, not before), `unchanged` (FAIL both times)
    /// or `resolved` (FAIL before, PASS now). Absent without a baseline, and for results
    /// that did not fail either time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

impl ResultEntry {
    /// Whether the result counts: not suppressed.
    pub fn counts(&self) -> bool {
        self.suppressed.is_none()
    }

    /// The key a result is matched by across scans: its check and its resource's ARN,
    /// never its message; and the resource's id, which tells apart results that share an
    /// ARN (a user's inline policies are judged one by one, under the user's ARN).
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.check_id, &self.resource.arn, &self.resource.id)
    }
}

/// Why a result is suppressed, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub reason: String,
    /// The last day the suppression holds (`YYYY-MM-DD`), if it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where it is written: `postura.toml:12`.
    pub source: String,
}

/// A suppression of the configuration and what became of it in this report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionUse {
    pub check: String,
    /// The ARN pattern (`*` matches any run of characters, `?` one character).
    pub resource: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub source: String,
    pub state: SuppressionState,
    /// How many FAIL or ERROR results it covers (0 unless active); a result two
    /// suppressions cover is marked with the first, and counted by both.
    pub matched: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionState {
    /// It covers at least one result.
    Active,
    /// Its expiry date has passed: it covers nothing, and the results count again.
    Expired,
    /// It matches no FAIL or ERROR result: remove it, or fix its check or pattern.
    Unmatched,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Unchanged,
    Resolved,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Unchanged => "unchanged",
            Change::Resolved => "resolved",
        }
    }
}

/// The earlier report this one was compared with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    /// The file it was read from, as given.
    pub file: String,
    pub finished_at: DateTime<Utc>,
    pub new: usize,
    pub unchanged: usize,
    pub resolved: usize,
    /// FAIL results of the baseline whose resource has no result now (deleted, or no
    /// longer in scope), in a region this report scanned.
    pub gone: Vec<GoneResult>,
    /// FAIL results of the baseline that this report could not evaluate again (the
    /// resource, or its check in that region, is an ERROR now): not counted as resolved.
    #[serde(default)]
    pub not_rechecked: Vec<GoneResult>,
}

/// A baseline failure with no counterpart in this report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoneResult {
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub resource: Resource,
    pub message: String,
}

impl Report {
    /// Runs every check over the inventory and builds the report.
    pub fn evaluate(inv: &Inventory) -> Report {
        Self::from_findings(inv, checks::run_all(inv))
    }

    pub fn from_findings(inv: &Inventory, findings: Vec<Finding>) -> Report {
        let mut results: Vec<ResultEntry> = findings
            .into_iter()
            .map(|f| {
                // A finding whose id has no metadata is a bug (a test holds every check
                // to its registry id); it is shown as such, never dropped.
                let (title, severity, area, compliance) = match Metadata::of(&f.check_id) {
                    Some(m) => (m.title.clone(), m.severity, m.area, m.compliance.labels()),
                    None => (
                        format!(
                            "{} (a check postura has no metadata for: please report it)",
                            f.check_id
                        ),
                        Severity::High,
                        Area::Identity,
                        Vec::new(),
                    ),
                };
                ResultEntry {
                    title,
                    severity,
                    area,
                    compliance,
                    check_id: f.check_id,
                    status: f.status,
                    resource: f.resource,
                    message: f.message,
                    evidence: f.evidence,
                    suppressed: None,
                    change: None,
                }
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

        let mut report = Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool::this(),
            account: inv.account.clone(),
            regions: inv.regions.clone(),
            skipped_regions: inv.skipped_regions.clone(),
            started_at: inv.started_at,
            finished_at: inv.finished_at,
            score: Score::default(),
            security_hub: super::hub::scores(inv),
            checks: Vec::new(),
            results,
            gaps: inv.gaps(),
            api_calls: inv.api_calls.clone(),
            suppressions: Vec::new(),
            baseline: None,
        };
        report.rescore();
        report
    }

    /// Recomputes the per-check outcomes and the scores from the results (after
    /// suppressions change which results count).
    pub fn rescore(&mut self) {
        let (checks_out, score) = super::score::score(&self.results);
        self.checks = checks_out;
        self.score = score;
    }

    /// The results that count (not suppressed) with this status.
    pub fn counted(&self, status: Status) -> impl Iterator<Item = &ResultEntry> {
        self.results
            .iter()
            .filter(move |r| r.status == status && r.counts())
    }
}
