//! RDS collector, one region at a time: DB instances and DB clusters, one paginated call
//! each, concurrently.

use aws_sdk_rds::Client;
use aws_sdk_rds::types::{DbCluster as SdkCluster, DbInstance as SdkInstance};

use crate::inventory::Gap;

use super::{Ctx, call, fanout};
use crate::inventory::rds::*;

const SERVICE: &str = super::fanout::Service::Rds.sdk_name();

pub async fn collect(ctx: &Ctx, region: &str) -> RdsInventory {
    let rds = ctx.rds(region);
    let (snapshots, (instances, clusters)) = fanout::both(
        snapshots(ctx, &rds, region),
        fanout::both(
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
        ),
    )
    .await;
    let (snapshots, cluster_snapshots) = snapshots;
    RdsInventory {
        snapshots: snapshots.into(),
        cluster_snapshots: cluster_snapshots.into(),
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
        read_replica_of: i
            .read_replica_source_db_instance_identifier()
            .map(str::to_string),
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

/// The `restore` attribute's values, from an attributes answer's list.
fn restore_values<'a>(
    attributes: impl Iterator<Item = (Option<&'a str>, &'a [String])>,
) -> Vec<String> {
    attributes
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}

/// Manual snapshots of instances and of clusters, each with who may restore it (one
/// attributes call per snapshot, concurrently).
async fn snapshots(
    ctx: &Ctx,
    rds: &Client,
    region: &str,
) -> (Result<Vec<DbSnapshot>, Gap>, Result<Vec<DbSnapshot>, Gap>) {
    let (instance_snaps, cluster_snaps) = fanout::both(
        call(
            ctx,
            SERVICE,
            region,
            "DescribeDBSnapshots",
            rds.describe_db_snapshots()
                .snapshot_type("manual")
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
            "DescribeDBClusterSnapshots",
            rds.describe_db_cluster_snapshots()
                .snapshot_type("manual")
                .max_records(100)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        ),
    )
    .await;
    let no_snapshots = Vec::new();
    let instances = fanout::each(
        instance_snaps.as_ref().unwrap_or(&no_snapshots).iter(),
        |s| async move {
            let id = s.db_snapshot_identifier().unwrap_or_default();
            let restorable_by = call(
                ctx,
                SERVICE,
                region,
                "DescribeDBSnapshotAttributes",
                rds.describe_db_snapshot_attributes()
                    .db_snapshot_identifier(id)
                    .send(),
            )
            .await
            .map(|out| {
                restore_values(
                    out.db_snapshot_attributes_result()
                        .map(|r| r.db_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                )
            });
            DbSnapshot {
                id: id.to_string(),
                arn: s.db_snapshot_arn().unwrap_or_default().to_string(),
                of: "instance".into(),
                source: s.db_instance_identifier().unwrap_or_default().to_string(),
                encrypted: s.encrypted().unwrap_or(false),
                restorable_by: restorable_by.into(),
            }
        },
    );
    let no_cluster_snapshots = Vec::new();
    let clusters = fanout::each(
        cluster_snaps
            .as_ref()
            .unwrap_or(&no_cluster_snapshots)
            .iter(),
        |s| async move {
            let id = s.db_cluster_snapshot_identifier().unwrap_or_default();
            let restorable_by = call(
                ctx,
                SERVICE,
                region,
                "DescribeDBClusterSnapshotAttributes",
                rds.describe_db_cluster_snapshot_attributes()
                    .db_cluster_snapshot_identifier(id)
                    .send(),
            )
            .await
            .map(|out| {
                restore_values(
                    out.db_cluster_snapshot_attributes_result()
                        .map(|r| r.db_cluster_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                )
            });
            DbSnapshot {
                id: id.to_string(),
                arn: s.db_cluster_snapshot_arn().unwrap_or_default().to_string(),
                of: "cluster".into(),
                source: s.db_cluster_identifier().unwrap_or_default().to_string(),
                encrypted: s.storage_encrypted().unwrap_or(false),
                restorable_by: restorable_by.into(),
            }
        },
    );
    let (instances, clusters) = fanout::both(instances, clusters).await;
    (
        instance_snaps.map(|_| instances),
        cluster_snaps.map(|_| clusters),
    )
}
