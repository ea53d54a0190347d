//! GuardDuty and AWS Config, in every scanned region.

use serde_json::json;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

fn stand_in(inv: &Inventory, region: &str, service: &str, what: &str, kind: &str) -> Resource {
    Resource {
        arn: format!(
            "arn:{}:{service}:{region}:{}:*",
            inv.account.partition, inv.account.id
        ),
        id: format!("{what} in {region}"),
        kind: kind.into(),
        region: region.into(),
    }
}

pub fn guardduty_enabled(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| stand_in(inv, r, "guardduty", "GuardDuty", "AwsGuardDutyDetector");
    let regions = crate::checks::regional::collected(inv, &mut out, res, |r| r.guardduty.get());
    for (region, _, gd) in regions {
        let enabled: Vec<_> = gd
            .detectors
            .iter()
            .filter(|d| matches!(d.status.get(), Ok(s) if s == "ENABLED"))
            .collect();
        let unknown: Vec<_> = gd
            .detectors
            .iter()
            .filter(|d| d.status.get().is_err())
            .collect();
        let evidence = json!(gd
            .detectors
            .iter()
            .map(|d| json!({"detector": d.id, "status": d.status.get().ok(), "high_findings": d.high_findings.get().ok()}))
            .collect::<Vec<_>>());
        let f = if let Some(d) = enabled.first() {
            let findings = match d.high_findings.get() {
                Ok(0) => "no unarchived finding of high severity".to_string(),
                Ok(1) => "1 unarchived finding of high severity".to_string(),
                Ok(n) => format!("{n} unarchived findings of high severity"),
                Err(g) => format!(
                    "its findings could not be counted ({} {})",
                    g.operation, g.error_code
                ),
            };
            Finding::pass(
                res(region),
                format!(
                    "GuardDuty's detector {} is enabled in {region}: {findings}",
                    d.id
                ),
            )
        } else if let Some(Err(g)) = unknown.first().map(|d| d.status.get()) {
            Finding::gap(res(region), g)
        } else if gd.detectors.is_empty() {
            Finding::fail(
                res(region),
                format!("GuardDuty has no detector in {region}: threats there go undetected"),
            )
        } else {
            Finding::fail(
                res(region),
                format!("GuardDuty's detector in {region} is suspended or disabled"),
            )
        };
        out.push(f.with("detectors", evidence));
    }
    out
}

pub fn config_recording(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| {
        stand_in(
            inv,
            r,
            "config",
            "AWS Config",
            "AwsConfigConfigurationRecorder",
        )
    };
    let regions = crate::checks::regional::collected(inv, &mut out, res, |r| r.config.get());
    for (region, _, cfg) in regions {
        let evidence = serde_json::to_value(&cfg.recorders).unwrap_or_default();
        let good = cfg
            .recorders
            .iter()
            .find(|r| r.all_supported && r.recording == Some(true));
        let f = match good {
            Some(r) => Finding::pass(
                res(region),
                format!(
                    "AWS Config's recorder {} records every supported resource type in {region}{}{}",
                    r.name,
                    if r.include_global_resource_types {
                        ", global resources (IAM) included"
                    } else {
                        ""
                    },
                    match r.last_status.as_deref() {
                        Some("Failure") => "; its last delivery failed",
                        _ => "",
                    }
                ),
            ),
            None if cfg.recorders.is_empty() => Finding::fail(
                res(region),
                format!(
                    "AWS Config has no recorder in {region}: no history of resource configurations there"
                ),
            ),
            None => {
                let why: Vec<String> = cfg
                    .recorders
                    .iter()
                    .map(|r| {
                        let mut w = Vec::new();
                        if r.recording != Some(true) {
                            w.push("is not recording");
                        }
                        if !r.all_supported {
                            w.push("records only some resource types");
                        }
                        format!("{} {}", r.name, w.join(" and "))
                    })
                    .collect();
                Finding::fail(
                    res(region),
                    format!(
                        "AWS Config in {region} does not record everything: {}",
                        why.join("; ")
                    ),
                )
            }
        };
        out.push(f.with("recorders", evidence));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::Collected;
    use crate::inventory::detection::{ConfigInventory, Detector, GuardDutyInventory, Recorder};

    fn region(inv: &mut Inventory) -> &mut crate::inventory::RegionInventory {
        inv.regional.get_mut("eu-west-1").expect("fixture region")
    }

    #[test]
    fn guardduty_enabled_disabled_absent_and_unknown() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        let f = guardduty_enabled(&inv);
        assert_eq!(f[0].status, Status::Pass);
        assert!(
            f[0].message
                .contains("no unarchived finding of high severity"),
            "{}",
            f[0].message
        );
        let detector = |status: Collected<String>, high: Collected<u64>| GuardDutyInventory {
            detectors: vec![Detector {
                id: "d1".into(),
                status,
                high_findings: high,
            }],
        };
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Ok("ENABLED".into()), Collected::Ok(3)));
        assert!(
            guardduty_enabled(&inv)[0]
                .message
                .contains("3 unarchived findings")
        );
        let gap = crate::checks::iam::fixtures::gap("GetFindingsStatistics", "BadRequestException");
        region(&mut inv).guardduty = Collected::Ok(detector(
            Collected::Ok("ENABLED".into()),
            Collected::Gap(gap.clone()),
        ));
        let f = guardduty_enabled(&inv);
        assert_eq!(
            f[0].status,
            Status::Pass,
            "the detector decides; the count is told as unknown"
        );
        assert!(
            f[0].message.contains("could not be counted"),
            "{}",
            f[0].message
        );
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Ok("DISABLED".into()), Collected::Ok(0)));
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Fail);
        region(&mut inv).guardduty = Collected::Ok(GuardDutyInventory { detectors: vec![] });
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Fail);
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Gap(gap.clone()), Collected::Ok(0)));
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Error);
        region(&mut inv).guardduty = Collected::Gap(gap);
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Error);
    }

    #[test]
    fn config_recording_everything_or_not() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        assert_eq!(config_recording(&inv)[0].status, Status::Pass);
        let rec = |all: bool, recording: Option<bool>| ConfigInventory {
            recorders: vec![Recorder {
                name: "default".into(),
                all_supported: all,
                include_global_resource_types: false,
                recording,
                last_status: Some("Pending".into()),
            }],
        };
        region(&mut inv).config = Collected::Ok(rec(true, Some(false)));
        let f = config_recording(&inv);
        assert_eq!(f[0].status, Status::Fail);
        assert!(
            f[0].message.contains("is not recording"),
            "{}",
            f[0].message
        );
        region(&mut inv).config = Collected::Ok(rec(false, Some(true)));
        assert!(
            config_recording(&inv)[0]
                .message
                .contains("only some resource types")
        );
        region(&mut inv).config = Collected::Ok(rec(true, None));
        assert_eq!(config_recording(&inv)[0].status, Status::Fail);
        region(&mut inv).config = Collected::Ok(ConfigInventory { recorders: vec![] });
        assert_eq!(config_recording(&inv)[0].status, Status::Fail);
        region(&mut inv).config = Collected::Gap(crate::checks::iam::fixtures::gap(
            "DescribeConfigurationRecorders",
            "AccessDeniedException",
        ));
        assert_eq!(config_recording(&inv)[0].status, Status::Error);
    }
}
