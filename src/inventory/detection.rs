//! GuardDuty and AWS Config, per region: the detectors and the configuration recorders.

use serde::{Deserialize, Serialize};

use super::Collected;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyInventory {
    pub detectors: Vec<Detector>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detector {
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: Collected<String>,
    /// Unarchived findings of high severity (7.0 and above).
    pub high_findings: Collected<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigInventory {
    pub recorders: Vec<Recorder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorder {
    pub name: String,
    /// Records every supported resource type.
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    /// Whether it is recording now (DescribeConfigurationRecorderStatus); `None` when the
    /// status lists no entry for it.
    pub recording: Option<bool>,
    /// `Success`, `Failure` or `Pending`.
    pub last_status: Option<String>,
}

/// IAM Access Analyzer, per region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessAnalyzerInventory {
    pub analyzers: Vec<Analyzer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analyzer {
    pub arn: String,
    pub name: String,
    /// `ACCOUNT`, `ORGANIZATION` (external access), or the unused-access and internal kinds.
    pub kind: String,
    /// `ACTIVE`, `CREATING`, `DISABLED`, `FAILED`.
    pub status: String,
    /// Its active findings, read for active external-access analyzers only.
    pub findings: Option<Collected<Vec<ExternalAccess>>>,
}

/// Whether an analyzer of this kind reports external access (ACCOUNT or ORGANIZATION;
/// not the unused-access and internal-access kinds): the collector reads the findings of
/// these, and the checks count on them.
pub fn reports_external_access(kind: &str) -> bool {
    kind == "ACCOUNT" || kind == "ORGANIZATION"
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalAccess {
    pub id: String,
    pub resource: String,
    pub resource_type: String,
    /// Who outside gets in: `AWS` → account or ARN, `Federated`, ...; `*` for everyone.
    pub principal: Vec<(String, String)>,
    pub public: bool,
    pub actions: Vec<String>,
}
