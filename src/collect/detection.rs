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
    const SERVICE: &str = super::fanout::Service::GuardDuty.sdk_name();
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
            // Only high-severity groups are asked for: the statistics return at most 25
            // groups, most frequent first, and cannot be paged, so rare high ones could
            // otherwise be cut off by common low ones.
            let criteria = FindingCriteria::builder()
                .criterion(
                    "service.archived",
                    Condition::builder().equals("false").build(),
                )
                .criterion(
                    "severity",
                    Condition::builder().greater_than_or_equal(7).build(),
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
                    .max_results(100)
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
    const SERVICE: &str = super::fanout::Service::Config.sdk_name();
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

/// IAM Access Analyzer: ListAnalyzers, then the active findings of each active
/// external-access analyzer (account or organization).
pub async fn access_analyzer(ctx: &Ctx, region: &str) -> Result<AccessAnalyzerInventory, Gap> {
    access_analyzer_with(ctx, &ctx.accessanalyzer(region), region).await
}

async fn access_analyzer_with(
    ctx: &Ctx,
    aa: &aws_sdk_accessanalyzer::Client,
    region: &str,
) -> Result<AccessAnalyzerInventory, Gap> {
    use aws_sdk_accessanalyzer::types::Criterion;
    const SERVICE: &str = super::fanout::Service::AccessAnalyzer.sdk_name();
    let listed = call(
        ctx,
        SERVICE,
        region,
        "ListAnalyzers",
        aa.list_analyzers()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    let analyzers = fanout::each(listed.iter(), |a| async move {
        let kind = a.r#type().as_str().to_string();
        let status = a.status().as_str().to_string();
        let external = crate::inventory::detection::reports_external_access(&kind);
        let findings = if external && status == "ACTIVE" {
            Some(
                call(
                    ctx,
                    SERVICE,
                    region,
                    "ListFindings",
                    aa.list_findings()
                        .analyzer_arn(a.arn())
                        .filter("status", Criterion::builder().eq("ACTIVE").build())
                        .into_paginator()
                        .items()
                        .send()
                        .try_collect(),
                )
                .await
                .map(|fs| {
                    fs.iter()
                        .map(|f| {
                            let mut principal: Vec<(String, String)> = f
                                .principal()
                                .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                                .unwrap_or_default();
                            principal.sort();
                            ExternalAccess {
                                id: f.id().to_string(),
                                resource: f.resource().unwrap_or_default().to_string(),
                                resource_type: f.resource_type().as_str().to_string(),
                                principal,
                                public: f.is_public().unwrap_or(false),
                                actions: f.action().to_vec(),
                            }
                        })
                        .collect()
                })
                .into(),
            )
        } else {
            None
        };
        Analyzer {
            arn: a.arn().to_string(),
            name: a.name().to_string(),
            kind,
            status,
            findings,
        }
    })
    .await;
    Ok(AccessAnalyzerInventory { analyzers })
}

#[cfg(test)]
mod tests {
    use aws_sdk_accessanalyzer::operation::list_analyzers::ListAnalyzersOutput;
    use aws_sdk_accessanalyzer::operation::list_findings::ListFindingsOutput;
    use aws_sdk_accessanalyzer::types::{
        AnalyzerStatus, AnalyzerSummary, FindingStatus, FindingSummary, ResourceType, Type,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use aws_smithy_types::DateTime;

    use super::*;

    fn analyzer(name: &str, kind: Type, status: AnalyzerStatus) -> AnalyzerSummary {
        AnalyzerSummary::builder()
            .arn(format!(
                "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/{name}"
            ))
            .name(name)
            .r#type(kind)
            .status(status)
            .created_at(DateTime::from_secs(0))
            .build()
            .expect("analyzer")
    }

    fn finding(id: &str) -> FindingSummary {
        FindingSummary::builder()
            .id(id)
            .resource(format!("arn:aws:s3:::{id}"))
            .resource_type(ResourceType::AwsS3Bucket)
            .principal("AWS", "999999999999")
            .action("s3:GetObject")
            .is_public(false)
            .status(FindingStatus::Active)
            .resource_owner_account("123456789012")
            .created_at(DateTime::from_secs(0))
            .analyzed_at(DateTime::from_secs(0))
            .updated_at(DateTime::from_secs(0))
            .set_condition(Some(Default::default()))
            .build()
            .expect("finding")
    }

    fn ctx() -> Ctx {
        Ctx::offline()
    }

    #[tokio::test]
    async fn analyzers_and_every_page_of_active_findings() {
        let analyzers = mock!(aws_sdk_accessanalyzer::Client::list_analyzers).then_output(|| {
            ListAnalyzersOutput::builder()
                .analyzers(analyzer("account", Type::Account, AnalyzerStatus::Active))
                .analyzers(analyzer(
                    "unused",
                    Type::AccountUnusedAccess,
                    AnalyzerStatus::Active,
                ))
                .build()
                .expect("output")
        });
        let first = mock!(aws_sdk_accessanalyzer::Client::list_findings)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                ListFindingsOutput::builder()
                    .findings(finding("shared-1"))
                    .next_token("n1")
                    .build()
                    .expect("output")
            });
        let second = mock!(aws_sdk_accessanalyzer::Client::list_findings)
            .match_requests(|r| r.next_token() == Some("n1"))
            .then_output(|| {
                ListFindingsOutput::builder()
                    .findings(finding("shared-2"))
                    .build()
                    .expect("output")
            });
        let aa = mock_client!(
            aws_sdk_accessanalyzer,
            RuleMode::MatchAny,
            &[&analyzers, &first, &second]
        );
        let inv = access_analyzer_with(&ctx(), &aa, "eu-west-1")
            .await
            .expect("collected");
        assert_eq!(inv.analyzers.len(), 2);
        let account = &inv.analyzers[0];
        let findings = account
            .findings
            .as_ref()
            .expect("asked")
            .get()
            .expect("read");
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["shared-1", "shared-2"], "both pages");
        assert_eq!(
            findings[0].principal,
            [("AWS".to_string(), "999999999999".to_string())]
        );
        assert!(
            inv.analyzers[1].findings.is_none(),
            "an unused-access analyzer's findings are not external access"
        );
    }

    #[tokio::test]
    async fn an_unreachable_service_is_a_gap() {
        let down = mock!(aws_sdk_accessanalyzer::Client::list_analyzers).then_http_response(|| {
            aws_smithy_runtime_api::http::Response::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(404).expect("status"),
                aws_smithy_types::body::SdkBody::from("<html>not found</html>"),
            )
        });
        let aa = mock_client!(aws_sdk_accessanalyzer, RuleMode::MatchAny, &[&down]);
        let gap = access_analyzer_with(&ctx(), &aa, "eu-west-1")
            .await
            .expect_err("a gap");
        assert_eq!(gap.operation, "ListAnalyzers");
        assert!(!gap.error_code.is_empty());
    }
}
