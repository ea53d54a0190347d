//! RDS, per region: DB instances and DB clusters, with what the database checks judge.

use serde::{Deserialize, Serialize};

use super::{Collected, not_collected};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RdsInventory {
    pub instances: Collected<Vec<DbInstance>>,
    #[serde(default = "not_collected")]
    pub clusters: Collected<Vec<DbCluster>>,
    /// Manual snapshots of instances: the only ones that can be shared.
    #[serde(default = "not_collected")]
    pub snapshots: Collected<Vec<DbSnapshot>>,
    /// Manual snapshots of clusters.
    #[serde(default = "not_collected")]
    pub cluster_snapshots: Collected<Vec<DbSnapshot>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbSnapshot {
    pub id: String,
    pub arn: String,
    /// `instance` or `cluster`.
    pub of: String,
    /// The instance or cluster it was taken of.
    pub source: String,
    pub encrypted: bool,
    /// Who may restore it (the `restore` attribute): account ids, or `all` for everyone.
    pub restorable_by: Collected<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbInstance {
    /// The DB instance identifier.
    pub id: String,
    pub arn: String,
    pub engine: String,
    /// The port the database listens on (the endpoint's, else the instance's).
    pub port: Option<i32>,
    pub publicly_accessible: bool,
    pub storage_encrypted: bool,
    /// Days automated backups are kept; 0 turns them off.
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    pub auto_minor_version_upgrade: bool,
    /// VPC security groups (`sg-...`) that guard it.
    pub security_groups: Vec<String>,
    /// The cluster it belongs to (Aurora, Multi-AZ DB clusters), whose settings govern
    /// storage, backups and deletion protection.
    pub cluster_id: Option<String>,
    /// The instance it replicates, for a read replica.
    #[serde(default)]
    pub read_replica_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbCluster {
    pub id: String,
    pub arn: String,
    pub engine: String,
    pub port: Option<i32>,
    /// Only Multi-AZ DB clusters carry it; Aurora's is per instance.
    pub publicly_accessible: Option<bool>,
    pub storage_encrypted: bool,
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    /// Only Multi-AZ DB clusters carry it; Aurora's is per instance.
    pub auto_minor_version_upgrade: Option<bool>,
    pub security_groups: Vec<String>,
    pub members: Vec<String>,
}
