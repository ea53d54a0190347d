//! What a check yields: one finding per resource it looked at.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::inventory::{GLOBAL_REGION, Gap, Inventory};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Pass,
    Fail,
    /// The check could not judge this resource: the data it needs is a gap.
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub arn: String,
    pub id: String,
    /// The Security Hub (ASFF) resource type: `AwsAccount`, `AwsIamUser`, `AwsIamRole`, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub region: String,
}

impl Resource {
    /// The account itself, for account-wide settings.
    pub fn account(inv: &Inventory) -> Self {
        Resource {
            arn: format!("arn:{}:iam::{}:root", inv.account.partition, inv.account.id),
            id: inv.account.id.clone(),
            kind: "AwsAccount".to_string(),
            region: GLOBAL_REGION.to_string(),
        }
    }

    /// Stands for every resource of a kind in a region whose list could not be read:
    /// `arn:<partition>:<service>:<region>:<account>:<arn_resource>`, named `<what> in <region>`.
    pub fn all_in_region(
        inv: &Inventory,
        region: &str,
        service: &str,
        arn_resource: &str,
        kind: &str,
        what: &str,
    ) -> Self {
        Resource {
            arn: format!(
                "arn:{}:{service}:{region}:{}:{arn_resource}",
                inv.account.partition, inv.account.id
            ),
            id: format!("{what} in {region}"),
            kind: kind.to_string(),
            region: region.to_string(),
        }
    }

    pub fn iam_role(name: &str, arn: &str) -> Self {
        Resource {
            arn: arn.to_string(),
            id: name.to_string(),
            kind: "AwsIamRole".to_string(),
            region: GLOBAL_REGION.to_string(),
        }
    }

    pub fn iam_user(name: &str, arn: &str) -> Self {
        Resource {
            arn: arn.to_string(),
            id: name.to_string(),
            kind: "AwsIamUser".to_string(),
            region: GLOBAL_REGION.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    pub status: Status,
    pub resource: Resource,
    pub message: String,
    /// The facts the verdict rests on (dates, sources, policy names), for the auditor.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub evidence: Map<String, Value>,
}

impl Finding {
    fn new(status: Status, resource: Resource, message: impl Into<String>) -> Self {
        Finding {
            // Set by the registry, which runs the check ([`crate::checks::Check::run`]):
            // a check's id is written once, in its registry line.
            check_id: String::new(),
            status,
            resource,
            message: message.into(),
            evidence: Map::new(),
        }
    }

    pub fn pass(resource: Resource, message: impl Into<String>) -> Self {
        Self::new(Status::Pass, resource, message)
    }

    pub fn fail(resource: Resource, message: impl Into<String>) -> Self {
        Self::new(Status::Fail, resource, message)
    }

    /// The check could not run on `resource` because `gap` stands where its data should be.
    pub fn gap(resource: Resource, gap: &Gap) -> Self {
        Self::new(
            Status::Error,
            resource,
            format!(
                "not evaluated: {} {} failed in {} ({}): {}",
                gap.service, gap.operation, gap.region, gap.error_code, gap.message
            ),
        )
        .with("gap", serde_json::to_value(gap).unwrap_or(Value::Null))
    }

    /// The check could not run for a reason other than a failed call.
    pub fn error(resource: Resource, message: impl Into<String>) -> Self {
        Self::new(Status::Error, resource, message)
    }

    /// Adds one piece of evidence.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }
}
