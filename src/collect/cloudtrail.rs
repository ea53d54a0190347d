//! CloudTrail collector: DescribeTrails once (shadow trails included, so a multi-region
//! or organization trail created elsewhere is seen), and ListTrails, which names every
//! trail of the account in every region: a single-region trail homed in another region is
//! not among the shadows, and is described by ARN. Then per trail, in its home region,
//! GetTrailStatus and GetEventSelectors.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector};

use super::{Ctx, call, fanout};
use crate::inventory::Gap;
use crate::inventory::cloudtrail::*;

const SERVICE: &str = "CloudTrail";

pub async fn collect(ctx: &Ctx, home: &str) -> Result<CloudTrailInventory, Gap> {
    collect_with(ctx, home, &|region: &str| ctx.cloudtrail(region)).await
}

/// As [`collect`], with `client_in` giving the client for a region.
async fn collect_with(
    ctx: &Ctx,
    home: &str,
    client_in: &(dyn Fn(&str) -> Client + Sync),
) -> Result<CloudTrailInventory, Gap> {
    let client = client_in(home);
    let described = call(
        ctx,
        SERVICE,
        home,
        "DescribeTrails",
        client.describe_trails().include_shadow_trails(true).send(),
    );
    let all = call(
        ctx,
        SERVICE,
        home,
        "ListTrails",
        client.list_trails().into_paginator().send().try_collect(),
    );
    let (described, all) = fanout::both(described, all).await;
    let mut listed = described?.trail_list().to_vec();
    let elsewhere: Vec<String> = all?
        .iter()
        .flat_map(|page| page.trails())
        .filter_map(|t| t.trail_arn())
        .filter(|arn| !listed.iter().any(|t| t.trail_arn() == Some(*arn)))
        .map(str::to_string)
        .collect();
    if !elsewhere.is_empty() {
        // DescribeTrails names a trail of another region only by its ARN.
        let more = call(
            ctx,
            SERVICE,
            home,
            "DescribeTrails",
            client
                .describe_trails()
                .set_trail_name_list(Some(elsewhere.clone()))
                .send(),
        )
        .await?;
        listed.extend(
            more.trail_list()
                .iter()
                .filter(|t| {
                    t.trail_arn()
                        .is_some_and(|a| elsewhere.iter().any(|e| e == a))
                })
                .cloned(),
        );
    }
    let trails = fanout::each(listed.iter(), |t| async move {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let region = t.home_region().unwrap_or(home).to_string();
        let client = client_in(&region);
        let status = call(
            ctx,
            SERVICE,
            &region,
            "GetTrailStatus",
            client.get_trail_status().name(&arn).send(),
        );
        // Asked even when DescribeTrails says "no custom selectors": an endpoint that does
        // not keep that flag up to date must not make a narrowed trail look complete.
        let selectors = async {
            Some(
                call(
                    ctx,
                    SERVICE,
                    &region,
                    "GetEventSelectors",
                    client.get_event_selectors().trail_name(&arn).send(),
                )
                .await
                .map(|o| Selectors {
                    basic: o.event_selectors().iter().map(basic).collect(),
                    advanced: o.advanced_event_selectors().iter().map(advanced).collect(),
                })
                .into(),
            )
        };
        let (status, selectors) = fanout::both(status, selectors).await;
        Trail {
            name: t.name().unwrap_or_default().to_string(),
            arn: arn.clone(),
            home_region: region.clone(),
            multi_region: t.is_multi_region_trail().unwrap_or(false),
            organization: t.is_organization_trail().unwrap_or(false),
            log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
            custom_selectors: t.has_custom_event_selectors().unwrap_or(false),
            bucket: t.s3_bucket_name().map(str::to_string),
            logging: status.map(|s| s.is_logging().unwrap_or(false)).into(),
            selectors,
        }
    })
    .await;
    Ok(CloudTrailInventory { trails })
}

fn basic(s: &EventSelector) -> BasicSelector {
    BasicSelector {
        read_write: s
            .read_write_type()
            .map_or("All", |r| r.as_str())
            .to_string(),
        // The API's default: management events are included.
        management_events: s.include_management_events().unwrap_or(true),
        excluded_sources: s.exclude_management_event_sources().to_vec(),
    }
}

fn advanced(s: &AdvancedEventSelector) -> Vec<FieldSelector> {
    s.field_selectors()
        .iter()
        .map(|f| FieldSelector {
            field: f.field().to_string(),
            equals: f.equals().to_vec(),
            not_equals: f.not_equals().to_vec(),
            starts_with: f.starts_with().to_vec(),
            not_starts_with: f.not_starts_with().to_vec(),
            ends_with: f.ends_with().to_vec(),
            not_ends_with: f.not_ends_with().to_vec(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput;
    use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
    use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
    use aws_sdk_cloudtrail::operation::list_trails::ListTrailsOutput;
    use aws_sdk_cloudtrail::types::{Trail as SdkTrail, TrailInfo};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::*;

    const MAIN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main";
    const LOCAL: &str = "arn:aws:cloudtrail:eu-west-2:123456789012:trail/local";

    fn trail(arn: &str, region: &str, multi: bool) -> SdkTrail {
        SdkTrail::builder()
            .trail_arn(arn)
            .name(arn.rsplit('/').next().unwrap_or_default())
            .home_region(region)
            .is_multi_region_trail(multi)
            .s3_bucket_name(format!("logs-{region}"))
            .build()
    }

    /// A single-region trail homed in another region is no shadow of the home region:
    /// ListTrails names it, and it is described by ARN, so its bucket is judged too.
    #[tokio::test]
    async fn a_single_region_trail_elsewhere_is_found_by_list_trails() {
        let shadows = mock!(Client::describe_trails)
            .match_requests(|r| r.trail_name_list().is_empty())
            .then_output(|| {
                DescribeTrailsOutput::builder()
                    .trail_list(trail(MAIN, "us-east-1", true))
                    .build()
            });
        let by_arn = mock!(Client::describe_trails)
            .match_requests(|r| r.trail_name_list() == [LOCAL.to_string()])
            .then_output(|| {
                DescribeTrailsOutput::builder()
                    .trail_list(trail(LOCAL, "eu-west-2", false))
                    .build()
            });
        let list = mock!(Client::list_trails).then_output(|| {
            ListTrailsOutput::builder()
                .trails(
                    TrailInfo::builder()
                        .trail_arn(MAIN)
                        .home_region("us-east-1")
                        .build(),
                )
                .trails(
                    TrailInfo::builder()
                        .trail_arn(LOCAL)
                        .home_region("eu-west-2")
                        .build(),
                )
                .build()
        });
        let status = mock!(Client::get_trail_status)
            .then_output(|| GetTrailStatusOutput::builder().is_logging(true).build());
        let selectors = mock!(Client::get_event_selectors)
            .then_output(|| GetEventSelectorsOutput::builder().build());
        let ct = mock_client!(
            aws_sdk_cloudtrail,
            RuleMode::MatchAny,
            &[&shadows, &by_arn, &list, &status, &selectors]
        );
        let inv = collect_with(&Ctx::offline(), "us-east-1", &|_| ct.clone())
            .await
            .expect("collected");
        let arns: Vec<(&str, &str)> = inv
            .trails
            .iter()
            .map(|t| (t.arn.as_str(), t.home_region.as_str()))
            .collect();
        assert_eq!(arns, vec![(MAIN, "us-east-1"), (LOCAL, "eu-west-2")]);
        assert_eq!(inv.trails[1].bucket.as_deref(), Some("logs-eu-west-2"));
        assert_eq!(by_arn.num_calls(), 1);
    }
}
