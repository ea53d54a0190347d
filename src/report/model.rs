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

        let (checks_out, score) = super::score::score(&results);

        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool::this(),
            account: inv.account.clone(),
            regions: inv.regions.clone(),
            skipped_regions: inv.skipped_regions.clone(),
            started_at: inv.started_at,
            finished_at: inv.finished_at,
            score,
            security_hub: super::hub::scores(inv),
            checks: checks_out,
            results,
            gaps: inv.gaps(),
            api_calls: inv.api_calls.clone(),
        }
    }
}
