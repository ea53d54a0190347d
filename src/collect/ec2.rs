//! EC2 collector, one region at a time: the security groups (one paginated call), then,
//! only when some rule names a managed prefix list, the region's prefix lists and the
//! entries of those AWS does not manage (one call each, concurrently).

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{IpPermission, SecurityGroup as SdkGroup};

use super::{Ctx, call, fanout};
use crate::inventory::Gap;
use crate::inventory::ec2::*;

const SERVICE: &str = super::fanout::Service::Ec2.sdk_name();

pub async fn collect(ctx: &Ctx, region: &str) -> Ec2Inventory {
    let ec2 = ctx.ec2(region);
    let groups: Result<Vec<SecurityGroup>, Gap> = call(
        ctx,
        SERVICE,
        region,
        "DescribeSecurityGroups",
        ec2.describe_security_groups()
            .max_results(1000)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await
    .map(|groups| groups.iter().map(group).collect());
    let prefix_lists = match &groups {
        Ok(groups) => prefix_lists(ctx, &ec2, region, groups).await,
        // Nothing to read them for: the same gap stands for both.
        Err(gap) => Err(gap.clone()),
    };
    Ec2Inventory {
        security_groups: groups.into(),
        prefix_lists: prefix_lists.into(),
    }
}

fn group(g: &SdkGroup) -> SecurityGroup {
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_string(),
        name: g.group_name().unwrap_or_default().to_string(),
        vpc_id: g.vpc_id().map(str::to_string),
        owner_id: g.owner_id().unwrap_or_default().to_string(),
        ingress: g.ip_permissions().iter().map(permission).collect(),
        egress: g.ip_permissions_egress().iter().map(permission).collect(),
    }
}

fn permission(p: &IpPermission) -> Permission {
    Permission {
        protocol: p.ip_protocol().unwrap_or_default().to_string(),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ipv4_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| r.prefix_list_id().map(str::to_string))
            .collect(),
        group_sources: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|pair| {
                let id = pair.group_id().or(pair.group_name())?;
                Some(match pair.user_id() {
                    Some(account) if !account.is_empty() => format!("{account}/{id}"),
                    _ => id.to_string(),
                })
            })
            .collect(),
    }
}

async fn prefix_lists(
    ctx: &Ctx,
    ec2: &aws_sdk_ec2::Client,
    region: &str,
    groups: &[SecurityGroup],
) -> Result<Vec<PrefixList>, Gap> {
    let named: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| g.ingress.iter().chain(&g.egress))
        .flat_map(|p| p.prefix_list_ids.iter().map(String::as_str))
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let lists = call(
        ctx,
        SERVICE,
        region,
        "DescribeManagedPrefixLists",
        ec2.describe_managed_prefix_lists()
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    let lists: Vec<_> = lists
        .iter()
        .filter(|l| l.prefix_list_id().is_some_and(|id| named.contains(id)))
        .collect();
    let entries = fanout::each(lists.iter(), |l| async move {
        if l.owner_id() == Some("AWS") {
            return None;
        }
        let id = l.prefix_list_id().unwrap_or_default();
        Some(
            call(
                ctx,
                SERVICE,
                region,
                "GetManagedPrefixListEntries",
                ec2.get_managed_prefix_list_entries()
                    .prefix_list_id(id)
                    .max_results(100)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e.cidr().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .into(),
        )
    })
    .await;
    Ok(lists
        .into_iter()
        .zip(entries)
        .map(|(l, entries)| PrefixList {
            id: l.prefix_list_id().unwrap_or_default().to_string(),
            name: l.prefix_list_name().unwrap_or_default().to_string(),
            owner_id: l.owner_id().unwrap_or_default().to_string(),
            address_family: l.address_family().unwrap_or_default().to_string(),
            entries,
        })
        .collect())
}
