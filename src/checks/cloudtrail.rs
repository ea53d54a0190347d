//! CloudTrail: at least one multi-region trail that is logging every management event,
//! read and write, with log file validation (CIS 3.1, FSBP CloudTrail.1); and the trails'
//! buckets judged with the S3 checks' public-access judgement.

use serde_json::{Value, json};

use crate::checks::{Finding, Resource};
use crate::inventory::cloudtrail::{Selectors, Trail};
use crate::inventory::{GLOBAL_REGION, Inventory};

/// Whether the selectors record every management event, read and write, from every
/// source; `Err` says what they leave out. A trail without custom selectors (and none
/// listed) has CloudTrail's default: every management event.
pub fn management(sel: Option<&Selectors>, custom: bool) -> Result<(), String> {
    let Some(s) = sel else { return Ok(()) };
    if s.basic.is_empty() && s.advanced.is_empty() && !custom {
        return Ok(());
    }
    if s.basic
        .iter()
        .any(|b| b.management_events && b.read_write == "All" && b.excluded_sources.is_empty())
    {
        return Ok(());
    }
    let full_advanced = s.advanced.iter().any(|fields| {
        let category = fields.iter().any(|f| {
            f.field == "eventCategory"
                && f.equals.iter().any(|v| v == "Management")
                && f.not_equals.is_empty()
        });
        // Any other condition (readOnly, an excluded eventSource, eventName) narrows it.
        category && fields.iter().all(|f| f.field == "eventCategory")
    });
    if full_advanced {
        return Ok(());
    }
    let partial = s.basic.iter().find(|b| b.management_events).map(|b| {
        if b.read_write != "All" {
            format!("records {} management events only", b.read_write)
        } else {
            format!(
                "excludes management events from {}",
                b.excluded_sources.join(", ")
            )
        }
    });
    let advanced_partial = s.advanced.iter().any(|fields| {
        fields
            .iter()
            .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"))
    });
    Err(partial.unwrap_or_else(|| {
        if advanced_partial {
            "records only some management events (its advanced selectors narrow them by readOnly, source or name)".into()
        } else {
            "records no management events".into()
        }
    }))
}

/// What keeps a trail from meeting CIS 3.1, and what could not be read.
fn shortfalls(t: &Trail) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    if !t.multi_region {
        missing.push("is a single-region trail".to_string());
    }
    match t.logging.get() {
        Ok(true) => {}
        Ok(false) => missing.push("is not logging".into()),
        Err(g) => unknown.push(format!(
            "its status could not be read ({} {})",
            g.operation, g.error_code
        )),
    }
    match &t.selectors {
        // Not in the inventory (written by hand, or by something else): unknown, never
        // CloudTrail's default taken on trust.
        None => unknown.push("its event selectors are not in the inventory".into()),
        Some(sel) => match sel.get() {
            Ok(s) => {
                if let Err(why) = management(Some(s), t.custom_selectors) {
                    missing.push(why);
                }
            }
            Err(g) => unknown.push(format!(
                "its event selectors could not be read ({} {})",
                g.operation, g.error_code
            )),
        },
    }
    if !t.log_file_validation {
        missing.push("has log file validation off".into());
    }
    (missing, unknown)
}

pub fn cloudtrail_multi_region(inv: &Inventory) -> Vec<Finding> {
    let res = Resource::account(inv);
    let trails = match inv.cloudtrail.get() {
        Ok(c) => &c.trails,
        Err(gap) => return vec![Finding::gap(res, gap)],
    };
    let evidence: Vec<Value> = trails
        .iter()
        .map(|t| {
            let (missing, unknown) = shortfalls(t);
            json!({"trail": t.arn, "home_region": t.home_region, "multi_region": t.multi_region,
                   "organization": t.organization, "shortfalls": missing, "unknown": unknown})
        })
        .collect();
    let good: Vec<&Trail> = trails
        .iter()
        .filter(|t| {
            let (m, u) = shortfalls(t);
            m.is_empty() && u.is_empty()
        })
        .collect();
    let f = if let Some(t) = good.first() {
        Finding::pass(
            res,
            format!(
                "trail {} ({}) is multi-region, logging, records every management event read and write, and validates its log files",
                t.name, t.home_region
            ),
        )
    } else if trails.is_empty() {
        Finding::fail(
            res,
            "the account has no CloudTrail trail: API activity is kept 90 days in the event history only, and in no bucket",
        )
    } else {
        let undecided: Vec<&Trail> = trails
            .iter()
            .filter(|t| {
                let (m, u) = shortfalls(t);
                m.is_empty() && !u.is_empty()
            })
            .collect();
        let each: Vec<String> = trails
            .iter()
            .map(|t| {
                let (m, u) = shortfalls(t);
                let mut parts = m;
                parts.extend(u);
                format!("{} ({}) {}", t.name, t.home_region, parts.join(", "))
            })
            .collect();
        if undecided.is_empty() {
            Finding::fail(
                res,
                format!(
                    "no trail is multi-region, logging every management event with log file validation: {}",
                    each.join("; ")
                ),
            )
        } else {
            Finding::error(
                res,
                format!(
                    "whether a trail meets CIS 3.1 cannot be told: {}",
                    each.join("; ")
                ),
            )
        }
    };
    vec![f.with("trails", evidence)]
}

pub fn cloudtrail_bucket_public(inv: &Inventory) -> Vec<Finding> {
    let trails = match inv.cloudtrail.get() {
        Ok(c) => &c.trails,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    let mut out = Vec::new();
    let s3 = inv.s3.get();
    let mut seen = std::collections::BTreeSet::new();
    for t in trails {
        let Some(bucket) = &t.bucket else { continue };
        if !seen.insert(bucket.clone()) {
            continue;
        }
        let res = Resource {
            arn: format!("arn:{}:s3:::{bucket}", inv.account.partition),
            id: bucket.clone(),
            kind: "AwsS3Bucket".into(),
            region: GLOBAL_REGION.into(),
        };
        let s3 = match s3 {
            Ok(s) => s,
            Err(gap) => {
                out.push(Finding::gap(res, gap));
                continue;
            }
        };
        let listed = s3
            .buckets
            .get()
            .map(|b| b.iter().find(|b| &b.name == bucket));
        let f = match listed {
            Err(gap) => Finding::gap(res, gap),
            Ok(Some(b)) => {
                let mut f = crate::checks::s3::public::judge(s3, b);
                f.message = format!("trail {}'s {}", t.name, f.message);
                f
            }
            Ok(None) => match s3.outside_scan.iter().find(|p| &p.name == bucket) {
                Some(p) => Finding::error(
                    res,
                    format!(
                        "trail {}'s bucket {bucket} is in {}, a region this scan did not cover: not judged",
                        t.name, p.region
                    ),
                ),
                // Not the account's bucket (an organisation's central log account): not
                // this account's to judge.
                None => continue,
            },
        };
        out.push(f.with("trail", t.arn.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::Collected;
    use crate::inventory::cloudtrail::{BasicSelector, CloudTrailInventory, FieldSelector};

    fn trail(name: &str) -> Trail {
        Trail {
            name: name.into(),
            arn: format!("arn:aws:cloudtrail:eu-west-1:123456789012:trail/{name}"),
            home_region: "eu-west-1".into(),
            multi_region: true,
            organization: false,
            log_file_validation: true,
            bucket: Some("trail-logs".into()),
            logging: Collected::Ok(true),
            custom_selectors: false,
            selectors: Some(Collected::Ok(Selectors::default())),
        }
    }

    fn with(trails: Vec<Trail>) -> Inventory {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        inv.cloudtrail = Collected::Ok(CloudTrailInventory { trails });
        inv
    }

    fn status(trails: Vec<Trail>) -> (Status, String) {
        let f = cloudtrail_multi_region(&with(trails)).remove(0);
        (f.status, f.message)
    }

    fn basic(rw: &str, excluded: &[&str]) -> Option<Collected<Selectors>> {
        Some(Collected::Ok(Selectors {
            basic: vec![BasicSelector {
                read_write: rw.into(),
                management_events: true,
                excluded_sources: excluded.iter().map(|s| s.to_string()).collect(),
            }],
            advanced: vec![],
        }))
    }

    #[test]
    fn a_multi_region_logging_validated_trail_passes_and_each_shortfall_fails() {
        assert_eq!(status(vec![trail("main")]).0, Status::Pass);
        let (s, m) = status(vec![]);
        assert_eq!(s, Status::Fail);
        assert!(m.contains("no CloudTrail trail"), "{m}");
        type Change = fn(&mut Trail);
        let cases: Vec<(Change, &str)> = vec![
            (|t| t.multi_region = false, "single-region"),
            (|t| t.logging = Collected::Ok(false), "not logging"),
            (|t| t.log_file_validation = false, "log file validation off"),
            (
                |t| t.selectors = basic("WriteOnly", &[]),
                "WriteOnly management events only",
            ),
            (
                |t| t.selectors = basic("All", &["kms.amazonaws.com"]),
                "excludes management events from kms.amazonaws.com",
            ),
        ];
        for (change, says) in cases {
            let mut t = trail("main");
            change(&mut t);
            let (s, m) = status(vec![t]);
            assert_eq!(s, Status::Fail, "{says}");
            assert!(m.contains(says), "{says}: {m}");
        }
        // One good trail among weak ones is enough.
        let mut weak = trail("regional");
        weak.multi_region = false;
        assert_eq!(status(vec![weak, trail("main")]).0, Status::Pass);
    }

    #[test]
    fn advanced_selectors() {
        let sel = |fields: Vec<FieldSelector>| {
            Some(Collected::Ok(Selectors {
                basic: vec![],
                advanced: vec![fields],
            }))
        };
        let category = FieldSelector {
            field: "eventCategory".into(),
            equals: vec!["Management".into()],
            ..Default::default()
        };
        let mut t = trail("main");
        t.selectors = sel(vec![category.clone()]);
        assert_eq!(status(vec![t]).0, Status::Pass);
        for extra in [
            FieldSelector {
                field: "readOnly".into(),
                equals: vec!["false".into()],
                ..Default::default()
            },
            FieldSelector {
                field: "eventSource".into(),
                not_equals: vec!["kms.amazonaws.com".into()],
                ..Default::default()
            },
        ] {
            let mut t = trail("main");
            t.selectors = sel(vec![category.clone(), extra.clone()]);
            assert_eq!(status(vec![t]).0, Status::Fail, "{extra:?}");
        }
        let mut t = trail("main");
        t.selectors = sel(vec![FieldSelector {
            field: "eventCategory".into(),
            equals: vec!["Data".into()],
            ..Default::default()
        }]);
        let (s, m) = status(vec![t]);
        assert_eq!(s, Status::Fail);
        assert!(m.contains("no management events"), "{m}");
    }

    #[test]
    fn what_cannot_be_read_is_an_error_unless_a_trail_passes_or_fails_anyway() {
        let mut t = trail("main");
        t.logging = Collected::Gap(crate::checks::iam::fixtures::gap(
            "GetTrailStatus",
            "AccessDeniedException",
        ));
        assert_eq!(status(vec![t.clone()]).0, Status::Error);
        assert_eq!(status(vec![t.clone(), trail("other")]).0, Status::Pass);
        t.multi_region = false;
        assert_eq!(
            status(vec![t]).0,
            Status::Fail,
            "single-region whatever its status"
        );
        let mut inv = with(vec![]);
        inv.cloudtrail = Collected::Gap(crate::checks::iam::fixtures::gap(
            "DescribeTrails",
            "AccessDeniedException",
        ));
        assert_eq!(cloudtrail_multi_region(&inv)[0].status, Status::Error);
        // Selectors absent from a saved inventory are unknown, not CloudTrail's default.
        let mut t = trail("main");
        t.selectors = None;
        assert_eq!(status(vec![t]).0, Status::Error);
    }

    #[test]
    fn the_trails_bucket_is_judged_as_a_bucket() {
        use crate::checks::s3::fixtures::{bucket, unblocked, with_policy};
        let public = unblocked(with_policy(
            bucket("trail-logs"),
            serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::trail-logs/*"}]}),
        ));
        let mut inv = with(vec![trail("main")]);
        inv.s3 = crate::checks::s3::fixtures::open_account(vec![public]).s3;
        let f = cloudtrail_bucket_public(&inv);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);
        assert!(
            f[0].message.starts_with("trail main's bucket trail-logs"),
            "{}",
            f[0].message
        );
        inv.s3 = crate::checks::s3::fixtures::open_account(vec![bucket("trail-logs")]).s3;
        assert_eq!(cloudtrail_bucket_public(&inv)[0].status, Status::Pass);
        // Another account's bucket is not judged here.
        inv.s3 = crate::checks::s3::fixtures::open_account(vec![]).s3;
        assert!(cloudtrail_bucket_public(&inv).is_empty());
    }
}
