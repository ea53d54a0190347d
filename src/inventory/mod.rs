//! The inventory: everything a scan collected, as owned, serialisable data.
//!
//! Nothing in here is an SDK type. `postura collect -o FILE` writes an [`Inventory`] as
//! JSON and `postura evaluate FILE` reads it back, so the checks can be re-run offline and
//! the checks' unit tests use hand-written inventories as fixtures. What could not be
//! collected is recorded as a [`Gap`] in place of the data, never as an empty value.

pub mod cloudtrail;
pub mod cognito;
pub mod detection;
pub mod ec2;
pub mod iam;
pub mod rds;
pub mod s3;
pub mod securityhub;

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

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
    /// The regions scanned.
    pub regions: Vec<String>,
    /// The account's other regions, each with why it was not scanned; a gap when the list
    /// of regions could not be read (then `regions` is what was asked for, or the home
    /// region).
    #[serde(default = "not_collected")]
    pub skipped_regions: Collected<Vec<SkippedRegion>>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The global part: services that are not regional.
    pub iam: iam::IamInventory,
    /// S3: the account's settings and every bucket in a scanned region.
    #[serde(default = "not_collected")]
    pub s3: Collected<s3::S3Inventory>,
    /// CloudTrail's trails (account-wide: multi-region trails apply everywhere).
    #[serde(default = "not_collected")]
    pub cloudtrail: Collected<cloudtrail::CloudTrailInventory>,
    /// The regional part: one entry per scanned region, one section per regional service.
    #[serde(default)]
    pub regional: BTreeMap<String, RegionInventory>,
    /// Calls made to collect this inventory, per operation.
    #[serde(default)]
    pub api_calls: Vec<ApiCallCount>,
}

/// A region of the account that was not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRegion {
    pub region: String,
    /// `not-opted-in` (the account has not enabled it) or `not-requested` (`--region`
    /// named others).
    pub reason: String,
}

/// What was collected in one region: one section per regional service. A section an
/// older postura did not collect reads as a gap (see [`Inventory::settle`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionInventory {
    #[serde(default = "not_collected")]
    pub ec2: Collected<ec2::Ec2Inventory>,
    #[serde(default = "not_collected")]
    pub rds: Collected<rds::RdsInventory>,
    #[serde(default = "not_collected")]
    pub cognito: Collected<cognito::CognitoInventory>,
    #[serde(default = "not_collected")]
    pub securityhub: Collected<securityhub::SecurityHubInventory>,
    #[serde(default = "not_collected")]
    pub guardduty: Collected<detection::GuardDutyInventory>,
    #[serde(default = "not_collected")]
    pub config: Collected<detection::ConfigInventory>,
    #[serde(default = "not_collected")]
    pub access_analyzer: Collected<detection::AccessAnalyzerInventory>,
}

impl RegionInventory {
    /// A region none of whose services was collected.
    pub fn missing(region: &str) -> Self {
        let mut r = RegionInventory {
            ec2: not_collected(),
            rds: not_collected(),
            cognito: not_collected(),
            securityhub: not_collected(),
            guardduty: not_collected(),
            config: not_collected(),
            access_analyzer: not_collected(),
        };
        r.settle(region);
        r
    }

    /// Names the service and region in each "not collected" gap of this region.
    fn settle(&mut self, region: &str) {
        self.ec2.place("EC2", region);
        if let Collected::Ok(ec2) = &mut self.ec2 {
            ec2.prefix_lists.place("EC2", region);
        }
        self.rds.place("RDS", region);
        if let Collected::Ok(rds) = &mut self.rds {
            rds.clusters.place("RDS", region);
            rds.snapshots.place("RDS", region);
            rds.cluster_snapshots.place("RDS", region);
        }
        self.cognito.place("Cognito Identity Provider", region);
        self.securityhub.place("SecurityHub", region);
        self.guardduty.place("GuardDuty", region);
        self.config.place("Config Service", region);
        self.access_analyzer.place("AccessAnalyzer", region);
    }
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
    /// The region the calls went to (`global` for IAM); empty in inventories written
    /// before it was recorded.
    #[serde(default)]
    pub region: String,
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
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collected<T> {
    Ok(T),
    Gap(Gap),
}

thread_local! {
    /// Where [`Inventory::gaps`] gathers the gaps it meets while serialising.
    static GAP_SINK: RefCell<Option<Vec<Gap>>> = const { RefCell::new(None) };
}

// Written by hand (as the derive would) so that serialising an inventory can also list its
// gaps: every gap, wherever it sits, with no list of fields to keep up to date.
impl<T: Serialize> Serialize for Collected<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Collected::Ok(v) => s.serialize_newtype_variant("Collected", 0, "ok", v),
            Collected::Gap(g) => {
                GAP_SINK.with(|sink| {
                    if let Some(gaps) = sink.borrow_mut().as_mut() {
                        gaps.push(g.clone());
                    }
                });
                s.serialize_newtype_variant("Collected", 1, "gap", g)
            }
        }
    }
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

    /// Gives a "not collected" gap its service and region.
    fn place(&mut self, service: &str, region: &str) {
        if let Collected::Gap(g) = self
            && g.error_code == NOT_COLLECTED
        {
            g.service = service.to_string();
            g.region = region.to_string();
        }
    }
}

/// The error code of a part of the inventory an older postura did not collect.
pub const NOT_COLLECTED: &str = "NotCollected";

/// What a part of the inventory that an older postura did not collect reads as: a gap, so
/// that the checks that need it say so instead of passing.
pub fn not_collected<T>() -> Collected<T> {
    Collected::Gap(not_collected_gap("postura", GLOBAL_REGION))
}

/// The gap for a part of `service` in `region` that this inventory does not hold.
pub fn not_collected_gap(service: &str, region: &str) -> Gap {
    Gap {
        service: service.into(),
        region: region.into(),
        operation: "inventory".into(),
        error_code: NOT_COLLECTED.into(),
        message: "this inventory was written by an earlier postura that did not collect this part; collect it again".into(),
    }
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
    /// Makes an inventory read from a file whole: every scanned region has its entry, and
    /// every service an older postura did not collect is a gap naming that service and
    /// region, so that its checks say ERROR instead of finding nothing to judge.
    pub fn settle(&mut self) {
        self.skipped_regions.place("EC2", GLOBAL_REGION);
        self.s3.place("S3", GLOBAL_REGION);
        self.cloudtrail.place("CloudTrail", GLOBAL_REGION);
        for region in &self.regions {
            self.regional
                .entry(region.clone())
                .and_modify(|r| r.settle(region))
                .or_insert_with(|| RegionInventory::missing(region));
        }
    }

    /// Every scanned region with its inventory, or the gap that stands for a region with
    /// none (an inventory not made whole by [`Inventory::settle`]).
    pub fn regions(&self) -> impl Iterator<Item = (&str, Result<&RegionInventory, Gap>)> {
        self.regions.iter().map(|name| {
            let r = self
                .regional
                .get(name)
                .ok_or_else(|| not_collected_gap("postura", name));
            (name.as_str(), r)
        })
    }

    /// Every gap in the inventory, wherever it sits, in a stable order.
    pub fn gaps(&self) -> Vec<Gap> {
        GAP_SINK.with(|sink| *sink.borrow_mut() = Some(Vec::new()));
        // Serialising to nowhere visits every `Collected`; nothing here can fail to
        // serialise (string keys, no non-finite floats).
        let _ = serde_json::to_writer(std::io::sink(), self);
        let mut gaps = GAP_SINK
            .with(|sink| sink.borrow_mut().take())
            .unwrap_or_default();
        gaps.sort_by(|a, b| {
            (
                &a.service,
                &a.region,
                &a.operation,
                &a.error_code,
                &a.message,
            )
                .cmp(&(
                    &b.service,
                    &b.region,
                    &b.operation,
                    &b.error_code,
                    &b.message,
                ))
        });
        gaps.dedup();
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::ec2::{Ec2Inventory, PrefixList};
    use super::*;

    fn gap(operation: &str) -> Gap {
        Gap {
            service: "EC2".into(),
            region: "eu-west-1".into(),
            operation: operation.into(),
            error_code: "UnauthorizedOperation".into(),
            message: "no".into(),
        }
    }

    fn section(prefix_lists: Collected<Vec<PrefixList>>) -> RegionInventory {
        RegionInventory {
            ec2: Collected::Ok(Ec2Inventory {
                security_groups: Collected::Ok(Vec::new()),
                prefix_lists,
            }),
            rds: Collected::Ok(super::rds::RdsInventory {
                instances: Collected::Ok(Vec::new()),
                clusters: Collected::Ok(Vec::new()),
                snapshots: Collected::Ok(Vec::new()),
                cluster_snapshots: Collected::Ok(Vec::new()),
            }),
            cognito: Collected::Ok(super::cognito::CognitoInventory {
                user_pools: Vec::new(),
            }),
            securityhub: Collected::Ok(super::securityhub::SecurityHubInventory {
                enabled: false,
                standards: Collected::Ok(Vec::new()),
                controls: Collected::Ok(Vec::new()),
                findings_left_out: 0,
            }),
            guardduty: Collected::Ok(super::detection::GuardDutyInventory {
                detectors: Vec::new(),
            }),
            config: Collected::Ok(super::detection::ConfigInventory {
                recorders: Vec::new(),
            }),
            access_analyzer: Collected::Ok(super::detection::AccessAnalyzerInventory {
                analyzers: Vec::new(),
            }),
        }
    }

    #[test]
    fn gaps_are_found_wherever_they_sit_and_read_back_the_same() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        assert_eq!(inv.gaps(), [], "the fixture is whole");
        // A gap nested two levels down, inside a prefix list of a region's EC2 section.
        let nested = PrefixList {
            id: "pl-1".into(),
            name: "office".into(),
            owner_id: "123456789012".into(),
            address_family: "IPv4".into(),
            entries: Some(Collected::Gap(gap("GetManagedPrefixListEntries"))),
        };
        inv.regional
            .insert("eu-west-1".into(), section(Collected::Ok(vec![nested])));
        let gaps = inv.gaps();
        assert!(
            gaps.iter()
                .any(|g| g.operation == "GetManagedPrefixListEntries"),
            "{gaps:?}"
        );
        // Serialising for the file writes the same shape serde reads back.
        let back: Inventory =
            serde_json::from_str(&serde_json::to_string(&inv).expect("serialise")).expect("read");
        assert_eq!(back.gaps(), gaps);
        // And the sink is off once done: serialising again elsewhere collects nothing.
        GAP_SINK.with(|sink| assert!(sink.borrow().is_none()));
    }

    #[test]
    fn an_older_file_reads_its_regions_as_not_collected() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        inv.regional.clear();
        inv.settle();
        let g = inv.regional["eu-west-1"].ec2.gap().expect("a gap");
        assert_eq!(
            (g.service.as_str(), g.region.as_str()),
            ("EC2", "eu-west-1")
        );
        assert_eq!(g.error_code, NOT_COLLECTED);
        let mut half = section(not_collected());
        half.settle("us-east-1");
        let Collected::Ok(ec2) = &half.ec2 else {
            panic!("the section is there")
        };
        let g = ec2.prefix_lists.gap().expect("a gap");
        assert_eq!(
            (g.service.as_str(), g.region.as_str()),
            ("EC2", "us-east-1")
        );
    }
}
