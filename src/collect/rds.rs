//! RDS collector, one region at a time: DB instances and DB clusters, one paginated call
//! each, concurrently.

use aws_sdk_rds::types::{DbCluster as SdkCluster, DbInstance as SdkInstance};

use super::{Ctx, call, fanout};
use crate::inventory::rds::*;

const SERVICE: &str = "RDS";

pub async fn collect(ctx: &Ctx, region: &str) -> RdsInventory {
    let rds = ctx.rds(region);
    let (instances, clusters) = fanout::both(
        call(
            ctx,
            SERVICE,
            region,
            "DescribeDBInstances",
            rds.describe_db_instances()
                .max_records(100)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        ),
        call(
            ctx,
            SERVICE,
            region,
            "DescribeDBClusters",
            rds.describe_db_clusters()
                .max_records(100)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        ),
    )
    .await;
    RdsInventory {
        instances: instances.map(|v| v.iter().map(instance).collect()).into(),
        clusters: clusters.map(|v| v.iter().map(cluster).collect()).into(),
    }
}

fn instance(i: &SdkInstance) -> DbInstance {
    DbInstance {
        id: i.db_instance_identifier().unwrap_or_default().to_string(),
        arn: i.db_instance_arn().unwrap_or_default().to_string(),
        engine: i.engine().unwrap_or_default().to_string(),
        port: i
            .endpoint()
            .and_then(|e| e.port())
            .or(i.db_instance_port().filter(|p| *p > 0)),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        storage_encrypted: i.storage_encrypted().unwrap_or(false),
        backup_retention_days: i.backup_retention_period().unwrap_or(0),
        deletion_protection: i.deletion_protection().unwrap_or(false),
        auto_minor_version_upgrade: i.auto_minor_version_upgrade().unwrap_or(false),
        security_groups: i
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
            .collect(),
        cluster_id: i.db_cluster_identifier().map(str::to_string),
    }
}

fn cluster(c: &SdkCluster) -> DbCluster {
    DbCluster {
        id: c.db_cluster_identifier().unwrap_or_default().to_string(),
        arn: c.db_cluster_arn().unwrap_or_default().to_string(),
        engine: c.engine().unwrap_or_default().to_string(),
        port: c.port(),
        publicly_accessible: c.publicly_accessible(),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        backup_retention_days: c.backup_retention_period().unwrap_or(0),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        auto_minor_version_upgrade: c.auto_minor_version_upgrade(),
        security_groups: c
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
            .collect(),
        members: c
            .db_cluster_members()
            .iter()
            .filter_map(|m| m.db_instance_identifier().map(str::to_string))
            .collect(),
    }
}
