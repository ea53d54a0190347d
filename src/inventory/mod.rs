//! The inventory: everything a scan collected, as owned, serialisable data.
//!
//! Nothing in here is an SDK type. `postura collect -o FILE` writes an [`Inventory`] as
//! JSON and `postura evaluate FILE` reads it back, so the checks can be re-run offline and
//! the checks' unit tests use hand-written inventories as fixtures. What could not be
//! collected is recorded as a [`Gap`] in place of the data, never as an empty value.

pub mod iam;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bumped whenever a change to these types would break reading an older file.
pub const SCHEMA_VERSION: u32 = 1;

/// The region recorded for global services such as IAM.
pub const GLOBAL_REGION: &str = "global";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub schema_version: u32,
    pub tool: Tool,
    pub account: Account,
    pub regions: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub iam: iam::IamInventory,
    /// Calls made to collect this inventory, per operation.
    #[serde(default)]
    pub api_calls: Vec<ApiCallCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id.
    pub id: String,
    /// The AWS partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// Who ran the scan: the caller's ARN from sts:GetCallerIdentity.
    pub scanned_by: String,
}

/// How often one operation was called during a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCallCount {
    pub service: String,
    pub operation: String,
    /// The IAM action the call needed.
    pub iam_action: String,
    /// Calls made by postura (one per request the code issued, pages included).
    pub calls: u64,
    /// HTTP attempts, retries included.
    pub attempts: u64,
}

/// Why a piece of the inventory is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub service: String,
    pub region: String,
    pub operation: String,
    /// The AWS error code (`AccessDenied`, `Throttling`, ...), or a transport-level kind
    /// (`Timeout`, `DispatchFailure`, `ResponseError`) when AWS gave none.
    pub error_code: String,
    pub message: String,
}

/// One piece of collected data, or the gap that stands in its place.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collected<T> {
    Ok(T),
    Gap(Gap),
}

impl<T> Collected<T> {
    pub fn get(&self) -> Result<&T, &Gap> {
        match self {
            Collected::Ok(v) => Ok(v),
            Collected::Gap(g) => Err(g),
        }
    }

    pub fn gap(&self) -> Option<&Gap> {
        match self {
            Collected::Ok(_) => None,
            Collected::Gap(g) => Some(g),
        }
    }
}

/// What a part of the inventory that an older postura did not collect reads as: a gap, so
/// that the checks that need it say so instead of passing.
pub fn not_collected<T>() -> Collected<T> {
    Collected::Gap(Gap {
        service: "postura".into(),
        region: GLOBAL_REGION.into(),
        operation: "inventory".into(),
        error_code: "NotCollected".into(),
        message: "this inventory was written by an earlier postura that did not collect this part; collect it again".into(),
    })
}

impl<T> From<Result<T, Gap>> for Collected<T> {
    fn from(r: Result<T, Gap>) -> Self {
        match r {
            Ok(v) => Collected::Ok(v),
            Err(g) => Collected::Gap(g),
        }
    }
}

impl Inventory {
    /// Every gap in the inventory, in a stable order.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = self.iam.gaps().into_iter().cloned().collect();
        gaps.sort_by(|a, b| {
            (&a.service, &a.region, &a.operation).cmp(&(&b.service, &b.region, &b.operation))
        });
        gaps.dedup();
        gaps
    }
}
