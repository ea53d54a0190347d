//! CloudTrail: the trails that apply to the account's regions (DescribeTrails with shadow
//! trails, asked once), each with its logging status and event selectors read in its home
//! region.

use serde::{Deserialize, Serialize};

use super::Collected;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudTrailInventory {
    pub trails: Vec<Trail>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization: bool,
    pub log_file_validation: bool,
    /// The bucket the trail delivers to.
    pub bucket: Option<String>,
    /// GetTrailStatus `IsLogging`.
    pub logging: Collected<bool>,
    /// Whether DescribeTrails says the trail has custom event selectors.
    #[serde(default)]
    pub custom_selectors: bool,
    /// The trail's event selectors (GetEventSelectors), always asked: the flag above is not
    /// trusted alone. `None` only in a hand-written inventory: unknown.
    pub selectors: Option<Collected<Selectors>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Selectors {
    pub basic: Vec<BasicSelector>,
    /// Advanced selectors, each a list of field conditions (ANDed).
    pub advanced: Vec<Vec<FieldSelector>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write: String,
    pub management_events: bool,
    pub excluded_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldSelector {
    pub field: String,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub not_equals: Vec<String>,
    #[serde(default)]
    pub starts_with: Vec<String>,
    #[serde(default)]
    pub not_starts_with: Vec<String>,
    #[serde(default)]
    pub ends_with: Vec<String>,
    #[serde(default)]
    pub not_ends_with: Vec<String>,
}
