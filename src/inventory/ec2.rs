//! EC2, per region: security groups with their rules, and the managed prefix lists those
//! rules name.

use serde::{Deserialize, Serialize};

use super::{Collected, not_collected};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Inventory {
    pub security_groups: Collected<Vec<SecurityGroup>>,
    /// The managed prefix lists that some rule names, with the entries of those not owned
    /// by AWS. Lists no rule names are not read.
    #[serde(default = "not_collected")]
    pub prefix_lists: Collected<Vec<PrefixList>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// `sg-...`
    pub id: String,
    pub name: String,
    /// `None` only for EC2-Classic groups, which AWS retired in 2023.
    pub vpc_id: Option<String>,
    pub owner_id: String,
    pub ingress: Vec<Permission>,
    pub egress: Vec<Permission>,
}

impl SecurityGroup {
    /// Every VPC has one group named `default`, made with the VPC and impossible to delete.
    pub fn is_vpc_default(&self) -> bool {
        self.name == "default" && self.vpc_id.is_some()
    }
}

/// One `IpPermission`: a protocol, a port range, and the sources (or destinations) it
/// opens to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// As EC2 gives it: `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (every protocol), or an IP
    /// protocol number (`6`, `17`, `50`...).
    pub protocol: String,
    /// For TCP and UDP, the first and last port; for ICMP, the type and code; absent or
    /// `-1` for every protocol.
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    #[serde(default)]
    pub ipv4_ranges: Vec<String>,
    #[serde(default)]
    pub ipv6_ranges: Vec<String>,
    #[serde(default)]
    pub prefix_list_ids: Vec<String>,
    /// Other security groups (`sg-...`, or `account/sg-...` across accounts).
    #[serde(default)]
    pub group_sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrefixList {
    /// `pl-...`
    pub id: String,
    pub name: String,
    /// `AWS` for the lists AWS manages (its services' address ranges), else an account id.
    pub owner_id: String,
    /// `IPv4` or `IPv6`.
    pub address_family: String,
    /// The CIDRs in the list; `None` for AWS-managed lists, which are not read (their
    /// entries are AWS's own service ranges, never the whole internet).
    pub entries: Option<Collected<Vec<String>>>,
}

impl PrefixList {
    pub fn is_aws_managed(&self) -> bool {
        self.owner_id == "AWS"
    }
}
