//! Security Hub collector, one region at a time: DescribeHub (is it on?), then
//! GetEnabledStandards and every page of GetFindings for active, not suppressed control
//! findings, tallied per control as they stream in (an account may hold hundreds of
//! thousands of findings; only the counts are kept).

use std::collections::BTreeMap;

use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFindingFilters, ComplianceStatus, RecordState, StringFilter, StringFilterComparison,
    WorkflowStatus,
};

use super::{Ctx, call, call_optional, fanout};
use crate::inventory::Collected;
use crate::inventory::securityhub::*;

const SERVICE: &str = super::fanout::Service::SecurityHub.sdk_name();

pub async fn collect(
    ctx: &Ctx,
    region: &str,
) -> Result<SecurityHubInventory, crate::inventory::Gap> {
    let hub = ctx.securityhub(region);
    // "Not subscribed" is a fact: Security Hub is off in the region.
    let described = call_optional(
        ctx,
        SERVICE,
        region,
        "DescribeHub",
        hub.describe_hub().send(),
        |e| {
            use aws_sdk_securityhub::error::ProvideErrorMetadata;
            e.code() == Some("InvalidAccessException")
        },
    )
    .await?;
    if described.is_none() {
        return Ok(SecurityHubInventory {
            enabled: false,
            standards: Collected::Ok(Vec::new()),
            controls: Collected::Ok(Vec::new()),
            findings_left_out: 0,
        });
    }
    let (standards, findings) =
        fanout::both(standards(ctx, &hub, region), findings(ctx, &hub, region)).await;
    let (controls, left_out) = match findings {
        Ok((c, n)) => (Collected::Ok(c), n),
        Err(g) => (Collected::Gap(g), 0),
    };
    Ok(SecurityHubInventory {
        enabled: true,
        standards: standards.into(),
        controls,
        findings_left_out: left_out,
    })
}

async fn standards(
    ctx: &Ctx,
    hub: &Client,
    region: &str,
) -> Result<Vec<EnabledStandard>, crate::inventory::Gap> {
    let subs = call(
        ctx,
        SERVICE,
        region,
        "GetEnabledStandards",
        hub.get_enabled_standards()
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    Ok(subs
        .iter()
        .map(|s| EnabledStandard {
            arn: s.standards_arn().unwrap_or_default().to_string(),
            status: s
                .standards_status()
                .map(|st| st.as_str().to_string())
                .unwrap_or_default(),
        })
        .collect())
}

fn filter(value: &str, comparison: StringFilterComparison) -> StringFilter {
    StringFilter::builder()
        .value(value)
        .comparison(comparison)
        .build()
}

/// Every page of active, not suppressed findings, tallied per security control. The
/// filter asks AWS for those only; the tally checks again (an emulator may ignore it).
async fn findings(
    ctx: &Ctx,
    hub: &Client,
    region: &str,
) -> Result<(Vec<ControlFindings>, u64), crate::inventory::Gap> {
    let filters = AwsSecurityFindingFilters::builder()
        .record_state(filter("ACTIVE", StringFilterComparison::Equals))
        // Security Hub's own control findings: not GuardDuty's, Inspector's or partners'.
        .product_name(filter("Security Hub", StringFilterComparison::Equals))
        .workflow_status(filter("SUPPRESSED", StringFilterComparison::NotEquals))
        .build();
    let mut pages = hub
        .get_findings()
        .filters(filters)
        .max_results(100)
        .into_paginator()
        .items()
        .send();
    call(ctx, SERVICE, region, "GetFindings", async move {
        let mut controls: BTreeMap<String, ControlFindings> = BTreeMap::new();
        let mut left_out = 0u64;
        while let Some(f) = pages.try_next().await? {
            let archived = f.record_state() == Some(&RecordState::Archived);
            let suppressed =
                f.workflow().and_then(|w| w.status()) == Some(&WorkflowStatus::Suppressed);
            let Some(compliance) = f.compliance() else {
                continue;
            };
            // Findings without a control id (GuardDuty, Inspector, partners) are not controls.
            let Some(id) = compliance.security_control_id().filter(|i| !i.is_empty()) else {
                continue;
            };
            if archived || suppressed {
                left_out += 1;
                continue;
            }
            let c = controls
                .entry(id.to_string())
                .or_insert_with(|| ControlFindings {
                    id: id.to_string(),
                    title: f.title().unwrap_or_default().to_string(),
                    ..Default::default()
                });
            match compliance.status() {
                Some(ComplianceStatus::Passed) => c.passed += 1,
                Some(ComplianceStatus::Failed) => c.failed += 1,
                _ => c.other += 1,
            }
            for s in compliance.associated_standards() {
                if let Some(sid) = s.standards_id() {
                    let key = standard_key(sid).to_string();
                    if !c.standards.contains(&key) {
                        c.standards.push(key);
                    }
                }
            }
        }
        Ok((controls.into_values().collect(), left_out))
    })
    .await
}
