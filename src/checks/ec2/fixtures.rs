//! Hand-made regional inventories for the network checks' unit tests.

use crate::checks::iam::fixtures::{ACCOUNT, empty_region, inventory};
use crate::inventory::ec2::{Ec2Inventory, Permission, PrefixList, SecurityGroup};
use crate::inventory::{Collected, Gap, Inventory, RegionInventory};

/// An inventory scanning these regions, with these groups in each.
pub fn regions(regions: &[(&str, Vec<SecurityGroup>)]) -> Inventory {
    let mut inv = inventory(vec![]);
    inv.regions = regions.iter().map(|(r, _)| r.to_string()).collect();
    inv.regional = regions
        .iter()
        .map(|(r, groups)| {
            let mut region = empty_region();
            ec2(&mut region).security_groups = Collected::Ok(groups.clone());
            (r.to_string(), region)
        })
        .collect();
    inv
}

fn ec2(region: &mut RegionInventory) -> &mut Ec2Inventory {
    match &mut region.ec2 {
        Collected::Ok(ec2) => ec2,
        Collected::Gap(_) => panic!("the fixture's EC2 section is a gap"),
    }
}

fn ec2_in<'a>(inv: &'a mut Inventory, region: &str) -> &'a mut Ec2Inventory {
    ec2(inv
        .regional
        .get_mut(region)
        .unwrap_or_else(|| panic!("the fixture has no region {region}")))
}

/// DescribeSecurityGroups was refused in `region`.
pub fn denied(inv: &mut Inventory, region: &str) {
    ec2_in(inv, region).security_groups = Collected::Gap(gap(region, "DescribeSecurityGroups"));
}

/// `region` was scanned, but the inventory holds nothing of it (an older file).
pub fn missing(inv: &mut Inventory, region: &str) {
    inv.regions.push(region.to_string());
    inv.settle();
}

pub fn with_prefix_lists(inv: &mut Inventory, region: &str, lists: Vec<PrefixList>) {
    ec2_in(inv, region).prefix_lists = Collected::Ok(lists);
}

pub fn gap(region: &str, operation: &str) -> Gap {
    Gap {
        service: "EC2".into(),
        region: region.into(),
        operation: operation.into(),
        error_code: "UnauthorizedOperation".into(),
        message: "You are not authorized to perform this operation.".into(),
    }
}

/// A group in `vpc-1` with these inbound rules and EC2's default outbound rule (all
/// traffic to anywhere).
pub fn group(id: &str, name: &str, ingress: Vec<Permission>) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: name.into(),
        vpc_id: Some("vpc-1".into()),
        owner_id: ACCOUNT.into(),
        ingress,
        egress: vec![rule("-1", -1, -1, &["0.0.0.0/0"])],
    }
}

fn bare(protocol: &str, from: i32, to: i32) -> Permission {
    let all = protocol == "-1";
    Permission {
        protocol: protocol.into(),
        from_port: (!all).then_some(from),
        to_port: (!all).then_some(to),
        ipv4_ranges: vec![],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_sources: vec![],
    }
}

/// A rule from CIDRs (IPv6 ones told apart by their colons).
pub fn rule(protocol: &str, from: i32, to: i32, cidrs: &[&str]) -> Permission {
    let mut p = bare(protocol, from, to);
    for c in cidrs {
        if c.contains(':') {
            p.ipv6_ranges.push(c.to_string());
        } else {
            p.ipv4_ranges.push(c.to_string());
        }
    }
    p
}

pub fn from_group(protocol: &str, from: i32, to: i32, group: &str) -> Permission {
    let mut p = bare(protocol, from, to);
    p.group_sources.push(group.into());
    p
}

pub fn from_list(protocol: &str, from: i32, to: i32, list: &str) -> Permission {
    let mut p = bare(protocol, from, to);
    p.prefix_list_ids.push(list.into());
    p
}

pub fn customer_list(id: &str, cidrs: &[&str]) -> PrefixList {
    PrefixList {
        id: id.into(),
        name: format!("{id}-name"),
        owner_id: ACCOUNT.into(),
        address_family: "IPv4".into(),
        entries: Some(Collected::Ok(cidrs.iter().map(|c| c.to_string()).collect())),
    }
}

pub fn aws_list(id: &str) -> PrefixList {
    PrefixList {
        id: id.into(),
        name: "com.amazonaws.eu-west-1.s3".into(),
        owner_id: "AWS".into(),
        address_family: "IPv4".into(),
        entries: None,
    }
}

pub fn unreadable_list(id: &str) -> PrefixList {
    PrefixList {
        entries: Some(Collected::Gap(gap(
            "eu-west-1",
            "GetManagedPrefixListEntries",
        ))),
        ..customer_list(id, &[])
    }
}
