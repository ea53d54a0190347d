//! Which regions a scan covers: every region enabled for the account (ec2:DescribeRegions),
//! or those `--region` names; the rest are recorded as skipped, with the reason.

use aws_sdk_ec2::Client;

use super::{Ctx, call};
use crate::error::UserError;
use crate::inventory::{Collected, SkippedRegion};

/// The regions to scan, and those left out.
#[derive(Debug)]
pub struct Plan {
    pub scanned: Vec<String>,
    pub skipped: Collected<Vec<SkippedRegion>>,
}

/// The partition a region belongs to, from its name, when its name says so for sure.
pub fn partition_of(region: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ];
    if let Some((_, p)) = PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
    {
        return Some(p);
    }
    // Commercial regions: two lowercase letters, a direction, a number (`eu-west-1`).
    let parts: Vec<&str> = region.split('-').collect();
    (parts.len() == 3 && parts[0].len() == 2).then_some("aws")
}

/// One region as DescribeRegions gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    /// `opt-in-not-required`, `opted-in` or `not-opted-in`.
    pub opt_in_status: String,
}

impl Listed {
    fn enabled(&self) -> bool {
        self.opt_in_status != "not-opted-in"
    }
}

/// Asks the home region for the account's regions, and plans the scan.
pub async fn plan(
    ctx: &Ctx,
    home: &str,
    partition: &str,
    requested: &[String],
) -> Result<Plan, UserError> {
    let ec2: Client = ctx.ec2(home);
    let listed = call(
        ctx,
        "EC2",
        home,
        "DescribeRegions",
        ec2.describe_regions().all_regions(true).send(),
    )
    .await
    .map(|out| {
        out.regions()
            .iter()
            .filter_map(|r| {
                Some(Listed {
                    name: r.region_name()?.to_string(),
                    opt_in_status: r
                        .opt_in_status()
                        .unwrap_or("opt-in-not-required")
                        .to_string(),
                })
            })
            .collect::<Vec<_>>()
    });
    decide(listed.into(), home, partition, requested)
}

/// The plan, given what DescribeRegions answered.
pub fn decide(
    listed: Collected<Vec<Listed>>,
    home: &str,
    partition: &str,
    requested: &[String],
) -> Result<Plan, UserError> {
    let mut wanted: Vec<String> = Vec::new();
    for r in requested {
        if !wanted.contains(r) {
            wanted.push(r.clone());
        }
    }
    let listed = match listed {
        Collected::Ok(l) => l,
        // Without the list, scan what was asked for, else the home region; the gap says
        // that other regions may exist.
        Collected::Gap(g) => {
            let scanned = if wanted.is_empty() {
                vec![home.to_string()]
            } else {
                wanted
            };
            return Ok(Plan {
                scanned,
                skipped: Collected::Gap(g),
            });
        }
    };
    // AWS lists only the partition's own regions; an endpoint that lists others (an
    // emulator lists every partition's) is kept to those whose name says they are this
    // partition's or could be. Should that leave nothing, the list is taken as it is.
    let mine = |r: &Listed| partition_of(&r.name).is_none_or(|p| p == partition);
    let mut own: Vec<Listed> = if listed.iter().any(mine) {
        listed.into_iter().filter(mine).collect()
    } else {
        listed
    };
    own.sort_by(|a, b| a.name.cmp(&b.name));
    own.dedup_by(|a, b| a.name == b.name);
    for w in &wanted {
        if !own.iter().any(|r| &r.name == w) {
            return Err(UserError::UnknownRegion {
                region: w.clone(),
                partition: partition.to_string(),
                available: own
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    let mut scanned = Vec::new();
    let mut skipped = Vec::new();
    for r in own {
        let asked = wanted.is_empty() || wanted.contains(&r.name);
        if !r.enabled() {
            skipped.push(SkippedRegion {
                region: r.name,
                reason: "not-opted-in".into(),
            });
        } else if asked {
            scanned.push(r.name);
        } else {
            skipped.push(SkippedRegion {
                region: r.name,
                reason: "not-requested".into(),
            });
        }
    }
    // The home region answered for the account, so it is enabled, whatever the list says.
    if scanned.is_empty() {
        scanned.push(home.to_string());
        skipped.retain(|s| s.region != home);
    }
    Ok(Plan {
        scanned,
        skipped: Collected::Ok(skipped),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Gap;

    fn listed(entries: &[(&str, &str)]) -> Collected<Vec<Listed>> {
        Collected::Ok(
            entries
                .iter()
                .map(|(n, s)| Listed {
                    name: n.to_string(),
                    opt_in_status: s.to_string(),
                })
                .collect(),
        )
    }

    const ACCOUNT: &[(&str, &str)] = &[
        ("us-east-1", "opt-in-not-required"),
        ("eu-west-1", "opt-in-not-required"),
        ("af-south-1", "not-opted-in"),
        ("me-central-1", "opted-in"),
        ("us-gov-west-1", "opt-in-not-required"),
        ("cn-north-1", "opt-in-not-required"),
    ];

    #[test]
    fn by_default_every_enabled_region_of_the_partition() {
        let plan = decide(listed(ACCOUNT), "eu-west-1", "aws", &[]).expect("a plan");
        assert_eq!(plan.scanned, ["eu-west-1", "me-central-1", "us-east-1"]);
        let skipped = plan.skipped.get().expect("listed");
        assert_eq!(
            skipped,
            &[SkippedRegion {
                region: "af-south-1".into(),
                reason: "not-opted-in".into()
            }]
        );
    }

    #[test]
    fn region_narrows_and_says_what_it_left_out() {
        let wanted = [
            "us-east-1".to_string(),
            "af-south-1".into(),
            "us-east-1".into(),
        ];
        let plan = decide(listed(ACCOUNT), "eu-west-1", "aws", &wanted).expect("a plan");
        assert_eq!(plan.scanned, ["us-east-1"]);
        let skipped = plan.skipped.get().expect("listed");
        let reason = |r: &str| {
            skipped
                .iter()
                .find(|s| s.region == r)
                .map(|s| s.reason.as_str())
        };
        assert_eq!(reason("af-south-1"), Some("not-opted-in"));
        assert_eq!(reason("eu-west-1"), Some("not-requested"));
        assert_eq!(reason("me-central-1"), Some("not-requested"));
        assert_eq!(reason("us-gov-west-1"), None, "another partition");
    }

    #[test]
    fn a_region_of_no_partition_region_is_a_user_error() {
        let wanted = ["cn-north-1".to_string()];
        let err = decide(listed(ACCOUNT), "eu-west-1", "aws", &wanted)
            .expect_err("cn-north-1 is not in the aws partition");
        let text = err.to_string();
        assert!(text.contains("cn-north-1"), "{text}");
        assert!(text.contains("us-east-1"), "lists the valid ones: {text}");
    }

    #[test]
    fn without_the_list_the_asked_or_home_region_and_a_gap() {
        let gap = Gap {
            service: "EC2".into(),
            region: "eu-west-1".into(),
            operation: "DescribeRegions".into(),
            error_code: "UnauthorizedOperation".into(),
            message: "no".into(),
        };
        let plan = decide(Collected::Gap(gap.clone()), "eu-west-1", "aws", &[]).expect("plan");
        assert_eq!(plan.scanned, ["eu-west-1"]);
        assert_eq!(plan.skipped.gap(), Some(&gap));
        let wanted = ["us-east-1".to_string(), "us-west-2".into()];
        let plan = decide(Collected::Gap(gap), "eu-west-1", "aws", &wanted).expect("plan");
        assert_eq!(plan.scanned, ["us-east-1", "us-west-2"]);
    }

    #[test]
    fn partitions() {
        assert_eq!(partition_of("us-east-1"), Some("aws"));
        assert_eq!(partition_of("us-gov-east-1"), Some("aws-us-gov"));
        assert_eq!(partition_of("cn-northwest-1"), Some("aws-cn"));
        assert_eq!(partition_of("eusc-de-east-1"), Some("aws-eusc"));
        assert_eq!(partition_of("us-isof-south-1"), Some("aws-iso-f"));
        assert_eq!(partition_of("eu-isoe-west-1"), Some("aws-iso-e"));
        assert_eq!(partition_of("xx-newplace-9"), Some("aws"));
        assert_eq!(partition_of("zz-some-new-name-1"), None);
    }

    #[test]
    fn a_partition_postura_does_not_know_still_scans_its_regions() {
        let l = listed(&[
            ("us-isof-south-1", "opt-in-not-required"),
            ("us-isof-east-1", "opt-in-not-required"),
        ]);
        let plan = decide(l, "us-isof-south-1", "aws-iso-f", &[]).expect("plan");
        assert_eq!(plan.scanned, ["us-isof-east-1", "us-isof-south-1"]);
        let l = listed(&[("mx-future-1", "opt-in-not-required")]);
        let plan = decide(l, "mx-future-1", "aws-iso-z", &[]).expect("plan");
        assert_eq!(plan.scanned, ["mx-future-1"], "never zero regions");
    }
}
