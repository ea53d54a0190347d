//! Manual DB snapshots (of instances and of clusters) shared with everyone.

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::inventory::rds::DbSnapshot;

fn resource(region: &str, s: &DbSnapshot) -> Resource {
    Resource {
        arn: s.arn.clone(),
        id: s.id.clone(),
        kind: if s.of == "cluster" {
            "AwsRdsDbClusterSnapshot".into()
        } else {
            "AwsRdsDbSnapshot".into()
        },
        region: region.into(),
    }
}

pub fn rds_snapshot_public(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let regions = crate::checks::regional::collected(
        inv,
        &mut out,
        |region| {
            Resource::all_in_region(
                inv,
                region,
                "rds",
                "snapshot:*",
                "AwsRdsDbSnapshot",
                "DB snapshots",
            )
        },
        |r| r.rds.get(),
    );
    for (region, _, rds) in regions {
        let mut snapshots = Vec::new();
        let lists = [
            (
                &rds.snapshots,
                "snapshot:*",
                "AwsRdsDbSnapshot",
                "DB snapshots",
            ),
            (
                &rds.cluster_snapshots,
                "cluster-snapshot:*",
                "AwsRdsDbClusterSnapshot",
                "DB cluster snapshots",
            ),
        ];
        for (list, arn_resource, kind, what) in lists {
            match list.get() {
                Ok(l) => snapshots.extend(l),
                Err(gap) => out.push(Finding::gap(
                    Resource::all_in_region(inv, region, "rds", arn_resource, kind, what),
                    gap,
                )),
            }
        }
        for s in snapshots {
            let res = resource(region, s);
            let what = format!("manual snapshot {} of {} {}", s.id, s.of, s.source);
            out.push(match s.restorable_by.get() {
                Err(gap) => Finding::gap(res, gap),
                Ok(who) if who.iter().any(|w| w == "all") => Finding::fail(
                    res,
                    format!("{what} is public: any AWS account can restore it and read its data"),
                )
                .with("restorable_by", who.clone()),
                Ok(who) if who.is_empty() => {
                    Finding::pass(res, format!("{what} is shared with no other account"))
                }
                Ok(who) => Finding::pass(
                    res,
                    format!("{what} is shared only with accounts {}", who.join(", ")),
                )
                .with("restorable_by", who.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::ec2::fixtures::{gap, regions};
    use crate::inventory::Collected;

    fn snapshot(id: &str, who: Collected<Vec<String>>) -> DbSnapshot {
        DbSnapshot {
            id: id.into(),
            arn: format!("arn:aws:rds:eu-west-1:123456789012:snapshot:{id}"),
            of: "instance".into(),
            source: "orders".into(),
            encrypted: false,
            restorable_by: who,
        }
    }

    #[test]
    fn public_snapshots_fail_shared_and_private_ones_pass_unknown_ones_are_errors() {
        let mut inv = regions(&[("eu-west-1", vec![])]);
        if let Some(Collected::Ok(rds)) = inv.regional.get_mut("eu-west-1").map(|r| &mut r.rds) {
            rds.snapshots = Collected::Ok(vec![
                snapshot("public", Collected::Ok(vec!["all".into()])),
                snapshot("partner", Collected::Ok(vec!["210987654321".into()])),
                snapshot("private", Collected::Ok(vec![])),
                snapshot(
                    "unknown",
                    Collected::Gap(gap("eu-west-1", "DescribeDBSnapshotAttributes")),
                ),
            ]);
        }
        let f = rds_snapshot_public(&inv);
        let status = |id: &str| f.iter().find(|f| f.resource.id == id).map(|f| f.status);
        assert_eq!(status("public"), Some(Status::Fail));
        assert_eq!(status("partner"), Some(Status::Pass));
        assert_eq!(status("private"), Some(Status::Pass));
        assert_eq!(status("unknown"), Some(Status::Error));
    }
}
