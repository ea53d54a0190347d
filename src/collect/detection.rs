//! GuardDuty and AWS Config collectors, one region at a time.
//!
//! GuardDuty: ListDetectors, then per detector GetDetector and GetFindingsStatistics
//! (unarchived findings grouped by severity: one call, however many findings).
//! Config: DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus.

use aws_sdk_guardduty::types::{Condition, FindingCriteria, GroupByType};

use super::{Ctx, call, fanout};
use crate::inventory::Gap;
use crate::inventory::detection::*;

pub async fn guardduty(ctx: &Ctx, region: &str) -> Result<GuardDutyInventory, Gap> {
    const SERVICE: &str = "GuardDuty";
    let gd = ctx.guardduty(region);
    let ids: Vec<String> = call(
        ctx,
        SERVICE,
        region,
        "ListDetectors",
        gd.list_detectors()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    let detectors = fanout::each(ids.iter(), |id| {
        let gd = &gd;
        async move {
            let status = call(
                ctx,
                SERVICE,
                region,
                "GetDetector",
                gd.get_detector().detector_id(id).send(),
            );
            let criteria = FindingCriteria::builder()
                .criterion(
                    "service.archived",
                    Condition::builder().equals("false").build(),
                )
                .build();
            let stats = call(
                ctx,
                SERVICE,
                region,
                "GetFindingsStatistics",
                gd.get_findings_statistics()
                    .detector_id(id)
                    .finding_criteria(criteria)
                    .group_by(GroupByType::Severity)
                    .send(),
            );
            let (status, stats) = fanout::both(status, stats).await;
            Detector {
                id: id.clone(),
                status: status
                    .map(|s| s.status().map_or("DISABLED", |s| s.as_str()).to_string())
                    .into(),
                high_findings: stats
                    .map(|s| {
                        s.finding_statistics()
                            .map(|f| {
                                f.grouped_by_severity()
                                    .iter()
                                    .filter(|g| g.severity().unwrap_or(0.0) >= 7.0)
                                    .map(|g| {
                                        u64::try_from(g.total_findings().unwrap_or(0)).unwrap_or(0)
                                    })
                                    .sum()
                            })
                            .unwrap_or(0)
                    })
                    .into(),
            }
        }
    })
    .await;
    Ok(GuardDutyInventory { detectors })
}

pub async fn config(ctx: &Ctx, region: &str) -> Result<ConfigInventory, Gap> {
    const SERVICE: &str = "Config Service";
    let cfg = ctx.config(region);
    let (recorders, statuses) = fanout::both(
        call(
            ctx,
            SERVICE,
            region,
            "DescribeConfigurationRecorders",
            cfg.describe_configuration_recorders().send(),
        ),
        call(
            ctx,
            SERVICE,
            region,
            "DescribeConfigurationRecorderStatus",
            cfg.describe_configuration_recorder_status().send(),
        ),
    )
    .await;
    let (recorders, statuses) = (recorders?, statuses?);
    Ok(ConfigInventory {
        recorders: recorders
            .configuration_recorders()
            .iter()
            .map(|r| {
                let name = r.name().unwrap_or_default().to_string();
                let status = statuses
                    .configuration_recorders_status()
                    .iter()
                    .find(|s| s.name() == Some(name.as_str()));
                let group = r.recording_group();
                Recorder {
                    all_supported: group.is_some_and(|g| g.all_supported()),
                    include_global_resource_types: group
                        .is_some_and(|g| g.include_global_resource_types()),
                    recording: status.map(|s| s.recording()),
                    last_status: status
                        .and_then(|s| s.last_status())
                        .map(|s| s.as_str().to_string()),
                    name,
                }
            })
            .collect(),
    })
}
