//! Security Hub, per region: whether it is on, the standards enabled, and the control
//! findings its security score is computed from.

use serde::{Deserialize, Serialize};

use super::Collected;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityHubInventory {
    /// Whether the account is subscribed to Security Hub in the region (DescribeHub).
    pub enabled: bool,
    /// The enabled standards (GetEnabledStandards); empty when Security Hub is off.
    pub standards: Collected<Vec<EnabledStandard>>,
    /// Active, not suppressed control findings (those with a SecurityControlId), per
    /// control; empty when Security Hub is off.
    pub controls: Collected<Vec<ControlFindings>>,
    /// Findings read but left out of the score: archived, or suppressed.
    #[serde(default)]
    pub findings_left_out: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnabledStandard {
    /// `arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0`.
    pub arn: String,
    /// `READY`, `PENDING`, `INCOMPLETE`, `DELETING`, `FAILED`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ControlFindings {
    /// The security control id (`IAM.1`, `S3.8`).
    pub id: String,
    pub title: String,
    pub passed: u64,
    pub failed: u64,
    /// WARNING and NOT_AVAILABLE.
    pub other: u64,
    /// The standards the control's findings name (`standards/aws-foundational-...`).
    pub standards: Vec<String>,
}

/// The part of a standard's ARN its findings name: from `standards/` on (findings say
/// `standards/cis-aws-foundations-benchmark/v/5.0.0`, GetEnabledStandards the full ARN;
/// older standards say `ruleset/cis-aws-foundations-benchmark/v/1.2.0`).
pub fn standard_key(arn_or_id: &str) -> &str {
    for marker in ["standards/", "ruleset/"] {
        if let Some(i) = arn_or_id.find(marker) {
            return &arn_or_id[i..];
        }
    }
    arn_or_id
}
