//! CloudTrail collector: DescribeTrails once (shadow trails included, so a multi-region
//! trail created elsewhere is seen), then per trail, in its home region, GetTrailStatus and
//! GetEventSelectors.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector};

use super::{Ctx, call, fanout};
use crate::inventory::Gap;
use crate::inventory::cloudtrail::*;

const SERVICE: &str = "CloudTrail";

pub async fn collect(ctx: &Ctx, home: &str) -> Result<CloudTrailInventory, Gap> {
    let trails = call(
        ctx,
        SERVICE,
        home,
        "DescribeTrails",
        ctx.cloudtrail(home)
            .describe_trails()
            .include_shadow_trails(true)
            .send(),
    )
    .await?;
    let listed = trails.trail_list();
    let trails = fanout::each(listed.iter(), |t| async move {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let region = t.home_region().unwrap_or(home).to_string();
        let client = ctx.cloudtrail(&region);
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
