//! Check metadata, read from the embedded `checks/<id>.toml` files.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::REGISTRY;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    // Declared from most to least severe, so that sorting puts critical first.
    Critical,
    High,
    Medium,
    Low,
    Informational,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Informational => "informational",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sections of the users' security document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    Identity,
    ApiAuthentication,
    Storage,
    DatabaseNetwork,
    Encryption,
    Monitoring,
}

impl Area {
    pub fn title(self) -> &'static str {
        match self {
            Area::Identity => "Identity & access",
            Area::ApiAuthentication => "API authentication",
            Area::Storage => "File storage",
            Area::DatabaseNetwork => "Database & network",
            Area::Encryption => "Data encryption",
            Area::Monitoring => "Monitoring & detection",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    /// CIS AWS Foundations Benchmark v5.0.0 recommendation numbers.
    #[serde(default)]
    pub cis: Vec<String>,
    /// AWS Security Hub Foundational Security Best Practices control ids.
    #[serde(default)]
    pub fsbp: Vec<String>,
}

impl Compliance {
    /// `"CIS 1.9"`, `"FSBP IAM.5"`, ...
    pub fn labels(&self) -> Vec<String> {
        self.cis
            .iter()
            .map(|c| format!("CIS {c}"))
            .chain(self.fsbp.iter().map(|c| format!("FSBP {c}")))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub area: Area,
    pub rationale: String,
    pub remediation: String,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub compliance: Compliance,
}

impl Metadata {
    pub fn parse(source: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(source)
    }

    /// The metadata of a registered check.
    pub fn of(id: &str) -> Option<&'static Metadata> {
        ALL.get(id)
    }
}

static ALL: LazyLock<BTreeMap<&'static str, Metadata>> = LazyLock::new(|| {
    REGISTRY
        .iter()
        .filter_map(|c| Metadata::parse(c.metadata_source).ok().map(|m| (c.id, m)))
        .collect()
});
