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
